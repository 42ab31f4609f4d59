"""Word tokens for BM25: lower-cased, stop words dropped, Snowball-stemmed in the text's language."""

from __future__ import annotations

import re
from functools import lru_cache

STEMMER_LANGUAGES = {"de": "german", "en": "english"}
_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


@lru_cache(maxsize=4)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(STEMMER_LANGUAGES.get(language, "english"))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_GERMAN

    return frozenset(STOPWORDS_EN) | frozenset(STOPWORDS_GERMAN)


def words(text: str) -> list[str]:
    """Lower-cased words; a hyphenated compound also yields its parts ("amazon-ceo" -> amazon, ceo)."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        out.append(word)
        if "-" in word:
            out.extend(part for part in word.split("-") if part)
    return out


def tokenize(text: str, language: str) -> list[str]:
    """BM25 tokens of a document text in its own language."""
    stop = _stopwords()
    return _stemmer(language).stemWords([w for w in words(text) if w not in stop])


def query_tokens(text: str) -> list[str]:
    """A question may be asked in either language about a text in either: stem it both ways."""
    stop = _stopwords()
    content = [w for w in words(text) if w not in stop]
    tokens: list[str] = []
    for language in STEMMER_LANGUAGES:
        for token in _stemmer(language).stemWords(content):
            if token not in tokens:
                tokens.append(token)
    return tokens
