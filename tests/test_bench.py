"""The benchmark's own parts, on small data: corpora from real sentences, synthetic vectors, row files, quantiles
and the report. (`make bench` itself runs for half an hour and is not part of the test suite.)"""

from __future__ import annotations

import numpy as np
import pytest

from bench import corpus
from bench.measure import min_median, quantiles
from bench.report import render, summary, targets
from bench.scale import RowFile


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "CACHE", tmp_path)
    return tmp_path


def test_documents_and_passages_are_real_sentences_in_a_new_order(cache, tmp_path):
    pool = corpus.real_sentences()
    assert len(pool["de"]) > 50 and len(pool["en"]) > 50
    assert (cache / "sentences.json").is_file()
    folder = corpus.write_documents(tmp_path / "docs", 4, sentences=6)
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == ["doc000000_de.txt", "doc000001_en.txt", "doc000002_de.txt", "doc000003_en.txt"]
    text = files[1].read_text(encoding="utf-8")
    assert sum(sentence in text for sentence in pool["en"]) >= 5
    passages = corpus.chunk_texts(200, words=40)
    assert len(set(passages)) == 200 and all(len(p.split()) >= 40 for p in passages)
    assert passages == corpus.chunk_texts(200, words=40)  # the same seed, the same corpus


def test_synthetic_vectors_are_unit_noisy_copies_and_read_by_rows(cache):
    rng = np.random.default_rng(0)
    real = rng.standard_normal((50, 16)).astype(np.float32)
    real /= np.linalg.norm(real, axis=1, keepdims=True)
    path = corpus.synthetic_vectors(real, 120)
    assert corpus.synthetic_vectors(real, 120) == path  # cached
    vectors = np.load(path)
    assert vectors.shape == (120, 16) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = (vectors[:50] * real).sum(1)
    assert 0.6 < similarity.mean() < 0.98  # near its real vector, not equal to it
    rows = RowFile(path)
    assert rows.shape == (120, 16) and len(rows) == 120
    assert np.array_equal(rows[10:20], vectors[10:20])
    assert np.array_equal(rows[np.array([3, 99])], vectors[[3, 99]])
    queries = corpus.queries_from(vectors, 7)
    assert queries.shape == (7, 16) and np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)


def test_quantiles_and_min_median():
    q = quantiles([0.001 * n for n in range(1, 101)])
    assert q == {"n": 100, "min": 1.0, "p50": 51.0, "p95": 95.0, "max": 100.0}
    assert quantiles([]) == {}
    assert min_median([3.0, 1.0, 2.0]) == {"n": 3, "min": 1.0, "median": 2.0}


def test_report_marks_targets_met_missed_and_unmeasured():
    results = {
        "command": "python -m bench --quick",
        "machine": {"cores": 2, "cpu": "test cpu", "memory_gib": 23},
        "warm": {"bundled": {"total_ms": {"n": 10, "min": 1, "p50": 8.0, "p95": 30.0, "max": 31}}},
        "cold": {"ask": {"seconds": {"n": 3, "min": 0.6, "median": 0.7}}},
        "build": {"encoder": "onnx-int8", "chunks": 1000, "documents": 100, "build_seconds": 40.0,
                  "chunks_per_s": 25.0, "retrieval_index_seconds": 10.0, "stages": {"embed": 9.5},
                  "add_one_document_seconds": {"n": 2, "min": 0.5, "median": 0.6}},
        "encoders": {"onnx-int8": {"chunks": 500, "encode_seconds": 4.0, "chunks_per_s": 110.0}},
        "peer": {"haystack": {"chunks": 1000, "index_seconds": 15.0, "index_chunks_per_s": 66.7,
                              "query_ms": {"n": 5, "p50": 100.0, "p95": 110.0}}},
        "build_warm": {"retrieval_ms": {"n": 5, "p50": 4.0, "p95": 6.0}},
        "quality": {"torch": {"evidence_recall@5": 0.85}, "onnx-int8": {"evidence_recall@5": 0.845}},
    }
    rows = {what: (measured, met) for what, _, measured, met in targets(results)}
    assert rows["warm answer p50, bundled article"] == ("8.0 ms", True)
    assert rows["warm answer p95, bundled article"] == ("30.0 ms", False)
    assert rows["`rag ask` cold, median"] == ("0.7 s", True)
    assert rows["1M chunks: dense query p50"] == ("not measured", None)
    assert rows["warm query vs Haystack, 1000 chunks (Haystack p50 / project p50)"] == ("25.0×", True)
    assert rows["indexing vs Haystack (Haystack s / project encode + write s)"] == ("1.5×", True)
    assert rows["indexing (encode + FAISS + BM25 + write) vs raw onnx-int8 encoder"] == ("0.91×", True)
    assert rows["evidence recall@5, onnx-int8 vs fp32 sentence-transformers index"] == ("-0.5 points", True)
    page = render(results)
    assert page.startswith("# Benchmark") and "| warm answer p95, bundled article | ≤ 25 ms | 30.0 ms | **missed** |" in page
    assert "MISSED" in summary(results) and "not measured" in summary(results)
