"""Doc -> plain dicts: the only place that reads what our components left in ``doc._``.

Offsets inside a chunk's Doc are shifted by the chunk's offset in the document, so every
span the later rules see is a document offset.
"""

from __future__ import annotations

OFFSET_KEYS = ("start", "end", "verb_start", "verb_end", "position", "head_start")


def shift(value, offset: int):
    """A copy of ``value`` (nested dicts/lists) with every offset key moved by ``offset``."""
    if isinstance(value, dict):
        return {k: (v + offset if k in OFFSET_KEYS and isinstance(v, int) and not isinstance(v, bool)
                    else shift(v, offset)) for k, v in value.items()}
    if isinstance(value, list):
        return [shift(v, offset) for v in value]
    return value


def doc_records(doc, offset: int) -> dict:
    entities = [
        {"start": ent.start_char + offset, "end": ent.end_char + offset, "text": ent.text, "label": ent.label_}
        for ent in doc.ents
    ]
    sentences = shift(doc._.claim_features or [], offset) if offset else list(doc._.claim_features or [])
    return {"entities": entities, "sentences": sentences}
