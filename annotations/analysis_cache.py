"""Analysis results cached on disk, one JSON file per (text sha256, model, pipeline version).

Kept out of the annotations database on purpose: every TinyDB write rewrites the whole
file, so a large cache there would make each saved annotation slow.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from annotations import paths
from annotations.atomic import write_atomically


def cache_key(sha256: str, model_name: str, model_version: str, pipeline_version: str) -> str:
    safe = lambda s: "".join(c if c.isalnum() or c in "._-" else "_" for c in s)  # noqa: E731
    return f"{sha256}-{safe(model_name)}-{safe(model_version)}-p{safe(pipeline_version)}"


class AnalysisCache:
    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else paths.cache_dir()

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The cached result, or None when absent or unreadable (a bad entry is just a miss)."""
        try:
            with open(self._file(key), "rb") as handle:
                value = json.loads(handle.read())
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict) -> bool:
        """Store a result atomically; returns False (and caches nothing) when the folder is unwritable."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # No fsync: a lost cache entry is recomputed, and fsync per entry slows batches.
            write_atomically(self._file(key), json.dumps(value, ensure_ascii=False), fsync=False)
        except OSError:
            return False
        return True
