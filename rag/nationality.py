"""Where someone is from: "What nationality is X?", "Aus welchem Land stammt X?".

News text says it with a demonym next to the name ("Brazilian winger Thiago Ramalho", "der Kanadier Tyler McAvoy")
or in the next sentence about the person ("..., the Dane said"). When neither sentence says it, the documents do not
say where the person is from, whatever else they say about them.
"""

from __future__ import annotations

import re

from .knowledge import Knowledge, SentenceInfo
from .lexical import REGION_WORDS
from .question import Question
from .support import Reading

_ASKS = re.compile(
    r"\bnationality\b|\bnationalität\b|\bstaatsangehörigkeit\b|\bwhich\s+country\s+(?:is|does|did|was)\b.*\bfrom\b|"
    r"\baus\s+welchem\s+land\s+(?:stammt|kommt|stammte|kam)\b|\bwhat\s+country\s+(?:is|was)\b.*\bfrom\b", re.I)


def asks_nationality(q: Question) -> bool:
    return bool(_ASKS.search(q.text)) and not re.search(r"nationalities|nationalitäten|ländern|countries", q.text,
                                                        re.I)


def read_nationality(q: Question, scored: list[tuple[float, SentenceInfo]], knowledge: Knowledge) -> Reading | None:
    """The demonym said of the person the question names (or, for "the Kingsford manager", of the person of the
    best supported sentence), from their sentence or the next one."""
    people = {p for p in (knowledge.person(name) for name in q.names) if p}
    for score, info in scored:
        persons = [f for f in info.facts if f.kind == "person" and (not people or f.entity in people)]
        if not persons:
            continue
        following = knowledge.sentence(info.sentence.doc_id, info.sentence.index + 1)
        nearby = [info] + ([following] if following is not None and not any(
            f.kind == "person" and f.entity not in {p.entity for p in persons} for f in following.facts) else [])
        for sentence in nearby:
            demonym = _demonym(sentence, persons if sentence is info else [])
            if demonym:
                return Reading(demonym, [info] if sentence is info else [info, sentence], score, "nationality")
        if people:
            continue  # the person asked about may be named again further on
        return None  # the best sentence about someone says nothing of where they are from
    return None


def _demonym(info: SentenceInfo, persons: list) -> str | None:
    """The region word nearest the person's name ("Brazilian winger Thiago Ramalho"), or any in a sentence that
    goes on about them ("the Dane said")."""
    words = [(m.start() + info.sentence.start, m.group()) for m in re.finditer(r"[\w-]+", info.sentence.text)]
    found = [(position, word) for position, word in words if word.lower() in REGION_WORDS]
    if not found:
        return None
    if not persons:
        return found[0][1]
    return min(found, key=lambda pw: min(abs(pw[0] - p.start) for p in persons))[1]
