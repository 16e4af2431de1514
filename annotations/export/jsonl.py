"""spaCy/Prodigy span export: one JSON line per document.

``{"text": ..., "spans": [{"start", "end", "label", ...}], "meta": {...}}``.
Every placed annotation is a span (with ``token_start``/``token_end``, inclusive, as
Prodigy writes them, when it falls on token boundaries; tokens themselves are left
out: they would make the line ten times the text, and Prodigy's ``add_tokens`` or
spaCy's tokenizer rebuild them); spans that do not are still written and also listed in
``meta.unaligned`` (with ``char_span(..., alignment_mode="expand")`` they can still be
used).  Orphans have no place in the text and are left out (counted in
``meta.orphans``).  Tokens come from ``spacy.blank("en")`` (``annotations.analysis.tokens``), imported on use.
"""

from __future__ import annotations

from annotations.export.errors import ExportError
from annotations.suggestions import suggestion_records
from annotations.model import Annotation
from annotations.jsonout import dumps

# A span must have a label in spaCy/Prodigy: annotations without one get these.
NOTE_LABEL = "NOTE"
HIGHLIGHT_LABEL = "HIGHLIGHT"


def blank_tokenizer():
    from annotations.analysis.tokens import blank_tokenizer as spacy_blank

    try:
        return spacy_blank()
    except ImportError as error:  # pragma: no cover - spaCy is a dependency
        raise ExportError(f"jsonl export needs spaCy ({error})") from None


def span_label(annotation: Annotation) -> str:
    return annotation.label or (NOTE_LABEL if annotation.note else HIGHLIGHT_LABEL)


def export_jsonl(document, annotations: list[Annotation], analysis: dict | None = None, nlp=None) -> str:
    nlp = nlp or blank_tokenizer()
    # max_length guards the parser's memory; the tokenizer alone is fine on long texts.
    nlp.max_length = max(nlp.max_length, len(document.text) + 1)
    doc = nlp.make_doc(document.text)
    starts = {token.idx: token.i for token in doc}
    ends = {token.idx + len(token.text): token.i for token in doc}
    spans = []
    unaligned = []
    raw = [
        {
            "start": a.start,
            "end": a.end,
            "label": span_label(a),
            "text": a.text,
            "id": a.id,
            "note": a.note,
            "origin": a.origin,
        }
        for a in annotations
        if a.placed
    ]
    if analysis is not None:
        raw += [
            {
                "start": r["start"],
                "end": r["end"],
                "label": r["label"] or NOTE_LABEL,
                "text": r["text"],
                "id": r["key"],
                "note": r["note"],
                "origin": r["origin"],
            }
            for r in suggestion_records(analysis, document.text)
        ]
    for span in raw:
        if span["start"] in starts and span["end"] in ends:
            span["token_start"] = starts[span["start"]]
            span["token_end"] = ends[span["end"]]
        else:
            unaligned.append({k: span[k] for k in ("id", "start", "end", "label", "text")})
        spans.append(span)
    line = {
        "text": document.text,
        "spans": spans,
        "meta": {
            "path": document.path,
            "sha256": document.sha256,
            "unaligned": unaligned,
            "orphans": sum(1 for a in annotations if not a.placed),
        },
    }
    return dumps(line) + "\n"
