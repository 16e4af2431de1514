"""The help screen: every key of the reader (generated from the bindings themselves), what
the highlights mean, and a glossary of the analysis' words."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.screens.dialog import Dialog


def _table(rows: list[tuple[str, str]], key_style: str = "bold cyan") -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column("key", style=key_style, ratio=1)
    table.add_column("meaning", ratio=3)
    for key, meaning in rows:
        table.add_row(Text(key), Text(meaning))
    return table


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen #help-dialog { width: 90%; max-width: 110; height: 90%; max-height: 90%; }
    HelpScreen .help-title { margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close", tooltip="Close the help"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], legend: object = None,
                 glossary: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.sections = sections
        self.legend = legend
        self.glossary = glossary or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Text("annotate: keys, highlights and words", "bold"))
            for title, rows in self.sections:
                if rows:
                    # A title on a row of its own: never cut to the width of the key column.
                    yield Static(Text(title, "bold underline"), classes="help-title")
                    yield Static(_table(rows))
            if self.legend is not None and not (isinstance(self.legend, Text) and not self.legend.plain):
                yield Static(Text("Highlights", "bold underline"), classes="help-title")
                yield Static(self.legend)
            if self.glossary:
                yield Static(Text("Glossary: the words of the analysis", "bold underline"), classes="help-title",
                             id="glossary-title")
                yield Static(_table(self.glossary, key_style="bold yellow"), id="glossary")
            yield Static(Text("ctrl+p opens the command palette with every action · escape closes", "dim"),
                         classes="help-title")

    def action_close(self) -> None:
        self.dismiss(None)
