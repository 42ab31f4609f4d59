"""The chat in the browser: short answers with their cited sentences, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import html
import re
from typing import Any

from rag.answer import ABSTAIN_TEXT
from rag.pipeline import Pipeline
from rag.records import Answer

EXAMPLES = [
    "Who attended the Amazon meeting?",
    "Wann traf Lee den Qualcomm-Chef?",
    "Wo traf Lee Mark Zuckerberg?",
    "What did Lee discuss with Tim Cook?",
]
MAX_FILE_SIZE = "20mb"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape(text: str) -> str:
    """Document text shown as text: no HTML runs, no Markdown is interpreted."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=True))


def render_answer(answer: Answer) -> str:
    """Markdown for one chat reply: the answer first, then numbered citations (or the closest passages)."""
    if answer.abstained:
        lines = [f"_{ABSTAIN_TEXT}_", "", "Closest passages:"]
        for n, passage in enumerate(answer.passages[:3], start=1):
            lines.append(f"{n}\\. **{escape(passage.doc)}** — {escape(_clip(passage.text))}")
        return "\n".join(lines)
    lines = [f"**{escape(answer.text)}**", "", "Sources:"]
    for n, citation in enumerate(answer.citations, start=1):
        lines.append(
            f"\\[{n}\\] **{escape(citation.doc)}** (characters {citation.start}–{citation.end}): "
            f"“{escape(citation.text)}”"
        )
    return "\n".join(lines)


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_app(pipeline: Pipeline):
    import gradio as gr

    def respond(message: str, history: list[dict[str, Any]]):
        history = list(history or [])
        if not message or not message.strip():
            return history, ""
        answer = pipeline.ask(message)
        history.append({"role": "user", "content": escape(message)})
        history.append({"role": "assistant", "content": render_answer(answer)})
        return history, ""

    def ask_api(question: str) -> dict[str, Any]:
        """For programs (gradio_client): the answer record as JSON."""
        return pipeline.ask(question).to_dict()

    with gr.Blocks(title="Ask your documents") as app:
        gr.Markdown("## Ask your documents\nShort answers from the indexed documents, each with its sources.")
        chatbot = gr.Chatbot(label="Chat", height=480, sanitize_html=True, allow_tags=False)
        with gr.Row():
            question = gr.Textbox(placeholder="Ask in English or German …", show_label=False, scale=8)
            send = gr.Button("Ask", variant="primary", scale=1)
        gr.Examples(EXAMPLES, inputs=question)
        send.click(respond, [question, chatbot], [chatbot, question], api_name="chat")
        question.submit(respond, [question, chatbot], [chatbot, question], api_name=False)
        hidden_question = gr.Textbox(visible=False)
        hidden_answer = gr.JSON(visible=False)
        hidden_question.submit(ask_api, hidden_question, hidden_answer, api_name="ask")
    return app


def serve(pipeline: Pipeline, *, host: str = "127.0.0.1", port: int = 7860, share: bool = False, block: bool = True):
    """Start the app; returns the Gradio app object when `block` is False (for tests)."""
    app = build_app(pipeline)
    app.queue(default_concurrency_limit=4, max_size=64)
    app.launch(
        server_name=host,
        server_port=port,
        share=share,
        max_file_size=MAX_FILE_SIZE,
        prevent_thread_lock=not block,
        quiet=True,
        footer_links=["api"],
    )
    return app
