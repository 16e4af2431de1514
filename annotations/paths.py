"""Where annotate keeps its files: platformdirs folders, overridable.

The database defaults to the user's data folder (never the current folder);
``--db`` or ``ANNOTATE_DB`` override it. The analysis cache lives in the user's cache
folder (``ANNOTATE_CACHE_DIR`` overrides), the config in the user's config folder
(``ANNOTATE_CONFIG_DIR`` overrides).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "annotate"
DB_FILENAME = "annotations.json"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    override = os.environ.get("ANNOTATE_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "analysis"


def config_dir() -> Path:
    override = os.environ.get("ANNOTATE_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: ``explicit`` (``--db``), else ``ANNOTATE_DB``, else the data folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("ANNOTATE_DB")
    if env:
        return Path(env)
    return data_dir() / DB_FILENAME


def store_files(db: str | os.PathLike | None = None) -> list[tuple[str, Path]]:
    """The files an output must never replace: the database (``db`` as for
    :func:`db_path`), its lock, and what lies beside it under its name (backups, copies
    of a corrupt file), at the path given and at the one its symlinks lead to."""
    database = Path(os.path.abspath(db_path(db)))
    found: list[tuple[str, Path]] = [("the annotation database", database)]
    for place in dict.fromkeys([database, Path(os.path.realpath(database))]):
        found.append(("the annotation database's lock file", place.with_name(place.name + ".lock")))
        with contextlib.suppress(OSError):
            for entry in os.scandir(place.parent):
                if entry.name.startswith(place.name + ".") and not entry.name.endswith(".lock"):
                    found.append(("a file the annotation database keeps beside it (a backup or copy)",
                                  Path(entry.path)))
    return found


def not_a_regular_file(path: str | os.PathLike) -> str | None:
    """What ``path`` is when it exists and is not a regular file (symlinks followed):
    "a FIFO", "a folder"...; None for a regular file or nothing there."""
    import stat

    from annotations.document import file_kind

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else file_kind(mode)
