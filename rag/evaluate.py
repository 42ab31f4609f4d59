"""Score answers against a Q&A test set, exactly as `shared/qa-format.md` defines it.

The scoring functions are pure; `run_eval` is the only one that asks questions.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import QASetError
from .records import Answer

Item = str | list[str]


@dataclass(frozen=True)
class QARow:
    id: str
    question: str
    answers: list[str] = field(default_factory=list)
    must_include: list[list[str]] = field(default_factory=list)  # each item: its alternatives
    evidence: list[str] = field(default_factory=list)
    answerable: bool = True


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    return " ".join(text.split())


def contains(prediction: str, gold: str) -> bool:
    """Whole-token containment of normalised `gold` in normalised `prediction`."""
    return f" {normalise(gold)} " in f" {normalise(prediction)} "


def matches_gold(prediction: str, row: QARow) -> bool:
    if row.must_include:
        return all(any(contains(prediction, alt) for alt in item) for item in row.must_include)
    return any(contains(prediction, gold) for gold in row.answers)


def length_limit(row: QARow) -> int:
    if row.must_include:
        gold_tokens = sum(len(normalise(item[0]).split()) for item in row.must_include)
    else:
        gold_tokens = max((len(normalise(a).split()) for a in row.answers), default=0)
    return max(15, 3 * gold_tokens)


def is_correct(row: QARow, answer: str, abstained: bool) -> bool:
    if not row.answerable:
        return abstained
    return not abstained and matches_gold(answer, row) and len(normalise(answer).split()) <= length_limit(row)


def token_f1(prediction: str, gold: str) -> float:
    pred, ref = normalise(prediction).split(), normalise(gold).split()
    if not pred or not ref:
        return float(pred == ref)
    common = 0
    remaining = list(ref)
    for token in pred:
        if token in remaining:
            remaining.remove(token)
            common += 1
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def best_f1(row: QARow, answer: str, abstained: bool) -> float:
    if abstained:
        return 0.0
    golds = [" ".join(item[0] for item in row.must_include)] if row.must_include else row.answers
    return max((token_f1(answer, gold) for gold in golds), default=0.0)


def evidence_rank(row: QARow, passage_texts: list[str]) -> int | None:
    """1-based rank of the first passage containing any evidence string, or None."""
    for rank, text in enumerate(passage_texts, start=1):
        if any(contains(text, evidence) for evidence in row.evidence):
            return rank
    return None


def load_qa(path: Path) -> list[QARow]:
    """Read a JSONL Q&A set; a bad line raises QASetError naming the file and line number."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise QASetError(f"{path} does not exist: pass a JSONL file in the shared Q&A format") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QASetError(f"{path} cannot be read ({exc})") from None
    rows: list[QARow] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QASetError(f"{where}: not valid JSON ({exc.msg})") from None
        row = _parse_row(data, where)
        if row.id in seen:
            raise QASetError(f"{where}: id {row.id!r} is used twice")
        seen.add(row.id)
        rows.append(row)
    if not rows:
        raise QASetError(f"{path} has no questions")
    return rows


def _parse_row(data: Any, where: str) -> QARow:
    if not isinstance(data, dict):
        raise QASetError(f"{where}: each line must be a JSON object")
    for key in ("id", "question"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise QASetError(f"{where}: {key!r} must be a non-empty string")
    answerable = data.get("answerable", True)
    if not isinstance(answerable, bool):
        raise QASetError(f"{where}: 'answerable' must be true or false")
    answers = data.get("answers", [])
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise QASetError(f"{where}: 'answers' must be a list of strings")
    must_include: list[list[str]] = []
    for item in data.get("must_include", []) or []:
        alternatives = [item] if isinstance(item, str) else item
        if not isinstance(alternatives, list) or not alternatives or not all(isinstance(a, str) for a in alternatives):
            raise QASetError(f"{where}: 'must_include' items must be strings or lists of strings")
        must_include.append(alternatives)
    evidence = data.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise QASetError(f"{where}: 'evidence' must be a list of strings")
    if answerable and not answers and not must_include:
        raise QASetError(f"{where}: an answerable question needs 'answers' or 'must_include'")
    return QARow(data["id"], data["question"], answers, must_include, evidence, answerable)


def prediction_row(row: QARow, answer: Answer) -> dict[str, Any]:
    return {
        "id": row.id,
        "question": row.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "passages": [p.to_dict() for p in answer.passages],
        "citations": [c.to_dict() for c in answer.citations],
        "latency_ms": round(answer.latency_ms, 3),
        "method": answer.method,
        "support": answer.support,
    }


def score(rows: list[QARow], predictions: list[dict[str, Any]]) -> dict[str, Any]:
    """All metrics of the shared format, from prediction rows in the same order as `rows`."""
    answerable = [(r, p) for r, p in zip(rows, predictions) if r.answerable]
    unanswerable = [(r, p) for r, p in zip(rows, predictions) if not r.answerable]
    correct = [is_correct(r, p["answer"], p["abstained"]) for r, p in zip(rows, predictions)]
    correct_answerable = [(r, p) for r, p in answerable if is_correct(r, p["answer"], p["abstained"])]
    with_evidence = [(r, p) for r, p in answerable if r.evidence]
    ranks = [evidence_rank(r, [x["text"] for x in p["passages"]]) for r, p in with_evidence]
    supported = [
        r for r, p in correct_answerable if matches_gold(" ".join(c["text"] for c in p["citations"]), r)
    ]
    latencies = [p["latency_ms"] for p in predictions]
    metrics: dict[str, Any] = {
        "questions": len(rows),
        "accuracy": _ratio(sum(correct), len(rows)),
        "answerable_accuracy": _ratio(len(correct_answerable), len(answerable)),
        "abstention_accuracy": _ratio(sum(p["abstained"] for _, p in unanswerable), len(unanswerable)),
        "false_abstentions": sum(p["abstained"] for _, p in answerable),
        "false_abstention_rate": _ratio(sum(p["abstained"] for _, p in answerable), len(answerable)),
    }
    for k in (1, 3, 5):
        metrics[f"evidence_recall@{k}"] = _ratio(sum(1 for rank in ranks if rank and rank <= k), len(ranks))
    metrics["mrr"] = _ratio(sum(1.0 / rank for rank in ranks if rank), len(ranks))
    metrics["f1"] = _ratio(sum(best_f1(r, p["answer"], p["abstained"]) for r, p in answerable), len(answerable))
    metrics["citation_support"] = _ratio(len(supported), len(correct_answerable))
    metrics["latency_p50_ms"] = round(float(np.percentile(latencies, 50)), 2) if latencies else None
    metrics["latency_p95_ms"] = round(float(np.percentile(latencies, 95)), 2) if latencies else None
    return metrics


def _ratio(numerator: float, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def run_eval(
    rows: list[QARow], ask: Callable[[str], Answer], *, progress: Callable[[int, int], None] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ask every question, return the prediction rows and the metrics."""
    predictions = []
    for n, row in enumerate(rows, start=1):
        predictions.append(prediction_row(row, ask(row.question)))
        if progress:
            progress(n, len(rows))
    return predictions, score(rows, predictions)


def format_metrics(metrics: dict[str, Any]) -> str:
    width = max(len(k) for k in metrics)
    return "\n".join(f"{k:<{width}}  {'-' if v is None else v}" for k, v in metrics.items())
