"""Paths and small helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from rag.records import Document

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "corpus" / "samsung_lee_us_trip_de.txt"
ARTICLES = sorted((REPO / "tests" / "data" / "articles").glob("*.txt"))
QA_SAMSUNG = REPO / "tests" / "data" / "qa" / "samsung_lee.jsonl"
RAG = Path(sys.executable).with_name("rag")  # the console script of the venv that runs the tests


def make_corpus(folder: Path, *files: Path) -> Path:
    """A corpus folder holding copies of `files` (the bundled article when none are given)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in files or (ARTICLE,):
        shutil.copy(path, folder / path.name)
    return folder


def document(text: str, language: str, name: str = "test.txt") -> Document:
    """A Document built directly, for splitter and chunker cases."""
    return Document(id=f"id-{name}", name=name, text=text, language=language, source_sha256="", size=len(text))


def rag_env() -> dict[str, str]:
    """The environment for a `rag` subprocess: offline, and no RAG_* settings leaking in from the shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    return env


def run_rag(*args: str | Path, timeout: float = 180, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RAG), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=rag_env(),
        cwd=cwd or REPO,
    )


def stderr_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_one_line_error(result: subprocess.CompletedProcess) -> str:
    """Exit code 2, exactly one non-empty line on stderr, no traceback; returns that line."""
    lines = stderr_lines(result)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rag: error:"), lines[0]
    return lines[0]


def make_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF (Helvetica, WinAnsi) showing `lines`, with a correct xref table."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shows = " ".join(f"({escape(line)}) Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td 16 TL {shows} ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return assemble_pdf(objects)


def assemble_pdf(objects: list[bytes]) -> bytes:
    """PDF objects 1..n with a correct xref table and trailer (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# Questions on the bundled article and what a right answer contains (None: the documents don't say).
KNOWN_ANSWERS = {
    "Who attended the Amazon meeting?": "Andy Jassy",
    "Wann traf Lee den Qualcomm-Chef?": "10. Juni",
    "Wo traf Lee Mark Zuckerberg?": "Palo Alto",
    "What did Lee discuss with Tim Cook?": None,
}


def assert_all_answered(questions: list[str], results: list, errors: list[str]) -> None:
    """Every concurrent question got its right answer (with citations) or its abstention; none was dropped."""
    assert not errors, errors
    assert all(result is not None for result in results), "a question was dropped"
    for question, result in zip(questions, results):
        expected = KNOWN_ANSWERS[question]
        if expected is None:
            assert result["abstained"], (question, result["answer"])
        else:
            assert not result["abstained"] and expected in result["answer"], (question, result["answer"])
            assert result["citations"], question
