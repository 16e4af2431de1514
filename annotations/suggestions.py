"""The machine's suggestions (from the contract's analysis dict) as flat span records.

Used by every export format when ``--include-suggestions`` is given, and by the TUI to
list, accept and reject suggestions. Each record is marked by its ``origin``
(``suggestion:entity`` / ``suggestion:claim:c3`` / ``suggestion:note``) so nobody mistakes
it for the user's own annotation. Its ``key`` (``entity_key`` and friends) is what the
store remembers rejections and acceptances by: defined here only.
"""

from __future__ import annotations

from annotations.analysis.kinds import plain_label


def entity_key(entity: dict) -> str:
    return f"entity:{entity['start']}:{entity['end']}:{entity.get('label', '')}"


def claim_key(claim: dict) -> str:
    return f"claim:{claim['start']}:{claim['end']}"


def note_key(note: dict) -> str:
    return f"note:{note['start']}:{note['end']}:{note.get('kind', '')}"


def _span_ok(text: str, item: dict) -> bool:
    start, end = item.get("start"), item.get("end")
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


def suggestion_records(analysis: dict | None, text: str) -> list[dict]:
    """Entities, claims and notes as {kind, key, origin, start, end, text, label, note}."""
    if not analysis:
        return []
    records: list[dict] = []
    for entity in analysis.get("entities", []) or []:
        if not _span_ok(text, entity):
            continue
        records.append(
            {
                "kind": "entity",
                "key": entity_key(entity),
                "origin": "suggestion:entity",
                "start": entity["start"],
                "end": entity["end"],
                "text": text[entity["start"] : entity["end"]],
                "label": entity.get("label"),
                "note": "",
            }
        )
    for claim in analysis.get("claims", []) or []:
        if not _span_ok(text, claim):
            continue
        details = []
        speaker = claim.get("speaker")
        if isinstance(speaker, dict) and speaker.get("text"):
            details.append(f"speaker: {speaker['text']}")
        channel = claim.get("channel")
        if isinstance(channel, dict) and channel.get("text"):
            details.append(f"channel: {channel['text']}")
        cues = [cue.get("kind") for cue in claim.get("cues", []) or [] if isinstance(cue, dict) and cue.get("kind")]
        if cues:
            details.append(f"cues: {', '.join(dict.fromkeys(plain_label(cue) for cue in cues))}")
        records.append(
            {
                "kind": "claim",
                "key": claim_key(claim),
                "origin": f"suggestion:claim:{claim['id']}" if claim.get("id") else "suggestion:claim",
                "start": claim["start"],
                "end": claim["end"],
                "text": text[claim["start"] : claim["end"]],
                "label": "CLAIM",
                "note": "; ".join(details),
                "claim": claim,
            }
        )
    for note in analysis.get("notes", []) or []:
        if not _span_ok(text, note):
            continue
        records.append(
            {
                "kind": "note",
                "key": note_key(note),
                "origin": "suggestion:note",
                "start": note["start"],
                "end": note["end"],
                "text": text[note["start"] : note["end"]],
                "label": None,
                "note": note.get("note", ""),
                "severity": note.get("severity"),
                "note_kind": note.get("kind"),
                "note_label": note.get("label") or plain_label(note.get("kind") or "note"),
            }
        )
    return records


def model_description(analysis: dict | None) -> str:
    model = (analysis or {}).get("model") or {}
    name, version = model.get("name"), model.get("version")
    return f"{name} {version}".strip() if name else "annotate analysis"
