"""The side panel: tabs of entities, claims, reliability notes and the user's annotations."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, ProgressBar, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from tui.messages import PanelItemChosen
from tui.panel_items import PanelItem

TABS = (
    ("entities", "Entities"),
    ("claims", "Claims"),
    ("reliability", "Reliability"),
    ("mine", "My annotations"),
)


class ItemList(OptionList):
    """An OptionList of PanelItems; highlighting previews, enter jumps."""

    BINDINGS = [
        Binding("enter", "select", "Jump", id="panel.jump", tooltip="Jump to this item in the article"),
        Binding("left", "switch_tab(-1)", "Previous tab", show=False, id="panel.previous-tab",
                tooltip="Show the previous tab of the side panel"),
        Binding("right", "switch_tab(1)", "Next tab", show=False, id="panel.next-tab",
                tooltip="Show the next tab of the side panel"),
    ]

    def __init__(self, tab: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tab = tab
        self.items: list[PanelItem] = []
        self.quiet = False  # set while the app syncs the highlight from the cursor

    def set_items(self, items: list[PanelItem]) -> None:
        keep = self.highlighted_item.key if self.highlighted_item else None
        self.items = items
        self.quiet = True
        try:
            self.set_options(
                Option(item.prompt, id=None, disabled=item.kind == "header") for item in items
            )
            if keep is not None:
                self.highlight_key(keep)
        finally:
            self.quiet = False

    @property
    def highlighted_item(self) -> PanelItem | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.items)):
            return None
        return self.items[self.highlighted]

    def index_of(self, key: str) -> int | None:
        for index, item in enumerate(self.items):
            if item.key == key:
                return index
        return None

    def highlight_key(self, key: str) -> bool:
        index = self.index_of(key)
        if index is None:
            return False
        self.quiet = True
        try:
            self.highlighted = index
        finally:
            self.quiet = False
        return True

    def on_focus(self) -> None:
        if self.highlighted is None:
            first = next((i for i, item in enumerate(self.items) if item.kind != "header"), None)
            if first is not None:
                self.highlighted = first

    def action_switch_tab(self, step: int) -> None:
        panel = next(ancestor for ancestor in self.ancestors if isinstance(ancestor, SidePanel))
        panel.switch_tab(step)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        item = self.highlighted_item
        if self.quiet or item is None or not item.placed or not self.has_focus:
            return
        self.post_message(PanelItemChosen(item.start, item.end, item.key, jump=False))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.highlighted_item
        if item is None or not item.placed:
            return
        self.post_message(PanelItemChosen(item.start, item.end, item.key, jump=True))


class SidePanel(Vertical):
    """Tabs Entities / Claims / Reliability / My annotations, with the analysis status on top."""

    DEFAULT_CSS = """
    SidePanel { width: 42%; min-width: 30; border-left: vkey $panel; }
    SidePanel #analysis-status { height: auto; padding: 0 1; color: $text-muted; }
    SidePanel ProgressBar { padding: 0 1; }
    SidePanel ProgressBar.done { display: none; }
    SidePanel TabbedContent { height: 1fr; }
    SidePanel TabPane { padding: 0; }
    SidePanel ItemList { height: 1fr; border: none; }
    SidePanel #mine-filter { height: 3; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Set once the reader picks a tab (a key, a click, left/right in the panel): from
        # then on the cursor highlights items in that tab only and never switches tabs.
        self.chosen_tab: str | None = None
        self.shown_by_code = TABS[0][0]  # the tab the panel showed of itself, last

    def compose(self) -> ComposeResult:
        yield Static(Text("Analysis: starting…"), id="analysis-status")
        yield ProgressBar(total=100, show_eta=False, id="analysis-progress")
        with TabbedContent(id="panel-tabs"):
            for tab, title in TABS:
                with TabPane(title, id=f"tab-{tab}"):
                    if tab == "mine":
                        yield Input(placeholder="filter by label or text", id="mine-filter")
                    yield ItemList(tab, id=f"list-{tab}")

    def item_list(self, tab: str) -> ItemList:
        return self.query_one(f"#list-{tab}", ItemList)

    @property
    def active_tab(self) -> str:
        active = self.query_one(TabbedContent).active or "tab-entities"
        return active.removeprefix("tab-")

    def show_tab(self, tab: str) -> None:
        self.shown_by_code = tab
        tabbed = self.query_one(TabbedContent)
        tabbed.active = f"tab-{tab}"
        # Textual moves the underline only after the next frame: one frame later than the
        # content. The titles never move, so put it under the new title in this frame.
        from textual.widgets._tabs import Underline

        title = tabbed.get_tab(f"tab-{tab}")
        start, end = title.virtual_region.shrink(title.styles.gutter).column_span
        if end > start:
            underline = tabbed.query_one(Underline)
            underline.highlight_start, underline.highlight_end = start, end

    def choose_tab(self, tab: str) -> None:
        """Show ``tab`` because the reader asked for it: it stays until they choose another."""
        self.chosen_tab = tab
        self.show_tab(tab)

    def switch_tab(self, step: int) -> None:
        """Show the next (step 1) or previous (-1) tab and focus its list."""
        names = [tab for tab, _ in TABS]
        tab = names[(names.index(self.active_tab) + step) % len(names)]
        self.choose_tab(tab)
        self.item_list(tab).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = (event.pane.id or "").removeprefix("tab-")
        if tab != self.shown_by_code:  # a click on a tab title, or keys on the tab row
            self.chosen_tab = self.shown_by_code = tab

    def set_status(self, text: Text, fraction: float | None = None) -> None:
        self.query_one("#analysis-status", Static).update(text)
        bar = self.query_one(ProgressBar)
        if fraction is None:
            bar.add_class("done")
        else:
            bar.remove_class("done")
            bar.update(progress=round(fraction * 100))

    def highlight_key(self, key: str, prefer_tab: str | None = None) -> bool:
        """Highlight the item with ``key``, in the active tab if it is there, else in
        ``prefer_tab`` unless the reader chose the tab to show."""
        if self.item_list(self.active_tab).highlight_key(key):
            return True
        if self.chosen_tab is None and prefer_tab and self.item_list(prefer_tab).index_of(key) is not None:
            self.show_tab(prefer_tab)
            return self.item_list(prefer_tab).highlight_key(key)
        return False
