"""Sentence splitting (SoMaJo): no breaks inside dates, titles, abbreviations or numbers; exact offsets."""

from __future__ import annotations

import re

import pytest

from helpers import ARTICLE, ARTICLES, document
from rag.ingest import read_document
from rag.split import MAX_SENTENCE_CHARS, split_sentences

# (language, text, expected sentence count, phrases that must each lie inside a single sentence)
CASES = [
    (
        "de",
        "Am 10. Juni traf Lee den Chef von Qualcomm in San Jose. Danach flog er weiter nach Seattle.",
        2,
        ["Am 10. Juni"],
    ),
    (
        "de",
        "Der Vertrag wurde am 3. Oktober in Berlin unterschrieben. Alle Beteiligten waren zufrieden.",
        2,
        ["3. Oktober"],
    ),
    (
        "de",
        "Die Eröffnungsrede hielt Dr. Erika Beispiel von der Universität Bonn. Sie sprach über Halbleiter.",
        2,
        ["Dr. Erika Beispiel"],
    ),
    (
        "de",
        "Viele Konzerne, z. B. Amazon und Meta, investieren stark in KI. Samsung will dabei mithalten.",
        2,
        ["z. B."],
    ),
    (
        "de",
        "Der Umsatz stieg im Quartal auf 1,7 Milliarden Euro. Das war ein neuer Rekord. Die Aktie legte zu.",
        3,
        ["1,7 Milliarden"],
    ),
    (
        "en",
        "The U.S. economy grew by 3.5 percent last year. Analysts had expected less. Markets rallied.",
        3,
        ["U.S.", "3.5 percent"],
    ),
    (
        "en",
        "Samsung's chairman met Dr. Erika Beispiel in the U.S. on Monday. Sales rose 3.5 percent in June.",
        2,
        ["Dr. Erika Beispiel", "U.S.", "3.5 percent"],
    ),
    (
        "de",
        "Am 10. Juni sprach Dr. Erika Beispiel über Chips, z. B. Speicher. Der Markt wuchs um 1,7 Milliarden Euro "
        "bis zum 3. Oktober. Die Firma plant 3.5 percent mehr Personal in den U.S. Standorten.",
        3,
        ["Am 10. Juni", "Dr. Erika Beispiel", "z. B.", "1,7 Milliarden", "3. Oktober", "3.5 percent"],
    ),
]


def _assert_offsets(doc, sentences) -> None:
    """Exact offsets, in order, not overlapping, numbered 0..n-1, and nothing but whitespace left between."""
    assert sentences, doc.name
    position = 0
    for number, sentence in enumerate(sentences):
        assert sentence.index == number
        assert sentence.doc_id == doc.id
        assert doc.text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= position, f"sentence {number} overlaps the previous one"
        assert sentence.end > sentence.start
        assert sentence.text == sentence.text.strip()
        assert doc.text[position : sentence.start].strip() == "", f"text lost before sentence {number}"
        position = sentence.end
    assert doc.text[position:].strip() == ""


@pytest.mark.parametrize(("language", "text", "count", "phrases"), CASES, ids=[c[3][0] for c in CASES])
def test_no_split_inside_dates_titles_abbreviations_numbers(language, text, count, phrases):
    doc = document(text, language)
    sentences = split_sentences(doc)
    texts = [s.text for s in sentences]
    assert len(sentences) == count, texts
    for phrase in phrases:
        holders = [s for s in sentences if phrase in s.text]
        assert len(holders) == 1, f"{phrase!r} is split across sentences: {texts}"
    _assert_offsets(doc, sentences)


HEADLINE_CASES = {
    "de": [
        "Samsung will mit Qualcomm bei KI kooperieren",
        "Lee reiste im Juni in die USA.",
        "Er traf dort viele Chefs.",
        "Amazon und Samsung kooperieren in den Bereichen TV und Mobile",
        "Das Treffen war in Seattle.",
    ],
    "en": [
        "Harbourside Rovers edge Kingsbridge to lift the Northern Cup",
        "Rovers won the final 3-2 on Saturday.",
        "It was their first title in 19 years.",
        "Marchetti praises her players' patience",
        "Nobody panicked, she said.",
    ],
}


@pytest.mark.parametrize("language", sorted(HEADLINE_CASES))
def test_headline_without_stop_is_its_own_sentence(language):
    first, a, b, second, c = HEADLINE_CASES[language]
    doc = document(f"{first}\n{a} {b}\n{second}\n{c}", language)
    sentences = split_sentences(doc)
    assert [s.text for s in sentences] == HEADLINE_CASES[language]
    _assert_offsets(doc, sentences)


def _line_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


@pytest.mark.parametrize("path", [ARTICLE, *ARTICLES], ids=lambda p: p.name)
def test_offsets_hold_for_every_sentence_of_real_articles(path):
    doc = read_document(path, path.name)
    sentences = split_sentences(doc)
    _assert_offsets(doc, sentences)
    lines = _line_spans(doc.text)
    for sentence in sentences:
        # no sentence runs across a line break: every line is a paragraph
        assert "\n" not in sentence.text
    for start, end in lines:
        line = doc.text[start:end].strip()
        if line and not re.search(r"[.!?:\"“”)]$", line):  # a headline: no final stop
            inside = [s for s in sentences if start <= s.start and s.end <= end]
            assert [s.text for s in inside] == [line], f"headline not a sentence of its own: {line!r}"
    assert len(sentences) >= len(lines)


def test_bundled_article_headline_and_known_phrases(article_doc, index):
    """The sentences stored in the index are the splitter's, and the article's date stays whole."""
    sentences = index.sentences[article_doc.id]
    assert [(s.start, s.end) for s in sentences] == [(s.start, s.end) for s in split_sentences(article_doc)]
    headline = "Samsung strebt im Bereich KI eine Zusammenarbeit mit Qualcomm, Amazon und Meta an"
    assert headline in [s.text for s in sentences]
    assert len([s for s in sentences if "Am 10. Juni" in s.text]) == 1


def test_overlong_sentence_is_cut_at_spaces_with_exact_offsets():
    words = " ".join(f"wort{n}" for n in range(600))  # one ~5,000 character "sentence" without a stop
    doc = document(f"Ein kurzer Satz. {words} Ende.\nNoch ein Satz.", "de")
    sentences = split_sentences(doc)
    _assert_offsets(doc, sentences)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert len(sentences) >= 5
    # cuts fall between words, never inside one
    for sentence in sentences:
        assert re.fullmatch(r"\S.*\S|\S", sentence.text)
        before = doc.text[sentence.start - 1] if sentence.start else " "
        assert before.isspace(), sentence.text[:30]


def test_empty_lines_and_spaces_give_no_sentences():
    doc = document("\n\n   \nErster Satz.\n\n\t\nZweiter Satz.\n", "de")
    sentences = split_sentences(doc)
    assert [s.text for s in sentences] == ["Erster Satz.", "Zweiter Satz."]
    _assert_offsets(doc, sentences)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("split", [True, False])
def test_tokens_are_exactly_somajos_with_and_without_emoji(language, split, monkeypatch):
    """rag.somajo_fast skips SoMaJo's emoji pass on text without emoji, and its pattern passes on tokens they
    cannot match, compiles the alignment's whitespace pattern once, takes offsets of NFC text as they are and
    looks for listed abbreviations and "+"/"&" tokens only near their mark: the tokens must not change."""
    import regex
    from somajo import SoMaJo, alignment

    from rag.somajo_fast import SOMAJO_MODELS, somajo

    plain = SoMaJo(SOMAJO_MODELS[language], split_sentences=split, character_offsets=True)
    texts = [
        "Am 10. Juni traf Lee den Chef von Qualcomm in San Jose. Danach flog er weiter nach Seattle.",
        "Great news 🎉🎉 for the team 👍🏽! The flag 🇩🇪 waved :-) and ❤️ was everywhere.",
        "Ein Herz ❤ ohne Variationsselektor, ein ☺️ mit, und 👨‍👩‍👧 als Familie. Dann Text ohne Bild.",
        "Short.",
        "Tabs\tand\u00a0no-break spaces, www.example.com, a@b.de, 3.5 % am 1.1.2020 um 10:30 Uhr, z. B. :-) #tag",
        "The U.S. firm's C.E.O. didn't say it's 5 p.m. (Dr. Smith, No. 1) - $5.5bn, 2-1, can't won't.",
        "Univ.-Prof. Dr. med. h.c. Müller (geb. 1950) u. a. bzw. z.B. Nr. 5 ff. Fa. Meyer & Co. KG, S. 12, ca. 5 km.",
        "AT&T, C++ und R&D, H&M sowie Q&A; Hrsg. Dipl.-Ing. Schmidt, Jan. Feb. Mrz. Sept. 2024, St. Pauli, Str. 4",
        "Prof.Dr.Meier, usw.etc. abc.def. geisteswissenschaftl. Eigenschaft, tschechoslowak. und gesundheitspol.",
        "The Rev. Mr. Jones, Jr., of Gloucestersh., Lt. Col. Smith, Inc. vs. Corp., e.g. i.e. approx. 3 lbs. A+ and",
        "Cafe\u0301 und Re\u0301sume\u0301 (nicht NFC), dann ﬁ und Ω ohne Normalform. Noch ein Satz.",
        "Ein\u00adfach\u200b und Kon\u00adtrol\u00adle,\u2009dann\u00a0weiter\u2028hier. Ende \ufeffdes Satzes.",
    ]
    texts += [path.read_text(encoding="utf-8").splitlines()[2] for path in ARTICLES[:2]]
    texts += [line for path in ARTICLES for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def shape(tokenizer, text):
        return [[(t.text, t.token_class, t.character_offset, t.space_after) for t in sentence]
                for sentence in tokenizer.tokenize_text([text])]

    # the one intended difference: camel-case abbreviations ("BerGer.") only in their case (see the next test)
    texts = [text for text in texts if not re.search(r"\b(?:Berger|Anwbl|Besbed)\.", text)]
    fast = [shape(somajo(language, split_sentences=split), text) for text in texts]
    monkeypatch.setattr(alignment, "re", regex)  # SoMaJo's own alignment, for the plain tokenizer
    monkeypatch.setattr(alignment, "token_offsets", getattr(alignment.token_offsets, "__wrapped__",
                                                            alignment.token_offsets))
    assert fast == [shape(plain, text) for text in texts]


def test_a_surname_spelled_like_a_camel_case_abbreviation_ends_its_sentence():
    # SoMaJo lists "BerGer." and matches its list case-blind: "Berger." would be one token and the sentence go on
    text = "Am Tisch saß der Vorsitzende der Gewerkschaft, Jan Berger. Auch anwesend war Claudia Reimers."
    sentences = split_sentences(document(text, "de"))
    assert [s.text for s in sentences] == ["Am Tisch saß der Vorsitzende der Gewerkschaft, Jan Berger.",
                                           "Auch anwesend war Claudia Reimers."]


def test_a_score_at_the_end_of_a_sentence_ends_it():
    text = "In der 9. Minute traf Paul Brenner zum 1:0. Westerbergs Kapitän Ole Sander glich kurz vor der Pause aus."
    sentences = split_sentences(document(text, "de"))
    assert [s.text for s in sentences] == [
        "In der 9. Minute traf Paul Brenner zum 1:0.",
        "Westerbergs Kapitän Ole Sander glich kurz vor der Pause aus.",
    ]
