"""The help screen: every key of the reader (generated from the bindings themselves), what
the highlights mean, and a glossary of the analysis' words.

Each section's rows are one :class:`Text`, wrapped here with a hanging indent: a Rich
``Table`` of the same rows took ~1.5 s to lay out on a busy machine (it is measured and
rendered again for every line of the screen), this takes a few ms.
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


def rows_text(rows: list[tuple[str, str]], width: int, key_style: str = "bold cyan") -> Text:
    """``keys  description`` rows, descriptions wrapped to ``width`` under their first line."""
    text = Text(end="")
    room = max(20, width - KEY_COLUMN)
    for keys, description in rows:
        keys = display_text(keys)
        lines = textwrap.wrap(display_text(description), room) or [""]
        text.append(keys, key_style)
        if cell_len(keys) > KEY_COLUMN - 2:  # a long key gets a line of its own
            text.append("\n" + " " * KEY_COLUMN)
        else:
            text.append(" " * (KEY_COLUMN - cell_len(keys)))
        text.append(("\n" + " " * KEY_COLUMN).join(lines))
        text.append("\n")
    return text


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen #help-dialog { width: 90%; max-width: 110; height: 90%; max-height: 90%; }
    HelpScreen .help-title { margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape,question_mark", "close", "Close", id="help.close", tooltip="Close the help"),
        Binding("q", "app.quit", "Quit", id="help.quit", tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], legend: object = None,
                 glossary: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.sections = sections
        self.legend = legend
        self.glossary = glossary or []

    def compose(self) -> ComposeResult:
        width = min(110, self.app.size.width * 9 // 10) - DIALOG_CHROME
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Text("annotate: keys, highlights and words", "bold"))
            for title, rows in self.sections:
                if rows:
                    # A title on a row of its own: never cut to the width of the key column.
                    yield Static(Text(display_text(title), "bold underline"), classes="help-title")
                    yield Static(rows_text(rows, width))
            if self.legend is not None and not (isinstance(self.legend, Text) and not self.legend.plain):
                yield Static(Text("Highlights", "bold underline"), classes="help-title")
                yield Static(self.legend)
            if self.glossary:
                yield Static(Text("Glossary: the words of the analysis", "bold underline"), classes="help-title",
                             id="glossary-title")
                yield Static(rows_text(self.glossary, width, key_style="bold yellow"), id="glossary")
            yield Static(Text("ctrl+p opens the command palette with every action · escape closes", "dim"),
                         classes="help-title")

    def action_close(self) -> None:
        self.dismiss(None)
