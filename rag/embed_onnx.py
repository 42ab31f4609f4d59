"""The embedding model on ONNX Runtime: a query encoded in milliseconds without importing torch.

The export is made here, offline, from the sentence-transformers model already on disk: the transformer, mean
pooling and normalisation traced into one ONNX graph (`torch.onnx.export`), plus a dynamically quantised int8
copy (`onnxruntime.quantization.quantize_dynamic`). Both are checked against sentence-transformers on sample
texts before they are kept, and cached in `<cache>/onnx/<model sha256>-v<EXPORT_VERSION>/`. Text is tokenised
with the model's own `tokenizer.json` through the `tokenizers` package, as sentence-transformers does.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import threading
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .store import file_sha256

EXPORT_VERSION = 2
VARIANTS = {"onnx": "model.onnx", "onnx-int8": "model-int8.onnx"}
# Dynamic quantisation scales a run's activations together: one text per run keeps a text's vector
# independent of the texts batched with it (and, without padding, costs little).
ONE_TEXT_PER_RUN = {"onnx-int8"}
MIN_COSINE = {"onnx": 0.999, "onnx-int8": 0.98}  # against sentence-transformers, on every sample text
META = "meta.json"
SAMPLE_TEXTS = (
    "Who attended the Amazon meeting?",
    "Wann traf Lee den Qualcomm-Chef?",
    "Am 10. Juni lud Lee den Präsidenten und CEO von Qualcomm, Cristiano Amon, in das Büro von Samsung ein.",
    "The board approved the merger on Tuesday; the deal is worth 4.2 billion euros and closes in March.",
    "Tor!",
    "Das Pokalfinale endete 2:1 nach Verlängerung, nachdem der Kapitän in der 118. Minute getroffen hatte. " * 12,
)


class ExportUnavailable(Exception):
    """This model cannot be exported, or the tools for it are missing; the caller falls back to torch."""


class ExportFailed(ExportUnavailable):
    """The export was tried and failed (or failed its check); remembered so it is not tried on every run."""


def runtime_available() -> bool:
    """onnxruntime and tokenizers importable (checked without importing them)."""
    from importlib.util import find_spec

    return find_spec("onnxruntime") is not None and find_spec("tokenizers") is not None


def exporter_missing() -> str | None:
    """Why an export cannot be made here (torch and onnx are needed once, to make it); None when it can."""
    from importlib.util import find_spec

    missing = [name for name in ("torch", "onnx") if find_spec(name) is None]
    return f"{' and '.join(missing)} not installed, needed once to export the model" if missing else None


def export_folder(cache_dir: Path, model_sha256: str) -> Path:
    return Path(cache_dir).expanduser() / "onnx" / f"{model_sha256}-v{EXPORT_VERSION}"


def failure(folder: Path) -> str | None:
    """Why an earlier export of this model failed, if one did (delete the .failed file to try again)."""
    marker = folder.with_name(folder.name + ".failed")
    try:
        return f"{marker.read_text(encoding='utf-8').strip()} (delete {marker} to try again)"
    except OSError:
        return None


def read_export(folder: Path, model_sha256: str) -> dict[str, Any] | None:
    """The export's metadata when it is complete, for this model, and its files are unchanged; else None."""
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("model_sha256") != model_sha256:
        return None
    if meta.get("export_version") != EXPORT_VERSION or not isinstance(meta.get("files"), dict):
        return None
    for name, entry in meta["files"].items():
        try:
            stat = (folder / name).stat()
        except OSError:
            return None
        if stat.st_size != entry.get("size") or stat.st_mtime_ns != entry.get("mtime_ns"):
            if file_sha256(folder / name) != entry.get("sha256"):
                return None
    return meta


def supported(model_dir: Path) -> bool:
    """A plain Transformer -> mean Pooling -> Normalize model with a fast tokenizer file."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules if isinstance(m, dict)]
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    return (
        kinds == ["Transformer", "Pooling", "Normalize"]
        and modes == {"pooling_mode_mean_tokens"}
        and (model_dir / "tokenizer.json").is_file()
    )


def ensure_export(cache_dir: Path, model_dir: Path, model_sha256: str, load_torch_model) -> dict[str, Any]:
    """The verified export for this model, making it first when there is none. Raises ExportUnavailable.

    `load_torch_model()` returns the loaded SentenceTransformer; it is only called when an export is made.
    """
    folder = export_folder(cache_dir, model_sha256)
    meta = read_export(folder, model_sha256)
    if meta is not None:
        return meta
    if not supported(model_dir):
        raise ExportUnavailable(f"{model_dir} is not a Transformer + mean pooling + normalize model")
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _lock(folder.parent / ".lock"):
        meta = read_export(folder, model_sha256)  # another process may have made it meanwhile
        if meta is not None:
            return meta
        temp = folder.parent / f".tmp-{uuid.uuid4().hex[:12]}"
        temp.mkdir()
        try:
            try:
                meta = _export(temp, model_dir, model_sha256, load_torch_model())
            except ExportFailed as exc:
                folder.with_name(folder.name + ".failed").write_text(f"{exc}\n", encoding="utf-8")
                raise
            if folder.exists():
                shutil.rmtree(folder)
            os.rename(temp, folder)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
    return meta


def _export(folder: Path, model_dir: Path, model_sha256: str, st_model) -> dict[str, Any]:
    try:
        import onnx  # noqa: F401  (torch's exporter and the quantiser need it)
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ExportUnavailable(f"{exc.name} is not installed (pip install onnx onnxruntime)") from None

    started = time.perf_counter()
    transformer = st_model[0].auto_model
    traced = folder / "traced.onnx"
    attention = getattr(transformer.config, "_attn_implementation", None)
    try:
        # Eager attention traces into plain MatMul/Softmax nodes, which ONNX Runtime's BERT optimiser fuses.
        _set_attention(transformer, "eager")
        inputs = _trace(torch, transformer, traced)
    finally:
        _set_attention(transformer, attention)
    with _quiet_root_logger(), contextlib.redirect_stdout(sys.stderr):
        _optimise(traced, folder / VARIANTS["onnx"], transformer.config)
        with _failures_as("quantising to int8"):
            quantize_dynamic(str(traced), str(folder / VARIANTS["onnx-int8"]), weight_type=QuantType.QInt8,
                             per_channel=True, nodes_to_exclude=_fp32_nodes(traced))
    traced.unlink()

    max_tokens = int(st_model.max_seq_length or 256)
    reference = st_model.encode(list(SAMPLE_TEXTS), convert_to_numpy=True, normalize_embeddings=True)
    meta: dict[str, Any] = {
        "model_sha256": model_sha256,
        "export_version": EXPORT_VERSION,
        "inputs": inputs,
        "dimension": int(reference.shape[1]),
        "max_tokens": max_tokens,
        "files": {},
        "min_cosine": {},
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    for variant, name in VARIANTS.items():
        encoder = OnnxEncoder(folder / name, model_dir, meta, one_text_per_run=variant in ONE_TEXT_PER_RUN)
        batched = encoder.encode(list(SAMPLE_TEXTS), batch_size=len(SAMPLE_TEXTS))
        alone = np.vstack([encoder.encode([text]) for text in SAMPLE_TEXTS])
        cosine = float(min((batched * reference).sum(1).min(), (alone * reference).sum(1).min()))
        meta["min_cosine"][variant] = round(cosine, 6)
        if cosine < MIN_COSINE[variant]:
            if variant == "onnx":
                raise ExportFailed(f"the ONNX export differs from sentence-transformers (cosine {cosine:.4f})")
            (folder / name).unlink()  # kept out: the int8 copy is not good enough on this machine
            continue
        stat = (folder / name).stat()
        meta["files"][name] = {"sha256": file_sha256(folder / name), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    meta["seconds"] = round(time.perf_counter() - started, 2)
    (folder / META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


def _set_attention(transformer, implementation: str | None) -> None:
    if implementation is None:
        return
    if hasattr(transformer, "set_attn_implementation"):
        transformer.set_attn_implementation(implementation)
    else:  # pragma: no cover - older transformers
        transformer.config._attn_implementation = implementation


def _trace(torch, transformer, path: Path) -> list[str]:
    """Transformer + mean pooling + normalisation as one ONNX graph; returns its input names."""
    import inspect

    takes_types = "token_type_ids" in inspect.signature(transformer.forward).parameters
    inputs = ["input_ids", "attention_mask"] + (["token_type_ids"] if takes_types else [])

    class Pooled(torch.nn.Module):
        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            extra = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
            tokens = self.model(input_ids=input_ids, attention_mask=attention_mask, **extra)[0]
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    example = tuple(torch.ones((2, 8), dtype=torch.long) for _ in inputs)
    with warnings.catch_warnings(), torch.no_grad(), _failures_as("exporting to ONNX"):
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(transformer.eval()),
            example,
            str(path),
            input_names=inputs,
            output_names=["embedding"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in inputs} | {"embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    return inputs


def _optimise(source: Path, target: Path, config) -> None:
    """ONNX Runtime's transformer optimiser (fused attention, layer norms, GELU) for BERT-like models; the
    plain trace when it does not apply. Either way the result is checked against sentence-transformers."""
    try:
        from onnxruntime.transformers import optimizer

        model = optimizer.optimize_model(
            str(source), model_type="bert", num_heads=int(config.num_attention_heads),
            hidden_size=int(config.hidden_size), opt_level=1,
        )
        model.save_model_to_file(str(target))
    except Exception:  # an architecture the optimiser does not know: keep the plain trace
        shutil.copy(source, target)


def _fp32_nodes(path: Path) -> list[str]:
    """MatMuls left in float32 by the int8 copy: each layer's feed-forward output projection, whose
    activations have the outliers that per-tensor int8 scales handle worst (min cosine 0.96 -> 0.986)."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and "/output/dense/" in n.name
            and "/attention/" not in n.name]


class OnnxEncoder:
    """One exported model on ONNX Runtime. Two sessions, made on first use: one thread for a few texts
    (a query), all cores for batches (an index build)."""

    def __init__(self, path: Path, model_dir: Path, meta: dict[str, Any], *, one_text_per_run: bool = False) -> None:
        self.path = Path(path)
        self.one_text_per_run = one_text_per_run
        self.dimension = int(meta["dimension"])
        self.max_tokens = int(meta["max_tokens"])
        self._tokenizer = _tokenizer(model_dir / "tokenizer.json", self.max_tokens)
        self._sessions: dict[int, Any] = {}
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        """Whether a session (and with it its thread pool) has been made."""
        return bool(self._sessions)

    def _session(self, threads: int):
        with self._lock:
            return self._sessions.get(threads) or self._new_session(threads)

    def _new_session(self, threads: int):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            session = onnxruntime.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"cannot load {self.path} ({exc}): delete that folder to export it again") from None
        self._sessions[threads] = session
        return session

    def encode(self, texts: list[str], *, batch_size: int = 32, threads: int = 0, progress: bool = False) -> np.ndarray:
        """Unit vectors, in the order of `texts`. Batches hold texts of similar length (less padding).

        One text per run (the int8 model): a single-threaded session per core, the texts shared out among them.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        cores = threads or (1 if len(texts) <= 4 else (os.cpu_count() or 1))
        if self.one_text_per_run:
            batch_size, workers, session = 1, cores, self._session(1)
        else:
            workers, session = 1, self._session(cores)
        inputs = [i.name for i in session.get_inputs()]
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        batches = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(batches), desc="embedding", unit="batch", file=sys.stderr)

        def run(rows: list[int]) -> None:
            width = max(len(encodings[i].ids) for i in rows)
            feed = {name: np.zeros((len(rows), width), dtype=np.int64) for name in inputs}
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                feed["input_ids"][r, :n] = encodings[i].ids
                feed["attention_mask"][r, :n] = 1
                if "token_type_ids" in feed:
                    feed["token_type_ids"][r, :n] = encodings[i].type_ids
            out[rows] = session.run(None, feed)[0]  # ONNX Runtime releases the GIL while it runs
            if bar is not None:
                bar.update()

        try:
            if workers == 1 or len(batches) == 1:
                for rows in batches:
                    run(rows)
            else:
                from concurrent.futures import ThreadPoolExecutor

                with ThreadPoolExecutor(max_workers=workers) as pool:
                    list(pool.map(run, batches))
        finally:
            if bar is not None:
                bar.close()
        return out


def _tokenizer(path: Path, max_tokens: int):
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises its own Exception type
        raise ModelError(f"{path} is not a tokenizer file ({exc})") from None
    tokenizer.no_padding()  # padding is done per batch, to the longest text in it
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


@contextlib.contextmanager
def _failures_as(step: str):
    try:
        yield
    except Exception as exc:  # the exporter and quantiser raise many kinds; all mean "no export"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise ExportFailed(f"{step} failed: {first}") from None


@contextlib.contextmanager
def _quiet_root_logger():
    """The quantiser logs advice on the root logger; keep it off the user's screen."""
    import logging

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


@contextlib.contextmanager
def _lock(path: Path):
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
