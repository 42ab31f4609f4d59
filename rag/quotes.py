"""What someone said: "What did X say about Y?", "Was sagte X nach dem Spiel?".

News text attributes speech plainly ("X said", "sagte X", a quotation with X's name or a pronoun for X), so the
answer is the quotation of the sentence that attributes it to the person asked about. When no sentence does, the
documents do not say what X said, whatever else they say about X: the answer is an abstention, not a span.
"""

from __future__ import annotations

import re

from .facts.lexicon import SPEECH_VERBS, is_role_word
from .knowledge import Knowledge, SentenceInfo, stems
from .question import Question
from .support import Reading

_ASKS_QUOTE = re.compile(
    r"^(?:what|was)\s+(?:(?:did|does|do|has|had|will)\s+.+?\s+(?:say|said|tell|told)"
    r"(?:\s+(?:reporters|journalists|the\s+press))?|"
    r"(?:sagte|sagt|sagten|meinte|erklärte|äußerte)\s+.+?|(?:hat|hatte)\s+.+?\s+(?:gesagt|erklärt|geäußert))"
    r"(?:\s+(?:about|on|after|at|to|zu|zum|zur|über|nach|bei|beim|auf|vor)\b.*)?\??$", re.I)
_SPEECH = SPEECH_VERBS | frozenset(
    "say tells insisted admitted conceded declared sagt erklärt fügte ergänzte warnte räumte sprach so".split())
_QUOTED = re.compile(r"[„“\"»«]([^„“”\"»«]{3,200})[“”\"«»]")
_MAX_QUOTE_WORDS = 25


def asks_quote(q: Question) -> bool:
    """ "What did X say ...?", "Was sagte X ...?" — not "Wie viel Geld sagte X zu?" (a pledge)."""
    return bool(_ASKS_QUOTE.match(q.text)) and not re.search(r"\bzu\??$", q.text)


def read_quote(q: Question, scored: list[tuple[float, SentenceInfo]], knowledge: Knowledge) -> Reading | None:
    """The words the asked person is quoted with, from the best supported sentence that attributes speech to
    them; None when no sentence does."""
    people = [p for p in (knowledge.person(name) for name in q.names) if p]
    roles = [w.lower() for w in q.role_words]
    if not people and not roles:
        return None
    for score, info in scored:
        if not _speaker_named(info, people, roles, knowledge):
            continue
        return Reading(" ".join(_quotation(info.sentence.text).split()[:_MAX_QUOTE_WORDS]), [info], score, "quote")
    return None


def _quotation(text: str) -> str:
    """The quoted words of a sentence; of a quotation the sentence splitter cut in two ('... today. At half-time
    I told the players ...," said Fraser'), the part before its closing mark; else the whole sentence."""
    quoted = _QUOTED.search(text)
    if quoted:
        return quoted.group(1).strip(" ,")
    mark = re.search(r"[„“”\"»«]", text)
    if mark and mark.start() > 0:
        return text[:mark.start()].strip(" ,")
    return text


def _speaker_named(info: SentenceInfo, people: list[str], roles: list[str], knowledge: Knowledge) -> bool:
    """The person asked about says something in the sentence: named next to a verb of speech ("said Fraser",
    "Fraser sagte", "so Fraser"), or, in a quotation whose speaker is a pronoun or a description ("the Dane said"),
    the first person of the sentence before."""
    words = [(m.start() + info.sentence.start, m.group().lower()) for m in _WORD.finditer(info.sentence.text)]
    verbs = [k for k, (_, w) in enumerate(words) if w in _SPEECH]
    if not verbs:
        return False
    persons = [f for f in info.facts if f.kind == "person"]
    speakers = {f.entity for f in persons if any(_next_to(words, f, k) for k in verbs)}
    if people:
        if speakers:
            return bool(speakers & set(people))
        before = knowledge.sentence(info.sentence.doc_id, info.sentence.index - 1)
        first = min((f for f in before.facts if f.kind == "person"), key=lambda f: f.start, default=None) \
            if before is not None else None
        return bool(_QUOTED.search(info.sentence.text)) and first is not None and first.entity in people
    return all(any(stems(role) & stems(w) or (is_role_word(w) and w.endswith(role)) for w in info.lower_words)
               for role in roles)


_WORD = re.compile(r"[\w'’-]+")
_REPORTED = frozenset("that dass about über of von".split())


def _next_to(words: list[tuple[int, str]], fact, verb: int) -> bool:
    """ "said Fraser", "sagte Trainer Fraser" (the name just after the verb), or "Fraser, the coach, said" (the
    name a few words before it, with no "that" between: "added that Okafor was ..." is about Okafor)."""
    at = next((k for k, (pos, _) in enumerate(words) if fact.start <= pos < fact.end), None)
    if at is None:
        return False
    if at > verb:
        return at - verb <= 3 and not any(w in _REPORTED for _, w in words[verb + 1:at])
    end = max(k for k, (pos, _) in enumerate(words) if fact.start <= pos < fact.end)
    return verb - end <= 8 and not any(w in _REPORTED for _, w in words[end + 1:verb])
