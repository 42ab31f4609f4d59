"""Readers for questions about roles: "Who is X?" (X's role phrases) and "Who is the CEO of Y?" (the holder).

Role facts come from `rag.facts.roles`; a role asked in one language is found in the other through the news
vocabulary, and a German compound role ("Stahlmann-Chef", "Luchse-Sportdirektor") by its parts.
"""

from __future__ import annotations

import re

from .facts.lexicon import ROLE_MODIFIERS, is_role_word
from .knowledge import Knowledge, SentenceInfo, stems
from .lexical import TRANSLATIONS
from .question import Question
from .records import Fact
from .support import Reading, same_noun


def read_role(q: Question, knowledge: Knowledge) -> Reading | None:
    """ "Who is X?": the role phrases the documents give X, each cited."""
    person = knowledge.person(q.role_target)
    if person is None:
        return None
    facts = knowledge.roles.get(person, [])
    phrases: list[str] = []
    infos: list[SentenceInfo] = []
    for fact in sorted(facts, key=lambda f: -len(f.text)):
        if any(normal_text(fact.text) in normal_text(p) for p in phrases):
            continue
        phrases.append(fact.text)
        info = knowledge.sentence(fact.doc_id, fact.sentence)
        if info is not None:
            infos.append(info)
        if len(phrases) == 3:
            break
    if not phrases:
        return None
    return Reading("; ".join(phrases), infos, 1.0, "role")


def normal_text(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


ROLE_VERBS = {
    "trainiert": ("trainer", "coach", "manager"), "trainierte": ("trainer", "coach", "manager"),
    "coaches": ("coach", "trainer", "manager"),
    "coached": ("coach", "trainer", "manager"), "manages": ("manager", "coach"), "managed": ("manager", "coach"),
    "leitet": ("leiter", "chef", "head", "director"), "leads": ("head", "chief", "leader", "leiter", "chef"),
    "führt": ("chef", "leiter", "head", "ceo"), "runs": ("chief", "head", "ceo", "chef"),
    "heads": ("head", "chief", "leiter", "chef"), "captains": ("captain", "kapitän"),
    "charge": ("manager", "coach", "head", "chief", "chef", "trainer", "ceo"),  # "Who is in charge of X?"
}


def role_is_object(q: Question) -> bool:
    """The role is named after the question's main verb (not a copula): it is the object, not the answer."""
    if not q.verb or not q.role_words or q.verb in _COPULAS or q.verb in ROLE_VERBS:
        return False
    lower = q.text.lower()
    verb_at = lower.find(q.verb)
    return verb_at >= 0 and all(lower.find(w.lower(), verb_at) > verb_at for w in q.role_words)


def role_phrase(q: Question) -> str:
    """ "the New Zealand prime minister" -> "prime minister": the role word with the lower-case words before it."""
    words = re.findall(r"[\w'’-]+", q.text)
    for k, word in enumerate(words):
        if is_role_word(word):
            start, end = k, k
            while end + 1 < len(words) and is_role_word(words[end + 1]):
                end += 1  # "chief executive"
            while start > 0 and words[start - 1][:1].islower() and words[start - 1].lower() not in _FIELD_STOP:
                start -= 1
            return " ".join(w.lower() for w in words[start:end + 1])
    return ""


_COPULAS = frozenset({"be", "become", "sein", "werden", "wird", "is", "was", "ist", "war"})


def read_role_holder(q: Question, role_words: list[str], knowledge: Knowledge,
                     exclude: frozenset[str] = frozenset()) -> Reading | None:
    """ "Who is the CEO of X?", "Wer trainiert X?": the person whose role phrase has that role and names X
    (other than the people in `exclude`)."""
    organisations = [w.lower() for n in q.names for w in n.split()
                     if not is_role_word(w) and w[:1].isupper() and w.lower() not in {"der", "von", "of"}]
    fields = _role_fields(q)
    translated = [w for w in _with_translations(role_words) if w not in {r.lower() for r in role_words}]
    phrase_asked = role_phrase(q)
    if " " in phrase_asked:  # "managing director": "Geschäftsführer"
        translated += [t.replace("-", " ") for t in TRANSLATIONS.get(phrase_asked.replace(" ", "-"), ())]
    field_translations = [t for f in fields for r in role_words for t in TRANSLATIONS.get(f"{f}-{r.lower()}", ())]
    asks_current = bool(_CURRENT.search(q.text))
    asks_former = bool(_FORMER.search(q.text)) or bool(re.search(r"\b(?:was|war|wurde|had|hatte)\b", q.text, re.I))
    asked_owner = re.search(r"['’]s\s+(?:[\w-]+\s+)?[\w-]+\?*$", q.text) is not None  # "the government's minister"
    best: tuple[float, Fact] | None = None
    for person, facts in knowledge.roles.items():
        if person in exclude:
            continue
        for fact in facts:
            phrase = fact.text.lower()
            if not any(same_role(word.lower(), phrase) for word in role_words) \
                    and not any(same_role(word, phrase, loose=True) for word in translated + field_translations):
                continue
            if fields and not all(any(same_noun(token, f) for token in re.findall(r"[\w-]+", phrase)) for f in fields) \
                    and not any(same_role(t.replace("-", " "), phrase) for t in field_translations):
                continue  # "the education minister" is not the finance minister; "sporting director" ~ "Sportdirektor"
            owner = re.match(r"([A-ZÄÖÜ][\w-]*)['’]s\b", fact.text)
            if asked_owner and owner and owner.group(1).lower() not in q.text.lower():
                continue  # "the new government's foreign minister" is not "Tanzania's foreign minister"
            if asks_current and _FORMER.search(phrase):
                continue  # "the new government's foreign minister" is not the former foreign minister
            past = bool(_FORMER.search(phrase)) and not asks_former
            org = (fact.attrs.get("organisation") or "").lower()
            sentence = knowledge.sentence(fact.doc_id, fact.sentence)
            context = (sentence.sentence.text.lower() if sentence else "") + " " + org
            score = 1.0 + (0.5 if org else 0.0)
            said = [o in context or (o.endswith("s") and o[:-1] in context) for o in organisations]
            if organisations and not all(said):
                if said[0] or any(s and not _document_places(knowledge, fact.doc_id, [o])
                                  for s, o in zip(said, organisations)):
                    score = 0.9  # "Stahlmann Fasertechnik" asked, "Stahlmann-Chef", "Kestrel's", "the Monarchs" written
                elif not org and _bare_role(phrase) and _said_before(knowledge, fact, organisations):
                    score = 0.7  # "Redmarsh, which is based in Boston ... Its managing partner, Gregory Stallworth"
                elif org or not (_document_places(knowledge, fact.doc_id, organisations)
                                 or (_bare_role(phrase) and _reported_on(knowledge, fact, organisations))):
                    continue
                else:
                    score = 0.5  # "the premier of Saxony" where the report is about Saxony and calls her premier;
                    # "the chief executive of X" where the report is about X and calls him "Vorstandschef"
            if past:
                score -= PAST_ROLE_PENALTY  # "Who is the captain?": not the former captain, unless no one else is
            if best is None or score > best[0]:
                best = (score, fact)
    if best is None:
        return None
    fact = best[1]
    info = knowledge.sentence(fact.doc_id, fact.sentence)
    return Reading(fact.entity, [info] if info else [], 1.0, "role-holder")


PAST_ROLE_PENALTY = 0.8
_CURRENT = re.compile(r"\b(?:new|current|incoming|designated|neue[nrs]?|jetzige[nrs]?|amtierende[nrs]?|künftige[nrs]?|"
                      r"designierte[nrs]?)\b", re.I)
_FORMER = re.compile(r"\b(?:former|ex|ehemalige[nrs]?|frühere[nrs]?|bisherige[nrs]?|outgoing|scheidende[nrs]?|"
                     r"late|einstige[nrs]?)\b", re.I)


def _document_places(knowledge: Knowledge, doc_id: str, words: list[str]) -> bool:
    """Whether every word (or its translation) is part of a place the document names: the setting of the report."""
    places = {part for fact in knowledge.index.facts.get(doc_id, []) if fact.kind == "place"
              for word in re.split(r"[\s-]+", fact.text) for part in stems(word.lower())}

    def named(word: str) -> bool:
        return all(stems(part) & places for part in word.split("-") if part)

    return all(named(w) or any(named(t) for t in TRANSLATIONS.get(w, ())) for w in words)


def _reported_on(knowledge: Knowledge, role: Fact, words: list[str]) -> bool:
    """Whether the document's headline and first sentence name it and no other organisation: the one company or
    club the report is about (not a merger of two, nor a final between two clubs); and the role's own sentence
    names no other ("Sein Vorgänger ... beim FC Rhönblick entlassen")."""
    lead = knowledge.lead(role.doc_id)
    own = knowledge.sentence(role.doc_id, role.sentence)
    text = " ".join(info.sentence.text.lower() for info in lead)
    others = [f for info in lead + ([own] if own else []) for f in info.facts
              if _names_organisation(f) and not any(w in f.text.lower() for w in words)]
    return not others and all(re.search(rf"\b{re.escape(w)}", text) for w in words)


def _names_organisation(fact: Fact) -> bool:
    """An organisation, or a name of two words or more ("Harbourside Rovers"; not "Norwich", "American")."""
    return fact.kind == "organization" or (fact.kind == "name" and " " in fact.text)


def _said_before(knowledge: Knowledge, role: Fact, words: list[str]) -> bool:
    """The sentence before the role's is about the organisation (names it first), and the role's own sentence names
    no organisation: "its chief executive", "the group" go on about it."""
    before = knowledge.sentence(role.doc_id, role.sentence - 1)
    own = knowledge.sentence(role.doc_id, role.sentence)
    if before is None or own is None or not words:
        return False
    if any(_names_organisation(f) for f in own.facts):
        return False
    first = next((f for f in before.facts if f.kind in ("organization", "name")), None)
    if first is None:  # a name the facts missed ("der niederländische Konkurrent Hoekstra-Dijkman")
        return bool(re.search(rf"\b{re.escape(words[0])}\b", before.sentence.text.lower()))
    return words[0] in (first.entity or first.text).lower()


def _bare_role(phrase: str) -> bool:
    """ "Vorstandschef", "the team's captain": a role with no body of its own ("chair of the Traders' Association",
    "who chairs the business committee"), nor relative to someone else ("sein Vorgänger")."""
    words = re.findall(r"[\w'’-]+", phrase)
    return len(words) <= 3 and not set(words) & {"of", "von", "des", "der", "at", "bei", "who", "die"} \
        and not any(w.startswith(("vorgänger", "nachfolger", "predecessor", "successor")) for w in words)


def _role_fields(q: Question) -> list[str]:
    """The words that narrow a role in the question: "education" in "the state's education minister"."""
    words = re.findall(r"[\w'’-]+", q.text)
    fields = []
    for k, word in enumerate(words):
        if is_role_word(word) and k > 0:
            before = words[k - 1].lower()
            if before[:1].isalpha() and before not in _FIELD_STOP and not before.endswith(("'s", "’s")) \
                    and not words[k - 1][:1].isupper() and not is_role_word(before) and before not in ROLE_MODIFIERS:
                fields.append(before)
    return fields


_FIELD_STOP = frozenset(
    "the a an new former current der die den dem des neue neuen ehemalige ehemaligen as als zum zur of for to "
    "is was are were ist war sind waren wird wurde".split())


def _with_translations(role_words: list[str]) -> list[str]:
    """ "chief executive" also as "Vorstandschef", "Konzernchef", "CEO" ..."""
    lower = [w.lower() for w in role_words]
    joined = ["-".join(lower[k:k + 2]) for k in range(len(lower) - 1)]
    return list(dict.fromkeys([*lower, *(t.replace("-", " ") for w in lower + joined for t in TRANSLATIONS.get(w, ()))]))


def same_role(word: str, phrase: str, loose: bool = False) -> bool:
    if " " in word:  # "chief financial officer" for "CFO"
        return f" {word} " in " " + " ".join(re.findall(r"[\w-]+", phrase)) + " "
    return _same_role_word(word, phrase, loose)


def _same_role_word(word: str, phrase: str, loose: bool = False) -> bool:
    """A role word of the question in a role phrase: "CEO" in "Amazon-CEO", "Finanzchef" ~ "Finanzvorständin"."""
    for token in re.findall(r"[\w-]+", phrase):
        for part in {token, *token.split("-")}:
            if part == word or stems(part) & stems(word):
                return True
            if len(word) >= 6 and len(part) >= 6 and part[:6] == word[:6]:
                return True
            if loose and len(word) >= 5 and len(part) > len(word) + 2 and part.endswith(word):
                return True  # "Direktor" asked, "Sportdirektor" written
            if loose and len(part) >= 4 and len(word) > len(part) + 3 and word.endswith(part) and is_role_word(part):
                return True  # "Konzernchef" asked, "Stahlmann-Chef" written
    return False
