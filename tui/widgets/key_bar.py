"""The footer: the keys that act here, on one line, redrawn in place.

Textual's ``Footer`` re-mounts one widget per key whenever the focus or the bindings
change, which cost ~0.25 s of CPU on every dialog opened or closed (most of the time
``?``, ``n``, ``t`` and ``e`` took). This bar draws the same keys as one line of text: it
reads the screen's active bindings (so a key remapped in ``config.toml`` shows as
remapped), puts the ``pinned`` ones first (help and export stay visible at 80 columns),
joins a group's keys (``1–9 Label``) and cuts whole entries where the line ends.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget

PALETTE = ("^p", "palette")


def join_keys(keys: list[str]) -> str:
    """``1 2 3`` -> ``1–3`` (a run of digits); other keys side by side."""
    if len(keys) > 2 and all(len(k) == 1 and k.isdigit() for k in keys):
        numbers = [int(k) for k in keys]
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{keys[0]}–{keys[-1]}"
    if len(keys) == 2 and all(len(k) == 1 and k.isdigit() for k in keys) and int(keys[1]) == int(keys[0]) + 1:
        return f"{keys[0]}–{keys[1]}"
    return "".join(keys) if all(len(k) == 1 for k in keys) else "/".join(keys)


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, pinned: tuple[str, ...] = (), shows: Callable[[Binding], bool] | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.pinned = pinned
        self.shows = shows  # an extra filter (the reader hides label keys it has no label for)
        self.entries: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen) -> None:
        entries = self.collect(screen)
        if entries != self.entries:
            self.entries = entries
            self.refresh()

    def collect(self, screen) -> list[tuple[str, str]]:
        """(keys, description) of every shown binding, groups joined, pinned first."""
        app = self.app
        order: list[tuple[object, list[str], str, str]] = []  # (group or id, keys, description, id)
        index: dict[object, int] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled:
                continue
            if self.shows is not None and not self.shows(binding):
                continue
            key = app.get_key_display(binding)
            group = binding.group if binding.group is not None and binding.group.compact else None
            slot = group if group is not None else (binding.id or binding.action)
            if slot in index:
                entry = order[index[slot]]
                if key not in entry[1]:
                    entry[1].append(key)
                continue
            index[slot] = len(order)
            description = group.description if group is not None else binding.description
            order.append((slot, [key], description, binding.id or ""))
        pinned = [entry for pin in self.pinned for entry in order if entry[3] == pin]
        rest = [entry for entry in order if entry not in pinned]
        return [(join_keys(keys), description) for _slot, keys, description, _id in pinned + rest]

    def render(self) -> Content:
        width = self.size.width
        palette_width = len(PALETTE[0]) + len(PALETTE[1]) + 3
        parts: list[tuple[str, str] | str] = []
        used = 0
        for keys, description in self.entries:
            size = len(keys) + len(description) + 3
            if used + size > width - palette_width:
                break
            parts += [" ", (keys, "bold $footer-key-foreground"), " ", description, " "]
            used += size
        gap = max(1, width - used - palette_width)
        parts += [" " * gap, (PALETTE[0], "bold $footer-key-foreground"), " ", PALETTE[1], " "]
        return Content.assemble(*parts)
