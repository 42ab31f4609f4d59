"""HTML and Markdown for the browser app. Every piece of document text, file name, question and answer goes
through `esc` (or `escape_markdown`) before it is put into markup: a document containing `<script>` shows
those characters and runs nothing.

Clickable things carry `data-*` attributes that the page's click handler (in `ui/app.py`) sends to Python.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.answer import ABSTAIN_TEXT
from rag.records import Answer, Document

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def esc(text: object) -> str:
    """Text for HTML: `<`, `>`, `&` and quotes become entities."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: str) -> str:
    """Document text shown as Markdown text: no HTML runs, no Markdown is interpreted."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=True))


def clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_answer(answer: Answer) -> str:
    """Markdown for one chat reply (the `/chat` API): the answer first, then numbered citations."""
    if answer.abstained:
        lines = [f"_{ABSTAIN_TEXT}_", "", "Closest passages:"]
        for n, passage in enumerate(answer.passages[:3], start=1):
            lines.append(f"{n}\\. **{escape_markdown(passage.doc)}** — {escape_markdown(clip(passage.text))}")
        return "\n".join(lines)
    lines = [f"**{escape_markdown(answer.text)}**", "", "Sources:"]
    for n, citation in enumerate(answer.citations, start=1):
        lines.append(
            f"\\[{n}\\] **{escape_markdown(citation.doc)}** (characters {citation.start}–{citation.end}): "
            f"“{escape_markdown(citation.text)}”"
        )
    return "\n".join(lines)


# -- chat -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """One question of a chat session and its answer (None while it is being answered)."""

    question: str
    answer: Answer | None = None


WELCOME = (
    '<div class="rag-empty"><p><b>Ask a question about the indexed documents</b>, in English or German.</p>'
    "<p>The short answer comes first, then its numbered sources: click a <span class=\"cite-demo\">[1]</span> "
    "to read it highlighted in its document. When the documents do not answer the question, the app says so "
    "and shows the closest passages instead.</p></div>"
)


def transcript_html(turns: Sequence[Turn]) -> str:
    if not turns:
        return f'<div class="rag-chat">{WELCOME}</div>'
    return '<div class="rag-chat">' + "".join(_turn_html(n, turn) for n, turn in enumerate(turns)) + "</div>"


def _turn_html(n: int, turn: Turn) -> str:
    question = f'<div class="q"><span class="who">You</span>{esc(turn.question)}</div>'
    answer = turn.answer
    if answer is None:
        return f'<div class="turn">{question}<div class="a pending">Searching the documents …</div></div>'
    if answer.abstained:
        closest = "".join(
            f'<li>{_open_button(n, "passage", i, f"[{i + 1}]")} <span class="doc">{esc(p.doc)}</span> '
            f'<span class="quote">{esc(clip(p.text, 200))}</span></li>'
            for i, p in enumerate(answer.passages[:3])
        )
        body = (
            f'<div class="short">{esc(ABSTAIN_TEXT)}</div>'
            f'<div class="label">Closest passages</div><ol class="sources">{closest}</ol>'
        )
        kind = "abstained"
    else:
        cited = "".join(
            f'<li>{_open_button(n, "citation", i, f"[{i + 1}]")} <span class="doc">{esc(c.doc)}</span> '
            f'<q class="quote">{esc(clip(c.text, 400))}</q></li>'
            for i, c in enumerate(answer.citations)
        )
        body = f'<div class="short">{esc(answer.text)}</div><ol class="sources">{cited}</ol>'
        kind = "answered"
    return (
        f'<div class="turn">{question}<div class="a {kind}">{body}{_passages_html(n, answer)}'
        f'<div class="meta">{answer.latency_ms:.0f} ms</div></div></div>'
    )


def _open_button(turn: int, kind: str, n: int, label: str) -> str:
    return (
        f'<button type="button" class="open" data-turn="{turn}" data-kind="{kind}" data-n="{n}" '
        f'title="Show in the document">{esc(label)}</button>'
    )


def _passages_html(turn: int, answer: Answer) -> str:
    rows = "".join(
        f"<tr><td>{_open_button(turn, 'passage', i, str(i + 1))}</td><td>{esc(p.doc)}</td>"
        f'<td class="num">{p.score:.4f}</td><td class="num">{p.dense_score:.3f}</td>'
        f'<td class="num">{p.bm25_score:.2f}</td><td>{esc(clip(p.text, 300))}</td></tr>'
        for i, p in enumerate(answer.passages)
    )
    return (
        f'<details class="passages"><summary>Retrieved passages ({len(answer.passages)})</summary>'
        '<table><thead><tr><th>#</th><th>document</th><th>fused</th><th>dense</th><th>BM25</th>'
        f"<th>passage</th></tr></thead><tbody>{rows}</tbody></table></details>"
    )


# -- the source viewer ------------------------------------------------------------------------------------------

SOURCE_HINT = '<div class="rag-source empty">Click a citation to see it highlighted in its document.</div>'


VIEW_CHARS = 200_000  # a longer document is shown as this much text around the highlighted part


def source_html(document: Document | None, spans: Iterable[tuple[int, int]], focus: tuple[int, int] | None,
                *, caption: str = "", fallback: str = "", window: int = VIEW_CHARS) -> str:
    """The document as escaped text, the given character spans in <mark>; `focus` gets scrolled to.

    A document longer than `window` characters is cut to the part around the focus (or the first mark)."""
    if document is None:
        note = "This document is no longer in the index."
        quoted = f'<p><mark class="focus">{esc(fallback)}</mark></p>' if fallback else ""
        return f'<div class="rag-source"><div class="head">{esc(caption)}</div><p>{esc(note)}</p>{quoted}</div>'
    text = document.text
    marks = sorted({(max(0, s), min(len(text), e)) for s, e in spans if e > s})
    merged: list[list[int]] = []
    for start, end in marks:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    first, last = 0, len(text)
    if len(text) > window:
        centre = focus[0] if focus else (merged[0][0] if merged else 0)
        first = max(0, min(centre - window // 2, len(text) - window))
        last = first + window
    parts = ["… " if first else ""]
    position = first
    for start, end in merged:
        if end <= first or start >= last:
            continue
        start, end = max(start, first), min(end, last)
        opening = '<mark class="focus">' if focus is not None and start <= focus[0] < end else "<mark>"
        parts.append(esc(text[position:start]))
        parts.append(f"{opening}{esc(text[start:end])}</mark>")
        position = end
    parts.append(esc(text[position:last]) + (" …" if last < len(text) else ""))
    head = (
        f'<div class="head"><span class="doc">{esc(document.name)}</span> '
        f'<span class="lang">{esc(document.language)}</span> {esc(caption)}</div>'
    )
    return f'<div class="rag-source">{head}<div class="text">{"".join(parts)}</div></div>'


# -- tables -----------------------------------------------------------------------------------------------------


def table_html(headers: Sequence[str], rows: Iterable[Sequence[str]], *, row_attrs: Iterable[str] | None = None,
               css_class: str = "rag-table", empty: str = "Nothing to show.") -> str:
    """A table from cells that are already HTML (escape text with `esc` first); `row_attrs` go on each <tr>."""
    attrs = list(row_attrs) if row_attrs is not None else None
    body = []
    for i, row in enumerate(rows):
        extra = f" {attrs[i]}" if attrs is not None and attrs[i] else ""
        body.append(f"<tr{extra}>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    if not body:
        return f'<p class="rag-none">{esc(empty)}</p>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def size_text(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} B"


def progress_html(stage: str, fraction: float | None, seconds: float) -> str:
    """A progress bar; `fraction` None shows a moving bar for a stage of unknown length."""
    bar = (
        '<div class="bar indeterminate"><span></span></div>' if fraction is None
        else f'<div class="bar"><span style="width:{max(0.0, min(1.0, fraction)) * 100:.0f}%"></span></div>'
    )
    return f'<div class="rag-progress">{bar}<div>{esc(stage)} ({seconds:.0f} s)</div></div>'


def message_html(lines: Sequence[tuple[str, str]]) -> str:
    """Status lines, each (kind, text) with kind ok, warn, error or info."""
    if not lines:
        return ""
    return '<ul class="rag-messages">' + "".join(
        f'<li class="{esc(kind)}">{esc(text)}</li>' for kind, text in lines) + "</ul>"


CSS = """
.rag-chat { display: flex; flex-direction: column; gap: 14px; padding: 4px; }
.rag-chat .turn { display: flex; flex-direction: column; gap: 6px; }
.rag-chat .q { align-self: flex-end; max-width: 85%; background: var(--color-accent-soft);
  border-radius: 12px; padding: 8px 12px; }
.rag-chat .q .who { display: none; }
.rag-chat .a { max-width: 95%; border: 1px solid var(--border-color-primary); border-left: 4px solid #16a34a;
  border-radius: 10px; padding: 10px 12px; background: var(--background-fill-secondary); }
.rag-chat .a.abstained { border-left-color: #d97706; }
.rag-chat .a.pending { border-left-color: var(--border-color-primary); color: var(--body-text-color-subdued);
  font-style: italic; }
.rag-chat .short { font-size: 1.12em; font-weight: 600; margin-bottom: 6px; }
.rag-chat .abstained .short { font-weight: 500; font-style: italic; }
.rag-chat .abstained .short::before { content: "⚠ "; font-style: normal; }
.rag-chat .label { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 2px 0; }
.rag-chat ol.sources { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 4px; }
.rag-chat ol.sources li { font-size: 0.93em; line-height: 1.4; }
.rag-chat .doc { font-family: var(--font-mono); font-size: 0.85em; color: var(--body-text-color-subdued); }
.rag-chat .meta { font-size: 0.75em; color: var(--body-text-color-subdued); text-align: right; }
.rag-chat button.open, .rag-table button.open { cursor: pointer; border: 1px solid var(--color-accent);
  color: var(--color-accent); background: transparent; border-radius: 6px; padding: 0 5px; font-weight: 600;
  font-size: 0.9em; }
.rag-chat button.open:hover, .rag-table button.open:hover { background: var(--color-accent-soft); }
.rag-chat details.passages { margin-top: 6px; font-size: 0.85em; }
.rag-chat details.passages table { border-collapse: collapse; width: 100%; }
.rag-chat details.passages td, .rag-chat details.passages th { border-top: 1px solid var(--border-color-primary);
  padding: 3px 5px; vertical-align: top; text-align: left; }
.rag-chat .num { font-family: var(--font-mono); white-space: nowrap; }
.rag-empty { color: var(--body-text-color-subdued); padding: 12px; }
.cite-demo { color: var(--color-accent); font-weight: 600; }
.rag-viewer .html-container { padding-top: 0 !important; }
.rag-source { font-size: 0.95em; }
.rag-source .head { position: sticky; top: 0; background: var(--block-background-fill); padding: 10px 0 6px 0;
  border-bottom: 1px solid var(--border-color-primary); margin-bottom: 6px; z-index: 1; }
.rag-source .head .doc { font-family: var(--font-mono); font-weight: 600; }
.rag-source .head .lang { text-transform: uppercase; font-size: 0.8em; border: 1px solid var(--border-color-primary);
  border-radius: 4px; padding: 0 4px; }
.rag-source .text { white-space: pre-wrap; line-height: 1.55; }
.rag-source mark { background: #fde68a; color: #111; border-radius: 3px; padding: 0 1px; }
.rag-source mark.focus { background: #facc15; outline: 2px solid #ca8a04; }
.rag-source.empty { color: var(--body-text-color-subdued); padding: 12px; }
.rag-table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
.rag-table th { text-align: left; border-bottom: 2px solid var(--border-color-primary); padding: 4px 6px; }
.rag-table td { border-bottom: 1px solid var(--border-color-primary); padding: 4px 6px; vertical-align: top; }
.rag-table tr[data-doc] { cursor: pointer; }
.rag-table tr[data-doc]:hover { background: var(--color-accent-soft); }
.rag-table tr.newly-right td { background: rgba(22, 163, 74, 0.14); }
.rag-table tr.newly-wrong td { background: rgba(220, 38, 38, 0.14); }
.rag-table .ok { color: #16a34a; font-weight: 700; white-space: nowrap; }
.rag-table .bad { color: #dc2626; font-weight: 700; white-space: nowrap; }
.rag-table .status-skipped, .rag-table .status-removed { color: #dc2626; }
.rag-table .status-new, .rag-table .status-changed { color: #d97706; }
.rag-none { color: var(--body-text-color-subdued); }
.rag-messages { list-style: none; padding: 0; margin: 4px 0; }
.rag-messages li { padding: 3px 8px; border-left: 4px solid var(--border-color-primary); margin: 2px 0; }
.rag-messages li.ok { border-left-color: #16a34a; }
.rag-messages li.warn { border-left-color: #d97706; }
.rag-messages li.error { border-left-color: #dc2626; }
.rag-progress .bar { height: 8px; background: var(--border-color-primary); border-radius: 4px; overflow: hidden;
  margin: 4px 0; }
.rag-progress .bar span { display: block; height: 100%; background: var(--color-accent); }
.rag-progress .bar.indeterminate span { width: 30%; animation: rag-slide 1.2s ease-in-out infinite; }
@keyframes rag-slide { from { margin-left: -30%; } to { margin-left: 100%; } }
.rag-metrics { display: flex; flex-wrap: wrap; gap: 8px; }
.rag-metrics .metric { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px;
  min-width: 120px; }
.rag-metrics .metric .name { font-size: 0.8em; color: var(--body-text-color-subdued); }
.rag-metrics .metric .value { font-size: 1.2em; font-weight: 600; font-family: var(--font-mono); }
.rag-metrics .metric .delta.up { color: #16a34a; }
.rag-metrics .metric .delta.down { color: #dc2626; }
"""
