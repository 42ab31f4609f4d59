"""Split a document into sentences with SoMaJo (German and English), keeping character offsets.

Every line of the document is a paragraph (headlines have no final stop), and SoMaJo splits paragraphs into
sentences without breaking dates ("Am 10. Juni"), titles ("Dr."), abbreviations ("z. B.", "U.S.") or numbers.
"""

from __future__ import annotations

import re

from .records import Document, Sentence
from .somajo_fast import somajo

MAX_SENTENCE_CHARS = 1500  # longer "sentences" (tables, run-on lists) are cut at spaces
_PARAGRAPH = re.compile(r"[^\n]+")


# Each token of a sentence as (start, end) in the document; None for a sentence cut by MAX_SENTENCE_CHARS.
TokenSpans = list[tuple[int, int]] | None


def split_sentences(document: Document) -> list[Sentence]:
    """The document's sentences in order; `document.text[s.start:s.end] == s.text` for each."""
    return split_with_tokens(document)[0]


def split_with_tokens(document: Document) -> tuple[list[Sentence], list[TokenSpans]]:
    """The document's sentences, and for each the tokens SoMaJo found in it while splitting.

    The fact layer tokenises every sentence with SoMaJo again; handing it these tokens spares that second pass.
    They are the tokens SoMaJo gives the sentence on its own (tests/test_facts.py checks the facts are the same).
    """
    spans: list[tuple[int, int]] = []
    tokens: list[TokenSpans] = []
    for paragraph in _PARAGRAPH.finditer(document.text):
        _paragraph_spans(paragraph.group(), paragraph.start(), document.language, spans, tokens)
    sentences = [
        Sentence(doc_id=document.id, index=i, start=start, end=end, text=document.text[start:end])
        for i, (start, end) in enumerate(spans)
    ]
    return sentences, tokens


def _paragraph_spans(
    paragraph: str, offset: int, language: str, spans: list[tuple[int, int]], tokens: list[TokenSpans]
) -> None:
    if not paragraph.strip():
        return
    for whole in somajo(language, split_sentences=True).tokenize_text([paragraph]):
        for found in _after_scores(whole):
            start, end = found[0].character_offset[0], found[-1].character_offset[1]
            pieces = _cap_length(paragraph, start, end)
            spans.extend((offset + a, offset + b) for a, b in pieces)
            if len(pieces) == 1:
                tokens.append([(offset + t.character_offset[0], offset + t.character_offset[1]) for t in found])
            else:  # a cut sentence: its pieces are tokenised on their own when needed
                tokens.extend([None] * len(pieces))


def _after_scores(tokens: list) -> list[list]:
    """SoMaJo reads "zum 1:0. Danach ..." as an ordinal "0." inside one sentence; a score with a full stop
    followed by a capitalised word ends the sentence."""
    pieces, begin = [], 0
    for k in range(2, len(tokens) - 1):
        if (tokens[k - 2].text.isdigit() and tokens[k - 1].text in {":", "-"}
                and re.fullmatch(r"\d{1,2}\.", tokens[k].text) and tokens[k + 1].text[:1].isupper()):
            pieces.append(tokens[begin : k + 1])
            begin = k + 1
    pieces.append(tokens[begin:])
    return pieces


def _cap_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an overlong span at the last space before the limit, so every piece fits a chunk."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces
