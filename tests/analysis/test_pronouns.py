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
