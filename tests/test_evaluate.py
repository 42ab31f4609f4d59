"""The scorer of shared/qa-format.md on hand-made cases, and Q&A file loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO
from rag.errors import QASetError
from rag.evaluate import (
    QARow,
    contains,
    evidence_rank,
    is_correct,
    length_limit,
    load_qa,
    normalise,
    prediction_row,
    run_eval,
    score,
    token_f1,
)

QA_FILES = sorted((REPO / "tests" / "data" / "qa").glob("*.jsonl"))


def row(id="q", answers=(), must_include=(), evidence=(), answerable=True, question="Frage?"):
    items = [[item] if isinstance(item, str) else list(item) for item in must_include]
    return QARow(id, question, list(answers), items, list(evidence), answerable)


def prediction(answer="", abstained=False, passages=(), citations=(), latency_ms=10.0):
    return {
        "answer": answer,
        "abstained": abstained,
        "passages": [{"doc": "a.txt", "text": t, "score": 1.0} for t in passages],
        "citations": [{"doc": "a.txt", "text": t, "start": 0, "end": len(t)} for t in citations],
        "latency_ms": latency_ms,
    }


# -- normalisation and containment -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, World!", "hello world"),
        ("  Am 10. Juni —  in San Jose.  ", "am 10 juni in san jose"),
        ("Jeon Young-hyun", "jeon young hyun"),
        ("STRASSE Straße", "strasse strasse"),  # casefold
        ("ＡＢＣ１２３", "abc123"),  # NFKC: full-width forms
        ("ﬁnanziert", "finanziert"),  # NFKC: ligature
        ("e\u0301clair", "éclair"),  # NFKC composes the accent before the category test
        ("€1.7 billion", "1 7 billion"),
        ("„Zitat“ (Klammer) 3,5 %", "zitat klammer 3 5"),
        ("", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("prediction_text", "gold", "expected"),
    [
        ("Der Umsatz stieg um 400 Millionen.", "40", False),
        ("Der Umsatz stieg um 40 Millionen.", "40", True),
        ("Eine zweiwöchige Reise.", "zweiwöchig", False),
        ("Die Reise war zweiwöchig.", "zweiwöchig", True),
        ("Am 10 Juni!", "10. Juni", True),
        ("am 10. juni", "10. JUNI", True),
        ("Er traf ANDY JASSY, den CEO.", "Andy Jassy", True),
        ("Er traf Andy Jassys Team.", "Andy Jassy", False),
        ("Jeon Young hyun", "Jeon Young-hyun", True),
        ("ﬁnanziert", "finanziert", True),
        ("San Jose", "San Jose, Kalifornien", False),
        ("the US", "US", True),
        ("the USA", "US", False),
    ],
)
def test_contains_is_whole_token(prediction_text, gold, expected):
    assert contains(prediction_text, gold) is expected


# -- correctness and the length guard --------------------------------------------------------------------------


def test_any_of_answers():
    r = row(answers=["10. Juni", "June 10"])
    assert is_correct(r, "Lee traf Amon am 10. Juni.", False)
    assert is_correct(r, "On June 10.", False)
    assert not is_correct(r, "Am 11. Juni.", False)
    assert not is_correct(r, "Am 10. Juni.", True), "an abstention is never right on an answerable row"


def test_must_include_every_item_with_alternatives():
    r = row(must_include=["Andy Jassy", ["Jeon Young-hyun", "Jeon Young Hyun", "Jeon"], "Han Jin-man"])
    assert is_correct(r, "Andy Jassy, Jeon Young-hyun and Han Jin-man", False)
    assert is_correct(r, "Andy Jassy, Jeon and Han Jin-man", False), "any alternative satisfies its item"
    assert not is_correct(r, "Andy Jassy and Han Jin-man", False), "an item is missing"
    assert not is_correct(r, "Andy Jassy, Jeong and Han Jin-man", False), "whole tokens only"


def test_length_limit_for_answers_uses_longest_answer():
    assert length_limit(row(answers=["Jassy"])) == 15
    assert length_limit(row(answers=["a b c d e f", "x"])) == 18  # 3 x 6 tokens
    assert length_limit(row(answers=["one two three four five"])) == 15


def test_length_limit_for_must_include_sums_first_alternatives():
    r = row(must_include=[["Andy Jassy", "the Amazon chief executive officer Andy Jassy"], "Jeon Young-hyun",
                          "Lee Jung-bae", "Han Jin-man", "Choi Kyung-sik"])
    # 2 + 3 + 3 + 3 + 3 = 14 tokens from the first alternatives only -> 3 x 14
    assert length_limit(r) == 42
    assert length_limit(row(must_include=["a", "b"])) == 15


def test_length_guard_applies_to_answers():
    r = row(answers=["Jassy"])  # limit 15
    ok = "Jassy " + " ".join(["wort"] * 14)
    too_long = ok + " wort"
    assert len(normalise(ok).split()) == 15
    assert is_correct(r, ok, False)
    assert not is_correct(r, too_long, False)


def test_length_guard_applies_to_must_include():
    items = ["alpha beta", "gamma delta", "epsilon zeta", "eta theta", "iota kappa", "lambda mu"]  # G = 12
    r = row(must_include=items)
    assert length_limit(r) == 36
    ok = " ".join(items) + " " + " ".join(["x"] * 24)
    assert len(normalise(ok).split()) == 36
    assert is_correct(r, ok, False)
    assert not is_correct(r, ok + " x", False)


def test_unanswerable_row_correct_only_when_abstained():
    r = row(answerable=False)
    assert is_correct(r, "", True)
    assert is_correct(r, "anything at all", True)
    assert not is_correct(r, "Tim Cook was not mentioned", False)
    assert not is_correct(r, "", False)


def test_token_f1():
    assert token_f1("the cat sat", "cat sat down") == pytest.approx(2 / 3)
    assert token_f1("Andy Jassy", "andy jassy!") == 1.0
    assert token_f1("a a b", "a b b") == pytest.approx(2 / 3)  # counted with multiplicity
    assert token_f1("", "") == 1.0
    assert token_f1("x", "") == 0.0
    assert token_f1("x y", "z") == 0.0


# -- the metrics -----------------------------------------------------------------------------------------------


def test_score_on_fake_predictions():
    rows = [
        row("a", answers=["San Jose"], evidence=["in San Jose"]),
        row("b", answers=["Seattle"], evidence=["Hauptquartier in Seattle"]),
        row("c", must_include=["Jassy", ["Jeon", "Jeon Young-hyun"]], evidence=["Andy Jassy"]),
        row("d", answers=["Palo Alto"], evidence=["Palo Alto"]),
        row("e", answers=["12. Juni"], evidence=["12. Juni"]),
        row("f", answers=["zweiwöchig"]),  # answerable, no evidence: not in recall or mrr
        row("g", answerable=False),
        row("h", answerable=False),
    ]
    filler = "ein Absatz ohne Beleg"
    predictions = [
        # a: right, evidence at rank 1, supported by its citation
        prediction("San Jose", passages=["Treffen in San Jose", filler, filler, filler, filler],
                   citations=["Das Treffen war in San Jose."], latency_ms=10),
        # b: right, evidence at rank 3, citation does not say it -> not supported
        prediction("Seattle", passages=[filler, filler, "Im Hauptquartier in Seattle.", filler, filler],
                   citations=["Ein anderer Satz."], latency_ms=20),
        # c: right with an alternative, evidence at rank 5, supported
        prediction("Jassy and Jeon", passages=[filler, filler, filler, filler, "Andy Jassy kam."],
                   citations=["Andy Jassy und Jeon Young-hyun"], latency_ms=30),
        # d: false abstention, evidence at rank 2
        prediction("", abstained=True, passages=[filler, "in Palo Alto", filler, filler, filler], latency_ms=40),
        # e: wrong answer, evidence nowhere ("12 Juni" is there but "112. Juni" is not a match)
        prediction("11. Juni", passages=[filler, "am 112. Juni", filler, filler, filler],
                   citations=["am 11. Juni"], latency_ms=50),
        # f: wrong inflection
        prediction("zweiwöchige", passages=[filler] * 5, citations=["zweiwöchige"], latency_ms=60),
        # g: right abstention
        prediction("", abstained=True, passages=[filler] * 5, latency_ms=70),
        # h: answered an unanswerable question
        prediction("Tim Cook", passages=[filler] * 5, citations=["Tim Cook"], latency_ms=80),
    ]
    metrics = score(rows, predictions)
    assert metrics["questions"] == 8
    assert metrics["accuracy"] == round(4 / 8, 4)  # a, b, c, g
    assert metrics["answerable_accuracy"] == round(3 / 6, 4)
    assert metrics["abstention_accuracy"] == 0.5
    assert metrics["false_abstentions"] == 1
    assert metrics["false_abstention_rate"] == round(1 / 6, 4)
    # recall over the five answerable rows with evidence: ranks 1, 3, 5, 2, none
    assert metrics["evidence_recall@1"] == 0.2
    assert metrics["evidence_recall@3"] == 0.6
    assert metrics["evidence_recall@5"] == 0.8
    assert metrics["mrr"] == round((1 + 1 / 3 + 1 / 5 + 1 / 2) / 5, 4)
    assert metrics["citation_support"] == round(2 / 3, 4)  # a and c of the three right answers
    expected_f1 = (1 + 1 + token_f1("Jassy and Jeon", "Jassy Jeon") + 0 + token_f1("11. Juni", "12. Juni") + 0) / 6
    assert metrics["f1"] == pytest.approx(expected_f1, abs=1e-4)
    assert metrics["latency_p50_ms"] == 45.0
    assert metrics["latency_p95_ms"] == pytest.approx(76.5)


def test_score_without_unanswerable_or_evidence_rows_reports_none():
    rows = [row("a", answers=["x"])]
    metrics = score(rows, [prediction("x")])
    assert metrics["accuracy"] == 1.0
    assert metrics["abstention_accuracy"] is None
    assert metrics["evidence_recall@5"] is None and metrics["mrr"] is None
    assert metrics["false_abstentions"] == 0


def test_evidence_rank_whole_tokens():
    r = row(answers=["x"], evidence=["40 Millionen", "San Jose"])
    assert evidence_rank(r, ["400 Millionen", "in San Jose", "40 Millionen"]) == 2
    assert evidence_rank(r, ["400 Millionen"]) is None


# -- loading Q&A files -----------------------------------------------------------------------------------------


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = [
    json.dumps({"id": "a", "question": "Wer?", "answers": ["Lee"], "evidence": ["Lee traf"]}),
    json.dumps({"id": "b", "question": "Wer alles?", "must_include": ["Lee", ["Amon", "Cristiano Amon"]]}),
    json.dumps({"id": "c", "question": "What did Lee discuss with Tim Cook?", "answerable": False}),
]


def test_load_qa_reads_rows(tmp_path):
    rows = load_qa(write_lines(tmp_path / "qa.jsonl", ["", *GOOD, "   "]))
    assert [r.id for r in rows] == ["a", "b", "c"]
    assert rows[0].answers == ["Lee"] and rows[0].evidence == ["Lee traf"]
    assert rows[1].must_include == [["Lee"], ["Amon", "Cristiano Amon"]]
    assert rows[2].answerable is False and rows[2].answers == []


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"id": "x", "question": "Wer?", "answers": ["Lee"]', "JSON"),
        (json.dumps({"id": "x", "question": "Wer?"}), "answers"),
        (json.dumps({"id": "x", "question": "Wer?", "answers": []}), "answers"),
        (json.dumps({"id": "a", "question": "Nochmal?", "answers": ["x"]}), "twice"),
        (json.dumps(["not", "an", "object"]), "object"),
        (json.dumps({"id": "", "question": "Wer?", "answers": ["x"]}), "id"),
        (json.dumps({"id": "x", "question": "Wer?", "answers": "Lee"}), "answers"),
        (json.dumps({"id": "x", "question": "Wer?", "must_include": [["Lee", 3]]}), "must_include"),
        (json.dumps({"id": "x", "question": "Wer?", "answers": ["x"], "answerable": "yes"}), "answerable"),
        (json.dumps({"id": "x", "question": "Wer?", "answers": ["x"], "evidence": "Lee"}), "evidence"),
    ],
    ids=["bad-json", "no-answers", "empty-answers", "duplicate-id", "not-object", "empty-id", "answers-string",
         "must-include-number", "answerable-string", "evidence-string"],
)
def test_load_qa_bad_line_names_file_and_line(tmp_path, line, words):
    path = write_lines(tmp_path / "qa.jsonl", [GOOD[0], "", line, GOOD[2]])
    with pytest.raises(QASetError) as caught:
        load_qa(path)
    message = str(caught.value)
    assert f"{path}:3" in message
    assert words in message


def test_load_qa_missing_and_empty_files(tmp_path):
    with pytest.raises(QASetError, match="does not exist"):
        load_qa(tmp_path / "missing.jsonl")
    with pytest.raises(QASetError, match="no questions"):
        load_qa(write_lines(tmp_path / "empty.jsonl", ["", "  "]))


@pytest.mark.parametrize("path", QA_FILES, ids=lambda p: p.name)
def test_shipped_qa_sets_load(path):
    rows = load_qa(path)
    assert len(rows) == len([line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()])
    assert any(not r.answerable for r in rows) and any(r.answerable for r in rows)


def test_run_eval_rows_follow_the_shared_format(pipeline, tmp_path):
    rows = load_qa(write_lines(tmp_path / "qa.jsonl", GOOD))
    progress = []
    predictions, metrics = run_eval(rows, pipeline.ask, progress=lambda n, total: progress.append((n, total)))
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert [p["id"] for p in predictions] == ["a", "b", "c"]
    for r, p in zip(rows, predictions):
        assert p["question"] == r.question
        assert isinstance(p["answer"], str) and isinstance(p["abstained"], bool)
        assert len(p["passages"]) >= 5 and all({"doc", "text", "score"} <= set(x) for x in p["passages"])
        assert all({"doc", "text", "start", "end"} <= set(c) for c in p["citations"])
        assert p["latency_ms"] > 0
        assert p == prediction_row(r, _answer_like(p))
    assert metrics == score(rows, predictions)


def _answer_like(p):
    """Rebuild an Answer from a prediction row, to check prediction_row is a plain projection."""
    from rag.records import Answer, Citation, Passage

    return Answer(
        question=p["question"],
        text=p["answer"],
        abstained=p["abstained"],
        citations=[Citation(**c) for c in p["citations"]],
        passages=[Passage(**x) for x in p["passages"]],
        latency_ms=p["latency_ms"],
        method=p["method"],
        support=p["support"],
    )
