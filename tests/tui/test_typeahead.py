"""Keys typed faster than a screen opens go to that screen, in order (tui/key_queue.py).

``pilot.press`` waits for the app to be idle after every key, which hides this class of
bug; these tests send every key to the driver at once, as a fast typist (or a paste of
keys into the terminal) does, and then read the store back.
"""

from __future__ import annotations

import asyncio
import unicodedata
from pathlib import Path

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from annotations.export import default_export_path
from annotations.store import open_store

TEXT = "Officials in Paris said Ukrinform reported on Monday that the talks had failed.\n"


def saved(tmp_path, app) -> list:
    store = open_store(tmp_path / "db.json")
    try:
        return store.annotations(app.document.sha256)
    finally:
        store.close()


def type_at_once(app, keys: list) -> None:
    """Hand every key to the driver without waiting in between (as a terminal does); a
    (key, character) pair is sent as it is."""
    for key in keys:
        if isinstance(key, tuple):
            event = events.Key(*key)
            event.set_sender(app)
            app._driver.send_message(event)
            continue
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def until_typed(pilot, deadline: float = 30.0) -> None:
    """Wait until every held key was handed on and handled (generous: a loaded machine)."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    await asyncio.sleep(0.05)
    while loop.time() < end:
        if not app.key_queue.pending and app.key_queue.task is None and app.key_queue.settled():
            break
        await asyncio.sleep(0.02)
    await pilot.pause()


def search_then_note() -> list[str]:
    return ["/", *"Ukrinform", "enter", "n", *"check this", "ctrl+s"]


async def test_a_note_typed_fast_after_a_search_lands_on_the_match(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await until_typed(pilot)
        type_at_once(app, search_then_note())
        await until_typed(pilot)
        assert not app.query("NoteEditor") and app.screen is app.reader
    anns = saved(tmp_path, app)
    assert [(a.text, a.note) for a in anns] == [("Ukrinform", "check this")]


async def test_keys_typed_while_the_reader_starts_are_kept_in_order(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        type_at_once(app, search_then_note())  # before the panel and the store are there
        await until_typed(pilot)
    anns = saved(tmp_path, app)
    assert [(a.text, a.note) for a in anns] == [("Ukrinform", "check this")]


async def test_every_dialog_gets_the_keys_typed_right_after_the_key_that_opens_it(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await until_typed(pilot)
        keys = [
            "/", *"Paris", "enter", "t", *"gpe", "enter",  # the label picker: filter, pick
            "e", "escape",  # the export dialog opens and closes: nothing is exported
            "/", *"Monday", "enter", "n", *"which one", "ctrl+s",  # the note editor
            "question_mark", "escape",  # help opens and closes
            "/", *"talks", "enter", "2",  # a label key right after a search
        ]
        type_at_once(app, keys)
        await until_typed(pilot)
        assert app.screen is app.reader
    anns = sorted(saved(tmp_path, app), key=lambda a: a.start)
    assert [(a.text, a.label, a.note) for a in anns] == [
        ("Paris", "GPE", ""), ("Monday", None, "which one"), ("talks", app.labels[1].name, ""),
    ]
    assert not Path(default_export_path(app.document.path, "json")).exists()


async def test_enter_typed_before_the_terminal_is_raw_still_submits(make_app, tmp_path):
    # Typed while annotate starts, the terminal's line discipline turns enter into a line
    # feed, which reaches the app as ctrl+j.
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        type_at_once(app, ["/", *"Ukrinform", ("ctrl+j", "\n"), "n", *"check this", "ctrl+s"])
        await until_typed(pilot)
    anns = saved(tmp_path, app)
    assert [(a.text, a.note) for a in anns] == [("Ukrinform", "check this")]
