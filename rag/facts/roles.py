"""Who holds which role: person <-> role phrase <-> organisation.

The forms news text uses: a role before the name ("Finanzvorständin Dr. Erika Beispiel", "Amazon-CEO Andy Jassy",
"Trade Minister Ana Duarte"), an apposition after it ("Cristiano Amon, CEO of Qualcomm,"), and a role with its
organisation before a comma ("den Präsidenten und CEO von Qualcomm, Cristiano Amon,").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lexical import TRANSLATIONS
from .lexicon import ARTICLES, ROLE_MODIFIERS, TITLES, is_role_word
from .names import CALENDAR_WORDS, Name
from .tokens import Token

_STOP_IN_ROLE = frozenset(
    """the a an and or but with by at on in of to for from as is was are were be been has have had will would
    said says told who which that this these those his her its their new""".split()
)
_OF = frozenset("of von der des at for für to from im in vom beim bei".split())
_AND = frozenset("and und &".split())
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})  # "the Rams' director of rugby"


@dataclass(frozen=True)
class RoleMention:
    name: Name
    start: int  # span of the role phrase in the document
    end: int
    organisation: str


def find_roles(sentences: list[list[Token]], names: list[Name], language: str) -> list[RoleMention]:
    roles: list[RoleMention] = []
    people = {(n.sentence, t.index) for n in names if n.kind == "person" for t in n.tokens}
    for name in names:
        if name.kind != "person":
            continue
        tokens = sentences[name.sentence]
        others = {i for s, i in people if s == name.sentence} - {t.index for t in name.tokens}
        for phrase in (_role_before(tokens, name, others, language), _role_after(tokens, name, others, language),
                       _role_predicate(tokens, name, others), _party_in_brackets(tokens, name),
                       _role_clause(tokens, name, others)):
            if phrase:
                organisation = _organisation(phrase, names, name)
                if not organisation and phrase[0].index > 0 and tokens[phrase[0].index - 1].text == "(":
                    organisation = " ".join(t.text for t in phrase)  # "(Freie Bürgerpartei)"
                roles.append(RoleMention(name, phrase[0].start, phrase[-1].end, organisation))
    return roles


def _role_before(tokens: list[Token], name: Name, others: set[int], language: str) -> list[Token]:
    """The role phrase that ends right before the name (or before its title, or before a comma)."""
    i = name.tokens[0].index - 1
    if i >= 0 and tokens[i].lower in TITLES:
        i -= 1
    via_comma = i >= 0 and tokens[i].text == ","
    comma = i
    if via_comma:
        i -= 1
    phrase: list[Token] = []
    has_role = False
    while i >= 0:
        token = tokens[i]
        if i in others or token.lower in CALENDAR_WORDS:
            break
        if is_role_word(token.text):
            has_role = True
        elif token.lower in ARTICLES:
            genitive_of_role = token.lower in {"des", "der"} and i > 0 and is_role_word(tokens[i - 1].text)
            if has_role and not genitive_of_role:
                break
        elif token.lower in _OF:
            if has_role:
                break
        elif token.lower in _AND:
            left = tokens[i - 1] if i > 0 else None
            if left is None or not (is_role_word(left.text) or (not has_role and left.text[:1].isupper())):
                break
        elif token.text in _POSSESSIVE:
            pass
        elif token.lower in _FINITE:
            break  # "Ebenfalls anwesend waren Finanzvorständin X"
        elif (language == "de" and token.kind == "noun" and has_role and not is_role_word(token.text)
              and not (token.lower.endswith("er") and phrase and phrase[0] is tokens[i + 1])):  # "Zwickauer"
            break  # "den Startknopf drückten Stahlmann-Chef X": a common noun ends the phrase
        elif _is_adjective(token, language) and i > 0 and tokens[i - 1].kind in ("noun", "proper", "unknown") \
                and tokens[i - 1].lower not in ARTICLES and not tokens[i - 1].text.endswith("s"):
            break  # "... Startknopf drückten Stahlmann-Chef": a verb after a noun, not an attribute
        elif _is_adjective(token, language) and not (i > 0 and (tokens[i - 1].lower in ARTICLES
                                                                 or _is_adjective(tokens[i - 1], language)
                                                                 or tokens[i - 1].lower in ROLE_MODIFIERS)):
            break  # an attribute follows an article ("der polnische Vizeminister"); "antwortete", "aber" do not
        elif token.lower in ROLE_MODIFIERS or token.kind in ("proper", "unknown", "noun") or _is_adjective(token, language):
            pass
        elif i == 0 and token.text[:1].isupper() and phrase and is_role_word(phrase[0].text) \
                and not token.lower.endswith(("ing", "ed")):
            pass  # "Health minister John Smith ..." at the start of a sentence
        elif (language == "en" and token.kind == "word" and phrase and is_role_word(phrase[0].text)
              and token.lower not in _STOP_IN_ROLE and not token.lower.endswith(("ed", "ing", "ly"))):
            pass  # "foreign minister", "justice minister": a noun or adjective naming the field
        else:
            break
        phrase.insert(0, token)
        i -= 1
    if not has_role:
        return _role_of_before_comma(tokens, comma, others) if via_comma else []
    phrase = _trim(phrase)
    if via_comma and phrase:
        # "X, chief negotiator of Y, Dr. Z": without an article the phrase is X's apposition, not Z's role
        k = phrase[0].index - 1
        if k >= 1 and tokens[k].text == "," and (k - 1) in others:
            return []
    return phrase


def _role_of_before_comma(tokens: list[Token], comma: int, others: set[int]) -> list[Token]:
    """ "the chief executive of the city's chamber of commerce, Oluwaseun Adeyemi", "Redmarsh's head of European
    deals, Kim Tae-yeon": a role word, what it is the role of (in any case), the comma at `comma`, the name."""
    for k in range(comma - 1, max(-1, comma - 10), -1):
        token = tokens[k]
        if k in others or token.lower in _FINITE or token.lower in _AND or (
                token.kind == "punct" and token.text not in _POSSESSIVE):
            return []
        if is_role_word(token.text) and k + 1 < comma and tokens[k + 1].lower in _OF:
            start = k
            while start > 0 and (tokens[start - 1].lower in ROLE_MODIFIERS or is_role_word(tokens[start - 1].text)):
                start -= 1  # "regional director", "chief executive"
            if start > 0 and tokens[start - 1].lower not in ARTICLES and tokens[start - 1].text not in _POSSESSIVE:
                return []  # "... said the head of X, Y": only a role introduced as one
            return _trim(tokens[start:comma])
    return []


def _role_after(tokens: list[Token], name: Name, others: set[int], language: str) -> list[Token]:
    """An apposition: ", [the] role [of organisation]," right after the name."""
    i = name.tokens[-1].index + 1
    if i >= len(tokens) or tokens[i].text != ",":
        return []
    phrase: list[Token] = []
    end = i + 1
    for token in tokens[i + 1 : i + 12]:
        if token.text in {",", ".", ";", ":", "(", ")", "–", "—"} or token.kind == "punct" and token.text not in _POSSESSIVE:
            break
        phrase.append(token)
        end = token.index + 1
    if any(t.index in others for t in phrase) or (phrase and phrase[0].lower in _AND):
        return []  # a list of people, not an apposition: "X, und den Präsidenten der Kammer, Y"
    starts_with_article = bool(phrase) and phrase[0].lower in ARTICLES
    if starts_with_article and end + 1 < len(tokens) and tokens[end].text == "," and (end + 1 in others or (
        end + 2 < len(tokens) and tokens[end + 1].lower in TITLES and end + 2 in others
    )):
        return []  # ", the head of X, Jane Roe": the phrase introduces the next name
    head = [t for t in phrase[:5] if t.lower not in ARTICLES]
    if not any(is_role_word(t.text) for t in head[:4]):
        return []
    if any(_verb_like(t, tokens) for t in phrase):
        return []  # a verb: this is a clause, not an apposition
    return _trim(phrase)


_RELATIVE = frozenset("der die who".split())
_LEADS = frozenset(
    """leitet leitete führt führte verantwortet verantwortete heads headed leads led runs ran chairs chaired manages
    managed oversees oversaw""".split())


def _role_clause(tokens: list[Token], name: Name, others: set[int]) -> list[Token]:
    """ "Felix Arnold, der die Windkraftsparte des Konzerns leitet", "X, who heads the wind division": what someone
    leads, said in a relative clause right after the name."""
    i = name.tokens[-1].index + 1
    if i + 2 >= len(tokens) or tokens[i].text != "," or tokens[i + 1].lower not in _RELATIVE:
        return []
    phrase: list[Token] = []
    for token in tokens[i + 2: i + 12]:
        if token.text in {",", ".", ";", ":", "(", ")", "–", "—"} or token.index in others:
            break
        phrase.append(token)
    if len(phrase) < 2 or not (phrase[0].lower in _LEADS or phrase[-1].lower in _LEADS):
        return []
    return phrase


_FINITE = frozenset(
    """is are was were has have had will would said says told called added wants plans ist sind war waren hat
    haben wird wurde sagte sagt erklärte""".split()
)


def _verb_like(token: Token, tokens: list[Token]) -> bool:
    """A word that makes the phrase a clause: a finite verb, or a past form not qualifying a role ("founded")."""
    if token.kind != "word":
        return False
    if token.lower in _FINITE:
        return True
    following = tokens[token.index + 1] if token.index + 1 < len(tokens) else None
    return token.lower.endswith("ed") and not (following is not None and is_role_word(following.text))


_BECOMES = frozenset(
    "become becomes became named appointed elected remains remain wird wurde bleibt werden ernannt gewählt".split()
)


def _role_predicate(tokens: list[Token], name: Name, others: set[int]) -> list[Token]:
    """ "Mweemba will become finance minister", "Roloff wird neuer Werksleiter": a role the text gives by a verb."""
    i = name.tokens[-1].index + 1
    window = tokens[i : i + 4]
    for k, token in enumerate(window):
        if token.lower in _BECOMES:
            phrase = []
            for t in tokens[token.index + 1 : token.index + 7]:
                if t.kind == "punct" or t.index in others:
                    break
                phrase.append(t)
                if is_role_word(t.text):
                    break
            phrase = _trim(phrase)
            if phrase and is_role_word(phrase[-1].text) and not any(_verb_like(t, tokens) for t in phrase):
                return phrase + _second_role(tokens, phrase[-1].index + 1, others)
            return []
    return []


def _second_role(tokens: list[Token], i: int, others: set[int]) -> list[Token]:
    """ "wird Finanzministerin und zugleich stellvertretende Ministerpräsidentin": a second role joined by "und"."""
    if i >= len(tokens) or tokens[i].lower not in _AND:
        return []
    phrase = [tokens[i]]
    for t in tokens[i + 1 : i + 6]:
        phrase.append(t)
        if is_role_word(t.text):
            return phrase if not any(_verb_like(x, tokens) for x in phrase) else []
        if t.kind != "word" or t.index in others:
            return []  # only attributes lead up to the second role: "zugleich stellvertretende"
    return []


def _party_in_brackets(tokens: list[Token], name: Name) -> list[Token]:
    """ "Lorenz Hagedorn (Freie Bürgerpartei)", "Jane Roe (Labour)": the party or group a politician belongs to."""
    i = name.tokens[-1].index + 1
    if i >= len(tokens) or tokens[i].text != "(":
        return []
    inner: list[Token] = []
    for token in tokens[i + 1 : i + 6]:
        if token.text == ")":
            break
        inner.append(token)
    else:
        return []
    if not inner or not inner[0].text[:1].isupper() or any(t.kind in ("number", "punct") for t in inner) \
            or any(t.lower in CALENDAR_WORDS for t in inner):
        return []
    return inner


def _is_adjective(token: Token, language: str) -> bool:
    """German lower-case attributes inside a role phrase ("polnischen", "stellvertretende"); English ones are
    capitalised ("South Korean") or listed as role modifiers."""
    return (
        language == "de"
        and token.kind == "word"
        and token.lower.endswith(("en", "er", "es", "e"))
        and token.lower not in ARTICLES
        and len(token.text) > 3
    )


def _trim(phrase: list[Token]) -> list[Token]:
    while phrase and (phrase[0].lower in ARTICLES | _OF | _AND | _POSSESSIVE or phrase[0].kind == "punct"):
        phrase = phrase[1:]
    while phrase and (phrase[-1].lower in ARTICLES | _OF | _AND or phrase[-1].kind == "punct"):
        phrase = phrase[:-1]
    return phrase


def _organisation(phrase: list[Token], names: list[Name], person: Name) -> str:
    """The organisation a role belongs to: a name inside the phrase or the first part of a compound role."""
    start, end = phrase[0].start, phrase[-1].end
    inside = [n for n in names if n.sentence == person.sentence and start <= n.start and n.end <= end and n is not person
              and not all(t.lower in TRANSLATIONS for t in n.tokens)]  # "Foreign Affairs Minister": a field
    if inside:
        words = (inside[-1].entity or inside[-1].text).split()
        while len(words) > 1 and words[-1].lower() in ROLE_MODIFIERS:
            words.pop()  # "New Zealand Prime [Minister]"
        return " ".join(words)
    for token in phrase:
        if "-" in token.text and is_role_word(token.text):
            prefix = token.text.rsplit("-", 1)[0]
            if prefix[:1].isupper():
                return prefix
    return ""
