"""The `rag` command as a user runs it: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ARTICLE, QA_SAMSUNG, REPO, assert_one_line_error, rag_env, run_rag
from rag.evaluate import load_qa


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    """A tmp index of the bundled corpus, built by `rag index` itself."""
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    result = run_rag("index", "-i", index_dir, "-c", ARTICLE.parent)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("indexed 1 documents"), result.stdout
    return index_dir


def test_help_exits_0_without_loading_heavy_libraries():
    code = (
        "import sys\n"
        "from rag.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "else:\n"
        "    code = 'no exit'\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'gradio', 'faiss', 'transformers')"
        " if m in sys.modules)\n"
        "print('RESULT', code, ','.join(heavy) or '-')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=rag_env(), cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "RESULT 0 -"
    assert "usage: rag" in result.stdout
    for command in ("index", "search", "ask", "eval", "chat"):
        assert command in result.stdout


def test_help_via_console_script():
    result = run_rag("--help")
    assert result.returncode == 0
    assert "usage: rag" in result.stdout and result.stderr == ""
    assert run_rag("ask", "--help").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["ask", "--bogus", "Wer?"],
        ["frobnicate"],
        [],
        ["ask"],
        ["search", "Wer?", "-k", "drei"],
    ],
    ids=["unknown-option", "unknown-option-of-command", "unknown-command", "no-command", "missing-question",
         "k-not-a-number"],
)
def test_usage_errors_exit_2_with_one_line(args):
    result = run_rag(*args)
    line = assert_one_line_error(result)
    assert "--help" in line
    assert result.stdout == ""


def test_eval_missing_file_exits_2(tmp_path):
    missing = tmp_path / "missing.jsonl"
    result = run_rag("eval", missing, "-i", tmp_path / "index", "-c", ARTICLE.parent)
    line = assert_one_line_error(result)
    assert str(missing) in line
    assert not (tmp_path / "index").exists(), "a bad Q&A file is reported before anything is built"


def test_eval_bad_line_names_line_number(tmp_path):
    qa = tmp_path / "qa.jsonl"
    qa.write_text(
        '{"id": "a", "question": "Wer?", "answers": ["Lee"]}\n'
        '{"id": "b", "question": "Wo?", "answers": ["San Jose"]}\n'
        '{"id": "c", "question": "Wann?", "answers": ["10. Juni"\n',
        encoding="utf-8",
    )
    result = run_rag("eval", qa, "-i", tmp_path / "index", "-c", ARTICLE.parent)
    line = assert_one_line_error(result)
    assert f"{qa}:3" in line


def test_ask_on_corpus_without_usable_document_exits_2(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "letter.docx").write_bytes(b"PK\x03\x04 not a text")
    (corpus / "noise.txt").write_bytes(bytes(range(256)) * 8)
    result = run_rag("ask", "-i", tmp_path / "index", "-c", corpus, "Wer?")
    line = assert_one_line_error(result)
    assert "no usable document" in line and str(corpus) in line


def test_ask_on_missing_corpus_exits_2(tmp_path):
    result = run_rag("ask", "-i", tmp_path / "index", "-c", tmp_path / "nowhere", "Wer?")
    line = assert_one_line_error(result)
    assert "does not exist" in line


def test_search_k_below_1_exits_2(tmp_path):
    result = run_rag("search", "Wer?", "-k", "0", "-i", tmp_path / "index", "-c", ARTICLE.parent)
    assert_one_line_error(result)


def test_index_again_is_up_to_date(cli_index):
    result = run_rag("index", "-i", cli_index, "-c", ARTICLE.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("index is up to date"), result.stdout


def test_ask_json(cli_index):
    question = "Who attended the Amazon meeting?"
    result = run_rag("ask", "--json", "-i", cli_index, "-c", ARTICLE.parent, question)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    answer = json.loads(result.stdout)
    assert isinstance(answer, dict)
    assert {"answer", "abstained", "citations", "passages"} <= set(answer)
    assert answer["question"] == question
    assert isinstance(answer["answer"], str) and isinstance(answer["abstained"], bool)
    assert len(answer["passages"]) >= 5
    text = ARTICLE.read_text(encoding="utf-8")
    for passage in answer["passages"]:
        assert passage["doc"] == ARTICLE.name
        assert text[passage["start"] : passage["end"]] == passage["text"]
    for citation in answer["citations"]:
        assert text[citation["start"] : citation["end"]] == citation["text"]
    assert bool(answer["citations"]) != answer["abstained"]


def test_search_json_prints_one_passage_per_line(cli_index):
    result = run_rag("search", "--json", "-k", "3", "-i", cli_index, "-c", ARTICLE.parent, "Qualcomm San Jose")
    assert result.returncode == 0, result.stderr
    passages = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(passages) == 3
    assert all({"doc", "text", "score", "start", "end"} <= set(p) for p in passages)


def test_eval_writes_predictions_and_json_metrics(cli_index, tmp_path):
    predictions_file = tmp_path / "predictions.jsonl"
    result = run_rag(
        "eval", QA_SAMSUNG, "--predictions", predictions_file, "--json", "-i", cli_index, "-c", ARTICLE.parent
    )
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    rows = load_qa(QA_SAMSUNG)
    assert metrics["questions"] == len(rows)
    for key in ("accuracy", "answerable_accuracy", "abstention_accuracy", "false_abstentions",
                "evidence_recall@1", "evidence_recall@3", "evidence_recall@5", "mrr", "f1", "citation_support",
                "latency_p50_ms", "latency_p95_ms"):
        assert key in metrics, key

    predictions = [json.loads(line) for line in predictions_file.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in predictions] == [r.id for r in rows]
    for row, p in zip(rows, predictions):
        assert {"id", "question", "answer", "abstained", "passages", "citations", "latency_ms"} <= set(p)
        assert p["question"] == row.question
        assert isinstance(p["answer"], str) and isinstance(p["abstained"], bool)
        assert isinstance(p["latency_ms"], (int, float)) and p["latency_ms"] >= 0
        assert len(p["passages"]) >= 5
        for passage in p["passages"]:
            assert isinstance(passage["doc"], str) and isinstance(passage["text"], str)
            assert isinstance(passage["score"], (int, float))
        for citation in p["citations"]:
            assert {"doc", "text", "start", "end"} <= set(citation)
            assert isinstance(citation["start"], int) and isinstance(citation["end"], int)
        if p["abstained"]:
            assert p["answer"] == ""


def test_eval_predictions_to_unwritable_path_exits_2(cli_index, tmp_path):
    target = tmp_path / "no-such-folder" / "predictions.jsonl"
    result = run_rag("eval", QA_SAMSUNG, "--predictions", target, "-i", cli_index, "-c", ARTICLE.parent)
    line = assert_one_line_error(result)
    assert str(target) in line
