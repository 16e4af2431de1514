"""The export dialog refuses a target it must not write, says why, and stays open (issue 12, point 3)."""

from __future__ import annotations

import os
import socket

import pytest

from tests.tui.conftest import notifications
from tui.screens.export_dialog import ExportDialog

TEXT = "The minister said the bridge would open in May.\n"


def make_target(kind: str, tmp_path, app):
    db = app.store.path
    if kind == "database":
        return db
    if kind == "database by hard link":
        os.link(db, tmp_path / "hard.json")
        return tmp_path / "hard.json"
    if kind == "lock":
        return db.with_name(db.name + ".lock")
    if kind == "article by symlink":
        (tmp_path / "link.json").symlink_to(app.document.path)
        return tmp_path / "link.json"
    if kind == "folder":
        return tmp_path
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    server.close()
    return tmp_path / "sock"


@pytest.mark.parametrize("kind", ["database", "database by hard link", "lock", "article by symlink", "folder", "socket"])
async def test_the_export_dialog_refuses_and_stays_open(make_app, tmp_path, kind):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        target = make_target(kind, tmp_path, app)
        before = (os.lstat(target).st_ino, target.read_bytes() if target.is_file() else None)
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)  # still open, with the reason
        shown = str(app.screen.query_one("#export-error").render())
        assert str(target) in shown and ("refusing to write over" in shown or "not a file" in shown), shown
        assert "Wrote" not in notifications(app)
        assert (os.lstat(target).st_ino, target.read_bytes() if target.is_file() else None) == before
