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
from dataclasses import dataclass, field

from annotations.document import Document, DocumentError, document_from_bytes, file_kind, is_stream_mode, read_input
from annotations.html import ExtractionArchive, html_document, is_html_path, looks_like_html

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class Expanded:
    paths: list[str]
    errors: list[DocumentError]
    skipped: list[DocumentError] = field(default_factory=list)  # in folders: not regular files


def expand(arguments: list[str]) -> Expanded:
    """Files and folders -> article paths in order (duplicates once), the errors, and the
    entries of folders that were passed over (FIFOs, devices, sockets: not articles)."""
    out: list[str] = []
    errors: list[DocumentError] = []
    skipped: list[DocumentError] = []
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
            found = list(articles_in(argument, skipped))
            if not found:
                errors.append(DocumentError(argument, f"folder has no articles ({', '.join(ARTICLE_SUFFIXES)})"))
            for path in found:
                add(path)
        elif os.path.exists(argument):
            add(argument)
        else:
            errors.append(DocumentError(argument, "no such file"))
    return Expanded(out, errors, skipped)


def articles_in(folder: str, skipped: list[DocumentError] | None = None):
    """Article files under ``folder``: its own, sorted, then each subfolder's (as
    ``os.walk``; symlinked folders not followed); hidden entries passed over. Only regular
    files (or symlinks to them) are articles: any other entry with an article's name is
    added to ``skipped``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    subfolders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                if not entry.is_symlink():
                    subfolders.append(entry.path)
                continue
            if not entry.name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            if entry.is_file():
                yield entry.path
                continue
            kind = file_kind(entry.stat().st_mode)
        except OSError as error:  # a dangling symlink, a file gone meanwhile
            kind = f"unreadable ({error.strerror or error})"
        if skipped is not None:
            skipped.append(DocumentError(entry.path, f"{kind}, not a regular file: skipped"))
    for subfolder in subfolders:
        yield from articles_in(subfolder, skipped)


def load_input(path: str, archive: ExtractionArchive | None = None, stdin=None) -> Document:
    """The Document for one path (``-``: standard input). Raises DocumentError.

    A stream (standard input, a FIFO such as ``<(command)``, a character device) is an
    HTML page when it starts like one; its document is marked ``stream``: identified by
    its sha256 only, never by its path (``/dev/fd/63`` is another article each time)."""
    data, stream = read_input(path, stdin)
    if stream:
        document = html_document(data, path, archive) if looks_like_html(data) else \
            with_text_metadata(document_from_bytes(data, path))
        document.metadata["stream"] = True
        return document
    if is_html_path(path):
        return html_document(data, path, archive)
    return with_text_metadata(document_from_bytes(data, path))


def names_a_stream(path: str) -> bool:
    """``-``, a FIFO or a character device: what can be read only once."""
    if path == "-":
        return True
    try:
        return is_stream_mode(os.stat(path).st_mode)
    except OSError:
        return False


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
