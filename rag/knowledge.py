"""The index's facts arranged for answering: by sentence, by person, with word forms for matching.

Built once per loaded index (it is derived data, never stored) and shared by every question.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .facts.lexicon import ORG_KIND_WORDS
from .index import Index
from .records import Fact, Sentence

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_SUBJECT_PRONOUNS = frozenset("er sie he she they him her ihn ihm ihr".split())
_TITLES = frozenset("dr prof mr mrs ms herr frau sir dame".split())
_DEFINITE = frozenset("the der die das beide both".split())
_ORG_ARTICLES = frozenset("the der die das den dem des".split())


@lru_cache(maxsize=2)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer("german" if language == "de" else "english")


def stems(word: str) -> set[str]:
    """A word's stems in both languages, so that forms match across inflection ("Treffens" ~ "Treffen"); a German
    separable verb also without its "zu" or "ge" ("auszurichten", "ausgerichtet" ~ "ausrichten")."""
    lower = word.lower()
    out = {lower, _stemmer("de").stemWord(lower), _stemmer("en").stemWord(lower)}
    match = _SEPARABLE.match(lower)
    if match:
        joined = match.group(1) + match.group(3)
        out |= {joined, _stemmer("de").stemWord(joined)}
    return out


_SEPARABLE = re.compile(r"^(ab|an|auf|aus|bei|ein|fest|mit|nach|vor|weg|zurück|zusammen|teil|statt|vorbei|her|hin)"
                        r"(zu|ge)([a-zäöüß]{3,})$")


def word_forms(text: str) -> set[str]:
    """All stems of all words of a text, compounds also by their parts ("Amazon-CEO" -> amazon, ceo)."""
    forms: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group()
        forms |= stems(word)
        for part in re.split(r"[-'’]", word):
            if part:
                forms |= stems(part)
    return forms


@dataclass
class SentenceInfo:
    sentence: Sentence
    forms: set[str]
    lower_words: list[str]
    facts: list[Fact] = field(default_factory=list)
    joined: str = ""  # "|word|word|...|": one substring search finds a word inside the sentence's words

    def __post_init__(self) -> None:
        self.joined = "|" + "|".join(self.lower_words) + "|"


def speaks_of(info: SentenceInfo | None, person: str) -> bool:
    """The sentence names the person by surname, or goes on about them ("Er ...", "The 52-year-old ..."), whose
    name the knowledge carried over into its forms."""
    return info is not None and bool(stems(person.split()[-1].lower()) & info.forms)


class Knowledge:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.sentences: dict[tuple[str, int], SentenceInfo] = {}
        self.roles: dict[str, list[Fact]] = defaultdict(list)  # person entity -> role facts
        self.events: list[Fact] = []
        self.aliases: dict[str, set[str]] = defaultdict(set)  # lower-case name form -> entities
        self.entity_kind: dict[str, str] = {}
        self.vocabulary: set[str] = set()
        document_frequency: dict[str, int] = defaultdict(int)
        for doc_id, sentences in index.sentences.items():
            for sentence in sentences:
                lower_words = [w.lower() for w in _WORD.findall(sentence.text)]
                info = SentenceInfo(sentence, word_forms(sentence.text), lower_words)
                self.sentences[(doc_id, sentence.index)] = info
                self.vocabulary.update(lower_words)
                for part in (p for w in lower_words for p in re.split(r"[-'’]", w)):
                    self.vocabulary.add(part)
                for form in info.forms:
                    document_frequency[form] += 1
        self.total_sentences = max(1, len(self.sentences))
        self.idf = {f: math.log(1 + self.total_sentences / df) for f, df in document_frequency.items()}
        for doc_id, facts in index.facts.items():
            self._carry_over(doc_id, facts)
            self._company_references(doc_id, facts)
            for fact in facts:
                if fact.kind in ("person", "organization", "name") and fact.entity and fact.entity != fact.text:
                    info = self.sentences.get((doc_id, fact.sentence))
                    if info is not None:
                        info.forms |= word_forms(fact.entity)
                info = self.sentences.get((doc_id, fact.sentence))
                if info is not None:
                    info.facts.append(fact)
                if fact.kind == "role":
                    self.roles[fact.entity].append(fact)
                elif fact.kind == "event":
                    self.events.append(fact)
                elif fact.kind in ("person", "organization", "place", "name"):
                    entity = fact.entity or fact.text
                    self.aliases[fact.text.lower()].add(entity)
                    self.aliases[entity.lower()].add(entity)
                    if fact.kind == "person" or entity not in self.entity_kind:
                        self.entity_kind[entity] = fact.kind

    def _carry_over(self, doc_id: str, facts: list[Fact]) -> None:
        """A sentence that names nobody and goes on with a pronoun or a description ("Sie sprachen ...",
        "The 31-year-old defender ...", "Das Duo ...") is about the people of the sentence before: let it
        match their names too, and pass them on to the next such sentence."""
        people: dict[int, set[str]] = defaultdict(set)
        for fact in facts:
            if fact.kind == "person":
                people[fact.sentence].add(fact.entity or fact.text)
        carried: set[str] = set()
        for index in self._indices(doc_id):
            info = self.sentences[(doc_id, index)]
            opening = set(info.lower_words[:3])
            continues = bool(opening & _SUBJECT_PRONOUNS) or (info.lower_words[:1] and info.lower_words[0] in _DEFINITE)
            if people.get(index):
                if continues and opening & _SUBJECT_PRONOUNS:
                    for name in carried:
                        info.forms |= word_forms(name)
                carried = set(people[index])
            elif continues:
                for name in carried:
                    info.forms |= word_forms(name)
            # a sentence that names nobody keeps the people of the story as they were

    def _indices(self, doc_id: str) -> list[int]:
        """The document's sentence numbers in order (from the index's own per-document list, not a scan of all)."""
        return sorted(s.index for s in self.index.sentences.get(doc_id, []))

    def _company_references(self, doc_id: str, facts: list[Fact]) -> None:
        """ "the company planned to invest ...", "der Konzern will ...": a sentence that refers to an organisation
        by what it is stands for the organisation named last (at most two sentences before)."""
        named: dict[int, str] = {}
        for fact in facts:
            if fact.kind == "organization":
                named[fact.sentence] = fact.entity or fact.text
        last: tuple[int, str] | None = None
        for index in self._indices(doc_id):
            info = self.sentences[(doc_id, index)]
            if index in named:
                last = (index, named[index])
                continue
            if last is None or index - last[0] > 2:
                continue
            words = info.lower_words
            if any(words[k] in _ORG_ARTICLES and words[k + 1] in ORG_KIND_WORDS for k in range(len(words) - 1)):
                info.forms |= word_forms(last[1])

    def weight(self, form: str) -> float:
        return self.idf.get(form, math.log(1 + self.total_sentences))

    def sentence(self, doc_id: str, index: int) -> SentenceInfo | None:
        return self.sentences.get((doc_id, index))

    def lead(self, doc_id: str, sentences: int = 2) -> list[SentenceInfo]:
        """The first sentences of a document (the headline first): where a news report says what it is about."""
        return [info for index in range(sentences) if (info := self.sentence(doc_id, index)) is not None]

    def knows_word(self, word: str) -> bool:
        """Whether any document uses the word (or its genitive, "Amazons", "Samsung's")."""
        lower = word.lower()
        genitive = lower[:-1] if lower.endswith("s") and len(lower) > 3 else lower  # "Corvanes" asked, "Corvane" written
        return any(w in self.vocabulary for w in (lower, f"{lower}s", f"{lower}'s", genitive))

    def person(self, name: str) -> str | None:
        """The person entity a name in a question refers to, by full name or short form."""
        lower = " ".join(w for w in name.lower().split() if w.rstrip(".") not in _TITLES)
        people = [e for e, kind in self.entity_kind.items() if kind == "person"]
        whole = [e for e in people if set(lower.split()) <= set(e.lower().split()) and len(lower.split()) >= 2]
        if whole:
            return max(whole, key=lambda e: (len(self.roles.get(e, [])), e))
        candidates = [e for e in self.aliases.get(lower, set()) if self.entity_kind.get(e) == "person"]
        if not candidates:
            for token in reversed(lower.split()):
                candidates = [e for e in self.aliases.get(token, set()) if self.entity_kind.get(e) == "person"]
                if candidates:
                    full = [c for c in candidates if c.lower() == lower]
                    candidates = full or candidates
                    break
        if not candidates:
            return None
        return max(candidates, key=lambda e: (e.lower() == lower, len(self.roles.get(e, [])), e))
