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


def split_sentences(document: Document) -> list[Sentence]:
    """The document's sentences in order; `document.text[s.start:s.end] == s.text` for each."""
    spans: list[tuple[int, int]] = []
    for paragraph in _PARAGRAPH.finditer(document.text):
        spans.extend(_paragraph_spans(paragraph.group(), paragraph.start(), document.language))
    return [
        Sentence(doc_id=document.id, index=i, start=start, end=end, text=document.text[start:end])
        for i, (start, end) in enumerate(spans)
    ]


def _paragraph_spans(paragraph: str, offset: int, language: str) -> list[tuple[int, int]]:
    if not paragraph.strip():
        return []
    spans = []
    for tokens in somajo(language, split_sentences=True).tokenize_text([paragraph]):
        start, end = tokens[0].character_offset[0], tokens[-1].character_offset[1]
        spans.extend(_cap_length(paragraph, start, end))
    return [(offset + start, offset + end) for start, end in spans]


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
