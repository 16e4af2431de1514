"""Property tests (Hypothesis) over arbitrary Unicode text without U+0000.

What must hold for any text (other controls, astral characters, CR/LF mixes, a BOM,
escapes, markup, RTL): the loader keeps the contract's normalization; the display
translation keeps length and offsets; every span written out (analysis, anchoring,
json / w3c / jsonl exports) satisfies ``text == document[start:end]``; exports
round-trip through import; re-anchoring never loses an annotation.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotations.anchoring import anchor, reanchor
from annotations.document import document_from_bytes, document_from_text, load_document
from annotations.export import export_document, import_annotations
from annotations.model import new_annotation, quote_context
from annotations.store import open_store
from tests.hardening.conftest import any_char, any_text, raw_controls
from tui.safe_text import DISPLAY_TABLE, display_text, safe, safe_line

BOM = "\ufeff"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STORE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def expected_text(raw: str) -> str:
    """The contract, written out independently: one leading BOM stripped, CRLF/CR -> LF."""
    if raw.startswith(BOM):
        raw = raw[1:]
    out = []
    i = 0
    while i < len(raw):
        if raw[i] == "\r":
            out.append("\n")
            i += 2 if raw[i + 1 : i + 2] == "\n" else 1
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- loader


@FAST
@given(any_text, st.booleans())
def test_loader_normalizes_as_the_contract_says_and_is_idempotent(text, with_bom):
    raw = (BOM if with_bom else "") + text
    assume("\x00" not in raw)
    document = document_from_bytes(raw.encode("utf-8"), "x.txt")
    assert document.text == expected_text(raw)
    assert "\r" not in document.text
    assert document.sha256 == hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    # Saving the normalized text and loading it again changes nothing (unless the text
    # itself begins with a second BOM, which is content and loses one BOM per load).
    if not document.text.startswith(BOM):
        again = document_from_bytes(document.text.encode("utf-8"), "x.txt")
        assert again.text == document.text and again.sha256 == document.sha256
    assert document_from_text(raw).text == document.text


@settings(max_examples=30, deadline=None)
@given(any_text)
def test_loader_from_disk_equals_loader_from_bytes(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.txt"
        path.write_bytes(text.encode("utf-8"))
        assert load_document(path).text == document_from_bytes(text.encode("utf-8"), str(path)).text


# --------------------------------------------------------------------------- display


@FAST
@given(any_text)
def test_display_translation_keeps_every_offset_and_shows_no_control(text):
    shown = display_text(text)
    assert len(shown) == len(text)
    for original, visible in zip(text, shown):
        if ord(original) in DISPLAY_TABLE:
            assert visible == DISPLAY_TABLE[ord(original)]
        else:
            assert visible == original
    assert raw_controls(shown) == []
    assert raw_controls(safe_line(text, 40).plain) == []


@settings(max_examples=60, deadline=None)
@given(any_text)
def test_rendering_safe_text_writes_no_control_byte(text):
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, width=40, color_system=None, force_terminal=False, legacy_windows=False)
    console.print(safe(text))
    console.print(safe_line(text, 30))
    assert raw_controls(out.getvalue()) == []


# --------------------------------------------------------------------------- anchoring


def spans(text: str):
    """A strategy of non-empty spans of ``text``."""
    return st.integers(0, max(0, len(text) - 1)).flatmap(
        lambda start: st.tuples(st.just(start), st.integers(start + 1, len(text)))
    )


@FAST
@given(any_text.filter(bool), any_text, any_text, st.data())
def test_anchoring_keeps_the_quote_when_edits_do_not_touch_it(text, before, after, data):
    start, end = data.draw(spans(text))
    quote = text[start:end]
    prefix, suffix = quote_context(text, start, end)
    edited = before + text + after
    found = anchor(edited, start, end, quote, prefix, suffix)
    assert found is not None
    assert edited[found[0] : found[1]] == quote


@FAST
@given(any_text.filter(bool), any_text, st.data())
def test_anchoring_any_edit_gives_a_span_inside_the_text_or_none(text, replacement, data):
    start, end = data.draw(spans(text))
    cut_from = data.draw(st.integers(0, len(text)))
    cut_to = data.draw(st.integers(cut_from, len(text)))
    edited = text[:cut_from] + replacement + text[cut_to:]
    quote = text[start:end]
    prefix, suffix = quote_context(text, start, end)
    found = anchor(edited, start, end, quote, prefix, suffix)
    if found is not None:
        assert 0 <= found[0] < found[1] <= len(edited)
    if cut_to <= start and edited:  # the edit is wholly before the quote: it is still there
        assert found is not None and edited[found[0] : found[1]] == quote or quote not in edited


@STORE
@given(any_text.filter(bool), any_text, st.data())
def test_reanchoring_never_loses_an_annotation(text, new_text, data):
    document = document_from_text(text)
    assume(document.text)
    made = [
        new_annotation(document, *data.draw(spans(document.text)), label=data.draw(st.text(any_char, max_size=5)) or None)
        for _ in range(data.draw(st.integers(1, 6)))
    ]
    placed, lost = reanchor(made, new_text, "new")
    assert sorted(a.id for a in placed + lost) == sorted(a.id for a in made)
    for annotation in placed:
        assert new_text[annotation.start : annotation.end] == annotation.text
        assert not annotation.orphan
    originals = {a.id: a for a in made}
    for annotation in lost:
        assert annotation.orphan and annotation.start is None and annotation.end is None
        assert annotation.text == originals[annotation.id].text  # the quote is kept
    # Orphans are tried again: back on the old text, every one of them comes back.
    back, still_lost = reanchor(placed + lost, document.text, document.sha256)
    assert sorted(a.id for a in back + still_lost) == sorted(originals)
    for annotation in back:
        assert document.text[annotation.start : annotation.end] == annotation.text
    assert [a.id for a in still_lost if originals[a.id].text in document.text] == []


# --------------------------------------------------------------------------- exports

# Labels are what a label file allows (labels.py): one word of printable characters.
# Notes and documents are arbitrary.
label_names = st.text(any_char.filter(lambda ch: ch.isprintable() and not ch.isspace()), min_size=1, max_size=8)


def w3c_pairs(out: str) -> list[tuple[int, int, str]]:
    pairs = []
    for item in json.loads(out)["first"]["items"] if json.loads(out).get("first") else []:
        selectors = item["target"]["selector"]
        quote = next(s for s in selectors if s["type"] == "TextQuoteSelector")
        position = next(s for s in selectors if s["type"] == "TextPositionSelector")
        pairs.append((position["start"], position["end"], quote["exact"]))
    return pairs


@STORE
@given(any_text.filter(lambda t: t.strip(BOM)), st.data())
def test_every_export_keeps_offsets_and_json_and_w3c_round_trip(raw, data):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        article = folder / "article.txt"
        article.write_bytes(raw.encode("utf-8"))
        document = load_document(article)
        assume(document.text)
        store = open_store(folder / "db.json")
        try:
            store.register_document(document)
            made = []
            for _ in range(data.draw(st.integers(1, 5))):
                start, end = data.draw(spans(document.text))
                label = data.draw(st.one_of(st.none(), label_names))
                note = data.draw(st.text(any_char, max_size=20))
                made.append(store.add(new_annotation(document, start, end, label=label, note=note)))
            want = sorted((a.id, a.start, a.end, a.text, a.label, a.note) for a in made)

            own = export_document(store, document, "json")
            records = json.loads(own)["annotations"]
            assert len(records) == len(made)
            for record in records:
                assert document.text[record["start"] : record["end"]] == record["text"]

            w3c = export_document(store, document, "w3c")
            pairs = w3c_pairs(w3c)
            assert len(pairs) == len(made)
            for start, end, exact in pairs:
                assert document.text[start:end] == exact

            line = json.loads(export_document(store, document, "jsonl"))
            assert line["text"] == document.text
            assert len(line["spans"]) == len(made)
            for span in line["spans"]:
                assert document.text[span["start"] : span["end"]] == span["text"]

            for fmt, out in (("json", own), ("w3c", w3c)):
                source = folder / f"export.{fmt}"
                source.write_text(out, encoding="utf-8")
                fresh = open_store(folder / f"fresh-{fmt}.json")
                try:
                    report = import_annotations(fresh, document, source)
                    assert report.added == len(made)
                    got = sorted((a.id, a.start, a.end, a.text, a.label, a.note) for a in fresh.annotations(document.sha256))
                    if fmt == "json":
                        assert got == want
                    else:  # W3C: same spans, labels and notes (ids come back from the urn)
                        assert [g[1:] for g in got] == [w[1:] for w in want]
                    assert import_annotations(fresh, document, source).added == 0  # twice adds nothing
                finally:
                    fresh.close()
        finally:
            store.close()


# --------------------------------------------------------------------------- analysis


WORDS = ["The minister said", "Kyiv", "on Monday", "Vladimir Putin", "claimed", "“no troops”", ".", "\n\n",
         "reportedly", "TASS", "according to officials"]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(WORDS), any_text), min_size=3, max_size=25).map(" ".join))
def test_analysis_spans_point_at_their_text(raw):
    from annotations.analysis import analyze

    document = document_from_text(raw)
    result = analyze(document, use_cache=False)
    text = document.text
    assert result["document"]["chars"] == len(text)

    def check(span: dict | None) -> None:
        if span is None:
            return
        assert 0 <= span["start"] <= span["end"] <= len(text), span
        assert text[span["start"] : span["end"]] == span["text"], span

    for entity in result["entities"]:
        check(entity)
    for claim in result["claims"]:
        check(claim)
        check(claim.get("speaker"))
        check(claim.get("channel"))
        for cue in claim.get("cues", []):
            check(cue)
    for note in result["notes"]:
        check(note)
