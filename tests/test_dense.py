"""The dense index follows the corpus size (exact, then HNSW with measured recall), is read memory-mapped, and
an incremental build re-splits only the documents that changed."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from helpers import ARTICLES, make_corpus
from rag import dense
from rag.errors import IndexCorrupt
from rag.index import load_index, open_index, stale_reasons
from rag.pipeline import Pipeline
from rag.retrieve import fuse, top_positive
from rag.settings import Settings


def clustered(count: int, dim: int = 64, seed: int = 0) -> np.ndarray:
    """Unit vectors around a few hundred centres: a harder set than uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, count // 20), dim)).astype(np.float32)
    rows = centres[rng.integers(0, len(centres), count)] + 0.5 * rng.standard_normal((count, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_index_type_follows_size():
    assert dense.index_type(50_000, 50_000) == dense.FLAT
    assert dense.index_type(50_001, 50_000) == dense.HNSW
    assert dense.index_type(1, 0) == dense.HNSW


def test_exact_neighbours_and_recall():
    vectors, queries = clustered(3000), clustered(20, seed=1)
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    found = dense.exact_neighbours(vectors, queries, 10)
    assert all(set(f) == set(t) for f, t in zip(found.tolist(), truth.tolist()))
    assert dense.recall_at(found, truth) == 1.0
    assert dense.recall_at(np.full_like(truth, -1), truth) == 0.0


def test_hnsw_is_chosen_tuned_recorded_and_read_back_mapped(tmp_path, monkeypatch):
    vectors = clustered(4000)
    monkeypatch.setattr(dense, "ADD_BATCH", 1000)  # several blocks, as at scale
    index, meta = dense.build(vectors, exact_search_limit=1000)
    assert meta["type"] == dense.HNSW and meta["vectors"] == 4000 and meta["dimension"] == 64
    assert meta["recall_at_10"] >= dense.RECALL_TARGET and meta["ef_search"] in dense.EF_SEARCH
    path = tmp_path / "dense.faiss"
    dense.write(index, path)
    loaded = dense.read(path, meta)
    assert loaded.hnsw.efSearch == meta["ef_search"]
    queries = clustered(50, seed=2)
    assert np.array_equal(loaded.search(queries, 10)[1], index.search(queries, 10)[1])
    assert dense.recall_at(loaded.search(queries, 10)[1], dense.exact_neighbours(vectors, queries, 10)) >= 0.95
    assert np.allclose(loaded.reconstruct(7), vectors[7])


def test_flat_is_exact_and_a_wrong_file_is_refused(tmp_path):
    vectors = clustered(500)
    index, meta = dense.build(vectors, exact_search_limit=1000)
    assert meta == {"type": dense.FLAT, "dimension": 64, "vectors": 500}
    path = tmp_path / "dense.faiss"
    dense.write(index, path)
    queries = clustered(5, seed=3)
    found = dense.read(path, meta).search(queries, 10)[1]
    assert [set(row) for row in found.tolist()] == [set(row) for row in dense.exact_neighbours(vectors, queries, 10).tolist()]
    with pytest.raises(IndexCorrupt, match="is not a IndexHNSWFlat FAISS index"):
        dense.read(path, {**meta, "type": dense.HNSW})
    with pytest.raises(IndexCorrupt, match="the manifest says 499"):
        dense.read(path, {**meta, "vectors": 499})


def test_top_positive_and_fusion():
    scores = np.array([0.0, 3.0, 1.0, 3.0, 2.0, -1.0], dtype=np.float32)
    assert top_positive(scores, 3) == [1, 3, 4]
    assert top_positive(scores, 10) == [1, 3, 4, 2]
    assert fuse([[1, 2], [2]], 60) == {1: 1 / 61, 2: 1 / 62 + 1 / 61}


def test_project_index_switches_to_hnsw_past_the_limit(tmp_path, embedder, pipeline):
    settings = Settings(corpus_dir=make_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index", exact_search_limit=0)
    built = open_index(settings, embedder)
    manifest = built.index.manifest["dense"]
    assert manifest["type"] == dense.HNSW and manifest["recall_at_10"] == 1.0  # a tiny index is searched exactly
    hnsw = Pipeline(settings, embedder=embedder)
    for question in ("Who attended the Amazon meeting?", "Wann traf Lee den Qualcomm-Chef?"):
        assert [p.chunk_id for p in hnsw.search(question, 5)] == [p.chunk_id for p in pipeline.search(question, 5)]
    flat = Settings(corpus_dir=settings.corpus_dir, index_dir=settings.index_dir)
    assert stale_reasons(load_index(settings.index_dir).manifest, flat, embedder.info) == [
        "dense index type changed (IndexHNSWFlat -> IndexFlatIP)"
    ]


def test_adding_a_document_splits_only_that_document(tmp_path, embedder):
    corpus = make_corpus(tmp_path / "corpus", *ARTICLES[:2])
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    first = open_index(settings, embedder)
    assert first.split == 2
    shutil.copy(ARTICLES[2], corpus / ARTICLES[2].name)
    added = open_index(settings, embedder)
    assert added.rebuilt and added.split == 1 and added.embedded < len(added.index.chunks)
    full = open_index(Settings(corpus_dir=corpus, index_dir=tmp_path / "full"), embedder)
    assert added.index.chunks == full.index.chunks
    assert added.index.sentences == full.index.sentences
