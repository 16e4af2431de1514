"""Helpers for the many-articles tests: small articles written here, pages in ``pages/``."""

from __future__ import annotations

from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parent / "pages"

ARTICLES = {
    "strike.txt": (
        "Port workers walk out\n\n"
        "Dock workers at the northern port stopped work on Friday, union leaders said.\n\n"
        "\"The container terminal is at a standstill,\" said Maria Okafor, the union's secretary.\n"
    ),
    "denial.md": (
        "# Authority says port is open\n\n"
        "\"The container terminal is not at a standstill; reports of a shutdown are false,\" "
        "said Paul Brennan, the port authority's director.\n"
    ),
    "council.txt": (
        "Council approves budget\n\n"
        "The city council approved the budget on Tuesday, Mayor Lena Ortiz said.\n"
    ),
}


@pytest.fixture
def story(tmp_path) -> Path:
    """A folder with three text articles and one HTML page (plus a file that is not an article)."""
    folder = tmp_path / "story"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "page.html").write_bytes((PAGES / "harbor_strike.html").read_bytes())
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("hidden\n", encoding="utf-8")
    return folder
