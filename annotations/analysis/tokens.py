"""spaCy's tokenizer alone (``spacy.blank("en")``), for exports that give token offsets.

Here because spaCy is imported only inside ``annotations.analysis`` (an import contract).
"""

from __future__ import annotations


def blank_tokenizer():
    """A blank English pipeline: tokens, no model; raises ImportError without spaCy."""
    import spacy

    return spacy.blank("en")
