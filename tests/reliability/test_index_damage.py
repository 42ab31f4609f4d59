"""Cases 1-4 and 7: a damaged, foreign or lying index is refused with one clear line before it is used, and
`rag index --rebuild` restores it."""

from __future__ import annotations

import json
import resource
import struct
import subprocess
import time
from pathlib import Path

import bm25s
import faiss
import numpy as np
import pytest

from damage import (
    copy_index, flip_middle_bit, index_files, live, random_bytes, reseal, truncated, zero_bytes,
)
from helpers import RAG, assert_one_line_error, rag_env, run_rag
from rag import store
from rag.errors import IndexCorrupt
from rag.index import load_index
from rag.lexical import tokenize
from rag.pipeline import Pipeline

QUESTIONS = [
    "Who attended the Amazon meeting?",
    "Wann traf Lee den Qualcomm-Chef?",
    "Wo traf Lee Mark Zuckerberg?",
    "What did Lee discuss with Tim Cook?",
]
DAMAGES = [zero_bytes, truncated, random_bytes]


def answers(pipeline: Pipeline) -> list[tuple]:
    """What a user sees of each answer: its text, whether it abstained, and where each citation points."""
    out = []
    for question in QUESTIONS:
        answer = pipeline.ask(question)
        out.append((answer.text, answer.abstained, [(c.doc, c.start, c.end, c.text) for c in answer.citations]))
    return out


def refused(index_dir: Path) -> str:
    """The one-line message of the IndexCorrupt that loading raises."""
    with pytest.raises(IndexCorrupt) as caught:
        load_index(index_dir)
    message = str(caught.value)
    assert "\n" not in message and "rag index --rebuild" in message, message
    return message


# -- case 1 ------------------------------------------------------------------------------------------------------


def test_case_01_zero_truncated_random_files_exit_2_with_one_line_and_rebuild_restores_answers(
    index_copy, pipeline, embedder, tmp_path
):
    before = answers(pipeline)  # the session's pipeline serves the same index the copy was made from
    names = index_files(live(index_copy))
    assert len(names) >= 10 and "dense.faiss" in names and any(n.startswith("bm25/") for n in names)

    runs = []
    for damage in DAMAGES:
        for name in names:
            settings = copy_index(index_copy, tmp_path / f"{damage.__name__}-{name.replace('/', '_')}")
            damage(live(settings) / name)
            assert Path(name).name in refused(settings.index_dir), (damage.__name__, name)
            command = [str(RAG), "ask", "-i", str(settings.index_dir), "-c", str(settings.corpus_dir), QUESTIONS[0]]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       env=rag_env())
            runs.append((damage.__name__, name, command, process))
    started = time.perf_counter()
    for damage_name, name, command, process in runs:
        stdout, stderr = process.communicate(timeout=120)
        result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        assert result.returncode >= 0, f"{damage_name} {name}: killed by signal {-result.returncode}"
        line = assert_one_line_error(result)
        assert Path(name).name in line and "rag index --rebuild" in line, (damage_name, name, line)
        assert result.stdout == ""
    print(f"case 1: {len(runs)} damaged copies ({len(DAMAGES)} kinds x {len(names)} files), every `rag ask` "
          f"exit 2 with one line; waited {time.perf_counter() - started:.1f}s for them")

    # one of them, with every file damaged at once, restored by `rag index --rebuild`
    worst = copy_index(index_copy, tmp_path / "all-damaged")
    for n, name in enumerate(names):
        DAMAGES[n % len(DAMAGES)](live(worst) / name)
    rebuilt = run_rag("index", "--rebuild", "-i", worst.index_dir, "-c", worst.corpus_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    restored = Pipeline(worst, embedder=embedder)
    assert not restored.open().rebuilt
    assert answers(restored) == before


# -- case 2 ------------------------------------------------------------------------------------------------------


def test_case_02_a_bit_flip_in_any_index_file_is_caught_by_its_checksum(index_copy, tmp_path, monkeypatch):
    names = index_files(live(index_copy))
    read_index = faiss.read_index
    opened = []
    monkeypatch.setattr(faiss, "read_index", lambda *a, **k: opened.append(a) or read_index(*a, **k))
    for name in names:
        settings = copy_index(index_copy, tmp_path / name.replace("/", "_"))
        path = live(settings) / name
        flip_middle_bit(path)  # a JSON file still parses: only the checksum can tell
        message = refused(settings.index_dir)
        assert "checksum mismatch" in message and Path(name).name in message, (name, message)
    assert opened == [], "FAISS read a file before its checksum was checked"


# -- case 3 ------------------------------------------------------------------------------------------------------


def _other_faiss(kind: str, vectors: np.ndarray):
    dimension = vectors.shape[1]
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
    elif kind == "ivf":
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, 1, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
    elif kind == "dimension":
        vectors = np.ascontiguousarray(vectors[:, :-1])
        index = faiss.IndexFlatIP(dimension - 1)
    else:  # one vector fewer
        vectors = vectors[:-1]
        index = faiss.IndexFlatIP(dimension)
    index.add(vectors)
    return index


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("file:hnsw", "is not a IndexFlatIP FAISS index"),
        ("file:ivf", "is not a IndexFlatIP FAISS index"),
        ("file:dimension", "vectors of dimension 383, the manifest says"),
        ("file:count", "the manifest says"),
        ("manifest:type", "is not a IndexHNSWFlat FAISS index"),
        ("manifest:dimension", "the manifest says"),
        ("manifest:vectors", "the manifest says"),
    ],
)
def test_case_03_index_type_dimension_or_count_differing_from_the_manifest_is_refused(
    index_copy, index, change, expected
):
    folder = live(index_copy)
    where, what = change.split(":")
    if where == "file":
        faiss.write_index(_other_faiss(what, index.vectors()), str(folder / "dense.faiss"))
        reseal(folder)
    else:
        edits = {
            "type": lambda m: m["dense"].update(type="IndexHNSWFlat", ef_search=64),
            "dimension": lambda m: m["dense"].update(dimension=m["dense"]["dimension"] + 1),
            "vectors": lambda m: m["dense"].update(vectors=m["dense"]["vectors"] + 1),
        }
        reseal(folder, edits[what])
    assert expected in refused(index_copy.index_dir)
    line = assert_one_line_error(run_rag("search", "-i", index_copy.index_dir, "-c", index_copy.corpus_dir, "Lee"))
    assert "dense.faiss" in line and expected in line


# -- case 4 ------------------------------------------------------------------------------------------------------


HUGE = 500_000_000  # vectors: 768 GB of float32 at dimension 384


@pytest.mark.parametrize("manifest_agrees", [False, True], ids=["manifest-true-count", "manifest-claims-huge"])
def test_case_04_a_header_claiming_a_huge_vector_count_is_refused_before_faiss_allocates(
    index_copy, monkeypatch, manifest_agrees
):
    folder = live(index_copy)
    path = folder / "dense.faiss"
    data = bytearray(path.read_bytes())
    dimension = struct.unpack_from("<i", data, 4)[0]
    struct.pack_into("<q", data, 8, HUGE)  # ntotal in the header
    struct.pack_into("<Q", data, 37, HUGE * dimension * 4)  # the vectors' byte length that follows it
    path.write_bytes(bytes(data))
    if manifest_agrees:
        reseal(folder, lambda m: (m["dense"].update(vectors=HUGE), m["counts"].update(chunks=HUGE)))
    else:
        reseal(folder)
    read_index = faiss.read_index
    opened = []
    monkeypatch.setattr(faiss, "read_index", lambda *a, **k: opened.append(a) or read_index(*a, **k))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    message = refused(index_copy.index_dir)
    seconds = time.perf_counter() - started
    assert opened == [], "FAISS was asked to read the file"
    assert f"{HUGE}" in message and "dense.faiss" in message
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) < 50 * 1024  # KB: nothing was allocated
    assert seconds < 2
    monkeypatch.undo()
    result = run_rag("ask", "-i", index_copy.index_dir, "-c", index_copy.corpus_dir, "Who?")
    assert_one_line_error(result)  # the process survives: exit 2, no signal
    print(f"case 4 ({'huge in manifest too' if manifest_agrees else 'huge header only'}): refused in "
          f"{seconds * 1000:.0f} ms without calling faiss.read_index")


# -- case 7 ------------------------------------------------------------------------------------------------------


def _fewer_bm25_rows(folder: Path, index) -> None:
    chunks = index.chunks[:-1]
    languages = {d.id: d.language for d in index.documents.values()}
    bm25 = bm25s.BM25()
    bm25.index([tokenize(c.text, languages[c.doc_id]) for c in chunks], show_progress=False)
    bm25.save(str(folder / "bm25"), show_progress=False)


def _fewer_vectors(folder: Path, index) -> None:
    flat = faiss.IndexFlatIP(index.dense.d)
    flat.add(index.vectors()[:-1])
    faiss.write_index(flat, str(folder / "dense.faiss"))


def _fewer_chunks(folder: Path, index) -> None:
    path = folder / "chunks.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "edit"),
    [
        (_fewer_bm25_rows, lambda m: m["bm25"].update(documents=m["bm25"]["documents"] - 1)),
        (_fewer_vectors, lambda m: m["dense"].update(vectors=m["dense"]["vectors"] - 1)),
        (_fewer_chunks, None),
        (None, lambda m: m["counts"].update(chunks=m["counts"]["chunks"] - 1)),
    ],
    ids=["bm25-rows", "faiss-vectors", "chunk-records", "manifest-count"],
)
def test_case_07_faiss_vectors_bm25_rows_and_chunk_count_must_agree_on_every_load(index_copy, index, change, edit):
    folder = live(index_copy)
    if change is not None:
        change(folder, index)
    reseal(folder, edit)
    message = refused(index_copy.index_dir)
    assert "chunks" in message and "vectors" in message and "BM25 rows" in message and "the manifest says" in message
