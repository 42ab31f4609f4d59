"""Hybrid retrieval on the real model and the real index of the bundled article."""

from __future__ import annotations

import pytest

from helpers import QA_SAMSUNG
from rag.evaluate import evidence_rank, load_qa, run_eval

QUESTIONS = [
    "Who attended the Amazon meeting?",
    "Wann traf Lee den Qualcomm-Chef?",
    "Wo traf Lee Mark Zuckerberg?",
    "What did Lee discuss with Tim Cook?",
]


@pytest.fixture(scope="module")
def evaluation(pipeline):
    rows = load_qa(QA_SAMSUNG)
    predictions, metrics = run_eval(rows, pipeline.ask)
    return rows, predictions, metrics


def test_evidence_recall_at_5(evaluation):
    rows, predictions, metrics = evaluation
    missed = [
        r.id for r, p in zip(rows, predictions)
        if r.answerable and r.evidence and not evidence_rank(r, [x["text"] for x in p["passages"][:5]])
    ]
    assert metrics["evidence_recall@5"] >= 0.95, (metrics["evidence_recall@5"], missed)


def test_evaluation_metrics_are_consistent(evaluation):
    rows, predictions, metrics = evaluation
    assert metrics["questions"] == len(rows) == len(predictions)
    assert 0.0 <= metrics["evidence_recall@1"] <= metrics["evidence_recall@3"] <= metrics["evidence_recall@5"] <= 1
    with_evidence = [(r, p) for r, p in zip(rows, predictions) if r.answerable and r.evidence]
    ranks = [evidence_rank(r, [x["text"] for x in p["passages"]]) for r, p in with_evidence]
    assert metrics["evidence_recall@5"] == round(sum(1 for k in ranks if k and k <= 5) / len(ranks), 4)
    assert metrics["mrr"] == round(sum(1 / k for k in ranks if k) / len(ranks), 4)
    assert metrics["evidence_recall@1"] <= metrics["mrr"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_search_returns_passages_with_exact_offsets(pipeline, index, question):
    passages = pipeline.search(question)
    assert len(passages) >= 5
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)
    assert len({p.chunk_id for p in passages}) == len(passages)
    chunk_ids = {c.id: c for c in index.chunks}
    for passage in passages:
        document = index.documents[passage.doc_id]
        assert passage.doc == document.name
        assert passage.text
        assert passage.score > 0
        assert -1.0 <= passage.dense_score <= 1.0
        assert passage.bm25_score >= 0
        assert document.text[passage.start : passage.end] == passage.text
        chunk = chunk_ids[passage.chunk_id]
        assert (chunk.start, chunk.end, chunk.first_sentence, chunk.last_sentence) == (
            passage.start, passage.end, passage.first_sentence, passage.last_sentence,
        )
        record = passage.to_dict()
        assert {"doc", "text", "score", "start", "end"} <= set(record)


def test_search_respects_k_and_is_deterministic(pipeline, index):
    question = "Qualcomm San Jose"
    assert len(pipeline.search(question, 3)) == 3
    everything = pipeline.search(question, 1000)
    assert len(everything) == len(index.chunks)
    assert pipeline.search(question, 5) == pipeline.search(question, 5) == everything[:5]


@pytest.mark.parametrize("question", ["", "   ", "\n"])
def test_empty_question_finds_nothing(pipeline, question):
    assert pipeline.search(question) == []


def test_question_without_word_overlap_still_ranks_by_meaning(pipeline):
    """Stop words only: BM25 has nothing to go on, the dense ranking still returns passages."""
    passages = pipeline.search("the and of with")
    assert len(passages) >= 5
    assert all(p.bm25_score == 0 for p in passages)


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_returns_a_well_formed_answer(pipeline, index, question):
    answer = pipeline.ask(question)
    assert answer.question == question
    assert len(answer.passages) >= 5
    assert answer.latency_ms > 0
    if answer.abstained:
        assert answer.text == "" and answer.citations == []
    else:
        assert answer.text.strip() and answer.citations
    for citation in answer.citations:
        document = index.documents[citation.doc_id]
        assert citation.doc == document.name
        assert document.text[citation.start : citation.end] == citation.text
    record = answer.to_dict()
    assert {"question", "answer", "abstained", "citations", "passages", "latency_ms"} <= set(record)
