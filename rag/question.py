"""What a question asks for: its type, the names it mentions, its content words and the event it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .facts.lexicon import GIVEN_NAMES, PARTICIPATION_WORDS, event_concept, is_role_word
from .language import LOWER, UPPER, detect_language
from functools import lru_cache

# Question words and phrases, checked in order: the first that matches decides the type.
_TYPES = [
    ("score", r"\b(?:half-time\s+score|halbzeitstand|pausenstand|stand\s+zur\s+(?:pause|halbzeit)|what\s+was\s+the\s+(?:score|result|final\s+score)|wie\s+endete|mit\s+welchem\s+(?:ergebnis|resultat)|endstand|welches\s+ergebnis|what\s+was\s+the\s+final\s+result)\b"),
    ("duration", r"\b(?:how\s+long|wie\s+lange|for\s+how\s+long|wie\s+vielen?\s+(?:tage|tagen|wochen|monate|monaten|jahre|jahren|stunden|minuten)|how\s+many\s+(?:days|weeks|months|years|hours|minutes))\b"),
    ("age", r"\b(?:how\s+old|wie\s+alt)\b"),
    ("amount", r"\b(?:to\s+what\s+level|what\s+level|auf\s+welchen\s+wert|how\s+(?:much|many|large|big|high)|wie\s+(?:viel|viele|vielen|hoch|groß|umfangreich)|um\s+wie\s+viel|what\s+(?:share|percentage|amount|price|sum|fee)|welchen?\s+(?:anteil|betrag|preis|umsatz)|by\s+how\s+much)\b"),
    ("date", r"\b(?:when|wann|what\s+(?:date|day|time|year|month)|which\s+(?:date|day|year|month)|on\s+what\s+date|an\s+welchem\s+(?:tag|datum|wochentag)|in\s+welchem\s+(?:jahr|monat)|welche[nm]?\s+(?:tag|datum|monat)|seit\s+wann|bis\s+wann|until\s+when|by\s+when|um\s+wie\s+viel\s+uhr)\b"),
    ("place", r"\b(?:where|wo|wohin|woher|in\s+(?:which|what)\s+(?:city|country|town|place|stadium|venue|region|state)|in\s+welche[rnms]?\s+(?:stadt|land|ort|region|stadion|bundesland|staat)|at\s+which\s+(?:venue|stadium|place)|an\s+welchem\s+ort)\b"),
    ("role", r"^\s*(?:who|wer)\s+(?:is|was|ist|war)\s+(?:Dr\.?\s+|Prof\.?\s+)?(?-i:[" + UPPER + "])"),
    ("role", r"\b(?:what|which|welche[rns]?)\s+(?:is|was|ist|war|hat|hatte|has|had)?\s*.*\b(?:role|roles|position|positions|post|posts|office|offices|job|title|funktion|funktionen|rolle|rollen|amt|ämter|posten|beruf|aufgabe|aufgaben)\b"),
    ("role", r"^\s*(?:what|was)\s+(?:does|did|macht|machte)\s+(?:Dr\.?\s+|Prof\.?\s+)?(?-i:[" + UPPER
     + r"])[\w'’.-]*(?:\s+(?-i:[" + UPPER + r"])[\w'’.-]*)*\s+(?:do|beruflich)\s*\??\s*$"),  # "What does X do?"
    ("role", r"\b(?:what|which|welche[rns]?)\s+(?:post|office|posts|ministry|ressort|ministerium)\b"),
    ("person", r"\b(?:who|whom|whose|wer|wen|wem|wessen|mit\s+wem|von\s+wem|für\s+wen|gegen\s+wen|an\s+wen)\b"),
    ("which", r"\b(?:which|welche[rnms]?|what|was|worum|wofür|worüber|womit|wovon|als\s+was)\b"),
]
_TYPE_RE = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _TYPES]
_WH_WORDS = frozenset(
    """who whom whose what which when where why how wer wen wem wessen was welche welcher welches welchen welchem
    wann wo wohin woher warum wie worum wofür worüber womit wovon much many long old viel viele lange alt""".split()
)
_PLURAL_CUES = re.compile(
    r"\b(?:who\s+(?:attended|took\s+part|was\s+present|were|accompanied|joined|presented|spoke|signed)|which\s+two|"
    r"wer\s+(?:nahm|war|waren|begleitete|unterzeichnete|sprach)|which\s+\w+s\b|welche\s+\w+|mit\s+welchen|"
    r"in\s+which\s+areas|in\s+welchen|von\s+wem|by\s+whom|participants|teilnehmer|players|spieler|each\s+other|"
    r"one\s+another|gegeneinander|aufeinander)\b",
    re.IGNORECASE,
)
_PARTICIPATION = re.compile(
    r"\b(?:took|take|taking|takes)\s+part\b|\battend|\bteil\b|teilnahm|teilgenommen|anwesend|\bpresent\b|"
    r"\bwas\s+there\b|\bwere\s+there\b|\bdabei\b",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(rf"^[{UPPER}][\w'’.-]*$|^[A-Z]{{2,}}$")
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
    answer_noun: str = ""  # the noun after which/welche: the kind of thing asked for ("market", "Branche")
    verb: str = ""  # the main verb ("refereed", "erzielte"), which an answer's sentence must bear out


def analyse(text: str) -> Question:
    """Read a question in English or German."""
    clean = " ".join(text.split())
    kind = next((k for k, pattern in _TYPE_RE if pattern.search(clean)), "other")
    if kind in ("date", "place") and re.match(r"(?i)(?:who|whom|wer|wen|wem)\b", clean):
        kind = "person"  # "Who was there when the agreement was signed?": "when" opens a clause
    language = detect_language(clean, default="en")
    names = _names(clean, language)
    # "Wallner's farewell": the name's word, not a word "wallner's" no sentence has
    tokens = [re.sub(r"['’]s$", "", t) for t in re.findall(r"\w+(?:[-'’]\w+)*", clean.lower())]
    words = [w for w in tokens if w not in _WH_WORDS and w not in _question_stopwords() and len(w) > 1]
    words = _phrasal_verbs(tokens, words)
    if language == "de":
        words = _separable_verb(tokens, words)
    words = list(dict.fromkeys(words))
    counted = re.search(r"\b(?:which|welche[nrms]?)\s+(two|three|four|both|beiden|zwei|drei|vier)\b", clean, re.I)
    if counted:
        words = [w for w in words if w != counted.group(1).lower()]  # "which two clubs": how many, not a word to find
    event = next((event_concept(w) for w in words if event_concept(w)), None)
    participation = any(w in PARTICIPATION_WORDS for w in tokens) or bool(_PARTICIPATION.search(clean))
    tokens_in_order = re.findall(r"[\w-]+", clean)
    role_words = [w for k, w in enumerate(tokens_in_order) if is_role_word(w) and not (
        k + 1 < len(tokens_in_order) and tokens_in_order[k + 1][:1].isupper())]  # "Kapitän Samuel Adeyemi" is a title
    role_target = ""
    if kind == "role":
        role_target = _role_target(clean, names)
        if not role_target:
            kind = "person" if role_words else "which"
    plural = bool(_PLURAL_CUES.search(clean)) or (participation and kind == "person")
    if re.search(r"(?i)\bwelche[rsm]\s+[\w-]*(?:spieler|teilnehmer|kandidat|vertreter)\b", clean):
        plural = False  # "Welcher Kingsford-Spieler ...?": one, though "Spieler" is also a plural
    answer_noun = _answer_noun(clean)
    english_plural = language == "en" and answer_noun.endswith("s") and not answer_noun.endswith(("ss", "us", "is"))
    if answer_noun and (english_plural
                        or re.search(rf"\b(?i:welche[n]?)\s+(?:\w+\s+)?[{UPPER}]\w*(?:en|e|er)\b", clean)):
        plural = True  # "which hot topics", "welche heißen Themen", "in welchen Bereichen"
    if kind in ("which", "other") and re.search(r"\b(?:how\s+much|wie\s+viel|wie\s+hoch|wie\s+teuer|how\s+expensive|how\s+costly)\b", clean, re.I):
        kind = "amount"
    if kind in ("which", "other") and re.match(r"(?i)(?:was|what)\b", clean) and set(tokens) & _PAYING:
        kind = "amount"
    if kind == "amount" and not answer_noun:
        answer_noun = _measured_noun(clean)  # "Wie hoch war Kestrels Nettoverlust?" -> "nettoverlust"
    if kind == "which" and answer_noun:
        if answer_noun in _SCORE_NOUNS and not re.search(r"\bvote|stimm", clean, re.I):
            kind = "score"  # "What is the series standing?", "What were the period scores?"
        elif answer_noun in _AMOUNT_NOUNS or any(answer_noun.endswith(n) for n in _AMOUNT_NOUNS if len(n) > 5):
            kind = "amount"  # "what revenue", "welche Beteiligung"
        elif answer_noun in _PERIOD_NOUNS and not re.search(r"(?i)\bat\s+what\b|\bzu\s+welche[rm]\b", clean):
            kind = "duration"  # "innerhalb welches Zeitraums", "over which period", "total time" (not "at what time")
        elif answer_noun in _YEAR_NOUNS:
            kind = "date"  # "which years does the budget cover"
        elif answer_noun in _PLACE_NOUNS:
            kind = "place"  # "an welchen Standorten", "which cities"
            plural = plural or re.search(r"\bwelchen\b", clean, re.I) is not None or answer_noun.endswith(("ies", "es"))
        elif is_role_word(answer_noun) or answer_noun in PERSON_NOUNS:
            kind = "person"  # "which CEOs", "welcher Torwart"
        elif any(answer_noun.startswith(o) or answer_noun.endswith(o) for o in _ORGANISATION_NOUNS):
            kind = "organization"  # "which company", "welchem Verein"
    among = _WHO_AMONG.match(clean)
    among_noun = next((w.lower() for w in among.groups("") if w.lower() in PERSON_NOUNS), "") if among else ""
    if kind == "person" and among_noun:
        plural = True  # "Who was among the guests?" asks for a list
    if kind in ("other", "which") and role_words and re.search(r"\bwie\s+(?:heißt|hieß|heißen)\b", clean, re.I):
        kind = "person"  # "Wie heißt der neue Trainer?"
    if kind == "other" and re.search(r"\bhow\s+did\b.*\bend\?*$", clean, re.I):
        kind = "score"  # "How did the match end?"
    verb = main_verb(clean, passive=kind == "date", language=language)  # "when was it founded"; "where was it played" is any match
    if language == "de" and re.search(rf"\b{verb}\s+es\b", clean, re.I) and verb in _IMPERSONAL_VERBS:
        words = [w for w in words if w != verb]  # "Um welche Summe ging es", "Welche Probleme gab es": an idiom,
        verb = ""  # not a verb the answer's sentence must bear out
    verb = next((w for w in words if verb and w.startswith(f"{verb}-")
                 and w.split("-", 1)[1] in _PARTICLES_EN | _PARTICLES_DE), verb)
    if verb and verb not in words:
        words.append(verb)  # general stop-word lists hold verbs such as "won" that matter here
    return Question(clean, language, kind, names, words, event, participation, plural, role_target, role_words,
                    answer_noun, verb)


_WHO_AMONG = re.compile(r"(?i)(?:who|wer)\s+(?:was|were|is|are|war|waren|ist|sind|gehörte[n]?|zählte[n]?)\s+"
                        r"(?:among|unter|zu|one\s+of)\s+(?:the|den|die|der)\s+(\w+)(?:\s+(\w+))?")
_IMPERSONAL_VERBS = frozenset("ging geht gab gibt gehe gäbe".split())
_PARTICLES_EN = frozenset("off over up out down on in back away".split())


def _phrasal_verbs(tokens: list[str], words: list[str]) -> list[str]:
    """ "sent off", "took over", "step down": a verb and its particle (a stop word on its own) are one word when the
    vocabulary knows them together ("sent-off" ~ "Platzverweis")."""
    from .lexical import TRANSLATIONS

    out = list(words)
    for a, b in zip(tokens, tokens[1:]):
        joined = f"{a}-{b}"
        if b in _PARTICLES_EN and joined in TRANSLATIONS:
            out = [joined if w == a else w for w in out] if a in out else out + [joined]
    return out


def _common_noun(token: str) -> bool:
    """ "Umsatz von Lumiq", "Nachfolgerin von Hagedorn": a noun before "von" is not part of a name."""
    from .facts.tokens import german_common_noun

    return is_role_word(token) or (len(token) > 3 and german_common_noun(token))


def _german_noun(token: str) -> bool:
    from .facts.tokens import german_noun

    return len(token) > 3 and german_noun(token)


_PARTICLES_DE = frozenset("ab an auf aus bei ein fest mit nach nieder vor zu zurück weg statt teil fort hinzu vorbei".split())
VERB_PARTICLES = _PARTICLES_EN | _PARTICLES_DE  # "sworn in", "nahm teil": not words to find on their own


def _separable_verb(tokens: list[str], words: list[str]) -> list[str]:
    """ "Wann tritt Harrow als Vorstandschef ab?": the verb and its particle at the end are one word
    ("tritt-ab" ~ "step down") when the vocabulary knows them together."""
    from .lexical import TRANSLATIONS

    if len(tokens) < 3 or tokens[-1] not in _PARTICLES_DE:
        return words
    for verb in tokens[1:3]:
        joined = f"{verb}-{tokens[-1]}"
        if joined in TRANSLATIONS:
            return [joined if w == verb else w for w in words if w != tokens[-1]] + (
                [joined] if verb not in words else [])
    return words


def _names(text: str, language: str) -> list[str]:
    """Runs of capitalised words after the first word; German nouns are filtered by the answerer."""
    tokens = re.findall(r"[\w'’.-]+", text)
    names: list[str] = []
    run: list[str] = []
    for i, token in enumerate(tokens):
        token = token.rstrip(".")
        capital = bool(_NAME_TOKEN.match(token)) and i > 0 and token not in _QUESTION_STOP
        particle = token.lower() in _PARTICLES and bool(run) and not _common_noun(run[-1])
        if capital and run and language == "de" and re.search(r"[^s]s$", run[-1]) and run[-1] not in GIVEN_NAMES \
                and _german_noun(token):
            names.append(" ".join(run))  # "Kestrels Nettoverlust": a German genitive name, then what is its
            run = []
        if capital or (particle and _particle_leads_to_name(tokens, i)):
            run.append(token)
        else:
            if run:
                names.append(" ".join(run))
            run = []
    if run:
        names.append(" ".join(run))
    return [re.sub(r"(?:'s|’s|'|’)$", "", n) for n in names]


_AMOUNT_NOUNS = frozenset(
    """savings einsparungen kosteneinsparungen synergies synergien salary premium aufschlag size größe
    revenue revenues sales turnover profit profits loss price prices fee fees cost costs value budget salary
    earnings dividend dividends margin growth debt deficit surplus valuation guidance forecast volume
    gewinne dividende marge wachstum schulden defizit überschuss bewertung prognose volumen
    share stake percentage capacity umsatz umsätze gewinn verlust preis preise ablöse kosten wert budget gehalt
    anteil anteile beteiligung kapazität jahreskapazität produktion sum summe betrag amount range spanne
    preisspanne kurs aktienkurs schlusskurs ausgabepreis cap obergrenze rise increase raise erhöhung steigerung
    fine geldbuße geldstrafe strafe penalty quota kontingent turnout wahlbeteiligung attendance zuschauerzahl
    inflation inflationsrate unemployment arbeitslosenquote population einwohnerzahl höhe abstand rückstand
    vorsprung income""".split()
)
_PLACE_NOUNS = frozenset(
    """standort standorte standorten sites site locations location places cities towns countries städte städten
    orte orten länder ländern state staat bundesstaat bundesland region province provinz country land city stadt
    town venue halle hall arena stadion stadium""".split()
)
_PERIOD_NOUNS = frozenset("zeitraum zeitraums period timeframe frist laufzeit term time zeit gesamtzeit".split())
_YEAR_NOUNS = frozenset("years jahre jahren".split())
_SCORE_NOUNS = frozenset("score scores standing stand spielstand zwischenstand ergebnis ergebnisse result".split())
PERSON_NOUNS = frozenset(
    """people persons person players player leute personen spieler spielerin spielerinnen politiker politikerin
    politicians politician executives guests guest gäste gästen gast candidates candidate kandidaten kandidat kandidatin
    kandidatinnen participants teilnehmer teilnehmerin teilnehmerinnen members mitglieder officials vertreter
    vertreterin representatives speakers redner rednerin scorers torschützen torschütze torschützin winners sieger
    siegerin founders gründer gründerin critics kritiker kritikerin victims opfer employees beschäftigte
    lawmakers abgeordnete abgeordneten mps ministers minister ministerin riders rider fahrer fahrerin athletes
    athlete athlet athletin sportler sportlerin men man women woman männer frauen""".split()
)
_ORGANISATION_NOUNS = (
    "compan", "firm", "club", "team", "union", "bank", "organi", "unternehm", "firma", "firmen", "verein",
    "mannschaft", "gewerkschaft", "konzern", "partei", "party", "institut", "behörde", "ministeri", "ministry",
    "authorit", "regulator", "aufsicht", "agency", "agentur", "court", "gericht", "commission", "kommission",
    "group", "gruppe", "supplier", "zulieferer", "investor", "bidder", "bieter", "buyer", "käufer", "lender",
    "parti", "universit", "hochschul", "school", "schule", "broker", "underwriter", "konsortialbank", "broadcaster",
    "sender", "newspaper", "zeitung", "airline", "fluggesellschaft", "hersteller", "manufacturer", "retailer",
    "carrier", "operator", "betreiber", "insurer", "versicherer", "fraktion", "faction", "network", "netzwerk",
    "alliance", "bündnis", "verband", "association", "federation", "startup", "start-up", "law firm", "kanzlei",
)
# verbs of paying: "Was zahlt X für ...?", "What does X pay for ...?" ask for a sum
_PAYING = frozenset("zahlt zahlte zahlen bezahlt bezahlte kostet kostete kosten pay pays paid cost costs".split())


@lru_cache(maxsize=1)
def _question_stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_GERMAN

    from .language import ENGLISH_WORDS, GERMAN_WORDS

    return frozenset(STOPWORDS_EN_PLUS) | frozenset(STOPWORDS_GERMAN) | ENGLISH_WORDS | GERMAN_WORDS | {
        "also", "auch", "außerdem", "besides", "according", "its", "own", "genau", "really", "did", "does",
        "else", "sonst",
        # modals and adverbs that say how, not what: "Wie viele Stellen könnten ... wegfallen?"
        "könnte", "könnten", "sollte", "sollten", "würde", "würden", "müsste", "müssten", "dürfte", "dürften",
        "inzwischen", "zusammen", "insgesamt", "jeweils", "could", "would", "should", "might", "altogether",
    }


_STOP_AFTER_NOUN = frozenset(
    """is was are were did does do has had have will would can could should may might the a an of in on at for
    with to from by per after before during since until this that these those he she it they his her its their""".split()
)


_IRREGULAR_PAST = frozenset(
    """met won lost made took gave went came saw said told held led left paid sold bought brought built beat began
    ran rose fell grew spent sent set put got found became chose drew hit kept knew meant read spoke stood struck
    threw wrote scored signed""".split()
)


_MEASURED = re.compile(rf"\b(?i:wie\s+(?:hoch|groß|viel)\s+(?:ist|war|sind|waren|lag|liegt|fiel|fällt)\s+"
                       rf"(?:(?:der|die|das|des|dem|den)\s+)?(?:[{UPPER}][\w-]*s\s+)?)([{UPPER}][\w-]*)")


def _measured_noun(text: str) -> str:
    """ "Wie hoch war Kestrels Nettoverlust?": the figure asked for, when the vocabulary knows it as one."""
    match = _MEASURED.search(text)
    noun = match.group(1).lower() if match else ""
    return noun if noun in _AMOUNT_NOUNS or noun.endswith(tuple(n for n in _AMOUNT_NOUNS if len(n) > 5)) else ""


def _answer_noun(text: str) -> str:
    """The noun after "which"/"welche": "which hot topics were" -> "topics", "welcher zukünftigen Branche" ->
    "branche". German capitalises it; in English it is the last word before the verb."""
    german = re.search(rf"\b(?i:welche[rnms]?)\s+(?:[{LOWER}-]+\s+){{0,2}}([{UPPER}][\w-]*)", text)
    if german:
        return german.group(1).lower()
    possessed = re.search(r"\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?[\w\s-]*?['’]s\s+((?:[a-z-]+\s*){1,3})", text, re.I)
    if possessed:
        noun = ""
        for word in possessed.group(1).lower().split():
            if word in _STOP_AFTER_NOUN or word in {"in", "on", "at", "for", "of", "from", "to", "by", "with"}:
                break
            noun = word
        if noun in _AMOUNT_NOUNS or noun.endswith(tuple(n for n in _AMOUNT_NOUNS if len(n) > 5)):
            return noun  # "What is Helen Marchetti's annual salary?", "What was X's revenue in the quarter?"
        old = re.search(r"['’]s\s+(?:[a-z-]+\s+)?([a-z-]+)\b", possessed.group(0), re.I)
        return old.group(1).lower() if old else noun
    english = re.search(r"\b(?:which|what)\s+((?:[\w-]+\s*){1,6})", text, re.IGNORECASE)
    if not english:
        return ""
    noun = ""
    words = english.group(1).split()
    if len(words) > 2 and words[0].lower() in {"is", "was", "are", "were"} and words[1].lower() in {"the", "its"}:
        words = words[2:]  # "What were the earnings per share?", "What is the annual production capacity of ..."
        head = ""
        for word in words:
            if word.lower() in _STOP_AFTER_NOUN:
                break
            head = word.lower()
        return head if head in _AMOUNT_NOUNS | _SCORE_NOUNS else ""
    for k, word in enumerate(words):
        lower = word.lower()
        if lower in _STOP_AFTER_NOUN or lower in _ADVERBS or (noun and (lower.endswith("ed") or lower in _IRREGULAR_PAST)):
            break
        if noun and k + 1 < len(words) and words[k + 1].lower() in _ARTICLES:
            break  # "which parties form the coalition": a word before an article is the verb
        noun = lower
    return "" if noun in _STOP_AFTER_NOUN else noun


def main_verb(text: str, passive: bool = True, language: str = "en") -> str:
    """The verb that relates the asked thing to the rest: "Who refereed ...", "What did Lee discuss ...",
    "Which goalkeeper saved ...", "Wer erzielte ..."."""
    words = re.findall(r"[\w'-]+", text)
    lowered = [w.lower() for w in words]
    if language == "de" and len(words) > 3 and set(lowered[1:4]) & _GERMAN_AUXILIARIES and words[-1][:1].islower() \
            and lowered[-1] not in _question_stopwords():
        return words[-1].lower()  # "Wie viel will das Unternehmen ... investieren?": the verb comes last
    for aux in ("did", "does", "do", "will", "can", "should", "would", "could"):
        if aux in lowered and language == "en":
            after = lowered[lowered.index(aux) + 1:]
            if after[:1] and after[0] in {"be", "become"}:
                return ""  # "Who will be the new vice-president?": a copula
            return _verb_after_subject(words[lowered.index(aux) + 1:])
    if passive and len(words) > 3 and lowered[0] not in {"who", "wer"} and set(lowered[1:3]) & _PASSIVE_AUXILIARIES:
        last = words[-1]  # "When was the club founded?", "Wann wurde der Vertrag unterzeichnet?"
        if last[:1].islower() and (last.endswith("ed") or lowered[1] in {"wurde", "wurden", "ist", "sind", "war", "waren"}):
            return last.lower()
    if lowered and lowered[0] in {"who", "wer"} and len(words) > 1:
        rest = [w for w in lowered[1:] if w not in {"else", "sonst", "also", "auch", "then"}]
        verb = rest[0] if rest else ""
        if verb in _PASSIVE_AUXILIARIES and len(rest) > 1:  # "Who was elected ...?", "Wer wurde ... gewählt?"
            if language == "en" and (rest[1].endswith("ed") or rest[1] in _IRREGULAR_PAST):
                return rest[1]
            if language == "de" and verb in {"wurde", "wurden"} and words[-1][:1].islower():
                return lowered[-1]
        return "" if verb in _AUXILIARIES else verb
    if lowered and lowered[0] in {"whom", "wen", "wem"} and len(words) > 2 and lowered[1] in _AUXILIARIES:
        return _verb_after_subject(words[2:])  # "Whom is Deshmukh replacing as CEO?"
    noun = _answer_noun(text)
    for i, word in enumerate(lowered[:-1]):
        if word in {"which", "what", "welche", "welcher", "welches", "welchen", "welchem"}:
            if lowered[i + 1] in _AUXILIARIES and i + 2 < len(lowered) and lowered[i + 2] in _ARTICLES | {"der", "die", "das"}:
                return ""  # "What was the half-time score": a copula, no verb
            start = lowered.index(noun, i) + 1 if noun in lowered[i:] else i + 2
            for later in words[start:]:
                if later.lower() in _PHRASE_PREPOSITIONS:
                    break  # "revenue in the second quarter", "Gäste bei der Vereidigung": a phrase, no verb
                if later[:1].islower() and later.lower() not in _STOP_AFTER_NOUN | _AUXILIARIES:
                    return later.lower()
            break
    return ""


_ARTICLES = frozenset("the a an his her its their this that these those".split())
_PHRASE_PREPOSITIONS = frozenset(
    """in on at during of for with from to by about im am beim bei mit von vom zu zum zur nach für über unter vor
    an auf aus um durch gegen ohne seit""".split())
_GERMAN_AUXILIARIES = frozenset(
    """will wollen soll sollen wird werden kann können hat haben muss müssen darf könnte könnten sollte sollten würde
    würden müsste müssten dürfte dürften wollte wollten konnte konnten musste mussten""".split())
_PASSIVE_AUXILIARIES = frozenset("was were is are wurde wurden ist sind war waren".split())
_PREPOSITIONS = frozenset("of over in on at for with from to by about between".split())


def _verb_after_subject(words: list[str]) -> str:
    """ "[Lee] discuss", "[the Harbourside Rovers squad] parade", "[the negotiations over the deal] last":
    skip the subject (names, or an article up to its noun and any prepositional phrase), take the next word."""
    i = 0
    if i < len(words) and words[i].lower() in _ARTICLES:
        i, verb = _noun_phrase(words, i + 1)
        if verb:
            return verb
        i += 1  # the subject's noun
        while i < len(words) and words[i].lower() in _PREPOSITIONS:
            i += 1
            if i < len(words) and words[i].lower() in _ARTICLES:
                i += 1
            i, verb = _noun_phrase(words, i)
            if verb:
                return verb
            i += 1
    else:
        while i < len(words) and (words[i][:1].isupper() or (words[i].lower() in {"and", "&"} and i + 1 < len(words)
                                                               and words[i + 1][:1].isupper())):
            i += 1
    for word in words[i:]:
        lower = word.lower()
        if word[:1].islower() and lower not in _STOP_AFTER_NOUN | _AUXILIARIES | _ADVERBS:
            return lower
    return ""


def _noun_phrase(words: list[str], i: int) -> tuple[int, str]:
    """Past the capitalised words of a noun phrase from `i`; and the verb that closes the question, if it does."""
    while i < len(words) and words[i][:1].isupper():
        i += 1
    return i, _verb_closing(words[i:])


def _verb_closing(words: list[str]) -> str:
    """ "[will the] investment ratio rise", "[on the] green steel deal begin": a noun phrase of several words
    that runs to the end of the question ends in the verb, the last word that is not a plural noun ("cut jobs")."""
    if len(words) < 2 or not all(w[:1].islower() and w.lower() not in _PREPOSITIONS | _ARTICLES for w in words):
        return ""
    bare = [w.lower() for w in words[1:] if not (w.endswith("s") and not w.endswith(("ss", "us")))]
    return bare[-1] if bare else ""


_ADVERBS = frozenset("already also still often ever really usually first finally actually and or not never".split())


_AUXILIARIES = frozenset(
    """ist war sind waren hat hatte haben wurde wird werden is was are were has had have be will wollen soll sollen
    kann können muss müssen darf dürfen möchte würde""".split()
)


_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "ten", "ter", "zu"})


def _particle_leads_to_name(tokens: list[str], i: int) -> bool:
    """ "van der Berg": particles continue a name when a capitalised word follows them."""
    j = i + 1
    while j < len(tokens) and tokens[j].lower() in _PARTICLES:
        j += 1
    return j < len(tokens) and bool(_NAME_TOKEN.match(tokens[j]))


def _role_head(tokens: list[str]) -> bool:
    """ "Schiedsrichter der Partie": a role and what it belongs to, not a person ("Trainer Hansen" is one)."""
    return is_role_word(tokens[0]) and (len(tokens) == 1 or tokens[1][:1].islower())


def _role_target(text: str, names: list[str]) -> str:
    """The person a role question is about: "Who is Cristiano Amon?" -> "Cristiano Amon"."""
    candidates = [n for n in names if not is_role_word(n.split()[-1]) and not _role_head(n.split())
                  and not (" " not in n and _common_noun(n))]  # "Wer war Schiedsrichter der Partie?"
    if not candidates:
        return ""
    return max(candidates, key=len)
