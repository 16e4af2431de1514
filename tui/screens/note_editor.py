"""The note editor: a multi-line note; ctrl+s saves, escape cancels (asking first when
something was typed)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from tui.screens.dialog import Confirm, Dialog


class NoteEditor(Dialog[str | None]):
    """Edit a note; dismisses with the new text, or None when cancelled."""

    DEFAULT_CSS = "NoteEditor #note-text { height: 10; }"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without saving (asks when you typed)"),
    ]

    def __init__(self, target: Text, note: str = "") -> None:
        super().__init__()
        self.target = target
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text("Note on ", "bold") + self.target, id="note-target")
            yield TextArea(self.note, id="note-text", soft_wrap=True)
            yield Static(Text("ctrl+s save · escape cancel", "dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        area = self.query_one(TextArea)
        if area.text == self.note:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)
            else:
                area.focus()

        self.app.push_screen(Confirm("Discard the note you typed?", "discard it", "keep editing"), answered)
