"""The annotate TUI: the article on the left, what a careful reader would mark on the right.

The app only calls the domain (``annotations``): documents, the store, the analysis.
Slow work (spaCy) runs in a thread worker; the first screen never waits for it.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from annotations.document import Document
from annotations.errors import StoreError
from tui.commands import AnnotateCommands
from tui.config import ConfigError, load_keymap
from tui.key_queue import KeyQueue
from tui.widgets.key_bar import KeyBar
from tui.safe_text import display_text, safe, safe_line
from tui.widgets.article_view import ENTITY_KINDS, ArticleView

# What the first paint does not need is imported on use (the side panel, the store, the
# suggestions): the article shows tens of ms sooner.
if TYPE_CHECKING:
    from annotations.labels import Label
    from annotations.model import Annotation
    from annotations.store import Store
    from annotations.store_file import StoreFile
    from tui.messages import AnalysisFailed, AnalysisProgress, AnalysisReady, EntitiesFound, PanelItemChosen
    from tui.panel_items import PanelItem
    from tui.widgets.side_panel import SidePanel

SUGGESTION_KINDS = ("entity", "claim", "note")
TAB_OF_KIND = {"entity": "entities", "claim": "claims", "note": "reliability", "user": "mine", "contradiction": "claims"}
TAB_OF_KIND.update({kind: "entities" for kind in ENTITY_KINDS})  # entities are drawn by type
STORE_POLL_SECONDS = 1.0
WAITING_FOR_LOCK = "Waiting for the database lock… (another annotate is saving; your keys are kept)"
LOCK_RETRY_SECONDS = 0.02
LOCK_NOTICE_SECONDS = 30
FIRST_FRAME_WRITE_SECONDS = 0.005


# Related keys share one footer entry (e.g. "1…9 Label"), so every key fits in the footer.
LABEL_KEYS = Binding.Group("Label", compact=True)
SUGGESTION_KEYS = Binding.Group("Suggestion", compact=True)
ANNOTATION_KEYS = Binding.Group("Annotation", compact=True)
SELECT_KEYS = Binding.Group("Select", compact=True)
BOUNDARY_KEYS = Binding.Group("Start/end", compact=True)
MATCH_KEYS = Binding.Group("Match")
PANEL_KEYS = Binding.Group("Panel tab", compact=True)
# Shown first in the footer, so they stay on screen at 80 columns.
FOOTER_FIRST = ("app.help", "file.export", "annotate.tag", "annotate.note")


def settle_memory() -> None:
    """Move what exists now (the app, the article, the store, the analysis: all kept until
    the end) out of the garbage collector's sight. A full collection otherwise walks it
    all again, 0.1-0.3 s in the middle of a key on a busy machine (seen when profiling
    the dialogs)."""
    import gc

    gc.freeze()


def quoted(text: str, limit: int = 40) -> str:
    """A span's text for a message: one line, shortened, in quotes."""
    from tui import panel_items

    return f"‘{panel_items.snippet(text, limit)}’"


def history_words(description: str) -> str:
    """An undo entry's description in words. Entries this app writes are words already
    ("tag PERSON on ‘Kremlin’"); the store's own defaults ("add PERSON 'Kremlin'", "edit
    label A -> B of ...") read better with the verbs the keys use."""
    import re

    if description.startswith("add ") and not re.match(r"add \d+ annotations", description):
        head, _, quote = description[4:].partition(" '")
        if quote.endswith("'"):
            return f"tag {head} on ‘{quote[:-1]}’" if head not in ("note", "highlight") else f"{head} on ‘{quote[:-1]}’"
    if description.startswith("reject suggestion "):
        return "reject a suggestion"  # the old form named the suggestion by its internal key
    return description.replace(" -> ", " → ")


def label_bindings() -> list[Binding]:
    return [
        Binding(str(n), f"apply_label({n - 1})", f"Label {n}", id=f"annotate.label-{n}", group=LABEL_KEYS,
                tooltip=f"Tag the selection with label {n} of the label list")
        for n in range(1, 10)
    ]


class ReaderScreen(Screen):
    """The article, the side panel, a detail line; every annotation key lives here."""

    BINDINGS = [
        Binding("t", "tag", "Tag", id="annotate.tag", tooltip="Tag the selection (label picker)"),
        *label_bindings(),
        Binding("n", "note", "Note", id="annotate.note", tooltip="Add or edit a note"),
        Binding("a", "accept", "Accept", id="suggest.accept", tooltip="Accept the suggestion under the cursor"),
        Binding("r", "reject", "Reject", id="suggest.reject", tooltip="Reject the suggestion under the cursor"),
        Binding("x,delete", "remove", "Remove", id="annotate.remove", tooltip="Remove your annotation under the cursor"),
        Binding("ctrl+z", "undo", "Undo", id="annotate.undo", tooltip="Undo the last change"),
        Binding("ctrl+y", "redo", "Redo", id="annotate.redo", tooltip="Redo the last undone change"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help", tooltip="Show every key"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (everything is already saved)"),
        Binding("slash", "search", "Search", key_display="/", id="search.open", tooltip="Search the article"),
        Binding("e", "export", "Export", id="file.export", tooltip="Export the annotations"),
        Binding("right_curly_bracket", "next_suggestion", "Next suggestion", key_display="}",
                id="suggest.next", group=SUGGESTION_KEYS, tooltip="Jump to the next suggestion not yet accepted or rejected"),
        Binding("left_curly_bracket", "previous_suggestion", "Previous suggestion", key_display="{",
                id="suggest.previous", group=SUGGESTION_KEYS, tooltip="Jump to the previous suggestion not yet accepted or rejected"),
        Binding("right_square_bracket", "next_annotation", "Next annotation", key_display="]",
                id="annotate.next", group=ANNOTATION_KEYS, tooltip="Jump to the next annotation"),
        Binding("left_square_bracket", "previous_annotation", "Previous annotation", key_display="[",
                id="annotate.previous", group=ANNOTATION_KEYS, tooltip="Jump to the previous annotation"),
        Binding("w", "select_word", "Select word", id="select.word", group=SELECT_KEYS, tooltip="Select the word under the cursor"),
        Binding("s", "select_sentence", "Select sentence", id="select.sentence",
                group=SELECT_KEYS, tooltip="Select the sentence under the cursor"),
        Binding("o", "select_object", "Select item", id="select.item",
                group=SELECT_KEYS, tooltip="Select the annotation, entity or claim under the cursor"),
        Binding("comma", "move_boundary('start', -1)", "Start ←", key_display=",",
                id="boundary.start-left", group=BOUNDARY_KEYS, tooltip="Move the start of the annotation under the cursor left"),
        Binding("full_stop", "move_boundary('start', 1)", "Start →", key_display=".",
                id="boundary.start-right", group=BOUNDARY_KEYS, tooltip="Move the start of the annotation under the cursor right"),
        Binding("less_than_sign", "move_boundary('end', -1)", "End ←", key_display="<",
                id="boundary.end-left", group=BOUNDARY_KEYS, tooltip="Move the end of the annotation under the cursor left"),
        Binding("greater_than_sign", "move_boundary('end', 1)", "End →", key_display=">",
                id="boundary.end-right", group=BOUNDARY_KEYS, tooltip="Move the end of the annotation under the cursor right"),
        Binding("f3", "search_next", "Next match", id="search.next", group=MATCH_KEYS, tooltip="Next match of the last search"),
        Binding("shift+f3", "search_previous", "Previous match", id="search.previous",
                group=MATCH_KEYS, tooltip="Previous match of the last search"),
        Binding("tab", "toggle_focus", "Article ⇄ panel", id="app.focus-panel",
                tooltip="Move focus between the article and the side panel"),
        *(Binding(key, f"panel_tab('{tab}')", title, id=f"panel.{tab}", group=PANEL_KEYS,
                  tooltip=f"Show the {title} tab of the side panel (it stays until you choose another)")
          for key, tab, title in (("E", "entities", "Entities"), ("C", "claims", "Claims"),
                                  ("R", "reliability", "Reliability"), ("M", "mine", "My annotations"))),
        Binding("i", "explain", "Explain", id="view.explain",
                tooltip="Explain the highlighted item under the cursor: what it is, why it matters, its source"),
        Binding("m", "items_here", "Items here", show=False, id="view.items-here",
                tooltip="List every item under the cursor and choose one"),
        Binding("l", "layers", "Layers", show=False, id="view.layers",
                tooltip="Choose which highlights are shown: entities by type, claims, notes, your annotations"),
        Binding("c", "toggle_all_cues", "All cues", show=False, id="view.all-cues",
                tooltip="Show also the cues the analysis is less certain of (again: confident cues only)"),
    ]

    # Letters and edit keys act in the article and the panel only; in an input they type.
    # (Text areas only appear in modal screens, which do not inherit these bindings.)
    TYPING_SAFE_ACTIONS = {"search_next", "search_previous", "export", "help"}
    ALWAYS_READY_ACTIONS = {"quit", "help"}

    # The article gets the focus after first paint, when the panel it talks to is there
    # (focusing restyles the widget: ~5 ms). "" is no auto focus; None would mean the app's.
    AUTO_FOCUS = ""

    def __init__(self, document: Document, run_analysis: bool = True) -> None:
        super().__init__()
        self.document = document
        self.run_analysis = run_analysis
        self.analysis: dict | None = None
        self.annotations: list[Annotation] = []
        self.rejected: set[str] = set()
        self.suggestions: list[PanelItem] = []
        self.suggestion_records: dict[str, dict] = {}  # key -> record, from annotations.suggestions
        self.last_search = ""
        self.detail_shown = Text("")
        self.ready = False  # True once the side panel and the store are there
        # Changes waiting for the database lock (another annotate holds it), in key order:
        # (store call, what to do on screen with its result). See save().
        self._waiting: list[tuple] = []
        self._waiting_lock = threading.Lock()
        self._quit_when_saved = False
        # Kept, not queried: a query walks the DOM, and the cursor handler runs on every key.
        self._article = ArticleView(document.text, id="article", margin_marks=True)
        self.layer_choice: dict[str, bool] = {}  # read after first paint (tui.layers)
        self.chosen_key: str | None = None  # the item picked with `m` among several under the cursor
        self._marked_search: tuple[str, int] | None = None  # the needle whose matches are highlighted
        self._side_panel: SidePanel | None = None
        self._detail_line = Static(Text(""), id="detail-line")
        self._search_bar = Input(placeholder="search: type, enter selects the next match", id="search-bar")

    def on_mount(self) -> None:
        self.call_after_refresh(self.after_first_paint)

    def compose(self) -> ComposeResult:
        # Only the article: everything else is mounted right after first paint, so the text
        # shows as early as possible (each widget more costs styling and a render pass).
        # Layout (app.tcss): header, footer and side panel split the screen off the edges,
        # the article, search bar, legend and detail line fill the rest, top to bottom.
        yield self._article

    @property
    def takes_keys(self) -> bool:
        """Keys typed before this is True wait for it (tui/key_queue.py), so none is lost."""
        return self.ready and self.focused is not None

    def footer_shows(self, binding: Binding) -> bool:
        """The footer names label keys only up to the number of labels (``1–2`` for two)."""
        if binding.action.startswith("apply_label("):
            return int(binding.action[len("apply_label("):-1]) < len(self.labels)
        if binding.action in AnnotateApp.DOCUMENT_ACTIONS:  # N P L W: only with several articles
            return getattr(self.app, "library", None) is not None
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.ready and action not in self.ALWAYS_READY_ACTIONS:
            return False  # the panel and the store come right after first paint
        focused = self.focused
        if isinstance(focused, Input) and action not in self.TYPING_SAFE_ACTIONS:
            return False
        return True

    async def after_first_paint(self) -> None:
        # The first frame is queued for Textual's writer thread, which needs the GIL to put
        # it on the terminal; the work below holds the GIL for tens of ms at a time (the
        # store's parse, mounting the panel): idle a moment first so the text shows now.
        await asyncio.sleep(FIRST_FRAME_WRITE_SECONDS)
        from tui.widgets.side_panel import SidePanel

        from textual.widget import MountError

        self._side_panel = SidePanel(id="side-panel")
        try:
            await self.mount_all([
                self._search_bar,
                Static(Text(""), id="legend"),
                self._detail_line,
                KeyBar(pinned=FOOTER_FIRST, shows=self.footer_shows),
                self._side_panel,
            ])
            await self.mount(Header(), before=0)
        except MountError:  # `q` in the first frame: the screen went while these were mounting
            return
        if not self.query("#mine-filter"):  # the app quit while the panel was mounting
            return
        if not self.app.open_store():
            return
        for warning in self.store.warnings:  # records skipped as invalid, kept as they are in the file
            self.say(warning, title="Store", severity="warning", timeout=10)
        try:
            report = self.store.register_document(self.document)
        except StoreError as error:
            self.say(str(error), title="Store", severity="error", timeout=10)
            report = None
        if report is not None and (report.moved or report.orphaned):
            self.say(report.message(), title="File changed since last time", timeout=8)
        self.reload_annotations()
        self.set_interval(STORE_POLL_SECONDS, self.poll_store)
        self.app.load_labels()  # now, so a broken label file is reported at start, not on the first key
        self.ready = True
        settle_memory()
        self.refresh_bindings()
        if self.run_analysis:
            self.side_panel.set_status(Text("Analysis: loading the language model…"), 0.0)
            self.analyse()
        else:
            self.side_panel.set_status(Text("Analysis: off"))
        self.article.focus()
        self.apply_view_settings()  # before any analysis message is handled (this handler runs first)

    def on_unmount(self) -> None:
        # What settle_memory() set aside may be garbage now (this reader, its article):
        # give it back to the collector.
        import gc

        gc.unfreeze()

    def say(self, message: str, **options) -> None:
        """A notification whose text (file names, notes, errors) is shown as it is, never as markup."""
        self.notify(display_text(message), markup=False, **options)

    @property
    def article(self) -> ArticleView:
        return self._article

    @property
    def side_panel(self) -> SidePanel:
        """The side panel (mounted right after first paint: use it once ``ready``)."""
        return self._side_panel

    @property
    def store(self) -> Store:
        return self.app.store

    @property
    def labels(self) -> list[Label]:
        return self.app.labels

    # ----- analysis worker ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False, description="analysis")
    def analyse(self) -> None:
        from annotations.analysis import AnalysisCancelled, analyze, cached_analysis
        from tui.messages import AnalysisFailed, AnalysisProgress, AnalysisReady, EntitiesFound

        worker = get_current_worker()
        hit = cached_analysis(self.document)
        if hit is not None:
            self.post_message(AnalysisReady(hit, from_cache=True))
            return
        try:
            result = analyze(
                self.document,
                progress=lambda fraction: self.post_message(AnalysisProgress(fraction)),
                cancel=worker.cancelled_event,
                entities_found=lambda entities: self.post_message(EntitiesFound(entities)),
            )
        except AnalysisCancelled:
            return
        except Exception as error:  # the reader must keep working without analysis
            self.post_message(AnalysisFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(AnalysisReady(result, from_cache=False))

    def on_analysis_progress(self, message: AnalysisProgress) -> None:
        self.side_panel.set_status(Text(f"Analysis: {message.fraction:.0%}"), message.fraction)

    def on_entities_found(self, message: EntitiesFound) -> None:
        from tui import panel_items

        if self.analysis is None:  # the full result, when it is in, wins
            partial = {"entities": message.entities}
            items = panel_items.entity_items(partial, self.rejected)
            self.side_panel.item_list("entities").set_items(items)
            self.article.set_layer("entity", self.entity_spans(items))

    def on_analysis_failed(self, message: AnalysisFailed) -> None:
        self.side_panel.set_status(Text("Analysis failed: ", "bold red") + safe(message.reason))

    def on_analysis_ready(self, message: AnalysisReady) -> None:
        from annotations.suggestions import suggestion_records
        from tui.panel_items import count

        self.analysis = message.analysis
        self.suggestion_records = {
            record["key"]: record for record in suggestion_records(message.analysis, self.document.text)
        }
        a = message.analysis
        status = Text.assemble(
            ("Analysis: ", "bold"),
            " · ".join(count(len(a.get(key, [])), noun) for key, noun in
                       (("entities", "entity"), ("claims", "claim"), ("notes", "note"), ("contradictions", "contradiction"))),
            (" (cached)" if message.from_cache else "", "dim"),
        )
        self.side_panel.set_status(status)
        self.refresh_suggestions()
        settle_memory()

    # ----- building the panel and the layers ----------------------------------------------

    def refresh_suggestions(self) -> None:
        from tui import panel_items

        analysis = self.analysis or {}
        all_cues = self.layer_choice.get("weak", False)
        entities = panel_items.entity_items(analysis, self.rejected)
        claims = panel_items.claim_items(analysis, self.rejected, all_cues)
        notes = panel_items.note_items(analysis, self.rejected, all_cues)
        panel = self.side_panel
        panel.item_list("entities").set_items(entities)
        panel.item_list("claims").set_items(claims)
        panel.item_list("reliability").set_items(notes)
        article = self.article
        article.set_layer("entity", self.entity_spans(entities))
        article.set_layer("claim", [(i.start, i.end, "claim", i.key) for i in claims if i.kind == "claim"])
        article.set_layer("note", [(i.start, i.end, "note", i.key) for i in notes if i.placed])
        accepted = {ann.origin.removeprefix("suggestion:") for ann in self.annotations if ann.origin}
        self.suggestions = sorted(
            (i for i in entities + claims + notes if i.kind in SUGGESTION_KINDS and i.key not in accepted),
            key=lambda i: (i.start, i.end),
        )

    def reload_annotations(self) -> None:
        try:
            self.annotations = self.store.annotations(self.document.sha256)
            self.rejected = set(self.store.rejected_suggestions(self.document.sha256))
        except StoreError as error:
            self.say(str(error), title="Store", severity="error")
            return
        self.refresh_annotation_list()
        self.refresh_suggestions()

    def refresh_annotation_list(self) -> None:
        from tui import panel_items

        query = self.query_one("#mine-filter", Input).value
        self.side_panel.item_list("mine").set_items(panel_items.annotation_items(self.annotations, query))
        placed = [a for a in self.annotations if not a.orphan and a.start is not None]
        self.article.set_layer("user", [(a.start, a.end, "user", f"ann:{a.id}") for a in placed])

    @on(Input.Changed, "#mine-filter")
    def filter_annotations(self) -> None:
        self.refresh_annotation_list()

    def poll_store(self) -> None:
        if self.waiting_for_lock:
            return  # the screen is reloaded as each waiting change is saved
        try:
            changed = self.store.refresh_if_changed()
        except StoreError as error:
            self.say(str(error), title="Store", severity="error")
            return
        if changed:
            self.reload_annotations()

    # ----- cursor <-> panel ---------------------------------------------------------------

    def on_article_view_cursor_moved(self, message: ArticleView.CursorMoved) -> None:
        if not self.ready:  # still starting: the panel comes right after first paint
            return
        spans = self.article.spans_at(self.article.cursor)
        spans = [s for s in spans if s[2] in TAB_OF_KIND]
        if self.chosen_key is not None:  # the item picked with `m` stays first while the cursor is on it
            spans.sort(key=lambda span: span[3] != self.chosen_key)
        detail = Text("")
        if spans:
            start, end, kind, key = spans[0][:4]
            self.side_panel.highlight_key(key, prefer_tab=TAB_OF_KIND[kind])
            item = self.item_by_key(key)
            if item is not None:
                detail = item.detail.copy()
            if len(spans) > 1:
                detail.append(f"  (+{len(spans) - 1} more here: m lists them)", "dim")
        self.show_detail(detail)

    def show_detail(self, detail: Text) -> None:
        """Update the one-row detail line; its size never changes, so no re-layout."""
        if detail != self.detail_shown:
            self.detail_shown = detail
            self._detail_line.update(detail, layout=False)

    def item_by_key(self, key: str) -> PanelItem | None:
        for item_list in self.side_panel.query("ItemList"):
            index = item_list.index_of(key)
            if index is not None:
                return item_list.items[index]
        return None

    def on_panel_item_chosen(self, message: PanelItemChosen) -> None:
        article = self.article
        article.set_layer("focus", [(message.start, message.end, "focus", message.key)])
        article.scroll_to_span(message.start, message.end)
        item = self.item_by_key(message.key)
        if item is not None:
            self.show_detail(item.detail)
        if message.jump:
            article.move_cursor(message.start)
            article.focus()

    # ----- finding what is under the cursor ----------------------------------------------------

    def user_annotations_at(self, offset: int) -> list[Annotation]:
        found = [a for a in self.annotations if not a.orphan and a.start is not None and a.start <= offset < max(a.end, a.start + 1)]
        return sorted(found, key=lambda a: (a.end - a.start, a.start))

    def suggestions_at(self, offset: int) -> list[PanelItem]:
        found = [i for i in self.suggestions if i.start <= offset < max(i.end, i.start + 1)]
        return sorted(found, key=lambda i: (i.end - i.start, i.start))

    def choose(self, title: str, candidates: list, describe, then) -> None:
        """Call ``then`` with the innermost candidate, or with the one picked in a popup.

        ``candidates`` come innermost first. When the innermost span lies strictly inside
        every other one (nested spans), it is the one meant; when spans cross or share a
        range, the user picks.
        """
        if not candidates:
            self.say("Nothing here to act on", severity="warning", timeout=2)
            return
        spans = [(c.start, c.end) for c in candidates]
        inner = spans[0]
        if all(start <= inner[0] and inner[1] <= end and (start, end) != inner for start, end in spans[1:]):
            then(candidates[0])
            return

        def picked(index: int | None) -> None:
            if index is not None:
                then(candidates[index])

        from tui.screens.span_picker import SpanPicker

        self.app.push_screen(SpanPicker(title, [describe(c) for c in candidates]), picked)

    @staticmethod
    def describe_annotation(ann: Annotation) -> Text:
        from tui import panel_items

        return Text.assemble((f"{ann.label or 'NOTE':<10}", "bold blue"), f"[{ann.start}–{ann.end}] ",
                             panel_items.snippet(ann.text, 50))

    @staticmethod
    def describe_item(item: PanelItem) -> Text:
        return Text.assemble((f"{item.kind:<8}", "bold"), f"[{item.start}–{item.end}] ") + item.prompt

    # ----- store operations (each one write, each undoable) ----------------------------------

    def apply(self, change, done: str | None = None) -> bool:
        return self.save(change, lambda _result: self.saved(done))

    def saved(self, done: str | None) -> None:
        self.reload_annotations()
        if done:
            self.say(done, timeout=2)

    def save(self, change, then) -> bool:
        """Run ``change`` (store calls) and then ``then(result)`` here. When another annotate
        holds the database lock, the change waits (after any already waiting, in order)
        while the screen says so and the keys keep working; a worker saves it as soon as
        the lock is free. False only when the change failed at once (said on screen)."""
        with self._waiting_lock:
            if self._waiting:
                self._waiting.append((change, then))
                return True
        try:
            ran, result = self.store.try_run(change)
        except StoreError as error:
            self.say(str(error), title="Not saved", severity="error", timeout=10)
            return False
        if ran:
            then(result)
            return True
        with self._waiting_lock:
            self._waiting.append((change, then))
        self.say(WAITING_FOR_LOCK, title="Store", timeout=LOCK_NOTICE_SECONDS)
        self.wait_for_lock()
        return True

    @property
    def waiting_for_lock(self) -> bool:
        with self._waiting_lock:
            return bool(self._waiting)

    @work(thread=True, group="store-lock", exit_on_error=False, description="waiting for the database lock")
    def wait_for_lock(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            with self._waiting_lock:
                if not self._waiting:
                    return
                change, then = self._waiting[0]
            try:
                ran, result = self.store.try_run(change)
            except StoreError as error:
                ran, result = True, error
            if not ran:
                time.sleep(LOCK_RETRY_SECONDS)
                continue
            with self._waiting_lock:
                self._waiting.pop(0)
                last = not self._waiting
            self.app.call_from_thread(self.saved_after_waiting, then, result, last)

    def saved_after_waiting(self, then, result, last: bool) -> None:
        if isinstance(result, StoreError):
            self.say(str(result), title="Not saved", severity="error", timeout=10)
        else:
            then(result)
        if last:
            self.say("The database lock is free: everything is saved", title="Store", timeout=3)
            if self._quit_when_saved:
                self.app.exit(0)

    def target_range(self) -> tuple[int, int] | None:
        """The selection, else the innermost annotation or suggestion under the cursor, else the word."""
        article = self.article
        if article.selection:
            return article.selection
        cursor = article.cursor
        anns = self.user_annotations_at(cursor)
        if anns:
            return anns[0].start, anns[0].end
        items = self.suggestions_at(cursor)
        if items:
            return items[0].start, items[0].end
        word = article.word_at(cursor)
        if word and word[1] > word[0]:
            return word
        return None

    def tag_range(self, label: str) -> None:
        article = self.article
        if not article.selection:
            anns = self.user_annotations_at(article.cursor)
            if anns:
                self.choose("Relabel which annotation?", anns, self.describe_annotation,
                            lambda ann: self.apply(lambda: self.store.update(ann.id, label=label),
                                                   f"Relabelled as {label}"))
                return
        span = self.target_range()
        if span is None:
            self.say("Select some text first (shift+arrows, w, s, o)", severity="warning", timeout=3)
            return
        from annotations.model import new_annotation

        ann = new_annotation(self.document, span[0], span[1], label=label)
        words = f"tag {label} on {quoted(ann.text)}"
        if self.apply(lambda: self.store.add_many([ann], description=words), f"Tagged {label}"):
            self.rest_on(ann.start)

    def rest_on(self, offset: int) -> None:
        """Put the cursor on the annotation just made (its start), selection cleared, so
        ``n``, ``x``, ``,`` ``.`` act on it at once."""
        article = self.article
        article.clear_selection()
        article.move_cursor(offset)

    def action_tag(self) -> None:
        span = self.target_range()
        if span is None:
            self.say("Select some text first (shift+arrows, w, s, o)", severity="warning", timeout=3)
            return
        from tui import panel_items

        target = safe(panel_items.snippet(self.document.text[span[0]:span[1]], 60))

        def picked(label: str | None) -> None:
            if label:
                self.tag_range(label)

        from tui.screens.tag_picker import TagPicker

        self.app.push_screen(TagPicker(self.labels, target), picked)

    def action_apply_label(self, index: int) -> None:
        if index >= len(self.labels):
            self.say(f"There is no label {index + 1}", severity="warning", timeout=2)
            return
        self.tag_range(self.labels[index].name)

    def action_note(self) -> None:
        article = self.article
        anns = [] if article.selection else self.user_annotations_at(article.cursor)

        def edit(ann: Annotation | None, span: tuple[int, int]) -> None:
            from annotations.model import new_annotation
            from tui import panel_items

            target = safe(panel_items.snippet(self.document.text[span[0]:span[1]], 60))

            def saved(text: str | None) -> None:
                if text is None:
                    return
                if ann is not None:
                    self.apply(lambda: self.store.update(ann.id, note=text), "Note saved")
                else:
                    new = new_annotation(self.document, span[0], span[1], note=text)
                    words = f"note on {quoted(new.text)}"
                    if self.apply(lambda: self.store.add_many([new], description=words), "Note saved"):
                        self.rest_on(new.start)

            from tui.screens.note_editor import NoteEditor

            self.app.push_screen(NoteEditor(target, ann.note if ann else ""), saved)

        if anns:
            self.choose("Note on which annotation?", anns, self.describe_annotation, lambda a: edit(a, (a.start, a.end)))
            return
        span = self.target_range()
        if span is None:
            self.say("Select some text first (shift+arrows, w, s, o)", severity="warning", timeout=3)
            return
        edit(None, span)

    def suggestion_annotation(self, item: PanelItem) -> Annotation:
        """The user's annotation for an accepted suggestion: the label and note the exports
        give that suggestion (a reliability note, which has no label of its own, becomes CHECK)."""
        from annotations.model import new_annotation

        record = self.suggestion_records.get(item.key, {})
        if not record and item.kind == "note" and isinstance(item.record, dict):  # a less certain cue's note
            from tui.panel_items import note_explanation, note_label

            record = {"note": note_explanation(item.record), "note_label": note_label(item.record)}
        note = record.get("note", "")
        if item.kind == "note" and record.get("note_label"):
            note = f"{record['note_label']}: {note}"
        return new_annotation(self.document, item.start, item.end, label=record.get("label") or "CHECK",
                              note=note, origin=f"suggestion:{item.key}")

    def already_annotated(self, item: PanelItem) -> Annotation | None:
        """Your annotation with the span and label that accepting ``item`` would add."""
        wanted = self.suggestion_annotation(item)
        for ann in self.annotations:
            if (ann.start, ann.end, ann.label) == (wanted.start, wanted.end, wanted.label):
                return ann
        return None

    def accept(self, item: PanelItem) -> None:
        existing = self.already_annotated(item)
        if existing is not None:
            self.say(f"Already annotated: {existing.label} on {quoted(existing.text)}; nothing added", timeout=3)
            return
        ann = self.suggestion_annotation(item)
        words = f"accept {item.kind} suggestion {ann.label} on {quoted(ann.text)}"
        if self.apply(lambda: self.store.add_many([ann], description=words),
                      f"Accepted {item.kind} as {item.label or 'annotation'}"):
            self.rest_on(ann.start)

    def action_accept(self) -> None:
        items = self.suggestions_at(self.article.cursor)
        self.choose("Accept which suggestion?", items, self.describe_item, self.accept)

    def action_reject(self) -> None:
        items = self.suggestions_at(self.article.cursor)

        def reject(item: PanelItem) -> None:
            words = f"reject {item.kind} suggestion on {quoted(self.document.text[item.start:item.end])}"
            self.apply(lambda: self.store.reject_suggestion(self.document.sha256, item.key, description=words),
                       f"Rejected {item.kind}")

        self.choose("Reject which suggestion?", items, self.describe_item, reject)

    def suggestion_groups(self) -> list[tuple[str, str | None]]:
        """(kind, label) of pending suggestions, for 'accept all' in the palette."""
        groups = {(i.kind, i.label if i.kind == "entity" else None) for i in self.suggestions}
        return sorted(groups, key=lambda g: (g[0], g[1] or ""))

    def accept_all(self, kind: str, label: str | None) -> None:
        items = [i for i in self.suggestions if i.kind == kind and (label is None or i.label == label)]
        fresh = [item for item in items if self.already_annotated(item) is None]
        if not fresh:
            self.say("No such suggestions left" if not items else
                     f"All {len(items)} are already annotated; nothing added", severity="warning", timeout=3)
            return
        anns = [self.suggestion_annotation(item) for item in fresh]
        name = f"{label} {kind}" if label else kind
        count = f"{len(anns)} {name} suggestion{'s' if len(anns) != 1 else ''}"
        skipped = len(items) - len(fresh)
        done = f"Accepted {count}" + (f" ({skipped} already annotated)" if skipped else "")
        self.apply(lambda: self.store.add_many(anns, description=f"accept {count}"), done)

    def action_remove(self) -> None:
        anns = self.user_annotations_at(self.article.cursor)
        def remove(ann: Annotation) -> None:
            words = f"remove {ann.label or 'note'} on {quoted(ann.text)}"
            self.apply(lambda: self.store.remove_many([ann.id], description=words),
                       f"Removed {ann.label or 'annotation'}")

        self.choose("Remove which annotation?", anns, self.describe_annotation, remove)

    def action_undo(self) -> None:
        self.history_step(self.store.undo, "Nothing to undo", "Undone")

    def action_redo(self) -> None:
        self.history_step(self.store.redo, "Nothing to redo", "Redone")

    def history_step(self, step, nothing: str, done: str) -> None:
        def then(description: str | None) -> None:
            if description is None:
                self.say(nothing, timeout=2)
                return
            self.reload_annotations()
            self.say(f"{done}: {history_words(description)}", timeout=3)

        sha = self.document.sha256
        self.save(lambda: step(sha), then)

    def action_move_boundary(self, which: str, step: int) -> None:
        anns = self.user_annotations_at(self.article.cursor)

        def move(ann: Annotation) -> None:
            start, end = ann.start, ann.end
            if which == "start":
                start = min(max(0, start + step), end - 1)
            else:
                end = max(min(len(self.document.text), end + step), start + 1)
            if (start, end) != (ann.start, ann.end):
                self.apply(lambda: self.store.update(ann.id, start=start, end=end, text_source=self.document.text))
                self.article.set_layer("focus", [(start, end, "focus", f"ann:{ann.id}")])
                if not start <= self.article.cursor < end:  # keep it under the cursor: press again
                    self.article.move_cursor(start if self.article.cursor < start else end - 1)

        self.choose("Move the boundary of which annotation?", anns, self.describe_annotation, move)

    # ----- navigation ---------------------------------------------------------------------

    def jump_to(self, start: int, end: int, key: str, select: bool = False) -> None:
        """Cursor to ``start``, the span on screen and marked; with ``select`` also selected
        (the cursor stays at its start)."""
        article = self.article
        if select:
            article.move_cursor(end, scroll=False)
            article.move_cursor(start, select=True)
        else:
            article.move_cursor(start)
        article.scroll_to_span(start, end)
        article.set_layer("focus", [(start, end, "focus", key)])

    def jump_in(self, spans: list[tuple[int, int, str]], forward: bool, nothing: str) -> None:
        cursor = self.article.cursor
        spans = sorted(spans)
        if forward:
            following = [s for s in spans if s[0] > cursor]
        else:
            following = [s for s in reversed(spans) if s[0] < cursor]
        if not following:
            self.say(nothing, timeout=2)
            return
        self.jump_to(*following[0])

    def action_next_annotation(self) -> None:
        self.jump_in(self.annotation_spans(), True, "No annotation after the cursor")

    def action_previous_annotation(self) -> None:
        self.jump_in(self.annotation_spans(), False, "No annotation before the cursor")

    def annotation_spans(self) -> list[tuple[int, int, str]]:
        return [(a.start, a.end, f"ann:{a.id}") for a in self.annotations if not a.orphan and a.start is not None]

    def action_next_suggestion(self) -> None:
        self.jump_in([(i.start, i.end, i.key) for i in self.suggestions], True, "No pending suggestion after the cursor")

    def action_previous_suggestion(self) -> None:
        self.jump_in([(i.start, i.end, i.key) for i in self.suggestions], False, "No pending suggestion before the cursor")

    def action_select_word(self) -> None:
        span = self.article.word_at(self.article.cursor)
        if span:
            self.article.select_range(*span)

    def action_select_sentence(self) -> None:
        span = self.article.sentence_at(self.article.cursor)
        if span:
            self.article.select_range(*span)

    def action_select_object(self) -> None:
        spans = [s for s in self.article.spans_at(self.article.cursor) if s[2] in TAB_OF_KIND]
        if spans:
            self.article.select_range(spans[0][0], spans[0][1])
        else:
            self.say("No annotation, entity or claim under the cursor", timeout=2)

    # ----- plain words and quiet highlights: explain, items here, layers ------------------

    @staticmethod
    def entity_spans(items: list[PanelItem]) -> list[tuple[int, int, str, str]]:
        """Entity spans drawn by type (each type its own colour and layer)."""
        from tui.layers import entity_kind

        return [(i.start, i.end, entity_kind(i.label or ""), i.key) for i in items]

    def apply_view_settings(self) -> None:
        """The remembered layers and the readable line width (config.toml ``[reader] max_width``)."""
        from tui.config import reader_max_width
        from tui.layers import hidden_kinds, load_layers

        self.layer_choice = load_layers()
        self.article.max_line_width = reader_max_width()
        self.article.set_hidden_kinds(hidden_kinds(self.layer_choice))
        self.refresh_legend()

    def refresh_legend(self) -> None:
        self.query_one("#legend", Static).update(self.article.legend_flow())

    def set_layers(self, choice: dict[str, bool]) -> None:
        """Show the chosen layers now and remember the choice for the next article."""
        from tui.layers import hidden_kinds, save_layers

        cues_changed = choice.get("weak") != self.layer_choice.get("weak")
        self.layer_choice = dict(choice)
        self.article.set_hidden_kinds(hidden_kinds(self.layer_choice))
        self.refresh_legend()
        if cues_changed and self.ready:
            self.refresh_suggestions()
        problem = save_layers(self.layer_choice)
        if problem:
            self.say(f"The layers are shown but not remembered: {problem}", severity="warning", timeout=6)

    def toggle_layer(self, layer_id: str) -> None:
        from tui.layers import LAYER_BY_ID

        choice = dict(self.layer_choice)
        choice[layer_id] = not choice.get(layer_id, LAYER_BY_ID[layer_id].default)
        self.set_layers(choice)
        layer = LAYER_BY_ID[layer_id]
        self.say(f"{layer.name.capitalize()}: {'shown' if choice[layer_id] else 'hidden'}", timeout=2)

    def action_toggle_all_cues(self) -> None:
        self.toggle_layer("weak")

    def action_layers(self) -> None:
        from tui.screens.layers import LayersScreen

        self.app.push_screen(LayersScreen(self.layer_choice, self.set_layers))

    def items_here(self) -> list[PanelItem]:
        """The panel items of every shown highlight under the cursor, innermost first."""
        items: list[PanelItem] = []
        for span in self.article.spans_at(self.article.cursor):
            if span[2] in TAB_OF_KIND and all(item.key != span[3] for item in items):
                item = self.item_by_key(span[3])
                if item is not None:
                    items.append(item)
        return items

    def action_items_here(self) -> None:
        from tui.panel_items import count

        items = self.items_here()
        if not items:
            self.say("Nothing is highlighted under the cursor", timeout=2)
            return

        def picked(index: int | None) -> None:
            if index is not None:
                self.choose_item(items[index])

        from tui.screens.span_picker import SpanPicker

        title = f"{count(len(items), 'item')} here: enter chooses one (then i explains it)"
        self.app.push_screen(SpanPicker(title, [self.describe_item(item) for item in items]), picked)

    def choose_item(self, item: PanelItem) -> None:
        """Make ``item`` the one the detail line, the panel and `i` are about."""
        self.chosen_key = item.key
        if item.placed:
            self.article.set_layer("focus", [(item.start, item.end, "focus", item.key)])
        self.side_panel.highlight_key(item.key, prefer_tab=TAB_OF_KIND.get(item.kind))
        self.show_detail(item.detail)

    def action_explain(self) -> None:
        from tui.widgets.side_panel import ItemList

        focused = self.focused
        if isinstance(focused, ItemList):
            item = focused.highlighted_item
            candidates = [item] if item is not None and item.kind != "header" else []
        else:
            candidates = self.items_here()
            candidates.sort(key=lambda item: item.key != self.chosen_key)
        if not candidates:
            self.say("Nothing to explain here: move the cursor onto a highlighted word, or pick a row of the panel",
                     timeout=3)
            return
        from tui import panel_items
        from tui.screens.explain import ExplainScreen

        title, body = panel_items.explain(candidates[0], self.analysis or {})
        others = [f"{item.kind} “{panel_items.snippet(self.document.text[item.start:item.end], 30)}”"
                  for item in candidates[1:] if item.placed]
        self.app.push_screen(ExplainScreen(title, body, others))

    # ----- search -------------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self._search_bar
        bar.add_class("open")
        bar.value = self.last_search
        bar.focus()

    @on(Input.Submitted, "#search-bar")
    def search_submitted(self, event: Input.Submitted) -> None:
        self.last_search = event.value
        bar = self._search_bar
        bar.remove_class("open")
        self.article.focus()
        self.search_step(forward=True)

    @on(Input.Changed, "#search-bar")
    def count_matches_while_typing(self, event: Input.Changed) -> None:
        from tui.panel_items import count

        needle = event.value.casefold()
        folded = self.document.text.casefold()
        self._search_bar.border_title = count(folded.count(needle), "match", "matches") if needle else None

    def action_search_next(self) -> None:
        self.search_step(forward=True)

    def action_search_previous(self) -> None:
        self.search_step(forward=False)

    def search_step(self, forward: bool) -> None:
        needle = self.last_search
        if not needle:
            self.say("Nothing to search for: press / first", timeout=2)
            return
        text, article = self.document.text, self.article
        haystack, needle_cf = text.casefold(), needle.casefold()
        if len(haystack) != len(text):  # casefold changed lengths (ß, ligatures): search exactly
            haystack, needle_cf = text, needle
        selection = article.selection
        if forward:
            begin = selection[0] + 1 if selection else article.cursor
            found = haystack.find(needle_cf, begin)
            if found < 0:
                found = haystack.find(needle_cf)
        else:
            begin = selection[0] if selection else article.cursor
            found = haystack.rfind(needle_cf, 0, max(begin, 0))
            if found < 0:
                found = haystack.rfind(needle_cf)
        if found < 0:
            self.say(f"Not found: {needle}", severity="warning", timeout=2)
            return
        article.select_range(found, found + len(needle_cf))
        article.scroll_to_span(found, found + len(needle_cf))
        self.show_search_matches(haystack, needle_cf, found)

    SEARCH_MARKS = 20_000  # matches highlighted at most (all are counted)

    def show_search_matches(self, haystack: str, needle: str, found: int) -> None:
        """Highlight every match and say which one is selected: "match 3/9"."""
        total = haystack.count(needle)
        position = haystack.count(needle, 0, found) + 1
        if self._marked_search != (needle, len(haystack)):
            self._marked_search = (needle, len(haystack))
            spans, at, step = [], haystack.find(needle), max(1, len(needle))
            while at >= 0 and len(spans) < self.SEARCH_MARKS:
                spans.append((at, at + len(needle), "search", f"search:{at}"))
                at = haystack.find(needle, at + step)
            self.article.set_layer("search", spans)
        self.say(f"“{self.last_search}”: match {position}/{total} · f3 next, shift+f3 previous", timeout=3)

    def on_key(self, event) -> None:
        if event.key == "escape":
            bar = self._search_bar  # not mounted yet in the first ms: has_focus is False then
            if bar.has_focus:
                bar.remove_class("open")
                self.article.focus()
                event.stop()

    # ----- dialogs ------------------------------------------------------------------------

    def action_export(self) -> None:
        from tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(self.document.path, self.export_protected(), self.write_export))

    def export_protected(self) -> list:
        from annotations.paths import store_files

        return store_files(self.store.path) + [("the article itself", self.document.path)]

    def write_export(self, request) -> str | None:
        """Write the export; None when done (a toast says where), else why not (the dialog
        stays open with it)."""
        from annotations.atomic import write_atomically
        from annotations.export import ExportError, export_document

        try:
            analysis = self.analysis if request.include_suggestions else None
            text = export_document(self.store, self.document, request.fmt, analysis=analysis)
            write_atomically(request.path, text, protected=self.export_protected())
        except (ExportError, StoreError, OSError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            return f"{request.path}: {reason}"
        self.say(f"Wrote {Path(request.path).resolve()}", title=f"Exported {request.fmt}", timeout=6)
        return None

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        from tui.commands import key_display, live_bindings

        def rows(node) -> list[tuple[str, str]]:
            return [(key_display(self.app, b), b.tooltip or b.description) for b in live_bindings(node)
                    if not b.action.startswith("apply_label")]

        labels = {b.action: key_display(self.app, b) for b in live_bindings(self)
                  if b.action.startswith("apply_label")}
        label_rows = [(labels.get(f"apply_label({n})", str(n + 1)), f"Tag with {label.name}")
                      for n, label in enumerate(self.labels[:9])]
        return [
            ("Annotate", rows(self)),
            ("Labels", label_rows),
            ("Article (cursor and selection)", rows(self.article)),
            ("Everywhere", [("tab / shift+tab", "Move focus between the article and the side panel"),
                            ("ctrl+p", "Command palette: every action"), ("enter (panel)", "Jump to the item")]),
            *getattr(self.app, "document_help_sections", lambda: [])(),
        ]

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        from tui.panel_items import glossary
        from tui.widgets.article_view import LegendFlow

        legend = ArticleView.legend_text(self.article, separator="\t").split("\t", allow_blank=False)
        self.app.push_screen(HelpScreen(self.help_sections(), LegendFlow(legend), glossary()))

    def action_panel_tab(self, tab: str) -> None:
        self.side_panel.choose_tab(tab)
        if not isinstance(self.focused, ArticleView):
            self.side_panel.item_list(tab).focus()

    def action_toggle_focus(self) -> None:
        if isinstance(self.focused, ArticleView):
            self.side_panel.item_list(self.side_panel.active_tab).focus()
        else:
            self.article.focus()

    def action_quit(self) -> None:
        if self.waiting_for_lock and not self._quit_when_saved:
            # Keys pressed while another annotate held the lock are not saved yet.
            self._quit_when_saved = True
            self.say("Quitting once the changes waiting for the database lock are saved (q again: quit now)",
                     title="Store", timeout=LOCK_NOTICE_SECONDS)
            return
        self.app.exit(0)




class AnnotateApp(App[int]):
    """annotate FILE: read an article critically and annotate it with the keyboard alone.

    With several articles (``paths``) the app opens on the library; enter reads one, and
    from the reader ``N``/``P`` move to the next/previous article of the list (everything
    is saved at once), ``L`` goes back to the list, ``W`` shows who said what across them.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "annotate"
    COMMANDS = App.COMMANDS | {AnnotateCommands}
    BINDINGS = [
        Binding("N", "next_document", "Next article", key_display="N", id="library.next-document",
                tooltip="Read the next article of the library (everything is already saved)"),
        Binding("P", "previous_document", "Previous article", key_display="P", id="library.previous-document",
                tooltip="Read the previous article of the library (everything is already saved)"),
        Binding("L", "library", "Library", key_display="L", id="library.show",
                tooltip="Back to the list of articles"),
        Binding("W", "sources", "Who said what", key_display="W", id="library.who-said-what",
                tooltip="Sources: every speaker and channel across the articles, and contradictions"),
    ]
    DOCUMENT_ACTIONS = {"next_document", "previous_document", "library", "sources"}

    def __init__(
        self,
        document: Document | None,
        store: Store | None = None,
        labels: list[Label] | None = None,
        run_analysis: bool = True,
        paths: list[str] | None = None,
        store_file: StoreFile | None = None,
    ) -> None:
        """``store``: an open store; or ``store_file``, the database file as already read
        and checked, which the reader opens as the store after its first paint (TinyDB and
        the store's code take ~10 ms to load), see :meth:`open_store`."""
        super().__init__()
        self.key_queue = KeyQueue(self)
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # A key's effect shows at once: no sliding tab underline (0.3 s), no smooth scrolls.
            self.animation_level = "none"
        if (store is None) == (store_file is None):
            raise ValueError("give the store or the checked store file")
        self.store = store
        self.store_file = store_file
        self.store_error: StoreError | None = None
        self._labels = labels
        self.run_analysis = run_analysis
        self.library = None
        self.current: int | None = None
        self.document = document
        self.reader = None
        if paths:
            from annotations.html import ExtractionArchive, archive_dir
            from annotations.library import entries_for
            from tui.screens.library import LibraryScreen, LibraryCommands

            self.archive = ExtractionArchive(archive_dir(store.path))
            self.entries = entries_for(paths)
            self.library = LibraryScreen(self.entries, store, self.archive)
            self.COMMANDS = self.COMMANDS | {LibraryCommands}
        else:
            self.archive = None
            self.entries = []
            self.reader = ReaderScreen(document, run_analysis)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event.key == "ctrl+j" and event.character == "\n":
                # Enter typed before the terminal was switched to raw mode (while annotate
                # starts) arrives as a line feed: it is still enter.
                event.key, event.character = "enter", "\r"
            # Keys typed while the app is still busy with the one before wait their turn.
            if self.key_queue.hold(event):
                return
        await super().on_event(event)

    def on_unmount(self) -> None:
        # The reader has ended: its undo history is anyone's now (issue 12: undo belongs to
        # the running reader that made the change; after a restart it is yours again).
        if self.store is not None:
            self.store.end_session()

    def open_store(self) -> bool:
        """Open the store if it is not open yet. A store that cannot be used (corrupt,
        foreign, not writable) ends the app: ``store_error`` holds why, the caller reports
        it with its exit code, as for any other command."""
        if self.store is None and self.store_error is None:
            from annotations.store import open_store

            try:
                self.store = open_store(checked=self.store_file)
            except StoreError as error:
                self.store_error = error
                self.exit(return_code=error.exit_code)
        return self.store is not None

    @property
    def labels(self) -> list[Label]:
        return self.load_labels()

    def load_labels(self) -> list[Label]:
        """The label list, read once: ``--labels``, else the user's label file, else the
        defaults. A broken user label file is reported and the defaults are used."""
        if self._labels is None:
            from annotations.labels import DEFAULT_LABELS, LabelError, user_labels

            try:
                self._labels = user_labels()
            except LabelError as error:
                self.notify(display_text(str(error)), title="Labels", severity="warning", markup=False, timeout=10)
                self._labels = list(DEFAULT_LABELS)
        return self._labels

    def get_default_screen(self) -> Screen:
        return self.library if self.library is not None else self.reader

    def on_mount(self) -> None:
        if self.document is not None:
            self.title = f"annotate — {safe_line(self.document.name, 80)}"
        else:
            self.title = f"annotate — {len(self.entries)} articles"
        try:
            keymap = load_keymap()
        except ConfigError as error:
            self.notify(display_text(str(error)), title="Config", severity="warning", markup=False, timeout=10)
            keymap = {}
        if keymap:
            self.set_keymap(keymap)

    # ----- many articles ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.DOCUMENT_ACTIONS:
            focused = self.focused
            from textual.widgets import TextArea

            if isinstance(focused, (Input, TextArea)):
                return False  # letters type there
            if self.library is None:
                return True  # the action says why it does nothing
            if action in ("next_document", "previous_document", "library"):
                return isinstance(self.screen, ReaderScreen)
            if action == "sources":
                return self.screen.id != "sources"
        return True

    def open_entry(self, index: int, at: tuple[int, int] | None = None, key: str = "open") -> bool:
        """Read entry ``index`` of the library (replacing the article being read), at a span."""
        from annotations.document import DocumentError
        from annotations.inputs import load_input

        entry = self.entries[index]
        try:
            document = load_input(entry.path, self.archive)
        except DocumentError as error:
            self.notify(display_text(str(error)), title="Cannot open", severity="error", markup=False, timeout=6)
            return False
        self.current = index
        self.document = document
        reader = ReaderScreen(document, self.run_analysis)
        self.reader = reader
        while len(self.screen_stack) > 1:  # the library is the default screen, at the bottom
            self.pop_screen()
        self.push_screen(reader)
        position = self.library.table.rows.index(index) + 1 if index in self.library.table.rows else "–"
        self.title = f"annotate — {safe_line(document.name, 60)} ({position}/{len(self.library.table.rows)})"
        if at is not None:
            self.jump_when_ready(reader, at, key, tries=200)
        return True

    def jump_when_ready(self, reader: ReaderScreen, at: tuple[int, int], key: str, tries: int) -> None:
        """Move the reader to ``at`` once its side panel is mounted (it comes after first paint)."""
        if reader is not self.screen:
            return
        if reader.ready or tries <= 0:
            reader.jump_to(at[0], at[1], key, select=True)
            # Once more after the next layout: a view still wrapping its lines may not have
            # known where the span falls.
            reader.call_after_refresh(reader.article.scroll_to_span, at[0], at[1])
            return
        self.set_timer(0.05, lambda: self.jump_when_ready(reader, at, key, tries - 1))

    def step_document(self, step: int) -> None:
        rows = self.library.table.rows
        if not rows:
            return
        position = rows.index(self.current) if self.current in rows else -1
        target = position + step
        if not (0 <= target < len(rows)):
            self.notify("No next article" if step > 0 else "No previous article", timeout=2, markup=False)
            return
        self.library.table.move_to(target)
        self.open_entry(rows[target])

    def single_article(self) -> bool:
        """True (and says so) when there is no library: N, P, L and W need several articles."""
        if self.library is not None:
            return False
        self.notify("Only one article is open: N, P, L and W work when annotate opens several "
                    "(annotate FILE FILE… or annotate FOLDER)", title="One article", timeout=4, markup=False)
        return True

    def action_next_document(self) -> None:
        if not self.single_article():
            self.step_document(1)

    def action_previous_document(self) -> None:
        if not self.single_article():
            self.step_document(-1)

    def action_library(self) -> None:
        if self.single_article():
            return
        self.refresh_current_entry()
        while len(self.screen_stack) > 1 and self.screen is not self.library:
            self.pop_screen()
        self.title = f"annotate — {len(self.entries)} articles"

    def refresh_current_entry(self) -> None:
        """Bring the library row of the article just read up to date (analysis, annotations)."""
        reader = self.reader
        if self.library is None or reader is None or self.current is None:
            return
        try:
            mine = self.store.count_annotations(reader.document.sha256)
        except StoreError:
            mine = None
        self.library.refresh_entry(reader.document.sha256, reader.analysis, mine)

    def action_sources(self) -> None:
        if self.single_article():
            return
        from tui.screens.sources import SourcesScreen

        self.refresh_current_entry()
        self.push_screen(SourcesScreen(self.entries, self.archive))

    def document_help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        if self.library is None:
            return []
        return [("Articles (library)", [(b.key_display or b.key, b.tooltip) for b in self.BINDINGS])]
