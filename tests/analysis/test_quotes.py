"""Quotes: regions from quote marks, quotes over sentences and paragraphs."""

from __future__ import annotations

from annotations.analysis.quotes import find_quotes
from tests.analysis.conftest import claim_with, speaker_of


def test_curly_and_straight_quotes_are_found_with_exact_offsets():
    text = 'He said \u201cyes, now\u201d and then "no, later" again.'
    regions = [r for r in find_quotes(text) if not r.single]
    assert [text[r.start:r.end] for r in regions] == ["\u201cyes, now\u201d", '"no, later"']


def test_a_quote_left_open_continues_into_the_next_paragraph():
    text = '"First part of the quote.\n"Second part," she said.\n'
    regions = [r for r in find_quotes(text) if not r.single]
    assert regions[0].open_end and not regions[0].continued
    assert regions[1].continued
    assert text[regions[1].start:regions[1].end] == '"Second part,"'


def test_blank_lines_between_paragraphs_keep_a_quote_running():
    text = 'She said: "It was hard.\n\n"But we made it."\n'
    regions = [r for r in find_quotes(text) if not r.single]
    assert regions[1].continued


def test_apostrophes_are_not_scare_quotes():
    text = "The workers' union didn't agree, and Jobs' successor's plan stalled."
    assert not [r for r in find_quotes(text) if r.single]


def test_single_quoted_word_is_a_scare_quote_region():
    text = "Reports of the \u2018encirclement\u2019 were denied."
    singles = [r for r in find_quotes(text) if r.single]
    assert [text[r.start:r.end] for r in singles] == ["\u2018encirclement\u2019"]


def test_sentences_inside_a_quote_get_the_speaker_named_after_it(analyse):
    text = '"The river rose fast. We lost the barn. Nobody warned us," farmer Ruth Meyer said.\n'
    result = analyse(text)
    for fragment in ("The river rose fast", "We lost the barn", "Nobody warned us"):
        assert speaker_of(result, fragment) == "Ruth Meyer"


def test_speaker_named_before_the_colon_owns_the_quote(analyse):
    text = 'Coach Daniel Price said: "The team played well. The referee did not."\n'
    assert speaker_of(analyse(text), "The referee did not") == "Daniel Price"


def test_a_quote_paragraph_continues_the_previous_speaker(analyse):
    text = ('"Prices went up twice this year," said shop owner Ahmed Karimi.\n'
            '"Customers now buy half as much as before."\n')
    assert speaker_of(analyse(text), "Customers now buy") == "Ahmed Karimi"


def test_a_quote_running_over_paragraphs_with_straight_quotes_keeps_its_speaker(analyse):
    text = ('Mayor Helen Brooks said: "The budget is balanced for the first time in a decade.\n'
            '"We cut waste, not services.\n'
            '"And we will keep it that way."\n')
    result = analyse(text)
    assert speaker_of(result, "We cut waste") == "Helen Brooks"
    assert speaker_of(result, "keep it that way") == "Helen Brooks"


def test_second_quote_in_a_paragraph_borrows_the_first_quotes_speaker(analyse):
    text = '"We won," Coach Daniel Price said. "The fans carried us through the last minutes."\n'
    assert speaker_of(analyse(text), "The fans carried us") == "Daniel Price"


def test_direct_quote_cue_spans_the_quoted_words(analyse):
    result = analyse('"The dam is safe," engineer Tom Walsh said.\n')
    cues = [c for c in claim_with(result, "dam is safe")["cues"] if c["kind"] == "direct_quote"]
    assert cues and cues[0]["text"] == '"The dam is safe,"'


def test_a_quote_running_into_the_next_paragraph_is_attributed_where_it_ends(analyse):
    text = ('Mayor Ann Cole said the budget was tight.\n'
            '"We have cut everything we can.\n'
            '"There is nothing left," said Treasurer Bill Ford.\n')
    assert speaker_of(analyse(text), "cut everything we can") == "Bill Ford"


def test_wire_copy_backtick_quotes_are_one_double_quote():
    text = "``There is no need for alarm,'' the director said in a television alert.\n"
    regions = find_quotes(text)
    assert [(text[r.start:r.end], r.single) for r in regions] == [("``There is no need for alarm,''", False)]
    start, end = regions[0].inner(text)
    assert text[start:end] == "There is no need for alarm,"


def test_a_backtick_quote_is_a_direct_quote(analyse):
    text = "``There is no need for alarm,'' Civil Defense Director Eugenio Cabral said in a television alert.\n"
    result = analyse(text)
    assert "direct_quote" in {c["kind"] for c in claim_with(result, "There is no need")["cues"]}
