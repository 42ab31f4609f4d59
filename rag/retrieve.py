"""Hybrid retrieval: dense (FAISS inner product) and BM25 rankings fused by reciprocal rank fusion.

Retrieval knows nothing about answering: it takes a question and returns ranked `Passage`s.
"""

from __future__ import annotations

import numpy as np

from .embed import Embedder
from .index import Index
from .lexical import query_tokens
from .records import Passage
from .settings import Settings


def top_positive(scores: np.ndarray, depth: int) -> list[int]:
    """Rows of the `depth` highest positive scores, best first (ties by row); linear time in len(scores)."""
    if depth < len(scores):
        candidates = np.argpartition(-scores, depth - 1)[:depth]
    else:
        candidates = np.arange(len(scores))
    ranked = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
    return [i for i in ranked if scores[i] > 0]


def fuse(rankings: list[list[int]], rrf_k: int) -> dict[int, float]:
    """Reciprocal rank fusion: each ranking adds 1 / (rrf_k + rank) to the rows it holds."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, i in enumerate(ranking):
            fused[i] = fused.get(i, 0.0) + 1.0 / (rrf_k + rank + 1)
    return fused


class Retriever:
    def __init__(self, index: Index, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings

    def search(self, question: str, k: int | None = None) -> list[Passage]:
        """The top `k` passages for `question`, best first; empty for a question with no words."""
        k = k or self.settings.top_k
        total = len(self.index.chunks)
        if total == 0 or not question.strip():
            return []
        depth = min(total, max(self.settings.candidates, k))
        query = self.embedder.encode([question])
        dense_scores, dense_ids = self.index.dense.search(query, depth)
        dense_rank = [int(i) for i in dense_ids[0] if i >= 0]
        bm25_scores = self._bm25_scores(question)
        bm25_rank = top_positive(bm25_scores, depth)
        fused = fuse([dense_rank, bm25_rank], self.settings.rrf_k)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        cosine = self._cosines(query[0], best)
        return [self._passage(i, fused[i], cosine[n], float(bm25_scores[i])) for n, i in enumerate(best)]

    def _bm25_scores(self, question: str) -> np.ndarray:
        bm25 = self.index.bm25
        ids = bm25.get_tokens_ids(query_tokens(question))
        if not ids:
            return np.zeros(len(self.index.chunks), dtype=np.float32)
        return np.asarray(bm25.get_scores_from_ids(ids), dtype=np.float32)

    def _cosines(self, query: np.ndarray, ids: list[int]) -> list[float]:
        return [float(np.dot(self.index.dense.reconstruct(i), query)) for i in ids]

    def _passage(self, i: int, score: float, dense: float, bm25: float) -> Passage:
        chunk = self.index.chunks[i]
        return Passage(
            chunk_id=chunk.id,
            doc_id=chunk.doc_id,
            doc=self.index.documents[chunk.doc_id].name,
            start=chunk.start,
            end=chunk.end,
            text=chunk.text,
            score=round(score, 6),
            dense_score=round(dense, 6),
            bm25_score=round(bm25, 6),
            first_sentence=chunk.first_sentence,
            last_sentence=chunk.last_sentence,
        )
