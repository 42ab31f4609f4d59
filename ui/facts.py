"""What the fact layer extracted, arranged as three tables (people, events, other facts) for the Facts page,
searchable and exportable. Reads `Index.facts`; extracts nothing itself."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass

from rag.index import Index
from rag.records import Fact

from .render import esc, table_html

OTHER_KINDS = ("organization", "place", "date", "duration", "amount", "score", "goal", "name")
ROWS_SHOWN = 300  # per table on the page
CSV_COLUMNS = ("section", "kind", "text", "roles", "organisations", "date", "place", "participants", "mentions",
               "document", "sentence", "sentence_text")


@dataclass(frozen=True)
class FactRow:
    section: str  # "people", "events" or "other"
    kind: str  # the fact kind; for events the event's kind (meeting, visit, …)
    text: str  # the person's name, the event's trigger word, or the fact's text
    doc_id: str
    document: str
    sentences: tuple[int, ...]  # the sentences it rests on, first one shown and linked
    sentence_text: str
    roles: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    date: str = ""
    place: str = ""
    participants: tuple[str, ...] = ()
    mentions: int = 1

    def matches(self, query: str) -> bool:
        if not query:
            return True
        haystack = " ".join([self.kind, self.text, self.document, self.date, self.place,
                             *self.roles, *self.organisations, *self.participants]).casefold()
        return all(word in haystack for word in query.casefold().split())

    def to_dict(self) -> dict:
        data = asdict(self)
        data["sentences"] = list(self.sentences)
        for key in ("roles", "organisations", "participants"):
            data[key] = list(data[key])
        return data


def fact_rows(index: Index) -> list[FactRow]:
    """People (with their roles and organisations), events, then every other fact, document by document."""
    people: list[FactRow] = []
    events: list[FactRow] = []
    other: list[FactRow] = []
    for doc_id, facts in index.facts.items():
        document = index.documents[doc_id]
        sentences = {s.index: s.text for s in index.sentences.get(doc_id, [])}

        def row(section: str, kind: str, text: str, at: list[int], **details) -> FactRow:
            at = sorted(set(at)) or [0]
            return FactRow(section, kind, text, doc_id, document.name, tuple(at), sentences.get(at[0], ""), **details)

        people.extend(_people(facts, row))
        for fact in facts:
            if fact.kind == "event":
                attrs = fact.attrs
                events.append(row(
                    "events", str(attrs.get("kind") or "event"), fact.text,
                    list(attrs.get("sentences") or [fact.sentence]),
                    date=str(attrs.get("date") or ""), place=str(attrs.get("place") or ""),
                    participants=tuple(attrs.get("participants") or ()),
                    organisations=tuple(attrs.get("organisations") or ()),
                ))
        seen: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        for fact in facts:
            if fact.kind in OTHER_KINDS:
                seen[(fact.kind, fact.entity or fact.text)].append(fact)
        ordered = sorted(seen.items(), key=lambda item: (OTHER_KINDS.index(item[0][0]), item[1][0].start))
        for (kind, text), group in ordered:
            other.append(row("other", kind, text, [group[0].sentence], mentions=len(group)))
    return people + events + other


def _people(facts: list[Fact], row) -> list[FactRow]:
    mentions: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.kind == "person":
            mentions[fact.entity or fact.text].append(fact)
    roles: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.kind == "role":
            person = fact.attrs.get("person") or fact.entity
            if person:
                roles[person].append(fact)
                mentions.setdefault(person, [])
    rows = []
    for person, found in mentions.items():
        held = roles.get(person, [])
        first = held[0] if held else (found[0] if found else None)
        rows.append(row(
            "people", "person", person, [first.sentence] if first else [],
            roles=tuple(dict.fromkeys(f.text for f in held)),
            organisations=tuple(dict.fromkeys(str(f.attrs["organisation"]) for f in held
                                              if f.attrs.get("organisation"))),
            mentions=max(1, len(found)),
        ))
    return sorted(rows, key=lambda r: (-r.mentions, r.text.casefold()))


def tables_html(rows: list[FactRow], *, limit: int = ROWS_SHOWN) -> tuple[str, str, str]:
    """HTML for the people, events and other-facts tables (at most `limit` rows each; the exports have all);
    each row opens its source sentence when clicked."""
    def link(r: FactRow) -> str:
        return f'<button type="button" class="open" title="Show the sentence">§{r.sentences[0] + 1}</button>'

    def attrs(r: FactRow) -> str:
        return f'data-doc="{esc(r.doc_id)}" data-sentences="{esc(",".join(map(str, r.sentences)))}"'

    def first(section: str) -> tuple[list[FactRow], str]:
        found = [r for r in rows if r.section == section]
        more = (f'<p class="rag-none">Showing {limit} of {len(found)}: search to narrow them down, or export '
                "them all.</p>") if len(found) > limit else ""
        return found[:limit], more

    (people, more_people), (events, more_events), (other, more_other) = map(first, ("people", "events", "other"))
    return (
        table_html(
            ["person", "roles", "organisations", "mentions", "document", "sentence"],
            ([esc(r.text), esc("; ".join(r.roles)), esc(", ".join(r.organisations)), str(r.mentions),
              esc(r.document), link(r)] for r in people),
            row_attrs=[attrs(r) for r in people], empty="No people found.",
        ) + more_people,
        table_html(
            ["event", "what", "date", "place", "participants", "document", "sentence"],
            ([esc(r.kind), esc(r.text), esc(r.date), esc(r.place), esc(", ".join(r.participants)),
              esc(r.document), link(r)] for r in events),
            row_attrs=[attrs(r) for r in events], empty="No events found.",
        ) + more_events,
        table_html(
            ["kind", "text", "mentions", "document", "sentence"],
            ([esc(r.kind), esc(r.text), str(r.mentions), esc(r.document), link(r)] for r in other),
            row_attrs=[attrs(r) for r in other], empty="No other facts found.",
        ) + more_other,
    )


def to_csv(rows: list[FactRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([
            r.section, r.kind, r.text, "; ".join(r.roles), "; ".join(r.organisations), r.date, r.place,
            "; ".join(r.participants), r.mentions, r.document, r.sentences[0] + 1, r.sentence_text,
        ])
    return out.getvalue()


def to_json(rows: list[FactRow]) -> str:
    return json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1)
