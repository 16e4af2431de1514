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
    record: object = None  # the analysis dict (or Annotation) behind the row, for `explain`

    @property
    def placed(self) -> bool:
        return self.start is not None and self.end is not None


SNIPPET = 60
SEVERITY_ORDER = {"critical": 0, "error": 0, "danger": 0, "warning": 1, "caution": 1, "info": 2}
SEVERITY_STYLE = {"critical": "bold red", "error": "bold red", "danger": "bold red", "warning": "yellow",
                  "caution": "yellow", "info": "cyan"}
SEVERITY_WORDS = {"critical": "serious", "error": "serious", "danger": "serious", "warning": "check this",
                  "caution": "check this", "info": "good to know"}
EXPLAIN_HINT = "i explains"
SCORE_WORDS = "score: how sure the analysis is that this is a claim, from 0 to 1"
CONTRADICTED_WORDS = "⇄: another claim in the article says the opposite"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'1 claim', '2 claims', '3 entities': the number with the noun in the right form."""
    if number != 1 and plural is None:
        plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"


def snippet(text: str, limit: int = SNIPPET) -> str:
    text = " ".join(display_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole(text: str) -> str:
    """Outside text for a row that wraps: safe, on one line, never cut."""
    return " ".join(display_text(text).split())


# ----- plain words for the analysis' kinds (the analysis' own words first) -------------------


def _kind(kind: str):
    from annotations.analysis.kinds import kinds  # plain data, no spaCy

    return kinds().get(kind)


def kind_label(kind: str | None) -> str:
    from annotations.analysis.kinds import plain_label

    return plain_label(kind or "note")


def cue_label(cue: dict) -> str:
    label = cue.get("label")
    return label if isinstance(label, str) and label else kind_label(cue.get("kind"))


def cue_why(cue: dict) -> str:
    """Why the cue matters: the analysis' explanation, else the kind table's reason."""
    explanation = cue.get("explanation")
    if isinstance(explanation, str) and explanation:
        return explanation
    entry = _kind(cue.get("kind", ""))
    return f"{entry.what}: {entry.why}." if entry else ""


def note_label(note: dict) -> str:
    label = note.get("label")
    if isinstance(label, str) and label:
        return label
    if note.get("kind") == "source" and note.get("source_kind"):
        return f"{str(note['source_kind']).replace('_', ' ')} source"
    return kind_label(note.get("kind"))


def note_explanation(note: dict) -> str:
    explanation = note.get("explanation")
    if isinstance(explanation, str) and explanation:
        return explanation
    return str(note.get("note") or cue_why(note))


def note_citation(note: dict) -> str:
    """The source table's citation, unless the explanation already carries it."""
    citation = str(note.get("citation") or "")
    if not citation or citation in note_explanation(note):
        return ""
    date = note.get("date")
    return f"{citation}, {date}" if date else citation


def _cue_id(cue: dict) -> tuple:
    return cue.get("kind"), cue.get("start"), cue.get("end")


def _weak_notes(analysis: dict) -> list[dict]:
    """Notes for the claims' less certain cues (``weak_cues``), one per span and kind."""
    have = {_cue_id(note) for note in analysis.get("notes", [])}
    out: dict[tuple, dict] = {}
    for claim in analysis.get("claims", []):
        for cue in claim.get("weak_cues") or []:
            ident = _cue_id(cue)
            if ident in have or not isinstance(cue.get("start"), int) or not isinstance(cue.get("end"), int):
                continue
            if ident in out:
                out[ident]["claims"].append(claim["id"])
                continue
            entry = _kind(cue.get("kind", ""))
            out[ident] = {
                "start": cue["start"], "end": cue["end"], "text": cue.get("text", ""), "kind": cue.get("kind"),
                "severity": "info", "label": cue_label(cue), "explanation": cue_why(cue),
                "claim": claim["id"], "claims": [claim["id"]], "weak": True,
                **({"confidence": cue["confidence"]} if "confidence" in cue else {}),
                **({"severity": entry.severity} if entry else {}),
            }
    return list(out.values())


def _confidence(record: dict) -> str:
    value = record.get("confidence")
    return f"{value:.0%}" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""


# ----- rows -------------------------------------------------------------------------------


def entity_style(label: str) -> str:
    from tui.layers import LAYER_BY_ID, entity_kind

    return f"bold {LAYER_BY_ID[entity_kind(label)].colour}"


def entity_items(analysis: dict, rejected: set[str]) -> list[PanelItem]:
    from tui.layers import ENTITY_WORDS

    items = []
    styles: dict[str, str] = {}
    for entity in analysis.get("entities", []):
        key = entity_key(entity)
        if key in rejected:
            continue
        label = entity["label"]
        style = styles.get(label) or styles.setdefault(label, entity_style(label))
        prompt = Text.assemble((f"{label:<8} ", style), snippet(entity["text"]))
        detail = Text.assemble((snippet(entity["text"], 60), style), f": {ENTITY_WORDS.get(label, 'a name')} ",
                               (f"({label})", "dim"))
        items.append(PanelItem(key, "entity", entity["start"], entity["end"], prompt, detail, label=label,
                               record=entity))
    return items


def _who(claim: dict) -> str:
    speaker = claim.get("speaker")
    return snippet(speaker["text"], 40) if speaker else "the article"


def _opposed(analysis: dict) -> dict[str, list[str]]:
    opposed: dict[str, list[str]] = {}
    for pair in analysis.get("contradictions", []):
        ids = pair.get("claims", [])
        if len(ids) == 2:
            opposed.setdefault(ids[0], []).append(ids[1])
            opposed.setdefault(ids[1], []).append(ids[0])
    return opposed


def _cue_chips(prompt: Text, cues: list[dict], weak: bool) -> None:
    counts = Counter(cue_label(cue) for cue in cues)
    for label, count in counts.items():
        style = "dim yellow" if weak else "reverse yellow"
        prompt.append(f" {label}{f' ×{count}' if count > 1 else ''}{'?' if weak else ''} ", style)
        prompt.append(" ")


def claim_items(analysis: dict, rejected: set[str], all_cues: bool = False) -> list[PanelItem]:
    items = []
    claims = {claim["id"]: claim for claim in analysis.get("claims", [])}
    opposed = _opposed(analysis)
    for claim in analysis.get("claims", []):
        key = claim_key(claim)
        if key in rejected:
            continue
        channel = claim.get("channel")
        prompt = Text()
        prompt.append(_who(claim), "bold green")
        if channel:
            prompt.append(" via ", "dim")
            prompt.append(snippet(channel["text"], 30), "green")
        prompt.append("\n")
        prompt.append(snippet(claim["text"], 90))
        cues = claim.get("cues") or []
        weak = (claim.get("weak_cues") or []) if all_cues else []
        if cues or weak:
            prompt.append("\n")
            _cue_chips(prompt, cues, weak=False)
            _cue_chips(prompt, weak, weak=True)
        prompt.append("\n")
        prompt.append(f"{claim['id']} · score {claim.get('score', 0):.2f}", "dim")
        if claim["id"] in opposed:
            prompt.append(f"  ⇄ contradicts {', '.join(opposed[claim['id']])}", "bold red")
        detail = Text.assemble((f"Claim {claim['id']}", "bold"), " by ", (_who(claim), "green"))
        if channel:
            detail.append(" via ")
            detail.append(snippet(channel["text"], 40), "green")
        detail.append(f" · score {claim.get('score', 0):.2f} of 1", "dim")
        if claim["id"] in opposed:
            detail.append(" · ⇄ contradicted by ", "red")
            detail.append(", ".join(opposed[claim["id"]]), "bold red")
        if cues:
            detail.append(" · ")
            detail.append(", ".join(f"{cue_label(cue)} “{snippet(cue['text'], 30)}”" for cue in cues))
        items.append(PanelItem(key, "claim", claim["start"], claim["end"], prompt, detail, label="CLAIM",
                               record=claim))
    for pair in analysis.get("contradictions", []):
        ids = pair.get("claims", [])
        if len(ids) != 2 or ids[0] not in claims or ids[1] not in claims:
            continue
        first, second = claims[ids[0]], claims[ids[1]]
        prompt = Text()
        prompt.append("⇄ these claims disagree: ", "bold red")
        prompt.append(f"{ids[0]} and {ids[1]}\n", "red")
        prompt.append(whole(pair.get("note", "")))
        detail = Text.assemble(
            ("Contradiction ", "bold red"), f"{ids[0]} ({_who(first)}) ⇄ {ids[1]} ({_who(second)}): ",
            snippet(pair.get("note", ""), 160),
        )
        items.append(PanelItem(f"contradiction:{ids[0]}:{ids[1]}", "contradiction", first["start"], first["end"],
                               prompt, detail, record=pair))
    if items:
        legend = Text(f"{SCORE_WORDS} · {CONTRADICTED_WORDS} · {EXPLAIN_HINT} a claim", "dim italic")
        items.insert(0, PanelItem("header:claims", "header", None, None, legend))
    return items


def note_items(analysis: dict, rejected: set[str], all_cues: bool = False) -> list[PanelItem]:
    candidates = list(analysis.get("notes", []))
    if all_cues:
        candidates += _weak_notes(analysis)
    notes = [note for note in candidates if note_key(note) not in rejected]
    notes.sort(key=lambda n: (SEVERITY_ORDER.get(n.get("severity", "info"), 3), n["start"]))
    items: list[PanelItem] = []
    current = None
    for note in notes:
        severity = note.get("severity", "info")
        if severity != current:
            current = severity
            header = Text(severity.upper(), "bold underline")
            header.append(f"  {SEVERITY_WORDS.get(severity, '')}", "dim")
            items.append(PanelItem(f"header:{severity}", "header", None, None, header))
        style = SEVERITY_STYLE.get(severity, "")
        label = note_label(note)
        prompt = Text()
        prompt.append(f"{label} ", f"bold {style}")
        prompt.append(f"“{snippet(note['text'], 30)}”")
        if note.get("weak"):
            sure = _confidence(note)
            prompt.append(f"  less certain{f' ({sure})' if sure else ''}", "dim italic")
        prompt.append("\n")
        prompt.append(whole(note_explanation(note)), "dim")
        citation = note_citation(note)
        if citation:
            prompt.append("\nSource: ", "dim bold")
            prompt.append(whole(citation), "dim")
        detail = Text.assemble((f"{label} ", f"bold {style}"), f"“{snippet(note['text'], 40)}” · ",
                               (EXPLAIN_HINT, "bold"), (" why", ""))
        items.append(PanelItem(note_key(note), "note", note["start"], note["end"], prompt, detail,
                               label=label, record=note))  # label: the plain words toasts and pickers show
    return items


def origin_words(origin: str) -> str:
    """Where an annotation came from, in words (the stored origin is an internal key)."""
    if origin.startswith("suggestion:"):
        kind = origin.split(":")[1] if origin.count(":") else ""
        what = {"entity": "an entity", "claim": "a claim", "note": "a reliability note"}.get(kind, "a suggestion")
        return f"accepted from {what} the analysis suggested"
    return "imported" if origin != "user" else "yours"


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
            prompt.append(whole(ann.note), "italic")
        detail = Text.assemble(("Annotation ", "bold"), (ann.label or "(no label)", "blue"), f" “{snippet(ann.text, 50)}”")
        if ann.note:
            detail.append("  ✎ ")
            detail.append(snippet(ann.note, 150), "italic")
        if ann.origin and ann.origin != "user":
            detail.append(f"  ({origin_words(ann.origin)})", "dim")
        kind = "orphan" if ann.orphan or ann.start is None else "user"
        item = PanelItem(f"ann:{ann.id}", kind, ann.start if kind == "user" else None,
                         ann.end if kind == "user" else None, prompt, detail, label=ann.label, record=ann)
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


# ----- the explain screen ------------------------------------------------------------------


def _section(body: Text, title: str) -> None:
    if body.plain:
        body.append("\n\n")
    body.append(f"{title}\n", "bold underline")


def _claims_of(note: dict, analysis: dict) -> list[dict]:
    ids = note.get("claims") or ([note["claim"]] if note.get("claim") else [])
    claims = {claim.get("id"): claim for claim in analysis.get("claims", [])}
    if ids:
        return [claims[i] for i in ids if i in claims]
    return [c for c in analysis.get("claims", []) if c["start"] <= note["start"] and note["end"] <= c["end"]]


def explain(item: PanelItem, analysis: dict) -> tuple[str, Text]:
    """(title, body) saying what a highlighted item is, why it matters for its claim, and
    the source table's citation: the words behind the `i` key. Nothing is cut."""
    from tui.layers import ENTITY_WORDS, LAYER_BY_ID, entity_kind

    record = item.record if item.record is not None else {}
    body = Text()
    if item.kind == "entity":
        label = record.get("label", item.label or "")
        layer = LAYER_BY_ID[entity_kind(label)]
        body.append(f"“{whole(record.get('text', ''))}” ", "bold")
        body.append(f"is {ENTITY_WORDS.get(label, 'a name')}", entity_style(label))
        body.append(f" ({label}: the language model's entity type; drawn in the colour of “{layer.name}”).")
        body.append("\n\nNames are where checking starts: who is speaking, who is spoken about, "
                    "which places and dates the claims depend on. a accepts it as your annotation, "
                    "r rejects it.")
        return "Entity", body
    if item.kind == "claim":
        opposed = _opposed(analysis).get(record.get("id"), [])
        body.append(whole(record.get("text", "")))
        _section(body, "Who says it")
        body.append(f"{_who(record)}" + (" (the article itself asserts it)" if not record.get("speaker") else ""))
        if record.get("channel"):
            body.append(f", via {whole(record['channel'].get('text', ''))}")
        _section(body, f"Score {record.get('score', 0):.2f}")
        body.append("How sure the analysis is that this sentence puts something forward as fact or attributes it "
                    "to someone, from 0 (hardly) to 1 (certainly). It is not how true the claim is.")
        cues = record.get("cues") or []
        weak = record.get("weak_cues") or []
        if cues or weak:
            _section(body, "Cues: why a careful reader should look twice")
            for cue, less in [(c, False) for c in cues] + [(c, True) for c in weak]:
                body.append(f"• {cue_label(cue)}", "bold yellow")
                body.append(f" “{whole(cue.get('text', ''))}”")
                sure = _confidence(cue)
                if less:
                    body.append(f" (less certain{f', {sure}' if sure else ''})", "dim")
                body.append(f": {cue_why(cue)}\n")
                if cue.get("citation"):
                    body.append(f"  Source: {whole(str(cue['citation']))}\n", "dim")
            body.rstrip()
        if opposed:
            _section(body, "⇄ Contradicted")
            claims = {c.get("id"): c for c in analysis.get("claims", [])}
            for pair in analysis.get("contradictions", []):
                ids = pair.get("claims", [])
                if record.get("id") in ids:
                    other = claims.get(next((i for i in ids if i != record.get("id")), ""), {})
                    body.append(f"{other.get('id', '?')} ({_who(other)}): ", "bold red")
                    body.append(f"“{whole(other.get('text', ''))}”\n")
                    if pair.get("note"):
                        body.append(f"  {whole(pair['note'])}\n", "dim")
            body.rstrip()
        return f"Claim {record.get('id', '')}", body
    if item.kind == "contradiction":
        claims = {c.get("id"): c for c in analysis.get("claims", [])}
        body.append(whole(record.get("note", "")))
        for claim_id in record.get("claims", []):
            claim = claims.get(claim_id, {})
            _section(body, f"{claim_id}: {_who(claim)}")
            body.append(whole(claim.get("text", "")))
        return "⇄ Two claims that disagree", body
    if item.kind == "note":
        severity = record.get("severity", "info")
        body.append(f"{note_label(record)}", f"bold {SEVERITY_STYLE.get(severity, '')}")
        body.append(f" “{whole(record.get('text', ''))}” ")
        body.append(f"({severity}: {SEVERITY_WORDS.get(severity, '')})", "dim")
        if record.get("weak"):
            sure = _confidence(record)
            body.append(f"\nThe analysis is less certain of this cue{f' ({sure})' if sure else ''}.", "dim italic")
        _section(body, "Why it matters")
        body.append(whole(note_explanation(record)))
        citation = note_citation(record)
        if citation:
            _section(body, "Source table citation")
            body.append(whole(citation))
        claims = _claims_of(record, analysis)
        if claims:
            _section(body, "The claim it bears on" if len(claims) == 1 else "The claims it bears on")
            for claim in claims:
                body.append(f"{claim.get('id', '')} ({_who(claim)}): ", "bold")
                body.append(f"“{whole(claim.get('text', ''))}”\n")
            body.rstrip()
        return "Reliability note", body
    if item.kind in ("user", "orphan"):
        ann = item.record
        body.append(f"{getattr(ann, 'label', None) or 'Note'}", "bold blue")
        body.append(f" “{whole(getattr(ann, 'text', ''))}”")
        if getattr(ann, "note", ""):
            _section(body, "Your note")
            body.append(whole(ann.note))
        origin = getattr(ann, "origin", "")
        if origin and origin != "user":
            body.append(f"\n\n{origin_words(origin).capitalize()}.", "dim")
        if item.kind == "orphan":
            body.append("\n\nIts text is no longer in the article: it is kept and shown, never dropped.", "dim")
        return "Your annotation", body
    return "Item", item.detail.copy()


def glossary() -> list[tuple[str, str]]:
    """(term, meaning) for the help screen: every cue and note kind in plain words, the
    score and the ⇄ mark, and the highlight layers."""
    from annotations.analysis.kinds import kinds
    from tui.layers import LAYERS

    rows = [(entry.label, f"{entry.what}: {entry.why}.") for entry in kinds().values()]
    rows.append(("score 0.80", SCORE_WORDS.removeprefix("score: ").capitalize() + "; not how true it is."))
    rows.append(("⇄ c17", "Contradicted by claim c17: another claim in the article says the opposite."))
    rows.append(("less certain", "A cue the analysis is less sure of; shown only with “all cues” (c)."))
    rows.extend((layer.name, layer.words.capitalize() + ".") for layer in LAYERS)
    return rows
