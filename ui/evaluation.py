"""The Evaluate page's runs: score the pipeline on a Q&A set with `rag.evaluate`, and mark what changed since
the previous run on the same set (kept on disk, keyed by the set's sha256)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.evaluate import QARow, is_correct, load_qa, run_eval
from rag.records import Answer

from .render import esc, table_html

# The metrics shown first, as cards; the rest follow in `rag eval`'s order.
HEADLINE = ("accuracy", "answerable_accuracy", "abstention_accuracy", "evidence_recall@5", "mrr", "f1",
            "citation_support", "latency_p50_ms")
LOWER_IS_BETTER = {"false_abstentions", "false_abstention_rate", "latency_p50_ms", "latency_p95_ms"}


@dataclass(frozen=True)
class QuestionResult:
    id: str
    question: str
    expected: str
    answer: str
    abstained: bool
    correct: bool
    citations: tuple[str, ...]  # "document:start-end", in the answer's order
    change: str = ""  # "newly right", "newly wrong", "new" or "" (same as the previous run)


@dataclass(frozen=True)
class EvalRun:
    set_name: str
    set_sha256: str
    results: tuple[QuestionResult, ...]
    metrics: dict[str, Any]
    previous_metrics: dict[str, Any] | None  # of the previous run on the same set, if any
    previous_at: str  # when that run finished
    predictions_path: Path  # one prediction row per question, as `rag eval --predictions` writes


def expected_text(row: QARow) -> str:
    if not row.answerable:
        return "(no answer: should abstain)"
    if row.must_include:
        return " + ".join(" / ".join(alternatives) for alternatives in row.must_include)
    return " / ".join(row.answers)


class Evaluations:
    """Runs evaluations one at a time and remembers, per Q&A set, which questions the last run got right."""

    def __init__(self, runs_dir: Path | None = None) -> None:
        self.runs_dir = Path(runs_dir) if runs_dir is not None else None
        self._lock = threading.Lock()
        self._memory: dict[str, dict[str, Any]] = {}  # when there is no runs_dir (or it cannot be written)
        self._downloads = Path(tempfile.mkdtemp(prefix="rag-eval-"))

    def run(self, qa_path: Path, set_name: str, ask: Callable[[str], Answer],
            progress: Callable[[int, int], None] | None = None) -> EvalRun:
        """Ask every question of the set; raises QASetError for a bad set."""
        rows = load_qa(qa_path)
        digest = hashlib.sha256(Path(qa_path).read_bytes()).hexdigest()
        with self._lock:
            predictions, metrics = run_eval(rows, ask, progress=progress)
            previous = self._previous(digest)
            before = previous.get("correct", {}) if previous else {}
            results = []
            for row, prediction in zip(rows, predictions):
                correct = is_correct(row, prediction["answer"], prediction["abstained"])
                if not previous:
                    change = ""
                elif row.id not in before:
                    change = "new"
                elif before[row.id] != correct:
                    change = "newly right" if correct else "newly wrong"
                else:
                    change = ""
                results.append(QuestionResult(
                    row.id, row.question, expected_text(row), prediction["answer"], prediction["abstained"], correct,
                    tuple(f"{c['doc']}:{c['start']}-{c['end']}" for c in prediction["citations"]), change,
                ))
            finished = time.strftime("%Y-%m-%d %H:%M:%S")
            self._remember(digest, {
                "set": set_name, "finished_at": finished, "metrics": metrics,
                "correct": {r.id: r.correct for r in results},
            })
            path = self._downloads / f"predictions-{Path(set_name).stem}-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
            with open(path, "w", encoding="utf-8") as handle:
                for prediction in predictions:
                    handle.write(json.dumps(prediction, ensure_ascii=False) + "\n")
        return EvalRun(set_name, digest, tuple(results), metrics,
                       previous.get("metrics") if previous else None,
                       previous.get("finished_at", "") if previous else "", path)

    def _previous(self, digest: str) -> dict[str, Any] | None:
        if digest in self._memory:
            return self._memory[digest]
        if self.runs_dir is None:
            return None
        try:
            return json.loads((self.runs_dir / f"{digest[:24]}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _remember(self, digest: str, record: dict[str, Any]) -> None:
        self._memory[digest] = record
        if self.runs_dir is None:
            return
        try:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            target = self.runs_dir / f"{digest[:24]}.json"
            temporary = target.with_suffix(".tmp")
            temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, target)
        except OSError:
            pass  # the run is still remembered in memory for this session


def metrics_html(run: EvalRun) -> str:
    cards = []
    ordered = [k for k in HEADLINE if k in run.metrics] + [k for k in run.metrics if k not in HEADLINE]
    for key in ordered:
        value = run.metrics[key]
        delta = ""
        before = (run.previous_metrics or {}).get(key)
        if isinstance(value, (int, float)) and isinstance(before, (int, float)) and value != before:
            better = (value < before) if key in LOWER_IS_BETTER else (value > before)
            delta = (f'<div class="delta {"up" if better else "down"}">{value - before:+.4g} since the previous '
                     "run</div>")
        shown = "–" if value is None else value
        cards.append(f'<div class="metric"><div class="name">{esc(key)}</div>'
                     f'<div class="value">{esc(shown)}</div>{delta}</div>')
    return f'<div class="rag-metrics" id="eval-metrics">{"".join(cards)}</div>'


def summary_text(run: EvalRun) -> str:
    right = sum(r.correct for r in run.results)
    text = f"{run.set_name}: {right} of {len(run.results)} right (accuracy {run.metrics['accuracy']})."
    if run.previous_metrics is not None:
        newly_right = sum(r.change == "newly right" for r in run.results)
        newly_wrong = sum(r.change == "newly wrong" for r in run.results)
        text += (f" Since the previous run ({run.previous_at}): {newly_right} newly right, "
                 f"{newly_wrong} newly wrong.")
    return text


def results_html(run: EvalRun, *, only: str = "all") -> str:
    """The per-question table; `only` is "all", "wrong" or "changed"."""
    shown = [r for r in run.results if only == "all" or (only == "wrong" and not r.correct)
             or (only == "changed" and r.change in ("newly right", "newly wrong"))]
    return table_html(
        ["id", "question", "expected", "answer", "right?", "citations", "change"],
        ([esc(r.id), esc(r.question), esc(r.expected),
          esc("(abstained)" if r.abstained else r.answer),
          '<span class="ok">✓ right</span>' if r.correct else '<span class="bad">✗ wrong</span>',
          esc(", ".join(r.citations)), esc(r.change)] for r in shown),
        row_attrs=[f'class="{r.change.replace(" ", "-")}"' if r.change else "" for r in shown],
        empty="No questions to show.",
    )
