"""Inputs: folders, mixed files, standard input, HTML pages through trafilatura."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from annotations.document import DocumentError, load_document
from annotations.html import ExtractionArchive, html_document
from annotations.inputs import expand, load_input, title_of
from tests.conftest import shared_path
from tests.many.conftest import PAGES


def test_a_folder_expands_to_its_articles_sorted_without_hidden_or_other_files(story):
    found = expand([str(story)])
    assert [os.path.basename(p) for p in found.paths] == ["council.txt", "denial.md", "page.html", "strike.txt"]
    assert found.errors == []


def test_mixed_files_and_folders_keep_order_once_and_report_missing(story, tmp_path):
    extra = tmp_path / "extra.txt"
    extra.write_text("Extra.\n", encoding="utf-8")
    found = expand([str(extra), str(story / "strike.txt"), str(story), str(tmp_path / "gone.txt")])
    names = [os.path.basename(p) for p in found.paths]
    assert names == ["extra.txt", "strike.txt", "council.txt", "denial.md", "page.html"]
    assert [e.reason for e in found.errors] == ["no such file"]


def test_an_empty_folder_is_an_error_naming_it(tmp_path):
    found = expand([str(tmp_path)])
    assert found.paths == [] and "no articles" in str(found.errors[0])


def test_text_and_markdown_open_as_they_are(story):
    doc = load_input(str(story / "denial.md"))
    assert doc.text == load_document(story / "denial.md").text
    assert title_of(doc) == "Authority says port is open"


def test_html_page_becomes_article_text_with_metadata():
    doc = load_input(str(PAGES / "harbor_strike.html"))
    meta = doc.metadata
    assert meta["title"] == "Port workers walk out over pay"
    assert meta["author"] == "Dana Whitfield"
    assert meta["date"] == "2026-03-14"
    assert meta["url"] == "https://harbor-gazette.example/news/port-strike"
    assert meta["outlet"] == "Harbor Gazette"
    assert doc.text.startswith("Dock workers at the northern port stopped work on Friday")
    assert "said Maria Okafor" in doc.text
    # navigation, asides and footers are not article text; paragraphs are separated by a blank line
    assert "Subscribe" not in doc.text and "Most read" not in doc.text and "rights reserved" not in doc.text
    assert "\n\n\"We have been patient" in doc.text
    assert "<" not in doc.text


def test_outlet_falls_back_and_canonical_url_is_kept():
    doc = load_input(str(PAGES / "harbor_denial.html"))
    assert doc.metadata["outlet"] == "Coastal Wire"
    assert doc.metadata["url"] == "https://coastalwire.example/2026/03/14/port-authority-denies"
    assert "completely false" in doc.text


def test_a_page_without_article_text_is_a_clear_error():
    with pytest.raises(DocumentError, match="no article text"):
        load_input(str(PAGES / "empty_shell.html"))


def test_extraction_is_archived_so_the_same_page_keeps_its_text(tmp_path, monkeypatch):
    archive = ExtractionArchive(tmp_path / "texts")
    data = (PAGES / "harbor_strike.html").read_bytes()
    first = html_document(data, "a.html", archive)
    assert len(list((tmp_path / "texts").iterdir())) == 1

    import annotations.html as html

    def broken(*_args, **_kwargs):  # a later trafilatura that extracts differently
        raise AssertionError("extraction should come from the archive")

    monkeypatch.setattr(html, "extract", broken)
    again = html_document(data, "a.html", archive)
    assert again.text == first.text and again.sha256 == first.sha256
    assert again.metadata["title"] == first.metadata["title"]


def test_standard_input_may_be_an_html_page():
    data = (PAGES / "harbor_denial.html").read_bytes()
    doc = load_input("-", stdin=io.BytesIO(data))
    assert doc.metadata["outlet"] == "Coastal Wire" and doc.path == "-"
    plain = load_input("-", stdin=io.BytesIO(b"Just text.\r\n"))
    assert plain.text == "Just text.\n"


@pytest.mark.parametrize("name", ["cnn_social_security", "fox_iran_fuel", "huffpost_alabama_law"])
def test_devset_pages_extract_their_article(name):
    page = shared_path("devset", f"{name}.html")
    doc = load_input(str(page))
    reference = load_document(page.with_suffix(".txt")).text
    assert doc.metadata.get("title")
    # the first paragraph of the hand-made text is in the extraction
    first = reference.split("\n\n")[0][:80]
    assert first[:40] in doc.text


def test_annotations_on_an_html_page_export_against_its_extracted_text(tmp_path):
    import json
    import subprocess
    import sys

    from annotations.html import archive_dir
    from annotations.model import new_annotation
    from annotations.store import open_store

    page = tmp_path / "page.html"
    page.write_bytes((PAGES / "harbor_strike.html").read_bytes())
    db = tmp_path / "db.json"
    document = load_input(str(page), ExtractionArchive(archive_dir(db)))
    start = document.text.index("Maria Okafor")
    with open_store(db) as store:
        store.register_document(document)
        store.add(new_annotation(document, start, start + len("Maria Okafor"), label="PERSON"))
    result = subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), "export", str(page)],
                            capture_output=True, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr.decode()
    exported = json.loads(result.stdout)
    assert exported["document"]["sha256"] == document.sha256
    assert [(a["text"], a["start"]) for a in exported["annotations"]] == [("Maria Okafor", start)]
