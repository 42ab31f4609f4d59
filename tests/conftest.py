"""Session-wide heavy things: the real bundled model, and one real index of the bundled article."""

from __future__ import annotations

import os

import pytest

# No network here: keep Gradio from phoning home and the hub libraries from trying.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from helpers import make_corpus  # noqa: E402
from rag.embed import Embedder  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.settings import Settings  # noqa: E402


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2, loaded once for the whole session."""
    model = Embedder()
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def session_settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("session")
    return Settings(corpus_dir=make_corpus(root / "corpus"), index_dir=root / "index")


@pytest.fixture(scope="session")
def pipeline(session_settings, embedder) -> Pipeline:
    """A pipeline serving a real index of the bundled article, built once for the session."""
    pipe = Pipeline(session_settings, embedder=embedder)
    report = pipe.open()
    assert report.rebuilt and report.embedded == len(report.index.chunks) > 0
    return pipe


@pytest.fixture(scope="session")
def index(pipeline):
    return pipeline.index


@pytest.fixture(scope="session")
def article_doc(index):
    """The bundled article as the index holds it."""
    (doc,) = index.documents.values()
    return doc
