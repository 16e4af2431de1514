"""Turn analysis results and annotations into side-panel rows and article highlight spans.

Everything from outside (article text, speakers, notes, labels) goes in as plain text
inside ``rich.text.Text`` through ``safe_text``: never parsed as markup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotations.model import Annotation
from annotations.suggestions import claim_key, entity_key, note_key
from tui.safe_text import display_text
from rich.text import Text

@dataclass
class PanelItem:
    """One row of a panel list: what it points at and how it reads."""

    key: str
    kind: str  # entity | claim | note | contradiction | user | orphan | header
    start: int | None
    end: int | None
    prompt: Text
    detail: Text = field(default_factory=Text)
    label: str | None = None

    @property
    def placed(self) -> bool:
        return self.start is not None and self.end is not None


SNIPPET = 60
SEVERITY_ORDER = {"critical": 0, "error": 0, "warning": 1, "caution": 1, "info": 2}
SEVERITY_STYLE = {"critical": "bold red", "error": "bold red", "warning": "yellow", "caution": "yellow", "info": "cyan"}


def snippet(text: str, limit: int = SNIPPET) -> str:
    text = " ".join(display_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def entity_items(analysis: dict, rejected: set[str]) -> list[PanelItem]:
    items = []
    for entity in analysis.get("entities", []):
        key = entity_key(entity)
        if key in rejected:
            continue
        prompt = Text.assemble((f"{entity['label']:<8} ", "bold magenta"), snippet(entity["text"]))
        detail = Text.assemble(("Entity ", "bold"), (entity["label"], "magenta"), ": ", snippet(entity["text"], 200))
        items.append(PanelItem(key, "entity", entity["start"], entity["end"], prompt, detail, label=entity["label"]))
    return items


def _who(claim: dict) -> str:
    speaker = claim.get("speaker")
    return snippet(speaker["text"], 40) if speaker else "the article"


def claim_items(analysis: dict, rejected: set[str]) -> list[PanelItem]:
    items = []
    claims = {claim["id"]: claim for claim in analysis.get("claims", [])}
    opposed: dict[str, list[str]] = {}
    for pair in analysis.get("contradictions", []):
        ids = pair.get("claims", [])
        if len(ids) == 2:
            opposed.setdefault(ids[0], []).append(ids[1])
            opposed.setdefault(ids[1], []).append(ids[0])
    for claim in analysis.get("claims", []):
        key = claim_key(claim)
        if key in rejected:
            continue
        channel = claim.get("channel")
        prompt = Text()
        prompt.append(f"{claim['id']} ", "dim")
        prompt.append(_who(claim), "bold green")
        if channel:
            prompt.append(" via ", "dim")
            prompt.append(snippet(channel["text"], 30), "green")
        prompt.append(f"  {claim.get('score', 0):.2f}", "dim")
        if claim["id"] in opposed:
            prompt.append(f"  ⇄ {', '.join(opposed[claim['id']])}", "bold red")
        prompt.append("\n")
        prompt.append(snippet(claim["text"], 90))
        cues = claim.get("cues") or []
        if cues:
            prompt.append("\n")
            counts = Counter(cue["kind"] for cue in cues)
            for kind, count in counts.items():
                prompt.append(f" {kind}{f' ×{count}' if count > 1 else ''} ", "reverse yellow")
                prompt.append(" ")
        detail = Text.assemble(
            ("Claim ", "bold"), (claim["id"], "dim"), " by ", (_who(claim), "green"),
        )
        if channel:
            detail.append(" via ")
            detail.append(snippet(channel["text"], 40), "green")
        if claim["id"] in opposed:
            detail.append("; contradicted by ", "red")
            detail.append(", ".join(opposed[claim["id"]]), "bold red")
        if cues:
            detail.append("; cues: ")
            detail.append(", ".join(f"{cue['kind']} “{snippet(cue['text'], 30)}”" for cue in cues))
        items.append(PanelItem(key, "claim", claim["start"], claim["end"], prompt, detail, label="CLAIM"))
    for pair in analysis.get("contradictions", []):
        ids = pair.get("claims", [])
        if len(ids) != 2 or ids[0] not in claims or ids[1] not in claims:
            continue
        first, second = claims[ids[0]], claims[ids[1]]
        prompt = Text()
        prompt.append("⇄ contradiction ", "bold red")
        prompt.append(f"{ids[0]} ↔ {ids[1]}\n", "red")
        prompt.append(snippet(pair.get("note", ""), 90))
        detail = Text.assemble(
            ("Contradiction ", "bold red"), f"{ids[0]} ({_who(first)}) ↔ {ids[1]} ({_who(second)}): ",
            snippet(pair.get("note", ""), 160),
        )
        items.append(
            PanelItem(f"contradiction:{ids[0]}:{ids[1]}", "contradiction", first["start"], first["end"], prompt, detail)
        )
    return items


def note_items(analysis: dict, rejected: set[str]) -> list[PanelItem]:
    notes = [note for note in analysis.get("notes", []) if note_key(note) not in rejected]
    notes.sort(key=lambda n: (SEVERITY_ORDER.get(n.get("severity", "info"), 3), n["start"]))
    items: list[PanelItem] = []
    current = None
    for note in notes:
        severity = note.get("severity", "info")
        if severity != current:
            current = severity
            items.append(PanelItem(f"header:{severity}", "header", None, None, Text(severity.upper(), "bold underline")))
        style = SEVERITY_STYLE.get(severity, "")
        prompt = Text()
        prompt.append(f"{note.get('kind', 'note')} ", f"bold {style}")
        prompt.append(f"“{snippet(note['text'], 30)}”\n")
        prompt.append(snippet(note.get("note", ""), 90), "dim")
        detail = Text.assemble(
            (f"{severity}: ", f"bold {style}"), (note.get("kind", "note"), style), f" “{snippet(note['text'], 40)}”: ",
            snippet(note.get("note", ""), 200),
        )
        items.append(PanelItem(note_key(note), "note", note["start"], note["end"], prompt, detail, label=note.get("kind")))
    return items


def annotation_items(annotations: list[Annotation], label_filter: str = "") -> list[PanelItem]:
    query = label_filter.strip().lower()
    placed, orphans = [], []
    for ann in annotations:
        haystack = f"{ann.label or ''} {ann.text} {ann.note}".lower()
        if query and query not in haystack:
            continue
        prompt = Text()
        prompt.append(f"{ann.label or 'NOTE':<9} ", "bold blue")
        prompt.append(snippet(ann.text, 60))
        if ann.note:
            prompt.append("\n  ✎ ", "dim")
            prompt.append(snippet(ann.note, 80), "italic")
        detail = Text.assemble(("Annotation ", "bold"), (ann.label or "(no label)", "blue"), f" “{snippet(ann.text, 50)}”")
        if ann.note:
            detail.append("  ✎ ")
            detail.append(snippet(ann.note, 150), "italic")
        if ann.origin and ann.origin != "user":
            detail.append(f"  (from {snippet(ann.origin, 40)})", "dim")
        kind = "orphan" if ann.orphan or ann.start is None else "user"
        item = PanelItem(f"ann:{ann.id}", kind, ann.start if kind == "user" else None,
                         ann.end if kind == "user" else None, prompt, detail, label=ann.label)
        (orphans if kind == "orphan" else placed).append(item)
    items = placed
    if not placed and not orphans:
        hint = ("No annotation matches the filter" if query else
                "No annotations yet: select text (shift+arrows, w, s, o) and press t or 1–9")
        return [PanelItem("header:empty", "header", None, None, Text(hint, "dim italic"))]
    if orphans:
        items = items + [PanelItem("header:orphans", "header", None, None,
                                   Text(f"ORPHANS ({len(orphans)}): text no longer found", "bold red"))] + orphans
    return items
