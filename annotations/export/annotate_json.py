"""annotate's own export format (``annotate.export/1``): lossless.

Every field import needs to rebuild an annotation exactly: id, span, quote with
context, label, note, origin, creator, created/modified, orphan.  Orphans have
``start``/``end`` null and ``orphan: true``.
"""

from __future__ import annotations

from annotations import __version__
from annotations.suggestions import model_description, suggestion_records
from annotations.model import Annotation, now_iso
from annotations.jsonout import dumps

SCHEMA = "annotate.export/1"
FIELDS = ("id", "start", "end", "text", "prefix", "suffix", "label", "note", "origin", "creator", "created", "modified", "orphan")


def annotation_record(annotation: Annotation) -> dict:
    record = annotation.to_dict()
    out = {name: record[name] for name in FIELDS}
    if annotation.orphan:
        out["start"] = out["end"] = None
    return out


def export_json(document, annotations: list[Annotation], analysis: dict | None = None) -> str:
    payload = {
        "schema": SCHEMA,
        "generator": {"name": "annotate", "version": __version__},
        "exported": now_iso(),
        "document": {"path": document.path, "sha256": document.sha256, "chars": document.chars},
        "annotations": [annotation_record(a) for a in annotations],
    }
    if analysis is not None:
        payload["suggestions"] = {
            "generator": model_description(analysis),
            "items": [
                {k: v for k, v in record.items() if k != "claim"} for record in suggestion_records(analysis, document.text)
            ],
        }
    return dumps(payload, indent=2) + "\n"
