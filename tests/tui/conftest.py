"""Pilot helpers: an app on a temporary article and store, waiting for workers."""

from __future__ import annotations

import pytest

from annotations.document import load_document
from annotations.store import open_store
from tui.app import AnnotateApp


@pytest.fixture
def make_app(tmp_path):
    """Build an AnnotateApp on ``text`` (or a path) with a fresh store in tmp_path."""
    opened = []

    def build(text: str | None = None, path=None, run_analysis: bool = False, db=None, labels=None):
        if path is None:
            path = tmp_path / "article.txt"
            path.write_text(text or "", encoding="utf-8")
        store = open_store(db or tmp_path / "db.json")
        opened.append(store)
        app = AnnotateApp(load_document(path), store, labels=labels, run_analysis=run_analysis)
        return app

    yield build
    for store in opened:
        store.close()


async def settle(pilot) -> None:
    """Wait until workers are done and the screen has caught up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def screen_text(app) -> str:
    """What the terminal shows, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def notifications(app) -> str:
    """Every notification the app has shown and not yet expired: titles and messages."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)
