"""The records passed between pipeline stages.

Every record that points into a document carries the document id and character offsets, so that
`document.text[start:end] == record.text` holds everywhere and a citation can always be shown in place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Document:
    id: str  # sha256 of the extracted text: identical content, identical id
    name: str  # path relative to the corpus folder, as the user knows it
    text: str
    language: str  # "de" or "en"
    source_sha256: str  # sha256 of the file's bytes, for staleness checks
    size: int  # bytes on disk


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    index: int  # position within the document
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    id: str  # derived from the document's content hash and the chunk's position
    doc_id: str
    index: int
    start: int
    end: int
    first_sentence: int
    last_sentence: int  # inclusive
    text: str


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the scores that ranked it."""

    chunk_id: str
    doc_id: str
    doc: str  # document name
    start: int
    end: int
    text: str
    score: float  # fused (reciprocal rank fusion) score
    dense_score: float  # cosine similarity to the question
    bm25_score: float
    first_sentence: int
    last_sentence: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    doc_id: str
    doc: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # the short answer; empty when abstaining
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    latency_ms: float = 0.0
    method: str = ""  # which reader produced it, for debugging and evaluation
    support: float = 0.0  # how much of the question its sentences bear out (0..1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "latency_ms": round(self.latency_ms, 3),
            "method": self.method,
            "support": self.support,
        }


@dataclass(frozen=True)
class SkippedFile:
    """A file that ingest could not use, and why (shown to the user as one warning line)."""

    name: str
    reason: str


@dataclass(frozen=True)
class Fact:
    """Something the text states, pointing at the sentence it came from.

    kind: person, organization, place, name (a proper name of unknown kind), date, duration, amount, role, event.
    For a role, `text` is the role phrase and attrs holds person and organisation; for an event, attrs holds its
    kind, date, place, participants and the indices of all sentences it spans.
    """

    kind: str
    text: str
    doc_id: str
    sentence: int
    start: int
    end: int
    entity: str = ""  # canonical name, shared by all aliases of one person or organisation
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def from_rows(cls: type, rows: list[dict[str, Any]]) -> list[Any]:
    """Records of the dataclass `cls` from rows that hold exactly its fields (as `store.read_jsonl` gives them).

    The same as `[cls(**row) for row in rows]`, several times faster: a frozen dataclass's __init__ sets each
    field through object.__setattr__, and an index holds ~140k records. A row with other keys goes through
    __init__, which fills defaults or raises TypeError as before.
    """
    names = {f.name for f in fields(cls)}
    new = object.__new__
    out = []
    append = out.append
    for row in rows:
        if row.keys() == names:
            record = new(cls)
            record.__dict__.update(row)
            append(record)
        else:
            append(cls(**row))
    return out
