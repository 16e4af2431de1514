"""Export and import of the user's annotations.

Formats (see the contract, ``interface.md``):

- ``json``: annotate's own, lossless (``annotate.export/1``);
- ``w3c``: a W3C Web Annotation ``AnnotationCollection`` (JSON-LD);
- ``jsonl``: the spaCy/Prodigy span form, one line per document.

Import reads ``json`` and ``w3c`` (also W3C made by other tools), anchors every
annotation in the document's text and is all or nothing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

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
    if store.document(document.sha256) is None and store.find_documents(os.path.abspath(document.path)):
        store.register_document(document)
    annotations = store.annotations(document.sha256)
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


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that it is either the old file or the new one.

    Raises OSError (the CLI turns it into exit 1)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp_name = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            # mkstemp makes 0600: keep an existing file's mode, give a new one 0644
            os.chmod(temp_name, os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise

