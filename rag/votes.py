"""Votes in a parliament, a council or a shareholders' meeting: "passed by 71 votes to 52, with four
abstentions", "mit 64 zu 60 Stimmen angenommen", "bei drei Enthaltungen".

The tally is one phrase with three numbers, and the question says which one it wants: the votes for ("How many
voted for", "dafür"), against ("gegen", "against"), the abstentions, or the result as a whole ("What was the
final vote?", "Mit welchem Ergebnis ...?").
"""

from __future__ import annotations

import re

from .knowledge import SentenceInfo
from .question import Question
from .support import Reading, typed_window

_NUMBER = r"(\d+(?:[.,]\d+)*|[a-zäöü]+)"
_TALLY = re.compile(
    rf"\b(?:by\s+(?:a\s+(?:vote|margin)\s+of\s+)?)?{_NUMBER}\s+(?:votes?\s+)?(?:to|against|zu|gegen)\s+{_NUMBER}"
    rf"(?:\s+(?:votes?|Stimmen))?",
    re.IGNORECASE,
)
_ABSTENTIONS = re.compile(rf"\b{_NUMBER}\s+(?:abstentions?|Enthaltungen|Enthaltung)\b", re.IGNORECASE)
_VOTE_WORDS = re.compile(r"\b(?:votes?|voted|voting|stimmen|stimmten|stimmte|abstimmung\w*|ballot)\b", re.I)
# a question about a decision taken by vote: "Mit welchem Ergebnis wurde der Antrag angenommen?"
_DECIDED = re.compile(r"\b(?:passed|approved|adopted|rejected|angenommen|abgelehnt|verabschiedet|beschlossen)\b", re.I)
_ASKS_ABSTENTIONS = re.compile(r"\b(?:abstentions?|abstained|enthaltungen|enthielten|enthielt)\b", re.I)
_ASKS_AGAINST = re.compile(r"\b(?:against|gegen|dagegen|opposed|nein-stimmen)\b", re.I)
_ASKS_FOR = re.compile(r"\b(?:voted\s+for|in\s+favou?r|für|dafür|ja-stimmen|backed|supported)\b", re.I)
_ASKS_RESULT = re.compile(r"\b(?:final\s+vote|the\s+vote|result|ergebnis|margin|tally|stimmverhältnis)\b", re.I)
_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve ein eine einer zwei drei vier fünf sechs
    sieben acht neun zehn elf zwölf""".split()
)


def read_vote(q: Question, scored: list[tuple[float, SentenceInfo]]) -> Reading | None:
    """The part of a vote's tally the question asks for, from the best supported sentence that gives one."""
    if not _VOTE_WORDS.search(q.text) and not _ASKS_ABSTENTIONS.search(q.text) and not (
            _DECIDED.search(q.text) and _ASKS_RESULT.search(q.text)):
        return None
    wants = ("abstentions" if _ASKS_ABSTENTIONS.search(q.text) else "against" if _ASKS_AGAINST.search(q.text)
             else "for" if _ASKS_FOR.search(q.text) and q.kind == "amount" else
             "result" if _ASKS_RESULT.search(q.text) and q.kind in ("which", "other", "score") else "")
    if not wants:
        return None
    for score, info in typed_window(scored):
        text = info.sentence.text
        if wants == "abstentions":
            match = _ABSTENTIONS.search(text)
            if match and _is_number(match.group(1)):
                return Reading(match.group(1), [info], score, "vote")
            continue
        match = _TALLY.search(text)
        split = _SPLIT.get(wants)
        if (not match or not (_is_number(match.group(1)) and _is_number(match.group(2)))) and split:
            said = split.search(text)  # "Für den Haushalt stimmten 31 ..., 25 stimmten dagegen"
            if said:
                return Reading(next(g for g in said.groups() if g), [info], score, "vote")
        if not match or not (_is_number(match.group(1)) and _is_number(match.group(2))):
            continue
        if not _VOTE_WORDS.search(text):
            continue  # "from 6 to 8 May" is not a vote
        if wants == "result":
            return Reading(match.group(0).removeprefix("by ").strip(), [info], score, "vote")
        return Reading(match.group(1 if wants == "for" else 2), [info], score, "vote")
    return None


# a tally said in parts: "Für das Zahlenwerk stimmten 31 der 58 Ratsmitglieder, 25 stimmten dagegen", "31 voted for"
_SPLIT = {
    "for": re.compile(r"\bfür\b[^,.;:]{0,40}?\bstimmten\s+(\d+)|\b(\d+)\s+(?:\w+\s+){0,2}(?:stimmten|votierten)\s+"
                      r"(?:dafür|für)\b|\b(\d+)\s+(?:\w+\s+){0,2}voted\s+(?:in\s+favou?r|for)\b", re.I),
    "against": re.compile(r"\bgegen\b[^,.;:]{0,40}?\bstimmten\s+(\d+)|\b(\d+)\s+(?:\w+\s+){0,2}(?:stimmten|votierten)\s+"
                          r"(?:dagegen|gegen)\b|\b(\d+)\s+(?:\w+\s+){0,2}voted\s+against\b", re.I),
}


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word.lower() in _NUMBER_WORDS
