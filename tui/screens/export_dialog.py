"""The export dialog: format, path (beside the article by default), include suggestions.

A path that must not be written (the database, a file beside it, the article itself, a
folder or a socket) is refused in the dialog, with the reason, and the dialog stays open.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static

from annotations.atomic import OutputError, Protected, check_target
from annotations.export import FORMATS, default_export_path
from tui.safe_text import safe
from tui.screens.dialog import Dialog

FORMAT_NAMES = {
    "json": "annotate JSON (lossless)",
    "w3c": "W3C Web Annotation (JSON-LD)",
    "jsonl": "spaCy / Prodigy JSONL",
}


@dataclass
class ExportRequest:
    fmt: str
    path: str
    include_suggestions: bool


class ExportDialog(Dialog[ExportRequest | None]):
    """Dismisses with the request once ``write`` (when given) succeeded; when ``write``
    returns an error, the dialog stays open showing it, with the path as typed."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Close without exporting"),
        Binding("ctrl+s", "export", "Export", id="export.write", tooltip="Write the export", priority=True),
    ]

    DEFAULT_CSS = "ExportDialog #export-error { color: $error; height: auto; }"

    def __init__(self, article_path: str, protected: Protected = (),
                 write: Callable[[ExportRequest], str | None] | None = None) -> None:
        super().__init__()
        self.article_path = article_path
        self.protected = protected
        self.write = write
        self.fmt = "json"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text("Export annotations", "bold"))
            with RadioSet(id="export-format"):
                for index, name in enumerate(FORMATS):
                    yield RadioButton(Text(f"{name}: {FORMAT_NAMES[name]}"), value=index == 0, id=f"format-{name}")
            yield Input(default_export_path(self.article_path, "json"), id="export-path")
            yield Checkbox(Text("include the machine's suggestions"), id="export-suggestions")
            yield Static(Text(""), id="export-error")
            # The keys, not buttons: they show at 80x24 too, and the dialog opens faster.
            yield Static(Text("enter or ctrl+s export · escape cancel", "dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        new_fmt = FORMATS[event.index]
        if path_input.value == default_export_path(self.article_path, self.fmt):
            path_input.value = default_export_path(self.article_path, new_fmt)
        self.fmt = new_fmt

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.app.bell()
            return
        path = os.path.expanduser(path)
        try:
            check_target(path, self.protected)
        except OutputError as error:
            self.refuse(str(error))
            return
        request = ExportRequest(self.fmt, path, self.query_one(Checkbox).value)
        error = self.write(request) if self.write is not None else None
        if error:
            self.refuse(f"Export failed: {error}")
            return
        self.dismiss(request)

    def refuse(self, reason: str) -> None:
        """Keep the dialog open with the reason and the typed path."""
        self.query_one("#export-error", Static).update(safe(reason))
        self.query_one("#export-path", Input).focus()
        self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)
