"""Group a document's sentences into overlapping windows: the unit that is embedded and retrieved."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

from .records import Chunk, Document, Sentence

_WORDPIECE_ESTIMATE = re.compile(r"\w+|[^\w\s]")
_WHITE_SPACE = re.compile(r"[ \t\n\r]+")  # what a BERT tokenizer reads as a mere boundary between words


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
    specials: int | None = None,
) -> list[Chunk]:
    """Windows of up to `size` sentences, `overlap` shared with the next, each within `max_tokens`.

    A window stops early when the next sentence would overflow the token limit; a single sentence longer
    than the limit is its own chunk (the encoder truncates it).

    `specials`: given when the tokenizer's counts add up (see `window_counter`), the special tokens it adds
    to every text.
    """
    window_tokens = window_counter(document, sentences, count_tokens, specials)
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while (
            last + 1 < len(sentences)
            and last + 1 - first < size
            and window_tokens(first, last + 1) <= max_tokens
        ):
            last += 1
        chunks.append(_make_chunk(document, sentences[first], sentences[last], len(chunks)))
        if last == len(sentences) - 1:
            break
        first = max(first + 1, last + 1 - overlap)
    return chunks


def window_counter(
    document: Document, sentences: Sequence[Sentence], count_tokens: Callable[[str], int], specials: int | None
) -> Callable[[int, int], int]:
    """`tokens(first, last)`: the tokens of the text from sentence `first` to sentence `last`.

    Every window used to be tokenised whole, so each sentence was tokenised about three times. A word-level
    tokenizer (BERT's WordPiece: `specials` is then the count it adds to every text, [CLS] and [SEP]) reads
    white space as a mere boundary, so the count of sentences joined by white space is the sum of their counts
    less `specials` per join: each sentence is tokenised once. Sentences joined by anything else (a long one
    cut in the middle of a word) are tokenised together, as before.
    """
    def whole(first: int, last: int) -> int:
        return count_tokens(_span_text(document, sentences[first], sentences[last]))

    if specials is None:
        return whole
    # running totals: tokens of sentences before i, and joins not by white space among them
    total, breaks = [0], [0]
    for i, sentence in enumerate(sentences):
        total.append(total[-1] + count_tokens(sentence.text))
        if i + 1 < len(sentences):
            gap = document.text[sentence.end : sentences[i + 1].start]
            breaks.append(breaks[-1] + (_WHITE_SPACE.fullmatch(gap) is None))

    def tokens(first: int, last: int) -> int:
        if breaks[last] != breaks[first]:
            return whole(first, last)
        return total[last + 1] - total[first] - specials * (last - first)

    return tokens


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
