"""Export and import of the user's annotations.

Formats (see the contract, ``interface.md``):

- ``json``: annotate's own, lossless (``annotate.export/1``);
- ``w3c``: a W3C Web Annotation ``AnnotationCollection`` (JSON-LD);
- ``jsonl``: the spaCy/Prodigy span form, one line per document.

Import reads ``json`` and ``w3c`` (also W3C made by other tools), anchors every
annotation in the document's text and is all or nothing.
"""

from __future__ import annotations

import os

from annotations.atomic import write_atomically
from annotations.export.errors import ExportError, ImportError_, ImportFileError
from annotations.export.importing import ImportReport, import_annotations

FORMATS = ("json", "w3c", "jsonl")
SUFFIXES = {"json": ".annotations.json", "w3c": ".w3c.jsonld", "jsonl": ".spans.jsonl"}

__all__ = [
    "FORMATS",
    "ExportError",
    "ImportError_",
    "ImportFileError",
    "ImportReport",
    "default_export_path",
    "export_document",
    "import_annotations",
    "write_atomically",
]


def export_document(store, document, fmt: str, analysis: dict | None = None) -> str:
    """The saved annotations of ``document`` as text in ``fmt`` (json | w3c | jsonl).

    ``analysis`` (the contract's analysis dict) adds the machine's suggestions, marked
    as such.  A file edited since it was annotated is re-anchored first (as on open).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")
    annotations = store.annotations_for(document)
    if fmt == "json":
        from annotations.export.annotate_json import export_json

        return export_json(document, annotations, analysis)
    if fmt == "w3c":
        from annotations.export.w3c import export_w3c

        return export_w3c(document, annotations, analysis)
    from annotations.export.jsonl import export_jsonl

    return export_jsonl(document, annotations, analysis)


def default_export_path(document_path: str, fmt: str) -> str:
    """Beside the article: ``article.txt`` -> ``article.annotations.json`` and so on."""
    base, _ext = os.path.splitext(document_path)
    return base + SUFFIXES[fmt]

