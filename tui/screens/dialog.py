"""What every dialog shares: a modal screen with a bordered box in the middle.

Its styles live here, not in app.tcss, so they are parsed when a dialog first opens and
never delay the reader's first paint. The backdrop is opaque: a see-through one makes
Textual draw the whole reader again under every dialog, tinting each of its segments,
which cost tens of ms on each dialog opened (the dialogs name what they act on).
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background;
    }
    Dialog .dialog {
        width: 80%;
        max-width: 100;
        height: auto;
        max-height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    Dialog .buttons {
        height: auto;
        margin-top: 1;
    }
    Dialog .buttons Button {
        margin-right: 2;
    }
    """


class Confirm(Dialog[bool]):
    """A yes/no question: ``y`` or ``enter`` answers yes, ``n`` or ``escape`` no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text(self.question, "bold"))
            yield Static(Text(f"y / enter: {self.yes} · n / escape: {self.no}", "dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
