"""Issue 12, points 1, 2 and 10, in the reader (Pilot).

1: a tag the screen confirmed is never lost when the article changes and is registered
elsewhere (``annotate export``) while the reader is open.
2: ctrl+z in one running reader never reverts a change another running reader made.
10: while another process holds the database lock, the reader says that it waits and
keeps the keys pressed meanwhile (in order), saving them once the lock is free.
"""

from __future__ import annotations

import fcntl
import json
import os

from annotations.document import load_document
from annotations.export import export_document
from annotations.model import new_annotation
from annotations.store import open_store
from tests.tui.conftest import make_app, notifications, settle  # noqa: F401 (make_app is a fixture)
from tui.widgets.article_view import ArticleView

TEXT = "The minister said the bridge would open in May.\nCritics called the plan unrealistic.\n"


def saved_texts(db) -> list[str]:
    store = open_store(db)
    try:
        return sorted(a.text for document in store.documents() for a in store.annotations(document["sha256"]))
    finally:
        store.close()


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


async def tag(pilot, app, word: str, key: str = "1") -> None:
    app.screen.query_one(ArticleView).select_range(*span(word))
    await pilot.press(key)
    await pilot.pause()


async def test_keys_pressed_while_another_process_holds_the_lock_are_kept_and_saved_in_order(make_app, tmp_path):
    db = tmp_path / "db.json"
    app = make_app(TEXT, db=db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await tag(pilot, app, "minister")  # saved at once
        assert "Tagged" in notifications(app)
        holder = os.open(f"{db}.lock", os.O_RDWR)  # another process's lock: its own open file
        fcntl.flock(holder, fcntl.LOCK_EX)
        try:
            before = db.read_bytes()
            await tag(pilot, app, "bridge")
            assert "Waiting for the database lock" in notifications(app)
            await tag(pilot, app, "Critics", key="2")
            await tag(pilot, app, "unrealistic")
            await pilot.press("ctrl+z")  # undoes "unrealistic": after it, in key order
            view = app.screen.query_one(ArticleView)
            view.move_cursor(0)
            await pilot.press("right", "right")  # the screen keeps working meanwhile
            await pilot.pause()
            assert view.cursor == 2
            assert app.is_running
            assert db.read_bytes() == before  # nothing could be saved yet
        finally:
            fcntl.flock(holder, fcntl.LOCK_UN)
            os.close(holder)
        await settle(pilot)
        assert "everything is saved" in notifications(app)
        assert saved_texts(db) == ["Critics", "bridge", "minister"]
        assert {a.text for a in app.screen.annotations} == {"Critics", "bridge", "minister"}


async def test_quitting_while_changes_wait_saves_them_first(make_app, tmp_path):
    db = tmp_path / "db.json"
    app = make_app(TEXT, db=db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await tag(pilot, app, "minister")
        holder = os.open(f"{db}.lock", os.O_RDWR)
        fcntl.flock(holder, fcntl.LOCK_EX)
        try:
            await tag(pilot, app, "bridge")
            await pilot.press("q")
            await pilot.pause()
            assert app.is_running and "Quitting once" in notifications(app)
        finally:
            fcntl.flock(holder, fcntl.LOCK_UN)
            os.close(holder)
        for _ in range(400):  # generous: the worker retries every 20 ms, then the app exits
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
        assert app.return_code == 0
    assert saved_texts(db) == ["bridge", "minister"]


async def test_ctrl_z_in_one_reader_never_reverts_what_another_running_reader_did(make_app, tmp_path):
    db = tmp_path / "db.json"
    app = make_app(TEXT, db=db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await tag(pilot, app, "minister")  # this reader
        other = open_store(db)  # another running reader
        document = load_document(tmp_path / "article.txt")
        other.register_document(document)
        other.add(new_annotation(document, *span("Critics"), label="ORG"))
        await pilot.press("ctrl+z")
        await pilot.pause()
        await pilot.press("ctrl+z")  # nothing more of its own
        await pilot.pause()
        assert "Nothing to undo" in notifications(app)
        assert saved_texts(db) == ["Critics"]
        other.close()


async def test_a_tag_confirmed_after_the_article_changed_and_was_exported_elsewhere_is_kept(make_app, tmp_path):
    db = tmp_path / "db.json"
    app = make_app(TEXT, db=db)
    article = tmp_path / "article.txt"
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await tag(pilot, app, "minister")
        assert "Tagged" in notifications(app)
        article.write_text("A line inserted on top.\n" + TEXT, encoding="utf-8")  # from outside
        outside = open_store(db)
        export_document(outside, load_document(article), "json")  # annotate export FILE
        outside.close()
        await tag(pilot, app, "Critics")
        assert notifications(app).count("Tagged") == 2
        await pilot.press("q")
    final = open_store(db)
    try:
        exported = json.loads(export_document(final, load_document(article), "json"))["annotations"]
    finally:
        final.close()
    changed = article.read_text(encoding="utf-8")
    assert sorted((a["text"], changed[a["start"]:a["end"]]) for a in exported) == [
        ("Critics", "Critics"), ("minister", "minister")]
