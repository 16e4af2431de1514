"""HTML pages read right: every sentence of the article kept, the wire lead kept, the
publication date from the page's own address rather than from a related link."""

from __future__ import annotations

import re

import pytest

from annotations.html import extract, missing_lead, url_date
from tests.conftest import SHARED, shared_path

MIN_SHARE = 0.95


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower()


def _sentences(text: str) -> list[str]:
    found = []
    for paragraph in text.split("\n"):
        found += [s for s in re.split(r"(?<=[.!?])\s+(?=[\"\u201c(]?[A-Z0-9])", paragraph) if len(s.split()) >= 3]
    return found


def kept_share(page_text: str, reference: str) -> float:
    """Share of the reference text's sentences found in the extracted text."""
    sentences = _sentences(reference)
    flat = _norm(page_text)
    return sum(1 for s in sentences if _norm(s) in flat) / max(1, len(sentences))


PAGES = sorted(p.stem for folder in ("devset", "devset2") for p in (SHARED / folder).glob("*.html")) \
    if SHARED.is_dir() else ["(no ../shared)"]


@pytest.mark.parametrize("name", PAGES)
def test_every_devset_page_keeps_its_sentences(name):
    folder = "devset" if (SHARED / "devset" / f"{name}.html").exists() else "devset2"
    page = shared_path(folder, f"{name}.html")
    text, _ = extract(page.read_bytes(), str(page))
    share = kept_share(text, page.with_suffix(".txt").read_text(encoding="utf-8"))
    assert share >= MIN_SHARE, f"{name}: {share:.3f} of the sentences kept"


def test_the_ap_lead_in_a_bare_text_node_is_kept():
    page = shared_path("devset", "yahoo_jobs_resigns.html")
    text, _ = extract(page.read_bytes(), str(page))
    assert text.startswith("SAN FRANCISCO (AP) \u2014 Steve Jobs")
    assert "resigned as CEO on Wednesday" in text.split("\n\n")[0]


def test_the_date_is_the_pages_own_not_a_related_links():
    page = shared_path("devset", "cnn_social_security.html")
    _, metadata = extract(page.read_bytes(), str(page))
    assert metadata["date"] == "2010-08-13"


def test_url_date_reads_dated_paths_only():
    assert url_date("http://www.cnn.com/2010/POLITICS/08/13/democrats.social.security/index.html") == "2010-08-13"
    assert url_date("https://example.org/2019/07/30/crash-story") == "2019-07-30"
    assert url_date("https://example.org/news/crash-story-20190730") is None
    assert url_date("https://example.org/2019/13/40/x") is None
    assert url_date(None) is None


PAGE = """<html><head><meta name="description" content="Read it on Wire News. Jane Roe, the
founder of Harbor Foods, stepped down as chief executive on Monday after twenty years."></head>
<body><div><div class="related"><a href="/x">Related story</a></div>HARBORVILLE (Wire) \u2014 Jane Roe,
the founder of Harbor Foods, stepped down as chief executive on Monday after twenty years, the
company said.<p>The board named her deputy, Tom Hale, to succeed her.</p></div></body></html>"""


def test_missing_lead_puts_back_the_text_node_the_description_repeats():
    text = "The board named her deputy, Tom Hale, to succeed her."
    lead = missing_lead(PAGE, text, "Read it on Wire News. Jane Roe, the founder of Harbor Foods, stepped down "
                                    "as chief executive on Monday after twenty years.")
    assert lead is not None and lead.startswith("HARBORVILLE (Wire) \u2014 Jane Roe")


def test_missing_lead_adds_nothing_when_the_lead_is_there_or_no_description():
    text = ("HARBORVILLE (Wire) \u2014 Jane Roe, the founder of Harbor Foods, stepped down as chief executive "
            "on Monday after twenty years, the company said.\nThe board named her deputy.")
    assert missing_lead(PAGE, text, "Jane Roe, the founder of Harbor Foods, stepped down as chief executive "
                                    "on Monday after twenty years.") is None
    assert missing_lead(PAGE, "The board named her deputy.", None) is None
