"""Reliability notes: what a careful reader should doubt, each pointing at its span.

Two kinds: cue notes (a hedge, an unnamed source, a self-published post ... on a claim)
and source notes (every mention of a source in the source table: what it is, how far it
can be trusted, with the table's citation).
"""

from __future__ import annotations

from annotations.analysis.kinds import explain, kinds
from annotations.analysis.resources import SourceTable



def cue_notes(claims: list[dict]) -> list[dict]:
    """One note per cue span and kind; ``claims`` lists every claim it bears on (a speaker's
    channel named once counts for all the claims that came through it)."""
    notes = []
    seen: dict[tuple[str, int, int], dict] = {}
    for claim in claims:
        speaker = (claim.get("speaker") or {}).get("text")
        for cue in claim["cues"]:
            entry = kinds().get(cue["kind"])
            if entry is None or entry.id in ("source", "direct_quote"):
                continue
            key = (cue["kind"], cue["start"], cue["end"])
            if key in seen:
                seen[key]["claims"].append(claim["id"])
                continue
            severity, what, why = entry.severity, entry.what, entry.why
            who = f" ({speaker})" if speaker and cue["kind"] in ("interested_party", "state_source", "unnamed_source") else ""
            note = {
                "start": cue["start"], "end": cue["end"], "text": cue["text"],
                "kind": cue["kind"], "severity": severity,
                "note": f"{what}{who}: \u201c{cue['text']}\u201d \u2014 {why}.",
                "claim": claim["id"],
                "claims": [claim["id"]],
                "label": cue.get("label") or entry.label,
                "explanation": cue.get("explanation") or explain(cue["kind"], cue["text"], "", speaker),
            }
            for key in ("source", "citation"):
                if cue.get(key):
                    note[key] = cue[key]
            seen[key] = note
            notes.append(note)
    return notes


def source_notes(text: str, table: SourceTable) -> list[dict]:
    notes = []
    for start, end, row in table.find_all(text):
        notes.append({
            "start": start, "end": end, "text": text[start:end],
            "kind": "source", "severity": row.severity,
            "note": f"{row.name}: {row.note()}",
            "label": kinds()["source"].label,
            "explanation": explain("source", text[start:end], f"{row.what}, {row.reliability}"),
            "source": row.name,
            "source_kind": row.kind,
            "citation": row.citation,
            "date": row.date,
        })
    return notes


def reliability_notes(text: str, claims: list[dict], table: SourceTable) -> list[dict]:
    notes = source_notes(text, table) + cue_notes(claims)
    notes.sort(key=lambda n: (n["start"], n["end"], n["kind"], n.get("claim", "")))
    return notes
