"""The browser app (Gradio Blocks): Chat, Documents, Facts and Evaluate pages over one shared pipeline.

It calls `rag` for everything (answers, the library of documents, evaluation) and holds no pipeline logic.
It listens on 127.0.0.1 unless told otherwise; everything it shows from documents is escaped (`ui/render.py`).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr

from rag.errors import RagError
from rag.library import DEFAULT_MAX_BYTES, Library, Outcome
from rag.pipeline import Pipeline

from . import facts as fact_tables
from .evaluation import EvalRun, Evaluations, metrics_html, results_html, summary_text
from .render import (
    CSS, SOURCE_HINT, Turn, esc, message_html, progress_html, render_answer, size_text, source_html, table_html,
    transcript_html,
)

EXAMPLES = [
    "Who attended the Amazon meeting?",
    "Wann traf Lee den Qualcomm-Chef?",
    "Wo traf Lee Mark Zuckerberg?",
    "What did Lee discuss with Tim Cook?",
]
DEFAULT_QA = Path("tests/data/qa/samsung_lee.jsonl")
UPLOAD_CHOICE = "a JSONL file I upload"
MAX_QUESTION_CHARS = 1000
MAX_TURNS = 50  # questions a chat keeps on screen
CONCURRENCY = 4  # questions answered at once; more wait in the queue
QUEUE_SIZE = 64  # requests waiting at most; beyond that the app says it is busy

# A click on a [n] button in the transcript asks Python for the source view (gr.HTML's trigger()).
OPEN_JS = """element.addEventListener('click', (event) => {
  const button = event.target.closest('button.open');
  if (!button) return;
  trigger('click', {turn: Number(button.dataset.turn), kind: button.dataset.kind, n: Number(button.dataset.n)});
});"""
# A click on a table row that points at a document (and sentences) opens it in the page's viewer.
ROW_JS = """element.addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-doc]');
  if (!row) return;
  trigger('click', {doc: row.dataset.doc, sentences: row.dataset.sentences || ''});
});"""
# After a viewer re-renders, its highlighted sentence is scrolled into view.
SCROLL_JS = """watch('value', () => {
  const mark = element.querySelector('mark.focus') || element.querySelector('mark');
  if (!mark) return;
  let box = mark.parentElement;
  while (box && box !== document.body && !(box.scrollHeight > box.clientHeight + 1
         && ['auto', 'scroll'].includes(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (box && box !== document.body) {
    const offset = mark.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += offset - box.clientHeight / 3;
  }
  mark.scrollIntoView({block: 'nearest'});
});"""
CONFIRM_DELETE_JS = "(name) => (name && confirm('Delete ' + name + ' from the corpus folder?')) ? name : null"


def build_app(pipeline: Pipeline, *, library: Library | None = None, qa_path: Path | None = DEFAULT_QA,
              runs_dir: Path | None = None):
    library = library or Library(pipeline)
    evaluations = Evaluations(runs_dir)
    private: dict[str, Any] = {"api_visibility": "private"}

    # -- chat ---------------------------------------------------------------------------------------------------

    def respond(message: str, turns: list[Turn]):
        turns = list(turns or [])
        if not message or not message.strip():
            yield transcript_html(turns), turns, message
            return
        message = message.strip()[:MAX_QUESTION_CHARS]
        yield transcript_html(turns + [Turn(message)]), turns, ""
        try:
            answer = pipeline.ask(message)
        except RagError as exc:  # e.g. a damaged index: say so, keep the chat as it was
            yield transcript_html(turns), turns, message
            raise gr.Error(str(exc)) from None
        turns = (turns + [Turn(message, answer)])[-MAX_TURNS:]
        yield transcript_html(turns), turns, ""

    def open_cited(turns: list[Turn], evt: gr.EventData) -> str:
        try:
            answer = turns[int(evt.turn)].answer
            kind, n = evt.kind, int(evt.n)
        except (AttributeError, IndexError, TypeError, ValueError):
            return SOURCE_HINT
        if answer is None:
            return SOURCE_HINT
        documents = pipeline.index.documents
        if kind == "citation" and 0 <= n < len(answer.citations):
            cited = answer.citations[n]
            spans = [(c.start, c.end) for c in answer.citations if c.doc_id == cited.doc_id]
            return source_html(documents.get(cited.doc_id), spans, (cited.start, cited.end),
                               caption=f"· citation [{n + 1}]", fallback=cited.text)
        if kind == "passage" and 0 <= n < len(answer.passages):
            passage = answer.passages[n]
            return source_html(documents.get(passage.doc_id), [(passage.start, passage.end)],
                               (passage.start, passage.end), caption=f"· passage {n + 1}, score {passage.score:.4f}",
                               fallback=passage.text)
        return SOURCE_HINT

    def chat_api(message: str, history: list[dict[str, Any]]):
        """For programs: the chat as message dicts (Markdown replies)."""
        history = list(history or [])
        if not message or not message.strip():
            return history, ""
        answer = pipeline.ask(message)
        history.append({"role": "user", "content": esc(message)})
        history.append({"role": "assistant", "content": render_answer(answer)})
        return history, ""

    def ask_api(question: str) -> dict[str, Any]:
        """For programs (gradio_client): the answer record as JSON."""
        return pipeline.ask(question).to_dict()

    # -- documents ----------------------------------------------------------------------------------------------

    def index_status() -> str:
        index = pipeline.index
        counts = index.manifest["counts"]
        built = index.manifest.get("created_at", "")[:19].replace("T", " ")
        return (f'<div class="rag-index-status">Answering from {_count(counts["documents"], "document")}, '
                f'{_count(counts["sentences"], "sentence")}, {_count(counts["chunks"], "passage")}, '
                f'{_count(counts.get("facts", 0), "fact")} · index built {esc(built)}</div>')

    def documents_table() -> str:
        rows = library.documents()
        return table_html(
            ["document", "language", "size", "sentences", "chunks", "facts", "status"],
            ([esc(r.name), esc(r.language), size_text(r.size), str(r.sentences), str(r.chunks), str(r.facts),
              f'<span class="status-{esc(r.status)}">{esc(r.status)}</span>'
              + (f" — {esc(r.note)}" if r.note else "")] for r in rows),
            row_attrs=[f'data-doc="{esc(r.doc_id)}"' if r.doc_id else "" for r in rows],
            empty="No documents yet.",
        )

    def deletable():
        names = [r.name for r in library.documents() if r.status != "removed"]
        return gr.update(choices=names, value=None)

    def library_view() -> tuple:
        return documents_table(), deletable(), index_status()

    def wait_for(ticket: int, lines: list[tuple[str, str]]):
        """Yield progress while the rebuild runs, then the outcome; questions are answered all along."""
        while True:
            status = library.wait(ticket, timeout=0.5)
            if library.is_done(ticket):
                break
            elapsed = time.time() - status.started_at if status.started_at else 0.0
            yield (message_html(lines), progress_html(status.stage or "waiting", None, elapsed), *library_view())
        done = [("error" if status.state == "failed" else "ok", status.message)]
        done += [("warn", f"skipped {s.name}: {s.reason}") for s in status.skipped]
        yield (message_html(lines + done), "", *library_view())

    def add_files(paths: list[str] | None):
        uploads = [(Path(p).name, Path(p)) for p in (paths or [])]
        outcomes = library.add(uploads)
        lines = [_outcome_line(o) for o in outcomes]
        if not any(o.saved for o in outcomes):
            yield (message_html(lines), "", *library_view(), None)
            return
        for update in wait_for(library.rebuild(), lines):
            yield (*update, None)

    def delete(name: str | None):
        if not name:
            yield (message_html([("info", "Nothing deleted: choose a document, then confirm.")]), "", *library_view())
            return
        try:
            library.delete(name)
        except RagError as exc:
            yield (message_html([("error", str(exc))]), "", *library_view())
            return
        yield from wait_for(library.rebuild(), [("ok", f"deleted {name}")])

    def rebuild_all():
        yield from wait_for(library.rebuild(full=True), [("info", "re-indexing every document")])

    def open_document(evt: gr.EventData) -> str:
        document = pipeline.index.documents.get(getattr(evt, "doc", ""))
        if document is None:
            return SOURCE_HINT
        return source_html(document, _sentence_spans(pipeline, document.id, getattr(evt, "sentences", "")), None)

    # -- facts --------------------------------------------------------------------------------------------------

    export_dir = Path(tempfile.mkdtemp(prefix="rag-facts-"))

    def facts_view(query: str):
        rows = [r for r in fact_tables.fact_rows(pipeline.index) if r.matches(query or "")]
        people, events, other = fact_tables.tables_html(rows)
        stamp = f"{time.time_ns()}"
        csv_path = export_dir / f"facts-{stamp}.csv"
        json_path = export_dir / f"facts-{stamp}.json"
        csv_path.write_text(fact_tables.to_csv(rows), encoding="utf-8")
        json_path.write_text(fact_tables.to_json(rows), encoding="utf-8")
        for old in export_dir.iterdir():  # Gradio serves its own copy; the originals are kept for a while only
            if old.stat().st_mtime < time.time() - 600:
                old.unlink(missing_ok=True)
        sections = {s: sum(r.section == s for r in rows) for s in ("people", "events", "other")}
        count = (f"{sections['people']} people, {sections['events']} events and {sections['other']} other facts"
                 + (f" matching “{esc(query)}”" if query else "") + ". Click a row to see its sentence.")
        return count, people, events, other, str(csv_path), str(json_path)

    # -- evaluation ---------------------------------------------------------------------------------------------

    bundled = Path(qa_path) if qa_path else None
    bundled_choice = f"the bundled set ({bundled.name})" if bundled and bundled.is_file() else None
    set_choices = [c for c in (bundled_choice, UPLOAD_CHOICE) if c]

    def evaluate(choice: str, uploaded: str | None, progress=gr.Progress()):
        if choice == UPLOAD_CHOICE or not bundled_choice:
            if not uploaded:
                return (message_html([("error", "Upload a Q&A set (JSONL) first.")]), "", "", gr.update(), None)
            path, name = Path(uploaded), Path(uploaded).name
        else:
            path, name = bundled, bundled.name
        progress(0, desc="starting")
        try:
            run = evaluations.run(path, name, pipeline.ask,
                                  progress=lambda n, total: progress((n, total), desc="asking", unit="questions"))
        except RagError as exc:
            return (message_html([("error", str(exc))]), "", "", gr.update(visible=False), None)
        return (message_html([("ok", summary_text(run))]), metrics_html(run), results_html(run),
                gr.update(value=str(run.predictions_path), visible=True), run)

    def filter_results(only: str, run: EvalRun | None) -> str:
        return results_html(run, only=only) if run else ""

    # -- layout -------------------------------------------------------------------------------------------------

    # delete_cache: Gradio's copies of uploads and downloads are removed an hour after they were made.
    with gr.Blocks(title="Ask your documents", delete_cache=(900, 3600)) as app:
        with gr.Row():
            gr.Markdown("## Ask your documents")
            status = gr.HTML(elem_id="index-status")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                turns = gr.State([])
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        transcript = gr.HTML(transcript_html([]), js_on_load=OPEN_JS, elem_id="transcript",
                                             max_height=640, autoscroll=True, container=True, padding=True)
                        with gr.Row():
                            question = gr.Textbox(placeholder="Ask in English or German …", show_label=False,
                                                  scale=8, elem_id="question", autofocus=True,
                                                  max_length=MAX_QUESTION_CHARS)
                            send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                        with gr.Row():
                            gr.Examples(EXAMPLES, inputs=question, label="Examples (English and German)")
                            clear = gr.Button("Clear the chat", size="sm", scale=0, elem_id="clear")
                    with gr.Column(scale=2):
                        source = _viewer(SOURCE_HINT, "source-view")
                for trigger in (send.click, question.submit):
                    trigger(respond, [question, turns], [transcript, turns, question], show_progress="hidden",
                            concurrency_id="ask", concurrency_limit=CONCURRENCY, **private)
                transcript.click(open_cited, turns, source, show_progress="hidden", **private)
                clear.click(lambda: (transcript_html([]), [], SOURCE_HINT), None, [transcript, turns, source],
                            **private)

            with gr.Tab("Documents", id="documents") as documents_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        docs = gr.HTML(elem_id="documents-table", js_on_load=ROW_JS)
                        progress_box = gr.HTML(elem_id="index-progress")
                        messages = gr.HTML(elem_id="library-messages")
                        with gr.Row():
                            upload = gr.File(
                                file_count="multiple", elem_id="upload", height=140,
                                label=(f"Add documents: .txt, .md, .html or .pdf, several at once, up to "
                                       f"{library.max_bytes // (1024 * 1024)} MB each"),
                            )
                            with gr.Column():
                                to_delete = gr.Dropdown(label="Delete a document", choices=[], elem_id="delete-choice")
                                delete_button = gr.Button("Delete", variant="stop", elem_id="delete")
                                rebuild_button = gr.Button("Re-index everything", elem_id="rebuild")
                    with gr.Column(scale=2):
                        doc_view = _viewer('<div class="rag-source empty">Click a document to read it.</div>',
                                           "document-view")
                library_outputs = [messages, progress_box, docs, to_delete, status]
                upload.upload(add_files, upload, [*library_outputs, upload], concurrency_id="library",
                              concurrency_limit=2, show_progress="hidden", **private)
                delete_button.click(delete, to_delete, library_outputs, js=CONFIRM_DELETE_JS,
                                    concurrency_id="library", show_progress="hidden", **private)
                rebuild_button.click(rebuild_all, None, library_outputs, concurrency_id="library",
                                     show_progress="hidden", **private)
                docs.click(open_document, None, doc_view, show_progress="hidden", **private)
                documents_tab.select(library_view, None, [docs, to_delete, status], **private)

            with gr.Tab("Facts", id="facts") as facts_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        with gr.Row():
                            search = gr.Textbox(label="Search the facts", placeholder="a name, a place, a date …",
                                                elem_id="facts-search", scale=4)
                            csv_button = gr.DownloadButton("CSV", elem_id="facts-csv", scale=0, size="md")
                            json_button = gr.DownloadButton("JSON", elem_id="facts-json", scale=0, size="md")
                        facts_count = gr.Markdown(elem_id="facts-count")
                        gr.Markdown("#### People, their roles and organisations")
                        people = gr.HTML(elem_id="facts-people", js_on_load=ROW_JS)
                        gr.Markdown("#### Events")
                        events = gr.HTML(elem_id="facts-events", js_on_load=ROW_JS)
                        with gr.Accordion("Organisations, places, dates, amounts and other names", open=False):
                            other = gr.HTML(elem_id="facts-other", js_on_load=ROW_JS)
                    with gr.Column(scale=2):
                        fact_view = _viewer('<div class="rag-source empty">Click a fact to see its sentence.</div>',
                                            "fact-view")
                facts_outputs = [facts_count, people, events, other, csv_button, json_button]
                search.change(facts_view, search, facts_outputs, show_progress="hidden", trigger_mode="always_last",
                              **private)
                facts_tab.select(facts_view, search, facts_outputs, show_progress="hidden", **private)
                for table in (people, events, other):
                    table.click(open_document, None, fact_view, show_progress="hidden", **private)

            with gr.Tab("Evaluate", id="evaluate"):
                gr.Markdown(
                    "Score the system on a Q&A set in the shared format (JSON lines with `answers` or "
                    "`must_include`, `evidence`, `answerable`): the metrics of `rag eval` and every question's "
                    "result, marked where it changed since the previous run on the same set."
                    + ("" if bundled_choice else f"\n\nThe bundled set was not found at `{esc(str(qa_path))}`.")
                )
                with gr.Row():
                    set_choice = gr.Radio(set_choices, value=set_choices[0], label="Q&A set", elem_id="eval-set")
                    qa_file = gr.File(label="Q&A set (.jsonl)", elem_id="eval-upload", height=110)
                    run_button = gr.Button("Run the evaluation", variant="primary", elem_id="run-eval", scale=0)
                eval_message = gr.HTML(elem_id="eval-message")
                metrics = gr.HTML(elem_id="eval-metrics-box")
                with gr.Row():
                    only = gr.Radio(["all", "wrong", "changed"], value="all", label="Questions to show",
                                    elem_id="eval-filter")
                    download = gr.DownloadButton("Download the predictions (JSONL)", visible=False,
                                                 elem_id="eval-download")
                results = gr.HTML(elem_id="eval-table")
                last_run = gr.State(None)
                run_button.click(evaluate, [set_choice, qa_file], [eval_message, metrics, results, download, last_run],
                                 concurrency_id="evaluate", concurrency_limit=1, show_progress_on=[metrics],
                                 **private)
                qa_file.upload(lambda: UPLOAD_CHOICE, None, set_choice, **private)
                only.change(filter_results, [only, last_run], results, show_progress="hidden", **private)

        # The API for programs (gradio_client): /ask returns the answer record, /chat the chat as messages.
        api_question = gr.Textbox(visible=False)
        api_answer = gr.JSON(visible=False)
        api_question.submit(ask_api, api_question, api_answer, api_name="ask", concurrency_id="ask",
                            concurrency_limit=CONCURRENCY)
        api_message = gr.Textbox(visible=False)
        api_history = gr.Chatbot(visible=False)
        api_message.submit(chat_api, [api_message, api_history], [api_history, api_message], api_name="chat",
                           concurrency_id="ask", concurrency_limit=CONCURRENCY)

        app.load(lambda q: (*library_view(), *facts_view(q)), search, [docs, to_delete, status, *facts_outputs],
                 **private)
    return app


def _viewer(placeholder: str, elem_id: str) -> gr.HTML:
    """A document viewer: escaped text with <mark>ed spans, scrolled to the focused one when it changes."""
    return gr.HTML(placeholder, js_on_load=SCROLL_JS, elem_id=elem_id, elem_classes=["rag-viewer"], max_height=680,
                   container=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _outcome_line(outcome: Outcome) -> tuple[str, str]:
    if outcome.status == "added":
        renamed = f" (saved as {outcome.saved_as})" if outcome.saved_as != outcome.name else ""
        return "ok", f"added {outcome.name}{renamed}"
    if outcome.status == "replaced":
        return "ok", f"replaced {outcome.saved_as} with the uploaded {outcome.name}"
    if outcome.status == "duplicate":
        return "warn", f"{outcome.name} not added: {outcome.reason}"
    return "error", f"{outcome.name} not added: {outcome.reason}"


def _sentence_spans(pipeline: Pipeline, doc_id: str, sentences: str) -> list[tuple[int, int]]:
    wanted = {int(s) for s in sentences.split(",") if s.strip().isdigit()}
    return [(s.start, s.end) for s in pipeline.index.sentences.get(doc_id, []) if s.index in wanted]


def serve(pipeline: Pipeline, *, host: str = "127.0.0.1", port: int = 7860, share: bool = False, block: bool = True,
          qa_path: Path | None = DEFAULT_QA, max_upload_bytes: int = DEFAULT_MAX_BYTES, runs_dir: Path | None = None):
    """Start the app; returns the Gradio app object when `block` is False (for tests).

    Uploads larger than `max_upload_bytes` are refused by the server before any handler sees them (and again by
    the library). Evaluation runs are remembered in `runs_dir` (default: `eval-runs` in the index folder).
    """
    library = Library(pipeline, max_bytes=max_upload_bytes)
    if runs_dir is None:
        runs_dir = Path(pipeline.settings.index_dir) / "eval-runs"
    app = build_app(pipeline, library=library, qa_path=qa_path, runs_dir=runs_dir)
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    app.launch(
        server_name=host,
        server_port=port,
        share=share,
        max_file_size=max_upload_bytes,
        prevent_thread_lock=not block,
        quiet=True,
        footer_links=["api"],
        css=CSS,
    )
    return app
