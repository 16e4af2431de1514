"""What a highlighted item is and why it matters, in full: the `i` key of the reader."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.screens.dialog import Dialog


class ExplainScreen(Dialog[None]):
    """A scrollable box with the explanation; the text wraps, nothing is cut."""

    DEFAULT_CSS = """
    ExplainScreen #explain-dialog { height: auto; max-height: 90%; }
    ExplainScreen #explain-title { margin-bottom: 1; }
    ExplainScreen #explain-more { margin-top: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape,i,enter", "close", "Close", id="explain.close", tooltip="Close the explanation"),
        Binding("q", "app.quit", "Quit", id="explain.quit", tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, title: str, body: Text, others: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.others = others or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="explain-dialog", classes="dialog"):
            yield Static(Text(self.title_text, "bold"), id="explain-title")
            yield Static(self.body, id="explain-body")
            more = Text("escape closes", "dim")
            if self.others:
                more = Text(f"Also here: {'; '.join(self.others)}. m lists them. · escape closes", "dim")
            yield Static(more, id="explain-more")

    def action_close(self) -> None:
        self.dismiss(None)
