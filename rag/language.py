"""Tell German from English by their most frequent function words; good enough for news text."""

from __future__ import annotations

import re

GERMAN_WORDS = frozenset(
    """der die das den dem des ein eine einen einem einer eines und oder aber nicht ist sind war waren wird werden
    wurde wurden hat haben hatte mit von zu zum zur im in am an auf für bei aus nach über unter vor sich auch als wie
    dass es er sie wir ihr ihre sein seine seiner seinem noch nur schon sehr so um durch gegen ohne wer wen wem was
    wann wo wohin woher warum welche welcher welches welchem welchen wessen wieso weshalb wieviel viele lange
    hoch gab gibt sollen soll kann können ihm ihn ihnen uns""".split()
)
ENGLISH_WORDS = frozenset(
    """the a an and or but not is are was were be been being has have had with of to in on at for by from after
    over under before also as how that it he she we they his her their its this these those which who whom what
    when where why there will would can could did does do than then into about so""".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Upper- and lower-case letters of the Latin scripts (Polish "Ł", Czech "Š", Turkish "Ş" ...), for patterns:
# Python's re has no \p{Lu}.
UPPER = "".join(ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper() and ch.isalpha())
LOWER = "".join(ch for ch in map(chr, range(0x61, 0x250)) if ch.islower() and ch.isalpha())


def detect_language(text: str, default: str = "en") -> str:
    """Return "de" or "en", whichever language's function words are more frequent."""
    german = english = 0
    for match in _WORD.finditer(text[:20000]):
        word = match.group().lower()
        if word in GERMAN_WORDS and word in ENGLISH_WORDS:
            continue  # "in", "an": says nothing
        german += word in GERMAN_WORDS
        english += word in ENGLISH_WORDS
    if german == english:
        if re.search(r"[äöüß]", text[:20000], re.IGNORECASE):
            return "de"
        return default
    return "de" if german > english else "en"
