"""Answers to open questions ("which ...", "what ..."): the part of a supported sentence that the question
does not repeat, a list it introduces, an acronym's expansion, a description or an ordinal."""

from __future__ import annotations

import re

from .facts.lexicon import ARTICLES
from .knowledge import SentenceInfo, stems
from .language import UPPER
from .question import Question
from .records import Fact
from .support import Reading, noun_relation, question_slots, same_noun, typed_window

MAX_SPAN_TOKENS = 12

# Words that name the kind of answer rather than something the answer's sentence contains.


def read_span(q: Question, scored) -> Reading | None:
    """Which/what questions with no fact type: the part of a supported sentence the question does not repeat,
    from the best sentence that has the thing asked for ("which market" -> "Halbleitermarktes") if any."""
    window = typed_window(scored)
    for special in (_read_title, _read_expansion, _read_description, _read_judgement, _read_reason, _read_ordinal):
        reading = special(q, window)
        if reading is not None:
            return reading
    if q.answer_noun and not q.plural:
        reading = _read_named(q, window)
        if reading is not None:
            return reading
    if q.answer_noun:
        for score, info in window:
            if any(same_noun(w, q.answer_noun) for w in info.lower_words):
                span = _residual_span(q, info)
                if span:
                    return Reading(span, [info], score, "span")
    score, info = scored[0]
    span = _residual_span(q, info)
    if not span:
        return None
    return Reading(span, [info], score, "span")


ASKS_NAME = re.compile(
    r"\bwie\s+(?:heißt|heißen|hieß|hießen|lautet|lautete)\b|\bwhat\s+(?:is|was|are|were)\b.*\b(?:called|named|dubbed)\b|"
    r"\b(?:what|which)\s+(?:is|was)\s+the\s+(?:name|title)\b|\bunter\s+welche[mr]\s+(?:namen|titel|motto)\b|"
    r"\bwelchen\s+(?:namen|titel)\b|\b(?:ticker|kürzel|börsenkürzel|symbol)\b", re.I)
_QUOTED = re.compile(r"[„“\"»«]([^„“”\"»«]{3,80})[“”\"«»]")
_NAMING_CUE = re.compile(r"(?:titel|namen|namens|motto|called|named|dubbed|entitled|titled|heißt|lautet)\W*$", re.I)


def _read_title(q: Question, window) -> Reading | None:
    """ "Wie heißt der Koalitionsvertrag?", "What is the agreement called?": the name it is given, mostly in
    quotation marks ('unter dem Titel „..."', 'dubbed "..."'), else a name that says what it is."""
    if not ASKS_NAME.search(q.text):
        return None
    for score, info in window:
        text = info.sentence.text
        quoted = [m for m in _QUOTED.finditer(text) if len(m.group(1).split()) <= 8]
        cued = [m for m in quoted if _NAMING_CUE.search(text[max(0, m.start() - 25):m.start()])]
        for match in cued or quoted[:1]:
            return Reading(match.group(1).strip(), [info], score, "title")
        ticker = re.search(r"\b(?:ticker|kürzel|symbol)\b\W+(?:[\w-]+\s+){0,2}?([A-Z]{2,6})\b", text, re.I)
        if ticker and ticker.group(1).isupper():
            return Reading(ticker.group(1), [info], score, "title")  # "unter dem Kürzel KGRD"
    return _read_named(q, window) if q.answer_noun else None


def _read_named(q: Question, window) -> Reading | None:
    """ "Which university ...?" -> "Technische Universität Danzig", "In which hall ...?" -> "the Baobab Hall": a
    name that says what it is, or a name right after the noun asked for ("the tournament, the Clay Open")."""
    asked = {w.lower() for n in q.names for w in n.split()}

    def new(fact: Fact) -> bool:
        return fact.kind in _NAMED_KINDS and not {w.lower() for w in fact.text.split()} <= asked

    for score, info in window:
        for fact in info.facts:
            if new(fact) and len(fact.text.split()) >= 2 and any(
                    same_noun(w.lower(), q.answer_noun) for w in re.split(r"[\s-]+", fact.text)[1:]):
                return Reading(fact.text, [info], score, "named")
    for score, info in window:
        for match in re.finditer(r"[\w-]+", info.sentence.text):
            if not same_noun(match.group().lower(), q.answer_noun):
                continue
            for fact in info.facts:
                gap = info.sentence.text[match.end():max(match.end(), fact.start - info.sentence.start)]
                if new(fact) and fact.start - info.sentence.start >= match.end() and re.fullmatch(r"[\s,:„“\"]*", gap):
                    return Reading(fact.text, [info], score, "named")
    return None


_NAMED_KINDS = frozenset({"organization", "name", "place"})


def _read_expansion(q: Question, window) -> Reading | None:
    """ "What does DSA stand for?": the words the text puts before "(DSA)"."""
    if not re.search(r"stand\s+for|steht\b.*\bfür|wofür\s+steht|bedeutet|abbreviation|abkürzung|short\s+for", q.text, re.I):
        return None
    acronyms = [w for n in q.names for w in n.split() if w.isupper() and len(w) >= 2]
    for score, info in window:
        for acronym in acronyms:
            match = re.search(rf"((?:[{UPPER}][\w&-]*\s+){{1,6}})\(\s*{re.escape(acronym)}\s*\)", info.sentence.text)
            if match:
                return Reading(match.group(1).strip(), [info], score, "expansion")
    return None


def _read_description(q: Question, window) -> Reading | None:
    """ "Als was beschrieb X Y?", "How did X describe Y?": what follows "als"/"as" after the verb."""
    if not re.search(r"\bals\s+was\b|\bdescribe|\bbezeichne|\bbeschrieb|\bnannte|\bcalled\b|\bwhat\s+did\s+\w+\s+call", q.text, re.I):
        return None
    for score, info in window:
        match = re.search(r"\b(?:als|as)\s+((?:(?:einen|eine|einem|einer|ein|den|die|das|the|a|an)\s+)?[\w-]+(?:\s+[\w-]+){0,3}?)(?=\s+(?:mit|with|in|für|for|von|of|und|and)\b|[,.;]|$)",
                          info.sentence.text)
        if match:
            return Reading(match.group(1), [info], score, "description")
    return None


_JUDGES = re.compile(
    r"\bwie\s+(?:bewertete|bewerten|bewertet|beurteilte|beurteilt|kommentierte|kommentiert|reagierte|reagiert|nannte|"
    r"bezeichnete)\b|\bhow\s+(?:did|does|do)\b.*\b(?:describe|rate|assess|judge|comment|react|call|sum\s+up|"
    r"characteri[sz]e)\b|\bwhat\s+did\b.*\b(?:call|say\s+about)\b", re.I)


def _read_judgement(q: Question, window) -> Reading | None:
    """ "Wie bewertete X den Rücktritt?", "How did X describe the result?": the words X is quoted with, in the
    best sentence that quotes someone."""
    if not _JUDGES.search(q.text):
        return None
    for score, info in window:
        quoted = [m.group(1).strip() for m in _QUOTED.finditer(info.sentence.text) if len(m.group(1).split()) <= 12]
        if quoted:
            return Reading(quoted[0], [info], score, "quote")
    return None


_REASON_QUESTION = re.compile(r"^(?:why|warum|weshalb|weswegen|wieso)\b|\bfor\s+what\s+reason\b|\baus\s+welchem\s+grund\b",
                              re.I)
_REASON = re.compile(
    r"\b(?:wegen|aufgrund|infolge|angesichts|nach|because\s+of|because|due\s+to|owing\s+to|over|amid|following|after)"
    r"\s+((?:(?:der|die|das|dem|den|des|einer|einem|eines|the|a|an|its|his|her|their)\s+)?[^,.;:!?„“\"]{3,60}?)"
    r"(?=\s*(?:[,.;:!?]|$|\s+(?:zurück|ab|und|and|but|aber)\b))", re.I)


def _read_reason(q: Question, window) -> Reading | None:
    """ "Why did X step down?": what follows "wegen", "nach", "because of", "over" in the best sentence that has
    one ("tritt nach Vergabeaffäre zurück")."""
    if not _REASON_QUESTION.search(q.text):
        return None
    for score, info in window:
        match = _REASON.search(info.sentence.text)
        if match and not re.match(r"\d", match.group(1)):
            return Reading(match.group(1).strip(), [info], score, "reason")
    return None


_ORDINALS = re.compile(
    r"\b(?:erste[nrs]?|zweite[nrs]?|dritte[nrs]?|vierte[nrs]?|fünfte[nrs]?|sechste[nrs]?|letzte[nrs]?|first|second|"
    r"third|fourth|fifth|sixth|last|\d+(?:st|nd|rd|th|\.))\b", re.I)


def _read_ordinal(q: Question, window) -> Reading | None:
    """ "Das wievielte Treffen ...?", "Which number meeting ...?": the ordinal in front of the noun."""
    if not re.search(r"wievielte|how\s+many\s+times|which\s+number", q.text, re.I):
        return None
    for score, info in window:
        match = _ORDINALS.search(info.sentence.text)
        if match:
            following = re.match(r"\s*([\w-]+)", info.sentence.text[match.end():])
            text = match.group() + (" " + following.group(1) if following else "")
            return Reading(text, [info], score, "ordinal")
    return None


def _residual_span(q: Question, info: SentenceInfo) -> str:
    from .facts.tokens import tokenize_text

    text = info.sentence.text
    tokens = tokenize_text(text, "de" if re.search(r"[äöüß]", text) else "en")
    slots = question_slots(q)
    names = [f for f in info.facts if f.kind in ("person", "organization", "place", "name")]
    name_of: dict[int, Fact] = {}
    for fact in names:
        for t in tokens:
            if fact.start - info.sentence.start <= t.start and t.end <= fact.end - info.sentence.start:
                name_of[t.index] = fact
    question_names = {n.lower() for n in q.names}
    answer_noun = q.answer_noun
    marks = []
    for t in tokens:
        fact = name_of.get(t.index)
        if answer_noun and same_noun(t.lower, answer_noun) and (fact is None or fact.text.lower() not in question_names):
            marks.append("a")
            continue
        if fact is not None:
            asked = fact.text.lower() in question_names or (fact.entity or "").lower() in question_names
            marks.append("q" if asked else "c")
            continue
        forms = stems(t.text)
        in_question = any(forms & slot.forms or (len(slot.word) >= 5 and t.lower.endswith(slot.word)) for slot in slots)
        if answer_noun and same_noun(t.lower, answer_noun):
            marks.append("a")
        elif in_question:
            marks.append("q")
        elif t.kind == "punct" and t.text not in {",", "-"} or t.lower in ARTICLES or t.kind == "word" and _function(t.lower):
            marks.append("f")
        else:
            marks.append("c")
    if "a" in marks:
        phrase = _around_answer_noun(tokens, marks, marks.index("a"), answer_noun)
        if phrase is not None and (not q.plural or _list_items(tokens, *phrase) >= 2):
            return _slice(text, tokens, *phrase)
    if q.plural:
        listed = _longest_list(tokens, marks)
        if listed is not None:
            return _slice(text, tokens, *listed)
    runs: list[tuple[float, int, int]] = []
    i = 0
    while i < len(tokens):
        if marks[i] != "c":
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and (
            marks[j + 1] == "c"
            or (marks[j + 1] == "f" and j + 2 < len(tokens) and marks[j + 2] == "c")
            or (marks[j + 1] == "f" and marks[j + 2: j + 3] == ["f"] and j + 3 < len(tokens) and marks[j + 3] == "c"
                and tokens[j + 1].text in _COORDINATORS)
        ):
            j += 1
        while j > i and marks[j] == "f":
            j -= 1
        length = j - i + 1
        touches = (i > 0 and marks[i - 1] == "q") + (j + 1 < len(tokens) and marks[j + 1] == "q")
        content = sum(1 for k in range(i, j + 1) if tokens[k].kind in ("proper", "unknown", "noun") or tokens[k].text[:1].isupper())
        listy = sum(1 for k in range(i, j + 1) if tokens[k].text in {",", "und", "and"})
        value = content + 0.5 * touches + (listy if q.plural else 0) - max(0, length - MAX_SPAN_TOKENS)
        runs.append((value, i, j))
        i = j + 1
    if not runs:
        return ""
    _, i, j = max(runs, key=lambda r: (r[0], -r[1]))
    return _slice(text, tokens, i, min(j, i + MAX_SPAN_TOKENS - 1))


def _around_answer_noun(tokens, marks: list[str], i: int, noun: str) -> tuple[int, int] | None:
    """Where the answer stands relative to the word the question asks for.

    A compound that contains it is the answer itself ("IKT-Branche" for "welche Branche"); after the plain
    word comes what it names ("in den Bereichen TV, Mobile und Content"), or, at a sentence's end, the list
    before it ("KI, virtuelle Realität und andere Technologiefelder").
    """
    token = tokens[i]
    listed = _introduced_list(tokens, marks, i)
    if listed is not None:
        return listed
    if noun_relation(token.lower, noun) == "compound":
        start = i
        while start > 0 and marks[start - 1] == "c" and tokens[start - 1].kind not in ("punct",) and _is_modifier(tokens[start - 1]):
            start -= 1
        return start, i
    j = i + 1
    end = None
    while j < len(tokens) and (marks[j] in ("c", "f") or tokens[j].text in {",", "und", "and", "sowie", "or", "oder"}):
        if tokens[j].text in {".", ";", ":", "(", ")"} or (
            tokens[j].kind == "word" and marks[j] != "f" and not _is_list_word(tokens[j])
        ):
            break
        end = j
        j += 1
    if end is not None and any(marks[k] == "c" for k in range(i + 1, end + 1)):
        while end > i and (marks[end] == "f" or tokens[end].text in {",", "und", "and"}):
            end -= 1
        return i + 1, min(end, i + MAX_SPAN_TOKENS)
    k = i - 1
    start = None
    while k >= 0 and (marks[k] in ("c", "f") or tokens[k].text in {",", "und", "and"}) and tokens[k].text not in {".", ";", ":"}:
        if tokens[k].kind == "word" and not _is_list_word(tokens[k]):
            break
        start = k
        k -= 1
    if start is not None and any(marks[m] == "c" for m in range(start, i)):
        return start, i - 1
    return None


_INTRODUCERS = frozenset("darunter including such as like namely nämlich insbesondere especially etwa wie vor allem".split())


def _introduced_list(tokens, marks: list[str], i: int) -> tuple[int, int] | None:
    """ "Geschäftsfelder, darunter generative KI und Cloud Computing": the members after an introducer."""
    j = i + 1
    if j < len(tokens) and tokens[j].text == ",":
        j += 1
    seen_introducer = False
    while j < len(tokens) and tokens[j].lower in _INTRODUCERS:
        seen_introducer = True
        j += 1
    if not seen_introducer:
        return None
    end = j
    while end + 1 < len(tokens) and tokens[end + 1].text not in {".", ";", ":", "(", ")"} and end - j < MAX_SPAN_TOKENS:
        end += 1
    while end > j and tokens[end].kind == "punct":
        end -= 1
    return (j, end) if end >= j else None


def _is_modifier(token) -> bool:
    return token.kind == "word" and token.lower.endswith(("en", "er", "es", "e", "al", "ic", "ive")) or token.text[:1].isupper()


def _is_list_word(token) -> bool:
    """Lower-case words that may stand inside a listed phrase: conjunctions and attributive adjectives."""
    return token.lower in {"und", "and", "sowie", "or", "oder", "andere", "other", "weitere"} or _is_modifier(token)


_COORDINATORS = frozenset({",", "und", "and", "sowie", "or", "oder", "&"})


def _list_items(tokens, i: int, j: int) -> int:
    return 1 + sum(1 for t in tokens[i:j + 1] if t.text in _COORDINATORS)


def _longest_list(tokens, marks: list[str]) -> tuple[int, int] | None:
    """The longest run of coordinated items the question does not name: "Gießereien, Chips, Cloud-Diensten
    und Netzwerken"."""
    best: tuple[int, int, int] | None = None
    i = 0
    while i < len(tokens):
        if marks[i] != "c" or tokens[i].kind in ("punct", "word"):
            i += 1
            continue
        j = i
        items = 1
        while j + 2 < len(tokens) and tokens[j + 1].text in _COORDINATORS:
            k = j + 2
            while k < len(tokens) and tokens[k].text in _COORDINATORS:
                k += 1
            while k < len(tokens) and tokens[k].kind == "word" and _is_modifier(tokens[k]) and k + 1 < len(tokens) \
                    and tokens[k + 1].kind not in ("punct", "word"):
                k += 1  # an adjective in front of the next item ("virtuelle Realität")
            if k >= len(tokens) or marks[k] == "q" or tokens[k].kind in ("punct", "word"):
                break
            while k + 1 < len(tokens) and tokens[k + 1].kind in ("noun", "proper", "unknown") and marks[k + 1] == "c":
                k += 1  # a multi-word item ("Cloud Computing")
            j = k
            items += 1
        start = i
        while start > 0 and tokens[start - 1].kind == "word" and _is_modifier(tokens[start - 1]) \
                and tokens[start - 1].lower not in _COORDINATORS and marks[start - 1] != "q":
            start -= 1  # "generative KI und Cloud Computing"
        if items >= 2 and (best is None or items > best[0]):
            best = (items, start, j)
        i = j + 1
    return (best[1], best[2]) if best else None


def _slice(text: str, tokens, i: int, j: int) -> str:
    return text[tokens[i].start:tokens[j].end].strip(" ,;:")


def _function(word: str) -> bool:
    from .lexical import _stopwords

    return word in _stopwords()
