"""Dates, durations and amounts, found with patterns for German and English news text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import (
    CURRENCY_WORDS,
    ENGLISH_DAYS,
    ENGLISH_MONTHS,
    GERMAN_DAYS,
    GERMAN_MONTHS,
    NUMBER_WORDS,
    SCALE_WORDS,
    alternation,
)

_MONTH = alternation(GERMAN_MONTHS + ENGLISH_MONTHS + ["jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec"])
_DAY = alternation(GERMAN_DAYS + ENGLISH_DAYS)
_NUM_WORD = alternation(list(NUMBER_WORDS))
_YEAR = r"(?:19|20)\d{2}"
_ORD = r"\d{1,2}(?:\.|st|nd|rd|th)?"
_PART = r"(?:anfang|mitte|ende|early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|end\s+of)"
_SEASON = r"(?:frühjahr|frühling|sommer|herbst|winter|spring|summer|autumn|fall)"
_DAYTIME = r"(?:\s+(?:morning|afternoon|evening|night|vormittag|nachmittag|abend|morgen))?"

DATE_PATTERNS = [
    # a weekday with its date: "Am Samstag, 17. Mai 2025", "on Sunday, April 20th"
    rf"\b(?:(?:am|on)\s+)?(?:{_DAY}),?\s+(?:(?:den|the)\s+)?(?:{_ORD}\s*(?:of\s+)?(?:{_MONTH})\b\.?|(?:{_MONTH})\s+{_ORD}\b)(?:,?\s+{_YEAR})?",
    # ranges: "vom 14. bis 16. Mai", "from 19 to 21 May", "14-16 May"
    rf"\b(?:vom|von|from|between)\s+{_ORD}\s*(?:{_MONTH}\s*)?(?:bis(?:\s+zum)?|to|and|until|-|–)\s*{_ORD}\s*(?:{_MONTH})\b(?:\s+{_YEAR})?",
    # "am 10. Juni 2024", "10. Juni", "16 May 2026", "the 3rd of March"
    rf"\b(?:(?:am|vom|zum|bis|seit|on|by|the)\s+)?{_ORD}\s*(?:of\s+)?(?:{_MONTH})\b\.?(?:,?\s+{_YEAR})?",
    # "May 12th", "June 10, 2026"
    rf"\b(?:(?:on|by)\s+)?(?:{_MONTH})\s+{_ORD}\b(?:,?\s+{_YEAR})?",
    # "Anfang Juni", "early June", "Ende 2029", "Anfang des Monats", "the end of September"
    rf"\b{_PART}\s+(?:(?:{_MONTH})\b(?:\s+{_YEAR})?|{_YEAR}|des\s+(?:Monats|Jahres)|the\s+(?:month|year)|this\s+(?:month|year))",
    # weekdays: "am Dienstag", "last Tuesday", "on Thursday afternoon"
    rf"\b(?:(?:am|on|last|next|this|vergangenen|kommenden|letzten|nächsten)\s+)?(?:{_DAY})\b{_DAYTIME}",
    # "im Februar", "in March 2027", "im Herbst"
    rf"\b(?:im|in|bis|seit|since|until|by)\s+(?:(?:{_MONTH})\b(?:\s+{_YEAR})?|{_SEASON}\b(?:\s+{_YEAR})?|the\s+{_SEASON}\b)",
    # bare years with a cue: "2024", "im Jahr 2024", "ab 2027"
    rf"\b(?:(?:im\s+jahr|ab|bis|seit|in|since|by|until)\s+)?{_YEAR}\b",
    # quarters and relative weeks: "in the third quarter of 2025", "im dritten Quartal 2025", "last week"
    rf"\b(?:(?:in\s+)?the\s+)?(?:first|second|third|fourth|final|last)\s+quarter(?:\s+of)?(?:\s+{_YEAR})?\b",
    rf"\b(?:im\s+)?(?:ersten|zweiten|dritten|vierten|letzten)\s+Quartal(?:\s+{_YEAR})?\b",
    r"\b(?:last|next|this|previous|coming)\s+(?:week|month|year|weekend|season)\b",
    r"\b(?:vergangene[nr]?|letzte[nr]?|nächste[nr]?|kommende[nr]?|diese[rn]?)\s+(?:Woche|Monat|Jahr|Wochenende|Saison)\b",
    # relative days
    r"\b(?:heute|gestern|morgen|vorgestern|today|yesterday|tomorrow|tonight)\b",
]
DURATION_PATTERNS = [
    # race times: "2:04,37 Minuten", "1:21:07,5 Stunden", "2:08:41" (not a score: seconds, or hours and minutes)
    r"\b\d{1,2}(?::\d{2}){1,2}[.,]\d{1,2}\b(?:\s*(?:Minuten|Stunden|Sekunden|minutes|hours|seconds))?"
    r"|\b\d{1,2}:\d{2}:\d{2}\b(?:\s*(?:Stunden|hours))?",
    # hours and minutes: "2 Stunden und 41 Minuten", "two hours and 12 minutes", "3 hours 5 minutes"
    rf"\b(?:{_NUM_WORD}|\d+)\s+(?:stunden?|hours?)\s*(?:,|und|and)?\s*(?:{_NUM_WORD}|\d+)\s+(?:minuten?|minutes?)\b",
    # adjectives: "zweiwöchige", "dreitägigen", "two-week", "ten-day", "90-minute"
    rf"\b(?:{_NUM_WORD}|\d+)-?(?:wöchig|tägig|monatig|jährig|stündig|minütig)\w*",
    rf"\b(?:{_NUM_WORD}|\d+)-(?:day|week|month|year|hour|minute)s?(?:-long)?\b",
    # "neun Monate", "more than six hours", "zwei Wochen", "19 years"
    rf"\b(?:(?:mehr\s+als|über|knapp|rund|fast|etwa|gut|more\s+than|over|almost|nearly|about|some)\s+)?(?:{_NUM_WORD}|\d+(?:[.,]\d+)?)\s+(?:tage|tagen|wochen|monate|monaten|jahre|jahren|stunden|minuten|days|weeks|months|years|hours|minutes|seasons|saisons)\b",
]
_COUNT_WORD = alternation([w for w, n in NUMBER_WORDS.items() if n >= 2])
_NUMBER = r"\d{1,3}(?:[.,\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALE = alternation(SCALE_WORDS)
_CURRENCY = alternation(CURRENCY_WORDS)
_MONEY = rf"(?:\b[A-Z]{{1,2}})?[€$£¥]\s?(?:{_NUMBER})(?:\s*(?:{_SCALE})\b|m\b|bn\b)?"
AMOUNT_PATTERNS = [
    # ranges: "between $3.2 billion and $3.35 billion", "12 to 14 percent", "3,2 bis 3,35 Milliarden Euro"
    rf"(?:(?<=between )|(?<=zwischen )){_MONEY}\s+(?:and|und)\s+{_MONEY}",
    rf"{_MONEY}\s+(?:to|bis|-|–)\s+{_MONEY}",
    rf"(?:(?<=between )|(?<=zwischen ))(?:{_NUMBER})\s+(?:and|und)\s+(?:{_NUMBER})\s*(?:(?:{_SCALE})\s*)?"
    rf"(?:{_CURRENCY}\b|%|percent\b|prozent\b)",
    rf"\b(?:{_NUMBER})\s+(?:to|bis)\s+(?:{_NUMBER})\s*(?:(?:{_SCALE})\s*)?(?:{_CURRENCY}\b|%|percent\b|prozent\b)",
    # ages: "31-year-old", "der 31-Jährige", "45 Jahre alt", "aged 31"
    r"\b\d{1,3}-year-old\b|\b\d{1,3}-[Jj]ährige[nr]?\b|\b\d{1,3}\s+(?:Jahre\s+alt|years\s+old)\b|\baged\s+\d{1,3}\b",
    # "€1.7 billion", "$12 million", "£3.1m", "NZ$1.9 billion"
    _MONEY,
    # pence: "412p a share"
    rf"\b(?:{_NUMBER})p\b",
    # "1,7 Milliarden Euro", "95 Millionen Euro", "2.5 billion dollars", "500 Mio. Euro"
    rf"\b(?:{_NUMBER})\s*(?:(?:{_SCALE})\s*)?(?:{_CURRENCY})\b|\b(?:{_NUMBER})\s*(?:EUR|USD|GBP|CHF)\b|\b(?:EUR|USD|GBP|CHF)\s*(?:{_NUMBER})(?:\s*(?:{_SCALE}))?",
    # percentages
    rf"\b(?:{_NUMBER})\s*(?:%|prozent\b|percent\b|per\s+cent\b|prozentpunkte\b|percentage\s+points\b)",
    rf"\b(?:{_COUNT_WORD})\s+(?:prozent\b|percent\b|per\s+cent\b|prozentpunkte\b|percentage\s+points\b)",
    # a part of a whole: "71 of 156 seats", "51 von 97 Stimmen"
    rf"\b(?:{_NUMBER})\s+(?:of|von|der|out\s+of)\s+(?:{_NUMBER})\s+[^\W\d_][\w-]*",
    # a number, an adjective and the (capitalised German) noun it counts: "1.500 neue Stellen"
    rf"\b(?:{_NUMBER})\s+(?-i:[a-zäöüß][\w-]*e[nrs]?\s+[A-ZÄÖÜ][\w-]*)",
    # a number joined to what it counts: "a 900-home development", "a 150-seat hall" (not "20-year", "10-point")
    rf"\b(?:{_NUMBER})-(?!(?:year|week|day|month|hour|minute|point|time|game|match)s?\b)[a-z]{{3,}}\b(?!-)",
    # areas and volumes: "45,000 square metres"
    rf"\b(?:{_NUMBER})\s+(?:square|cubic|sq\.?)\s+[a-z]+",
    # a number (with an optional scale) and the noun it counts: "250.000 Tonnen", "300 employees", "48,210 spectators"
    rf"\b(?:{_NUMBER})(?:\s+(?:{_SCALE}))?\s+[^\W\d_][\w-]*",
    # number words with a scale: "three hundred workers", "zwei Millionen Menschen"
    rf"\b(?:{_COUNT_WORD}|a|an|one|ein|eine)\s+(?:hundred|thousand|million|billion|hundert|tausend|millionen|million|"
    rf"milliarden|milliarde)\s+(?:[^\W\d_][\w-]*)?",
    # a number word and what it counts: "neun Tore", "three penalties" (not articles: "ein", "a", "one")
    rf"\b(?:{_COUNT_WORD})\s+[^\W\d_][\w-]*",
    # a scale alone: "1,7 Milliarden"
    rf"\b(?:{_NUMBER})\s+(?:{_SCALE})\b",
    # a large number whose noun was said before it: "in front of a crowd of 21,460, the ..."
    r"\b\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)",
]
# counted nouns that make a number a date, score or ordinal rather than an amount
_NOT_AMOUNT_UNITS = set(GERMAN_MONTHS + ENGLISH_MONTHS) | {
    "jahre", "jahren", "tage", "tagen", "wochen", "monate", "monaten", "stunden", "minuten", "days", "weeks",
    "months", "years", "hours", "minutes", "to", "and", "und", "bis", "of", "in", "the", "der", "die", "das",
    "on", "am", "im", "at", "for", "für", "from", "von", "a", "an", "ein", "eine", "was", "war", "is", "ist",
}

SCORE_PATTERN = r"(?<![\d.,:])(?<![Uu]m )(?<![Aa]t )\d{1,3}\s?[-:–]\s?\d{1,3}(?!\d|[.,:]\d)(?!\s*(?:Uhr|h\b|am\b|pm\b|a\.m\.|p\.m\.))"
_SCORE_RE = re.compile(SCORE_PATTERN)

# The patterns that only match text with a digit, read from their syntax: a sentence without a digit, about two in
# three, is spared their scans.
def needs_digit(pattern: str) -> bool:
    """Whether every match of the pattern holds a digit (by Python's own regex parser; False when unsure)."""
    try:
        from re import _constants as c, _parser
    except ImportError:  # another Python's internals: run every pattern everywhere
        return False

    def digit_item(op, av) -> bool:
        return ((op is c.CATEGORY and av is c.CATEGORY_DIGIT) or (op is c.LITERAL and chr(av) in "0123456789")
                or (op is c.RANGE and 48 <= av[0] <= av[1] <= 57))

    def items_need(items) -> bool:
        for op, av in items:
            if (
                (op is c.LITERAL and chr(av) in "0123456789")
                or (op is c.IN and bool(av) and all(digit_item(o, a) for o, a in av))
                or (op is c.SUBPATTERN and items_need(av[3]))
                or (op is c.ATOMIC_GROUP and items_need(av))
                or (op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1 and items_need(av[2]))
                or (op is c.BRANCH and all(items_need(alternative) for alternative in av[1]))
            ):
                return True
        return False

    return items_need(_parser.parse(pattern, re.IGNORECASE))


DIGIT_DATES = frozenset(k for k, p in enumerate(DATE_PATTERNS) if needs_digit(p))
DIGIT_DURATIONS = frozenset(k for k, p in enumerate(DURATION_PATTERNS) if needs_digit(p))
DIGIT_AMOUNTS = frozenset(k for k, p in enumerate(AMOUNT_PATTERNS) if needs_digit(p))
_DIGIT = re.compile(r"\d")


def _compiled(patterns: list[str], need_digit: frozenset[int]) -> list[tuple[re.Pattern, bool]]:
    return [(re.compile(p, re.IGNORECASE), k in need_digit) for k, p in enumerate(patterns)]


_DATE_RE = _compiled(DATE_PATTERNS, DIGIT_DATES)
_DURATION_RE = _compiled(DURATION_PATTERNS, DIGIT_DURATIONS)
_AMOUNT_RE = _compiled(AMOUNT_PATTERNS, DIGIT_AMOUNTS)


def find_dates(text: str) -> Iterator[tuple[int, int]]:
    yield from _non_overlapping(text, _DATE_RE, _keep_date)


def find_scores(text: str) -> Iterator[tuple[int, int]]:
    """Results of matches: "3-2", "31:28" (not times of day)."""
    for match in _SCORE_RE.finditer(text):
        yield match.span()


def find_durations(text: str) -> Iterator[tuple[int, int]]:
    yield from _non_overlapping(text, _DURATION_RE, _keep_duration)


def _keep_duration(text: str, start: int, end: int) -> bool:
    """"31-year-old" and "der 31-Jährige" are ages, not durations."""
    return not re.match(r"-old\b", text[end : end + 4]) and not re.match(r"\d+-Jährige", text[start:end])


def find_amounts(text: str) -> Iterator[tuple[int, int]]:
    yield from _non_overlapping(text, _AMOUNT_RE, _keep_amount)


def _keep_date(text: str, start: int, end: int) -> bool:
    span = text[start:end].strip()
    if re.fullmatch(r"(?:im\s+jahr|ab|bis|seit|in|since|by|until)?\s*(?:19|20)\d{2}", span, re.IGNORECASE):
        # a bare number is a year only when it is not part of an amount or a score
        after = text[end : end + 12].lower()
        return not re.match(r"\s*(?:euro|dollar|prozent|percent|mitarbeiter|employees|tonnen|tonnes|[-–:]\d)", after)
    if span.lower() in {"may", "mai", "march", "märz"}:  # a bare month name is too weak (the verb "may")
        return False
    if re.fullmatch(r"(?:am|on|by)?\s*(?:may)\s+\d{1,2}", span, re.IGNORECASE):
        return True
    return True


def _keep_amount(text: str, start: int, end: int) -> bool:
    span = text[start:end]
    words = span.split()
    if len(words) >= 2 and words[-1].lower().strip(".,") in _NOT_AMOUNT_UNITS:
        return False
    before = text[max(0, start - 1) : start]
    if before in {"-", "–", ":"} or re.match(r"\d{1,2}\.\s", span) and not re.match(r"\d{1,3}\.\d{3}", span):
        return False  # "3-2" scores, "10. Juni" dates
    if re.match(r"[-–:]\d", text[end : end + 2]):
        return False
    return True


def _non_overlapping(text: str, patterns: list[tuple[re.Pattern, bool]], keep) -> Iterator[tuple[int, int]]:
    """All matches of all patterns, earlier patterns first, none overlapping another, in text order; a pattern
    that needs a digit is not run on text without one (it would find nothing)."""
    taken: list[tuple[int, int]] = []
    has_digit = _DIGIT.search(text) is not None
    for pattern, needs_digit in patterns:
        if needs_digit and not has_digit:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            while end > start and text[end - 1] in " .,;:":
                end -= 1
            if end <= start or any(start < e and s < end for s, e in taken):
                continue
            if keep(text, start, end):
                taken.append((start, end))
    yield from sorted(taken)
