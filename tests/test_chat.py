"""The chat app, started on a free local port and asked through gradio_client."""

from __future__ import annotations

import socket

import pytest

# Gradio's queue trips pandas deprecation warnings of its own; they say nothing about this project.
pytestmark = [
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chat(pipeline):
    from gradio_client import Client

    from ui.app import serve

    port = free_port()
    app = serve(pipeline, host="127.0.0.1", port=port, block=False)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        yield client
    finally:
        app.close()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the app still listens after close()"


def _text(content) -> str:
    """A chat message's content as text, whichever shape this Gradio version returns."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    if isinstance(content, list):
        return " ".join(_text(part) for part in content)
    return ""


def test_ask_api_returns_answer_record(chat, index):
    result = chat.predict("Who attended the Amazon meeting?", api_name="/ask")
    assert isinstance(result, dict)
    assert {"answer", "abstained", "citations", "passages"} <= set(result)
    assert result["passages"], "no passages came back"
    assert len(result["passages"]) >= 5
    for passage in result["passages"]:
        document = index.documents[passage["doc_id"]]
        assert document.text[passage["start"] : passage["end"]] == passage["text"]
    assert isinstance(result["abstained"], bool)
    assert bool(result["citations"]) != result["abstained"]


def test_chat_api_appends_user_and_assistant_messages(chat):
    question = "Wann traf Lee den Qualcomm-Chef?"
    history, textbox = chat.predict(question, [], api_name="/chat")
    assert textbox == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "Qualcomm" in _text(history[0]["content"])
    reply = _text(history[1]["content"])
    assert reply.strip()
    assert "Sources:" in reply or "Closest passages:" in reply
    assert "samsung" in reply.lower(), "the reply names the cited document"


def test_chat_api_ignores_empty_message(chat):
    history, textbox = chat.predict("   ", [], api_name="/chat")
    assert history == [] and textbox == ""
