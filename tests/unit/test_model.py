"""The annotation record: selectors computed from the text, dict round trip."""

from __future__ import annotations

import pytest

from annotations.model import Annotation, CONTEXT_CHARS, new_annotation
from tests.unit.conftest import text_doc


def test_new_annotation_computes_quote_and_context():
    document = text_doc("x" * 40 + "Vladimir Putin" + "y" * 40)
    annotation = new_annotation(document, 40, 54, label="PERSON", note="n", origin="suggestion:entity")
    assert annotation.text == "Vladimir Putin"
    assert annotation.prefix == "x" * CONTEXT_CHARS and annotation.suffix == "y" * CONTEXT_CHARS
    assert annotation.doc_sha == document.sha256
    assert len(annotation.id) == 32 and int(annotation.id, 16) >= 0
    assert annotation.created.endswith("Z") and annotation.modified == annotation.created
    assert annotation.creator and annotation.origin == "suggestion:entity" and not annotation.orphan


def test_context_is_shorter_at_the_edges():
    document = text_doc("Kyiv is the capital.")
    annotation = new_annotation(document, 0, 4)
    assert (annotation.prefix, annotation.suffix) == ("", " is the capital.")


@pytest.mark.parametrize("start, end", [(5, 5), (-1, 3), (3, 99), (4, 2), ("0", 2), (True, 2)])
def test_empty_or_outside_spans_are_refused(start, end):
    with pytest.raises(ValueError):
        new_annotation(text_doc("Kyiv is the capital."), start, end)


def test_dict_round_trip_ignores_unknown_keys():
    annotation = new_annotation(text_doc("Kyiv is the capital."), 0, 4, label="GPE")
    data = annotation.to_dict()
    assert Annotation.from_dict(data) == annotation
    assert Annotation.from_dict({**data, "future_field": 1}) == annotation


def test_describe_is_short():
    annotation = new_annotation(text_doc("word " * 30), 0, 100, note="x")
    assert annotation.describe().startswith("note '") and len(annotation.describe()) < 45
