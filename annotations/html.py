"""HTML pages -> article text with trafilatura, keeping title, author, date, URL and outlet.

The extracted text is the document: offsets refer to it. Extraction depends on the
trafilatura version and its heuristics, so the result is kept in an archive of its own
(one small JSON file per page, keyed by the sha256 of the page's raw bytes, in a folder
beside the database). The same page therefore always gives the same text, and annotations
made on it stay valid even after trafilatura changes. The archive is not in the TinyDB
file on purpose: every TinyDB write rewrites the whole file.

Paragraphs are separated by a blank line (trafilatura gives one per line), as in the
``.txt`` articles the analysis is tuned on.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import urlparse

from annotations import paths
from annotations.atomic import write_atomically
from annotations.document import Document, DocumentError, document_from_text

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
METADATA_KEYS = ("title", "author", "date", "url", "outlet", "description")
ARCHIVE_VERSION = 1
_BLANK_RUNS = re.compile(r"\n{2,}")


def is_html_path(path: str) -> bool:
    return path.lower().endswith(HTML_SUFFIXES)


def looks_like_html(data: bytes) -> bool:
    """For standard input: a page starts (after whitespace) with a doctype or <html>."""
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def decode_html(data: bytes, path: str) -> str:
    """Pages are mostly UTF-8; fall back to the charset the page declares, then cp1252."""
    if b"\x00" in data[:8192]:
        raise DocumentError(path, "binary file (NUL byte in the first 8 KiB), not an HTML page")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = re.search(rb"""charset=["']?([A-Za-z0-9_.:-]+)""", data[:4096])
    for encoding in ([match.group(1).decode("ascii")] if match else []) + ["cp1252"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def outlet_of(site: str | None, url: str | None, hostname: str | None) -> str | None:
    if site:
        return site
    host = hostname or (urlparse(url).hostname if url else None)
    if host:
        return host.removeprefix("www.")
    return None


def extract(data: bytes, path: str) -> tuple[str, dict]:
    """(article text, metadata) of an HTML page. Raises DocumentError when nothing is found."""
    import trafilatura  # imported here: text files never pay for it

    markup = decode_html(data, path)
    from trafilatura.settings import set_date_params

    # not favor_precision: on the devset pages it dropped standfirsts and whole paragraphs
    # and added no furniture the analysis does not already recognise; no extensive date
    # search: it takes dates from the URLs of related links ("/2011/08/19/..." on a 2010 page)
    try:
        result = trafilatura.bare_extraction(
            markup, with_metadata=True, output_format="python", include_comments=False,
            include_tables=False, date_extraction_params=set_date_params(extensive=False),
        )
    except Exception as error:  # trafilatura raises many kinds on odd markup
        raise DocumentError(path, f"HTML could not be read ({type(error).__name__}: {error})") from None
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        raise DocumentError(path, "no article text found in this HTML page")
    get = lambda name: (getattr(result, name, None) or None)  # noqa: E731
    lead = missing_lead(markup, text, get("description"))
    if lead:
        text = lead + "\n" + text
    # one paragraph per line -> paragraphs separated by a blank line
    text = _BLANK_RUNS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "\n\n")
    metadata = {
        "title": get("title"),
        "author": get("author"),
        "date": url_date(get("url")) or get("date"),
        "url": get("url"),
        "outlet": outlet_of(get("sitename"), get("url"), get("hostname")),
        "description": get("description"),
        "format": "html",
    }
    return text, {k: v for k, v in metadata.items() if v}


# the page's own address dates it: "/2010/POLITICS/08/13/democrats.social.security/"
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(?:[A-Za-z][\w-]*/)?(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])(?:/|$)")
_SPACES = re.compile(r"\s+")


def url_date(url: str | None) -> str | None:
    """The publication date written in the page's own (canonical) URL, as YYYY-MM-DD."""
    match = _URL_DATE.search(urlparse(url).path) if url else None
    return "-".join(match.groups()) if match else None


def missing_lead(markup: str, text: str, description: str | None) -> str | None:
    """The story's lead paragraph when the extractor dropped it: wire stories often put it
    in a bare text node ("SAN FRANCISCO (AP) \u2014 Steve Jobs ... resigned ..."), and the
    page's description repeats it. A text node of the page holding a sentence of the
    description, absent from the extracted text, is put back before it."""
    if not description:
        return None
    flat_text = _SPACES.sub(" ", text)
    probes = [p.strip() for p in re.split(r"(?<=[.!?])\s+", description) if len(p.split()) >= 8]
    probes = [p[:60] for p in probes if p[:60] not in flat_text]
    if not probes:
        return None
    import lxml.html

    try:
        tree = lxml.html.fromstring(markup)
    except (ValueError, lxml.etree.LxmlError):
        return None
    for element in tree.iter():
        if element.tag in ("script", "style", "meta", "title", "head") or not isinstance(element.tag, str):
            continue
        for piece in (element.text, element.tail):
            if not piece or len(piece) < 80:
                continue
            flat = _SPACES.sub(" ", piece).strip()
            if any(probe in flat for probe in probes) and flat[:60] not in flat_text:
                return flat
    return None


class ExtractionArchive:
    """Extracted texts, one JSON file per page: ``<sha256 of the raw bytes>.json``."""

    def __init__(self, folder: str | os.PathLike | None) -> None:
        self.folder = Path(folder) if folder is not None else None

    def _file(self, raw_sha: str) -> Path:
        return self.folder / f"{raw_sha}.json"

    def get(self, raw_sha: str) -> dict | None:
        if self.folder is None:
            return None
        import json  # on use: opening a text article (the reader's first paint) never needs it

        try:
            with open(self._file(raw_sha), "rb") as handle:
                record = json.loads(handle.read())
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            return None
        return record

    def put(self, raw_sha: str, record: dict) -> bool:
        """Write atomically; an unwritable folder only means no archive (False)."""
        if self.folder is None:
            return False
        import json

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._file(raw_sha), json.dumps(record, ensure_ascii=False))
        except OSError:
            return False
        return True


def archive_dir(db: str | os.PathLike | None = None) -> Path:
    """Beside the database: ``<db>.texts/`` (like ``<db>.lock`` and ``<db>.bak-*``)."""
    db_file = paths.db_path(db)
    return db_file.with_name(db_file.name + ".texts")


def html_document(data: bytes, path: str, archive: ExtractionArchive | None = None) -> Document:
    """The Document of an HTML page: from the archive when this page was extracted before."""
    raw_sha = hashlib.sha256(data).hexdigest()
    record = archive.get(raw_sha) if archive is not None else None
    if record is not None:
        metadata = dict(record.get("metadata") or {})
        text = record["text"]
    else:
        text, metadata = extract(data, path)
    metadata["page_sha256"] = raw_sha
    document = document_from_text(text, path, metadata=metadata)
    if archive is not None and record is None:
        archive.put(raw_sha, {
            "archive": ARCHIVE_VERSION, "sha256": document.sha256, "path": path,
            "text": document.text, "metadata": {k: v for k, v in metadata.items() if k != "page_sha256"},
        })
    return document
