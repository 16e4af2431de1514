"""Large articles cost linear time and bounded memory: proved by counting, never by timing.

- chunks are bounded for any shape of text (no breaks at all, one huge line, a million
  short lines), and cutting a long paragraph scans each character a bounded number of times;
- the document-wide rules never pair or scan all-vs-all (quote regions per sentence,
  remembered noun phrases, quotes inside quotes);
- a long text runs the rules section by section (only one section's sentence features
  held at a time), with every span still mapping back to the text;
- a cancel is seen between chunks and inside the rules' loops.
"""

from __future__ import annotations

import random
import re
import threading

import pytest

from annotations.analysis import AnalysisCancelled, chunking
from annotations.analysis.chunking import split_long, split_text
from annotations.analysis.quotes import QuoteRegion, RegionIndex, find_quotes

SENTENCE = 'Mayor Helen Brooks said the budget was "balanced and fair". '


def _check_chunks(text: str, chunks, bound: int) -> None:
    for chunk in chunks:
        assert text[chunk.offset:chunk.end] == chunk.text
        assert len(chunk.text) <= bound
    covered = "".join(chunk.text for chunk in chunks)
    # only line breaks and blank lines are left out
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)


@pytest.mark.parametrize("text", [
    "x" * 250_000,  # no breaks of any kind
    "word " * 50_000,  # no sentence ends, no line breaks
    SENTENCE * 4_000,  # one huge line of sentences
], ids=["solid", "words", "one-line"])
def test_text_without_paragraph_breaks_is_cut_into_bounded_chunks(text):
    chunks = split_text(text, max_chars=10_000, target_chars=8_000)
    _check_chunks(text, chunks, 10_000)
    assert len(chunks) <= 2 * len(text) // 10_000 + 1


def test_a_million_short_lines_make_few_bounded_chunks():
    text = "ab\n" * 1_000_000
    chunks = split_text(text, max_chars=10_000, target_chars=8_000)
    _check_chunks(text, chunks, 10_000)
    # whole lines grouped up to the target: a few hundred Docs, not a million
    assert len(chunks) <= len(text) // 7_000


class _CountingPattern:
    """A compiled pattern that counts the characters its finditer calls may scan."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        self.scanned = 0

    def finditer(self, text, pos=0, endpos=None):
        endpos = len(text) if endpos is None else endpos
        self.scanned += endpos - pos
        return self.pattern.finditer(text, pos, endpos)


@pytest.mark.parametrize("text", ["word " * 100_000, SENTENCE * 8_000], ids=["no-sentence-ends", "sentences"])
def test_cutting_a_long_paragraph_scans_each_character_a_bounded_number_of_times(text, monkeypatch):
    sentence_end = _CountingPattern(chunking.SENTENCE_END)
    whitespace = _CountingPattern(chunking.WHITESPACE)
    monkeypatch.setattr(chunking, "SENTENCE_END", sentence_end)
    monkeypatch.setattr(chunking, "WHITESPACE", whitespace)
    pieces = split_long(text, 0, max_chars=1_000)
    assert "".join(p.text for p in pieces) == text
    assert all(len(p.text) <= 1_000 for p in pieces)
    # each window is scanned at most once per pattern, and windows advance by most of their size
    assert sentence_end.scanned + whitespace.scanned <= 3 * len(text)


# ----- the rules ---------------------------------------------------------------------------


def _brute_overlapping(regions, start, end):
    return sorted((r for r in regions if r.start < end and r.end > start), key=lambda r: (r.start, r.end))


def test_region_index_finds_what_a_scan_finds():
    rng = random.Random(5)
    regions = []
    for _ in range(400):
        start = rng.randrange(0, 5_000)
        regions.append(QuoteRegion(start, start + rng.randrange(1, 300), False, False))
    index = RegionIndex(regions)
    for _ in range(500):
        start = rng.randrange(0, 5_200)
        end = start + rng.randrange(1, 200)
        assert index.overlapping(start, end) == _brute_overlapping(regions, start, end)


def test_quote_regions_of_each_sentence_are_found_without_scanning_the_paragraph():
    """One paragraph of 20,000 quotes: the regions looked at per sentence stay bounded
    (before, every sentence scanned all the quotes of its paragraph before it)."""
    text = SENTENCE * 20_000
    regions = [r for r in find_quotes(text) if not r.single]
    assert len(regions) == 20_000
    index = RegionIndex(regions)
    looked_at = 0
    for match in re.finditer(re.escape(SENTENCE), text):
        looked_at += len(index.candidates(match.start(), match.end()))
    assert looked_at <= 2 * len(regions)


def test_quotes_inside_quotes_are_matched_like_a_scan_would():
    text = ("\u201cShe said \u2018we will win this fight together.\u2019\u201d "
            "He called it \u2018nonsense\u2019 and \u2018a very long and tiring and pointless exercise.\u2019 ") * 300
    found = find_quotes(text)
    doubles = [r for r in found if not r.single and text[r.start] == "\u201c"]
    assert len(doubles) == 300
    # the single quotes inside the double quotes are not speech of their own
    speech = [r for r in found if not r.single and text[r.start] == "\u2018"]
    assert all(not any(d.start <= s.start and s.end <= d.end for d in doubles) for s in speech)
    assert len(speech) == 300


def test_remembered_noun_phrases_are_never_scanned():
    from annotations.analysis.resources import load_source_table
    from annotations.analysis.speakers import NameBook, SpeakerResolver

    class NoScan(list):
        def __contains__(self, item):
            raise AssertionError("np_history scanned")

        def index(self, *args):
            raise AssertionError("np_history scanned")

    resolver = SpeakerResolver(NameBook([]), load_source_table(include_user=False), [])
    resolver.np_history = NoScan()
    for i in range(3_000):
        referent = {"kind": "group", "key": f"group {i % 1000}", "start": i, "end": i + 5, "text": f"group {i % 1000}"}
        resolver.remember_speaker(i, referent)
        resolver.remember_speaker(i, dict(referent))  # the same referent again is not added twice
    assert len(resolver.np_history) == 3_000


# ----- sections and cancelling (spaCy) -------------------------------------------------------

PARAGRAPH = ('Mayor Helen Brooks said the budget was balanced. "We cut waste, not services," she said. '
             "Officials said the plan would save thousands of dollars.")


def test_a_long_text_runs_the_rules_by_sections_and_maps_every_span_back(nlp, monkeypatch):
    from annotations.analysis import run
    from annotations.document import document_from_text

    text = "\n".join(f"{PARAGRAPH} Paragraph {i} ends here." for i in range(60)) + "\n"
    monkeypatch.setattr(run, "SECTION_CHARS", 2_000)
    monkeypatch.setattr(run, "split_text", lambda t, max_chars: split_text(t, max_chars, target_chars=600))
    held = []
    real = run.analyse_records

    def spy(section_text, entities, features):
        held.append((len(section_text), len(features)))
        return real(section_text, entities, features)

    monkeypatch.setattr(run, "analyse_records", spy)
    result = run.run_analysis(document_from_text(text))
    assert len(held) >= len(text) // 2_600
    assert all(chars <= 2_000 + 700 for chars, _ in held)  # a section ends at the first chunk past the size
    assert sum(count for _, count in held) >= 60 * 4
    ids = [claim["id"] for claim in result["claims"]]
    assert ids == [f"c{n}" for n in range(1, len(ids) + 1)]
    for claim in result["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["text"]
        for span in [claim["speaker"], claim["channel"], *claim["cues"]]:
            if span:
                assert text[span["start"]:span["end"]] == span["text"]
    for span in result["entities"] + result["notes"]:
        assert text[span["start"]:span["end"]] == span["text"]
    for note in result["notes"]:
        assert set(note.get("claims", [])) <= set(ids)
    for pair in result["contradictions"]:
        assert set(pair["claims"]) <= set(ids)


def test_a_cancel_is_seen_between_chunks(nlp, monkeypatch):
    from annotations.analysis import run
    from annotations.document import document_from_text

    text = "\n".join(f"{PARAGRAPH} Paragraph {i} ends here." for i in range(80)) + "\n"
    monkeypatch.setattr(run, "split_text", lambda t, max_chars: split_text(t, max_chars, target_chars=400))
    cancel = threading.Event()
    parsed = []
    real = run.doc_records

    def spy(doc, offset):
        parsed.append(offset)
        if len(parsed) == 3:
            cancel.set()
        return real(doc, offset)

    monkeypatch.setattr(run, "doc_records", spy)
    with pytest.raises(AnalysisCancelled):
        run.run_analysis(document_from_text(text), cancel=cancel)
    assert len(parsed) == 3  # not one chunk more


def test_a_cancel_is_seen_inside_the_document_wide_rules(nlp, monkeypatch):
    from annotations.analysis import claims, run
    from annotations.document import document_from_text

    text = "\n".join(f"{PARAGRAPH} Paragraph {i} ends here." for i in range(40)) + "\n"
    cancel = threading.Event()
    judged = []
    real = claims.ClaimBuilder._is_claim

    def spy(builder, sentence):
        judged.append(sentence.index)
        if len(judged) == 5:
            cancel.set()  # as if the reader quit now, in the middle of a pass over the sentences
        return real(builder, sentence)

    monkeypatch.setattr(claims.ClaimBuilder, "_is_claim", spy)
    with pytest.raises(AnalysisCancelled):
        run.run_analysis(document_from_text(text), cancel=cancel)
    assert len(judged) == 5  # the pass stopped at the next sentence


@pytest.mark.parametrize("indent", [None, 2])
def test_the_json_of_a_large_result_is_written_in_pieces_equal_to_dumps(indent):
    import io

    from annotations.jsonout import dump, dumps

    value = {"claims": [{"id": f"c{i}", "text": "caf\u00e9 \u0085 \u009b \x7f \"q\"", "score": 0.5, "cues": []}
                        for i in range(2_000)], "notes": [], "entities": [None, True, 1.25]}
    stream = io.StringIO()
    dump(value, stream, indent=indent, piece_chars=1_000)
    assert stream.getvalue() == dumps(value, indent=indent) + "\n"
    assert "\x85" not in stream.getvalue() and "\x9b" not in stream.getvalue()
