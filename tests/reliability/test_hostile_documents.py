"""Cases 9-12: malformed PDFs, a decompression bomb, documents without text and bad text files are each
indexed or skipped with a reason, quickly and in bounded memory, and the rest of the batch is indexed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pdfs
from helpers import ARTICLE, REPO, make_corpus, make_pdf, rag_env
from rag.index import load_index, open_index
from rag.ingest import Unusable, read_document
from rag.pipeline import Pipeline
from rag.settings import Settings

GOOD_PDF = make_pdf(["Amazon and Samsung agreed in Seattle to cooperate on televisions."])
GOOD_TXT = "Die Stadtwerke Köln eröffneten am Montag eine neue Straßenbahnlinie nach Porz."


def timed_read(path: Path) -> tuple[float, str | None]:
    """(seconds, the skip reason or None when it was read)."""
    started = time.perf_counter()
    try:
        read_document(path, path.name)
        reason = None
    except Unusable as exc:
        reason = str(exc)
    return time.perf_counter() - started, reason


def build(tmp_path: Path, embedder, files: dict[str, bytes]):
    corpus = make_corpus(tmp_path / "corpus")  # the bundled article, so the batch always has a good document
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    report = open_index(settings, embedder)
    return settings, report


# -- case 9 ------------------------------------------------------------------------------------------------------

MALFORMED = {
    "truncated.pdf": pdfs.truncated,
    "cyclic-page-tree.pdf": pdfs.cyclic_page_tree,
    "deep-array-in-page.pdf": pdfs.deep_array_in_page,
    "deep-array-in-content.pdf": pdfs.deep_array_in_content,
    "deep-page-tree.pdf": pdfs.deep_page_tree,
}


def test_case_09_malformed_pdfs_are_each_skipped_with_a_reason_in_under_5_s(tmp_path, embedder):
    files = {name: make() for name, make in MALFORMED.items()}
    files["good.pdf"] = GOOD_PDF
    files["good.txt"] = GOOD_TXT.encode()
    figures = []
    for name, data in files.items():
        path = tmp_path / "single" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        seconds, reason = timed_read(path)
        assert seconds < 5, (name, seconds)
        if name.startswith("good"):
            assert reason is None, (name, reason)
        else:
            assert reason and "PDF" in reason, (name, reason)
            figures.append(f"  {name:26s} {seconds * 1000:6.0f} ms  {reason}")
    print("\ncase 9:\n" + "\n".join(figures))

    started = time.perf_counter()
    settings, report = build(tmp_path, embedder, files)
    skipped = {s.name: s.reason for s in report.skipped}
    assert sorted(skipped) == sorted(MALFORMED)
    assert sorted(load_index(settings.index_dir).documents_by_name) == sorted([ARTICLE.name, "good.pdf", "good.txt"])
    print(f"  the batch: {len(MALFORMED)} skipped, 3 indexed in {time.perf_counter() - started:.1f}s")


# -- case 10 -----------------------------------------------------------------------------------------------------

MEASURE = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from rag.ingest import Unusable, read_document
warm = Path(sys.argv[2])
read_document(warm, warm.name)  # imports and first-use allocations are not the bomb's
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
started = time.perf_counter()
path = Path(sys.argv[1])
try:
    read_document(path, path.name)
    reason = None
except Unusable as exc:
    reason = str(exc)
print(json.dumps({"reason": reason, "seconds": time.perf_counter() - started,
                  "growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
                  "python_peak_mb": tracemalloc.get_traced_memory()[1] / 2**20}))
"""


def test_case_10_a_decompression_bomb_is_rejected_with_memory_growth_under_200_mb(tmp_path, embedder):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdfs.bomb(512))  # 512 MB of content from about half a megabyte
    warm = tmp_path / "warm.pdf"
    warm.write_bytes(GOOD_PDF)
    result = subprocess.run([sys.executable, "-c", MEASURE, str(bomb), str(warm)], capture_output=True, text=True,
                            env=rag_env(), cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    assert measured["reason"] and "decompression bomb" in measured["reason"], measured
    assert measured["growth_mb"] < 200 and measured["python_peak_mb"] < 200, measured
    assert measured["seconds"] < 5, measured
    print(f"\ncase 10: {bomb.stat().st_size / 1024:.0f} KB file inflating to 512 MB: rejected in "
          f"{measured['seconds']:.2f}s, growth of the process's peak RSS {measured['growth_mb']:.0f} MB, "
          f"peak Python allocation {measured['python_peak_mb']:.0f} MB: {measured['reason']}")

    settings, report = build(tmp_path, embedder, {"bomb.pdf": bomb.read_bytes(), "good.pdf": GOOD_PDF})
    assert [s.name for s in report.skipped] == ["bomb.pdf"]
    assert sorted(report.index.documents_by_name) == sorted([ARTICLE.name, "good.pdf"])


# -- case 11 -----------------------------------------------------------------------------------------------------

NO_TEXT = {
    "whitespace.txt": b"  \n\t\n   \r\n",
    "only-markup.html": b"<html><head><title></title><script>var a = 'Samsung';</script></head><body> </body></html>",
    "only-markup.md": b"# \n\n---\n\n> \n\n* \n",
    "no-text.pdf": make_pdf([]),
    "blank-lines.pdf": make_pdf(["   ", "", "   "]),
    "whitespace-bomb.pdf": pdfs.bomb(8),  # 8 MB of spaces: pypdf's extract_text() quietly returns ""
}


def test_case_11_a_document_whose_text_is_empty_or_whitespace_is_reported_as_no_text(tmp_path, embedder):
    for name, data in NO_TEXT.items():
        path = tmp_path / "single" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        seconds, reason = timed_read(path)
        assert reason is not None and reason.startswith("no text"), (name, reason)
    settings, report = build(tmp_path, embedder, NO_TEXT)
    skipped = {s.name: s.reason for s in report.skipped}
    assert sorted(skipped) == sorted(NO_TEXT) and all(r.startswith("no text") for r in skipped.values()), skipped
    assert list(load_index(settings.index_dir).documents_by_name) == [ARTICLE.name]
    entries = {e["name"]: e for e in load_index(settings.index_dir).manifest["corpus"]["files"]}
    assert all(entries[name]["skipped"].startswith("no text") for name in NO_TEXT)


# -- case 12 -----------------------------------------------------------------------------------------------------

RTL_EMOJI = ("مرحبا بكم في مدينة كولونيا. שלום לכולם מירושלים. "
             "Samsung 🚀 and Qualcomm 🤝 met in San Jose 🇺🇸 on 10 June. 👍🏽 Ein Treffen in Köln 🎉.")


def bad_text_files() -> dict[str, bytes]:
    latin = "Die Bürgermeisterin äußerte sich über die Straßenbahn nach Köln.".encode("latin-1")
    return {
        "non-utf8.txt": b"Caf\xe9 au lait co\xfbte 3 \x80 in M\xfcnchen, sagte der Wirt am Montag.",
        "binary.txt": bytes(range(256)) * 64,
        "mixed-encodings.txt": "Die Straße führt über München. ".encode() + latin,
        "nul-bytes.txt": b"Samsung traf\x00 Qualcomm in San\x00 Jose am 10. Juni.\x00",
        "utf16-without-bom.txt": "Samsung traf Qualcomm in San Jose.".encode("utf-16-le"),
        "single-line-50mb.txt": b"word " * (10 * 1024 * 1024),
        "only-punctuation.txt": b"!!! ??? ... ,,, ;;; --- *** ((( ))) !!! \xc2\xbf\xc2\xa1 \xe2\x80\xa6",
        "rtl-and-emoji.txt": RTL_EMOJI.encode(),
        "duplicate-a.txt": GOOD_TXT.encode(),
        "duplicate-b.txt": GOOD_TXT.encode(),
    }


def test_case_12_bad_text_inputs_are_each_indexed_or_skipped_with_a_reason_never_a_crash(tmp_path, embedder):
    files = bad_text_files()
    started = time.perf_counter()
    settings, report = build(tmp_path, embedder, files)
    seconds = time.perf_counter() - started
    index = load_index(settings.index_dir)
    indexed = set(index.documents_by_name)
    skipped = {s.name: s.reason for s in report.skipped}
    for name in files:
        assert (name in indexed) != (name in skipped), name  # exactly one of the two
        assert name not in skipped or skipped[name].strip(), name
    assert {"non-utf8.txt", "mixed-encodings.txt", "nul-bytes.txt", "rtl-and-emoji.txt", "duplicate-a.txt"} <= indexed
    assert "Café" in index.documents_by_name["non-utf8.txt"].text
    assert "\x00" not in index.documents_by_name["nul-bytes.txt"].text
    assert "🚀" in index.documents_by_name["rtl-and-emoji.txt"].text and "מירושלים" in index.documents_by_name[
        "rtl-and-emoji.txt"].text
    assert skipped["duplicate-b.txt"] == "same content as duplicate-a.txt"
    assert "binary" in skipped["binary.txt"] and "binary" in skipped["utf16-without-bom.txt"]
    assert "line of 52,428,799 characters" in skipped["single-line-50mb.txt"]
    assert skipped["only-punctuation.txt"].startswith("no text")
    print(f"\ncase 12: {len(files)} files in {seconds:.1f}s (the 50 MB line included): indexed {sorted(indexed)}; "
          "skipped " + "; ".join(f"{n}: {r}" for n, r in sorted(skipped.items())))
    answer = Pipeline(settings, embedder=embedder).ask("Wo trafen sich Samsung und Qualcomm?")
    assert answer.passages  # and questions are answered over RTL, emoji and repaired text
