"""One frozen settings record; every option has a `RAG_*` environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import RagError

DEFAULT_MODEL = "bundled:all-MiniLM-L6-v2"
ENCODERS = ("auto", "torch", "onnx", "onnx-int8")  # see rag/embed.py
# Derived files that can always be made again (the model's ONNX export): $XDG_CACHE_HOME/rag or ~/.cache/rag.
DEFAULT_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rag"


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL  # a sentence-transformers model name or path; the default is the bundled one
    chunk_sentences: int = 4  # sentences per chunk (4 with overlap 1 retrieved best on the Q&A sets)
    chunk_overlap: int = 1  # sentences shared by neighbouring chunks
    top_k: int = 5  # passages returned by retrieval
    candidates: int = 30  # candidates taken from each retriever before fusion
    rrf_k: int = 60  # reciprocal rank fusion constant (Cormack et al.)
    batch_size: int = 32
    exact_search_limit: int = 50_000  # up to this many chunks: exact dense search; beyond: HNSW (rag/dense.py)
    encoder: str = "auto"  # what runs the model: auto, torch, onnx or onnx-int8 (RAG_ENCODER)
    cache_dir: Path = DEFAULT_CACHE_DIR  # where the model's ONNX export is kept (RAG_CACHE_DIR)

    def __post_init__(self) -> None:
        if self.chunk_sentences < 1:
            raise RagError(f"chunk_sentences must be at least 1, got {self.chunk_sentences}")
        if not 0 <= self.chunk_overlap < self.chunk_sentences:
            raise RagError(
                f"chunk_overlap must be between 0 and chunk_sentences - 1, got {self.chunk_overlap}"
            )
        if self.top_k < 1:
            raise RagError(f"top_k must be at least 1, got {self.top_k}")
        if self.exact_search_limit < 0:
            raise RagError(f"exact_search_limit must be 0 or more, got {self.exact_search_limit}")
        if self.encoder not in ENCODERS:
            raise RagError(f"encoder must be one of {', '.join(ENCODERS)}, got {self.encoder!r}")

    def with_(self, **changes: object) -> "Settings":
        """A copy with the given fields changed; `None` values keep the current value."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Settings from `RAG_<FIELD>` variables (e.g. RAG_INDEX_DIR, RAG_EMBED_MODEL)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            name = "RAG_EMBED_MODEL" if f.name == "model" else f"RAG_{f.name.upper()}"
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            default = f.default
            try:
                if isinstance(default, Path):
                    values[f.name] = Path(raw)
                elif isinstance(default, int):
                    values[f.name] = int(raw)
                else:
                    values[f.name] = raw
            except ValueError:
                raise RagError(f"{name}={raw!r} is not a whole number") from None
        return cls(**values)

    @property
    def chunking(self) -> dict[str, int]:
        """The settings that shape the stored chunks: a change makes the index stale."""
        return {"chunk_sentences": self.chunk_sentences, "chunk_overlap": self.chunk_overlap}
