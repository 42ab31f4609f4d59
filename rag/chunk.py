"""Group a document's sentences into overlapping windows: the unit that is embedded and retrieved."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

from .records import Chunk, Document, Sentence

_WORDPIECE_ESTIMATE = re.compile(r"\w+|[^\w\s]")


def estimate_tokens(text: str) -> int:
    """A generous word-piece count for when the model's own tokenizer is not at hand."""
    return int(len(_WORDPIECE_ESTIMATE.findall(text)) * 1.4) + 2


def chunk_document(
    document: Document,
    sentences: Sequence[Sentence],
    *,
    size: int = 3,
    overlap: int = 1,
    max_tokens: int = 256,
    count_tokens: Callable[[str], int] = estimate_tokens,
) -> list[Chunk]:
    """Windows of up to `size` sentences, `overlap` shared with the next, each within `max_tokens`.

    A window stops early when the next sentence would overflow the token limit; a single sentence longer
    than the limit is its own chunk (the encoder truncates it).
    """
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while (
            last + 1 < len(sentences)
            and last + 1 - first < size
            and count_tokens(_span_text(document, sentences[first], sentences[last + 1])) <= max_tokens
        ):
            last += 1
        chunks.append(_make_chunk(document, sentences[first], sentences[last], len(chunks)))
        if last == len(sentences) - 1:
            break
        first = max(first + 1, last + 1 - overlap)
    return chunks


def chunk_id(doc_id: str, start: int, end: int) -> str:
    """Stable across builds: the same text at the same place of the same content gets the same id."""
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:24]


def _span_text(document: Document, first: Sentence, last: Sentence) -> str:
    return document.text[first.start : last.end]


def _make_chunk(document: Document, first: Sentence, last: Sentence, index: int) -> Chunk:
    return Chunk(
        id=chunk_id(document.id, first.start, last.end),
        doc_id=document.id,
        index=index,
        start=first.start,
        end=last.end,
        first_sentence=first.index,
        last_sentence=last.index,
        text=_span_text(document, first, last),
    )
