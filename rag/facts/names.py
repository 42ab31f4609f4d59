"""Proper names in a document: people, organisations and places, and which short forms belong to whom.

A name is a run of proper-noun tokens (with particles such as "van der" and a title such as "Dr." in front).
Its kind comes from the words around it: a role or title before it or a role after it marks a person, a legal
suffix an organisation, a place preposition or a venue word a place. Later short forms ("Lee", "Jassy",
"Amazons") are linked to the full name they abbreviate.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import (
    ARTICLES,
    COMPASS,
    ENGLISH_DAYS,
    ENGLISH_MONTHS,
    GERMAN_DAYS,
    GERMAN_MONTHS,
    GIVEN_NAMES,
    KINSHIP_WORDS,
    NAME_PARTICLES,
    ORG_KIND_WORDS,
    ORG_SUFFIXES,
    PLACE_PREPOSITIONS,
    PLACE_WORDS,
    ROLE_MODIFIERS,
    SPEECH_VERBS,
    TITLES,
    is_role_word,
)
from ..language import LOWER, UPPER
from .tokens import Token

CALENDAR_WORDS = frozenset(GERMAN_MONTHS + ENGLISH_MONTHS + GERMAN_DAYS + ENGLISH_DAYS)
_GIVEN_NAME_SHAPE = re.compile(rf"^[{UPPER}][{LOWER}]+-[{LOWER}]+$")  # "Jae-yong", "Seo-yeon"
_DOUBLE_GIVEN_NAME = re.compile(rf"^[{UPPER}][{LOWER}]+-[{UPPER}][{LOWER}]+$")  # "Hans-Georg", "Lars-Ole"


@dataclass
class Name:
    sentence: int
    tokens: list[Token]
    kind: str  # person, organization, place, name
    title: str = ""
    entity: str = ""
    cues: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


PLACE_OF_NOUNS = frozenset(
    "streets street city town port village region province state capital suburbs outskirts centre center county "
    "district island harbour municipality".split()
)
PLACE_ACRONYMS = frozenset({"USA", "US", "U.S.", "UK", "GB", "UAE", "VAE", "NRW", "BRD", "DDR", "UdSSR"})
COMMON_WORD_ZIPF = 3.3  # an English word this frequent ends a common phrase ("Northern Cup"), not a surname
_CONNECTORS = frozenset("for of für der des de du and und &".split())
# what one holds in a company: "a stake in X", "Anteile an X"
_HOLDING_WORDS = frozenset("""stake stakes share shares holding holdings interest investment investments beteiligung
beteiligungen anteil anteile anteilen aktien aktienpaket minderheitsbeteiligung mehrheitsbeteiligung""".split())
# German institutions named by their kind and a place: "Universität Leipzig", "Technische Universität Danzig",
# "Landesdirektion Sachsen", "Stiftung Warentest"
_INSTITUTION_HEADS = frozenset("""universität hochschule fachhochschule institut klinikum universitätsklinikum stiftung
landesdirektion bezirksregierung regierungspräsidium landratsamt sparkasse stadtwerke landgericht amtsgericht
oberlandesgericht verwaltungsgericht landeskriminalamt""".split())


def _coordinated_people(names: list[Name], sentences: list[list[Token]]) -> None:
    """ "Jane Roe and Kim Ji-hoon": a two- or three-word name listed with a person is a person."""
    for a, b in zip(names, names[1:]):
        if a.sentence != b.sentence:
            continue
        between = sentences[a.sentence][a.tokens[-1].index + 1 : b.tokens[0].index]
        if not between or any(t.text not in {",", "and", "und", "&"} for t in between):
            continue
        tokens = sentences[a.sentence]
        for this, other in ((a, b), (b, a)):
            first, last = this.tokens[0].index, this.tokens[-1].index
            before = tokens[first - 1].lower if first > 0 else ""
            after = tokens[last + 1].text if last + 1 < len(tokens) else ""
            if (this.kind == "name" and other.kind == "person" and 2 <= len(this.tokens) <= 3
                    and not any(t.acronym for t in this.tokens) and this.tokens[0].lower not in COMPASS
                    and before not in PLACE_PREPOSITIONS | {"of", "von", "des", "der"} and after not in {"'s", "’s"}
                    and not is_role_word(after)):  # "Foreign Affairs Minister X": the field of a role
                this.kind = "person"


def find_names(sentences: list[list[Token]]) -> list[Name]:
    """All names of a document in order, each with its kind and canonical entity."""
    names: list[Name] = []
    known: set[str] = set()
    prefixes = _role_compound_prefixes(sentences)
    for i, tokens in enumerate(sentences):
        for name in _sentence_names(i, tokens, prefixes | known):
            for part in _split_known(name, tokens, known):
                names.append(part)
                if part.kind == "person":
                    known.add(part.text)
                    known.update(_short_forms(part))
    _coordinated_people(names, sentences)
    _resolve(names)
    return names


def _split_known(name: Name, tokens: list[Token], known: set[str]) -> list[Name]:
    """"Mark Zuckerberg Lee" is two names when "Mark Zuckerberg" and "Lee" are both known and the whole is not."""
    words = [t.text for t in name.tokens]
    if name.text in known or len(words) < 2:
        return [name]
    for k in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:k]), " ".join(words[k:])
        if k == 1 and head in GIVEN_NAMES:
            continue  # "Paul Walker" after "Paul Grant": a given name is shared, the surname is another
        if head in known and (tail in known or _possessive_base(tail) in known or not _names_continue(name.tokens[k:])):
            return [_classify(name.sentence, tokens, name.tokens[:k]), _classify(name.sentence, tokens, name.tokens[k:])]
    return [name]


def _names_continue(tail: list[Token]) -> bool:
    """A hyphenated given name or particle continues the name before it ("Lee Jung-bae", "van der Berg")."""
    return any(_GIVEN_NAME_SHAPE.match(t.text) or t.lower in NAME_PARTICLES for t in tail)


def _possessive_base(text: str) -> str:
    for suffix in ("’s", "'s", "s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _is_name_token(token: Token) -> bool:
    if token.kind == "noun" and "-" in token.text and token.text.split("-")[-1].lower() in PLACE_WORDS \
            and token.text[:1].isupper():
        return True  # "Auental-Arena", "Weser-Stadion": a venue named by a compound
    if token.kind not in ("proper", "unknown"):
        return False
    lower = token.lower
    return lower not in CALENDAR_WORDS and lower not in TITLES and not is_role_word(token.text)


def _coordinated_with_name(tokens: list[Token], i: int) -> bool:
    """An unknown word listed with names is one too: "mit Qualcomm, Amazon und Meta"."""
    for step in (-2, 2):
        j = i + step
        between = i + step // 2
        if 0 <= j < len(tokens) and 0 <= between < len(tokens):
            if tokens[between].text in {",", "und", "and", "&", "oder", "or"} and tokens[j].kind == "proper":
                return True
    return False


def _role_compound_prefixes(sentences: list[list[Token]]) -> set[str]:
    """Words a document uses before a role ("Qualcomm" in "Qualcomm-CEO"): names of organisations."""
    found = set()
    for tokens in sentences:
        for token in tokens:
            if "-" in token.text and is_role_word(token.text):
                prefix = token.text.rsplit("-", 1)[0]
                if prefix[:1].isupper():
                    found.add(prefix)
    return found


def _sentence_names(index: int, tokens: list[Token], allowed: set[str] = frozenset()) -> list[Name]:
    """Names of one sentence; `allowed` are single words known to be names ("Qualcomm", a person's "Mark")."""
    names: list[Name] = []
    i = 0
    while i < len(tokens):
        known_short = tokens[i].text in allowed and i > 0 and tokens[i].text[:1].isupper()
        particle_start = (tokens[i].lower in NAME_PARTICLES and tokens[i].text[:1].isupper()
                          and _surname_after_particles(tokens, i - 1, i)  # "Van der Berg sagte ..."
                          and (i > 0 or _after_particles(tokens, i).kind != "noun")  # not "Zu den Gästen zählten"
                          and not (tokens[i].lower in {"den", "der", "die", "das"} and i + 1 < len(tokens)
                                   and tokens[i + 1].kind != "proper"))  # "Den Siegtreffer erzielte ..."
        if tokens[i].lower in ROLE_MODIFIERS and i + 1 < len(tokens) and is_role_word(tokens[i + 1].text):
            i += 1  # "Deputy Prime Minister", "Vice President": part of the role, not a name
            continue
        org_named = _named_after_kind(tokens, i)
        if not _is_name_token(tokens[i]) and not _given_name_after_role(tokens, i) and not known_short \
                and not particle_start and not org_named:
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if _is_name_token(tokens[j]) or (org_named and j - i < 3 and _name_word(tokens[j])) or (j > i and tokens[j - 1].lower in NAME_PARTICLES
                                              and _surname_after_particles(tokens, i, j - 1)
                                              and tokens[j].text[:1].isupper()):
                j += 1
            elif (
                tokens[j].lower in NAME_PARTICLES
                and j + 1 < len(tokens)
                and (_is_name_token(tokens[j + 1]) or tokens[j + 1].lower in NAME_PARTICLES
                     or _surname_after_particles(tokens, i, j))
                and (j > i or tokens[j].text[:1].isupper())
            ):
                j += 1
            else:
                break
        while j - i > 1 and tokens[j - 1].lower in NAME_PARTICLES:
            j -= 1  # "Ulf Berger von [der Bürgerliste]": particles that lead to no name are not part of it
        if _surname_after_given_name(tokens, j, i):
            j += 1
        j = _extend_organisation(tokens, i, j)
        j = _extend_over_of(tokens, i, j)
        i = _extend_backwards(tokens, i, j, names)
        run = tokens[i:j]
        if any(t.lower.rstrip(".") in ORG_SUFFIXES for t in run[1:]) and names and i >= 2 \
                and tokens[i - 1].lower in {"and", "und", "for", "für", "of"} and names[-1].tokens[-1].index == i - 2:
            run = names.pop().tokens + [tokens[i - 1]] + run  # "Lakes and Valleys Party"
        if i > 0 and tokens[i - 1].lower in NAME_PARTICLES and tokens[i - 1].text[:1].isupper() and not (
                tokens[i - 1].lower in {"den", "der", "die", "das"} and run[0].kind != "proper"):
            run = [tokens[i - 1]] + run  # "Van der Heyden" at the start of a sentence, not "Den Siegtreffer"
        if (
            any(t.kind == "proper" or _GIVEN_NAME_SHAPE.match(t.text) for t in run)
            or len(run) >= 2
            or run[0].text in allowed
            or _coordinated_with_name(tokens, run[0].index)
            or (run[0].kind == "noun" and _is_name_token(run[0]))  # a venue compound
            or (org_named and len(run) >= 2)
        ):
            name = _classify(index, tokens, run)
            previous = names[-1] if names else None
            if (name.kind == "name" and previous is not None and previous.kind == "place"
                    and run[0].index == previous.tokens[-1].index + 2 and tokens[run[0].index - 1].text == ","):
                name.kind = "place"  # "San Jose, Kalifornien"
            names.append(name)
        i = j
    return names


def _named_after_kind(tokens: list[Token], i: int) -> bool:
    """ "des tschechischen Zulieferers Pelikan Kompozity", "den Maschinenbauer Adler Technik": capitalised words
    right after a word for a kind of organisation are its name, even when they are also nouns."""
    return i > 0 and tokens[i - 1].kind in ("noun", "word") and _name_word(tokens[i]) \
        and _org_kind_or_genitive(tokens[i - 1].lower)


def _org_kind_or_genitive(word: str) -> bool:
    return _is_org_kind_word(word) or (word.endswith("s") and _is_org_kind_word(word[:-1]))


def _name_word(token: Token) -> bool:
    return token.kind in ("noun", "unknown", "proper") and token.text[:1].isupper() and token.lower not in CALENDAR_WORDS \
        and token.lower not in _TIME_NOUNS and not is_role_word(token.text)


_TIME_NOUNS = frozenset("anfang mitte ende beginn jahr jahres monat woche tag abend morgen".split())


def _extend_organisation(tokens: list[Token], i: int, j: int) -> int:
    """Take in capitalised words up to a legal or kind suffix ("Rheinquell Chemie AG", "Castellan Holding SE"),
    and the rest of an organisation's name after "for"/"of" ("Vienna Institute for Industrial Policy")."""
    for k in range(j, min(j + 3, len(tokens))):
        if not tokens[k].text[:1].isupper():
            break
        if tokens[k].lower.rstrip(".") in ORG_SUFFIXES:
            j = k + 1
            while j < len(tokens) and tokens[j].lower.rstrip(".") in ORG_SUFFIXES and tokens[j].text[:1].isupper():
                j += 1
            break
    if j < len(tokens) and tokens[j - 1].lower in _INSTITUTION_HEADS and tokens[j].kind == "proper":
        j += 1  # "Technische Universität Danzig"
    if any(t.lower.rstrip(".") in ORG_SUFFIXES for t in tokens[i:j]):
        while (
            j + 1 < len(tokens)
            and tokens[j].lower in _CONNECTORS
            and tokens[j + 1].text[:1].isupper()
            and tokens[j + 1].kind in ("proper", "unknown", "noun")
        ):
            j += 2
            while j < len(tokens) and tokens[j].text[:1].isupper() and tokens[j].kind in ("proper", "unknown", "noun"):
                j += 1
    return j


def _extend_backwards(tokens: list[Token], i: int, j: int, names: list[Name]) -> int:
    """ "die Elbtal Batteriewerke GmbH", "im Kloster Michaelstein": a capitalised word in front belongs to an
    organisation's name, and a venue word ("Kloster", "Schloss", "Hotel") to the place it names."""
    run = tokens[i:j]
    is_org = any(t.lower.rstrip(".") in ORG_SUFFIXES for t in run[1:]) or (
        len(run) == 1 and run[0].lower.rstrip(".") in ORG_SUFFIXES)  # "Aalborg Fjord HK" tagged as nouns + "HK"
    k = i
    while k > 0 and i - k < 2:
        before = tokens[k - 1]
        if not before.text[:1].isupper() or before.kind not in ("noun", "unknown", "proper") or is_role_word(before.text):
            break
        if names and names[-1].tokens[-1].index >= k - 1:
            break
        if before.lower in _INSTITUTION_HEADS and before.text[:1].isupper() and j - i == 1:
            k -= 1  # "die Universität Leipzig", "(die) Technische Universität Danzig"
            if k > 1 and tokens[k - 1].text[:1].isupper() and tokens[k - 1].kind == "word" \
                    and tokens[k - 1].lower.endswith(("e", "er", "es")):
                k -= 1
            break
        if before.lower in ORG_KIND_WORDS:
            break  # "der Klub Lund Hamn HK": the word says what it is, the name follows
        if is_org or before.lower in PLACE_WORDS:
            k -= 1
        else:
            break
        if before.lower in PLACE_WORDS:
            break
    return k


def _extend_over_of(tokens: list[Token], i: int, j: int) -> int:
    """ "the opposition Covenant for Change", "the University of Leeds": a name introduced by an article or a
    noun continues over "for"/"of" to the next capitalised word."""
    if i == 0 or j + 1 >= len(tokens) or tokens[j].lower not in {"for", "of", "für"}:
        return j
    before = tokens[i - 1]
    introduced = before.lower in ARTICLES or (before.kind == "word" and before.text[:1].islower() and len(before.text) > 3)
    if introduced and _is_name_token(tokens[j + 1]) and not is_role_word(tokens[i].text):
        k = j + 1
        while k < len(tokens) and _is_name_token(tokens[k]):
            k += 1
        return k
    return j


def _after_particles(tokens: list[Token], i: int) -> Token:
    k = i
    while k + 1 < len(tokens) and tokens[k].lower in NAME_PARTICLES:
        k += 1
    return tokens[k]


def _surname_after_particles(tokens: list[Token], i: int, j: int) -> bool:
    """ "Jan van der Berg": after "van", "von", "de" ... a capitalised word ends the name even if it is also a noun."""
    while j - 1 >= max(i, 0) and tokens[j - 1].lower in NAME_PARTICLES:
        j -= 1  # the chain began earlier: "van der"
    k = j
    particles = []
    while k < len(tokens) and tokens[k].lower in NAME_PARTICLES:
        particles.append(tokens[k].lower)
        k += 1
    strong = any(p not in {"der", "den", "das", "la", "le", "y", "al"} for p in particles)
    if particles[:1] == ["von"] and k < len(tokens) and tokens[k].kind == "noun":
        return False  # "Ulf Berger von der Bürgerliste": a German noun after "von" is where he comes from
    return strong and k < len(tokens) and tokens[k].text[:1].isupper() and tokens[k].kind in ("noun", "unknown", "proper")


def _surname_after_given_name(tokens: list[Token], j: int, i: int) -> bool:
    """A surname that is also a common noun ("Hinterberger", "Schneider") after a lone given name in an apposition."""
    if j != i + 1 or j >= len(tokens) or tokens[i].kind != "proper":
        return False
    token = tokens[j]
    follower = tokens[j + 1] if j + 1 < len(tokens) else None
    return (
        token.kind == "noun"
        and not is_role_word(token.text)
        and token.lower not in CALENDAR_WORDS
        and i > 0
        and (tokens[i - 1].text == "," or is_role_word(tokens[i - 1].text) or tokens[i - 1].lower in TITLES
             or tokens[i - 1].lower in {"und", "and", "sowie"})  # "..., sowie Matthias Oberholzer, Technikvorstand"
        and (follower is None or follower.kind in ("punct", "word"))
    )


def _given_name_after_role(tokens: list[Token], i: int) -> bool:
    """A given name that is also a common noun ("Mark") right after a role or title and before a name."""
    token = tokens[i]
    return (
        token.kind == "noun"
        and token.lower not in TITLES
        and len(token.text) <= 8
        and i > 0
        and (is_role_word(tokens[i - 1].text) or tokens[i - 1].lower in TITLES)
        and i + 1 < len(tokens)
        and tokens[i + 1].kind in ("proper", "unknown")
    )


def _classify(index: int, tokens: list[Token], run: list[Token]) -> Name:
    first, last = run[0].index, run[-1].index
    before = tokens[first - 1] if first > 0 else None
    before2 = tokens[first - 2] if first > 1 else None
    after = tokens[last + 1] if last + 1 < len(tokens) else None
    after2 = tokens[last + 2] if last + 2 < len(tokens) else None
    words = [t.lower.rstrip(".") for t in run]
    name = Name(index, run, "name")
    if before is not None and before.lower in TITLES:
        name.title = before.text
        name.cues.add("title")
    if before is not None and is_role_word(before.text):
        name.cues.add("role-before")
    if before is not None and before.text == "," and before2 is not None and is_role_word(before2.text):
        name.cues.add("role-before")
    if after is not None and after.text == "," and after2 is not None:
        if is_role_word(after2.text) or (
            after2.lower in {"the", "der", "die", "den", "a", "an", "ein", "eine"}
            and any(is_role_word(t.text) for t in tokens[last + 3 : last + 7])
        ):
            name.cues.add("role-after")
    if any(_GIVEN_NAME_SHAPE.match(t.text) or _DOUBLE_GIVEN_NAME.match(t.text) for t in run) or (
            len(run) >= 2 and run[0].text in GIVEN_NAMES and run[-1].lower not in ORG_SUFFIXES
            and run[-1].kind != "noun"):
        name.cues.add("name-shape")  # "Jae-yong", "Hans-Georg", or a common given name: "Paul Grant"
    if len(run) == 1 and run[0].text in GIVEN_NAMES and before is not None and before.lower in KINSHIP_WORDS:
        name.cues.add("role-before")  # "Albrechts Ehemann Bastian"
    near = {t.lower for t in tokens[max(0, first - 2) : last + 3]}
    if near & SPEECH_VERBS:
        name.cues.add("speech")

    strong = name.cues & {"title", "role-before", "role-after"}
    if any(w in ORG_SUFFIXES for w in words[1:]) or (len(words) == 1 and words[0] in ORG_SUFFIXES) \
            or (len(words) >= 2 and words[0] in _INSTITUTION_HEADS):
        name.kind = "organization"
    elif before is not None and _org_kind_or_genitive(before.lower) and not strong:
        name.kind = "organization"
    elif after is not None and is_role_word(after.text) and not strong:
        name.kind = "name"  # a modifier of the role that follows: "Portuguese Prime Minister", "Lisbon mayor"
    elif words[-1] in PLACE_WORDS or words[-1].split("-")[-1] in PLACE_WORDS:
        name.kind = "place"  # "Ashgrove Stadium", "die Auental-Arena"
    elif len(run) == 1 and run[0].text in PLACE_ACRONYMS:
        name.kind = "place"
    elif any(t.acronym for t in run) and not name.cues & {"title", "role-before", "role-after"}:
        name.kind = "organization"
    elif name.cues & {"title", "role-before", "role-after"} or (len(run) >= 2 and "name-shape" in name.cues):
        name.kind = "person"
    elif before is not None and before.lower in {"in", "an", "am"} and before2 is not None \
            and before2.lower in _HOLDING_WORDS:
        name.kind = "organization"  # "a 19.9 percent stake in Lumiq Photonics", "eine Beteiligung an X"
    elif before is not None and before.lower in PLACE_PREPOSITIONS and not _followed_by_noun(after):
        name.kind = "place"
    elif (before is not None and before.kind == "word" and before.lower.endswith(("en", "ischen", "an", "ese"))
          and before2 is not None and before2.lower in PLACE_PREPOSITIONS and not _followed_by_noun(after)):
        name.kind = "place"  # "im tschechischen Brünn"
    elif before is not None and before.lower == "of" and before2 is not None and before2.lower in PLACE_OF_NOUNS:
        name.kind = "place"  # "the streets of Hull", "the port of Sines"
    elif after is not None and after.text == "," and after2 is not None and after2.kind == "proper" and (
        before is not None and before.lower in PLACE_PREPOSITIONS
    ):
        name.kind = "place"
    elif _looks_like_personal_name(run, before):
        name.kind = "person"
    return name


@lru_cache(maxsize=100_000)
def _is_org_kind_word(word: str) -> bool:
    return word in ORG_KIND_WORDS or any(word.endswith(k) and len(k) >= 5 for k in ORG_KIND_WORDS)


def _looks_like_personal_name(run: list[Token], before: Token | None) -> bool:
    """Two or three capitalised words with no other cue: a person unless the words are common ones."""
    if not 2 <= len(run) <= 4 or run[0].lower in COMPASS:
        return False
    if before is not None and before.lower in ARTICLES:
        return False  # names of people take no article in news text; organisations and things do
    if not all(t.text[1:2].islower() for t in run if t.lower not in NAME_PARTICLES):
        return False
    if run[0].kind == "unknown" and not _GIVEN_NAME_SHAPE.match(run[0].text):
        return False  # an unknown German compound noun ("Kunststoffhersteller") does not start a name
    return _english_frequency(run[-1].lower) < COMMON_WORD_ZIPF


def _english_frequency(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _followed_by_noun(token: Token | None) -> bool:
    """ "in Amazons Hauptquartier", "at Brightwell's headquarters": an owner, not a place."""
    return token is not None and ((token.kind == "noun" and token.text[:1].isupper()) or token.text in {"'s", "’s"})


def _resolve(names: list[Name]) -> None:
    """Give every name its entity: the full name it is a short form of, or itself."""
    persons: list[Name] = [n for n in names if n.kind == "person" and len(n.tokens) >= 2]
    counts: dict[str, int] = {}
    for n in persons:
        counts[n.text] = counts.get(n.text, 0) + 1
    aliases: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    long_forms = _LongForms(names)
    for n in persons:
        order.setdefault(n.text, len(order))
        for form in _short_forms(n):
            if n.text not in aliases.setdefault(form, []):
                aliases[form].append(n.text)
    for n in names:
        if n.kind == "person" and len(n.tokens) >= 2:
            longer = [c for c in aliases.get(n.text, []) if c != n.text and len(c) > len(n.text)]
            n.entity = max(longer, key=lambda c: (counts[c], -order[c])) if longer else n.text
            continue
        key = n.text
        candidates = aliases.get(key) or (aliases.get(key[:-1]) if key.endswith("s") else None)
        if not candidates and key.endswith("’s"):
            candidates = aliases.get(key[:-2])
        if candidates and n.kind in ("name", "person", "place"):
            n.kind = "person"
            n.entity = max(candidates, key=lambda c: (counts[c], -order[c]))
        else:
            n.entity = long_forms.full_name(long_forms.strip_genitive(n.text))


def _short_forms(name: Name) -> list[str]:
    """Forms a text uses for a person after the first mention: family name, given name, particle surname."""
    words = [t.text for t in name.tokens]
    forms = {words[-1], words[0]}
    for k, word in enumerate(words):
        if word.lower() in NAME_PARTICLES:
            surname = " ".join(words[k:])
            forms.update({surname, surname[:1].upper() + surname[1:]})
            break
    if len(words) >= 3 and words[0].lower() not in NAME_PARTICLES:
        forms.add(" ".join(words[1:]))
        forms.add(" ".join(words[-2:]))
    return [f for f in forms if f.lower() not in NAME_PARTICLES]


class _LongForms:
    """The long forms a document gives its one-word names, looked up by first or last word (not by a pass over
    all names for every name). Kinds are read when asked: resolving a name can make it a person."""

    def __init__(self, names: list[Name]) -> None:
        self.counts = Counter(n.text for n in names)
        self.by_word: dict[str, list[Name]] = {}
        for n in names:
            words = n.text.split()
            if " " in n.text and all(w[:1].isupper() for w in words):
                for word in dict.fromkeys((words[0], words[-1])):
                    self.by_word.setdefault(word, []).append(n)

    def full_name(self, text: str) -> str:
        """ "Rovers" is "Harbourside Rovers", "Castellan" is "Castellan Holding SE", when the long form occurs."""
        if " " in text:
            return text
        longer = [n.text for n in self.by_word.get(text, ()) if n.kind != "person" and n.text != text]
        return max(longer, key=lambda t: (self.counts[t], -len(t))) if longer else text

    def strip_genitive(self, text: str) -> str:
        """"Amazons" and "Samsung's" are Amazon and Samsung when the bare form also occurs."""
        for suffix in ("’s", "'s", "s"):
            if text.endswith(suffix) and text[: -len(suffix)] in self.counts:
                return text[: -len(suffix)]
        return text
