"""The fact layer on sentences written for these tests (German and English news style)."""

from __future__ import annotations

import hashlib

import pytest

from rag.facts import extract_facts
from rag.records import Document
from rag.split import split_sentences


def facts_of(text: str, language: str):
    document = Document(
        id=hashlib.sha256(text.encode()).hexdigest(), name="t.txt", text=text, language=language,
        source_sha256="", size=len(text),
    )
    facts = extract_facts(document, split_sentences(document))
    for fact in facts:
        if fact.kind != "event":
            assert document.text[fact.start:fact.end] == fact.text, fact
    return facts


def of_kind(facts, kind):
    return [f for f in facts if f.kind == kind]


def roles(facts):
    return {(f.entity, f.text) for f in of_kind(facts, "role")}


def organisations(facts):
    """The organisation of each person's role."""
    return {f.entity: f.attrs["organisation"] for f in of_kind(facts, "role")}


# -- roles ------------------------------------------------------------------------------------------------------


def test_german_role_forms():
    facts = facts_of(
        "Am Montag unterschrieb Finanzvorstand Max Muster den Vertrag. Auch der Leiter der Rechtsabteilung, "
        "Dr. Erika Beispiel, war dabei. Nordwind-Chef Kim Ji-hoon lobte die Einigung.",
        "de",
    )
    found = roles(facts)
    assert ("Max Muster", "Finanzvorstand") in found
    assert ("Erika Beispiel", "Leiter der Rechtsabteilung") in found
    assert ("Kim Ji-hoon", "Nordwind-Chef") in found
    assert organisations(facts)["Kim Ji-hoon"] == "Nordwind"


def test_german_roles_with_a_field_and_listed_appositions():
    facts = facts_of("Empfangen wurde sie vom Minister für Entwicklung und Technologie, Marek Nowicki. Sie traf die "
                     "Ministerin für Bildung, Anna Kowal, und den Präsidenten der Handelskammer, Jan Wrona.", "de")
    found = roles(facts)
    assert ("Marek Nowicki", "Minister für Entwicklung und Technologie") in found
    assert ("Anna Kowal", "Ministerin für Bildung") in found
    assert ("Jan Wrona", "Präsidenten der Handelskammer") in found
    assert ("Anna Kowal", "Präsidenten der Handelskammer") not in found  # "und den ...": the next person's


def test_role_modifiers_possessives_and_more_role_nouns():
    facts = facts_of("Deputy Prime Minister Tran Van Minh met the company's outside counsel, Mia Stone. "
                     "\"We are ready,\" said Alan Reeve, the Lions' director of football.", "en")
    found = roles(facts)
    assert ("Tran Van Minh", "Deputy Prime Minister") in found
    assert "Prime" not in {f.text for f in of_kind(facts, "person")}
    assert ("Alan Reeve", "Lions' director of football") in found
    assert ("Mia Stone", "outside counsel") in found
    assert ("Jens Ahlers", "Oppositionsführer") in roles(facts_of("Oppositionsführer Jens Ahlers (SPD) widersprach.", "de"))


def test_a_second_role_given_by_the_same_verb():
    facts = facts_of("Die bisherige Fraktionschefin der Grünen, Eva Krüger, wird Finanzministerin und zugleich "
                     "stellvertretende Ministerpräsidentin. Tom Weber wird Innenminister und Jan Roth Justizminister.", "de")
    found = roles(facts)
    assert ("Eva Krüger", "Finanzministerin und zugleich stellvertretende Ministerpräsidentin") in found
    assert ("Tom Weber", "Innenminister") in found  # the next minister is another person's


def test_what_someone_leads_in_a_relative_clause_and_academic_roles():
    found = roles(facts_of("Auch anwesend war Felix Arnold, der die Windkraftsparte des Konzerns leitet.", "de"))
    assert ("Felix Arnold", "die Windkraftsparte des Konzerns leitet") in found
    found = roles(facts_of("Sam Reed, who heads the bank's Asian business, agreed. Dr Lucy Hart, a politics "
                           "lecturer at the University of Bramford, disagreed.", "en"))
    assert ("Sam Reed", "heads the bank's Asian business") in found
    assert ("Lucy Hart", "politics lecturer at the University of Bramford") in found
    assert not roles(facts_of("Tom Berg, der die Mannschaft lobte, blieb ruhig.", "de"))  # praising is no role


def test_role_fields_and_phrase_boundaries():
    facts = facts_of(
        "Signing were Justice Minister Laura Vance, Foreign Affairs Minister Tom Reed and Ana Silva, "
        "chief executive of the fishing co-operative Blue Harbour.",
        "en",
    )
    found = roles(facts)
    assert ("Laura Vance", "Justice Minister") in found
    assert ("Tom Reed", "Foreign Affairs Minister") in found
    assert ("Ana Silva", "chief executive of the fishing co-operative Blue Harbour") in found
    assert organisations(facts)["Tom Reed"] == ""  # a field, not an organisation
    assert organisations(facts)["Ana Silva"] == "Blue Harbour"
    german = roles(facts_of(
        "Den Grundstein legten Nordwerk-Chefin Eva Lind und der Kieler Bürgermeister Jan Sörensen. "
        "Ebenfalls anwesend waren Finanzvorstand Ole Berg.", "de"))
    assert ("Eva Lind", "Nordwerk-Chefin") in german
    assert ("Jan Sörensen", "Kieler Bürgermeister") in german
    assert ("Ole Berg", "Finanzvorstand") in german


def test_predecessor_and_successor_are_roles():
    facts = facts_of(
        "Der neue Trainer Jonas Feldkamp übernahm im Mai, nachdem sein Vorgänger Uwe Brandmeier entlassen worden war. "
        "Her successor Mary Olsen starts in June.",
        "de",
    )
    found = roles(facts)
    assert ("Uwe Brandmeier", "Vorgänger") in found
    assert ("Mary Olsen", "successor") in found


def test_organisation_named_by_nouns_before_its_legal_suffix():
    facts = facts_of("Die Stürmerin wechselt im Sommer zum schwedischen Klub Lund Hamn HK.", "de")
    assert "Lund Hamn HK" in {f.text for f in of_kind(facts, "organization")}


def test_english_role_forms():
    facts = facts_of(
        "Acme Robotics chief executive Jane Roe met Tom Baker, CEO of Lumen Systems, in Leeds. "
        "Health minister John Smith did not attend.",
        "en",
    )
    found = roles(facts)
    assert ("Jane Roe", "Acme Robotics chief executive") in found
    assert ("Tom Baker", "CEO of Lumen Systems") in found
    assert ("John Smith", "Health minister") in found


def test_apposition_introducing_the_next_name_is_not_the_previous_persons_role():
    facts = facts_of("Dabei waren Anna Berg, die Vorsitzende des Betriebsrats, Paul Stein, und weitere Gäste.", "de")
    found = roles(facts)
    assert ("Paul Stein", "Vorsitzende des Betriebsrats") in found
    assert not any(person == "Anna Berg" for person, _ in found)


def test_a_role_of_something_lower_case_before_a_comma_and_the_name():
    found = roles(facts_of("Also present was the chief executive of the city's chamber of commerce, Ade Bello. "
                           "Brixham's head of European deals, Kim Tae-yeon, will join the board.", "en"))
    assert ("Ade Bello", "chief executive of the city's chamber of commerce") in found
    assert ("Kim Tae-yeon", "head of European deals") in found


# -- names and aliases ------------------------------------------------------------------------------------------


def test_particles_titles_and_short_forms_are_one_person():
    facts = facts_of(
        "Verdi-Chef Jan van der Berg traf am Dienstag Dr. Lena Hoffmann. Van der Berg sagte danach, Hoffmann "
        "habe überzeugt.",
        "de",
    )
    people = {f.text: f.entity for f in of_kind(facts, "person")}
    assert people["Jan van der Berg"] == "Jan van der Berg"
    assert people["Van der Berg"] == "Jan van der Berg"
    assert people["Hoffmann"] == "Lena Hoffmann"


def test_organisations_with_legal_suffixes_and_places():
    facts = facts_of("Die Nordwerk Chemie AG mit Sitz in Krefeld kauft die Lumen GmbH.", "de")
    assert {"Nordwerk Chemie AG", "Lumen GmbH"} <= {f.text for f in of_kind(facts, "organization")}
    assert "Krefeld" in {f.text for f in of_kind(facts, "place")}


def test_german_institutions_named_by_kind_and_place_are_one_organisation():
    facts = facts_of("Die Forscherin wechselt von der Universität Leipzig an die Technische Universität Ulm. "
                     "Die Landesdirektion Sachsen erteilte die Genehmigung.", "de")
    organisations = {f.text for f in of_kind(facts, "organization")}
    assert {"Universität Leipzig", "Technische Universität Ulm", "Landesdirektion Sachsen"} <= organisations
    assert not {"Leipzig", "Ulm"} & organisations


def test_capitalised_nouns_after_a_kind_of_organisation_are_its_name():
    facts = facts_of("Stahlwerk Nord kauft 80 Prozent des tschechischen Zulieferers Pelikan Kompozity. "
                     "Zudem übernimmt der Konzern den Maschinenbauer Adler Technik aus Gera.", "de")
    organisations = {f.text for f in of_kind(facts, "organization")}
    assert {"Pelikan Kompozity", "Adler Technik"} <= organisations
    assert not {f.text for f in of_kind(facts, "person")} & organisations


def test_what_one_holds_a_stake_in_is_an_organisation_not_a_place():
    facts = facts_of("Larkspur will buy a 19.9 percent stake in Lumiq Photonics and open an office in Eindhoven.", "en")
    assert "Lumiq Photonics" in {f.text for f in of_kind(facts, "organization")}
    assert "Eindhoven" in {f.text for f in of_kind(facts, "place")}


# -- dates, durations, amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Am 10. Juni unterzeichneten beide den Vertrag.", "de", "Am 10. Juni"),
        ("Die Reise fand Anfang Juni statt.", "de", "Anfang Juni"),
        ("Die Messe dauert vom 3. bis 6. März.", "de", "vom 3. bis 6. März"),
        ("The summit opened on 12 May in Rome.", "en", "on 12 May"),
        ("The first shipment will arrive by June 10th.", "en", "June 10th"),
        ("Talks began last Tuesday.", "en", "last Tuesday"),
    ],
)
def test_dates(text, language, expected):
    assert any(expected in f.text for f in of_kind(facts_of(text, language), "date"))


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Er beendete seine zweiwöchige Reise.", "de", "zweiwöchige"),
        ("Die Verhandlungen dauerten neun Tage.", "de", "neun Tage"),
        ("The team held a two-week camp.", "en", "two-week"),
        ("Das Match dauerte 2 Stunden und 41 Minuten.", "de", "2 Stunden und 41 Minuten"),  # one duration
        ("Sie siegte in einer Gesamtzeit von 2:04,37 Minuten.", "de", "2:04,37 Minuten"),  # a race time
        ("The relay finished in 1:21:07,5 hours.", "en", "1:21:07,5 hours"),
    ],
)
def test_durations(text, language, expected):
    assert expected in [f.text for f in of_kind(facts_of(text, language), "duration")]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Der Konzern zahlt 1,7 Milliarden Euro.", "de", "1,7 Milliarden Euro"),
        ("Das Werk produziert 250.000 Tonnen im Jahr.", "de", "250.000 Tonnen"),
        ("The club paid $12 million for him.", "en", "$12 million"),
        ("The plant will employ 300 employees.", "en", "300 employees"),
        ("Sales rose 3.5 percent.", "en", "3.5 percent"),
        ("Creditors can expect nine per cent of their claims.", "en", "nine per cent"),
        ("Die Gläubiger erhalten neun Prozent ihrer Forderungen.", "de", "neun Prozent"),
        ("About three hundred workers lost their jobs.", "en", "three hundred workers"),
        ("Zwei Millionen Menschen flohen vor dem Hochwasser.", "de", "Zwei Millionen Menschen"),
        ("Residents oppose plans for a 900-home development.", "en", "900-home"),  # a number joined to its noun
        ("In front of a crowd of 21,460, the hosts batted first.", "en", "21,460"),  # its noun said before it
        ("The bidder offers 412p a share.", "en", "412p"),  # pence
    ],
)
def test_amounts(text, language, expected):
    assert expected in [f.text for f in of_kind(facts_of(text, language), "amount")]


def test_a_date_is_not_an_amount_and_a_score_is_a_score():
    facts = facts_of("Am 10. Juni gewann Rot-Weiß das Finale mit 3:2 vor 48.210 Zuschauern.", "de")
    assert "10. Juni" not in " ".join(f.text for f in of_kind(facts, "amount"))
    assert [f.text for f in of_kind(facts, "score")] == ["3:2"]


# -- events -----------------------------------------------------------------------------------------------------


def test_german_event_with_participants_in_a_later_sentence():
    facts = facts_of(
        "Am 12. Juni traf Nordwerk-Chefin Anna Berg den Minister Paul Stein in Hamburg. "
        "An dem Treffen nahmen auch Finanzvorstand Max Muster und Dr. Lena Hoffmann teil. "
        "Berg lobte das Gespräch.",
        "de",
    )
    events = of_kind(facts, "event")
    meeting = next(e for e in events if e.attrs["kind"] == "meeting")
    assert meeting.attrs["date"] == "Am 12. Juni"
    assert meeting.attrs["place"] == "Hamburg"
    assert {"Anna Berg", "Max Muster", "Lena Hoffmann"} <= set(meeting.attrs["participants"])
    assert meeting.attrs["sentences"][:2] == [0, 1]


def test_english_event_with_attendees_and_a_pronoun_reference():
    facts = facts_of(
        "The signing ceremony took place on Thursday at Lisbon City Hall. Mayor Ana Duarte and chief executive "
        "Tom Baker signed the documents. Also present were Jane Roe and Kim Ji-hoon.",
        "en",
    )
    signing = next(e for e in of_kind(facts, "event") if e.attrs["kind"] in ("signing", "ceremony"))
    assert {"Ana Duarte", "Tom Baker", "Jane Roe", "Kim Ji-hoon"} <= set(signing.attrs["participants"])
    assert signing.attrs["date"] == "on Thursday"


def test_surname_and_pronoun_sentences_belong_to_the_person():
    facts = facts_of(
        "Chief executive Laura Brennan opened the plant. Brennan said it would create 300 jobs. "
        "She was joined by Tom Akers.",
        "en",
    )
    people = {f.text: f.entity for f in of_kind(facts, "person")}
    assert people["Brennan"] == "Laura Brennan"
    opening = next(e for e in of_kind(facts, "event") if "Tom Akers" in e.attrs["participants"])
    assert "Laura Brennan" in opening.attrs["participants"]


def test_facts_from_the_splitters_tokens_are_the_facts_from_a_second_tokenisation():
    """The build hands the fact layer the tokens SoMaJo found while splitting (no second pass); the facts of
    every article, and of tricky boundaries (abbreviations, dates, quotes, a cut overlong sentence), must be
    those of tokenising each sentence on its own."""
    from helpers import ARTICLE, ARTICLES

    from rag.ingest import read_document
    from rag.split import MAX_SENTENCE_CHARS, split_with_tokens

    documents = [read_document(path, path.name) for path in [ARTICLE, *ARTICLES]]
    tricky = {
        "en": "He moved to the U.S. Then he left. Acme Inc. said so at 5 p.m. \"Quoted.\" Mr. Smith arrived. "
              "Scores: 2-1. It cost $5.5bn. Prof. Dr. Ann Lee spoke in St. Louis. " + "word " * MAX_SENTENCE_CHARS,
        "de": "Er kam am 3. Okt. an. Das war z. B. gut. Die Firma GmbH & Co. KG zahlte 5 Mio. Euro. Sie sagte: "
              "„Gut.“ Nr. 5 war da. Der 1. FC Köln gewann 2:1. Am 1.1.2020 war Neujahr.",
    }
    for language, text in tricky.items():
        documents.append(Document(id=language, name=f"{language}.txt", text=text, language=language,
                                  source_sha256="", size=len(text)))
    for document in documents:
        sentences, spans = split_with_tokens(document)
        assert extract_facts(document, sentences, spans) == extract_facts(document, sentences), document.name
    assert None in split_with_tokens(documents[-2])[1]  # the cut sentence is tokenised on its own


def test_patterns_skipped_without_a_digit_need_one():
    """rag.facts.patterns runs the patterns that need a digit only on sentences with one: the syntax check must
    say no where a match can do without one (number words), and yes where it cannot."""
    from rag.facts import patterns
    from rag.facts.patterns import needs_digit

    assert needs_digit(r"(?:a|\d)x|[0-5]{2}") is False  # the check can say no
    assert needs_digit(r"(?:\d|[0-9])+x") is True
    assert needs_digit(r"\b(?:zwei|two)\s+Tore") is False
    assert patterns.DIGIT_AMOUNTS and patterns.DIGIT_DATES  # the money and calendar patterns are skipped
    for text, expected in (("Er erzielte neun Tore.", "neun Tore"), ("Creditors get nine per cent.", "nine per cent"),
                           ("Zwölf Millionen Euro fehlen.", "Zwölf Millionen Euro")):
        found = [text[a:b] for a, b in patterns.find_amounts(text)]
        assert expected in found, (text, found)


def test_sentence_tags_are_hantas_own():
    """rag.facts.hanta_fast walks only each word's candidate tags in HanTa's Viterbi pass: the tags of every
    sentence of the test articles (as tokenised, and as split at spaces) must be HanTa's."""
    from helpers import ARTICLE, ARTICLES

    from rag.facts.tokens import _hanta, _raw_tokens, _sentence_tagger
    from rag.ingest import read_document
    from rag.split import split_with_tokens

    sentences = [["Der"], ["Xqzvbl", "Brmpf", "sagte", "."], ["„", "Gut", "“", ",", "sagte", "er", "."]]
    for path in [ARTICLE, *ARTICLES]:
        document = read_document(path, path.name)
        split, spans = split_with_tokens(document)
        sentences += [[word for word, _, _ in _raw_tokens(document, s, found)] for s, found in zip(split, spans)]
        sentences += [s.text.split() for s in split]
    assert _sentence_tagger()._order is not None  # the fast path is the one under test
    assert [_sentence_tagger().tag_sent(words) for words in sentences] == [
        _hanta().tag_sent(words, taglevel=0) for words in sentences
    ]


# -- goals ------------------------------------------------------------------------------------------------------


def goals(facts):
    return [(f.entity, f.attrs["minute_value"], f.attrs["score"], f.attrs["equaliser"]) for f in of_kind(facts, "goal")]


def test_goals_of_a_german_match_report():
    facts = facts_of(
        "Der FC Nordhafen gewann am Samstag mit 2:1 (1:1) gegen Eintracht Westerberg. In der 9. Minute traf "
        "Stürmer Paul Brenner nach einer Flanke von Jonas Keil zum 1:0. Westerbergs Kapitän Ole Sander glich kurz "
        "vor der Pause per Elfmeter aus (44.). Verteidiger Tom Riedel sah in der 70. Minute die Rote Karte. "
        "Den Siegtreffer erzielte Brenner in der 88. Minute zum 2:1.",
        "de",
    )
    assert goals(facts) == [
        ("Paul Brenner", 9, "1:0", False),  # not Keil, who gave the cross
        ("Ole Sander", 44, "", True),
        ("Paul Brenner", 88, "2:1", False),  # the red card is no goal
    ]


def test_goals_of_an_english_match_report():
    facts = facts_of(
        "Midfielder Sam Ortega opened the scoring in the 12th minute with a shot past goalkeeper Ian Doyle. "
        "Winger Leo Grant headed in a cross from Ortega in the 60th minute, and in the 77th minute Grant "
        "set up Ortega to score his second.",
        "en",
    )
    assert [(scorer, minute) for scorer, minute, _, _ in goals(facts)] == [
        ("Sam Ortega", 12), ("Leo Grant", 60), ("Sam Ortega", 77)]


def test_several_scorers_of_one_plural_verb():
    facts = facts_of("Vor 41.200 Zuschauern trafen Kapitän Lukas Brenner (23. Minute), Neuzugang Emre Aydın (58.) und "
                     "der eingewechselte Jonas Feldmann (86.) für die Gastgeber.", "de")
    assert [(scorer, minute) for scorer, minute, _, _ in goals(facts)] == [
        ("Lukas Brenner", 23), ("Emre Aydın", 58), ("Jonas Feldmann", 86)]


def test_the_lead_result_is_no_goal_and_the_passer_no_scorer():
    facts = facts_of(
        "Tom Okafor scored twice as Ashbourne Rovers came from behind to beat Kingsford City 3-1 on Saturday. "
        "Okafor equalised in the 53rd minute, heading in Ben Ashdown's cross, and put Rovers ahead in the 67th "
        "minute with a low drive.",
        "en",
    )
    assert [(scorer, minute) for scorer, minute, _, _ in goals(facts)] == [("Tom Okafor", 53), ("Tom Okafor", 67)]


def test_a_score_ends_a_sentence_and_a_clock_time_is_none():
    facts = facts_of("In der Serie steht es damit 2:2. Um 10:30 begann das Training.", "de")
    assert [f.text for f in facts if f.kind == "score"] == ["2:2"]


def test_amount_ranges_are_one_amount():
    english = facts_of("The company expects revenue of between $3.2 billion and $3.35 billion and growth of 12 to 14 "
                       "percent.", "en")
    assert {"$3.2 billion and $3.35 billion", "12 to 14 percent"} <= {f.text for f in of_kind(english, "amount")}
    german = facts_of("Der Umsatz soll zwischen 3,2 und 3,35 Milliarden Euro liegen.", "de")
    assert "3,2 und 3,35 Milliarden Euro" in {f.text for f in of_kind(german, "amount")}


def test_goals_with_a_game_clock():
    facts = facts_of(
        "Die Adler gewannen mit 3:2 (1:0, 1:2, 1:0). Stürmer Lars Brink traf zum 1:0 (7:12). Im Mitteldrittel glich "
        "Kapitän Max Ohl aus (22:40), Tim Kranz traf zum 1:2 (31:05). Doch nur 30 Sekunden später antwortete "
        "Verteidiger Ole Hahn mit dem 2:2 (31:35).",
        "de",
    )
    assert goals(facts) == [
        ("Lars Brink", 8, "1:0", False),
        ("Max Ohl", 23, "", True),
        ("Tim Kranz", 32, "1:2", False),
        ("Ole Hahn", 32, "2:2", False),
    ]


def test_party_in_brackets_after_a_name():
    facts = facts_of("Der Innenminister Karl Weber (Liberale Mitte) trat zurück. Max Muster (45) kam auch.", "de")
    assert organisations(facts).get("Karl Weber") == "Liberale Mitte"
    assert ("Max Muster", "45") not in roles(facts)


def test_a_common_given_name_makes_a_person_without_other_cues():
    facts = facts_of("Ellis will become chairman, replacing Paul Grant, who retires. Grant thanked Paul Walker.", "en")
    people = {f.text for f in of_kind(facts, "person")}
    assert {"Paul Grant", "Paul Walker"} <= people  # one given name, two people
    assert "Der Anna Verlag" not in {f.text for f in of_kind(facts_of("Der Anna Verlag wächst.", "de"), "person")}


def test_a_surname_that_is_also_a_word_after_a_listed_given_name():
    facts = facts_of("Mit dabei waren Staatssekretär Florian Messerschmidt sowie Matthias Oberholzer, Technikvorstand "
                     "des Konzerns Veltrona.", "de")
    assert "Matthias Oberholzer" in {f.text for f in of_kind(facts, "person")}


def test_candidates_are_roles():
    found = roles(facts_of("Auf Platz drei landete der SPD-Kandidat Tobias Lenz. The Labour candidate Amy Ross won.", "de"))
    assert ("Tobias Lenz", "SPD-Kandidat") in found
