"""The help screen: every key of the reader, generated from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.screens.dialog import Dialog


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = "HelpScreen #help-dialog { width: 90%; max-width: 110; height: 90%; max-height: 90%; }"

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close", tooltip="Close the help"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], legend: Text) -> None:
        super().__init__()
        self.sections = sections
        self.legend = legend

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
        table.add_column("key", style="bold cyan", no_wrap=True, ratio=1)
        table.add_column("action", ratio=3)
        for title, rows in self.sections:
            table.add_row(Text(title, "bold underline"), Text(""))
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            table.add_row(Text(""), Text(""))
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Text("annotate: keys", "bold"))
            yield Static(table)
            yield Static(Text("Highlights: ", "bold") + self.legend)
            yield Static(Text("ctrl+p opens the command palette with every action · escape closes", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)
