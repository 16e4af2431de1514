"""Contradictions: different speakers, one topic, opposite polarity; not everything paired."""

from __future__ import annotations

from tests.analysis.conftest import claim_with


def ids(result, *fragments):
    return [claim_with(result, f)["id"] for f in fragments]


def test_a_denial_of_the_same_event_is_paired(analyse):
    text = ("Governor Alan Pierce said the northern villages were completely surrounded by floodwater.\n"
            "The regional water board denied that any village had been encircled.\n")
    result = analyse(text)
    pair = ids(result, "completely surrounded", "denied that any village")
    assert [c["claims"] for c in result["contradictions"]] == [pair]
    assert result["contradictions"][0]["note"]


def test_claims_of_the_same_speaker_are_not_paired(analyse):
    text = ("Governor Alan Pierce said the villages were surrounded by water.\n"
            "Pierce later denied that the villages had been encircled.\n")
    assert analyse(text)["contradictions"] == []


def test_unrelated_denial_is_not_paired(analyse):
    text = ("Coach Daniel Price said the team would win the cup.\n"
            "The city council denied that the stadium roof was unsafe.\n")
    assert analyse(text)["contradictions"] == []


def test_without_negation_nothing_is_paired(analyse):
    text = ("Analyst Mia Stone said exports rose in May.\n"
            "Economist Jonas Berg said exports increased sharply in May.\n")
    assert analyse(text)["contradictions"] == []


def test_explicit_denial_of_an_earlier_claim_sharing_its_words(analyse):
    text = ("Union leader Tom Fischer said the company made record profits last year.\n"
            "The company denied that profits had reached record levels.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "made record profits", "denied that profits")]


def test_opposite_states_without_a_negation_are_paired(analyse):
    text = ("Treasury official Anna Berg said the pension fund was sound and the reserves were growing.\n"
            "Economist Paul Grant said the pension fund was unsustainable and its reserves were shrinking.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "was sound", "unsustainable")]


def test_a_negation_about_another_subject_is_not_paired(analyse):
    text = ("Governor Alan Pierce said the northern villages were completely surrounded by floodwater.\n"
            "The regional water board said the new reservoir had not been surrounded by fences.\n")
    assert analyse(text)["contradictions"] == []


def test_claims_carry_what_they_are_about_for_other_articles(analyse):
    result = analyse("The regional water board denied that Tarvel had been encircled.\n")
    topic = claim_with(result, "Tarvel")["topic"]
    assert "e:tarvel" in topic["subjects"] and topic["negated"]
    assert "syn:e0" in topic["predicates"]  # encircled ~ surrounded ~ encirclement
    assert not any("board" in s for s in topic["subjects"])  # the speaker is who, not what


def test_incompatible_numbers_for_one_quantity_are_paired(analyse):
    text = ("Police chief Ana Ruiz said two people died in the fire.\n"
            "The health ministry said ten people died in the fire.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "two people died", "ten people died")]


def test_compatible_or_unrelated_numbers_are_not_paired(analyse):
    text = ("Agency head Jane Moll said at least 50% of the oil was gone.\n"
            "Professor Carl Hopp said 75% of the oil was gone.\n"
            "Mayor Ivo Lind said 300 houses were flooded.\n"
            "Governor Rita Sand said 40 roads were flooded.\n")
    assert analyse(text)["contradictions"] == []


def test_a_negation_pairs_only_with_a_claim_about_what_it_negates(analyse):
    # "did not give a price" negates the giving, not the need both claims mention
    text = ("Senator Ada Lowe said Ukraine urgently needed the new aid package.\n"
            "Senator Bert Marsh said the envoy did not give a price for the aid package Ukraine needed.\n")
    assert analyse(text)["contradictions"] == []
    text = ("Senator Ada Lowe said Ukraine urgently needed the new aid package.\n"
            "Senator Bert Marsh said Ukraine had not needed the new aid package.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "urgently needed", "had not needed")]


def test_a_negated_belief_negates_what_is_believed(analyse):
    # "don't think X is justified" says X is not justified
    text = ("Budget director Tom Hale said the emergency spending was justified.\n"
            "Professor Lena Ruiz does not think the emergency spending was justified.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "Hale said", "does not think")]


def test_denying_the_opposite_state_is_agreement_not_contradiction(analyse):
    text = ("Agency head Jane Moll said the spilled oil was now gone from the gulf.\n"
            "Professor Carl Hopp said the spilled oil remains in the gulf and will take years to degrade.\n"
            "Biologist Sara Joy said no one could say the spilled oil was gone from the gulf.\n")
    result = analyse(text)
    pairs = [c["claims"] for c in result["contradictions"]]
    gone, still, no_one = ids(result, "now gone", "remains in", "no one could")
    assert [gone, still] in pairs and [gone, no_one] in pairs
    assert [still, no_one] not in pairs  # "not gone" and "still there" say the same


def test_opposite_words_that_only_describe_other_nouns_are_not_paired(analyse):
    text = ("The hurricane center said strong winds over the central coast would slow the tropical storm.\n"
            "The weather service said a weak front over the central coast would push the tropical storm north.\n")
    assert analyse(text)["contradictions"] == []


def test_a_negation_answers_a_position_stated_in_a_side_clause(analyse):
    # the other claim states the position in a relative clause ("which Iran says it needs"):
    # the negated word, its subject and another content word all recur
    text = ("Sanctions have slowed the reactor project, a uranium enrichment program which Iran says it needs for fuel.\n"
            "Spokesman Robert Lane said Iran does not need its own uranium enrichment program.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "Iran says it needs", "does not need")]


def test_a_negation_sharing_only_its_word_is_not_an_answer(analyse):
    # the same verb about another subject and thing: no pair
    text = ("Sanctions have slowed the reactor project, a uranium enrichment program which Iran says it needs for fuel.\n"
            "Farmer Lena Holt said her village does not need a new road.\n")
    assert analyse(text)["contradictions"] == []


def test_a_negated_copula_negates_its_complement(analyse):
    # "is not right" negates rightness, not the data sharing both claims mention
    text = ("Company spokesman Tom Reed said location data could be shared with advertisers.\n"
            "Senator Ron Wyatt said it is not right that location data is shared with advertisers.\n")
    assert analyse(text)["contradictions"] == []
    text = ("Company spokesman Tom Reed said location data was shared with advertisers.\n"
            "Senator Ron Wyatt said location data was not shared with advertisers.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "data was shared", "was not shared")]


def test_opposite_words_said_of_one_subject_are_paired_without_other_shared_words(analyse):
    text = ("Senator Ann Reyes said Republicans will protect the pension program.\n"
            "Union leader Tom Fisk said Republicans plan to cut it.\n")
    result = analyse(text)
    assert [c["claims"] for c in result["contradictions"]] == [ids(result, "will protect", "plan to cut")]


def test_opposite_words_said_of_different_subjects_are_not_paired(analyse):
    text = ("Senator Ann Reyes said Democrats will protect the pension program.\n"
            "Union leader Tom Fisk said Republicans plan to cut it.\n")
    assert analyse(text)["contradictions"] == []


def test_a_claim_answered_with_the_opposite_state_by_three_speakers_keeps_three_pairs(analyse):
    text = ("Agency head Jane Moll said the spilled oil was now gone from the gulf.\n"
            "Professor Carl Hopp said the spilled oil remains in the gulf.\n"
            "Biologist Sara Joy said much of the spilled oil remains in the gulf.\n"
            "Chemist Omar Diaz said the spilled oil was still present in the gulf.\n")
    result = analyse(text)
    gone = claim_with(result, "now gone")["id"]
    partners = {i for pair in result["contradictions"] if gone in pair["claims"] for i in pair["claims"]} - {gone}
    assert partners == set(ids(result, "Hopp", "Joy", "Diaz"))
