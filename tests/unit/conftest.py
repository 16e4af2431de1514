"""Fixtures for the store, anchoring, history, export and label tests: real TinyDB files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.document import Document, document_from_text, load_document
from annotations.model import Annotation, new_annotation
from annotations.store import Store, open_store

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "article.txt"


@pytest.fixture
def db_file(tmp_path) -> Path:
    return tmp_path / "store" / "annotations.json"


@pytest.fixture
def store(db_file):
    opened = open_store(db_file)
    yield opened
    opened.close()


@pytest.fixture
def seed_doc() -> Document:
    return load_document(SEED)


@pytest.fixture
def article(tmp_path):
    """Write ``text`` (str or bytes) to a file and load it as a Document."""

    def make(text: str | bytes, name: str = "article.txt") -> Document:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8"))
        return load_document(path)

    return make


def annotate_word(store: Store, document: Document, word: str, label: str | None = "PERSON", note: str = "",
                  occurrence: int = 0) -> Annotation:
    """Add an annotation on the ``occurrence``-th appearance of ``word``."""
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(word, start + 1)
    return store.add(new_annotation(document, start, start + len(word), label=label, note=note))


def text_doc(text: str, path: str = "<text>") -> Document:
    return document_from_text(text, path=path)
