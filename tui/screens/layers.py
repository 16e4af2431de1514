"""The layers menu: which highlights the article shows (the `l` key and the palette)."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from tui.layers import ENTITY_LAYERS, LAYERS
from tui.screens.dialog import Dialog


class LayersScreen(Dialog[None]):
    """A checklist of layers; space or enter switches one, and it shows at once."""

    DEFAULT_CSS = """
    LayersScreen #layers-dialog { width: 90%; max-width: 80; max-height: 100%; padding: 0 2; }
    LayersScreen SelectionList, LayersScreen SelectionList:focus { height: auto; border: none; padding: 0; }
    LayersScreen #layers-title { margin-bottom: 1; }
    LayersScreen #layers-words { margin-top: 1; height: auto; }
    LayersScreen #layers-help { margin-top: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape,l", "close", "Close", id="layers.close", tooltip="Close the layers menu"),
        Binding("q", "app.quit", "Quit", id="layers.quit", tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, choice: dict[str, bool], apply: Callable[[dict[str, bool]], None]) -> None:
        super().__init__()
        self.choice = dict(choice)
        self.apply = apply

    def compose(self) -> ComposeResult:
        selections = []
        for layer in LAYERS:
            prompt = Text(no_wrap=True, overflow="ellipsis")
            if layer in ENTITY_LAYERS:
                prompt.append(layer.name, f"bold {layer.colour}")
                prompt.append("  entities", "dim")
            else:
                prompt.append(layer.name, "bold")
            selections.append(Selection(prompt, layer.id, self.choice.get(layer.id, layer.default)))
        with Vertical(id="layers-dialog", classes="dialog"):
            yield Static(Text("Layers: what the article highlights", "bold"), id="layers-title")
            yield SelectionList[str](*selections, id="layers-list")
            yield Static(Text(""), id="layers-words")  # what the highlighted layer marks, wrapped
            yield Static(Text("space or enter switches a layer · remembered for next time · escape closes"),
                         id="layers-help")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        self.describe(0)

    def describe(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(LAYERS):
            layer = LAYERS[index]
            self.query_one("#layers-words", Static).update(Text.assemble((f"{layer.name.capitalize()}: ", "bold"),
                                                                         layer.words))

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        event.stop()
        self.describe(event.selection_index)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        selected = set(event.selection_list.selected)
        self.choice = {layer.id: layer.id in selected for layer in LAYERS}
        self.apply(dict(self.choice))

    def action_close(self) -> None:
        self.dismiss(None)
