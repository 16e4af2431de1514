"""Where annotate keeps its files: platformdirs folders, overridable.

The database defaults to the user's data folder (never the current folder);
``--db`` or ``ANNOTATE_DB`` override it. The analysis cache lives in the user's cache
folder (``ANNOTATE_CACHE_DIR`` overrides), the config in the user's config folder
(``ANNOTATE_CONFIG_DIR`` overrides).
"""

from __future__ import annotations

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
