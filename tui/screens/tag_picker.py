"""The label picker: type to filter, enter picks, escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.labels import Label
from tui.screens.dialog import Dialog


class TagPicker(Dialog[str | None]):
    """Pick a label for the selection; dismisses with the label name or None."""

    DEFAULT_CSS = "TagPicker #picker-options { height: auto; max-height: 16; }"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without tagging"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
    ]

    def __init__(self, labels: list[Label], target: Text) -> None:
        super().__init__()
        self.labels = labels
        self.target = target
        self.shown: list[Label] = list(labels)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text("Tag ", "bold") + self.target, id="picker-target")
            yield Input(placeholder="type to filter labels, enter to pick", id="picker-filter")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self.refresh_options("")
        self.query_one(Input).focus()

    def refresh_options(self, query: str) -> None:
        query = query.strip().lower()
        self.shown = [
            label for label in self.labels
            if not query or query in label.name.lower() or query in label.description.lower()
        ]
        # Labels that start with the query first: typing "pe" should land on PERSON.
        self.shown.sort(key=lambda label: not label.name.lower().startswith(query))
        options = self.query_one(OptionList)
        options.set_options(
            Option(Text.assemble((f"{label.name:<12}", "bold"), (label.description, "dim")))
            for label in self.shown
        )
        if self.shown:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_options(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.pick()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        current = options.highlighted if options.highlighted is not None else -step
        options.highlighted = (current + step) % len(self.shown)

    def pick(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not (0 <= index < len(self.shown)):
            self.app.bell()
            return
        self.dismiss(self.shown[index].name)

    def action_cancel(self) -> None:
        self.dismiss(None)
