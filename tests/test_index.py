"""The index on disk: round trip, manifest, staleness, incremental rebuilds, corruption and killed builds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from helpers import ARTICLE, ARTICLES, RAG, assert_one_line_error, make_corpus, rag_env, run_rag
from rag import store
from rag.embed import BUNDLED_MODEL_SHA256
from rag.errors import IndexCorrupt, IndexMissing
from rag.index import FORMAT_VERSION, load_index, open_index, stale_reasons
from rag.settings import DEFAULT_MODEL, Settings


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(root: Path, embedder, *files: Path, **options):
    settings = Settings(corpus_dir=make_corpus(root / "corpus", *files), index_dir=root / "index", **options)
    return settings, open_index(settings, embedder)


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder):
    """An index of the bundled article that the tests below copy and damage, never change in place."""
    return build(tmp_path_factory.mktemp("built"), embedder)


def copy_index(settings: Settings, tmp_path: Path) -> Path:
    target = tmp_path / "index-copy"
    shutil.copytree(settings.index_dir, target, symlinks=True)
    assert (target / store.CURRENT).is_symlink()
    return target


# -- round trip and manifest -----------------------------------------------------------------------------------


def test_round_trip_gives_same_chunks_vectors_and_counts(built, embedder):
    settings, report = built
    loaded = load_index(settings.index_dir)
    assert loaded.path == report.index.path
    assert loaded.chunks == report.index.chunks
    assert loaded.documents == report.index.documents
    assert loaded.sentences == report.index.sentences
    assert np.array_equal(loaded.vectors(), report.index.vectors())
    assert loaded.vectors().dtype == np.float32
    assert loaded.vectors().shape == (len(loaded.chunks), 384)
    counts = loaded.manifest["counts"]
    assert {k: counts[k] for k in ("documents", "sentences", "chunks")} == {
        "documents": len(loaded.documents),
        "sentences": sum(len(s) for s in loaded.sentences.values()),
        "chunks": len(loaded.chunks),
    }
    assert counts["documents"] == 1 and counts["chunks"] > 5
    # the stored vectors are the model's vectors of the stored chunk texts, in order
    fresh = embedder.encode([c.text for c in loaded.chunks])
    assert np.allclose(fresh, loaded.vectors(), atol=1e-4)
    assert np.allclose(np.linalg.norm(loaded.vectors(), axis=1), 1.0, atol=1e-4)


def test_manifest_describes_model_corpus_and_files(built):
    settings, report = built
    manifest = load_index(settings.index_dir).manifest
    folder = report.index.path
    assert manifest["format"] == "rag-index"
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model"]["name"] == DEFAULT_MODEL
    assert manifest["model"]["sha256"] == BUNDLED_MODEL_SHA256
    assert manifest["model"]["dimension"] == 384
    assert manifest["dense"]["dimension"] == 384
    assert manifest["chunking"] == {"chunk_sentences": 4, "chunk_overlap": 1}
    corpus_files = manifest["corpus"]["files"]
    assert [f["name"] for f in corpus_files] == [ARTICLE.name]
    assert corpus_files[0]["sha256"] == sha256(ARTICLE)
    assert corpus_files[0]["size"] == ARTICLE.stat().st_size
    on_disk = {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"
    }
    assert set(manifest["files"]) == on_disk
    assert {"dense.faiss", "chunks.jsonl", "documents.jsonl", "sentences.jsonl"} <= on_disk
    assert any(name.startswith("bm25/") for name in on_disk)
    for name, meta in manifest["files"].items():
        assert meta["sha256"] == sha256(folder / name), name
        assert meta["size"] == (folder / name).stat().st_size
    assert not any(p.suffix in (".pkl", ".pickle") for p in folder.rglob("*"))


def test_fresh_index_is_loaded_not_rebuilt(built, embedder):
    settings, report = built
    again = open_index(settings, embedder)
    assert not again.rebuilt and again.embedded == 0
    assert again.index.path == report.index.path
    assert [c.id for c in again.index.chunks] == [c.id for c in report.index.chunks]


def test_missing_index_raises_index_missing(tmp_path):
    with pytest.raises(IndexMissing, match="rag index"):
        load_index(tmp_path / "nothing-here")


# -- staleness and incremental rebuilds ------------------------------------------------------------------------


def test_stale_reasons(tmp_path, embedder):
    settings, report = build(tmp_path, embedder)
    corpus = settings.corpus_dir
    article = corpus / ARTICLE.name

    def reasons(s: Settings = settings) -> list[str]:
        return stale_reasons(load_index(s.index_dir).manifest, s, embedder.info)

    assert reasons() == []

    os.utime(article, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))  # touched, content the same
    assert reasons() == []

    article.write_text(ARTICLE.read_text(encoding="utf-8") + "\nEin neuer Satz am Ende.", encoding="utf-8")
    found = reasons()
    assert len(found) == 1 and ARTICLE.name in found[0] and "changed" in found[0]
    shutil.copy(ARTICLE, article)  # back to the indexed content
    assert reasons() == []

    extra = ARTICLES[0]
    shutil.copy(extra, corpus / extra.name)
    found = reasons()
    assert len(found) == 1 and extra.name in found[0] and "added" in found[0]
    (corpus / extra.name).unlink()

    article.unlink()
    found = reasons()
    assert any(ARTICLE.name in r and "removed" in r for r in found), found
    shutil.copy(ARTICLE, article)

    assert any("chunking" in r for r in reasons(settings.with_(chunk_sentences=5)))
    manifest = load_index(settings.index_dir).manifest
    for key, reason in (("split_version", "splitting"), ("language_version", "language"), ("facts_version", "fact")):
        changed = {**manifest, key: "an older version"}  # indexed by an earlier release of these rules
        assert any(reason in r for r in stale_reasons(changed, settings, embedder.info)), key
    moved = tmp_path / "moved-corpus"
    shutil.copytree(corpus, moved)
    assert any("corpus folder changed" in r for r in reasons(settings.with_(corpus_dir=moved)))


def test_edited_document_makes_open_rebuild(tmp_path, embedder):
    settings, first = build(tmp_path, embedder)
    article = settings.corpus_dir / ARTICLE.name
    article.write_text(ARTICLE.read_text(encoding="utf-8").replace("Am 10. Juni", "Am 9. Juni"), encoding="utf-8")
    report = open_index(settings, embedder)
    assert report.rebuilt
    assert any(ARTICLE.name in r for r in report.reasons)
    text = next(iter(report.index.documents.values())).text
    assert "Am 9. Juni" in text and "Am 10. Juni" not in text
    assert open_index(settings, embedder).rebuilt is False


def test_incremental_rebuild_reuses_unchanged_vectors(tmp_path, embedder):
    settings, first = build(tmp_path, embedder)
    old_chunks = len(first.index.chunks)
    assert first.embedded == old_chunks and first.reused == 0
    old_vectors = {c.id: v for c, v in zip(first.index.chunks, first.index.vectors())}

    added = ARTICLES[0]
    shutil.copy(added, settings.corpus_dir / added.name)
    report = open_index(settings, embedder)

    assert report.rebuilt
    assert any(added.name in r and "added" in r for r in report.reasons)
    new_doc = report.index.documents_by_name[added.name]
    new_chunks = [c for c in report.index.chunks if c.doc_id == new_doc.id]
    assert new_chunks
    assert report.reused == old_chunks
    assert report.embedded == len(new_chunks)
    assert len(report.index.chunks) == old_chunks + len(new_chunks)
    vectors = report.index.vectors()
    for chunk, vector in zip(report.index.chunks, vectors):
        if chunk.id in old_vectors:
            assert np.array_equal(vector, old_vectors[chunk.id])
    reloaded = load_index(settings.index_dir)
    assert reloaded.manifest["counts"]["chunks"] == len(report.index.chunks)
    assert stale_reasons(reloaded.manifest, settings, embedder.info) == []


def test_removed_document_reuses_the_rest(tmp_path, embedder):
    settings, first = build(tmp_path, embedder, ARTICLE, ARTICLES[1])
    kept = first.index.documents_by_name[ARTICLE.name]
    kept_chunks = [c for c in first.index.chunks if c.doc_id == kept.id]
    (settings.corpus_dir / ARTICLES[1].name).unlink()
    report = open_index(settings, embedder)
    assert report.rebuilt and any(ARTICLES[1].name in r and "removed" in r for r in report.reasons)
    assert report.embedded == 0 and report.reused == len(kept_chunks)
    assert report.index.chunks == kept_chunks


def test_incremental_bm25_scores_as_a_full_build(tmp_path, embedder):
    """An incremental build takes the stored BM25 token ids of unchanged chunks instead of tokenising them: a
    document added and one removed, its scores must be those of building from scratch, for every chunk."""
    from rag.lexical import query_tokens

    settings, _ = build(tmp_path / "incremental", embedder, ARTICLE, ARTICLES[0], ARTICLES[1])
    (settings.corpus_dir / ARTICLES[0].name).unlink()
    shutil.copy(ARTICLES[2], settings.corpus_dir / ARTICLES[2].name)
    incremental = open_index(settings, embedder)
    assert incremental.split == 1 and incremental.rebuilt
    _, full = build(tmp_path / "full", embedder, ARTICLE, ARTICLES[1], ARTICLES[2])
    assert incremental.index.chunks == full.index.chunks
    matched = 0
    for question in ("Wer traf den Chef von Qualcomm?", "Landtag Haushalt Schulden", "Staatsbesuch Präsident"):
        scores = []
        for index in (incremental.index, load_index(settings.index_dir), full.index):
            ids = index.bm25.get_tokens_ids(query_tokens(question))
            scores.append(np.asarray(index.bm25.get_scores_from_ids(ids), dtype=np.float32))
        matched += bool(scores[2].any())
        assert np.array_equal(scores[0], scores[2]) and np.array_equal(scores[1], scores[2])
    assert matched == 3
    stored = load_index(settings.index_dir).manifest["files"]
    assert {"bm25/chunk_vocab.json", "bm25/chunk_token_ids.npy", "bm25/chunk_token_offsets.npy"} <= set(stored)


def test_skipped_files_recorded_and_reported_again_when_fresh(tmp_path, embedder):
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "letter.docx").write_bytes(b"PK\x03\x04")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    report = open_index(settings, embedder)
    assert sorted(s.name for s in report.skipped) == ["empty.txt", "letter.docx"]
    entries = {f["name"]: f for f in load_index(settings.index_dir).manifest["corpus"]["files"]}
    assert "skipped" in entries["empty.txt"] and "doc_id" in entries[ARTICLE.name]
    again = open_index(settings, embedder)
    assert not again.rebuilt
    assert sorted(s.name for s in again.skipped) == ["empty.txt", "letter.docx"]


def test_rebuild_option_re_embeds_everything(tmp_path, embedder):
    settings, first = build(tmp_path, embedder)
    report = open_index(settings, embedder, rebuild=True)
    assert report.rebuilt and report.reused == 0 and report.embedded == len(first.index.chunks)
    assert report.index.path != first.index.path
    assert np.allclose(report.index.vectors(), first.index.vectors(), atol=1e-5)


# -- corruption ------------------------------------------------------------------------------------------------


def flip_dense(folder: Path) -> str:
    path = folder / "dense.faiss"
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for i in range(middle, middle + 16):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return "dense.faiss"


def truncate_chunks(folder: Path) -> str:
    path = folder / "chunks.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return "chunks.jsonl"


def garbage_manifest(folder: Path) -> str:
    (folder / "manifest.json").write_bytes(b"\x89garbage{{{ not json \x00\xff" * 20)
    return "manifest.json"


def delete_bm25(folder: Path) -> str:
    shutil.rmtree(folder / "bm25")
    return "bm25"


CORRUPTIONS = [flip_dense, truncate_chunks, garbage_manifest, delete_bm25]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_corrupt_index_raises_clear_error(built, tmp_path, embedder, corrupt):
    settings, _ = built
    index_dir = copy_index(settings, tmp_path)
    damaged = corrupt(store.current_build(index_dir))
    with pytest.raises(IndexCorrupt) as caught:
        load_index(index_dir)
    message = str(caught.value)
    assert damaged in message
    assert "rag index --rebuild" in message
    assert "\n" not in message
    # opening does not silently replace a damaged index ...
    copy_settings = settings.with_(index_dir=index_dir)
    with pytest.raises(IndexCorrupt):
        open_index(copy_settings, embedder)
    # ... and a rebuild restores it
    report = open_index(copy_settings, embedder, rebuild=True)
    assert load_index(index_dir).chunks == report.index.chunks == load_index(settings.index_dir).chunks


def test_current_pointing_at_missing_build(built, tmp_path):
    settings, _ = built
    index_dir = copy_index(settings, tmp_path)
    shutil.rmtree(store.current_build(index_dir))
    with pytest.raises(IndexCorrupt, match="rag index --rebuild"):
        load_index(index_dir)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda m: m.update(format="something-else"), id="foreign-format"),
        pytest.param(lambda m: m.update(format_version=FORMAT_VERSION + 98), id="newer-format-version"),
        pytest.param(lambda m: m["counts"].update(chunks=m["counts"]["chunks"] + 1), id="count-mismatch"),
        pytest.param(lambda m: m.pop("dense"), id="no-dense-entry"),
        pytest.param(lambda m: m.pop("model"), id="no-model-entry"),
        pytest.param(lambda m: m.pop("counts"), id="no-counts-entry"),
        pytest.param(lambda m: m.update(files=[]), id="files-not-a-mapping"),
    ],
)
def test_damaged_manifest_content_raises_index_corrupt(built, tmp_path, embedder, edit):
    """A manifest that is valid JSON but does not describe the build is a corrupt index, not a crash."""
    settings, _ = built
    index_dir = copy_index(settings, tmp_path)
    path = store.current_build(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="rag index --rebuild"):
        open_index(settings.with_(index_dir=index_dir), embedder)


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_cli_on_corrupt_index_exits_2_with_one_line(built, tmp_path, corrupt):
    settings, _ = built
    index_dir = copy_index(settings, tmp_path)
    damaged = corrupt(store.current_build(index_dir))
    result = run_rag("ask", "-i", index_dir, "-c", settings.corpus_dir, "Who attended the Amazon meeting?")
    line = assert_one_line_error(result)
    assert damaged in line and "rag index --rebuild" in line
    assert result.stdout == ""


def test_cli_rebuild_restores_corrupt_index(built, tmp_path):
    settings, _ = built
    index_dir = copy_index(settings, tmp_path)
    flip_dense(store.current_build(index_dir))
    assert run_rag("ask", "-i", index_dir, "-c", settings.corpus_dir, "Wer?").returncode == 2

    rebuilt = run_rag("index", "--rebuild", "-i", index_dir, "-c", settings.corpus_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Traceback" not in rebuilt.stderr
    assert len(load_index(index_dir).chunks) == len(load_index(settings.index_dir).chunks)

    asked = run_rag("ask", "--json", "-i", index_dir, "-c", settings.corpus_dir, "Who attended the Amazon meeting?")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert len(answer["passages"]) >= 5


# -- a build killed midway -------------------------------------------------------------------------------------


def _temp_builds(index_dir: Path) -> list[Path]:
    return [p for p in index_dir.iterdir() if p.name.startswith(store.TEMP_PREFIX)]


def _start_rebuild(index_dir: Path, corpus: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(RAG), "index", "--rebuild", "-i", str(index_dir), "-c", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=rag_env(),
    )


def _kill_after(process: subprocess.Popen, index_dir: Path, when: float | str) -> bool:
    """SIGKILL after `when` seconds, or as soon as a temporary build folder appears; True if it was running."""
    deadline = time.monotonic() + 120
    started = time.monotonic()
    while process.poll() is None and time.monotonic() < deadline:
        if when == "mid-write":
            if any(p.is_dir() and not p.is_symlink() for p in _temp_builds(index_dir)):
                break
        elif time.monotonic() - started >= when:
            break
        time.sleep(0.001)
    running = process.poll() is None
    if running:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return running and process.returncode == -signal.SIGKILL


def test_killed_build_leaves_old_index_loadable(tmp_path, embedder):
    settings, first = build(tmp_path, embedder)  # the old index: the bundled article alone
    old_chunks = [c.id for c in first.index.chunks]
    for path in ARTICLES:  # the new corpus takes a real build
        shutil.copy(path, settings.corpus_dir / path.name)

    outcomes = []
    for when in ("mid-write", 0.5, 2.0, 4.0):
        process = _start_rebuild(settings.index_dir, settings.corpus_dir)
        killed = _kill_after(process, settings.index_dir, when)
        assert killed or process.returncode == 0, (when, process.returncode)
        index = load_index(settings.index_dir)  # whole: manifest, checksums and counts all verified
        outcomes.append((when, killed, [c.id for c in index.chunks], len(_temp_builds(settings.index_dir))))
        if killed and when == "mid-write" and outcomes[-1][2] == old_chunks:
            # killed while writing: its half-written build is still lying around, next to the live one
            live = store.current_build(settings.index_dir)
            builds = settings.index_dir.glob(f"{store.BUILD_PREFIX}*")
            half_written = _temp_builds(settings.index_dir) + [p for p in builds if p.resolve() != live]
            assert half_written, "the killed build left nothing behind: it was not killed while writing"
    assert any(killed for _, killed, _, _ in outcomes), "no kill landed while the build was running"

    finished = run_rag("index", "-i", settings.index_dir, "-c", settings.corpus_dir)
    assert finished.returncode == 0, finished.stderr
    assert _temp_builds(settings.index_dir) == []
    new = load_index(settings.index_dir)
    new_chunks = [c.id for c in new.chunks]
    assert new.manifest["counts"]["documents"] == 1 + len(ARTICLES)
    assert len(new_chunks) > len(old_chunks)
    for when, killed, chunk_ids, _ in outcomes:
        assert chunk_ids in (old_chunks, new_chunks), f"after kill at {when}: a mix of two builds"


def test_plain_index_run_cleans_leftovers_of_killed_rebuild_when_index_is_fresh(tmp_path, embedder):
    settings, first = build(tmp_path, embedder, ARTICLE, *ARTICLES[:2])
    for _ in range(3):
        process = _start_rebuild(settings.index_dir, settings.corpus_dir)
        if _kill_after(process, settings.index_dir, "mid-write") and _temp_builds(settings.index_dir):
            break
    leftovers = _temp_builds(settings.index_dir)
    assert leftovers, "could not kill a build while it was writing"
    assert load_index(settings.index_dir).chunks == first.index.chunks

    result = run_rag("index", "-i", settings.index_dir, "-c", settings.corpus_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("index is up to date"), result.stdout  # the case under test: nothing to build
    assert _temp_builds(settings.index_dir) == []


def test_records_read_back_as_constructed(built):
    from dataclasses import asdict

    from rag.records import Chunk, Fact, Sentence, from_rows

    settings, report = built
    index = load_index(settings.index_dir)
    facts = [f for fs in index.facts.values() for f in fs]
    assert facts and all(type(f) is Fact for f in facts)
    for cls, records in ((Fact, facts), (Chunk, index.chunks), (Sentence, index.sentences[index.chunks[0].doc_id])):
        rows = [asdict(r) for r in records]
        assert from_rows(cls, rows) == [cls(**row) for row in rows] == records
    short = {"kind": "date", "text": "2020", "doc_id": "d", "sentence": 0, "start": 0, "end": 4}
    assert from_rows(Fact, [short]) == [Fact(**short)]  # defaults filled as by __init__
    with pytest.raises(TypeError):
        from_rows(Fact, [{**short, "bogus": 1}])


def test_languages_of_unchanged_documents_reused_only_from_the_same_detector(tmp_path, embedder, monkeypatch):
    import rag.ingest
    import rag.index

    settings, first = build(tmp_path, embedder, ARTICLE)
    assert first.index.manifest["language_version"] == rag.index.language_version()
    detected = []
    real = rag.ingest.detect_language
    monkeypatch.setattr(rag.ingest, "detect_language", lambda text: detected.append(text) or real(text))
    added = ARTICLES[1]
    shutil.copy(added, settings.corpus_dir / added.name)
    report = open_index(settings, embedder)
    assert report.rebuilt and len(detected) == 1  # the added one only
    assert report.index.documents_by_name[ARTICLE.name].language == first.index.documents_by_name[ARTICLE.name].language
    detected.clear()
    monkeypatch.setattr(rag.index, "language_version", lambda: "another detector")
    rag.index.build_index(settings, embedder, previous=load_index(settings.index_dir))
    assert len(detected) == 2  # all detected again


# -- worker processes --------------------------------------------------------------------------------------------


def _records(index) -> tuple:
    return (index.documents, index.sentences, index.chunks, index.facts, index.vectors().tolist())


def test_worker_processes_build_the_same_records_as_one_process(tmp_path, embedder, monkeypatch):
    """Many new documents are split, chunked and read for facts by forked workers (rag/prepare.py): the index
    must hold exactly the records of a build in one process, files included, also when a rebuild re-chunks
    documents whose facts it keeps."""
    from rag import prepare

    runs = []
    real = prepare.prepare_documents
    monkeypatch.setattr(prepare, "prepare_documents", lambda *a, **k: runs.append(k["workers"]) or real(*a, **k))
    reports = {}
    for mode, workers in (("serial", 0), ("parallel", 2)):
        # the session's encoder has started its threads: let the test fork anyway (the workers never encode)
        monkeypatch.setattr(prepare, "worker_count", lambda documents, started, w=workers: w)
        settings, first = build(tmp_path / mode, embedder, ARTICLE, *ARTICLES)
        rechunked = Settings(corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, chunk_sentences=3)
        reports[mode] = (first, open_index(rechunked, embedder))
    assert runs == [2, 2], "the parallel builds went through the workers"
    serial, parallel = reports["serial"], reports["parallel"]
    for one, other in zip(serial, parallel):
        assert one.split == other.split == len(ARTICLES) + 1
        assert _records(one.index) == _records(other.index)
        for name in ("documents.jsonl", "sentences.jsonl", "chunks.jsonl", "facts.jsonl"):
            assert (one.index.path / name).read_bytes() == (other.index.path / name).read_bytes(), name
    assert serial[1].index.chunks != serial[0].index.chunks and serial[1].index.facts == serial[0].index.facts


def test_workers_only_for_many_documents_in_a_single_threaded_process(monkeypatch):
    """Forking pays only with enough new documents, and is only safe before the encoder's threads start and
    with no other thread running (a server rebuilding in the background splits in-process)."""
    import threading

    from rag import prepare

    assert prepare.worker_count(prepare.MIN_DOCUMENTS - 1, encoder_started=False) == 0
    assert prepare.worker_count(10 * prepare.MIN_DOCUMENTS, encoder_started=True) == 0
    monkeypatch.setattr(prepare.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(prepare.threading, "active_count", lambda: 1)
    assert prepare.worker_count(10 * prepare.MIN_DOCUMENTS, encoder_started=False) == 2
    monkeypatch.setattr(prepare.threading, "active_count", lambda: 2)
    assert prepare.worker_count(10 * prepare.MIN_DOCUMENTS, encoder_started=False) == 0
    monkeypatch.setattr(prepare.threading, "active_count", threading.active_count)
    monkeypatch.setattr(prepare.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert prepare.worker_count(10 * prepare.MIN_DOCUMENTS, encoder_started=False) == 0
