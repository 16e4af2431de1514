"""What the command line may name: files, folders, ``-``; text and HTML.

* a folder stands for the articles in it (recursively, sorted by path; hidden files and
  folders skipped): ``.txt``, ``.md``, ``.markdown``, ``.text`` and ``.html``/``.htm``;
* a file named explicitly is opened whatever its suffix: ``.html``/``.htm`` through
  trafilatura (``annotations.html``), anything else as UTF-8 text;
* ``-`` is standard input (an HTML page when it starts like one).

Problems never stop the others: ``expand`` returns the errors beside the paths, and
``load_input`` raises ``DocumentError`` naming the file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from annotations.document import Document, DocumentError, document_from_bytes, read_bytes
from annotations.html import ExtractionArchive, html_document, is_html_path, looks_like_html

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class Expanded:
    paths: list[str]
    errors: list[DocumentError]


def expand(arguments: list[str]) -> Expanded:
    """Files and folders -> article paths in order (duplicates once), and the errors."""
    out: list[str] = []
    errors: list[DocumentError] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == "-" else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    for argument in arguments:
        if argument == "-":
            add(argument)
        elif os.path.isdir(argument):
            found = list(articles_in(argument))
            if not found:
                errors.append(DocumentError(argument, f"folder has no articles ({', '.join(ARTICLE_SUFFIXES)})"))
            for path in found:
                add(path)
        elif os.path.exists(argument):
            add(argument)
        else:
            errors.append(DocumentError(argument, "no such file"))
    return Expanded(out, errors)


def articles_in(folder: str):
    """Article files under ``folder``, sorted, hidden entries skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES):
                yield os.path.join(root, name)


def load_input(path: str, archive: ExtractionArchive | None = None, stdin=None) -> Document:
    """The Document for one path (``-``: standard input). Raises DocumentError."""
    if path == "-":
        data = (stdin or sys.stdin.buffer).read()
        if looks_like_html(data):
            return html_document(data, "-", archive)
        return with_text_metadata(document_from_bytes(data, "-"))
    data = read_bytes(path)
    if is_html_path(path):
        return html_document(data, path, archive)
    return with_text_metadata(document_from_bytes(data, path))


def with_text_metadata(document: Document) -> Document:
    document.metadata.setdefault("format", "text")
    return document


def title_of(document: Document) -> str:
    """The metadata title, else the first line of the text (a Markdown heading's text)."""
    title = document.metadata.get("title")
    if title:
        return str(title)
    return first_line_title(document.text) or document.name


def first_line_title(text: str, limit: int = 200) -> str:
    for line in text[:4000].split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:limit]
    return ""
