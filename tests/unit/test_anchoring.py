"""Anchoring: position, exact quote, approximate match; orphans when nothing fits."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import anchor, reanchor
from annotations.model import quote_context, new_annotation
from tests.unit.conftest import text_doc

ARTICLE = (
    "Kyiv, Ukraine. Officials said on Monday that Vladimir Putin had ordered new strikes. "
    "The Kremlin denied the report, calling it fabricated. Analysts in Warsaw said the "
    "figures were probably inflated, and that the front line had not moved in weeks.\n\n"
    "A spokesman told TASS that talks would resume. Ukrainian officials were not available."
)


def selectors(text: str, quote: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    prefix, suffix = quote_context(text, start, end)
    return start, end, quote, prefix, suffix


def test_position_is_kept_when_the_text_is_unchanged():
    start, end, *quote = selectors(ARTICLE, "Vladimir Putin")
    assert anchor(ARTICLE, start, end, *quote) == (start, end)


def test_insertion_before_the_span_shifts_it():
    start, end, *quote = selectors(ARTICLE, "Vladimir Putin")
    edited = "BREAKING: " + ARTICLE
    assert anchor(edited, start, end, *quote) == (start + 10, end + 10)


def test_insertion_after_the_span_keeps_it():
    start, end, *quote = selectors(ARTICLE, "Vladimir Putin")
    edited = ARTICLE + "\n\nUpdate: more news."
    assert anchor(edited, start, end, *quote) == (start, end)


def test_insertion_inside_the_span_grows_it():
    start, end, *quote = selectors(ARTICLE, "The Kremlin denied the report")
    edited = ARTICLE.replace("denied the report", "denied, on Tuesday, the report")
    found = anchor(edited, start, end, *quote)
    assert found is not None
    assert edited[found[0] : found[1]] == "The Kremlin denied, on Tuesday, the report"


def test_a_small_edit_inside_the_span_is_found_approximately():
    start, end, *quote = selectors(ARTICLE, "the figures were probably inflated")
    edited = ARTICLE.replace("figures were probably", "numbers were probably")
    found = anchor(edited, start, end, *quote)
    assert found is not None
    assert edited[found[0] : found[1]] == "the numbers were probably inflated"


def test_a_deleted_span_is_an_orphan():
    start, end, *quote = selectors(ARTICLE, "calling it fabricated")
    edited = ARTICLE.replace(" calling it fabricated.", ".")
    assert anchor(edited, start, end, *quote) is None


def test_a_deleted_sentence_is_an_orphan_even_with_context_left():
    start, end, *quote = selectors(ARTICLE, "The Kremlin denied the report, calling it fabricated.")
    edited = ARTICLE.replace("The Kremlin denied the report, calling it fabricated. ", "")
    assert anchor(edited, start, end, *quote) is None


def test_duplicated_passage_picks_the_occurrence_with_matching_context():
    text = "Alpha said yes. The talks failed. Beta said no. The talks failed. End."
    start, end, *quote = selectors(text, "The talks failed", occurrence=1)
    edited = "Intro. " + text  # the position is stale; two exact candidates
    found = anchor(edited, start, end, *quote)
    assert found == (start + 7, end + 7)


def test_identical_duplicates_pick_the_nearest_to_the_old_position():
    passage = "The same sentence appears twice in this article for a reason. "
    text = "Start. " + passage + "Middle part that is long enough to separate. " + passage + "End."
    start, end, *quote = selectors(text, passage.strip(), occurrence=1)
    edited = "X" + text
    assert anchor(edited, start, end, *quote) == (start + 1, end + 1)


def test_duplicate_inserted_before_the_span_does_not_steal_it():
    start, end, *quote = selectors(ARTICLE, "Vladimir Putin")
    edited = "Vladimir Putin spoke. " + ARTICLE
    found = anchor(edited, start, end, *quote)
    assert found == (start + 22, end + 22)


def test_emoji_before_the_span_shifts_by_code_points():
    start, end, *quote = selectors(ARTICLE, "TASS")
    edited = "👩‍👩‍👧 🇺🇦 " + ARTICLE  # ZWJ family (5 code points) + flag (2) + spaces
    found = anchor(edited, start, end, *quote)
    assert found == (start + 9, end + 9)
    assert edited[found[0] : found[1]] == "TASS"


def test_reanchor_refreshes_selectors_and_keeps_orphans():
    document = text_doc(ARTICLE)
    i = ARTICLE.index("Warsaw")
    kept = new_annotation(document, i, i + 6, label="GPE")
    j = ARTICLE.index("calling it fabricated")
    lost = new_annotation(document, j, j + 21, label="CLAIM", note="check")
    edited = "New lead.\n" + ARTICLE.replace(" calling it fabricated.", ".")
    placed, orphaned = reanchor([kept, lost], edited, "newsha")
    assert [a.id for a in placed] == [kept.id]
    moved_to = edited.index("Warsaw")
    assert placed[0].start == moved_to and placed[0].text == "Warsaw"
    assert (placed[0].prefix, placed[0].suffix) == quote_context(edited, moved_to, moved_to + 6)
    assert placed[0].doc_sha == "newsha"
    assert [a.id for a in orphaned] == [lost.id]
    assert orphaned[0].orphan and orphaned[0].start is None and orphaned[0].text == "calling it fabricated"
    # When the text comes back, the orphan is placed again.
    placed_again, still_lost = reanchor(orphaned, ARTICLE)
    assert not still_lost and placed_again[0].start == j and not placed_again[0].orphan


def test_long_quote_with_an_edit_in_the_middle_on_a_megabyte_text():
    rng = random.Random(7)
    words = ARTICLE.split()
    big = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(150_000))
    assert len(big) > 1_000_000
    start = 600_000
    end = start + 1200
    quote = big[start:end]
    prefix, suffix = quote_context(big, start, end)
    edited = big[:1000] + "INSERTED " + big[1000 : start + 600] + "CHANGED" + big[start + 607 :]
    found = anchor(edited, start, end, quote, prefix, suffix)
    assert found == (start + 9, end + 9)


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80),
    st.text(alphabet="abcdefghij 🙂é\n", min_size=5, max_size=200),
    st.data(),
)
def test_any_insertion_before_keeps_the_exact_quote(inserted, text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    prefix, suffix = quote_context(text, start, end)
    edited = inserted + text
    found = anchor(edited, start, end, quote, prefix, suffix)
    assert found is not None
    assert edited[found[0] : found[1]] == quote


def test_same_words_landing_on_the_old_offsets_by_chance_do_not_keep_the_annotation():
    text = "AB the cat sat. Nothing else here to see."
    start, end, *quote = selectors(text, "the")
    edited = "XY the new intro. " + text  # edited[3:6] is "the" again, but the wrong one
    assert edited[start:end] == "the"
    found = anchor(edited, start, end, *quote)
    assert found == (start + 18, end + 18)


def test_position_is_kept_when_only_the_context_changed():
    text = "Officials said Vladimir Putin spoke."
    start, end, *quote = selectors(text, "Vladimir Putin")
    edited = "Officials say: Vladimir Putin spoke!"
    assert anchor(edited, start, end, *quote) == (start, end)
