"""Sources: who said what, across every analysed article of the library.

Left, every speaker and channel (most articles first) and, at the top, the contradictions
found between claims of different articles; right, the claims of the one highlighted,
each with its article. ``enter`` on a claim opens that article at the claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from annotations.corpus import ClaimRef, Corpus, build_corpus
from annotations.library import ANALYSED, Entry
from tui.panel_items import count
from tui.safe_text import safe, safe_line

CONTRADICTIONS = "contradictions"


@dataclass
class CorpusReady(Message):
    corpus: Corpus


class SourcesScreen(Screen):
    BINDINGS = [
        Binding("enter", "open_claim", "Open at claim", id="sources.open",
                tooltip="Open the article at the highlighted claim"),
        Binding("slash", "filter", "Filter", key_display="/", id="sources.filter",
                tooltip="Filter the sources by name"),
        Binding("escape", "back", "Back", id="sources.back", tooltip="Back to where you were"),
        Binding("question_mark", "help", "Help", key_display="?", id="sources.help", tooltip="Show every key"),
        Binding("q", "quit", "Quit", id="sources.quit", tooltip="Quit (everything is already saved)"),
    ]

    DEFAULT_CSS = """
    #sources-main { height: 1fr; }
    #sources-left { width: 40%; min-width: 30; }
    #sources-list, #source-claims { height: 1fr; }
    #sources-filter { display: none; }
    #sources-filter.open { display: block; }
    #sources-status { height: 1; padding: 0 1; color: $text-muted; }
    #claims-title { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, entries: list[Entry], archive=None) -> None:
        super().__init__(id="sources")
        self.entries = entries
        self.archive = archive
        self.corpus: Corpus | None = None
        self.keys: list[str] = []  # option index in the left list -> source key / CONTRADICTIONS
        self.claim_rows: list[ClaimRef | None] = []
        self.needle = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sources-main"):
            with Vertical(id="sources-left"):
                yield Input(placeholder="filter sources by name", id="sources-filter")
                yield OptionList(id="sources-list")
            with Vertical():
                yield Static(Text(""), id="claims-title")
                yield OptionList(id="source-claims")
        yield Static(Text("Reading the analyses…"), id="sources-status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "annotate — who said what"
        self.query_one("#sources-list", OptionList).focus()
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.focused, Input) and action not in ("back", "help"):  # q types there
            return False
        return True

    @work(thread=True, exclusive=True, group="sources", exit_on_error=False, description="sources")
    def load(self) -> None:
        from annotations.analysis_cache import AnalysisCache
        from annotations.batch import cached_result
        from annotations.document import DocumentError
        from annotations.inputs import load_input

        worker = get_current_worker()
        cache = AnalysisCache()

        def analyses():
            for index, entry in enumerate(self.entries):
                if worker.is_cancelled:
                    return
                if entry.loaded and entry.status != ANALYSED:
                    continue
                try:
                    document = load_input(entry.path, self.archive)
                except DocumentError:
                    continue
                analysis = cached_result(document, cache)
                if analysis is not None:
                    yield index, entry.path, entry.title, analysis

        corpus = build_corpus(analyses(), total=len(self.entries))
        if not worker.is_cancelled:
            self.post_message(CorpusReady(corpus))

    def on_corpus_ready(self, message: CorpusReady) -> None:
        self.corpus = message.corpus
        corpus = self.corpus
        self.query_one("#sources-status", Static).update(Text(
            f"{corpus.analysed} of {count(corpus.total, 'article')} analysed · {count(len(corpus.sources), 'source')} · "
            f"{count(len(corpus.claims), 'claim')} · {count(len(corpus.contradictions), 'contradiction')} across articles"
            + ("" if corpus.analysed == corpus.total else " · press A in the library to analyse the rest")))
        self.fill_sources()

    def fill_sources(self) -> None:
        corpus = self.corpus
        if corpus is None:
            return
        options = []
        self.keys = []
        needle = self.needle.casefold().strip()
        if not needle:
            options.append(Option(Text.assemble(("⚡ Contradictions across articles", "bold red"),
                                                f" ({len(corpus.contradictions)})")))
            self.keys.append(CONTRADICTIONS)
        for source in corpus.sources:
            if needle and needle not in source.name.casefold():
                continue
            roles = "/".join(sorted(source.roles))
            prompt = safe_line(source.name, 40, style="bold")
            prompt.append(f"  {count(len(source.claims), 'claim')} in {count(source.articles, 'article')} · {roles}",
                          "dim")
            options.append(Option(prompt))
            self.keys.append(source.key)
        listing = self.query_one("#sources-list", OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0
            self.show_claims(0)
        else:
            self.show_claims(None)

    @on(OptionList.OptionHighlighted, "#sources-list")
    def source_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_claims(event.option_index)

    @on(OptionList.OptionSelected, "#sources-list")
    def source_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_claims()

    def focus_claims(self) -> None:
        """Focus the claims with the first one highlighted, so the next enter opens it."""
        claims_list = self.query_one("#source-claims", OptionList)
        if claims_list.highlighted is None:
            first = next((n for n, row in enumerate(self.claim_rows) if row is not None), None)
            if first is not None:
                claims_list.highlighted = first
        claims_list.focus()

    def show_claims(self, index: int | None) -> None:
        claims_list = self.query_one("#source-claims", OptionList)
        title = self.query_one("#claims-title", Static)
        self.claim_rows = []
        options: list[Option] = []
        if index is None or self.corpus is None or index >= len(self.keys):
            claims_list.set_options([])
            title.update(Text(""))
            return
        key = self.keys[index]
        if key == CONTRADICTIONS:
            title.update(Text("Claims in different articles that contradict each other", "bold"))
            for number, item in enumerate(self.corpus.contradictions, 1):
                header = Text(f"⚡ {number}. ", "bold red")
                header.append_text(safe(f"on {', '.join(item.shared[:4])}"))
                options.append(Option(header, disabled=True))
                self.claim_rows.append(None)
                for claim in (item.a, item.b):
                    options.append(Option(self.claim_prompt(claim)))
                    self.claim_rows.append(claim)
        else:
            source = next(s for s in self.corpus.sources if s.key == key)
            heading = safe_line(source.name, 60, style="bold")
            heading.append(f" — {count(len(source.claims), 'claim')} in {count(source.articles, 'article')}", "dim")
            title.update(heading)
            for claim in source.claims:
                options.append(Option(self.claim_prompt(claim)))
                self.claim_rows.append(claim)
        if not options:
            options.append(Option(Text("Nothing here yet", "dim"), disabled=True))
            self.claim_rows.append(None)
        claims_list.set_options(options)

    @staticmethod
    def claim_prompt(claim: ClaimRef) -> Text:
        prompt = safe_line(claim.title, 50, style="bold cyan")
        who = claim.speaker or "the article"
        prompt.append(" · ")
        prompt.append_text(safe_line(who, 30, style="italic"))
        if claim.channel:
            prompt.append(" via ")
            prompt.append_text(safe_line(claim.channel, 30, style="italic"))
        prompt.append("\n")
        body = claim.text if len(claim.text) <= 300 else claim.text[:299] + "…"
        prompt.append_text(safe(body.replace("\n", " ")))
        return prompt

    @on(OptionList.OptionSelected, "#source-claims")
    def claim_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_row(event.option_index)

    def action_open_claim(self) -> None:
        claims_list = self.query_one("#source-claims", OptionList)
        if self.focused is claims_list and claims_list.highlighted is not None:
            self.open_row(claims_list.highlighted)
        else:
            self.focus_claims()

    def open_row(self, index: int) -> None:
        if not (0 <= index < len(self.claim_rows)) or self.claim_rows[index] is None:
            return
        claim = self.claim_rows[index]
        self.app.open_entry(claim.entry, at=(claim.start, claim.end), key=f"claim:{claim.claim_id}")

    def action_filter(self) -> None:
        bar = self.query_one("#sources-filter", Input)
        bar.add_class("open")
        bar.focus()

    @on(Input.Changed, "#sources-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value
        self.fill_sources()

    @on(Input.Submitted, "#sources-filter")
    def filter_submitted(self) -> None:
        self.query_one("#sources-list", OptionList).focus()

    def action_back(self) -> None:
        bar = self.query_one("#sources-filter", Input)
        if bar.has_focus:
            bar.value = ""
            bar.remove_class("open")
            self.query_one("#sources-list", OptionList).focus()
            return
        self.app.pop_screen()

    def action_quit(self) -> None:
        self.app.exit(0)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        rows = [(b.key_display or b.key, b.tooltip) for b in self.BINDINGS]
        rows.append(("tab", "Move between the sources and their claims"))
        self.app.push_screen(HelpScreen([("Sources", rows)], Text("")))
