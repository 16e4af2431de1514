"""The command palette: every action of the reader, named "group: verb", plus bulk accepts."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

GROUPS = {
    "annotate": "Annotate", "suggest": "Suggestions", "select": "Select", "boundary": "Boundary",
    "search": "Search", "file": "File", "app": "App", "article": "Article", "view": "View",
}


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
        for binding in screen.BINDINGS:
            group = GROUPS.get((binding.id or "").split(".")[0], "Annotate")
            key = binding.key_display or binding.key
            out.append((f"{group}: {binding.description}", f"{binding.tooltip} ({key})",
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
