"""Figures: "how much", "how many", "wie hoch", a price, a share, a fine.

News sentences hold several figures at once ("revenue of $212 million last year, up 64 percent, but a net loss of
$38 million"): which one is asked for is read from its unit and currency, the noun that introduces it, the time it
is said for and the country it is about. A figure for another year, country or time is no answer.
"""

from __future__ import annotations

import re

from .knowledge import Knowledge, SentenceInfo, speaks_of, stems
from .language import UPPER
from .question import Question
from .records import Fact
from .support import (
    ANSWER_TYPE_WORDS,
    YEAR,
    Reading,
    closest,
    question_slots,
    same_noun,
    same_region,
    slot_match,
    typed_window,
    variants,
)

_MONEY_WORDS = frozenset(
    """pay paid paying pays cost costs price fee worth value revenue sales profit invest invested investment money
    prize offer offers offering bietet bot zahlen zahlte gekostet kostete gezahlt
    zahlt zahlte kostet kosteten preis wert umsatz gewinn investiert geld preisgeld ablöse betrag summe earnings
    dividend dividende salary salaries gehalt gehälter wage wages lohn löhne bonus boni compensation vergütung
    fine fines strafe bußgeld loan loans kredit darlehen grant zuschuss subsidy subvention teuer expensive costly
    income""".split()
)


def _is_money_word(word: str) -> bool:
    """ "revenue", and German compounds ending in one: "Nettogewinn", "Quartalsumsatz"."""
    return word in _MONEY_WORDS or word.startswith("invest") or (
        len(word) > 7 and any(word.endswith(m) for m in _MONEY_WORDS if len(m) >= 5))


_RATIO_ENDINGS = ("ratio", "rate", "quote", "quota", "proportion", "percentage", "zinssatz", "steuersatz",
                  "prozentsatz", "anteil", "anteils")  # not "satz": "Umsatz" is revenue
_PERCENT_NOUNS = frozenset("premium aufschlag discount abschlag turnout wahlbeteiligung".split())
_PERCENT_WORDS = frozenset("percent percentage share stake prozent anteil anteile beteiligung".split())


def read_amount(q: Question, scored, knowledge: Knowledge, *, age: bool = False) -> Reading | None:
    """ "How much / how many ...?": the figure of the kind, time, place and noun asked for, from the best supported
    sentence that has one."""
    wanted = [w for w in q.words if w not in ANSWER_TYPE_WORDS]
    change = bool(re.search(r"\bby\s+how\s+much|\bum\s+wie\s+viel", q.text, re.I))  # a rise or fall
    ratio = any(w.endswith(_RATIO_ENDINGS) for w in q.words)  # "investment ratio", "Investitionsquote"
    share_asked = q.answer_noun in _PERCENT_NOUNS  # "Welchen Aufschlag bietet X?": "a premium of 27 per cent"
    money = any(_is_money_word(w) for w in q.words) and not change and not ratio and not share_asked
    per_unit = bool(_PER_UNIT.search(q.text))
    money = money or (per_unit and not ratio and not share_asked)  # "How much per share?": a price
    percent = not money and (change or ratio or share_asked or any(w in _PERCENT_WORDS for w in q.words)
                             or "%" in q.text)
    counted = _counted_noun(q)
    asks_percent = bool(re.search(r"%|\b(?:prozent|percent|per\s+cent|percentage)\b", q.text, re.I))
    asked_time = time_cues(q.text)
    asks_range = bool(re.search(r"spanne\b|\b(?:range|bandbreite|between|zwischen)\b", q.text, re.I))

    asked_people = [p for p in (knowledge.person(n) for n in q.names) if p]

    def rank(fact: Fact, info: SentenceInfo) -> float | None:
        """How well an amount fits the question; None when it cannot be the answer."""
        text = fact.text.lower()
        value = 0.0
        if per_unit:  # "the price per share": "$27 each", "12 Euro je Aktie"
            value += 1.0 if _UNIT_PRICE.match(info.sentence.text[fact.end - info.sentence.start:]) else 0.0
        if asks_range:  # "the price range": "$23 to $25"
            value += 1.0 if RANGE.search(text) else -0.5
        is_age = bool(re.search(r"year-old|jährig|jahre alt|years old|aged", text))
        if age != is_age:
            return None
        if age and _refers_back(fact, info) and any(f.kind == "person" and f.entity in asked_people
                                                     for f in info.facts):
            return None  # "Seidlitz begrüßte die 61-Jährige": the age of someone the sentence does not name
        is_money = bool(re.search(r"[€$£¥]|euro|dollar|pfund|pound|franken|yen|eur\b|usd|gbp|pence|penny|"
                                  r"(?<!per )\bcents?\b|\dp\b", text))  # "412p", not "per cent"
        is_percent = bool(re.search(r"%|prozent|percent|per cent", text))
        unit = text.split()[-1] if " " in text else ""
        unit_matches = bool(unit) and any(same_noun(unit, w) for w in wanted + ([counted] if counted else []))
        if counted and (not unit or unit in _SCALES or (counted in _PEOPLE_NOUNS and not is_money and not is_percent)):
            unit_matches = True  # "Y 3.5 million": the unit was said once for the whole list
        if money and not is_money:
            return None
        if counted and is_money and not money:
            return None  # "how many employees" is not answered by a sum of money
        if counted and not is_money and not is_percent and not unit_matches:
            return None  # "how many employees" is not answered by tonnes
        if counted and is_percent and not percent and not unit_matches:
            return None  # nor by a percentage
        if asks_percent and not is_percent:
            return None  # "Wie viel Prozent der Anteile ...?" is not answered by a number of shares
        value += 1.0 if money and is_money else 0.0
        value += 1.0 if percent and is_percent else 0.0
        if not counted and not money and not percent and (is_money or is_percent):
            value += 0.5  # "how high / how much" asks for a magnitude rather than a head count
        value -= 0.5 if (is_money and not money) or (is_percent and not percent) else 0.0
        value += 1.5 if unit_matches else 0.0
        if asked_time:  # "last year's trade" is not "the trade expected by 2030" in the same sentence
            said = _figure_time(fact, info)
            value += TIME_CUE_WEIGHT if said & asked_time else (-TIME_CUE_WEIGHT if said else 0.0)
        return value

    slots = question_slots(q)

    def pick(info: SentenceInfo):
        facts = [(rank(f, info), f) for f in info.facts if f.kind == "amount"]
        facts = [(r, f) for r, f in facts if r is not None]
        if not facts:
            return None
        best = max(r for r, _ in facts)
        governed = _governed_by_noun([f for r, f in facts if r >= best - TIME_CUE_WEIGHT], info, q.answer_noun)
        if governed is not None:  # "a net loss of $38 million": the noun asked for names its own figure, unless
            return next(r for r, f in facts if f is governed), governed  # it is said for another time
        tied = [f for r, f in facts if r == best]
        mentions = [f for f in info.facts if f.kind == "person" and f.entity in asked_people]
        if len(tied) > 1 and mentions:  # "A kam auf 38,4 Prozent ... vor B, der 31,7 Prozent erreichte": B's figure
            return best, min(tied, key=lambda f: min(_gap(f, m) for m in mentions))
        return best, closest(tied, info, slots)

    places = {w.lower() for n in q.names if knowledge.entity_kind.get(n) == "place" for w in n.split()}
    name_slots = [slot for slot in slots if slot.weight >= 2.0 and not slot.verb and slot.word not in places
                  and not (q.language == "de" and slot.word == q.answer_noun)]  # "Umsatz" is no name

    def about_someone_else(info: SentenceInfo) -> bool:
        """The sentence names none of the question's names but other ones: its figures are theirs. An age is the
        asked person's only in a sentence about them (by name, or by "the 52-year-old" going on about them)."""
        if age and asked_people and not _names_any(asked_people, info):
            before = knowledge.sentence(info.sentence.doc_id, info.sentence.index - 1)
            # "Roth begrüßte den 58-Jährigen" after a sentence about Tamm: Tamm's age
            return not (any(f.kind == "amount" and _refers_back(f, info) for f in info.facts)
                        and _names_any(asked_people, before))
        if not name_slots or any(slot_match(slot, info) > 0 for slot in name_slots):
            return False
        return any(f.kind in ("organization", "name", "person") for f in info.facts)

    measure = q.answer_noun if q.answer_noun in _MEASURE_NOUNS else next(
        (m for m in _MEASURE_NOUNS if len(m) >= 5 and q.answer_noun.endswith(m)), "")  # "Nettoverlust": a loss

    def says_measure(info: SentenceInfo) -> bool:
        """ "What is X's salary?": a sentence that gives a figure but says nothing of a salary is no answer."""
        return any(same_noun(w, measure) for w in info.lower_words)

    asked_years = set(YEAR.findall(q.text))
    regions = _region_adjectives(q, knowledge)
    candidates = []
    for score, info in typed_window(scored):
        if about_someone_else(info) or (measure and not says_measure(info)):
            continue
        if places and not _says_place(places, info, knowledge) and not (
                _reported_from(places, info, knowledge) and not any(f.kind == "place" for f in info.facts)):
            continue  # "Wie viele Beschäftigte arbeiten im Werk in Brno?": a figure said for no Brno is not Brno's
        if asked_years and not asked_years & set(YEAR.findall(info.sentence.text)):
            continue  # "How large will the budget be in 2030?": a figure for no stated year is not 2030's
        if asked_time & {"last", "next"} and not time_cues(info.sentence.text) \
                and not YEAR.search(info.sentence.text):
            continue  # "last year's winners": a figure said for no time is the report's own
        if any(not _says_region(adjective, info, knowledge) for adjective in regions):
            continue  # "die Strafe der irischen Behörden": a fine the sentence gives for no Irish body
        found = pick(info)
        if found:
            candidates.append((score + 0.2 * found[0], score, info, found[1]))
    if not candidates:
        return None
    _, score, info, fact = max(candidates, key=lambda c: c[0])
    if age and _refers_back(fact, info) and not _names_any(asked_people, info):
        before = knowledge.sentence(info.sentence.doc_id, info.sentence.index - 1)
        if _names_any(asked_people, before):
            return Reading(fact.text, [before, info], score, "age")  # cite the sentence that names the person too
    return Reading(fact.text, [info], score, "age" if age else "amount")


def _says_place(places: set[str], info: SentenceInfo, knowledge: Knowledge) -> bool:
    """The sentence (or the one it goes on from) names the place asked about, or says it by its adjective."""
    before = knowledge.sentence(info.sentence.doc_id, info.sentence.index - 1)
    return any(stems(place) & i.forms or any(same_region(place, w) for w in i.lower_words if len(w) > 4)
               for place in places for i in (info, before) if i is not None)


def _gap(a: Fact, b: Fact) -> int:
    """Characters between two facts of a sentence."""
    return a.start - b.end if a.start >= b.end else b.start - a.end


def _reported_from(places: set[str], info: SentenceInfo, knowledge: Knowledge) -> bool:
    """The report's headline or first sentence names the place: a sentence naming no other place is about it
    ("Weltcup-Riesenslalom am Kronplatz ... sagte die Siegerin vor 8.700 Zuschauern")."""
    return any(stems(place) & i.forms for place in places for i in knowledge.lead(info.sentence.doc_id))


def _names_any(people: list[str], info: SentenceInfo | None) -> bool:
    return any(speaks_of(info, p) for p in people)


def _refers_back(fact: Fact, info: SentenceInfo) -> bool:
    """ "die 61-Jährige", "the 52-year-old, who ...": an age that stands for a person named before, not an
    apposition to a name ("der 61-jährige Seidlitz", "Seidlitz, 61,")."""
    after = info.sentence.text[fact.end - info.sentence.start:]
    if "Jährig" in fact.text:
        return True
    return "year-old" in fact.text and not re.match(rf"\s+(?:[\w-]+\s+)?[{UPPER}]", after)


def _region_adjectives(q: Question, knowledge: Knowledge) -> list[str]:
    """ "irischen", "Canadian": the question's adjectives of places the documents name."""
    words = re.findall(rf"\b[{UPPER}]?[a-zäöüß]+(?:isch|ische|ischen|ischer|isches|ian|ese|ish)\b", q.text)
    places = [name for name, kind in knowledge.entity_kind.items() if kind == "place"]
    return [w.lower() for w in words if any(same_region(place.lower(), w.lower()) for place in places)]




def _says_region(adjective: str, info: SentenceInfo, knowledge: Knowledge) -> bool:
    around = [info] + [n for d in (-1, 1) if (n := knowledge.sentence(info.sentence.doc_id, info.sentence.index + d))]
    return any(f.kind in ("place", "name", "organization") and same_region(f.text.lower(), adjective)
               for n in around for f in n.facts) or any(same_region(w, adjective) and w.endswith(("isch", "ische",
               "ischen", "ischer", "isches", "ian", "ese", "ish")) for n in around for w in n.lower_words)


def _governed_by_noun(facts: list[Fact], info: SentenceInfo, noun: str) -> Fact | None:
    """ "revenue of $212 million ..., but a net loss of $38 million": of several figures, the one the noun asked
    for introduces ("net loss of", "Umsatz von") or follows ("$38 million net loss")."""
    if not noun or len(facts) < 2:
        return None
    words = list(re.finditer(r"[\w-]+", info.sentence.text))
    heads = {v.split("-")[-1] for v in variants(noun) if len(v) >= 4} | {noun}
    anchors = [m for m in words if same_noun(m.group().lower(), noun) or m.group().lower() in heads]
    best, best_gap = None, 4
    for anchor in anchors:
        for fact in facts:
            start = fact.start - info.sentence.start
            between = info.sentence.text[anchor.end():start] if start >= anchor.end() else \
                info.sentence.text[fact.end - info.sentence.start:anchor.start()]
            if re.search(r"[,;:–]", between):
                continue
            gap = len(re.findall(r"[\w-]+", between)) + (0 if start >= anchor.end() else 1)
            if gap < best_gap:
                best, best_gap = fact, gap
    return best


TIME_CUE_WEIGHT = 1.0
_TIME_CUES = {
    "last": re.compile(r"\b(?:last\s+year|past\s+year|previous\s+year|a\s+year\s+(?:earlier|ago|before)|year-earlier|im\s+vorjahr|"
                       r"vorjahr\w*|vergangenen\s+jahr|letzten\s+jahr)\b", re.I),
    "next": re.compile(r"\b(?:next\s+year|coming\s+year|kommenden\s+jahr|nächsten\s+jahr|folgejahr)\b", re.I),
    "now": re.compile(r"\b(?:now|nun|jetzt|inzwischen|mittlerweile|currently|derzeit)\b", re.I),
    "before": re.compile(r"\b(?:originally|ursprünglich|zunächst|bisher|previously|had\s+(?:forecast|expected|planned|"
                         r"demanded|asked\s+for))\b", re.I),
}
_BY_YEAR = re.compile(r"\b(?:by|in|until|bis|im\s+jahr)\s+((?:19|20)\d\d)\b", re.I)


def time_cues(text: str) -> set[str]:
    """When a figure holds: last year, next year, now, before (a forecast since changed), or by a given year."""
    return {cue for cue, pattern in _TIME_CUES.items() if pattern.search(text)} | set(_BY_YEAR.findall(text))


def _figure_time(fact: Fact, info: SentenceInfo) -> set[str]:
    """The time cues of a figure's own words; of the whole sentence when no figure in it has its own
    ("For the past year Harlow reported revenue of $9.1 billion ... and a net loss of $310 million")."""
    own = time_cues(_own_words(fact, info))
    if own or any(time_cues(_own_words(f, info)) for f in info.facts if f.kind == "amount" and f is not fact):
        return own
    return time_cues(info.sentence.text)


def _own_words(fact: Fact, info: SentenceInfo) -> str:
    """The words that belong to one figure of a sentence with several: up to the next figure or clause mark after
    it ("$11.4 billion last year"), else back to the one before it ("it now expects about £48 million")."""
    text, start, end = info.sentence.text, fact.start - info.sentence.start, fact.end - info.sentence.start
    others = [f for f in info.facts if f.kind == "amount" and f is not fact]
    after_end = min([f.start - info.sentence.start for f in others if f.start - info.sentence.start >= end]
                    + [m.start() + end for m in re.finditer(r"[,;:–]", text[end:])] + [len(text)])
    after = text[end:after_end]
    if time_cues(after):
        return after
    before_start = max([f.end - info.sentence.start for f in others if f.end - info.sentence.start <= start]
                       + [m.end() for m in re.finditer(r"[,;:–]", text[:start])] + [0])
    return text[before_start:start]


_PER_UNIT = re.compile(r"\b(?:per|pro|je)\s+(?!cent\b)\w+|\bapiece\b", re.I)
_UNIT_PRICE = re.compile(r"(?:\s+in\s+cash)?(?:\s+for)?\s*(?:each|apiece|(?:per|pro|je|a|an)\s+(?!cent\b)\w+)\b",
                         re.I)  # "$27 each", "412p in cash for each share"
# a range of figures or days: "$23 to $25", "vom 4. bis 7. Mai", "4-7 May"
RANGE = re.compile(r"\d.*\b(?:to|bis|until|und|and)\b.*\d|\d\.?\s*[-–]\s*\d", re.I)


# figures a text names with their noun: asked for, the noun is in the answer's sentence
_MEASURE_NOUNS = frozenset(
    """salary gehalt revenue revenues umsatz profit gewinn loss verlust valuation bewertung dividend dividende budget
    etat capacity kapazität debt schulden deficit defizit turnover attendance""".split())
_PEOPLE_NOUNS = frozenset("people persons menschen personen leute".split())  # "400 dairy farmers" are people
_SCALES = frozenset("million millionen mio billion milliarden mrd thousand tausend".split())


def _counted_noun(q: Question) -> str:
    """ "How many employees", "wie viele Zuschauer": the noun being counted."""
    match = re.search(r"\b(?:how\s+many|wie\s+vielen?)\s+(\w+)", q.text, re.IGNORECASE)
    return match.group(1).lower() if match else ""
