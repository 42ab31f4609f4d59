"""Scale: the project's dense index and BM25 at 1k .. 1M chunks, built and served in separate processes.

    python -m bench.scale build SIZE REAL_VECTORS.npy      -> dense (the project's choice) + BM25, build figures
    python -m bench.scale serve SIZE                       -> query latency, recall@10 against exact, memory

Vectors: up to the number of real chunk vectors, the real ones; beyond, real vectors plus noise (bench.corpus).
BM25 runs on generated passages of real sentences, tokenised by the project's own tokenizer.
Everything lives in bench/cache/scale-SIZE/.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from bench.corpus import CACHE, QA_DIR, chunk_texts, npy_shape, queries_from, read_rows, synthetic_vectors
from bench.measure import peak_rss_mb, quantiles

QUERIES = 200  # for latency and recall
DEPTH = 30  # candidates per retriever before fusion, as Settings.candidates
BM25_BATCH = 100_000


class RowFile:
    """A 2-d float32 .npy file that reads the rows asked for (slices or row lists) without mapping it whole,
    so a build holds only FAISS's copy of the vectors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shape = npy_shape(path)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, _ = key.indices(len(self))
            return read_rows(self.path, start, stop)
        rows = np.asarray(key)
        return np.vstack([read_rows(self.path, int(i), int(i) + 1) for i in rows])


def folder(size: int) -> Path:
    return CACHE / f"scale-{size}"


def vectors_file(size: int, real_path: Path) -> Path:
    real = np.load(real_path, mmap_mode="r")
    if size <= len(real):
        path = CACHE / f"vectors-{size}-real.npy"
        if not path.is_file():
            np.save(path, np.ascontiguousarray(real[:size]), allow_pickle=False)
        return path
    return synthetic_vectors(np.asarray(real), size)


def build(size: int, real_path: Path) -> dict:
    import bm25s

    from rag import dense
    from rag.lexical import tokenize
    from rag.settings import Settings

    out = folder(size)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    path = vectors_file(size, real_path)
    synthesis = time.perf_counter() - started
    vectors = RowFile(path)
    limit = Settings().exact_search_limit

    started = time.perf_counter()
    index, meta = dense.build(vectors, exact_search_limit=limit)
    dense_seconds = time.perf_counter() - started
    dense.write(index, out / "dense.faiss")
    del index
    dense_rss = peak_rss_mb()

    queries = queries_from(vectors, QUERIES, seed=7)
    started = time.perf_counter()
    truth = dense.exact_neighbours(vectors, queries, 10)
    exact_scan = time.perf_counter() - started
    np.save(out / "queries.npy", queries, allow_pickle=False)
    np.save(out / "truth.npy", truth, allow_pickle=False)

    started = time.perf_counter()
    texts = chunk_texts(size, seed=size)
    generate = time.perf_counter() - started
    started = time.perf_counter()
    tokens = []
    for n, text in enumerate(texts):
        tokens.append(tokenize(text, "de" if n % 2 == 0 else "en"))
    del texts
    tokenise = time.perf_counter() - started
    started = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    del tokens
    bm25.save(str(out / "bm25"), show_progress=False)
    bm25_seconds = time.perf_counter() - started
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return {
        "size": size,
        "vectors": "real" if "real" in path.name else f"synthetic from {path.name.split('-from-')[1].split('-')[0]} real",
        "synthesis_seconds": round(synthesis, 2),
        "dense": meta,
        "dense_build_seconds": round(dense_seconds, 2),
        "dense_build_peak_rss_mb": dense_rss,
        "ground_truth_seconds": round(exact_scan, 2),
        "bm25_generate_seconds": round(generate, 2),
        "bm25_tokenise_seconds": round(tokenise, 2),
        "bm25_index_seconds": round(bm25_seconds, 2),
        "build_peak_rss_mb": peak_rss_mb(),
    }


def serve(size: int) -> dict:
    import bm25s

    from rag import dense
    from rag.evaluate import load_qa
    from rag.lexical import query_tokens
    from rag.retrieve import fuse, top_positive

    out = folder(size)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    index = dense.read(out / "dense.faiss", meta)
    bm25 = bm25s.BM25.load(str(out / "bm25"), mmap=True, allow_pickle=False, show_progress=False)
    load = time.perf_counter() - started
    queries = np.load(out / "queries.npy")
    truth = np.load(out / "truth.npy")
    questions = [row.question for path in sorted(QA_DIR.glob("*.jsonl")) for row in load_qa(path)]

    for q in queries[:20]:  # first touches of the mapped pages are not what a warm server sees
        index.search(q[None, :], DEPTH)
    found = np.vstack([index.search(q[None, :], 10)[1] for q in queries])
    recall = dense.recall_at(found, truth)
    dense_times, bm25_times, hybrid_times = [], [], []
    for n, q in enumerate(queries):
        question = questions[n % len(questions)]
        started = time.perf_counter()
        _, ids = index.search(q[None, :], DEPTH)
        middle = time.perf_counter()
        token_ids = bm25.get_tokens_ids(query_tokens(question))
        scores = (np.asarray(bm25.get_scores_from_ids(token_ids), dtype=np.float32) if token_ids
                  else np.zeros(size, dtype=np.float32))
        ranking = top_positive(scores, DEPTH)
        fused = fuse([[int(i) for i in ids[0] if i >= 0], ranking], 60)
        sorted(fused, key=lambda i: (-fused[i], i))[:8]
        done = time.perf_counter()
        dense_times.append(middle - started)
        bm25_times.append(done - middle)
        hybrid_times.append(done - started)
    serve_rss = peak_rss_mb()

    exact = np.load(CACHE / _vectors_name(size), mmap_mode="r")
    exact_times = []
    for q in queries[:20]:
        started = time.perf_counter()
        scores = exact @ q
        np.argpartition(-scores, 10)[:10]
        exact_times.append(time.perf_counter() - started)
    return {
        "size": size,
        "index_type": meta["type"],
        "load_seconds": round(load, 3),
        "recall_at_10": round(recall, 4),
        "dense_ms": quantiles(dense_times),
        "bm25_ms": quantiles(bm25_times),
        "hybrid_ms": quantiles(hybrid_times),
        "exact_numpy_ms": quantiles(exact_times),
        "serve_peak_rss_mb": serve_rss,
        "dense_file_mb": round((out / "dense.faiss").stat().st_size / 2**20, 1),
    }


def _vectors_name(size: int) -> str:
    real = CACHE / f"vectors-{size}-real.npy"
    if real.is_file():
        return real.name
    return next(CACHE.glob(f"vectors-{size}-from-*.npy")).name


def main(argv: list[str]) -> int:
    step, size = argv[0], int(argv[1])
    result = build(size, Path(argv[2])) if step == "build" else serve(size)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
