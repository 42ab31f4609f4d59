"""One running app for the browser, concurrency and safety tests: its own corpus (a copy of the bundled
article) and index, the session's model, a free port on 127.0.0.1."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import QA_SAMSUNG, make_corpus
from rag.pipeline import Pipeline
from rag.settings import Settings


@dataclass
class RunningApp:
    url: str
    pipeline: Pipeline
    root: Path
    app: Any

    @property
    def corpus(self) -> Path:
        return Path(self.pipeline.settings.corpus_dir)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="package")
def running_app(tmp_path_factory, embedder) -> RunningApp:
    from ui.app import serve

    root = tmp_path_factory.mktemp("ui")
    settings = Settings(corpus_dir=make_corpus(root / "corpus"), index_dir=root / "index")
    pipeline = Pipeline(settings, embedder=embedder)
    pipeline.open()
    port = free_port()
    app = serve(pipeline, port=port, block=False, qa_path=QA_SAMSUNG, runs_dir=root / "eval-runs")
    try:
        yield RunningApp(f"http://127.0.0.1:{port}/", pipeline, root, app)
    finally:
        app.close()
