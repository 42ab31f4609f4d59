"""Word tokens for BM25: lower-cased, stop words dropped, Snowball-stemmed in the text's language."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

STEMMER_LANGUAGES = {"de": "german", "en": "english"}
_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


# Groups of words that say the same thing in English and German news text, so that a question in one
# language finds its answer in a text in the other. Genre words only; names need no translation.
EQUIVALENTS = """
january januar jänner
february februar
march märz
may mai
june juni
july juli
october oktober
december dezember
election elections wahl wahlen
vote votes voted voting stimme stimmen abstimmung stimmten abgestimmt
turnout wahlbeteiligung beteiligung
voters wähler wählerinnen
candidate candidates kandidat kandidaten kandidatin
run-off stichwahl
round wahlgang runde
result results ergebnis ergebnisse
seats seat sitze sitz mandate
parliament parlament landtag bundestag
majority mehrheit
opposition opposition
coalition koalition
party parties partei parteien
leader leaders vorsitzender vorsitzende chef
observers observer beobachter
sworn vereidigt vereidigung inauguration amtseinführung
term amtszeit
budget haushalt etat doppelhaushalt
debt schulden kredite verschuldung
loan loans kredit kredite darlehen tranche kredittranche
teachers teacher lehrer lehrerinnen lehrkräfte
schools school schulen schule
court gericht verfassungsgericht
lawsuit klage
retreat klausur klausurtagung
announced announce verkündete verkündet gab bekannt bekanntgegeben
commission kommission
investment investments investition investitionen
factory fabrik werk werke plant
production produktion fertigung
hall halle
workers beschäftigte arbeiter
companies konzerne
shares aktien
profit gewinn
loss verlust
sales absatz
market-share marktanteil
tax steuer steuern
minister ministerin minister
ministry ministerium
premier ministerpräsident ministerpräsidentin regierungschef regierungschefin
president präsident präsidentin staatspräsident
mayor bürgermeister bürgermeisterin oberbürgermeister
police polizei
army armee militär
war krieg
peace frieden
talks gespräch
visit visite
journey reise
capital hauptstadt
region region
state bundesland land
copper kupfer
mine mine bergwerk
smelter hütte schmelze
energy energie strom
power strom kraftwerk
battery batterie akku
cars autos fahrzeuge
hospital krankenhaus klinik
university universität
students studierende studenten
ratio rate quote quota anteil
sachsen saxony
sachsen-anhalt saxony-anhalt
niedersachsen lower-saxony
thüringen thuringia
hessen hesse
shots shot würfe wurf schüsse schuss
save saves saved parierte pariert parade paraden
goalkeeper keeper torhüter torhüterin torwart
penalty penalties siebenmeter elfmeter strafstoß
half-time halbzeit pause
premium aufschlag prämie
closing-price schlusskurs
bond anleihe anleihen
savings einsparungen kosteneinsparungen
jobs stellen arbeitsplätze
us usa u.s. amerika america
criticised criticise criticism criticized criticize kritik kritisierte kritisiert kritisieren
club clubs verein vereins klub
came come comes kam kommt wechselte
ceo chef chefin vorstandschef konzernchef
already bereits schon
set gesetzt setzt
hot heiß heißen heißes
topics themen
futuristic futuristische futuristischen
meeting meet meets met treffen traf trafen getroffen trifft begegnung lud eingeladen empfing empfangen
attend attended attending attendees teil teilnahmen nahmen teilgenommen teilnehmer anwesend present presence
accompany accompanied accompanying begleitet begleitete begleiteten begleitung
signing signed sign unterzeichnung unterzeichneten unterzeichnete unterzeichnet
talks talk gespräche gespräch gesprächen verhandlung verhandlungen negotiations negotiated verhandelte
visit visited besuch besuchte besuchs reise reiste trip travel travelled traveled geschäftsreise
ceremony zeremonie feier pokalübergabe
summit gipfel gipfeltreffen
conference konferenz pressekonferenz
company companies unternehmen firma firmen konzern
employees employee staff mitarbeiter beschäftigte
spectators fans zuschauer
revenue sales umsatz
profit gewinn
price preis kaufpreis
share shares stake anteil anteile beteiligung
office büro
headquarters hauptquartier zentrale sitz based
home hause zuhause
discuss discussed discussing diskutierten diskutierte besprechen besprachen sprachen talked spoke
invite invited lud einladung eingeladen
host hosted hosts empfing empfangen gastgeber
plan plans planned plant planen geplant
cooperation cooperate collaboration zusammenarbeit kooperieren kooperation zusammenarbeiten
partnership partnerschaft
agreement abkommen vereinbarung
deal contract agreement vertrag kaufvertrag
ai ki künstliche intelligence intelligenz
chips chip chips
semiconductors semiconductor halbleiter
market markt
industry branche industrie
city stadt
country land
state bundesstaat staat
year jahr jahres
month monat monats
week weeks woche wochen
day days tag tage
business geschäft geschäfts
strategy strategie
future zukunft
product produkt
areas area fields field bereich bereichen bereiche felder
topics topic themen thema
win won wins gewann gewinnt sieg
coach trainer trainerin trainiert coached
captain kapitän
goal goals tor tore treffer
match game spiel partie final finale endspiel
trophy cup pokal
prize preisgeld
stadium stadion
grow grew grown growth wuchs wächst gewachsen wachstum
purchase-agreement kaufvertrag
buy buys bought purchase kauf kauft kaufte acquisition übernahme übernimmt acquire acquires acquiring acquired
stock share-price aktie aktien kurs price
trade trading handel
score scored scoring scores erzielte erzielt traf
refereed referee schiedsrichter pfiff
receive receives received erhält erhalten bekommt
runners-up zweiter finalist
players spieler
training trainingslager camp
parade feiern feier
weekday wochentag
seller verkäufer selling sell verkauf verkauft
invest invests invested investment investiert investition investitionen
plant factory werk fabrik
site sites standort standorten standorte
produce produces produziert herstellung
synergies synergien
approval genehmigung zustimmung
guarantee garantie
jobs arbeitsplätze
minister ministerin
president präsident präsidentin
chairman chair vorsitzender vorsitzende
chief chef chefin
head leiter leiterin
describe described beschrieb bezeichnete
press presse pressemitteilung
release mitteilung
last letztes letzte letzten
first erste ersten erstes
second zweites zweite zweiten
next nächste nächsten
trend trend
government regierung
election wahl
parliament parlament
law gesetz
country's landes
union gewerkschaft
steel stahl
university universität hochschule
students studierende studenten
scholarships stipendien
reception empfang
visit's besuchs
return returned zurück rückkehr
arrive arrived ankunft kam traf
begin began begun begannen begann beginn
end ended ende endete
lasted last lasts dauerte dauerten gedauert dauert
finance finanzieren finanzierung
bonds anleihen
expects expect erwartet erwarten
said sagte sagten erklärte
announced kündigte angekündigt
rise rose stieg legte
exclusive exklusive
versions versionen
overclocked übertaktete
network networks netzwerke netzwerken
cloud cloud
foundry foundries gießerei gießereien
vision vision
development entwickeln entwickelt
executives führungskräfte manager
leaders führer branchenführern
technology technologie
reality realität
virtual virtuelle
augmented erweiterte
generative generative
phones mobiltelefone
television tv fernsehen
content inhalte
""".strip().splitlines()
# German and English names of places that differ (a hyphen joins the words of a two-word name).
EQUIVALENTS += """
lissabon lisbon
münchen munich
köln cologne
wien vienna
brüssel brussels
mailand milan
rom rome
warschau warsaw
prag prague
moskau moscow
peking beijing
athen athens
kopenhagen copenhagen
genf geneva
zürich zurich
venedig venice
neapel naples
florenz florence
den-haag the-hague
südkorea south-korea südkoreanisch south-korean
nordkorea north-korea
großbritannien britain great-britain
vereinigte-staaten united-states
spanien spain
frankreich france
deutschland germany
italien italy
österreich austria
schweiz switzerland
polen poland
tschechien czech-republic czechia
niederlande netherlands
belgien belgium
dänemark denmark
schweden sweden
norwegen norway
finnland finland
griechenland greece
türkei turkey türkiye
russland russia
indien india
kalifornien california
bayern bavaria
europa europe
afrika africa
asien asia
amerika america
kanada canada
mexiko mexico
brasilien brazil
ägypten egypt
südafrika south-africa
ungarn hungary
rumänien romania
kroatien croatia
irland ireland
schottland scotland
portugiesisch portuguese portugiesische portugiesischen
koreanisch korean koreanische koreanischen
""".strip().splitlines()
# The bilingual news vocabulary: one concept per line, English and German forms (rag/data/news_lexicon_de_en.txt),
# in sections headed by "# ..." comments.
_SECTIONS: dict[str, list[str]] = {}
_section = ""
for _line in (Path(__file__).parent / "data" / "news_lexicon_de_en.txt").read_text(encoding="utf-8").splitlines():
    if _line.startswith("#"):
        _section = _line.lstrip("# ").lower()
    elif _line.strip():
        _SECTIONS.setdefault(_section, []).append(_line)
        EQUIVALENTS.append(_line)


def _country_names() -> set[str]:
    """English country names from the ISO 3166 table the tzdata package ships ("Chile", "Korea (South)")."""
    try:
        from importlib.resources import files

        table = (files("tzdata") / "zoneinfo" / "iso3166.tab").read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError, ModuleNotFoundError):
        return set()
    names = set()
    for line in table.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            name = line.split("\t", 1)[1].split(" (")[0].strip().lower()
            names.add(name.replace(" ", "-").replace("&", "and"))
    return names


# countries, regions and their adjectives: a place asked as "which cities" is none of these
REGION_WORDS = frozenset(form for section, lines in _SECTIONS.items()
                         if "countries" in section or "continents" in section or "states and regions" in section
                         for line in lines for form in line.split()) | frozenset(_country_names())
TRANSLATIONS: dict[str, tuple[str, ...]] = {}
for _group in EQUIVALENTS:
    _words = _group.split()
    for _word in _words:
        TRANSLATIONS[_word] = tuple(dict.fromkeys(TRANSLATIONS.get(_word, ()) + tuple(w for w in _words if w != _word)))
# German genitives and datives ("des Werks", "dem Werke") and English plurals the lines leave out
_INFLECTED = {f"{word}{ending}": (word, *others) for word, others in TRANSLATIONS.items() if "-" not in word
              for ending in ("s", "es", "e") if len(word) >= 4}
for _word, _translations in _INFLECTED.items():
    TRANSLATIONS.setdefault(_word, _translations)


@lru_cache(maxsize=4)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(STEMMER_LANGUAGES.get(language, "english"))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_GERMAN

    return frozenset(STOPWORDS_EN) | frozenset(STOPWORDS_GERMAN)


def words(text: str) -> list[str]:
    """Lower-cased words; a hyphenated compound also yields its parts ("amazon-ceo" -> amazon, ceo)."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        out.append(word)
        if "-" in word:
            out.extend(part for part in word.split("-") if part)
    return out


def tokenize(text: str, language: str) -> list[str]:
    """BM25 tokens of a document text in its own language."""
    stop = _stopwords()
    return _stemmer(language).stemWords([w for w in words(text) if w not in stop])


def query_tokens(text: str) -> list[str]:
    """A question may be asked in either language about a text in either: stem it both ways, and add the
    other language's word for the genre's common words."""
    stop = _stopwords()
    content = [w for w in words(text) if w not in stop]
    content += [t for w in list(content) for t in TRANSLATIONS.get(w, ())]
    tokens: list[str] = []
    for language in STEMMER_LANGUAGES:
        for token in _stemmer(language).stemWords(content):
            if token not in tokens:
                tokens.append(token)
    return tokens
