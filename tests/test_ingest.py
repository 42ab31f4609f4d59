"""Reading documents: every supported format, broken files skipped with a reason, the rest still read."""

from __future__ import annotations

import hashlib
import random
import re

import pytest

from helpers import ARTICLE, ARTICLES, make_pdf
from rag.errors import CorpusError
from rag.ingest import Unusable, load_documents, read_document

GERMAN = (
    "Die Bürgermeisterin äußerte sich am Montag über die neue Straßenbahn. Größere Züge sollen künftig "
    "öfter nach Köln fahren.\nÜberall in der Stadt grüßen die Fahrgäste die Änderung, heißt es im Rathaus."
)
GOOD_TXT = "Samsung und Qualcomm trafen sich in San Jose. Es ging um Chips und künstliche Intelligenz."


def write(path, data: bytes | str):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def read(path):
    return read_document(path, path.name)


# -- formats ---------------------------------------------------------------------------------------------------


def test_txt_utf8(tmp_path):
    path = write(tmp_path / "a.txt", GERMAN)
    doc = read(path)
    assert doc.text == GERMAN
    assert doc.language == "de"
    assert doc.name == "a.txt"
    assert doc.size == len(GERMAN.encode("utf-8"))
    assert doc.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.id == hashlib.sha256(GERMAN.encode("utf-8")).hexdigest()


def test_txt_utf8_with_bom(tmp_path):
    doc = read(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + GERMAN.encode("utf-8")))
    assert doc.text == GERMAN
    assert not doc.text.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_txt_legacy_encoding_umlauts_detected(tmp_path, encoding):
    text = GERMAN + (" Der Fahrschein kostet 3 €." if encoding == "cp1252" else "")
    doc = read(write(tmp_path / f"{encoding}.txt", text.encode(encoding)))
    assert doc.text == text
    assert "Bürgermeisterin äußerte" in doc.text and "Überall" in doc.text
    assert doc.language == "de"


def _german_lines_with_umlauts() -> list[str]:
    lines = []
    for path in (ARTICLE, *ARTICLES):
        if path.name.startswith("en_"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                data = line.encode("cp1252")
            except UnicodeEncodeError:
                continue
            if not data.isascii():
                lines.append(line)
    return lines


def test_txt_short_cp1252_paragraphs_decoded_correctly(tmp_path):
    """One-paragraph notes saved by an old Windows editor: every line of the German articles, one file each."""
    lines = _german_lines_with_umlauts()
    assert len(lines) > 10
    wrong = []
    for number, line in enumerate(lines):
        doc = read(write(tmp_path / f"line{number}.txt", line.encode("cp1252")))
        if doc.text != line:
            wrong.append((line, doc.text))
    assert wrong == []


def test_txt_crlf_and_control_characters_are_cleaned(tmp_path):
    doc = read(write(tmp_path / "crlf.txt", "Erste Zeile.\r\nZweite\x00 Zeile.   \r\n\r\n\r\n\r\nDritte Zeile.\r\n"))
    assert doc.text == "Erste Zeile.\nZweite  Zeile.\n\nDritte Zeile."


def test_markdown_markup_removed(tmp_path):
    markdown = (
        "# Samsung trifft Qualcomm\n\n"
        "Lee traf **Cristiano Amon** in [San Jose](https://example.com/sj) zu einem `Arbeitsessen`.\n"
        "![Ein Foto vom Treffen](foto.png)\n\n"
        "## Themen\n\n"
        "- Halbleiter der nächsten Generation\n"
        "* Künstliche Intelligenz\n"
        "1. Kommunikationschips\n"
    )
    doc = read(write(tmp_path / "notes.md", markdown))
    for markup in ("#", "**", "`", "](", "https://", "foto.png", "![", "- ", "* ", "1. "):
        assert markup not in doc.text, markup
    assert doc.text.splitlines()[0] == "Samsung trifft Qualcomm"
    for words in (
        "Lee traf Cristiano Amon in San Jose zu einem Arbeitsessen.",
        "Ein Foto vom Treffen",
        "Themen",
        "Halbleiter der nächsten Generation",
        "Künstliche Intelligenz",
        "Kommunikationschips",
    ):
        assert words in doc.text.splitlines(), words
    assert doc.language == "de"


def test_markdown_single_emphasis_and_quotes_removed(tmp_path):
    doc = read(write(tmp_path / "em.md", "Ein *kursiver* und ein _betonter_ Satz.\n\n> Ein Zitat von Lee.\n"))
    assert doc.text.splitlines() == ["Ein kursiver und ein betonter Satz.", "", "Ein Zitat von Lee."]


def test_html_visible_text_only(tmp_path):
    markup = """<!DOCTYPE html>
<html><head><title>Seitentitel</title>
<style>body { color: red; } .geheim-stil { display: none }</style>
<script>var geheimesSkript = "nicht anzeigen";</script></head>
<body>
<h1>Samsung trifft Amazon</h1>
<p>Lee traf <b>Andy Jassy</b> in Seattle &amp; sprach über Cloud-Dienste.</p>
<p>Der zweite Absatz&nbsp;folgt hier.</p>
<!-- ein Kommentar, der nicht erscheint -->
<ul><li>Fernsehen</li><li>Mobilgeräte</li></ul>
<script>alert("auch nicht")</script><noscript>ohne Skript</noscript>
Zeile eins<br>Zeile zwei
</body></html>"""
    doc = read(write(tmp_path / "page.html", markup))
    lines = doc.text.splitlines()
    for hidden in ("geheim", "color", "alert", "nicht anzeigen", "Kommentar", "ohne Skript", "<", ">", "&amp;"):
        assert hidden not in doc.text, hidden
    assert "Lee traf Andy Jassy in Seattle & sprach über Cloud-Dienste." in lines
    assert "Der zweite Absatz folgt hier." in lines
    for line in ("Samsung trifft Amazon", "Fernsehen", "Mobilgeräte", "Zeile eins", "Zeile zwei"):
        assert line in lines, line


def test_htm_suffix_is_html(tmp_path):
    doc = read(write(tmp_path / "page.HTM", "<p>Ein Absatz mit Text.</p><script>x()</script>"))
    assert doc.text == "Ein Absatz mit Text."


def test_pdf_text_extracted(tmp_path):
    lines = ["Samsung and Qualcomm met in San Jose on June 10.", "The meeting was about AI chips (and networks)."]
    doc = read(write(tmp_path / "report.pdf", make_pdf(lines)))
    for word in ("Samsung", "Qualcomm", "San Jose", "June 10", "meeting", "AI chips", "(and networks)"):
        assert word in doc.text, (word, doc.text)
    assert doc.language == "en"


# -- broken files ----------------------------------------------------------------------------------------------

BROKEN = {
    "empty.txt": b"",
    "blank.md": b"   \n\n\t \n",
    "garbage.txt": random.Random(7).randbytes(4096),
    "letter.docx": b"PK\x03\x04 not really a word file",
    "truncated.pdf": make_pdf(["This text will be cut off half way."])[:200],
    "garbage.pdf": b"%PDF-1.4\n" + random.Random(8).randbytes(2048),
    "empty-page.pdf": make_pdf([]),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_raises_unusable(tmp_path, name):
    with pytest.raises(Unusable) as caught:
        read(write(tmp_path / name, BROKEN[name]))
    assert str(caught.value).strip()


def test_broken_files_skipped_good_files_still_loaded(tmp_path):
    corpus = tmp_path / "corpus"
    for name, data in BROKEN.items():
        write(corpus / name, data)
    write(corpus / "good.txt", GOOD_TXT)
    write(corpus / "sub" / "page.html", "<p>Ein Absatz über Meta und Samsung.</p>")
    write(corpus / "report.pdf", make_pdf(["Amazon and Samsung cooperate on TV and mobile."]))
    write(corpus / ".hidden.txt", "Versteckte Dateien werden nicht gelesen.")

    documents, skipped = load_documents([corpus])

    assert sorted(d.name for d in documents) == ["good.txt", "report.pdf", "sub/page.html"]
    reasons = {s.name: s.reason for s in skipped}
    assert sorted(reasons) == sorted(BROKEN)
    assert all(reason.strip() for reason in reasons.values())
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["garbage.txt"]
    assert "unsupported" in reasons["letter.docx"] and ".docx" in reasons["letter.docx"]
    assert "PDF" in reasons["truncated.pdf"] and "PDF" in reasons["garbage.pdf"]


def test_folder_without_usable_document_raises_corpus_error(tmp_path):
    corpus = tmp_path / "corpus"
    for name in ("empty.txt", "garbage.txt", "letter.docx", "garbage.pdf"):
        write(corpus / name, BROKEN[name])
    with pytest.raises(CorpusError) as caught:
        load_documents([corpus])
    assert str(corpus) in str(caught.value)


def test_empty_folder_and_missing_folder_raise_corpus_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError):
        load_documents([tmp_path / "empty"])
    with pytest.raises(CorpusError, match="does not exist"):
        load_documents([tmp_path / "nowhere"])


def test_duplicates_loaded_once(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "a.txt", GOOD_TXT)
    write(corpus / "b.txt", GOOD_TXT)
    write(corpus / "c.txt", b"\xef\xbb\xbf" + GOOD_TXT.replace("\n", "\r\n").encode())  # same text after cleaning
    write(corpus / "d.txt", GOOD_TXT + " Ein Satz mehr.")
    documents, skipped = load_documents([corpus])
    assert [d.name for d in documents] == ["a.txt", "d.txt"]
    assert {s.name for s in skipped} == {"b.txt", "c.txt"}
    assert all("a.txt" in s.reason for s in skipped)


def test_real_articles_load_in_stable_order(tmp_path):
    corpus = tmp_path / "corpus"
    for path in (ARTICLE, *ARTICLES):
        write(corpus / path.name, path.read_bytes())
    first, skipped = load_documents([corpus])
    second, _ = load_documents([corpus])
    assert skipped == []
    assert [d.name for d in first] == sorted(p.name for p in (ARTICLE, *ARTICLES))
    assert first == second
    languages = {d.name: d.language for d in first}
    assert languages == {p.name: ("en" if re.sub(r"^(?:heldout\d*|dev\d+)_", "", p.name).startswith("en_") else "de")
                         for p in (ARTICLE, *ARTICLES)}


def test_single_file_path_is_accepted(tmp_path):
    path = write(tmp_path / "one.txt", GOOD_TXT)
    documents, skipped = load_documents([path])
    assert [d.name for d in documents] == ["one.txt"] and skipped == []
