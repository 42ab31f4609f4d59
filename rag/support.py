"""How well a sentence supports a question: the question's words found in it, in any form or language.

Readers (rag.answer, rag.spans) look only at sentences this module ranks; the support of the sentence an
answer comes from decides whether the answer is given or the answerer abstains.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .facts.tokens import german_noun
from .knowledge import Knowledge, SentenceInfo, stems, word_forms
from .lexical import TRANSLATIONS
from .question import VERB_PARTICLES, Question
from .records import Fact, Passage

MIN_SUPPORT = 0.48  # share of the question's weighted content words the answer's sentences must contain
# ... less when the answer's sentences name everything the question names and a typed reader vouches for the
# rest (unit, currency, the noun asked for; a place or person fact). Calibrated per kind on the development sets,
# like the threshold itself: amounts and places 0.75 -> 0.55 gained two questions, lower none; persons 0.85 one,
# lower lost one.
KIND_SUPPORT_SHARE = {"amount": 0.55, "place": 0.55, "person": 0.85}
NEIGHBOURS = 1  # sentences around a retrieved passage that the answerer also reads


NEIGHBOUR_SHARE = 0.5  # how much a question word found in the next or previous sentence counts


SYNONYM_SHARE = 0.8  # credit for a question word found only as a synonym or translation


VERB_MISSING_FACTOR = 0.8  # a sentence without the question's main verb ("won", "refereed") says less


UNTRANSLATED_SHARE = 0.25  # weight of a question word with no known translation, in a text of the other language


WINDOW = 0.3  # readers look at sentences supported at most this much less than the best one


TYPED_WINDOW = 0.5  # ... or this much less, as long as they are supported enough to answer


ANSWER_TYPE_WORDS = frozenset(
    """city stadt town ort place country land state staat region date datum day tag wochentag weekday month monat
    year jahr time uhrzeit position funktion rolle role job title amt posten beruf name person people leute
    venue stadium stadion much many viel viele number zahl anzahl long lange percentage prozent share anteil
    exactly genau take took place stattfand statt fand held large big high hoch groß sum summe amount betrag figure
    höhe zeitraum period form forms formed bilden bildet bildeten comprise comprises consist consists cover covers
    umfasst umfassen seit since""".split()
)


_OUTCOME_NOUNS = frozenset("result outcome ergebnis ausgang score".split())  # "What was the result of the vote?"


@dataclass
class Reading:
    text: str
    sentences: list[SentenceInfo]
    support: float
    method: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # what was read, for citing a part


@dataclass(frozen=True)
class Slot:
    """One content word of the question and how much finding it counts."""

    word: str
    forms: frozenset[str]
    weight: float
    translatable: bool  # a name, a number or a word with a known translation
    verb: bool = False  # the question's main verb
    name: bool = False  # part of a name the question mentions


def question_slots(q: Question) -> list[Slot]:
    name_words = {w.lower() for name in q.names for w in re.split(r"\s+", name)}
    # a word of a longer name ("Castellan Holding SE") is not translated; a one-word name may be ("Lissabon")
    long_name_words = {w.lower() for name in q.names if len(name.split()) > 1 for w in name.split()}
    slots = []
    for word in _joined_phrases(q.words):
        if all(part in ANSWER_TYPE_WORDS for part in word.split("-")) or word in ANSWER_TYPE_WORDS \
                or (word == q.answer_noun and q.kind in ("organization", "person", "place")) \
                or (q.kind == "score" and word in _OUTCOME_NOUNS):
            continue  # "which clubs", "welche Stadt": the kind of the answer, not a word its sentence must have
        if word not in name_words or (q.language == "de" and word not in long_name_words and german_noun(word)):
            word = _split_compound(word)  # "Nettoverlust" -> "netto-verlust", to be found as "net loss"
        forms = set(stems(word))
        for other in TRANSLATIONS.get(word, ()) if word not in long_name_words else ():
            forms |= stems(other)
        is_name = word in name_words or any(part in name_words for part in word.split("-"))
        translatable = is_name or word in TRANSLATIONS or word.isdigit() or "-" in word
        weight = 2.0 if is_name or word == q.verb or word == q.answer_noun else 1.0
        slots.append(Slot(word, frozenset(forms), weight, translatable, word == q.verb and not is_name, is_name))
    return slots


def _joined_phrases(words: list[str]) -> list[str]:
    """ "financial year" -> "financial-year", "foundation stone" -> "foundation-stone": two question words the
    vocabulary knows as one expression are one slot, so they can be found as "Geschäftsjahr"."""
    out: list[str] = []
    k = 0
    while k < len(words):
        if k + 1 < len(words) and f"{words[k]}-{words[k + 1]}" in TRANSLATIONS:
            out.append(f"{words[k]}-{words[k + 1]}")
            k += 2
        else:
            out.append(words[k])
            k += 1
    return out


def _split_compound(word: str) -> str:
    """A German compound the translations do not know, written as its known parts: "stahlabkommen" ->
    "stahl-abkommen", so that each part can be matched (and translated) on its own."""
    if word in TRANSLATIONS or "-" in word or len(word) < 8:
        return word
    return _compound_parts(word)


def _compound_parts(word: str) -> str:
    if "-" in word or len(word) < 8:
        return word
    for cut in range(len(word) - 4, 3, -1):
        head, tail = word[:cut], word[cut:]
        if tail in TRANSLATIONS:
            head = head[:-1] if head.endswith("s") and head[:-1] in TRANSLATIONS else head
            if head in TRANSLATIONS:
                return f"{head}-{tail}"
    return word




def slot_match(slot: Slot, info: SentenceInfo) -> float:
    """1 when the sentence has the word (in any form or translation), a share for part of a compound."""
    if "-" in slot.word:
        parts = [p for p in slot.word.split("-") if p and p not in VERB_PARTICLES] or [p for p in slot.word.split("-") if p]
        found = sum(1 for p in parts if slot_match(Slot(p, frozenset(_forms_of(p)), 1.0, True), info) > 0)
        translated = any(stems(t) & info.forms if "-" not in t else all(stems(p) & info.forms for p in t.split("-"))
                         for t in TRANSLATIONS.get(slot.word, ()))  # "take over" ~ "übernommen"
        return max(found / len(parts), 1.0 if slot.forms & info.forms and slot.word in info.lower_words else 0.0,
                   SYNONYM_SHARE if translated else 0.0)
    if stems(slot.word) & info.forms:
        return 1.0
    if slot.forms & info.forms:
        return SYNONYM_SHARE  # the same thing in other words is weaker evidence than the same word
    for other in TRANSLATIONS.get(slot.word, ()):
        if "-" in other and all(stems(part) & info.forms for part in other.split("-")):
            return 1.0  # "Südkorea" ~ "South Korea"
    variants = [x for x in (slot.word, *TRANSLATIONS.get(slot.word, ())) if len(x) >= 4]
    # German compounds: "Geschäftsreise" contains "reise", "Halbleitermarktes" contains "markt"
    compound = any(_inside_a_longer_word(x, info.joined) for x in variants)
    if compound:
        return 1.0
    if slot.name and adjective_of(slot.word, info.lower_words):
        return SYNONYM_SHARE  # "in Sachsen" asked, "der sächsische Minister" written
    parts = _compound_parts(slot.word)
    if "-" in parts:  # "Pokalfinale" asked, "im Finale um den Hanse-Pokal" written
        return SYNONYM_SHARE * slot_match(Slot(parts, frozenset(), 1.0, True), info)
    return 0.0


def _inside_a_longer_word(part: str, joined: str) -> bool:
    """A longer word ends with the part, or (for 5+ letters) holds it anywhere; `joined` is "|w1|w2|...|"."""
    whole = joined.count(f"|{part}|")
    return (joined.count(part) if len(part) >= 5 else joined.count(f"{part}|")) > whole


_UMLAUTS = str.maketrans("äöü", "aou")
_ADJECTIVE_ENDINGS = ("isch", "ische", "ischen", "ischer", "isches", "er", "ern", "erin", "ian", "ean", "an", "ese",
                      "ish")


def adjective_of(name: str, words: list[str]) -> bool:
    """A place's adjective: "Sachsen" ~ "sächsische", "Chile" ~ "Chilean", "Berlin" ~ "Berliner"."""
    if len(name) < 5 or "-" in name:
        return False
    plain_name = name.translate(_UMLAUTS)
    for word in words:
        plain = word.translate(_UMLAUTS)
        if plain[:5] != plain_name[:5]:
            continue  # at least five letters in common, from the start
        common = len(os.path.commonprefix([plain, plain_name]))
        rest = plain[common:]
        if common >= max(5, len(plain_name) - 3) and plain != plain_name and len(rest) <= 7 \
                and rest.endswith(_ADJECTIVE_ENDINGS):
            return True
    return False


def same_region(place: str, adjective: str) -> bool:
    """ "Irland"/"Irish" ~ "irischen", "Kanada" ~ "Canadian" ~ "kanadische": a place and its adjectives, in either
    language, share their first four letters (c/k aside)."""
    return len(place) >= 4 and place[:4].replace("c", "k") == adjective[:4].replace("c", "k")


def _forms_of(word: str) -> set[str]:
    forms = set(stems(word))
    for other in TRANSLATIONS.get(word, ()):
        forms |= stems(other)
    return forms


def sentence_support(slots: list[Slot], info: SentenceInfo, knowledge: Knowledge, cross_lingual: bool,
                     matches: dict | None = None) -> float:
    """Weighted share of the question's words in the sentence; words found only in a neighbouring sentence
    count half, since news text spreads one statement over two sentences. Across languages, a word with no
    known translation counts little: its absence says nothing. `matches` keeps slot matches between calls (each
    sentence is also its neighbours' neighbour)."""
    neighbours = [knowledge.sentence(info.sentence.doc_id, info.sentence.index + d) for d in (-1, 1)]
    neighbours = [n for n in neighbours if n is not None]
    matches = {} if matches is None else matches

    def match(k: int, sentence: SentenceInfo) -> float:
        key = (k, sentence.sentence.doc_id, sentence.sentence.index)
        if key not in matches:
            matches[key] = slot_match(slots[k], sentence)
        return matches[key]

    total = matched = 0.0
    verb_missing = False
    for k, slot in enumerate(slots):
        w = slot.weight * max(knowledge.weight(f) for f in slot.forms)
        if cross_lingual and (not slot.translatable or (slot.name and _untranslated_noun(slot, knowledge))):
            w *= UNTRANSLATED_SHARE
        total += w
        here = match(k, info)
        near = max((match(k, n) for n in neighbours), default=0.0)
        matched += w * max(here, near * NEIGHBOUR_SHARE)
        if slot.verb and here == 0 and (slot.translatable or not cross_lingual):
            verb_missing = True
    share = matched / total if total else 0.0
    return share * VERB_MISSING_FACTOR if verb_missing else share


def _untranslated_noun(slot: Slot, knowledge: Knowledge) -> bool:
    """A German noun capitalised in a question ("Handelsvolumen") that no document uses and the vocabulary cannot
    translate: in an English text its absence says nothing, unlike a name's."""
    return "-" not in slot.word and not any(f in knowledge.idf for f in slot.forms) and german_noun(slot.word)


def _length_penalty(info: SentenceInfo) -> float:
    """Between equally supported sentences, the shorter one says it more directly."""
    return min(0.06, max(0, len(info.lower_words) - 12) * 0.003)


def score_sentences(q: Question, passages: list[Passage], knowledge: Knowledge) -> list[tuple[float, SentenceInfo]]:
    """Sentences of the retrieved passages (and their neighbours), best supported first."""
    slots = question_slots(q)
    languages = {doc_id: document.language for doc_id, document in knowledge.index.documents.items()}
    prior: dict[tuple[str, int], float] = {}
    for rank, passage in enumerate(passages):
        bonus = 0.04 * (len(passages) - rank) / len(passages)
        for i in range(passage.first_sentence - NEIGHBOURS, passage.last_sentence + NEIGHBOURS + 1):
            inside = passage.first_sentence <= i <= passage.last_sentence
            key = (passage.doc_id, i)
            if knowledge.sentence(*key) is not None:
                prior[key] = max(prior.get(key, 0.0), bonus if inside else bonus / 2)
    asked_ordinals = _ordinals(q.words)
    matches: dict = {}
    scored = [(sentence_support(slots, knowledge.sentences[key], knowledge, languages[key[0]] != q.language, matches)
               + extra - _length_penalty(knowledge.sentences[key]), knowledge.sentences[key])
              for key, extra in prior.items()]
    asked_years = set(YEAR.findall(q.text))
    if asked_years:  # "revenue in 2023" asked, "revenue in 2024" written: another year, another figure
        scored = [(score * ORDINAL_CONFLICT if (years := set(YEAR.findall(info.sentence.text)))
                   and not years & asked_years else score, info) for score, info in scored]
    if asked_ordinals:
        scored = [(score * ORDINAL_CONFLICT if _ordinals(info.lower_words) - asked_ordinals
                   and not _ordinals(info.lower_words) & asked_ordinals else score, info) for score, info in scored]
    scored.sort(key=lambda pair: (-pair[0], pair[1].sentence.doc_id, pair[1].sentence.index))
    return scored


LEAD_SENTENCES = 3  # the headline and the first two sentences: a news report says there what happened, where, when


def about_the_reported_event(q: Question, knowledge: Knowledge) -> bool:
    """ "Where was the match played?": a question about the match of a match report, naming nothing (no team, no
    player, no date) that could tell it from another match the report mentions."""
    if q.event != "match":
        return False
    named = [n for n in q.names if not (q.language == "de" and all(german_noun(w) and not knowledge.person(w)
                                                                     and w.lower() not in knowledge.aliases
                                                                     for w in n.split()))]
    return q.event == "match" and not named and not re.search(r"\d", q.text) and not _ordinals(q.words) \
        and not _ANOTHER_MATCH.search(q.text)


# a question that tells one match of several apart: the next, the fifth, the series, a half
_ANOTHER_MATCH = re.compile(
    r"\b(?:next|nächste\w*|previous|letzte\w*|vorige\w*|one|two|three|four|five|six|seven|fifth|sixth|seventh|"
    r"fünfte\w*|sechste\w*|siebte\w*|series|serie|standing|stand|half|halbzeit|pause|period|drittel)\b", re.I)


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
BEFORE_SHARE = 1.5
ORDINAL_CONFLICT = 0.5  # "the second quarter" asked, "the third quarter" written: another period, another figure
_ORDINALS = {"first": 1, "erste": 1, "ersten": 1, "erster": 1, "erstes": 1, "second": 2, "zweite": 2, "zweiten": 2,
             "zweiter": 2, "third": 3, "dritte": 3, "dritten": 3, "dritter": 3, "fourth": 4, "vierte": 4,
             "vierten": 4, "vierter": 4}


def _ordinals(words) -> set[int]:
    return {_ORDINALS[p] for w in words for p in w.split("-") if p in _ORDINALS}


# -- readers ----------------------------------------------------------------------------------------------------


def with_verb(q: Question, scored: list[tuple[float, SentenceInfo]]) -> list[tuple[float, SentenceInfo]]:
    """When some well-supported sentence has the question's main verb ("won", "begin", "erzielte"), only
    such sentences can say what the question asks; the others merely share its names."""
    verb_slots = [slot for slot in question_slots(q) if slot.verb]
    if not verb_slots:
        return scored
    top = scored[0][0]
    window = [(score, info) for score, info in scored if score >= top - WINDOW]
    bearing = {id(info) for _, info in window if slot_match(verb_slots[0], info) > 0}
    if not bearing:
        return scored
    return [(score, info) for score, info in scored if id(info) in bearing]


def best_with(scored: list[tuple[float, SentenceInfo]], *pickers) -> tuple[float, SentenceInfo, object] | None:
    """The best supported sentence for which a picker finds something, and what it found.

    Pickers are tried in order over the whole window: a fallback reader is used only when no sentence
    has what the preferred one looks for.
    """
    window = typed_window(scored)
    for pick in pickers:
        for score, info in window:
            found = pick(info)
            if found:
                return score, info, found
    return None


def typed_window(scored: list[tuple[float, SentenceInfo]]) -> list[tuple[float, SentenceInfo]]:
    """The sentences a typed reader looks at: those nearly as well supported as the best one.

    The fact type the question asks for is itself evidence, so a sentence somewhat less supported than
    the best but holding a date (for "when") is still read.
    """
    top = scored[0][0] if scored else 0.0
    return [(score, info) for score, info in scored if score >= min(top - WINDOW, max(top - TYPED_WINDOW, MIN_SUPPORT))]


def closest(facts: list[Fact], info: SentenceInfo, slots: list[Slot]) -> Fact:
    """Of several facts in one sentence, the one nearest to the question's words (in words between)."""
    if len(facts) == 1:
        return facts[0]
    words = [(m.start() + info.sentence.start, word_forms(m.group())) for m in re.finditer(r"[\w-]+", info.sentence.text)]

    clauses = [m.span() for m in _CLAUSE.finditer(info.sentence.text)]

    def clause_of(position: int) -> int:
        offset = position - info.sentence.start
        return next((k for k, (a, b) in enumerate(clauses) if a <= offset < b), -1)

    def nearness(fact: Fact) -> tuple[float, float]:
        same_clause = near = 0.0
        home = clause_of(fact.start)
        for slot in slots:
            wanted = slot.forms | {f for part in slot.word.split("-") if part for f in _forms_of(part)}
            hits = [(k, pos) for k, (pos, forms) in enumerate(words) if wanted & forms]
            if any(fact.start <= pos < fact.end for _, pos in hits):
                same_clause += slot.weight  # the fact names it itself: "4.1 million votes"
                near += slot.weight
                continue
            if hits:
                at = _word_index(words, fact.start)
                # a word just before the fact governs it ("opened an office in Rotterdam"): count it a little more
                near += max(slot.weight / (1 + abs(at - k)) * (BEFORE_SHARE if k < at else 1.0) for k, _ in hits)
                if any(clause_of(pos) == home for _, pos in hits):
                    same_clause += slot.weight
        return same_clause, near

    return max(facts, key=lambda f: (nearness(f), -f.start))


_CLAUSE = re.compile(r"[^,;:–()]+(?:,(?!\s*(?:while|whereas|but|which|who|während|aber|wobei|der|die|das|wie)\b)[^,;:–()]+)*")


def _word_index(words: list[tuple[int, set[str]]], position: int) -> int:
    for k, (pos, _) in enumerate(words):
        if pos >= position:
            return k
    return len(words)


def noun_relation(token: str, noun: str) -> str:
    """ "same" when the token is the noun (in any form or language), "compound" when it ends a longer word
    ("IKT-Branche" for "Branche"), "" otherwise."""
    for candidate in variants(noun):
        if len(candidate) < 4:
            continue
        if token == candidate or stems(token) & stems(candidate):
            return "same"
    for candidate in variants(noun):
        for c in stems(candidate) | {candidate}:
            for t in stems(token) | {token}:
                if len(c) >= 4 and len(t) > len(c) + 2 and t.endswith(c):
                    return "compound"
    return ""


def variants(word: str) -> list[str]:
    """A word, its translations, and the translations of its stems ("spiele" -> spiel -> game, match ...)."""
    out = [word, *TRANSLATIONS.get(word, ())]
    for stem in stems(word):
        out.extend(TRANSLATIONS.get(stem, ()))
    return list(dict.fromkeys(out))


def same_noun(token: str, noun: str) -> bool:
    """The token is the noun asked for, in any form or language, or a compound ending in it."""
    token_stems = stems(token)
    if token.endswith("innen") and len(token) > 8:
        token_stems |= stems(token[:-5])  # "Soldatinnen" ~ "Soldaten" ~ "soldiers"
    for candidate in variants(noun):
        if len(candidate) < 4:
            continue
        candidate_stems = stems(candidate)
        if token == candidate or token_stems & candidate_stems:
            return True
        if any(len(t) > len(c) and t.endswith(c) for t in token_stems | {token} for c in candidate_stems | {candidate}):
            return True
    return False
