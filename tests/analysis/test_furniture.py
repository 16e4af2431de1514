"""Page furniture is not a claim: captions with their credit, promo lines, notes to readers,
verbless headings. The prose around them stays."""

from __future__ import annotations

from tests.analysis.conftest import claim_with


def texts(result: dict) -> list[str]:
    return [c["text"] for c in result["claims"]]


def test_a_caption_ending_with_its_credit_is_not_a_claim(analyse):
    result = analyse(
        "Farmers blocked the main road into the capital on Monday, the police said.\n\n"
        "Tractors line the road near the city gate. (Photo sent to our team by a farmer)\n\n"
        "The protest is expected to continue until the ministry responds.\n")
    assert not any("Tractors line the road" in t for t in texts(result))
    claim_with(result, "Farmers blocked the main road")
    claim_with(result, "protest is expected to continue")


def test_a_long_paragraph_ending_with_a_picture_link_stays_prose(analyse):
    result = analyse(
        "The spill left a slick that covered hundreds of miles of coast. Cleanup crews worked for months "
        "to remove the oil from the beaches and marshes, and fishermen stayed home for the whole season "
        "while the waters were closed to boats. (See pictures of the spill.)\n")
    claim_with(result, "Cleanup crews worked for months")


def test_one_sentence_pointing_at_this_map_is_a_caption(analyse):
    result = analyse(
        "The town of Orvila sits on the border with Lentra.\n\n"
        "Orvila, a town in the north, is marked with a red dot on this map.\n")
    assert not any("red dot" in t for t in texts(result))


def test_a_promo_line_in_capitals_is_not_a_claim(analyse):
    result = analyse(
        "The college closed its doors in 2015, leaving thousands of students with debt.\n\n"
        "GRADUATE PAYS OFF HER LOANS BY SELLING USED BOOKS ONLINE\n\n"
        "The department said the relief would reach students this year.\n")
    assert not any("USED BOOKS" in t for t in texts(result))
    claim_with(result, "relief would reach students")


def test_a_verbless_heading_is_not_a_claim_but_a_headline_with_a_verb_may_be(analyse):
    result = analyse(
        "Storm threatens the coast\n\n"
        "Forecasters said the storm would reach the coast by Friday.\n\n"
        "Other areas to watch\n\n"
        "A second system is forming far out in the Atlantic.\n")
    assert not any(t.startswith("Other areas to watch") for t in texts(result))
    claim_with(result, "second system is forming")


def test_notes_to_readers_and_parenthesised_bylines_are_not_claims(analyse):
    result = analyse(
        "This is a developing story and will be updated.\n\n"
        "The ministry said the rules would take effect next year.\n\n"
        "(By Alison Grant)\n")
    assert texts(result) == ["The ministry said the rules would take effect next year."]
