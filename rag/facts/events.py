"""Events (meetings, visits, talks, signings, ceremonies, matches) with date, place and participants.

An event starts at a sentence with an event word. The next sentences join it when they refer back to it
("An dem Treffen ...", "the ceremony") or list who was there ("Auch anwesend waren ...", "Attending were ...",
"Begleitet wurde er von ..."), unless they bring a date of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import ARTICLES, PARTICIPATION_WORDS, event_concept
from .names import Name
from .tokens import Token

FOLLOW_WINDOW = 3  # sentences after an event's last sentence that may still add to it
_BACK_REFERENCE = ARTICLES | {"diesem", "dieser", "diesen", "beim", "bei", "am", "zum", "vom", "im"}


@dataclass
class Event:
    kind: str
    trigger: Token
    sentences: list[int]
    date: tuple[int, int] | None = None
    places: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)


def find_events(
    sentences: list[list[Token]],
    names: list[Name],
    dates: dict[int, list[tuple[int, int]]],
    role_orgs: dict[str, list[str]],
    text: str = "",
) -> list[Event]:
    """Events of a document in order; `dates` maps a sentence to its date spans, `role_orgs` a person to
    the organisations of their roles (the "Amazon meeting" is the meeting with Amazon's chief)."""
    by_sentence: dict[int, list[Name]] = {}
    for name in names:
        by_sentence.setdefault(name.sentence, []).append(name)
    events: list[Event] = []
    for i, tokens in enumerate(sentences):
        in_names = {t.index for n in by_sentence.get(i, []) for t in n.tokens}
        trigger = _trigger(tokens, in_names)
        current = events[-1] if events else None
        near = current is not None and i - current.sentences[-1] <= FOLLOW_WINDOW
        joins = near and (
            _lists_participants(tokens)
            or (trigger is not None and _refers_back(tokens, trigger, current))
            or (trigger is not None and i == current.sentences[-1] + 1 and event_concept(trigger.text) == current.kind
                and not dates.get(i))  # the same event told on, without a new date
        )
        if joins and dates.get(i) and current.date and dates[i][0] != current.date:
            joins = False  # a new date: a new event
        if joins:
            for between in range(current.sentences[-1] + 1, i):  # the sentences in between tell the same story
                _add(current, between, by_sentence.get(between, []), dates, role_orgs, text)
            _add(current, i, by_sentence.get(i, []), dates, role_orgs, text)
        elif trigger is not None:
            event = Event(kind=event_concept(trigger.text) or "event", trigger=trigger, sentences=[])
            _add(event, i, by_sentence.get(i, []), dates, role_orgs, text)
            events.append(event)
    return events


def _trigger(tokens: list[Token], in_names: set[int]) -> Token | None:
    """The event word of a sentence, nouns before verbs; words of a name ("Tagus Conference Centre") are not."""
    found = [t for t in tokens if t.kind != "punct" and t.index not in in_names and event_concept(t.text)]
    nouns = [t for t in found if t.text[:1].isupper() and t.index > 0]
    return (nouns or found or [None])[0]


def _lists_participants(tokens: list[Token]) -> bool:
    return any(t.lower in PARTICIPATION_WORDS for t in tokens)


def _refers_back(tokens: list[Token], trigger: Token, event: Event) -> bool:
    """ "An dem Treffen", "the ceremony", "bei der Unterzeichnung": the same kind, with a definite article."""
    if event_concept(trigger.text) != event.kind:
        return False
    k = trigger.index - 1
    while k >= 0 and trigger.index - k <= 3 and tokens[k].kind == "word" and tokens[k].lower not in _BACK_REFERENCE:
        k -= 1  # "bei den dreitägigen Gesprächen": adjectives between article and noun
    return k >= 0 and tokens[k].lower in _BACK_REFERENCE


def _is_period_bound(span: tuple[int, int], text: str) -> bool:
    """ "seit 2011", "until 2029": the start or end of a period, not the day something happened; "heute" in a
    quote is the speaker's day, not the event's."""
    return bool(re.match(r"(?:seit|since|ab|bis|until|by|heute|today|gestern|yesterday|morgen|tomorrow)\b",
                         text[span[0]:span[1]], re.IGNORECASE))


def _add(event: Event, i: int, names: list[Name], dates: dict[int, list[tuple[int, int]]], role_orgs: dict[str, list[str]],
         sentence_text: str = "") -> None:
    event.sentences.append(i)
    if event.date is None:
        when = [d for d in dates.get(i, []) if not _is_period_bound(d, sentence_text)]
        if when:
            event.date = when[0]
    for name in names:
        entity = name.entity or name.text
        if name.kind == "person":
            if entity not in event.participants:
                event.participants.append(entity)
            for org in role_orgs.get(entity, []):
                if org not in event.organisations:
                    event.organisations.append(org)
        elif name.kind == "place":
            if name.text not in event.places:
                event.places.append(name.text)
        elif entity not in event.organisations:
            event.organisations.append(entity)
