"""Build, check and load the index: FAISS over chunk vectors, BM25 over chunk words, records as JSON lines.

An index is a folder of plain files (no pickle) described by `manifest.json`: format version, model and its
sha256, chunking settings, every corpus file with its sha256, and every index file with its sha256 and size.
Loading checks all of it before any file is parsed.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import bm25_index, prepare, store
from . import dense as dense_index
from .chunk import chunk_document
from .embed import Embedder, ModelInfo
from .errors import IndexCorrupt, IndexMissing
from .ingest import corpus_files, load_documents
from .prepare import Prepared
from .records import Chunk, Document, Fact, Sentence, SkippedFile, from_rows
from .settings import Settings
from .split import TokenSpans, split_with_tokens

FORMAT = "rag-index"
FORMAT_VERSION = 1
DENSE_FILE = "dense.faiss"
BM25_DIR = "bm25"


class Index:
    """A loaded, read-only index. Shared by every question and every user; never mutated after load."""

    def __init__(
        self,
        path: Path,
        manifest: dict[str, Any],
        documents: list[Document],
        sentences: list[Sentence],
        chunks: list[Chunk],
        dense: Any,
        bm25: Any,
        facts: list[Fact],
    ) -> None:
        self.path = path
        self.manifest = manifest
        self.documents = {d.id: d for d in documents}
        self.documents_by_name = {d.name: d for d in documents}
        self.sentences: dict[str, list[Sentence]] = {d.id: [] for d in documents}
        for sentence in sentences:
            self.sentences[sentence.doc_id].append(sentence)
        self.chunks = chunks
        self.dense = dense
        self.bm25 = bm25
        self.facts: dict[str, list[Fact]] = {d.id: [] for d in documents}
        for fact in facts:
            self.facts[fact.doc_id].append(fact)
        # Its ~140k records live as long as the index and hold no reference cycles: out of the cyclic garbage
        # collector's reach, they are not walked again at every full collection (~0.2 s each at 10k chunks, a
        # few of them during an incremental build). They are still freed by reference counting when dropped.
        gc.freeze()

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]

    def chunk_sentences(self, chunk: Chunk) -> list[Sentence]:
        return self.sentences[chunk.doc_id][chunk.first_sentence : chunk.last_sentence + 1]

    def vectors(self) -> np.ndarray:
        return self.dense.reconstruct_n(0, self.dense.ntotal) if self.dense.ntotal else np.zeros((0, 0))


@dataclass
class BuildReport:
    index: Index
    skipped: list[SkippedFile] = field(default_factory=list)
    embedded: int = 0  # chunks encoded in this build
    reused: int = 0  # chunks whose vectors came from the previous build
    split: int = 0  # documents split into sentences and chunks in this build (the others were reused)
    seconds: float = 0.0
    rebuilt: bool = True  # False when the existing index was fresh and simply loaded
    reasons: list[str] = field(default_factory=list)  # why it was (re)built
    # seconds per stage: load, prepare (new documents split, chunked and read by worker processes, large builds
    # only), split, facts, embed, write, open
    stages: dict[str, float] = field(default_factory=dict)


def open_index(
    settings: Settings, embedder: Embedder, *, progress: bool = False, rebuild: bool = False
) -> BuildReport:
    """Load the index, building or refreshing it first when it is missing or stale.

    A damaged index is not silently replaced here: IndexCorrupt tells the user to run `rag index --rebuild`.
    """
    if not rebuild:
        try:
            index = load_index(settings.index_dir)
        except IndexMissing:
            return build_index(settings, embedder, progress=progress, reasons=["no index yet"])
        reasons = stale_reasons(index.manifest, settings, embedder.info)
        if not reasons:
            store.clean_up_if_idle(settings.index_dir)
            return BuildReport(index=index, rebuilt=False, skipped=_skipped_from(index.manifest))
        return build_index(settings, embedder, progress=progress, previous=index, reasons=reasons)
    return build_index(settings, embedder, progress=progress, full=True, reasons=["--rebuild"])


def build_index(
    settings: Settings,
    embedder: Embedder,
    *,
    progress: bool = False,
    previous: Index | None = None,
    full: bool = False,
    reasons: list[str] | None = None,
) -> BuildReport:
    """Read the corpus and write a new index next to the old one, then switch to it atomically.

    Unless `full`, what is unchanged since the previous build is reused: the sentences and chunks of an
    unchanged document (same content, chunking, token limit and splitting rules), its facts, and the vectors
    of unchanged chunks.
    """
    started = time.perf_counter()
    stages: dict[str, float] = {}
    with store.writer_lock(settings.index_dir):
        with _stage(stages, "load"):
            if previous is None and not full:
                previous = _try_load(settings.index_dir)
            documents, skipped = load_documents([settings.corpus_dir], _known_languages(None if full else previous))
        with _stage(stages, "prepare"):
            prepared = _prepare_in_workers(documents, embedder, settings, progress, None if full else previous)
        with _stage(stages, "split"):
            sentences, chunks, split, token_spans = _split_and_chunk(
                documents, embedder, settings, progress, None if full else previous, prepared
            )
        with _stage(stages, "facts"):
            facts = _facts_for(documents, sentences, None if full else previous, progress, token_spans, prepared)
            del token_spans, prepared
        with _stage(stages, "embed"):
            reusable = {} if full else _reusable_vectors(previous, embedder.info)
            vectors, embedded = _vectors_for(chunks, reusable, embedder, settings, progress)
        with _stage(stages, "write"), store.gc_paused(), store.new_build(settings.index_dir) as folder:
            manifest = _write_build(folder, settings, embedder, documents, sentences, chunks, vectors, facts, skipped,
                                    None if full else previous)
            final = store.publish(settings.index_dir, folder)
        store.remove_leftovers(settings.index_dir)
    with _stage(stages, "open"):
        # The records are in memory already: only FAISS and BM25 are read back (memory-mapped).
        index = Index(final, manifest, documents, sentences, chunks, _read_dense(final, manifest["dense"]),
                      _read_bm25(final, manifest["bm25"]), facts)
    return BuildReport(
        index=index,
        skipped=skipped,
        embedded=embedded,
        reused=len(chunks) - embedded,
        split=split,
        seconds=time.perf_counter() - started,
        reasons=reasons or [],
        stages={name: round(seconds, 3) for name, seconds in stages.items()},
    )


@contextlib.contextmanager
def _stage(stages: dict[str, float], name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - started


def load_index(index_dir: Path) -> Index:
    """Load the live build after checking its manifest, checksums, types and counts."""
    folder = store.current_build(Path(index_dir))
    manifest = store.read_json(folder / "manifest.json")
    if isinstance(manifest, dict) and manifest.get("format") == FORMAT:
        store.check_seal(manifest, folder / "manifest.json")  # a damaged manifest says so before its shape is read
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexCorrupt(f"{folder / 'manifest.json'} is not a rag index manifest: run `rag index --rebuild`")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorrupt(
            f"{folder} has index format {manifest.get('format_version')}, this version reads {FORMAT_VERSION}: "
            "run `rag index --rebuild`"
        )
    _check_manifest(manifest, folder / "manifest.json")
    return _open_build(folder, manifest, verify=True)


# The manifest's shape: key -> type, or a nested shape. Checked before anything in it is used.
MANIFEST_SHAPE: dict[str, Any] = {
    "model": {"name": str, "sha256": (str, type(None)), "dimension": int},
    "chunking": dict,
    "corpus": {"root": str, "files": list},
    "documents": list,
    "counts": {"documents": int, "sentences": int, "chunks": int},
    "dense": {"file": str, "type": str, "dimension": int, "vectors": int},
    "bm25": {"dir": str, "documents": int},
    "files": dict,
}


def _check_manifest(manifest: dict[str, Any], path: Path, shape: dict[str, Any] = MANIFEST_SHAPE, where: str = "") -> None:
    for key, expected in shape.items():
        value = manifest.get(key) if isinstance(manifest, dict) else None
        name = f"{where}{key}"
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise IndexCorrupt(f"{path} lacks a valid {name!r}: run `rag index --rebuild`")
            _check_manifest(value, path, expected, f"{name}.")
        elif not isinstance(value, expected) or isinstance(value, bool):
            raise IndexCorrupt(f"{path} lacks a valid {name!r}: run `rag index --rebuild`")
    for entry in manifest.get("files", {}).values() if not where else ():
        if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("size"), int)):
            raise IndexCorrupt(f"{path} has a damaged 'files' table: run `rag index --rebuild`")


def stale_reasons(manifest: dict[str, Any], settings: Settings, model: ModelInfo) -> list[str]:
    """Why the index no longer matches the corpus, model or settings; empty when it is fresh."""
    reasons = []
    if manifest["model"]["sha256"] != model.sha256 or manifest["model"]["name"] != model.name:
        reasons.append(f"model changed ({manifest['model']['name']} -> {model.name})")
    elif manifest["model"].get("encoder", "torch") != model.encoder:
        reasons.append(f"encoder changed ({manifest['model'].get('encoder', 'torch')} -> {model.encoder})")
    if manifest["chunking"] != settings.chunking:
        reasons.append("chunking settings changed")
    wanted = dense_index.index_type(manifest["dense"]["vectors"], settings.exact_search_limit)
    if manifest["dense"]["type"] != wanted:
        reasons.append(f"dense index type changed ({manifest['dense']['type']} -> {wanted})")
    from .facts import facts_version

    if manifest.get("facts_version") != facts_version():
        reasons.append("fact extraction rules changed")
    if manifest.get("split_version") != split_version():
        reasons.append("sentence splitting rules changed")
    if manifest.get("language_version") != language_version():
        reasons.append("language detection changed")
    if manifest["corpus"]["root"] != str(Path(settings.corpus_dir).resolve()):
        reasons.append(f"corpus folder changed ({manifest['corpus']['root']} -> {settings.corpus_dir})")
        return reasons
    known = {f["name"]: f for f in manifest["corpus"]["files"]}
    try:
        present = list(corpus_files([settings.corpus_dir]))
    except Exception as exc:  # the corpus folder vanished: report it as stale, the build says why
        return reasons + [str(exc)]
    names = {name for _, name in present}
    for name in sorted(set(known) - names):
        reasons.append(f"{name} removed")
    for path, name in present:
        entry = known.get(name)
        if entry is None:
            reasons.append(f"{name} added")
            continue
        stat = path.stat()
        if stat.st_size == entry["size"] and stat.st_mtime_ns == entry["mtime_ns"]:
            continue
        if store.file_sha256(path) != entry["sha256"]:
            reasons.append(f"{name} changed")
    return reasons


# -- building -------------------------------------------------------------------------------------------------


def _prepare_in_workers(
    documents: list[Document], embedder: Embedder, settings: Settings, progress: bool, previous: Index | None
) -> dict[str, Prepared]:
    """{document id: sentences, chunks and facts} of the documents to split, made by worker processes when
    there are enough of them (see rag/prepare.py); {} when they are split here, one after the other."""
    from tqdm import tqdm

    max_tokens = embedder.max_tokens  # before the fork: the workers chunk with the model's tokenizer
    reusable = _reusable_splits(previous, settings, max_tokens)
    todo = [d for d in documents if d.id not in reusable]
    workers = prepare.worker_count(len(todo), embedder.encoder_started)
    if not workers:
        return {}
    reused_facts = _reusable_facts(previous)
    with_facts = {d.id for d in todo if d.id not in reused_facts}
    results = prepare.prepare_documents(todo, with_facts, size=settings.chunk_sentences, overlap=settings.chunk_overlap,
                                        max_tokens=max_tokens, count_tokens=embedder.count_tokens,
                                        specials=embedder.counts_add_up, workers=workers)
    bar = tqdm(results, total=len(todo), desc=f"splitting ({workers} processes)", unit="doc", disable=not progress,
               file=sys.stderr)
    return dict(bar)


def _split_and_chunk(
    documents: list[Document],
    embedder: Embedder,
    settings: Settings,
    progress: bool,
    previous: Index | None = None,
    prepared: dict[str, Prepared] | None = None,
) -> tuple[list[Sentence], list[Chunk], int, dict[str, list[TokenSpans]]]:
    """Sentences and chunks of every document (reused where unchanged, or as the workers made them), how many
    documents were split, and the tokens found while splitting them here, by document id, for the fact layer."""
    from tqdm import tqdm

    max_tokens = embedder.max_tokens
    reusable = _reusable_splits(previous, settings, max_tokens)
    prepared = prepared or {}
    sentences: list[Sentence] = []
    chunks: list[Chunk] = []
    split = 0
    token_spans: dict[str, list[TokenSpans]] = {}
    for document in tqdm(documents, desc="splitting", unit="doc", disable=not progress or bool(prepared),
                         file=sys.stderr):
        if document.id in reusable:
            doc_sentences, doc_chunks = reusable[document.id]
            sentences.extend(doc_sentences)
            chunks.extend(doc_chunks)
            continue
        split += 1
        if document.id in prepared:
            sentences.extend(prepared[document.id].sentences)
            chunks.extend(prepared[document.id].chunks)
            continue
        doc_sentences, token_spans[document.id] = split_with_tokens(document)
        sentences.extend(doc_sentences)
        chunks.extend(
            chunk_document(
                document,
                doc_sentences,
                size=settings.chunk_sentences,
                overlap=settings.chunk_overlap,
                max_tokens=max_tokens,
                count_tokens=embedder.count_tokens,
                specials=embedder.counts_add_up,
            )
        )
    return sentences, chunks, split, token_spans


def _known_languages(previous: Index | None) -> dict[str, str]:
    """{document id: language} of the previous build, when its language detection was this one."""
    if previous is None or previous.manifest.get("language_version") != language_version():
        return {}
    return {doc_id: document.language for doc_id, document in previous.documents.items()}


@lru_cache(maxsize=1)
def language_version() -> str:
    """A fingerprint of the language detection: when it changes, every document's language is detected again."""
    import hashlib

    from . import language

    return hashlib.sha256(Path(language.__file__).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=1)
def split_version() -> str:
    """A fingerprint of the splitting and chunking rules: when they change, documents are split again."""
    import hashlib

    from . import chunk, somajo_fast, split

    digest = hashlib.sha256()
    for module in (split, somajo_fast, chunk):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def _reusable_splits(
    previous: Index | None, settings: Settings, max_tokens: int
) -> dict[str, tuple[list[Sentence], list[Chunk]]]:
    """{document id: (sentences, chunks)} of the previous build, when they were made the same way."""
    if previous is None:
        return {}
    manifest = previous.manifest
    if (
        manifest.get("split_version") != split_version()
        or manifest["chunking"] != settings.chunking
        or manifest["model"].get("max_tokens") != max_tokens
    ):
        return {}
    by_doc: dict[str, list[Chunk]] = {doc_id: [] for doc_id in previous.documents}
    for chunk in previous.chunks:
        by_doc[chunk.doc_id].append(chunk)
    return {doc_id: (previous.sentences[doc_id], by_doc[doc_id]) for doc_id in previous.documents}


def _reusable_facts(previous: Index | None) -> dict[str, list[Fact]]:
    """{document id: facts} of the previous build, when its documents were split and read by these rules
    (the facts point at sentences by index)."""
    from .facts import facts_version

    if (
        previous is None
        or previous.manifest.get("facts_version") != facts_version()
        or previous.manifest.get("split_version") != split_version()
    ):
        return {}
    return previous.facts


def _facts_for(
    documents: list[Document],
    sentences: list[Sentence],
    previous: Index | None,
    progress: bool,
    token_spans: dict[str, list[TokenSpans]] | None = None,
    prepared: dict[str, Prepared] | None = None,
) -> list[Fact]:
    """Facts of every document; a document unchanged since the previous build, split by the same rules, keeps
    its facts, and one the workers read has theirs."""
    import orjson
    from tqdm import tqdm

    from .facts import extract_facts

    by_doc: dict[str, list[Sentence]] = {d.id: [] for d in documents}
    for sentence in sentences:
        by_doc[sentence.doc_id].append(sentence)
    reusable = _reusable_facts(previous)
    token_spans = token_spans or {}
    prepared = prepared or {}
    facts: list[Fact] = []
    for document in tqdm(documents, desc="facts", unit="doc", disable=not progress, file=sys.stderr):
        done = prepared.get(document.id)
        if document.id in reusable:
            facts.extend(reusable[document.id])
        elif done is not None and done.facts is not None:
            facts.extend(done.facts)  # read back from JSON like the reused ones
        else:  # as they will read back from facts.jsonl (lists, not tuples), like the reused ones
            facts.extend(Fact(**orjson.loads(orjson.dumps(f)))
                         for f in extract_facts(document, by_doc[document.id], token_spans.get(document.id)))
    return facts


def _try_load(index_dir: Path) -> Index | None:
    try:
        return load_index(index_dir)
    except (IndexMissing, IndexCorrupt):
        return None


def _reusable_vectors(previous: Index | None, model: ModelInfo) -> dict[str, np.ndarray]:
    if previous is None or previous.manifest["model"]["sha256"] != model.sha256:
        return {}
    if previous.manifest["model"]["name"] != model.name:
        return {}
    if previous.manifest["model"].get("encoder", "torch") != model.encoder:
        return {}
    vectors = previous.vectors()
    return {chunk.id: vectors[i] for i, chunk in enumerate(previous.chunks)}


def _vectors_for(
    chunks: list[Chunk], reusable: dict[str, np.ndarray], embedder: Embedder, settings: Settings, progress: bool
) -> tuple[np.ndarray, int]:
    missing = [i for i, chunk in enumerate(chunks) if chunk.id not in reusable]
    fresh = embedder.encode([chunks[i].text for i in missing], batch_size=settings.batch_size, progress=progress)
    vectors = np.zeros((len(chunks), fresh.shape[1] if len(missing) else embedder.dimension), dtype=np.float32)
    for row, i in enumerate(missing):
        vectors[i] = fresh[row]
    for i, chunk in enumerate(chunks):
        if chunk.id in reusable:
            vectors[i] = reusable[chunk.id]
    return vectors, len(missing)


def _write_build(
    folder: Path,
    settings: Settings,
    embedder: Embedder,
    documents: list[Document],
    sentences: list[Sentence],
    chunks: list[Chunk],
    vectors: np.ndarray,
    facts: list[Fact],
    skipped: list[SkippedFile],
    previous: Index | None = None,
) -> dict[str, Any]:
    from .facts import facts_version

    dense, dense_meta = dense_index.build(vectors, exact_search_limit=settings.exact_search_limit)
    dense_index.write(dense, folder / DENSE_FILE)
    del dense

    languages = {d.id: d.language for d in documents}
    tokens = bm25_index.chunk_tokens(chunks, languages, *_reusable_tokens(previous))
    bm25 = bm25_index.build(tokens)
    bm25.save(str(folder / BM25_DIR), show_progress=False)
    bm25_index.write_tokens(folder / BM25_DIR, tokens)
    del bm25, tokens

    store.write_jsonl(folder / "documents.jsonl", documents)
    store.write_jsonl(folder / "sentences.jsonl", sentences)
    store.write_jsonl(folder / "chunks.jsonl", chunks)
    store.write_jsonl(folder / "facts.jsonl", facts)

    per_doc: dict[str, dict[str, int]] = {d.id: {"sentences": 0, "chunks": 0} for d in documents}
    for sentence in sentences:
        per_doc[sentence.doc_id]["sentences"] += 1
    for chunk in chunks:
        per_doc[chunk.doc_id]["chunks"] += 1
    by_name = {d.name: d for d in documents}
    skipped_by_name = {s.name: s.reason for s in skipped}
    corpus_entries = []
    for path, name in corpus_files([settings.corpus_dir]):
        stat = path.stat()
        entry = {"name": name, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": store.file_sha256(path)}
        if name in by_name:
            entry["doc_id"] = by_name[name].id
        else:
            entry["skipped"] = skipped_by_name.get(name, "not read")
        corpus_entries.append(entry)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "model": {
            "name": embedder.info.name,
            "path": embedder.info.path,
            "sha256": embedder.info.sha256,
            "encoder": embedder.info.encoder,
            "dimension": int(vectors.shape[1]),
            "max_tokens": embedder.max_tokens,
        },
        "chunking": settings.chunking,
        "corpus": {"root": str(Path(settings.corpus_dir).resolve()), "files": corpus_entries},
        "documents": [
            {"id": d.id, "name": d.name, "language": d.language, "size": d.size, **per_doc[d.id]} for d in documents
        ],
        "counts": {"documents": len(documents), "sentences": len(sentences), "chunks": len(chunks), "facts": len(facts)},
        "facts_version": facts_version(),
        "split_version": split_version(),
        "language_version": language_version(),
        "dense": {"file": DENSE_FILE, **dense_meta},
        "bm25": {"dir": BM25_DIR, "documents": len(chunks), "tokenizer_version": bm25_index.tokenizer_version()},
        "files": store.checksums(folder),
    }
    store.write_json(folder / "manifest.json", manifest)
    return manifest


def _reusable_tokens(previous: Index | None) -> tuple[dict[str, np.ndarray], list[str]]:
    """({chunk id: BM25 token ids}, vocabulary) of the previous build, when its tokenizer was this one."""
    if previous is None or previous.manifest["bm25"].get("tokenizer_version") != bm25_index.tokenizer_version():
        return {}, []
    stored = bm25_index.read_tokens(previous.path / previous.manifest["bm25"]["dir"], len(previous.chunks))
    if stored is None:
        return {}, []
    return {chunk.id: stored.of(row) for row, chunk in enumerate(previous.chunks)}, stored.vocab


# -- loading --------------------------------------------------------------------------------------------------


def _open_build(folder: Path, manifest: dict[str, Any], *, verify: bool) -> Index:
    try:
        if verify:
            store.verify_checksums(folder, manifest["files"])
        with store.gc_paused():
            documents = from_rows(Document, store.read_jsonl(folder / "documents.jsonl"))
            sentences = from_rows(Sentence, store.read_jsonl(folder / "sentences.jsonl"))
            chunks = from_rows(Chunk, store.read_jsonl(folder / "chunks.jsonl"))
            facts = from_rows(Fact, store.read_jsonl(folder / "facts.jsonl"))
        dense = _read_dense(folder, manifest["dense"])
        bm25 = _read_bm25(folder, manifest["bm25"])
    except (KeyError, TypeError) as exc:
        raise IndexCorrupt(f"{folder / 'manifest.json'} does not describe this index ({exc}): run `rag index --rebuild`") from None
    count = manifest["counts"]["chunks"]
    if not (len(chunks) == dense.ntotal == count == manifest["bm25"]["documents"] == bm25_documents(bm25)):
        raise IndexCorrupt(
            f"{folder} holds {len(chunks)} chunks, {dense.ntotal} vectors and {bm25_documents(bm25)} BM25 rows "
            f"where the manifest says {count}: run `rag index --rebuild`"
        )
    return Index(folder, manifest, documents, sentences, chunks, dense, bm25, facts)


def _read_dense(folder: Path, meta: dict[str, Any]):
    return dense_index.read(folder / meta["file"], meta)


def _read_bm25(folder: Path, meta: dict[str, Any]):
    import bm25s

    path = folder / meta["dir"]
    try:
        return bm25s.BM25.load(str(path), mmap=True, allow_pickle=False, show_progress=False)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexCorrupt(f"{path} is damaged ({exc}): run `rag index --rebuild`") from None


def bm25_documents(bm25: Any) -> int:
    return int(bm25.scores["num_docs"])


def _skipped_from(manifest: dict[str, Any]) -> list[SkippedFile]:
    return [SkippedFile(f["name"], f["skipped"]) for f in manifest["corpus"]["files"] if "skipped" in f]
