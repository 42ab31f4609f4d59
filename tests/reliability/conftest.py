"""Fixtures of the reliability suite. The heavy things (the model, one index of the bundled article) come from
tests/conftest.py; tests here damage copies of that index, never the index itself."""

from __future__ import annotations

import pytest

from damage import copy_index
from rag.settings import Settings


@pytest.fixture
def index_copy(tmp_path, session_settings, pipeline) -> Settings:
    """Settings pointing at a fresh copy of the session's index (over the session's corpus)."""
    return copy_index(session_settings, tmp_path / "index")
