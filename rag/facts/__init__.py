"""The fact layer: typed facts read from each document's sentences at index time.

`extract_facts` is the one entry point. It finds names (people, organisations, places), dates, durations,
amounts, who holds which role, and events with their participants, each pointing at its sentence.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ..records import Document, Fact, Sentence
from ..split import TokenSpans
from .events import find_events
from .goals import find_goals
from .names import find_names
from .patterns import find_amounts, find_dates, find_durations, find_scores
from .roles import find_roles
from .tokens import tokenize_sentences

__all__ = ["facts_version", "extract_facts"]


@lru_cache(maxsize=1)
def facts_version() -> str:
    """A fingerprint of the extraction rules: when they change, stored facts are extracted again."""
    digest = hashlib.sha256()
    data = Path(__file__).parent.parent / "data"
    for path in [*sorted(Path(__file__).parent.glob("*.py")), data / "news_lexicon_de_en.txt", data / "given_names.txt"]:
        digest.update(path.read_bytes())  # the rules, and the vocabulary they consult
    return digest.hexdigest()[:16]


def extract_facts(
    document: Document, sentences: list[Sentence], token_spans: list[TokenSpans] | None = None
) -> list[Fact]:
    """The facts of one document. `token_spans`: the sentences' tokens from rag.split.split_with_tokens, if at
    hand (they spare a second SoMaJo pass; the facts are the same either way)."""
    if not sentences:
        return []
    tokens = tokenize_sentences(document, sentences, token_spans)
    names = find_names(tokens)
    facts: list[Fact] = []
    for name in names:
        facts.append(Fact(name.kind, name.text, document.id, name.sentence, name.start, name.end, name.entity,
                          {"title": name.title} if name.title else {}))

    dates: dict[int, list[tuple[int, int]]] = {}
    for sentence in sentences:
        text = sentence.text
        date_spans = list(find_dates(text))
        duration_spans = list(find_durations(text))
        taken = date_spans + duration_spans
        for kind, spans in (("date", date_spans), ("duration", duration_spans)):
            for start, end in spans:
                facts.append(_span_fact(kind, document, sentence, start, end))
        scores = list(find_scores(text))
        for start, end in scores:
            facts.append(_span_fact("score", document, sentence, start, end))
        for start, end in find_amounts(text):
            if not any(start < e and s < end for s, e in taken + scores):
                facts.append(_span_fact("amount", document, sentence, start, end))
        dates[sentence.index] = [(sentence.start + s, sentence.start + e) for s, e in date_spans]

    role_orgs: dict[str, list[str]] = {}
    for role in find_roles(tokens, names, document.language):
        person = role.name.entity or role.name.text
        facts.append(Fact("role", document.text[role.start:role.end], document.id, role.name.sentence, role.start,
                          role.end, person, {"person": person, "organisation": role.organisation}))
        if role.organisation:
            role_orgs.setdefault(person, []).append(role.organisation)

    for order, goal in enumerate(find_goals(sentences, names)):
        scorer = goal.scorer.entity or goal.scorer.text
        facts.append(Fact("goal", goal.scorer.text, document.id, goal.sentence, goal.scorer.start, goal.scorer.end,
                          scorer, {"scorer": scorer, "minute": goal.minute, "minute_value": goal.minute_value,
                                   "score": goal.score, "equaliser": goal.equaliser, "order": order}))

    for event in find_events(tokens, names, dates, role_orgs, document.text):
        first = sentences[event.sentences[0]]
        attrs = {
            "kind": event.kind,
            "trigger": event.trigger.text,
            "sentences": event.sentences,
            "date": document.text[event.date[0]:event.date[1]] if event.date else "",
            "place": _best_place(event.places),
            "places": event.places,
            "participants": event.participants,
            "organisations": event.organisations,
        }
        facts.append(Fact("event", event.trigger.text, document.id, first.index, event.trigger.start,
                          event.trigger.end, "", attrs))
    return facts


def _best_place(places: list[str]) -> str:
    """Of the places an event mentions, the most specific: the last one that is not a country's acronym."""
    named = [p for p in places if not p.replace(".", "").isupper()]
    return (named or places or [""])[-1]


def _span_fact(kind: str, document: Document, sentence: Sentence, start: int, end: int) -> Fact:
    return Fact(kind, sentence.text[start:end], document.id, sentence.index, sentence.start + start,
                sentence.start + end)
