"""Pronouns: resolved to a person or body by gender and number, recent speakers first."""

from __future__ import annotations

from tests.analysis.conftest import speaker_of


def test_she_skips_a_more_recent_man(analyse):
    text = ("Sarah Collins, an analyst at Merton Capital, said Michael Grant was the right choice.\n"
            '"He has run the company twice before," she said.\n')
    assert speaker_of(analyse(text), "run the company twice") == "Sarah Collins"


def test_he_takes_the_last_male_speaker(analyse):
    text = ("Union leader Robert Hughes said the strike would go on.\n"
            "He said members had voted by a large margin.\n")
    assert speaker_of(analyse(text), "members had voted") == "Robert Hughes"


def test_pronoun_takes_a_person_named_earlier_in_the_same_sentence(analyse):
    text = ("The chef, Marco Rossi, spoke first.\n"
            "Emily Hart, 34, a teacher from Leeds, finished third, but she said the judges were unfair.\n")
    assert speaker_of(analyse(text), "judges were unfair") == "Emily Hart"


def test_they_takes_the_last_plural_group(analyse):
    text = ("Researchers at the Polar Institute measured the ice for ten years.\n"
            "They believe the shelf could collapse within a decade.\n")
    assert speaker_of(analyse(text), "shelf could collapse") == "Researchers at the Polar Institute"


def test_it_takes_the_last_organisation_that_spoke(analyse):
    text = ("Harbor Airlines said it would cut 300 jobs.\n"
            "It said fuel costs had doubled since March.\n")
    assert speaker_of(analyse(text), "fuel costs had doubled") == "Harbor Airlines"


def test_unresolvable_pronoun_leaves_no_speaker(analyse):
    assert speaker_of(analyse("She said the road was closed.\n"), "road was closed") is None


def test_one_source_is_one_speaker_entry_with_its_variants(analyse):
    result = analyse(
        "The Ukrainian military leadership denied the reports on Friday.\n\n"
        "\u201cOur units are holding their positions,\u201d the Ukrainian military\u2019s General Staff said in a post.\n\n"
        "Ukraine\u2019s military leadership said its forces had withdrawn in good order.\n\n"
        "Russia\u2019s official TASS news agency reported that the town had fallen. "
        "On Saturday, TASS reported more prisoners.\n\n"
        "General Oleh Marchenko said the line held. Marchenko added that he expected more attacks.\n")
    entries = {s["name"]: s for s in result["speakers"]}
    staff = entries["the Ukrainian military\u2019s General Staff"]
    assert set(staff["variants"]) == {"The Ukrainian military leadership", "the Ukrainian military\u2019s General Staff",
                                      "Ukraine\u2019s military leadership"}
    assert len(staff["claims"]) == 3 and not staff["generic"]
    tass = next(s for s in result["speakers"] if s["kind"] == "source")
    assert {"TASS", "TASS news agency"} <= set(tass["variants"]) and len(tass["claims"]) == 2
    person = next(s for s in result["speakers"] if s["kind"] == "person")
    assert person["name"] == "Oleh Marchenko" and "Marchenko" in person["variants"]
    # every claim points at its entry; the contract's speaker stays as it was
    for claim in result["claims"]:
        if claim["speaker"] is not None:
            entry = next(s for s in result["speakers"] if s["id"] == claim["speaker_id"])
            assert claim["id"] in entry["claims"]


def test_different_bodies_and_descriptions_stay_apart(analyse):
    result = analyse(
        "The Ukrainian military leadership said the town was held.\n\n"
        "The Russian military leadership said the town had fallen.\n\n"
        "Officials said the bridge was closed.\n")
    names = sorted(s["name"] for s in result["speakers"])
    assert len(names) == 3, names
    assert next(s for s in result["speakers"] if s["name"] == "Officials")["generic"]


def test_they_never_points_back_to_data(analyse):
    result = analyse(
        "Dozens of companies use smartphone locations to help advertisers and even hedge funds.\n\n"
        "They say it is anonymous, but the data shows how personal it is.\n")
    speaker = speaker_of(result, "They say it is anonymous")
    assert speaker == "Dozens of companies"
