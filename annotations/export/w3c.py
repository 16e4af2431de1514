"""W3C Web Annotation Data Model export: one ``AnnotationCollection`` (JSON-LD).

Each annotation targets ``urn:sha256:<hex>`` of the normalized text with a
``TextQuoteSelector`` (exact, prefix, suffix) and a ``TextPositionSelector``
(code-point offsets, as in the contract); orphans keep only the quote selector.  The
label is a ``TextualBody`` with purpose ``tagging``, the note one with purpose
``commenting``.  Machine suggestions (``--include-suggestions``) carry a ``generator``
(Software) and the motivation ``tagging`` (entities), ``assessing`` (claims) or
``commenting`` (reliability notes).
"""

from __future__ import annotations

import re
import uuid

from annotations import __version__
from annotations.suggestions import model_description, suggestion_records
from annotations.model import Annotation, now_iso, quote_context
from annotations.jsonout import dumps

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/annotate/annotate")
SOFTWARE = {"type": "Software", "name": f"annotate {__version__}"}


def document_iri(sha256: str) -> str:
    return f"urn:sha256:{sha256}"


def annotation_iri(annotation_id: str) -> str:
    """Our uuid4 hex ids become ``urn:uuid:`` IRIs (and import turns them back)."""
    if HEX_ID.match(annotation_id):
        return f"urn:uuid:{uuid.UUID(hex=annotation_id)}"
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, annotation_id)}"


def derived_iri(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, ':'.join(parts))}"


def text_body(value: str, purpose: str) -> dict:
    return {"type": "TextualBody", "value": value, "format": "text/plain", "purpose": purpose}


def _motivation(motivations: list[str]) -> str | list[str]:
    return motivations[0] if len(motivations) == 1 else motivations


def _target(sha256: str, start: int | None, end: int | None, exact: str, prefix: str, suffix: str) -> dict:
    quote = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    selectors: list[dict] = [quote]
    if start is not None and end is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    return {"type": "SpecificResource", "source": document_iri(sha256), "selector": selectors}


def w3c_annotation(annotation: Annotation, sha256: str) -> dict:
    bodies = []
    motivations = []
    if annotation.label:
        bodies.append(text_body(annotation.label, "tagging"))
        motivations.append("tagging")
    if annotation.note:
        bodies.append(text_body(annotation.note, "commenting"))
        motivations.append("commenting")
    item: dict = {
        "id": annotation_iri(annotation.id),
        "type": "Annotation",
        "motivation": _motivation(motivations or ["highlighting"]),
        "created": annotation.created,
        "modified": annotation.modified,
    }
    if annotation.creator:
        item["creator"] = {"type": "Person", "nickname": annotation.creator}
    if annotation.origin and annotation.origin != "user":
        # An accepted machine suggestion: say which software proposed it.
        item["generator"] = {**SOFTWARE, "name": f"annotate {__version__} ({annotation.origin})"}
    if bodies:
        item["body"] = bodies[0] if len(bodies) == 1 else bodies
    placed = annotation.placed
    item["target"] = _target(
        sha256,
        annotation.start if placed else None,
        annotation.end if placed else None,
        annotation.text,
        annotation.prefix,
        annotation.suffix,
    )
    return item


def suggestion_annotation(record: dict, document, generator: dict, created: str) -> dict:
    prefix, suffix = quote_context(document.text, record["start"], record["end"])
    kind = record["kind"]
    bodies = []
    if record.get("label"):
        bodies.append(text_body(record["label"], "tagging"))
    if record.get("note"):
        bodies.append(text_body(record["note"], "assessing" if kind == "claim" else "commenting"))
    motivation = {"entity": "tagging", "claim": "assessing", "note": "commenting"}[kind]
    item = {
        "id": derived_iri(document.sha256, record["key"]),
        "type": "Annotation",
        "motivation": motivation,
        "created": created,
        "generator": generator,
        "target": _target(document.sha256, record["start"], record["end"], record["text"], prefix, suffix),
    }
    if bodies:
        item["body"] = bodies[0] if len(bodies) == 1 else bodies
    return item


def export_w3c(document, annotations: list[Annotation], analysis: dict | None = None) -> str:
    items = [w3c_annotation(a, document.sha256) for a in annotations]
    if analysis is not None:
        generator = {"type": "Software", "name": f"annotate {__version__} analysis ({model_description(analysis)})"}
        created = now_iso()
        items += [
            suggestion_annotation(record, document, generator, created)
            for record in suggestion_records(analysis, document.text)
        ]
    collection = {
        "@context": CONTEXT,
        "id": derived_iri(document.sha256, "collection"),
        "type": "AnnotationCollection",
        "label": f"Annotations of {document.name}",
        "generator": SOFTWARE,
        "generated": now_iso(),
        "total": len(items),
        "first": {
            "id": derived_iri(document.sha256, "collection", "page1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    return dumps(collection, indent=2) + "\n"
