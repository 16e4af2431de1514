"""The help screen: every key of the reader, generated from the bindings themselves.

The rows are one :class:`Text`, wrapped here with a hanging indent: a Rich ``Table`` of the
same rows took ~1.5 s to lay out on a busy machine (it is measured and rendered again
for every line of the screen), this takes a few ms.
"""

from __future__ import annotations

import textwrap

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.safe_text import display_text
from tui.screens.dialog import Dialog

KEY_COLUMN = 20  # cells for the keys; longer keys get a line of their own
DIALOG_CHROME = 10  # border, padding and scrollbar of the dialog, in cells


def help_text(sections: list[tuple[str, list[tuple[str, str]]]], width: int) -> Text:
    """Every section: its title on a line of its own, then ``keys  description`` rows,
    descriptions wrapped to ``width`` under their first line."""
    text = Text(end="")
    room = max(20, width - KEY_COLUMN)
    for title, rows in sections:
        text.append(display_text(title), "bold underline")
        text.append("\n")
        for keys, description in rows:
            keys = display_text(keys)
            lines = textwrap.wrap(display_text(description), room) or [""]
            if cell_len(keys) > KEY_COLUMN - 2:
                text.append(keys, "bold cyan")
                text.append("\n" + " " * KEY_COLUMN)
            else:
                text.append(keys, "bold cyan")
                text.append(" " * (KEY_COLUMN - cell_len(keys)))
            text.append(("\n" + " " * KEY_COLUMN).join(lines))
            text.append("\n")
        text.append("\n")
    return text


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = "HelpScreen #help-dialog { width: 90%; max-width: 110; height: 90%; max-height: 90%; }"

    BINDINGS = [
        Binding("escape,question_mark", "close", "Close", id="help.close", tooltip="Close the help"),
        Binding("q", "app.quit", "Quit", id="help.quit", tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], legend: Text) -> None:
        super().__init__()
        self.sections = sections
        self.legend = legend

    def compose(self) -> ComposeResult:
        width = min(110, self.app.size.width * 9 // 10) - DIALOG_CHROME
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Text("annotate: keys", "bold"))
            yield Static(help_text(self.sections, width), id="help-keys")
            yield Static(Text("Highlights: ", "bold") + self.legend)
            yield Static(Text("ctrl+p opens the command palette with every action · escape closes", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)
