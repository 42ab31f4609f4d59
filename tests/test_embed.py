"""The encoders: the ONNX export gives sentence-transformers' vectors, the query path never imports torch,
and a missing runtime or a failed export falls back to sentence-transformers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag import embed_onnx
from rag.embed import Embedder
from rag.errors import ModelError, RagError
from rag.index import stale_reasons
from rag.settings import DEFAULT_CACHE_DIR, Settings

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Who attended the Amazon meeting?",
    "Wann traf Lee den Qualcomm-Chef?",
    "Lees letztes großes Treffen in den USA fand am 12. Juni mit Amazon-CEO Andy Jassy statt.",
    "x",
    "Ein sehr langer Absatz über das Pokalfinale. " * 60,  # past the model's 256 tokens: truncated alike
]


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    model = Embedder(encoder="torch")
    model.warm_up()
    return model


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
    )


@pytest.fixture(scope="module")
def fp32_embedder() -> Embedder:
    return Embedder(encoder="onnx")


def test_onnx_export_matches_sentence_transformers(fp32_embedder, torch_embedder, index):
    assert fp32_embedder.info.encoder == "onnx"
    texts = TEXTS + [chunk.text for chunk in index.chunks]
    onnx, torch = fp32_embedder.encode(texts), torch_embedder.encode(texts)
    assert onnx.shape == torch.shape == (len(texts), 384) and onnx.dtype == np.float32
    assert (onnx * torch).sum(1).min() >= 0.999
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    # one text alone and the same text in a padded batch give the same vector
    assert np.allclose(fp32_embedder.encode([TEXTS[2]])[0], onnx[2], atol=1e-5)
    assert fp32_embedder.dimension == torch_embedder.dimension
    assert fp32_embedder.max_tokens == torch_embedder.max_tokens


def test_default_encoder_is_int8_close_to_sentence_transformers(embedder, torch_embedder, index):
    assert embedder.info.encoder == "onnx-int8"
    texts = TEXTS + [chunk.text for chunk in index.chunks]
    int8, torch = embedder.encode(texts), torch_embedder.encode(texts)
    assert int8.shape == torch.shape and int8.dtype == np.float32
    assert (int8 * torch).sum(1).min() >= embed_onnx.MIN_COSINE["onnx-int8"]
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    # one text per run: a text's vector does not depend on the texts encoded with it
    assert np.array_equal(embedder.encode([texts[3]])[0], int8[3])
    assert np.array_equal(embedder.encode(texts[3:1:-1]), int8[[3, 2]])


def test_export_is_cached_checked_and_recorded(embedder):
    folder = embed_onnx.export_folder(DEFAULT_CACHE_DIR, embedder.info.sha256)
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["model_sha256"] == embedder.info.sha256
    assert meta["min_cosine"]["onnx"] >= embed_onnx.MIN_COSINE["onnx"]
    assert meta["min_cosine"]["onnx-int8"] >= embed_onnx.MIN_COSINE["onnx-int8"]
    assert set(meta["files"]) == {"model.onnx", "model-int8.onnx"}
    assert embed_onnx.read_export(folder, embedder.info.sha256) == meta
    assert embed_onnx.read_export(folder, "0" * 64) is None  # another model's export is never used


def test_a_changed_export_file_is_not_used(embedder, tmp_path):
    source = embed_onnx.export_folder(DEFAULT_CACHE_DIR, embedder.info.sha256)
    folder = embed_onnx.export_folder(tmp_path, embedder.info.sha256)
    folder.mkdir(parents=True)
    meta = json.loads((source / "meta.json").read_text())
    (folder / "model.onnx").write_bytes(b"not a model")
    meta["files"] = {"model.onnx": meta["files"]["model.onnx"]}
    (folder / "meta.json").write_text(json.dumps(meta))
    assert embed_onnx.read_export(folder, embedder.info.sha256) is None


def test_query_path_does_not_import_torch(embedder):
    code = (
        "import sys\n"
        "from rag.embed import Embedder\n"
        "e = Embedder()\n"
        "v = e.encode(['Who attended the Amazon meeting?'])\n"
        "assert v.shape == (1, 384), v.shape\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "print(e.info.encoder, heavy)\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "onnx-int8 []"


def test_falls_back_to_sentence_transformers_without_onnxruntime(embedder):
    code = (
        "import sys\n"
        "sys.modules['onnxruntime'] = None  # as if it were not installed\n"
        "from rag.embed import Embedder\n"
        "e = Embedder()\n"
        "v = e.encode(['Who attended the Amazon meeting?'])\n"
        "print(e.info.encoder, v.shape, 'torch' in sys.modules)\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "torch (1, 384) True"


def test_explicit_onnx_without_onnxruntime_is_one_clear_error(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['onnxruntime'] = None\n"
        "from rag.cli import main\n"
        "sys.exit(main(['ask', 'Who?', '--index', sys.argv[1] if len(sys.argv) > 1 else 'x']))\n"
    )
    result = _run(code, RAG_ENCODER="onnx", RAG_INDEX_DIR=str(tmp_path / "index"))
    assert result.returncode == 2
    assert result.stderr.startswith("rag: error: cannot use the onnx encoder: onnxruntime is not installed")


def test_a_failed_export_is_remembered_and_falls_back(tmp_path, embedder):
    folder = embed_onnx.export_folder(tmp_path, embedder.info.sha256)
    folder.parent.mkdir(parents=True)
    folder.with_name(folder.name + ".failed").write_text("exporting to ONNX failed: test\n")
    fallback = Embedder(cache_dir=tmp_path)
    assert fallback.info.encoder == "torch"
    with pytest.raises(ModelError, match="exporting to ONNX failed: test"):
        Embedder(encoder="onnx", cache_dir=tmp_path)


def test_unknown_encoder_is_rejected():
    with pytest.raises(ModelError, match="encoder must be one of"):
        Embedder(encoder="cuda")
    with pytest.raises(RagError, match="encoder must be one of"):
        Settings(encoder="cuda")
    assert Settings.from_env({"RAG_ENCODER": "torch", "RAG_CACHE_DIR": "/x"}).cache_dir == Path("/x")


def test_only_mean_pooled_normalised_models_are_exported(tmp_path, embedder):
    model = Path(embedder.info.path)
    assert embed_onnx.supported(model)
    copy = tmp_path / "cls-model"
    (copy / "1_Pooling").mkdir(parents=True)
    for name in ("modules.json", "tokenizer.json"):
        (copy / name).write_bytes((model / name).read_bytes())
    pooling = json.loads((model / "1_Pooling" / "config.json").read_text())
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    (copy / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert not embed_onnx.supported(copy)


def test_changing_the_encoder_makes_the_index_stale(index, session_settings, embedder):
    assert index.manifest["model"]["encoder"] == embedder.info.encoder == "onnx-int8"
    assert stale_reasons(index.manifest, session_settings, embedder.info) == []
    other = replace(embedder.info, encoder="torch")
    assert stale_reasons(index.manifest, session_settings, other) == ["encoder changed (onnx-int8 -> torch)"]


def test_auto_uses_float32_when_the_int8_copy_failed_its_check(embedder, tmp_path):
    source = embed_onnx.export_folder(DEFAULT_CACHE_DIR, embedder.info.sha256)
    folder = embed_onnx.export_folder(tmp_path, embedder.info.sha256)
    folder.mkdir(parents=True)
    shutil.copy2(source / "model.onnx", folder / "model.onnx")
    meta = json.loads((source / "meta.json").read_text())
    meta["files"].pop("model-int8.onnx")
    meta["min_cosine"]["onnx-int8"] = 0.5
    (folder / "meta.json").write_text(json.dumps(meta))
    fallback = Embedder(cache_dir=tmp_path)
    assert fallback.info.encoder == "onnx"
    assert fallback.encode(["Wer nahm teil?"]).shape == (1, 384)


def test_a_fresh_export_is_made_offline_and_a_failed_int8_check_falls_back_to_float32(tmp_path, monkeypatch,
                                                                                       torch_embedder):
    monkeypatch.setitem(embed_onnx.MIN_COSINE, "onnx-int8", 1.01)  # no int8 copy can pass this
    fresh = Embedder(cache_dir=tmp_path)
    assert fresh.info.encoder == "onnx-int8"  # chosen before any export exists
    vector = fresh.encode(["Who attended the Amazon meeting?"])
    assert fresh.info.encoder == "onnx"
    assert (vector * torch_embedder.encode(["Who attended the Amazon meeting?"])).sum() >= 0.999
    meta = embed_onnx.read_export(embed_onnx.export_folder(tmp_path, fresh.info.sha256), fresh.info.sha256)
    assert set(meta["files"]) == {"model.onnx"} and meta["min_cosine"]["onnx-int8"] < 1.01
    assert not list(embed_onnx.export_folder(tmp_path, fresh.info.sha256).parent.glob(".tmp-*"))
    assert Embedder(cache_dir=tmp_path).info.encoder == "onnx"
