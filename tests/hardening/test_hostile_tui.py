"""Hostile and broken input in the TUI (issue 7, point 4), driven with Pilot.

For each hostile article the app is opened, keys are pressed (tag, note, search,
export, help, focus), and then: the app is still running (no action link ran, no
markup error), no raw control character is on the screen (every rendered segment is
checked) and the store holds exactly what the keys saved, with ``text ==
document[start:end]``.  Then the environment breaks under the running app: the file is
deleted or changed, the store turns corrupt, the disk fills up.
"""

from __future__ import annotations

import errno
import tempfile

import pytest

from annotations import store as store_module
from annotations.document import load_document
from annotations.model import Annotation, new_annotation
from annotations.store import open_store
from tests.hardening.conftest import raw_controls
from tests.tui.conftest import make_app, notifications, screen_text, settle  # noqa: F401 (make_app is a fixture)
from tui.widgets.article_view import ArticleView

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x9b31m \x90DCS\x9c \x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
MARKUP = "[bold red]loud[/] [/bold] [@click=app.quit]quit[/] [@click=screen.dismiss]x[/] [link=file:///etc]y[/link]"

HOSTILE = {
    "escapes-and-controls": (
        f"Officials said {ESCAPES} on Monday.\n\nStart " + "".join(chr(c) for c in range(1, 32))
        + " \x7f " + "".join(chr(c) for c in range(0x80, 0xA0)) + " end.\n"
    ).encode(),
    "markup": f"Critics said {MARKUP} again.\n\n[/]\n".encode(),
    "crlf-bom": "\ufeffFirst line.\r\nSecond line.\rThird line.\r\n".encode(),
    "scripts": (
        "Family 👩\u200d👩\u200d👧\u200d👦 flag 🏳️\u200d🌈 e\u0301 𝔘𝔫𝔦 and more words here.\n"
        "قال الوزير إن الجسر سيفتح في مايو. \u202eevil\u202c \u2066x\u2069 שלום עולם and English.\n"
        "Line\u2028separator\u2029para \u200e\u200f\u061c marks and words.\n"
    ).encode(),
    "empty": b"",
}


def assert_screen_clean(app) -> None:
    shown = screen_text(app)
    assert raw_controls(shown) == [], f"raw controls on screen: {raw_controls(shown)[:5]}"
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            assert not segment.control, f"a control segment reached the screen: {segment!r}"
    assert raw_controls(app.title) == []
    assert raw_controls(notifications(app)) == []


def saved(db, sha: str) -> list[Annotation]:
    store = open_store(db)
    try:
        return store.annotations(sha)
    finally:
        store.close()


async def open_app(make_app, tmp_path, content: bytes, name: str = "article.txt", **options):
    path = tmp_path / name
    path.write_bytes(content)
    return make_app(path=path, **options), path


@pytest.mark.parametrize("name", sorted(HOSTILE))
async def test_hostile_article_keys_work_screen_stays_clean_store_holds_what_was_saved(make_app, tmp_path, name):
    app, path = await open_app(make_app, tmp_path, HOSTILE[name])
    document = load_document(path)
    text = document.text
    async with app.run_test(size=(90, 28)) as pilot:
        await settle(pilot)
        assert_screen_clean(app)
        view = app.screen.query_one(ArticleView)
        expected = []
        if text.strip():
            # tag: a selection made with shift+arrows, then the first label
            await pilot.press("home", *["shift+right"] * 6, "1")
            await pilot.pause()
            assert_screen_clean(app)
            # note: on a later span, typing markup-looking text
            start = min(8, len(text) - 1)
            end = min(len(text), start + 5)
            view.select_range(start, end)
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*"[/][@click=app.quit]", "ctrl+s")
            await pilot.pause()
            assert_screen_clean(app)
            expected = sorted([(text[start:end], "[/][@click=app.quit]")])
            # search for a piece of the text and for markup
            needle = [ch for ch in text[start:end] if ch.isprintable() and ch != " "][:3] or ["x"]
            await pilot.press("slash", *needle, "enter", "f3", "shift+f3", "slash", *"[/]", "enter")
            await pilot.pause()
            assert_screen_clean(app)
        # export (json, beside the article), help, focus round trip, moves through the text
        await pilot.press("escape", "e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert_screen_clean(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert_screen_clean(app)
        await pilot.press("escape", "tab", "tab", "ctrl+end", "down", "end")
        await pilot.pause()
        assert_screen_clean(app)
        assert app.is_running and app.return_code is None
    anns = saved(tmp_path / "db.json", document.sha256)
    for annotation in anns:
        assert text[annotation.start : annotation.end] == annotation.text
    if text.strip():
        assert len(anns) == 2
        assert [a.label for a in anns if a.label] == ["PERSON"]
        assert sorted((a.text, a.note) for a in anns if a.note) == expected
    else:
        assert anns == []
    assert (tmp_path / "article.annotations.json").exists()


async def test_hostile_labels_notes_and_file_name_from_the_store_show_literally(make_app, tmp_path):
    """What another tool imported (W3C labels and notes are free text) is shown, never run."""
    name = "news\x1b]0;title\x07[@click=app.quit]\x9b.txt"
    path = tmp_path / name
    path.write_bytes(f"The minister said {MARKUP} today.\n".encode())
    document = load_document(path)
    store = open_store(tmp_path / "db.json")
    store.register_document(document)
    hostile = new_annotation(document, 4, 12, label="[@click=app.quit]", note=f"{ESCAPES}\n{MARKUP}")
    store.add(hostile)
    store.close()
    app = make_app(path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert_screen_clean(app)
        app.screen.query_one(ArticleView).move_cursor(6)
        await pilot.pause()
        assert "[@click=app.quit]" in str(app.screen.query_one("#detail-line").render())
        await pilot.press("tab", "enter", "tab", "bracketright", "bracketleft")
        await pilot.pause()
        assert_screen_clean(app)
        await pilot.click("#detail-line")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_analysis_of_a_hostile_article_fills_the_panel_safely(make_app, tmp_path):
    content = (f"Vladimir Putin said {ESCAPES} in Moscow on Monday, according to TASS. "
               f"Critics in Kyiv called it {MARKUP} false.\n").encode()
    app, path = await open_app(make_app, tmp_path, content, run_analysis=True)
    async with app.run_test(size=(140, 35)) as pilot:
        await settle(pilot)
        assert app.screen.analysis is not None
        assert_screen_clean(app)
        await pilot.press("tab", "down", "enter", "down", "enter", "tab", "a")
        await pilot.pause()
        assert_screen_clean(app)
        assert app.is_running


async def test_a_five_megabyte_line_tags_searches_and_exports(make_app, tmp_path):
    line = ("The minister said 👩\u200d👩\u200d👧 [b]x[/b] \x1b[31m " * 130_000)[:5_000_000]
    app, path = await open_app(make_app, tmp_path, line.encode())
    document = load_document(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+end", *["shift+left"] * 4, "1")
        await pilot.pause()
        await pilot.press("slash", *"minister", "enter")
        await pilot.pause()
        assert_screen_clean(app)
        assert app.is_running
    (ann,) = saved(tmp_path / "db.json", document.sha256)
    assert document.text[ann.start : ann.end] == ann.text and ann.end == len(document.text)


# --------------------------------------------------------------------------- the environment


TEXT = "The minister said the bridge would open in May.\nCritics called the plan unrealistic.\n"


async def tag(pilot, app, start: int, end: int, key: str = "1") -> None:
    app.screen.query_one(ArticleView).select_range(start, end)
    await pilot.press(key)
    await pilot.pause()


async def test_the_file_deleted_while_open_keeps_the_app_and_the_saves(make_app, tmp_path):
    app, path = await open_app(make_app, tmp_path, TEXT.encode())
    document = load_document(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        path.unlink()
        await tag(pilot, app, 4, 12)
        await pilot.press("e", "enter")  # export beside a file that is gone: the folder is still there
        await pilot.pause(1.2)  # a store poll passes
        assert_screen_clean(app)
        assert app.is_running
    assert [a.text for a in saved(tmp_path / "db.json", document.sha256)] == ["minister"]


async def test_the_file_changed_while_open_keeps_annotating_the_text_on_screen(make_app, tmp_path):
    app, path = await open_app(make_app, tmp_path, TEXT.encode())
    document = load_document(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        path.write_bytes(b"Completely different text now, \x1b[31m and shorter.\n")
        await tag(pilot, app, TEXT.index("bridge"), TEXT.index("bridge") + 6)
        await pilot.pause(1.2)
        assert_screen_clean(app)
        assert app.is_running
    (ann,) = saved(tmp_path / "db.json", document.sha256)
    assert ann.text == "bridge" and document.text[ann.start : ann.end] == "bridge"
    # Opened again, the changed file's annotation is re-anchored or kept as an orphan.
    app = make_app(path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "orphan" in notifications(app)
        assert_screen_clean(app)
    store = open_store(tmp_path / "db.json")
    (kept,) = store.annotations(load_document(path).sha256)
    store.close()
    assert kept.orphan and kept.text == "bridge"


async def test_a_full_disk_shows_an_error_keeps_running_and_changes_nothing(make_app, tmp_path, monkeypatch):
    app, path = await open_app(make_app, tmp_path, TEXT.encode())
    document = load_document(path)
    db = tmp_path / "db.json"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await tag(pilot, app, 4, 12)
        before = db.read_bytes()

        def disk_full(handle, pieces):
            handle.write(b"".join(pieces)[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(store_module, "write_all", disk_full)
        await tag(pilot, app, 18, 24, key="2")
        assert "disk full" in notifications(app)
        await pilot.press("n", *"a note", "ctrl+s")
        await pilot.pause()
        app.screen.query_one(ArticleView).move_cursor(5)
        await pilot.press("x", "ctrl+z")
        await pilot.pause()
        assert app.is_running
        assert db.read_bytes() == before
        assert_screen_clean(app)
        monkeypatch.undo()
        await tag(pilot, app, 18, 24, key="2")
    assert sorted(a.text for a in saved(db, document.sha256)) == sorted(["minister", TEXT[18:24]])


async def test_a_store_that_turns_corrupt_is_reported_and_never_overwritten(make_app, tmp_path):
    app, path = await open_app(make_app, tmp_path, TEXT.encode())
    db = tmp_path / "db.json"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await tag(pilot, app, 4, 12)
        db.write_bytes(b'{"annotations": {"1": \x1b]0;x\x07')  # another program wrote garbage
        await pilot.pause(1.3)  # the store poll notices
        await tag(pilot, app, 18, 24, key="2")
        assert "not a readable annotate database" in notifications(app)
        assert_screen_clean(app)
        assert app.is_running
    assert db.read_bytes() == b'{"annotations": {"1": \x1b]0;x\x07'


async def test_a_store_replaced_by_another_programs_json_is_left_alone(make_app, tmp_path):
    app, path = await open_app(make_app, tmp_path, TEXT.encode())
    db = tmp_path / "db.json"
    foreign = b'{"_default": {"1": {"name": "someone else"}}}'
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        db.write_bytes(foreign)
        await tag(pilot, app, 4, 12)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "another program" in notifications(app)
        assert app.is_running
    assert db.read_bytes() == foreign


async def test_a_store_folder_that_becomes_unwritable_is_an_error_not_a_crash(make_app, tmp_path, monkeypatch):
    app, path = await open_app(make_app, tmp_path, TEXT.encode())
    db = tmp_path / "db.json"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await tag(pilot, app, 4, 12)
        before = db.read_bytes()

        def read_only(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        # As root nothing is denied: make the temp file creation fail as a read-only folder would.
        monkeypatch.setattr(tempfile, "mkstemp", read_only)
        await tag(pilot, app, 18, 24, key="2")
        assert "not writable" in notifications(app)
        assert app.is_running
        assert db.read_bytes() == before
