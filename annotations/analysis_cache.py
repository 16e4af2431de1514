"""Analysis results cached on disk, one JSON file per (text sha256, model, pipeline version).

Kept out of the annotations database on purpose: every TinyDB write rewrites the whole
file, so a large cache there would make each saved annotation slow.

What is read back is checked, because anything may have written the file: against
``schemas/analysis-cache.json`` (skipped when the file is exactly the one annotate wrote:
its identity, as for the database, is in a ``.stamp`` beside it, and any other writer
changes at least its ctime), and every span against the document text
(``text == document[start:end]``). A file that fails is a miss: the analysis runs again
and replaces it.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Iterator

from annotations import paths
from annotations.atomic import write_atomically


# Larger is not an entry annotate wrote (a 50 MB article's analysis is far smaller): a miss.
MAX_ENTRY_BYTES = 1 << 30


def cache_key(sha256: str, model_name: str, model_version: str, pipeline_version: str) -> str:
    safe = lambda s: "".join(c if c.isalnum() or c in "._-" else "_" for c in s)  # noqa: E731
    return f"{sha256}-{safe(model_name)}-{safe(model_version)}-p{safe(pipeline_version)}"


def _identity(stat: os.stat_result) -> bytes:
    return f"{stat.st_ino} {stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns}".encode()


def spans(value: Any) -> Iterator[dict]:
    """Every object in ``value`` that places a text: integer ``start`` and ``end``."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            yield value
        for item in value.values():
            if isinstance(item, (dict, list)):
                yield from spans(item)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                yield from spans(item)


def spans_match(value: Any, text: str) -> bool:
    """Does every span quote ``text`` where it says (``text == document[start:end]``)?"""
    size = len(text)
    for span in spans(value):
        start, end, quoted = span["start"], span["end"], span.get("text")
        if not (isinstance(quoted, str) and 0 <= start <= end <= size and text[start:end] == quoted):
            return False
    return True


class AnalysisCache:
    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else paths.cache_dir()

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _stamp_file(self, key: str) -> Path:
        return self.folder / f"{key}.json.stamp"

    def get(self, key: str, text: str | None = None) -> dict | None:
        """The cached result, or None when absent, unreadable or invalid (a miss). With
        ``text`` (the document's), a result with a span that does not quote it is a miss."""
        try:
            # never a FIFO (would block), a device (endless) or a link planted in the cache
            fd = os.open(self._file(key), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_CLOEXEC", 0))
            with open(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                    return None
                identity = _identity(info)
                raw = handle.read(MAX_ENTRY_BYTES + 1)
            value = json.loads(raw)
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(value, dict):
            return None
        if not self._stamped(key, identity):
            from annotations import schemas

            if schemas.problem("analysis-cache", value) is not None:
                return None
        if text is not None and not spans_match(value, text):
            return None
        return value

    def _stamped(self, key: str, identity: bytes) -> bool:
        try:
            fd = os.open(self._stamp_file(key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return False
        try:
            return os.read(fd, 200) == identity
        except OSError:
            return False
        finally:
            os.close(fd)

    def put(self, key: str, value: dict) -> bool:
        """Store a result atomically; returns False (and caches nothing) when the folder is unwritable."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # No fsync: a lost cache entry is recomputed, and fsync per entry slows batches.
            write_atomically(self._file(key), json.dumps(value, ensure_ascii=False), fsync=False)
            identity = _identity(os.stat(self._file(key)))
            write_atomically(self._stamp_file(key), identity, fsync=False)
        except OSError:
            return False
        return True
