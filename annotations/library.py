"""The library: one entry per article given on the command line, filled in lazily.

An entry starts with only its path (so the list shows at once, even for 10,000 files);
``describe`` then reads the file (text or archived HTML extraction), the cached analysis
(counts of claims and notes, without spaCy) and the store's counts of the user's
annotations. Nothing here keeps an article's text: entries are small.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from annotations.analysis_cache import AnalysisCache
from annotations.batch import cached_result
from annotations.document import Document, DocumentError
from annotations.html import ExtractionArchive
from annotations.inputs import first_line_title, load_input

PENDING, NOT_ANALYSED, ANALYSED, FAILED, UNREADABLE = "…", "not analysed", "analysed", "failed", "unreadable"
SORT_KEYS = ("title", "outlet", "date", "chars", "status", "claims", "notes", "mine", "path")


@dataclass
class Entry:
    path: str
    title: str = ""
    outlet: str = ""
    date: str = ""
    chars: int = 0
    status: str = PENDING
    claims: int | None = None
    notes: int | None = None
    mine: int | None = None
    sha256: str = ""
    error: str = ""
    loaded: bool = False
    search: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.title:
            self.title = os.path.basename(self.path) or self.path
        self.search = self._search_text()

    def _search_text(self) -> str:
        return f"{self.title}\n{self.outlet}\n{self.date}\n{self.path}\n{self.status}".casefold()

    def matches(self, needle: str) -> bool:
        return not needle or needle in self.search

    def sort_value(self, key: str):
        value = getattr(self, key)
        if key in ("claims", "notes", "mine"):
            return -1 if value is None else value
        if isinstance(value, str):
            return value.casefold()
        return value

    def fill(self, document: Document, analysis: dict | None, mine: int | None) -> None:
        meta = document.metadata
        self.title = str(meta.get("title") or first_line_title(document.text) or document.name)
        self.outlet = str(meta.get("outlet") or "")
        self.date = str(meta.get("date") or "")
        self.chars = document.chars
        self.sha256 = document.sha256
        self.mine = mine
        self.set_analysis(analysis)
        self.loaded = True

    def set_analysis(self, analysis: dict | None) -> None:
        if analysis is None:
            self.status, self.claims, self.notes = NOT_ANALYSED, None, None
        else:
            self.status = ANALYSED
            self.claims = len(analysis.get("claims", []))
            self.notes = len(analysis.get("notes", []))
        self.search = self._search_text()

    def fail(self, reason: str) -> None:
        self.status, self.error, self.loaded = UNREADABLE, reason, True
        self.search = self._search_text()


def entries_for(paths: Iterable[str]) -> list[Entry]:
    return [Entry(path) for path in paths]


def describe(
    entries: list[Entry],
    store=None,
    archive: ExtractionArchive | None = None,
    cache: AnalysisCache | None = None,
    cancel: threading.Event | None = None,
    on_batch: Callable[[list[int]], None] | None = None,
    batch: int = 200,
    order: Iterable[int] | None = None,
    interval: float = 0.25,
) -> None:
    """Fill the entries in place (``order``: indexes to do first, e.g. those on screen);
    ``on_batch`` gets the indexes filled since the last call."""
    cache = cache or AnalysisCache()
    counts = user_counts(store)
    done: list[int] = []
    indexes = list(order) if order is not None else range(len(entries))
    last = time.monotonic()
    for index in indexes:
        if cancel is not None and cancel.is_set():
            return
        entry = entries[index]
        if entry.loaded:
            continue
        try:
            document = load_input(entry.path, archive)
        except DocumentError as error:
            entry.fail(str(error))
        else:
            entry.fill(document, cached_result(document, cache), counts.get(document.sha256, 0))
        done.append(index)
        # report the first rows at once, then at most every `interval` seconds (one message
        # per file would flood the UI with 10,000 articles)
        if on_batch and (len(done) >= batch or time.monotonic() - last >= interval):
            on_batch(done)
            done = []
            last = time.monotonic()
            batch = max(batch, 1000)
    if on_batch and done:
        on_batch(done)


def user_counts(store) -> dict[str, int]:
    """sha256 -> how many annotations the user made on it (0 when the store has none)."""
    if store is None:
        return {}
    try:
        return {row["sha256"]: row["annotations"] for row in store.documents()}
    except Exception:  # a store problem must not stop the list; the reader reports it
        return {}


def sorted_filtered(entries: list[Entry], needle: str, key: str, reverse: bool) -> list[int]:
    """Indexes of the entries matching ``needle`` (case-insensitive), sorted by ``key``."""
    needle = needle.casefold().strip()
    indexes = [i for i, e in enumerate(entries) if e.matches(needle)] if needle else list(range(len(entries)))
    if key != "path" or reverse:
        indexes.sort(key=lambda i: entries[i].sort_value(key), reverse=reverse)
    return indexes
