"""The command palette: every action of the reader, named "group: verb", plus bulk accepts."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

GROUPS = {
    "annotate": "Annotate", "suggest": "Suggestions", "select": "Select", "boundary": "Boundary",
    "search": "Search", "file": "File", "app": "App", "article": "Article", "panel": "Panel", "view": "View",
}


def live_bindings(node) -> list[Binding]:
    """``node``'s bindings as they act now: a key remapped in ``config.toml`` (the app's
    keymap) replaces the default one. One Binding per binding id (or action), in the order
    of the class's BINDINGS, with every key it has joined by commas."""
    bindings = node._bindings.copy()
    keymap = getattr(node.app, "_keymap", None)
    if keymap:
        bindings.apply_keymap(keymap)
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for key, group in bindings.key_to_bindings.items():
        for binding in group:
            slot = binding.id or binding.action
            keys.setdefault(slot, []).append(key)
            first.setdefault(slot, binding)
    position = {(b.id or b.action): n for n, b in enumerate(Binding.make_bindings(type(node).BINDINGS))}
    slots = sorted(first, key=lambda slot: position.get(slot, len(position)))
    return [first[slot].with_key(",".join(keys[slot]), first[slot].key_display) for slot in slots]


def key_display(app, binding: Binding) -> str:
    """How ``binding``'s keys are written in help and the palette, as the contract spells
    them: ``?``, ``x, delete``, ``ctrl+z`` (a remapped key has no ``key_display``)."""
    if binding.key_display:
        return binding.key_display
    return ", ".join(spell_key(key.strip()) for key in binding.key.split(","))


def spell_key(key: str) -> str:
    """``question_mark`` -> ``?``; names with modifiers or several letters stay as they are."""
    from textual.keys import format_key

    shown = format_key(key)
    return shown if "+" not in key and len(shown) == 1 else key


class CommandListProvider(Provider):
    """A palette provider over a list of (name, help, callback) from ``commands()``."""

    def commands(self) -> list[tuple[str, str, object]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class AnnotateCommands(CommandListProvider):
    """Lists the reader's bindings (with their keys) and 'accept all suggestions of LABEL'."""

    def commands(self) -> list[tuple[str, str, object]]:
        from tui.app import ReaderScreen  # the palette is only offered by the app, after import

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            screen = next((s for s in self.app.screen_stack if isinstance(s, ReaderScreen)), None)
        if screen is None:
            return []
        out = []
        labels = screen.labels
        for binding in live_bindings(screen):
            group = GROUPS.get((binding.id or "").split(".")[0], "Annotate")
            key = key_display(self.app, binding)
            description, tooltip = binding.description, binding.tooltip
            if binding.action.startswith("apply_label("):
                index = int(binding.action[len("apply_label("):-1])
                if index >= len(labels):
                    continue
                description = f"{binding.description}: {labels[index].name}"
                tooltip = f"Tag the selection with {labels[index].name}"
            out.append((f"{group}: {description}", f"{tooltip} ({key})",
                        partial(screen.run_action, binding.action)))
        from tui.layers import LAYERS

        for layer in LAYERS:  # every layer by name, as in the layers menu (l)
            shown = screen.layer_choice.get(layer.id, layer.default)
            out.append((f"Layers: {'hide' if shown else 'show'} {layer.name}",
                        f"{'Hide' if shown else 'Show'} {layer.words} (l: the layers menu)",
                        partial(screen.toggle_layer, layer.id)))
        for kind, label in screen.suggestion_groups():
            name = f"{label} {kind}" if label else kind
            out.append((f"Suggestions: accept all {name} suggestions",
                        f"Accept every pending {name} suggestion as your own annotation",
                        partial(screen.accept_all, kind, label)))
        return out
