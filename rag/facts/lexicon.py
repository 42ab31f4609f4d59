"""Word lists for German and English news text: roles, titles, events, dates, units.

These describe the languages and the genre; nothing here names a particular article's people or companies.
"""

from __future__ import annotations

from pathlib import Path

import re
from functools import lru_cache

# -- people -----------------------------------------------------------------------------------------------------

TITLES = frozenset("dr dr. prof prof. mr mr. mrs mrs. ms ms. herr frau sir dame professor".split())
NAME_PARTICLES = frozenset("van von der den de da di del della du la le ten ter bin al dos das zu y".split())

# Role nouns; German forms are matched as word endings ("Finanzvorständin", "Nordamerika-Präsident").
GERMAN_ROLE_STEMS = (
    "kandidat", "kandidatin", "bewerber", "bewerberin", "chef", "chefin", "ceo", "cfo", "coo", "cto", "vorsitzende",
    "vorsitzender", "vorsitzenden", "vorstand",
    "vorständin", "präsident", "präsidentin", "präsidenten", "direktor", "direktorin", "leiter", "leiterin",
    "minister", "ministerin", "ministers", "staatssekretär", "staatssekretärin", "botschafter", "botschafterin",
    "bürgermeister", "bürgermeisterin", "kanzler", "kanzlerin", "sprecher", "sprecherin", "trainer", "trainerin",
    "kapitän", "kapitänin", "geschäftsführer", "geschäftsführerin", "gründer", "gründerin", "justiziar",
    "justiziarin", "manager", "managerin", "berater", "beraterin", "stürmer", "stürmerin", "torwart", "torhüter",
    "torhüterin", "verteidiger", "abwehrspieler", "mittelfeldspieler", "spieler", "spielerin", "abgeordnete",
    "abgeordneter", "rektor", "rektorin", "dekan", "dekanin", "intendant", "intendantin", "gouverneur",
    "senator", "senatorin", "analyst", "analystin", "eigentümer", "eigentümerin", "inhaber", "inhaberin",
    "vizepräsident", "vizepräsidentin", "sekretär", "sekretärin", "kommissar", "kommissarin", "chefredakteur",
    "unterhändler", "unterhändlerin", "verhandlungsführer", "verhandlungsführerin", "partner", "partnerin",
    "gesellschafter", "aufsichtsrat", "aufsichtsrätin", "betriebsrat", "betriebsrätin", "vertreter",
    "vertreterin", "generalsekretär", "generalsekretärin", "premierminister", "premierministerin",
    "ministerpräsident", "ministerpräsidentin", "oberbürgermeister", "oberbürgermeisterin", "landrat",
    "landrätin", "bischof", "könig", "königin", "prinz", "prinzessin", "richter", "richterin", "anwalt",
    "anwältin", "staatsanwalt", "staatsanwältin", "professor", "professorin", "forscher", "forscherin",
    "ökonom", "ökonomin", "ingenieur", "ingenieurin", "architekt", "architektin", "regisseur", "regisseurin",
    "schiedsrichter", "schiedsrichterin", "coach", "boss", "gewerkschafter", "funktionär", "funktionärin",
    "vorstände", "chefs", "chefinnen", "vorgänger", "vorgängerin", "nachfolger", "nachfolgerin",
    "stellvertreter", "stellvertreterin", "führer", "führerin", "experte", "expertin", "dozent", "dozentin",
    "wissenschaftler", "wissenschaftlerin",
)
ENGLISH_ROLE_WORDS = frozenset(
    """ceo cfo coo cto chairman chairwoman chairperson chair president vice-president director minister
    secretary ambassador mayor coach manager captain striker goalkeeper keeper defender midfielder winger forward
    negotiator spokesperson spokesman spokeswoman founder co-founder governor senator chancellor executive officer
    analyst referee premier head chief leader boss commissioner envoy diplomat deputy treasurer economist
    professor researcher lawyer attorney judge prosecutor owner chairs partner representative delegate
    lawmaker congressman congresswoman mp official steward rector dean principal inspector superintendent
    general admiral colonel king queen prince princess president-elect predecessor successor counsel adviser
    advisor consultant lecturer scientist candidate""".split()
)
# verbs that say someone speaks: a name next to one is a person ("said Lee"), and its speaker is quoted
SPEECH_VERBS = frozenset(
    "sagte sagten erklärte betonte meinte kündigte said says told added explained noted warned stressed".split()
)
ROLE_MODIFIERS = frozenset(
    """head chief deputy vice senior junior former acting interim executive general managing lord first
    assistant associate lead co prime stellvertretende stellvertretender stellvertretenden ehemalige ehemaliger
    ehemaligen designierte designierter amtierende amtierender neue neuer neuen""".split()
)
# Role words that are too general to stand alone as a role when they start a sentence, e.g. "Chief among ..."
WEAK_ROLE_WORDS = frozenset("head chief leader partner general first officer executive official".split())

# -- organisations and places -----------------------------------------------------------------------------------

ORG_SUFFIXES = frozenset(
    """hk ag gmbh se kg kgaa ohg ug gbr eg ev e.v. mbh inc inc. corp corp. co co. ltd ltd. llc plc sa s.a. nv n.v.
    bv spa s.p.a. ab asa oyj group gruppe holding holdings konzern bank fc sc ac cf afc united athletic
    club verein universität university institut institute ministerium ministry kommission commission council
    rat league liga association verband partei party union gewerkschaft agency agentur foundation stiftung
    airlines airways motors steel chemie energie energy electronics technologies technology systems solutions
    software pharma media telecom capital partners industries foods bau versicherung insurance division
    sparte department abteilung bureau office amt behörde court gericht parlament parliament army armee
    police polizei church kirche school schule hospital klinik klinikum network netzwerk alliance allianz forum
    coalition front movement bewegung initiative campaign trust federation society gesellschaft congress
    kongress assembly versammlung""".split()
)
# Nouns that introduce an organisation's name ("the battery company X", "der Kunststoffhersteller X");
# German ones also match as compound endings.
ORG_KIND_WORDS = (
    "company", "firm", "group", "club", "team", "side", "union", "party", "bank", "maker", "steelmaker",
    "carmaker", "automaker", "chipmaker", "retailer", "manufacturer", "producer", "supplier", "operator",
    "insurer", "lender", "broadcaster", "publisher", "startup", "start-up", "agency", "ministry", "institute",
    "university", "konzern", "unternehmen", "firma", "hersteller", "verein", "klub", "mannschaft", "gewerkschaft",
    "partei", "bank", "versicherer", "händler", "zulieferer", "betreiber", "anbieter", "gruppe", "agentur",
    "ministerium", "institut", "universität", "hochschule", "behörde", "sender", "verlag", "co-operative",
    "cooperative", "genossenschaft", "maschinenbauer", "autobauer", "anlagenbauer", "fahrzeugbauer", "flugzeugbauer", "association", "federation", "verband", "airline", "fluggesellschaft",
)
ARTICLES = frozenset(
    """the a an der die das den dem des ein eine einen einem einer eines this these that diese dieser diesem
    diesen dieses jene its their his her sein seine seinem seinen seiner ihr ihre ihrem ihren ihrer unser unsere""".split()
)
PLACE_WORDS = frozenset(
    """stadium stadion arena hall halle centre center park airport flughafen hotel palace palast rathaus
    hauptquartier headquarters square platz street straße strasse avenue bridge brücke harbour harbor hafen
    port castle schloss cathedral dom museum tower turm building gebäude campus kloster abbey monastery palais
    kirche church burg residenz villa""".split()
)
PLACE_PREPOSITIONS = frozenset("in nach aus from to im ins at near bei".split())
COMPASS = frozenset("nord süd ost west north south east west".split())

# -- events and participation -----------------------------------------------------------------------------------

EVENT_WORDS = {
    # concept: German and English words (lower-case; German nouns also match as compound endings)
    "meeting": "treffen treffens begegnung zusammenkunft sitzung meeting meetings met meet meets traf trafen "
    "getroffen trifft empfang empfing empfangen reception received hosted welcomed audienz lud eingeladen "
    "einladung invited",
    "visit": "besuch besuchs besuche besuchte besuchten visit visited visits reise reisen reiste trip tour "
    "staatsbesuch",
    "talks": "gespräch gespräche gesprächen gesprächs verhandlungen verhandelte verhandelten verhandlung talks "
    "negotiations negotiated discussions konsultationen",
    "signing": "unterzeichnung unterzeichneten unterzeichnete unterzeichnet signing signed sign signs "
    "vertragsunterzeichnung",
    "ceremony": "zeremonie feier festakt ceremony celebration gala pokalübergabe siegerehrung",
    "opening": "eröffnung eröffnete eröffnet einweihung eingeweiht opening opened inauguration inaugurated",
    "summit": "gipfel gipfeltreffen summit konferenz conference kongress congress forum",
    "press": "pressekonferenz press-conference",
    "match": "spiel finale final match game partie endspiel derby",
}
PARTICIPATION_WORDS = frozenset(
    """teil teilnahm teilnahmen teilgenommen teilnehmen teilnehmer anwesend dabei begleitet begleitete
    begleiteten begleitung dabeigewesen attended attending attend attendees present joined joining accompanied
    accompanying participants participated took-part presence podium presenting presented überreichten
    überreichte übergaben übergab""".split()
)
HOST_WORDS = frozenset(
    "empfing empfangen lud einladung gastgeber hosted host hosts welcomed invited invite gastgeberin".split()
)

# -- dates, durations, amounts ----------------------------------------------------------------------------------

GERMAN_MONTHS = "januar jänner februar märz april mai juni juli august september oktober november dezember".split()
ENGLISH_MONTHS = "january february march april may june july august september october november december".split()
GERMAN_DAYS = "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag".split()
ENGLISH_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
NUMBER_WORDS = {
    "ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
}
CURRENCY_WORDS = (
    "euro euros dollar dollars us-dollar pfund pound pounds franken francs yen yuan won rupien rupees kronen "
    "kroner kronor rubel roubles"
).split()
SCALE_WORDS = "million millionen mio mio. billion billionen milliarde milliarden mrd mrd. thousand tausend trillion".split()


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation, longest first so that "Juni" does not shadow "Juniors"-like prefixes."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


WORD_CACHE = 100_000  # words whose answers are kept: these run for every token at index time


@lru_cache(maxsize=WORD_CACHE)
def is_role_word(word: str) -> bool:
    """A role noun in either language, compounds included ("Amazon-CEO", "Finanzvorständin", "head coach")."""
    lower = word.lower().rstrip(".")
    if lower in ENGLISH_ROLE_WORDS or (lower.endswith("s") and lower[:-1] in ENGLISH_ROLE_WORDS):
        return True
    last = lower.rsplit("-", 1)[-1]
    if last in ENGLISH_ROLE_WORDS and "-" in lower:
        return True
    for form in (last, last[:-1] if last.endswith("s") else last):  # genitive: "des Betriebsrats"
        if form.endswith(GERMAN_ROLE_STEMS) and len(form) >= 3 and not _false_role(form):
            return True
    return False


def _false_role(last: str) -> bool:
    # words that end like a role but are not one ("Wochenende" ends in nothing here; "Schichtleiter" is one)
    return last in {"verleiter", "container", "partnerschaft", "bereiter", "beiter", "chefsache", "reiseführer",
                    "stadtführer", "wanderführer"}


@lru_cache(maxsize=WORD_CACHE)
def event_concept(word: str) -> str | None:
    """The event kind a word names, also inside German compounds ("Strategietreffen" -> meeting)."""
    lower = word.lower()
    for concept, words in _EVENT_INDEX.items():
        if lower in words:
            return concept
    last = lower.rsplit("-", 1)[-1]
    for concept, endings in _EVENT_ENDINGS.items():
        if last.endswith(endings):
            return concept
    return None


_EVENT_INDEX = {concept: frozenset(words.split()) for concept, words in EVENT_WORDS.items()}
# The words a compound may end in, per kind: five letters or more, not a past form ("-ed"). One tuple per kind,
# so that `str.endswith` tries them all at once (this runs for every token at index time).
_EVENT_ENDINGS = {
    concept: tuple(sorted(w for w in words if len(w) >= 5 and not w.endswith("ed")))
    for concept, words in _EVENT_INDEX.items()
}


def _given_names() -> frozenset[str]:
    path = Path(__file__).parent.parent / "data" / "given_names.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


# common given names of people in the news ("Paul Grant", "Ana Ruiz"): a run that starts with one is a person
GIVEN_NAMES = _given_names()
# family words before a lone given name: "Albrechts Ehemann Bastian", "his wife Maria"
KINSHIP_WORDS = frozenset(
    """husband wife son daughter brother sister father mother partner ehemann ehefrau mann frau sohn tochter bruder
    schwester vater mutter partnerin lebensgefährte lebensgefährtin""".split())
