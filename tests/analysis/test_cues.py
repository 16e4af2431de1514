"""Cues: each kind on a sentence made to show it, with spans that are document slices."""

from __future__ import annotations

import pytest

from tests.analysis.conftest import claim_with, cue_kinds

CASES = [
    ("The minister reportedly met the rebels and may resign.", "hedge"),
    ("Thousands of people joined the march, and more than 20 were arrested.", "vague_quantity"),
    ("The spokesman denied the report and called it false.", "denial"),
    ("Officials said the bridge would reopen.", "unnamed_source"),
    ("One official, who spoke on condition of anonymity, said the talks had stalled.", "anonymous_info"),
    ("The council will vote next week on the plan.", "prediction"),
    ("It was an absolutely unprecedented success, the coach said.", "booster"),
    ("THE VOTE WAS RIGGED AND EVERYONE KNOWS IT, the candidate wrote.", "booster"),
    ("The mayor called the protest a \u2018riot\u2019 on Monday.", "scare_quote"),
    ("\"The water is safe to drink,\" said engineer Paul Weber.", "direct_quote"),
    ("The Interior Ministry said 12 protesters were detained.", "state_source"),
    ("In a post on Telegram, the governor wrote that the shelling had stopped.", "self_published"),
    ("Carmaker Voltra Motors said its new battery was the safest on the market.", "interested_party"),
]


@pytest.mark.parametrize("text,kind", CASES, ids=[kind for _, kind in CASES])
def test_cue_kind_is_found(analyse, text, kind):
    result = analyse(text + "\n")
    assert kind in cue_kinds(result, text[:20])


def test_state_media_as_channel_is_a_state_source(analyse):
    result = analyse("Xinhua reported that 40 people had been rescued.\n")
    assert "state_source" in cue_kinds(result, "rescued")


def test_plain_narration_has_no_cues(analyse):
    result = analyse("The museum opened in 1921 on the north bank of the river.\n")
    assert cue_kinds(result, "museum opened") == set()


def test_every_cue_span_is_its_text_in_the_document(analyse):
    text = "\n".join(t for t, _ in CASES) + "\n"
    result = analyse(text)
    for claim in result["claims"]:
        for cue in claim["cues"]:
            assert text[cue["start"]:cue["end"]] == cue["text"]
            assert cue["kind"]


def test_notes_explain_cues_and_point_at_them(analyse):
    text = "Officials said the bridge would reopen.\n"
    result = analyse(text)
    notes = [n for n in result["notes"] if n["kind"] == "unnamed_source"]
    assert notes and notes[0]["severity"] == "warning"
    assert "Unnamed source" in notes[0]["note"]
    assert text[notes[0]["start"]:notes[0]["end"]] == notes[0]["text"]
    assert notes[0]["claim"] == claim_with(result, "bridge")["id"]


# -- each cue kind is tied to its evidence: what looks like a cue but is not one -----------

def cues_of(result: dict, fragment: str, kind: str) -> list[dict]:
    return [c for c in claim_with(result, fragment)["cues"] if c["kind"] == kind]


def all_cues_of(result: dict, fragment: str, kind: str) -> list[dict]:
    claim = claim_with(result, fragment)
    return [c for c in claim["cues"] + claim["weak_cues"] if c["kind"] == kind]


NOT_CUES = [
    # a noun of worry is no statement about the future
    ("Investors voiced concerns about the merger, the analyst said.", "prediction"),
    # a counterfactual about the past is no forecast
    ("Without the rescue, savers would have lost their deposits, the minister said.", "prediction"),
    # a superlative states a ranking, not emphasis
    ("The dam is the biggest in the country, engineers said.", "booster"),
    # a private e-mail is a channel, not the speaker publishing
    ("The company's spokesman said in an email that the plant was safe.", "self_published"),
    # a quoted title is a title
    ("She starred in \u201cToy Story\u201d and in \u201cThe Bridge\u201d before the war.", "scare_quote"),
    # a negation that rejects nobody's claim
    ("No one was hurt in the fire, the fire chief said.", "denial"),
    # "anonymous" describing data, not a source
    ("The companies sell anonymous location data to advertisers.", "anonymous_info"),
    # a senator without a name is still a politician, not a state agency
    ("Another senator who attended the meeting said the talks went well.", "state_source"),
    # turning away people or an application is no denial of a claim
    ("The agency rejected the company's application for a licence last week.", "denial"),
    ("The new secretary dismissed all of the panel's members in June.", "denial"),
    # a police force is one institution, not unnamed people
    ("The driver was taken to hospital, provincial police said.", "unnamed_source"),
    # a senator speaks as a politician, not as a state agency
    ("Senator Maria Lopez said the bill would pass.", "state_source"),
    # a title about someone else in an apposition does not make the speaker the state
    ("Tom Reyes, who served as an adviser under President Clinton, said the fund is sound.", "state_source"),
    # "likely" on a person is a judgement of them, not a forecast of an event
    ("Analysts said she is likely.", "prediction"),
]


@pytest.mark.parametrize("text,kind", NOT_CUES, ids=[f"{kind}-{text[:12]}" for text, kind in NOT_CUES])
def test_look_alike_is_not_a_confident_cue(analyse, text, kind):
    result = analyse(text + "\n")
    assert kind not in cue_kinds(result, text[:20])


STILL_CUES = [
    ("The ministry denied that its troops were surrounded.", "denial"),
    # a ranking pushed beyond comparison is emphasis
    ("Kennedy has called the vaccine the deadliest vaccine ever made.", "booster"),
    ("Advertising is by far the most common use of the data.", "booster"),
    ("Historians have debunked the book's many factual errors.", "denial"),
    ("Analysts predict the plant will close next year.", "prediction"),
    ("In a statement, the company said its products were safe.", "self_published"),
    ("The White House spokesman said the sanctions would stay.", "state_source"),
    ("Critics called the plan a so-called \u201creform\u201d that helps nobody.", "scare_quote"),
    # the head of a government speaking in that role is the state
    ("President Maria Lopez said the sanctions would stay.", "state_source"),
    # the head of an agency is the state
    ("\u201cMost of the oil is gone,\u201d said NOAA head Jane Lubchenco.", "state_source"),
    # a deal judged unlikely, a numbered chance of an event: forecasts
    ("A deal remains unlikely before the holiday recess.", "prediction"),
    ("Forecasters give the system a 30% chance of development within five days.", "prediction"),
]


@pytest.mark.parametrize("text,kind", STILL_CUES, ids=[kind for _, kind in STILL_CUES])
def test_the_real_thing_is_a_cue(analyse, text, kind):
    result = analyse(text + "\n")
    assert kind in cue_kinds(result, text[:20])


def test_every_cue_has_evidence_and_a_confidence_and_weak_ones_are_kept_apart(analyse):
    from annotations.analysis.resources import cue_threshold

    text = ("The dam is the biggest in the country, engineers said. Officials said it may reopen. "
            "Investors voiced concerns about the merger, the analyst said.\n")
    result = analyse(text)
    threshold = cue_threshold()
    weak = 0
    for claim in result["claims"]:
        for cue in claim["cues"]:
            assert cue["evidence"] and cue["confidence"] >= threshold
        for cue in claim["weak_cues"]:
            assert cue["evidence"] and cue["confidence"] < threshold
            assert text[cue["start"]:cue["end"]] == cue["text"]
            weak += 1
    assert weak  # "biggest", "concerns" are kept for the reader, not dropped


# -- the known wrong spans ------------------------------------------------------------------

@pytest.mark.parametrize("phrase", ["more than 20", "up to 12", "about 1,500", "nearly $4.5 billion"])
def test_vague_quantity_keeps_the_whole_number(analyse, phrase):
    text = f"Police said {phrase} people were detained on Sunday.\n"
    result = analyse(text)
    spans = [c["text"] for c in all_cues_of(result, "detained", "vague_quantity")]
    assert phrase in spans


def test_a_pronoun_is_never_the_interested_party_or_state_source(analyse):
    text = ("Interior Minister Jana Novak defended her ministry's record. "
            "She said her officers had done nothing wrong and would keep patrolling the border.\n")
    result = analyse(text)
    cues = all_cues_of(result, "officers", "interested_party") + all_cues_of(result, "officers", "state_source")
    assert cues  # the minister speaks for her ministry ...
    for cue in cues:  # ... and the cue names her, not "She"
        assert cue["text"].lower() not in ("she", "he", "they", "it")


def test_shouting_span_ends_on_a_whole_phrase(analyse):
    text = ("\u201cTHOUSANDS OF TROOPS ARE COMPLETELY SURROUNDED BY THE ARMY, AND IN A VERY BAD POSITION,\u201d "
            "he wrote. THE TALKS FAILED AND IN the end nobody signed.\n")
    result = analyse(text)
    shouts = [c["text"] for c in all_cues_of(result, "TROOPS", "booster") + all_cues_of(result, "TALKS", "booster")
              if c["evidence"] == "booster_caps"]
    assert any(s.endswith("VERY BAD POSITION") for s in shouts)
    assert "THE TALKS FAILED" in shouts
    assert not any(s.split()[-1] in ("AND", "IN", "THE", "A") for s in shouts)


# -- channels -------------------------------------------------------------------------------

CHANNELS = [
    ("The mayor said in an e-mail that the bridge would reopen.", "e-mail"),
    ("The general told reporters that the attack had been repelled.", "reporters"),
    ("In a statement, the ministry said the talks had stalled.", "statement"),
    ("According to the report, 40 people were rescued.", "report"),
]


@pytest.mark.parametrize("text,channel", CHANNELS, ids=[c for _, c in CHANNELS])
def test_the_channel_named_in_the_sentence(analyse, text, channel):
    result = analyse(text + "\n")
    found = claim_with(result, text[:20])["channel"]
    assert found is not None and channel in found["text"]
    assert text[found["start"]:found["end"]] == found["text"]


# -- plain words ----------------------------------------------------------------------------

def test_every_cue_and_note_of_the_seed_has_a_label_and_an_explanation(analyse):
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "article.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds/article.txt is not here")
    result = analyse(seed.read_text(encoding="utf-8"))
    items = result["notes"] + [c for claim in result["claims"] for c in claim["cues"] + claim["weak_cues"]]
    assert items
    for item in items:
        assert item["kind"]  # the contract's id stays
        assert item["label"] and "_" not in item["label"]
        assert item["explanation"].endswith(".") and len(item["explanation"].split()) >= 5
    sources = [n for n in result["notes"] if n["kind"] == "source"]
    assert sources and all(n["citation"] for n in sources)


def test_a_head_of_government_is_a_state_source_not_a_party(analyse):
    text = "President Maria Lopez said her government will support the farmers.\n"
    result = analyse(text)
    assert "state_source" in cue_kinds(result, text[:20])
    assert "interested_party" not in cue_kinds(result, text[:20])
    assert [c["evidence"] for c in cues_of(result, text[:20], "state_source")] == ["state_executive"]


def test_could_with_a_person_as_subject_is_ability_and_with_an_event_a_possible_forecast(analyse):
    text = ("Employees could still identify a person without consent.\n\n"
            "The storm could bring heavy rain to the coast this week.\n")
    result = analyse(text)
    assert [c["evidence"] for c in all_cues_of(result, "Employees could", "prediction")] == ["prediction_ability"]
    assert "prediction" not in cue_kinds(result, "Employees could")
    assert [c["evidence"] for c in all_cues_of(result, "The storm could", "prediction")] == ["prediction_possible"]


def test_a_private_person_named_by_a_first_name_only_is_anonymous(analyse):
    text = ("\u201cWe have nothing to eat,\u201d said Stanley, an asylum seeker.\n\n"
            "\u201cThe office is closed,\u201d said Trip Chowdhry, an analyst.\n\n"
            "\u201cIt will reopen,\u201d Chowdhry said.\n")
    result = analyse(text)
    assert "anonymous_info" in cue_kinds(result, "We have nothing")
    # a surname given earlier, or a title, names the person
    assert "anonymous_info" not in cue_kinds(result, "It will reopen")
    # a surname on its own is a name too
    alone = analyse("\u201cThe plan is divisive,\u201d McConnell writes.\n")
    assert "anonymous_info" not in cue_kinds(alone, "The plan is divisive")


def test_a_business_on_its_own_trade_is_an_interested_party(analyse):
    text = ("Many location companies say they protect the privacy of users.\n\n"
            "Many researchers say they protect the privacy of users.\n")
    result = analyse(text)
    assert "interested_party" in cue_kinds(result, "Many location companies")
    assert any("interested_business" in c["evidence"].split("+") for c in all_cues_of(result, "Many location companies", "interested_party"))
    # the same words from people with no trade in it: no confident stake
    assert "interested_party" not in cue_kinds(result, "Many researchers")


def test_a_paragraph_told_in_the_first_person_is_a_witness_quote(analyse):
    text = ("The migrants have protested for weeks. One of them explained why:\n\n"
            "Two days after I arrived in the city, the police put me in detention. "
            "We have been waiting here for weeks.\n\n"
            "The ministry has not answered questions about the detentions.\n")
    result = analyse(text)
    assert "direct_quote" in cue_kinds(result, "Two days after I")
    assert "direct_quote" in cue_kinds(result, "We have been waiting")
    # third-person narration around it is not a quote
    assert "direct_quote" not in cue_kinds(result, "The ministry has not")


def _channel_text(result: dict, fragment: str):
    return (claim_with(result, fragment)["channel"] or {}).get("text")


def test_a_channel_carries_from_a_description_to_the_one_person_holding_that_office(analyse):
    text = ("In a letter obtained by CNN, the Republican leader asks Education Secretary Ana Ruiz to drop the plan. "
            "Senate Minority Leader Tom Hale argues the plan is divisive.\n\n"
            "In an interview, Ruiz said the plan was sound.\n\n"
            "The secretary went on to say that schools decide.\n")
    result = analyse(text)
    assert _channel_text(result, "The secretary went on") == "an interview"
    # the letter of "the Republican leader" is the letter of the one leader named here
    assert _channel_text(result, "Senate Minority Leader Tom Hale argues") in ("a letter", "a letter obtained by CNN")


def test_an_office_held_by_two_people_links_no_channel(analyse):
    text = ("\u201cWe will stand with them,\u201d the president said during a July speech.\n\n"
            "President Ana Ruiz met President Tom Hale on Tuesday.\n\n"
            "Hale said talks with President Ruiz went well.\n")
    result = analyse(text)
    assert _channel_text(result, "Hale said talks") is None
