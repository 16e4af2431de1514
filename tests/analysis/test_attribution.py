"""Who speaks: reporting verbs, inversion, 'according to', passives, appositions, documents."""

from __future__ import annotations

from tests.analysis.conftest import claim_with, speaker_of


def test_subject_of_reporting_verb_is_the_speaker(analyse):
    result = analyse("Health Minister Anna Kowalska said the hospital would reopen in May.\n")
    assert speaker_of(result, "hospital would reopen") == "Anna Kowalska"


def test_inverted_said_after_a_quote_names_the_speaker(analyse):
    result = analyse('"We are ready to talk," said Pedro Alvarez, the union\'s negotiator.\n')
    assert speaker_of(result, "ready to talk") == "Pedro Alvarez"


def test_according_to_names_the_speaker(analyse):
    result = analyse("Inflation rose to 4 percent in March, according to economist Laura Chen.\n")
    assert speaker_of(result, "Inflation rose") == "Laura Chen"


def test_passive_agent_of_a_reporting_verb_is_the_speaker(analyse):
    result = analyse("The closure of the plant was announced by the Labour Ministry on Friday.\n")
    assert speaker_of(result, "closure of the plant") == "the Labour Ministry"


def test_quoted_as_saying_keeps_the_person_and_makes_the_agency_the_channel(analyse):
    result = analyse("Foreign Minister Sergei Lavrov was quoted by RIA Novosti as saying the talks had failed.\n")
    claim = claim_with(result, "talks had failed")
    assert claim["speaker"]["text"] == "Sergei Lavrov"
    assert claim["channel"]["text"] == "RIA Novosti"


def test_name_in_an_apposition_after_a_title_phrase_is_the_speaker(analyse):
    result = analyse("The chief executive of Northwind Shipping, Karen Holt, said profits had doubled.\n")
    assert speaker_of(result, "profits had doubled") == "Karen Holt"


def test_a_document_is_not_a_speaker(analyse):
    result = analyse("The report said emissions fell by a third last year.\n")
    assert speaker_of(result, "emissions fell") is None


def test_the_author_of_a_document_speaks_through_it(analyse):
    result = analyse("Most voters oppose the plan, a poll by the Civic Research Institute found.\n")
    assert speaker_of(result, "Most voters oppose") == "the Civic Research Institute"


def test_participle_saying_takes_the_subject_of_its_clause(analyse):
    result = analyse("The mayor's office hit back on Tuesday, saying the figures were out of date.\n")
    assert speaker_of(result, "figures were out of date") == "The mayor's office"


def test_negated_say_reports_nothing(analyse):
    result = analyse("Police did not say how many people were arrested.\n")
    assert speaker_of(result, "did not say") is None


def test_narration_without_a_reporting_verb_has_no_speaker(analyse):
    result = analyse("The bridge opened in 1932 and carries 40,000 cars a day.\n")
    assert speaker_of(result, "The bridge opened") is None


def test_the_most_specific_name_is_used_for_a_surname(analyse):
    text = ("Senator Maria Lopez introduced the bill in January.\n"
            "Lopez said the bill would protect renters.\n")
    assert speaker_of(analyse(text), "protect renters") == "Maria Lopez"


def test_the_company_points_back_to_the_last_company_named(analyse):
    text = ("Orbital Freight Inc. reported a loss on Monday.\n"
            "The company said demand had fallen in Asia.\n")
    assert speaker_of(analyse(text), "demand had fallen") == "Orbital Freight Inc."


def test_unnamed_officials_are_the_speaker_with_an_unnamed_source_cue(analyse):
    result = analyse("Two officials, speaking on condition of anonymity, said the deal was close.\n")
    claim = claim_with(result, "deal was close")
    assert claim["speaker"]["text"] == "Two officials"
    kinds = {cue["kind"] for cue in claim["cues"]}
    assert {"unnamed_source", "anonymous_info"} <= kinds


def test_a_colon_introduction_gives_its_speaker_to_the_quoted_list(analyse):
    text = ("A campaign spokesman sent reporters a memo with three points:\n"
            '\u2022 "Turnout among young voters is up sharply.\n'
            "\u2022 The other side has no plan for housing.\"\n")
    result = analyse(text)
    assert speaker_of(result, "Turnout among young voters") == "A campaign spokesman"


def test_the_statement_speaks_for_whoever_issued_it(analyse):
    text = ("The Interior Ministry issued a statement on Monday about the riots.\n"
            '"Order has been restored in all districts," the statement said.\n')
    claim = claim_with(analyse(text), "Order has been restored")
    assert claim["speaker"]["text"] == "The Interior Ministry"
    assert claim["channel"]["text"] == "the statement"


def test_a_dateline_is_not_the_speaker(analyse):
    text = "LIMA, Peru (AP) \u2014 Election officials said Sunday that turnout reached 81 percent.\n"
    claim = claim_with(analyse(text), "turnout reached")
    assert claim["speaker"]["text"] == "Election officials"
    assert claim["channel"] is None


def test_first_person_testimony_after_an_introduction_is_the_witness(analyse):
    result = analyse(
        "Tomas Perel Abena takes part in the protests. Abena left his village in May. "
        "He explained why he had decided to protest:\n\n"
        "Two days after I arrived, I was put in detention for entering the country illegally.\n\n"
        "Farmers march in the square. (Video sent to our team by one of the protesters)\n\n"
        "In the end, they told me to go to the refugee office to claim asylum.\n\n"
        "The situation of the migrants is the result of a change in policy.\n")
    assert speaker_of(result, "Two days after I arrived") == "Tomas Perel Abena"
    assert speaker_of(result, "they told me to go") == "Tomas Perel Abena"
    assert speaker_of(result, "result of a change in policy") is None


def test_first_person_paragraph_after_our_team_spoke_to_someone_is_theirs(analyse):
    result = analyse(
        "Our team spoke to Ilvane (not her real name), a woman who arrived in July.\n\n"
        "Currently, my family and I are sleeping in the street in tents.\n")
    assert speaker_of(result, "my family and I") == "Ilvane"


def test_first_person_narration_without_an_introduction_has_no_speaker(analyse):
    result = analyse(
        "Forecasters are watching a storm in the Gulf.\n\n"
        "We expect the storm to strengthen before it reaches the coast on Friday.\n")
    assert speaker_of(result, "We expect the storm") is None


def test_a_quote_in_the_next_paragraph_without_a_verb_continues_the_speaker(analyse):
    result = analyse(
        '"The judges are against me," former President Arlen Brody said on Monday.\n\n'
        '"This is a very unfair trial."\n')
    assert speaker_of(result, "very unfair trial") == "Arlen Brody"


def test_according_to_the_report_the_author_speaks_and_the_report_is_the_channel(analyse):
    result = analyse(
        "The Hartwell Institute published its annual survey of rural schools on Monday.\n\n"
        "According to the report, one in five rural schools has no science teacher.\n")
    claim = claim_with(result, "one in five rural schools")
    assert claim["speaker"] is not None and claim["speaker"]["text"] == "The Hartwell Institute"
    assert claim["channel"] is not None and claim["channel"]["text"] == "the report"


def test_he_says_inside_the_sentence_names_the_speaker(analyse):
    result = analyse(
        "Marek Olsen runs the only bakery in the village.\n\n"
        "The flour, he says, costs twice what it did last year.\n")
    assert speaker_of(result, "costs twice what it did") == "Marek Olsen"


def test_a_date_phrase_is_never_the_speaker(analyse):
    result = analyse("Last week, the mayor's office said the bridge would stay closed until spring.\n")
    assert speaker_of(result, "bridge would stay closed") == "the mayor's office"


def test_they_argue_after_a_generic_subject_keeps_the_subject(analyse):
    result = analyse("Governments should pay for the new dams, they argue, because the rivers belong to everyone.\n")
    speaker = speaker_of(result, "pay for the new dams")
    assert speaker is None or "Governments" not in speaker


def test_narration_about_things_has_no_speaker(analyse):
    result = analyse(
        "The smoke from the fires showed that the wind had turned overnight.\n\n"
        "An app may tell users that sharing their location will help them, but not mention the sale.\n\n"
        "The situation that the migrants find themselves in is the result of a new policy.\n\n"
        "These changes can be explained by pressure from the government.\n")
    assert speaker_of(result, "the wind had turned") is None
    assert speaker_of(result, "sharing their location") is None
    assert speaker_of(result, "find themselves in") is None
    assert speaker_of(result, "explained by pressure") is None


def test_an_administration_named_after_a_person_is_the_body(analyse):
    result = analyse("The Hallin administration said the loans would be forgiven.\n")
    assert speaker_of(result, "loans would be forgiven") == "The Hallin administration"


def test_the_main_clause_speaker_wins_over_a_verb_inside_what_they_found(analyse):
    result = analyse(
        "Stellar College enrolled thousands of students.\n\n"
        "Federal officials also found that the college told students their credits would transfer.\n")
    assert speaker_of(result, "credits would transfer") == "Federal officials"


def test_according_to_a_report_names_nobody(analyse):
    result = analyse(
        "The Hartwell Institute opened a new office on Monday.\n\n"
        "According to a report, one in five rural schools has no science teacher.\n")
    assert speaker_of(result, "one in five rural schools") is None


def test_an_indefinite_person_is_a_speaker(analyse):
    result = analyse("\u201cIt is corruption plain and simple,\u201d said an asylum-seeker named Beatriz, "
                     "who asked that her last name not be used.\n")
    assert speaker_of(result, "corruption plain and simple") in ("an asylum-seeker named Beatriz", "Beatriz")
