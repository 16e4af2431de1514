"""Choose one of several overlapping annotations or suggestions under the cursor."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.dialog import Dialog


class SpanPicker(Dialog[int | None]):
    """Dismisses with the index of the chosen candidate, or None."""

    DEFAULT_CSS = "SpanPicker #span-options { height: auto; max-height: 16; }"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="spans.cancel", tooltip="Close without choosing"),
        Binding("q", "app.quit", "Quit", id="spans.quit", tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, title: str, candidates: list[Text]) -> None:
        super().__init__()
        self.title_text = title
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text(self.title_text, "bold"))
            yield OptionList(*(Option(candidate) for candidate in self.candidates), id="span-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
