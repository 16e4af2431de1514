"""Every test gets its own database, analysis cache and config folder: never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "seeds" / "article.txt"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, skipping the test with a reason when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared sits beside the checkout in CI)")
    return path


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("ANNOTATE_DB", str(base / "data" / "annotations.json"))
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    return base
