"""The app's pieces without a browser: escaping everywhere, the source view's marks, the facts tables and
exports, and evaluation runs that remember the previous run."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import pytest

from helpers import QA_SAMSUNG
from rag.errors import QASetError
from rag.records import Answer, Citation, Document, Passage
from ui import facts as fact_tables
from ui.evaluation import Evaluations, metrics_html, results_html, summary_text
from ui.render import Turn, render_answer, source_html, table_html, transcript_html

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def hostile_answer(abstained: bool = False) -> Answer:
    passage = Passage("c1", "d1", f"{HOSTILE}.txt", 0, 20, HOSTILE, 0.03, 0.5, 1.2, 0, 0)
    citation = Citation("d1", f"{HOSTILE}.txt", 0, 20, HOSTILE)
    return Answer(HOSTILE, "" if abstained else HOSTILE, abstained, [] if abstained else [citation], [passage])


def assert_inert(markup: str) -> None:
    assert not re.search(r"<(script|img)\b", markup, re.I), markup
    assert "&lt;script&gt;" in markup


@pytest.mark.parametrize("abstained", [False, True])
def test_transcript_escapes_questions_answers_names_and_passages(abstained):
    markup = transcript_html([Turn(HOSTILE, hostile_answer(abstained)), Turn(HOSTILE)])
    assert_inert(markup)
    assert ('class="a abstained"' in markup) == abstained
    assert "The documents don" in markup if abstained else 'data-kind="citation"' in markup
    assert "Retrieved passages (1)" in markup and 'class="a pending"' in markup


def test_chat_api_markdown_escapes_too():
    assert not re.search(r"<(script|img)\b", render_answer(hostile_answer()), re.I)


def test_source_view_marks_the_cited_spans_in_the_escaped_text():
    text = "First <b>one</b>. Second & last."
    document = Document("d1", "<i>name</i>.txt", text, "en", "", len(text))
    markup = source_html(document, [(0, 17), (18, 32)], (18, 32))
    assert "<b>" not in markup and "<i>" not in markup
    assert '<mark>First &lt;b&gt;one&lt;/b&gt;.</mark> <mark class="focus">Second &amp; last.</mark>' in markup
    gone = source_html(None, [], None, caption="x", fallback=HOSTILE)
    assert_inert(gone)


def test_tables_escape_their_cells_only_when_asked_to_be_text():
    assert "No rows" in table_html(["a"], [], empty="No rows")
    markup = table_html(["<th>"], [["<b>kept</b>"]], row_attrs=['data-doc="1"'])
    assert "&lt;th&gt;" in markup and "<b>kept</b>" in markup and '<tr data-doc="1">' in markup


def test_facts_tables_show_people_with_roles_and_events_with_participants(index):
    rows = fact_tables.fact_rows(index)
    jassy = next(r for r in rows if r.section == "people" and r.text == "Andy Jassy")
    assert "Amazon" in jassy.organisations and any("CEO" in role for role in jassy.roles)
    assert jassy.sentence_text in index.documents[jassy.doc_id].text
    events = [r for r in rows if r.section == "events"]
    assert events and any(r.participants and r.date for r in events)
    assert {r.kind for r in rows if r.section == "other"} >= {"organization", "date"}

    people, event_table, other = fact_tables.tables_html(rows)
    assert f'data-doc="{jassy.doc_id}"' in people and "Andy Jassy" in people and "participants" in event_table

    found = [r for r in rows if r.matches("jassy")]
    assert found and all("Jassy" in json.dumps(r.to_dict(), ensure_ascii=False) for r in found)
    exported = json.loads(fact_tables.to_json(found))
    assert exported[0]["document"] == "samsung_lee_us_trip_de.txt" and isinstance(exported[0]["roles"], list)
    table = list(csv.DictReader(io.StringIO(fact_tables.to_csv(found))))
    assert len(table) == len(found) and table[0]["sentence_text"]


def test_evaluation_marks_what_changed_since_the_previous_run(pipeline, tmp_path):
    qa = tmp_path / "three.jsonl"
    qa.write_text("\n".join(QA_SAMSUNG.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    runs = tmp_path / "runs"
    first = Evaluations(runs).run(qa, "three.jsonl", pipeline.ask)
    assert [r.correct for r in first.results] == [True, True, True]
    assert first.previous_metrics is None and all(r.change == "" for r in first.results)
    assert len(first.predictions_path.read_text(encoding="utf-8").splitlines()) == 3
    assert first.results[2].expected == "(no answer: should abstain)"

    # Pretend the previous run got the first question wrong and the second right: a fresh app reads it from disk.
    (stored,) = runs.glob("*.json")
    record = json.loads(stored.read_text(encoding="utf-8"))
    record["correct"]["amazon-attendees"] = False
    record["metrics"]["accuracy"] = 0.6667
    stored.write_text(json.dumps(record), encoding="utf-8")
    second = Evaluations(runs).run(qa, "three.jsonl", pipeline.ask)
    assert [r.change for r in second.results] == ["newly right", "", ""]
    assert "1 newly right, 0 newly wrong" in summary_text(second)
    assert 'class="newly-right"' in results_html(second)
    assert results_html(second, only="changed").count("<tr") == 2  # the header and the one change
    assert "since the previous run" in metrics_html(second)

    flipped = replace(second.results[1], correct=False, change="newly wrong")
    assert 'class="newly-wrong"' in results_html(replace(second, results=(second.results[0], flipped)))


def test_evaluation_reports_a_bad_set(pipeline, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(QASetError, match="bad.jsonl:1"):
        Evaluations(None).run(bad, "bad.jsonl", pipeline.ask)


def test_the_app_builds_without_the_bundled_set(pipeline, tmp_path):
    from ui.app import UPLOAD_CHOICE, build_app

    app = build_app(pipeline, qa_path=tmp_path / "missing.jsonl", runs_dir=tmp_path / "runs")
    radios = [block for block in app.blocks.values() if getattr(block, "elem_id", None) == "eval-set"]
    assert [choice[0] for choice in radios[0].choices] == [UPLOAD_CHOICE]


def test_a_long_document_is_shown_around_the_highlight():
    text = "x" * 5000 + "The cited sentence." + "y" * 5000
    document = Document("d1", "long.txt", text, "en", "", len(text))
    markup = source_html(document, [(5000, 5019)], (5000, 5019), window=1000)
    assert '<mark class="focus">The cited sentence.</mark>' in markup
    assert markup.count("x") < 600 and markup.count("y") < 600 and "… " in markup and " …" in markup


def test_fact_tables_are_capped_on_the_page(index):
    rows = fact_tables.fact_rows(index)
    people, _, _ = fact_tables.tables_html(rows, limit=2)
    assert people.count("<tr data-doc") == 2 and "Showing 2 of" in people
