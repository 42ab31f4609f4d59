"""The thin join between retrieval and answering, holding the model and the index once for all callers."""

from __future__ import annotations

import threading
import time

from .answer import answer_question
from .embed import Embedder
from .index import BuildReport, Index, open_index
from .records import Answer, Passage
from .retrieve import Retriever
from .settings import Settings


class Pipeline:
    """Question in, `Answer` out. Safe to share between threads; the index can be swapped while serving."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.model)
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()

    def open(self, *, progress: bool = False, rebuild: bool = False) -> BuildReport:
        """Load the index (building or refreshing it when missing or stale) and start serving from it."""
        report = open_index(self.settings, self.embedder, progress=progress, rebuild=rebuild)
        self.embedder.warm_up()
        with self._lock:
            self._retriever = Retriever(report.index, self.embedder, self.settings)
        return report

    @property
    def index(self) -> Index:
        return self._ready().index

    def _ready(self) -> Retriever:
        retriever = self._retriever
        if retriever is None:
            self.open()
            retriever = self._retriever
        assert retriever is not None
        return retriever

    def search(self, question: str, k: int | None = None) -> list[Passage]:
        return self._ready().search(question, k)

    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        retriever = self._ready()  # one snapshot: a swap mid-question cannot mix two indexes
        passages = retriever.search(question, max(self.settings.top_k, 5))
        answer = answer_question(question, passages, retriever.index)
        return _with_latency(answer, (time.perf_counter() - started) * 1000)


def _with_latency(answer: Answer, latency_ms: float) -> Answer:
    from dataclasses import replace

    return replace(answer, latency_ms=latency_ms)
