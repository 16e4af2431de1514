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
