"""Word tokens for BM25: lower-cased, stop words dropped, Snowball-stemmed in the text's language."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

STEMMER_LANGUAGES = {"de": "german", "en": "english"}
_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


# Groups of words that say the same thing in English and German news text, so that a question in one
# language finds its answer in a text in the other. Genre words only; names need no translation.
# One concept per line in rag/data/news_lexicon_de_en.txt, in sections headed by "# ..." comments.
EQUIVALENTS: list[str] = []
_SECTIONS: dict[str, list[str]] = {}
_section = ""
for _line in (Path(__file__).parent / "data" / "news_lexicon_de_en.txt").read_text(encoding="utf-8").splitlines():
    if _line.startswith("#"):
        _section = _line.lstrip("# ").lower()
    elif _line.strip():
        _SECTIONS.setdefault(_section, []).append(_line)
        EQUIVALENTS.append(_line)


def _country_names() -> set[str]:
    """English country names from the ISO 3166 table the tzdata package ships ("Chile", "Korea (South)")."""
    try:
        from importlib.resources import files

        table = (files("tzdata") / "zoneinfo" / "iso3166.tab").read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError, ModuleNotFoundError):
        return set()
    names = set()
    for line in table.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            name = line.split("\t", 1)[1].split(" (")[0].strip().lower()
            names.add(name.replace(" ", "-").replace("&", "and"))
    return names


# countries, regions and their adjectives: a place asked as "which cities" is none of these
REGION_WORDS = frozenset(form for section, lines in _SECTIONS.items()
                         if "countries" in section or "continents" in section or "states and regions" in section
                         for line in lines for form in line.split()) | frozenset(_country_names())
TRANSLATIONS: dict[str, tuple[str, ...]] = {}
for _group in EQUIVALENTS:
    _words = _group.split()
    for _word in _words:
        TRANSLATIONS[_word] = tuple(dict.fromkeys(TRANSLATIONS.get(_word, ()) + tuple(w for w in _words if w != _word)))
# German genitives and datives ("des Werks", "dem Werke") and English plurals the lines leave out
_INFLECTED = {f"{word}{ending}": (word, *others) for word, others in TRANSLATIONS.items() if "-" not in word
              for ending in ("s", "es", "e") if len(word) >= 4}
for _word, _translations in _INFLECTED.items():
    TRANSLATIONS.setdefault(_word, _translations)


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
    """A question may be asked in either language about a text in either: stem it both ways, and add the
    other language's word for the genre's common words."""
    stop = _stopwords()
    content = [w for w in words(text) if w not in stop]
    content += [t for w in list(content) for t in TRANSLATIONS.get(w, ())]
    tokens: list[str] = []
    for language in STEMMER_LANGUAGES:
        for token in _stemmer(language).stemWords(content):
            if token not in tokens:
                tokens.append(token)
    return tokens
