"""Issue 12, point 7: whatever a database record holds, no traceback.

Valid records of every table, mutated by Hypothesis (a field replaced by any JSON value,
removed, or a record replaced whole), are written as another program would; then the
store is used as the commands use it, in process: ``annotate list`` and ``annotate
export`` (exit 0, or 2 for a file refused as a whole), and the store API (open, read,
register, add, undo, redo). Any other exception is a failure.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.document import load_document
from annotations.errors import StoreError
from annotations.model import new_annotation
from annotations.store import open_store
from tui.launch import main

TEXT = "Alpha met Beta in Gamma.\nDelta stayed home, said Echo.\n"
TABLES = ("meta", "documents", "annotations", "history", "rejections")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**18, max_value=10**400)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _valid_tables(folder: Path) -> dict:
    article = folder / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    db = folder / "valid.json"
    store = open_store(db)
    document = load_document(article)
    store.register_document(document)
    first = new_annotation(document, 0, 5, label="PERSON", note="n")
    store.add(first)
    store.update(first.id, label="ORG")
    store.reject_suggestion(document.sha256, "entity:6:10")
    store.close()
    return json.loads(db.read_bytes())


@pytest.fixture(scope="module")
def workspace():
    folder = Path(tempfile.mkdtemp(prefix="annotate-fuzz-"))
    yield folder, _valid_tables(folder)
    shutil.rmtree(folder, ignore_errors=True)


mutation = st.tuples(
    st.sampled_from(TABLES),
    st.sampled_from(["replace field", "remove field", "replace record", "nested"]),
    st.sampled_from(["id", "doc_sha", "sha256", "start", "end", "text", "label", "note", "seq", "changes",
                     "undone", "description", "last_opened", "chars", "key", "orphan", "schema_version", "new"]),
    json_values,
)


def _mutate(tables: dict, change) -> dict:
    table, how, field, value = change
    data = json.loads(json.dumps(tables))
    key, record = next(iter(data[table].items()))
    if not isinstance(record, dict):  # an earlier change replaced the record whole
        how = "replace record"
    if how == "replace field":
        record[field] = value
    elif how == "remove field":
        record.pop(field, None)
    elif how == "replace record":
        data[table][key] = value
    elif table == "history" and isinstance(record.get("changes"), list) and record["changes"] \
            and isinstance(record["changes"][0], dict):  # inside an undo entry's stored record
        stored = record["changes"][0]
        side = "before" if "before" in stored else "after"
        if isinstance(stored.get(side), dict):
            stored[side][field] = value
        else:
            stored[side] = value
    else:
        record[field] = [value]
    return data


def _exit_code(argv) -> int:
    try:
        main(argv)
    except SystemExit as end:
        return 0 if end.code is None else end.code
    return 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_any_record_content_is_exit_0_or_2_never_a_traceback(workspace, changes, capsys):
    folder, tables = workspace
    data = tables
    for change in changes:
        data = _mutate(data, change)
    db = folder / "fuzzed.json"
    for leftover in folder.glob("fuzzed.json*"):
        leftover.unlink()
    db.write_text(json.dumps(data), encoding="utf-8")
    article = str(folder / "article.txt")
    assert _exit_code(["list", "--db", str(db)]) in (0, 2)
    assert _exit_code(["export", article, "--db", str(db)]) in (0, 2)
    capsys.readouterr()
    try:
        store = open_store(db)
    except StoreError as error:
        assert error.exit_code == 2
        return
    try:
        document = load_document(article)
        store.documents()
        store.register_document(document)
        store.annotations(document.sha256), store.history(document.sha256)
        store.add(new_annotation(document, 6, 10, label="PERSON"))
        store.undo(document.sha256)
        store.redo(document.sha256)
    finally:
        store.close()
