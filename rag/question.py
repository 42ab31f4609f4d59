"""What a question asks for: its type, the names it mentions, its content words and the event it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .facts.lexicon import PARTICIPATION_WORDS, event_concept, is_role_word
from .language import detect_language
from .lexical import words as split_words

# Question words and phrases, checked in order: the first that matches decides the type.
_TYPES = [
    ("duration", r"\b(?:how\s+long|wie\s+lange|for\s+how\s+long|wie\s+viele\s+(?:tage|wochen|monate|jahre|stunden))\b"),
    ("age", r"\b(?:how\s+old|wie\s+alt)\b"),
    ("amount", r"\b(?:how\s+(?:much|many)|wie\s+(?:viel|viele|hoch|groß)|um\s+wie\s+viel|what\s+(?:share|percentage|amount|price|sum|fee)|welchen?\s+(?:anteil|betrag|preis|umsatz)|by\s+how\s+much)\b"),
    ("date", r"\b(?:when|wann|what\s+(?:date|day|time|year|month)|which\s+(?:date|day|year|month)|on\s+what\s+date|an\s+welchem\s+(?:tag|datum|wochentag)|in\s+welchem\s+(?:jahr|monat)|welche[nm]?\s+(?:tag|datum|monat)|seit\s+wann|bis\s+wann|until\s+when|by\s+when|um\s+wie\s+viel\s+uhr)\b"),
    ("place", r"\b(?:where|wo|wohin|woher|in\s+(?:which|what)\s+(?:city|country|town|place|stadium|venue|region|state)|in\s+welche[rnms]?\s+(?:stadt|land|ort|region|stadion|bundesland|staat)|at\s+which\s+(?:venue|stadium|place)|an\s+welchem\s+ort)\b"),
    ("role", r"^\s*(?:who|wer)\s+(?:is|was|ist|war)\s+(?!the\b|der\b|die\b|das\b|a\b|an\b|ein\b|eine\b)"),
    ("role", r"\b(?:what|which|welche[rns]?)\s+(?:is|was|ist|war|hat|hatte|has|had)?\s*.*\b(?:role|position|job|title|funktion|rolle|amt|posten|beruf)\b"),
    ("person", r"\b(?:who|whom|whose|wer|wen|wem|wessen|mit\s+wem|von\s+wem|für\s+wen|gegen\s+wen|an\s+wen)\b"),
    ("which", r"\b(?:which|welche[rnms]?|what|was|worum|wofür|worüber|womit|wovon|als\s+was)\b"),
]
_TYPE_RE = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _TYPES]
_WH_WORDS = frozenset(
    """who whom whose what which when where why how wer wen wem wessen was welche welcher welches welchen welchem
    wann wo wohin woher warum wie worum wofür worüber womit wovon much many long old viel viele lange alt""".split()
)
_PLURAL_CUES = re.compile(
    r"\b(?:who\s+(?:attended|took\s+part|was\s+present|were|accompanied|joined|presented|spoke|signed)|"
    r"wer\s+(?:nahm|war|waren|begleitete|unterzeichnete|sprach)|which\s+\w+s\b|welche\s+\w+|mit\s+welchen|"
    r"in\s+which\s+areas|in\s+welchen|von\s+wem|by\s+whom|participants|teilnehmer|players|spieler)\b",
    re.IGNORECASE,
)
# English question words mapped to the German words a text uses for the same thing (and the other way round),
# so that an English question finds its answer in a German text. Genre words only.
BRIDGE = {
    "meeting": "treffen", "meet": "treffen", "met": "traf", "attend": "teil", "attended": "teil",
    "attending": "teil", "present": "anwesend", "accompanied": "begleitet", "accompany": "begleitet",
    "signing": "unterzeichnung", "signed": "unterzeichnet", "sign": "unterzeichnet", "talks": "gespräche",
    "negotiations": "verhandlungen", "visit": "besuch", "trip": "reise", "travel": "reiste", "ceremony": "zeremonie",
    "summit": "gipfel", "company": "unternehmen", "companies": "unternehmen", "employees": "mitarbeiter",
    "staff": "mitarbeiter", "workers": "arbeiter", "spectators": "zuschauer", "fans": "zuschauer",
    "revenue": "umsatz", "sales": "umsatz", "profit": "gewinn", "price": "preis", "share": "anteil",
    "shares": "anteile", "stake": "anteile", "office": "büro", "headquarters": "hauptquartier", "home": "hause",
    "discuss": "diskutierten", "discussed": "diskutierten", "talked": "sprachen", "spoke": "sprachen",
    "invite": "lud", "invited": "lud", "host": "empfing", "hosted": "empfing", "plan": "plant", "plans": "plant",
    "cooperation": "zusammenarbeit", "cooperate": "zusammenarbeit", "collaboration": "zusammenarbeit",
    "partnership": "partnerschaft", "agreement": "abkommen", "deal": "vertrag", "contract": "vertrag",
    "ai": "ki", "chips": "chips", "semiconductors": "halbleiter", "market": "markt", "industry": "branche",
    "city": "stadt", "country": "land", "state": "staat", "year": "jahr", "month": "monat", "week": "woche",
    "weeks": "wochen", "days": "tage", "business": "geschäfts", "strategy": "strategie", "future": "zukunft",
    "product": "produkt", "trend": "trend", "areas": "bereichen", "fields": "bereichen", "topics": "themen",
    "win": "gewann", "won": "gewann", "coach": "trainer", "captain": "kapitän", "goal": "tor", "score": "tor",
    "final": "finale", "match": "spiel", "trophy": "pokal", "cup": "pokal", "prize": "preisgeld",
    "stadium": "stadion", "buy": "kauf", "acquisition": "übernahme", "seller": "verkäufer", "selling": "verkauf",
    "sell": "verkauf", "purchase": "kauf", "invest": "investiert", "investment": "investition",
    "plant": "werk", "factory": "werk", "site": "standort", "sites": "standorte", "produce": "produziert",
    "synergies": "synergien", "approval": "genehmigung", "guarantee": "garantie", "jobs": "arbeitsplätze",
    "minister": "minister", "president": "präsident", "chairman": "vorsitzender", "chief": "chef",
    "head": "leiter", "describe": "beschrieb", "described": "beschrieb", "press": "presse", "release": "mitteilung",
}
BRIDGE.update({german: english for english, german in list(BRIDGE.items()) if german not in BRIDGE})
_NAME_TOKEN = re.compile(r"^[A-ZÄÖÜ][\w'’.-]*$|^[A-Z]{2,}$")
_QUESTION_STOP = frozenset({"Who", "Wer", "What", "Was", "When", "Wann", "Where", "Wo", "Which", "Welche", "How", "Wie"})


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    kind: str  # duration, age, amount, date, place, role, person, which, other
    names: list[str] = field(default_factory=list)  # proper names it mentions ("Amazon", "Tim Cook")
    words: list[str] = field(default_factory=list)  # lower-case content words (see BRIDGE for the other language)
    event: str | None = None  # the event kind it is about ("meeting", "signing" ...)
    participation: bool = False  # asks who took part / was present / came along
    plural: bool = False  # expects a list
    role_target: str = ""  # for role questions: the person asked about
    role_words: list[str] = field(default_factory=list)  # role words in the question ("CEO", "Finanzchef")


def analyse(text: str) -> Question:
    """Read a question in English or German."""
    clean = " ".join(text.split())
    kind = next((k for k, pattern in _TYPE_RE if pattern.search(clean)), "other")
    language = detect_language(clean, default="en")
    names = _names(clean)
    tokens = [w for w in split_words(clean)]
    content = [w for w in tokens if w not in _WH_WORDS and len(w) > 1]
    from .lexical import _stopwords

    stop = _stopwords()
    words = [w for w in content if w not in stop]
    words = list(dict.fromkeys(words))
    event = next((event_concept(w) for w in words if event_concept(w)), None)
    participation = any(w in PARTICIPATION_WORDS or w in {"teil", "attend", "attended", "attending"} for w in tokens)
    role_words = [w for w in re.findall(r"[\w-]+", clean) if is_role_word(w)]
    role_target = ""
    if kind == "role":
        role_target = _role_target(clean, names)
        if not role_target:
            kind = "person" if role_words else "which"
    plural = bool(_PLURAL_CUES.search(clean)) or (participation and kind == "person")
    return Question(clean, language, kind, names, words, event, participation, plural, role_target, role_words)


def _names(text: str) -> list[str]:
    """Runs of capitalised words after the first word; German nouns are filtered by the answerer."""
    tokens = re.findall(r"[\w'’.-]+", text)
    names: list[str] = []
    run: list[str] = []
    for i, token in enumerate(tokens):
        token = token.rstrip(".")
        capital = bool(_NAME_TOKEN.match(token)) and i > 0 and token not in _QUESTION_STOP
        particle = token.lower() in {"van", "von", "der", "de", "da", "di", "du", "la", "le", "ten"} and bool(run)
        if capital or (particle and i + 1 < len(tokens) and _NAME_TOKEN.match(tokens[i + 1])):
            run.append(token)
        else:
            if run:
                names.append(" ".join(run))
            run = []
    if run:
        names.append(" ".join(run))
    return [re.sub(r"(?:'s|’s)$", "", n) for n in names]


def _role_target(text: str, names: list[str]) -> str:
    """The person a role question is about: "Who is Cristiano Amon?" -> "Cristiano Amon"."""
    candidates = [n for n in names if not is_role_word(n.split()[-1])]
    if not candidates:
        return ""
    return max(candidates, key=len)
