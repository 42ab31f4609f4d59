"""The thin join between retrieval and answering, holding the model and the index once for all callers."""

from __future__ import annotations

import threading
import time

from .answer import answer_question
from .embed import Embedder
from .index import BuildReport, Index, open_index
from .knowledge import Knowledge
from .records import Answer, Passage
from .retrieve import Retriever
from .settings import Settings


ANSWER_PASSAGES = 8  # passages the answerer reads (and the caller sees), best first
# Reading a question takes time in proportion to its length (100 KB: half a second, 1 MB: five); a question is
# never this long, so a longer one (from the command line or the API) is cut here.
MAX_QUESTION_CHARS = 1000


class Pipeline:
    """Question in, `Answer` out. Safe to share between threads; the index can be swapped while serving."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.model, encoder=settings.encoder, cache_dir=settings.cache_dir)
        self._serving: tuple[Retriever, Knowledge] | None = None
        self._lock = threading.Lock()

    def open(self, *, progress: bool = False, rebuild: bool = False) -> BuildReport:
        """Load the index (building or refreshing it when missing or stale) and start serving from it."""
        with self._lock:
            report = open_index(self.settings, self.embedder, progress=progress, rebuild=rebuild)
            self.embedder.warm_up()
            self._serving = (Retriever(report.index, self.embedder, self.settings), Knowledge(report.index))
        return report

    @property
    def index(self) -> Index:
        return self._ready()[0].index

    def _ready(self) -> tuple[Retriever, Knowledge]:
        serving = self._serving
        if serving is None:
            self.open()
            serving = self._serving
        assert serving is not None
        return serving

    def search(self, question: str, k: int | None = None) -> list[Passage]:
        return self._ready()[0].search(question[:MAX_QUESTION_CHARS], k)

    def ask(self, question: str) -> Answer:
        """Answer `question`; only its first MAX_QUESTION_CHARS characters are read, as in the chat."""
        started = time.perf_counter()
        question = question[:MAX_QUESTION_CHARS]
        retriever, knowledge = self._ready()  # one snapshot: a swap mid-question cannot mix two indexes
        passages = retriever.search(question, max(self.settings.top_k, ANSWER_PASSAGES))
        answer = answer_question(question, passages, knowledge)
        return _with_latency(answer, (time.perf_counter() - started) * 1000)


def _with_latency(answer: Answer, latency_ms: float) -> Answer:
    from dataclasses import replace

    return replace(answer, latency_ms=latency_ms)
