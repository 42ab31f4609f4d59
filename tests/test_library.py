"""The document library: safe names, checked uploads, duplicates, deletes and background rebuilds with a swap."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from helpers import ARTICLE, ARTICLES, make_corpus, make_pdf
from rag.library import Library, LibraryError, safe_name
from rag.pipeline import Pipeline
from rag.settings import Settings

CUP_FINAL = next(p for p in ARTICLES if p.name == "en_sports_cup_final.txt")


@pytest.fixture
def library(tmp_path, embedder) -> Library:
    """A library over a fresh corpus holding the bundled article, its index built and served."""
    settings = Settings(corpus_dir=make_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index")
    pipeline = Pipeline(settings, embedder=embedder)
    pipeline.open()
    return Library(pipeline)


def upload(tmp_path: Path, name: str, data: bytes | str) -> tuple[str, Path]:
    """What the browser hands over: the user's file name and a temporary file with the bytes."""
    folder = tmp_path / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / "blob"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return name, path


def corpus_names(library: Library) -> list[str]:
    return sorted(p.name for p in library.corpus_dir.iterdir())


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("notes.txt", "notes.txt"),
        ("../../x.txt", "x.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        ("/etc/passwd", "passwd"),
        (".hidden.txt", "hidden.txt"),
        ("..", "document"),
        ("", "document"),
        ("Report.PDF", "Report.pdf"),
        ("<script>alert(1)</script>.txt", "script.txt"),
        ("<img src=x onerror=alert(1)>.md", "img src_x onerror_alert_1.md"),
        ("Übersicht März 2025.md", "Übersicht März 2025.md"),
        ("a\x00b\nc.txt", "a_b_c.txt"),
    ],
)
def test_safe_name_stays_in_the_folder_and_is_not_hidden(given, expected):
    assert safe_name(given) == expected


def test_safe_name_is_bounded():
    name = safe_name("x" * 500 + ".txt")
    assert name.endswith(".txt") and len(name) <= 120


def test_upload_is_saved_under_a_sanitised_name_inside_the_corpus(library, tmp_path):
    (outcome,) = library.add([upload(tmp_path, "../../escape.txt", CUP_FINAL.read_bytes())])
    assert outcome.status == "added" and outcome.saved_as == "escape.txt"
    assert (library.corpus_dir / "escape.txt").read_bytes() == CUP_FINAL.read_bytes()
    assert not (tmp_path / "escape.txt").exists() and not (library.corpus_dir.parent.parent / "escape.txt").exists()
    assert not any(p.name.startswith(".") for p in library.corpus_dir.iterdir()), "a staging file was left behind"


def test_bad_files_are_rejected_by_name_and_the_others_still_saved(library, tmp_path):
    small = Library(library.pipeline, max_bytes=1000)
    outcomes = small.add([
        upload(tmp_path, "broken.pdf", b"%PDF-1.4\nthis is not really a pdf"),
        upload(tmp_path, "program.exe", b"MZ\x90\x00"),
        upload(tmp_path, "empty.txt", b""),
        upload(tmp_path, "big.txt", "word " * 400),
        upload(tmp_path, "good.md", "# Notes\n\nThe harbour festival takes place on 3 August in Kiel."),
        upload(tmp_path, "report.pdf", make_pdf(["The museum opened on 4 May 2021 in Bremen."])),
    ])
    by_name = {o.name: o for o in outcomes}
    assert [by_name[n].status for n in ("broken.pdf", "program.exe", "empty.txt", "big.txt")] == ["rejected"] * 4
    assert "PDF" in by_name["broken.pdf"].reason
    assert "not allowed" in by_name["program.exe"].reason and ".pdf" in by_name["program.exe"].reason
    assert by_name["empty.txt"].reason == "empty file"
    assert "larger than the limit" in by_name["big.txt"].reason
    assert by_name["good.md"].status == by_name["report.pdf"].status == "added"
    assert corpus_names(library) == ["good.md", "report.pdf", ARTICLE.name]


def test_duplicates_are_recognised_by_content(library, tmp_path):
    outcomes = library.add([
        upload(tmp_path, "copy of the article.txt", ARTICLE.read_bytes()),  # already indexed
        upload(tmp_path, "with BOM.txt", b"\xef\xbb\xbf" + ARTICLE.read_bytes()),  # same text, other bytes
        upload(tmp_path, "cup.txt", CUP_FINAL.read_bytes()),
        upload(tmp_path, "cup again.txt", CUP_FINAL.read_bytes()),  # same batch
    ])
    assert [o.status for o in outcomes] == ["duplicate", "duplicate", "added", "duplicate"]
    assert outcomes[0].reason == outcomes[1].reason == f"same content as {ARTICLE.name}"
    assert outcomes[3].reason == "same content as cup.txt"
    assert corpus_names(library) == ["cup.txt", ARTICLE.name]


def test_same_name_with_new_content_replaces_the_file(library, tmp_path):
    library.add([upload(tmp_path, "notes.txt", "The fair opens on 2 March in Hanover.")])
    (outcome,) = library.add([upload(tmp_path, "notes.txt", "The fair opens on 9 March in Hanover.")])
    assert outcome.status == "replaced"
    assert "9 March" in (library.corpus_dir / "notes.txt").read_text()


def test_rebuild_swaps_in_the_new_index_and_lists_the_documents(library, tmp_path):
    old = library.pipeline.index
    library.add([upload(tmp_path, "cup.txt", CUP_FINAL.read_bytes())])
    rows = {row.name: row for row in library.documents()}
    assert rows["cup.txt"].status == "new" and rows[ARTICLE.name].status == "indexed"

    answers: list[str] = []
    stages: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:  # questions are answered all through the rebuild, which says what it does
        while not stop.is_set():
            stages.append(library.status().stage)
            answers.append(library.pipeline.ask("Wann traf Lee den Qualcomm-Chef?").text)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        ticket = library.rebuild()
        status = library.wait(ticket, timeout=120)
    finally:
        stop.set()
        asker.join()
    assert status.state == "done", status.message
    assert status.message.startswith("indexed 2 documents")
    assert answers and all("10. Juni" in a for a in answers)
    assert "indexing: cup.txt added" in stages
    assert library.pipeline.index is not old
    rows = {row.name: row for row in library.documents()}
    cup = rows["cup.txt"]
    assert (cup.status, cup.language) == ("indexed", "en")
    assert cup.sentences > 10 and cup.chunks > 2 and cup.facts > 10 and cup.size == CUP_FINAL.stat().st_size
    answer = library.pipeline.ask("In which stadium was the Northern Cup final played?")
    assert "Ashgrove Stadium" in answer.text and answer.citations[0].doc == "cup.txt"


def test_delete_then_rebuild_drops_the_document(library, tmp_path):
    library.add([upload(tmp_path, "cup.txt", CUP_FINAL.read_bytes())])
    library.wait(library.rebuild(), timeout=120)
    library.delete("cup.txt")
    assert {row.name: row.status for row in library.documents()}["cup.txt"] == "removed"
    status = library.wait(library.rebuild(), timeout=120)
    assert status.state == "done"
    assert [row.name for row in library.documents()] == [ARTICLE.name]
    assert "cup.txt" not in library.pipeline.index.documents_by_name


def test_delete_refuses_unknown_names_and_the_last_document(library):
    with pytest.raises(LibraryError, match="not in the corpus"):
        library.delete("../index/current")
    with pytest.raises(LibraryError, match="last document"):
        library.delete(ARTICLE.name)
    assert corpus_names(library) == [ARTICLE.name]


def test_failed_rebuild_keeps_serving_the_old_index(library):
    old = library.pipeline.index
    (library.corpus_dir / ARTICLE.name).rename(library.corpus_dir.parent / "away.txt")  # nothing usable left
    try:
        status = library.wait(library.rebuild(), timeout=120)
        assert status.state == "failed" and "old index" in status.message and "no usable document" in status.message
        assert library.pipeline.index is old
        assert "Andy Jassy" in library.pipeline.ask("Who attended the Amazon meeting?").text
    finally:
        (library.corpus_dir.parent / "away.txt").rename(library.corpus_dir / ARTICLE.name)


def test_rebuild_requests_coalesce_behind_a_running_one(library, tmp_path):
    first = library.rebuild()
    library.add([upload(tmp_path, "notes.md", "The harbour festival takes place on 3 August in Kiel.")])
    second = library.rebuild()
    status = library.wait(second, timeout=120)
    assert second > first and status.state == "done"
    assert "notes.md" in library.pipeline.index.documents_by_name
    assert not library.status().running
