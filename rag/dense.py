"""The dense index: exact inner-product search while it is fast, HNSW beyond, memory-mapped when read.

Below `Settings.exact_search_limit` vectors the index is FAISS's `IndexFlatIP` (exact, about 0.7 ms a query at
10k vectors). Above it, `IndexHNSWFlat` (M=32): its search depth (efSearch) is raised until recall@10 against
exact search, measured on queries near the corpus's own vectors, reaches `RECALL_TARGET`. The choice, its
parameters and the measured recall go into the manifest. Files are read with `IO_FLAG_MMAP_IFC`, so the vectors
stay in the page cache instead of being copied into the process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from . import store
from .errors import IndexCorrupt

FLAT = "IndexFlatIP"
HNSW = "IndexHNSWFlat"
FOURCC = {FLAT: b"IxFI", HNSW: b"IHNf"}
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
EF_SEARCH = (64, 128, 256, 512, 1024)  # tried in turn until the recall target is met
RECALL_TARGET = 0.97  # measured on a sample; the promise is 0.95, this leaves room for the sample's error
RECALL_QUERIES = 300
ADD_BATCH = 65_536


def index_type(count: int, exact_search_limit: int) -> str:
    return FLAT if count <= exact_search_limit else HNSW


def build(vectors: np.ndarray, *, exact_search_limit: int) -> tuple[Any, dict[str, Any]]:
    """A FAISS index of `vectors` (unit rows) and its manifest entry (without the file name)."""
    import faiss

    count, dimension = vectors.shape
    kind = index_type(count, exact_search_limit)
    meta: dict[str, Any] = {"type": kind, "dimension": int(dimension), "vectors": int(count)}
    if kind == FLAT:
        index = faiss.IndexFlatIP(dimension)
        _add(index, vectors)
        return index, meta
    index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    _add(index, vectors)
    queries = _queries_near(vectors, RECALL_QUERIES)
    truth = exact_neighbours(vectors, queries, 10)
    for ef in EF_SEARCH:
        index.hnsw.efSearch = ef
        recall = recall_at(index.search(queries, 10)[1], truth)
        if recall >= RECALL_TARGET:
            break
    meta.update(m=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION, ef_search=ef, recall_at_10=round(recall, 4),
                recall_queries=len(queries))
    return index, meta


def _add(index: Any, vectors: np.ndarray) -> None:
    for start in range(0, len(vectors), ADD_BATCH):
        index.add(np.ascontiguousarray(vectors[start : start + ADD_BATCH], dtype=np.float32))


def _queries_near(vectors: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """Questions are not chunks: stored vectors moved by noise of about their own length, renormalised."""
    rng = np.random.default_rng(seed)
    rows = np.asarray(vectors[np.sort(rng.choice(len(vectors), size=min(count, len(vectors)), replace=False))])
    noisy = rows + rng.standard_normal(rows.shape).astype(np.float32) * (0.6 / rows.shape[1] ** 0.5)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def exact_neighbours(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The true top-k rows by inner product, scanning `vectors` in blocks (never a second copy of them)."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), ADD_BATCH):
        block = np.asarray(vectors[start : start + ADD_BATCH], dtype=np.float32)
        scores = queries @ block.T
        scores = np.concatenate([best_scores, scores], axis=1)
        ids = np.concatenate([best_ids, np.broadcast_to(np.arange(start, start + len(block)), (len(queries), len(block)))], axis=1)
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.take_along_axis(scores, top, axis=1)
        best_ids = np.take_along_axis(ids, top, axis=1)
    return best_ids


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    """Share of the true top-k that the approximate top-k holds, over all queries."""
    k = truth.shape[1]
    hits = sum(len(set(f[:k].tolist()) & set(t.tolist())) for f, t in zip(found, truth))
    return hits / truth.size if truth.size else 1.0


def write(index: Any, path: Path) -> None:
    """Write through a Python file: a full disk or an I/O error raises OSError (FAISS's own writer only prints
    it and leaves a short file)."""
    import faiss

    with open(path, "wb") as handle:
        faiss.write_index(index, faiss.PyCallbackIOWriter(handle.write))


def read(path: Path, meta: dict[str, Any]) -> Any:
    """Read and check a dense index file; the vectors are memory-mapped, not copied."""
    import faiss

    store.check_faiss_header(path, fourcc=FOURCC.get(meta["type"]), kind=meta["type"], dimension=meta["dimension"],
                             vectors=meta["vectors"], flat=meta["type"] == FLAT)
    try:
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise IndexCorrupt(f"{path} is damaged ({first}): run `rag index --rebuild`") from None
    if index.d != meta["dimension"] or index.ntotal != meta["vectors"]:
        raise IndexCorrupt(
            f"{path} has {index.ntotal} vectors of dimension {index.d}, the manifest says "
            f"{meta['vectors']} of {meta['dimension']}: run `rag index --rebuild`"
        )
    if meta["type"] == HNSW:
        ef = meta.get("ef_search")
        if not isinstance(ef, int) or ef < 1:
            raise IndexCorrupt(f"{path}: the manifest lacks a valid dense.ef_search: run `rag index --rebuild`")
        index.hnsw.efSearch = ef
    return index
