"""Reliability notes: what a careful reader should doubt, each pointing at its span.

Two kinds: cue notes (a hedge, an unnamed source, a self-published post ... on a claim)
and source notes (every mention of a source in the source table: what it is, how far it
can be trusted, with the table's citation).
"""

from __future__ import annotations

from annotations.analysis.resources import SourceTable

# kind -> (severity, what the cue is, why it matters)
CUE_NOTES = {
    "unnamed_source": ("warning", "Unnamed source", "the reader cannot tell who says this or check their record"),
    "anonymous_info": ("warning", "Anonymous or unattributed information", "nobody is accountable for it"),
    "interested_party": ("warning", "Interested party", "the speaker talks about its own side and has a stake in how this is seen"),
    "state_source": ("warning", "Government or state source", "it states the official position, which is not independent confirmation"),
    "self_published": ("warning", "Self-published channel", "the words reached the public without an editor or fact-checker"),
    "denial": ("info", "Denial", "it disputes another account: look for the claim it answers and the evidence on each side"),
    "hedge": ("info", "Hedge", "the statement is softened or distanced, not asserted as established fact"),
    "vague_quantity": ("info", "Vague or approximate quantity", "no exact figure is given, so the size of the claim cannot be checked"),
    "booster": ("info", "Booster", "emphasis or shouting intensifies the statement; it is not evidence"),
    "scare_quote": ("info", "Scare quotes", "the quotation marks distance the writer from the word or cast doubt on it"),
    "prediction": ("info", "Prediction", "it is about the future and cannot be checked yet"),
}


def cue_notes(claims: list[dict]) -> list[dict]:
    """One note per cue span and kind; ``claims`` lists every claim it bears on (a speaker's
    channel named once counts for all the claims that came through it)."""
    notes = []
    seen: dict[tuple[str, int, int], dict] = {}
    for claim in claims:
        speaker = (claim.get("speaker") or {}).get("text")
        for cue in claim["cues"]:
            entry = CUE_NOTES.get(cue["kind"])
            if entry is None:
                continue
            key = (cue["kind"], cue["start"], cue["end"])
            if key in seen:
                seen[key]["claims"].append(claim["id"])
                continue
            severity, what, why = entry
            who = f" ({speaker})" if speaker and cue["kind"] in ("interested_party", "state_source", "unnamed_source") else ""
            note = {
                "start": cue["start"], "end": cue["end"], "text": cue["text"],
                "kind": cue["kind"], "severity": severity,
                "note": f"{what}{who}: \u201c{cue['text']}\u201d \u2014 {why}.",
                "claim": claim["id"],
                "claims": [claim["id"]],
            }
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
