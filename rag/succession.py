"""Succession questions: "Who succeeds X?", "Whom is X replacing as CEO?", "Wen hat X abgelöst?", "Wer ist Xs
Nachfolgerin?".

News reports a change at the top in a few set forms, and each says which side is the new holder:
- a verb, the new holder before it and the old one after: "A will succeed B", "A löst B ab", "..., replacing B"
  (in the passive the other way round: "B was replaced by A", "B wurde von A abgelöst");
- a noun that names the new holder after it ("eine Nachfolgerin: A", "his successor, A") or the old one
  ("Sein Vorgänger B"), with the other one in a possessive ("Bs Nachfolgerin", "B's successor");
- a hand-over: "B will hand over to A", "B übergibt an A".
When the text has none of these, a role named in the question ("as transport minister") is held by the other
person: "Wen hat A als Verkehrsminister abgelöst?" is answered by the (other) Verkehrsminister.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .knowledge import Knowledge, SentenceInfo, stems
from .question import Question
from .role_reader import read_role_holder
from .support import Reading

_VERBS = frozenset(
    """succeed succeeds succeeded succeeding replace replaces replaced replacing ablösen löst löste lösten abgelöst
    ablöst ablöste ersetzen ersetzt ersetzte beerben beerbt beerbte""".split()
)
_SUCCESSOR_NOUNS = frozenset("successor successors nachfolger nachfolgerin nachfolgern".split())
_PREDECESSOR_NOUNS = frozenset("predecessor predecessors vorgänger vorgängerin vorgängers".split())
_HAND_OVER = re.compile(r"\b(?:hands?|handed|handing)\s+over\s+to\b|\bübergibt\s+an\b|\bübergab\s+an\b", re.I)
_PASSIVE_BEFORE = frozenset("was were is are be been being wird wurde wurden werden worden ist".split())
_MAX_GAP = 60  # characters between the cue and a person named with it (a clause, not the next one)


@dataclass
class _Sides:
    new: list[str]
    old: list[str]


def read_succession(q: Question, scored: list[tuple[float, SentenceInfo]], knowledge: Knowledge) -> Reading | None:
    """The person who took over from, or was replaced by, the person the question names."""
    want = _wanted_side(q)
    if want is None:
        return None
    asked = _asked_person(q, knowledge)
    if asked is None:
        return None
    best: tuple[float, str, SentenceInfo] | None = None
    for rank, (score, info) in enumerate(scored[:12]):
        for sides in _succession_sides(info):
            found = sides.new if want == "new" else sides.old
            other = sides.old if want == "new" else sides.new
            for person in found:
                if person == asked:
                    continue
                if asked in other:
                    strength = 1.0  # the sentence names both: "A will hand over to B"
                elif _mentions_near(asked, info, knowledge):
                    strength = 0.6  # the sentence goes on about the asked person: ", replacing B"
                else:
                    continue
                value = strength - 0.01 * rank
                if best is None or value > best[0]:
                    best = (value, person, info)
    if best is not None:
        return Reading(best[1], [best[2]], 0.5 + best[0] / 2, "succession")  # both named: ~1.0, one nearby: ~0.8
    if q.role_words:
        others = replace(q, names=[n for n in q.names if knowledge.person(n) != asked])
        holder = read_role_holder(others, q.role_words, knowledge, exclude=frozenset({asked}))
        if holder is not None:
            return Reading(holder.text, holder.sentences, 0.7, "succession-role")
    return None


def asks_succession(q: Question) -> bool:
    return _wanted_side(q) is not None


def _wanted_side(q: Question) -> str | None:
    """ "new" for "Who succeeds X", "old" for "Whom is X replacing"; None when the question is not about a
    succession."""
    words = re.findall(r"[\w'’]+", q.text.lower())
    if any(w in _SUCCESSOR_NOUNS or w.endswith(("nachfolger", "nachfolgerin")) for w in words):
        return "new"
    if any(w in _PREDECESSOR_NOUNS for w in words):
        return "old"
    if re.search(r"^(?i:who|wer)\b.*\b(?:before|vor)\s+[A-ZÄÖÜ]", q.text) and q.verb and q.verb not in _VERBS:
        return "old"  # "Wer trainierte X vor Thomas Brandl?": the one who did it before
    verb_at = next((k for k, w in enumerate(words) if w in _VERBS), None)
    if verb_at is None:
        return None
    name_at = next((k for k, w in enumerate(words) for n in q.names if w == n.split()[-1].lower()), None)
    if name_at is None:
        return None
    passive = bool(re.search(r"\b(?:by\s+whom|von\s+wem)\b", q.text, re.I)) or (
        verb_at > 0 and words[verb_at].endswith(("ed", "gelöst", "ersetzt")) and set(words[:verb_at]) & {"was", "were", "wurde", "wurden"}
        and not set(words[:verb_at]) & {"did", "has", "hat", "hatte", "had"})
    new = name_at > verb_at  # "Who succeeds X": X is the old holder, the new one is asked
    if passive:
        new = not new
    return "new" if new else "old"


def _asked_person(q: Question, knowledge: Knowledge) -> str | None:
    for name in q.names:
        tokens = name.split()
        for candidate in (name, *reversed(tokens), *(t[:-1] for t in reversed(tokens) if t.endswith("s"))):
            person = knowledge.person(candidate)
            if person is not None:
                return person
    return None


def _mentions_near(person: str, info: SentenceInfo, knowledge: Knowledge) -> bool:
    """The sentence, or one of the five before it, names the person (or refers to them)."""
    surname = stems(person.split()[-1].lower())
    for back in range(0, 6):
        other = knowledge.sentence(info.sentence.doc_id, info.sentence.index - back)
        if other is not None and surname & other.forms:
            return True
    return False


def _succession_sides(info: SentenceInfo) -> list[_Sides]:
    """For each succession cue in the sentence, the people it names as new and as old holders."""
    text = info.sentence.text
    people = sorted((f.start - info.sentence.start, f.end - info.sentence.start, f.entity or f.text)
                    for f in info.facts if f.kind == "person")
    if not people:
        return []
    out = []
    for match in re.finditer(r"[\w'’]+", text):
        word = match.group().lower()
        start, end = match.span()
        before = _people_before(people, text, start)
        after = _people_after(people, text, end)
        if word in _VERBS:
            preceding = text[max(0, start - 25):start].lower().split()
            if set(preceding[-3:]) & _PASSIVE_BEFORE and not word.endswith("ing"):
                by = [p for p in after if re.search(r"\b(?:by|von)\s*$", text[end:_start_of(people, p, end)], re.I)]
                out.append(_Sides(new=by[:1], old=before[-1:]))
            elif not before and len(after) >= 2:
                out.append(_Sides(new=after[:1], old=after[1:2]))  # "Am Montag löst A B ab"
            else:
                out.append(_Sides(new=[] if word.endswith("ing") else before[-1:], old=after[:1]))
        elif word in _SUCCESSOR_NOUNS or word.endswith(("nachfolger", "nachfolgerin")):
            out.append(_Sides(new=after[:1], old=_possessor(people, text, start)))
        elif word in _PREDECESSOR_NOUNS:
            out.append(_Sides(new=_possessor(people, text, start), old=after[:1]))
    for match in _HAND_OVER.finditer(text):
        out.append(_Sides(new=_people_after(people, text, match.end())[:1],
                          old=_people_before(people, text, match.start())[-1:]))
    return out


def _people_before(people: list[tuple[int, int, str]], text: str, at: int) -> list[str]:
    return [p for s, e, p in people if e <= at and at - e <= _MAX_GAP and not _quote_between(text, e, at)]


def _people_after(people: list[tuple[int, int, str]], text: str, at: int) -> list[str]:
    return [p for s, e, p in people if s >= at and s - at <= _MAX_GAP and not _quote_between(text, at, s)]


def _start_of(people: list[tuple[int, int, str]], person: str, after: int) -> int:
    return next(s for s, e, p in people if p == person and s >= after)


def _quote_between(text: str, start: int, end: int) -> bool:
    """A quotation mark between two words: one is in a quote, the other outside it ("..., sagte Paulsen")."""
    return any(ch in "\"„“”«»" for ch in text[start:end])


def _possessor(people: list[tuple[int, int, str]], text: str, at: int) -> list[str]:
    """ "Hagedorns Nachfolgerin", "Harrow's successor", "Nachfolger von B", "successor to B"."""
    for s, e, p in people:
        if e <= at and at - e <= 3 and re.fullmatch(r"(?:['’]s|s|['’])?\s*", text[e:at]):
            return [p]
    after = re.match(r"[\w'’]+\s+(?:von|of|to|für|as)\s+", text[at:])
    if after:
        for s, e, p in people:
            if s == at + after.end() or 0 <= s - (at + after.end()) <= 12 and not re.search(r"[,.;:]", text[at + after.end():s]):
                return [p]
    return []

