"""Undo/redo: unlimited, persisted per document, one atomic write per operation."""

from __future__ import annotations

import json

import pytest

from annotations.model import new_annotation
from annotations.store import CachedAtomicStorage, StoreError, open_store
from tests.unit.conftest import annotate_word, text_doc


def state(store, document):
    return [(a.text, a.label, a.note) for a in store.annotations(document.sha256)]


def test_add_update_remove_undo_redo_in_order(store, seed_doc):
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    store.update(ann.id, label="ORG")
    store.update(ann.id, note="check this")
    store.remove(ann.id)
    assert state(store, seed_doc) == []
    assert "remove" in store.undo(seed_doc.sha256)
    assert state(store, seed_doc) == [("Vladimir Putin", "ORG", "check this")]
    assert "note" in store.undo(seed_doc.sha256)
    assert state(store, seed_doc) == [("Vladimir Putin", "ORG", "")]
    assert "label" in store.undo(seed_doc.sha256)
    assert state(store, seed_doc) == [("Vladimir Putin", "PERSON", "")]
    assert "add" in store.undo(seed_doc.sha256)
    assert state(store, seed_doc) == []
    assert store.undo(seed_doc.sha256) is None
    assert "add" in store.redo(seed_doc.sha256)
    assert "label" in store.redo(seed_doc.sha256)
    assert state(store, seed_doc) == [("Vladimir Putin", "ORG", "")]


def test_undo_and_redo_survive_a_restart(db_file, seed_doc):
    store = open_store(db_file)
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    store.update(ann.id, note="first")
    store.update(ann.id, note="second")
    store.close()

    reopened = open_store(db_file)
    assert reopened.can_undo(seed_doc.sha256)
    assert reopened.undo(seed_doc.sha256) is not None
    assert reopened.get(ann.id).note == "first"
    reopened.close()

    third = open_store(db_file)
    assert third.can_redo(seed_doc.sha256)
    third.redo(seed_doc.sha256)
    assert third.get(ann.id).note == "second"
    third.close()


def test_a_new_change_drops_the_redo_branch(store, seed_doc):
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    store.update(ann.id, label="ORG")
    store.undo(seed_doc.sha256)
    store.update(ann.id, note="new branch")
    assert store.redo(seed_doc.sha256) is None
    assert state(store, seed_doc) == [("Vladimir Putin", "PERSON", "new branch")]


def test_history_is_per_document(store, seed_doc):
    other = text_doc("Another article about Kyiv.", path="/tmp/other.txt")
    store.register_document(seed_doc)
    store.register_document(other)
    annotate_word(store, seed_doc, "Vladimir Putin")
    annotate_word(store, other, "Kyiv", label="GPE")
    store.undo(seed_doc.sha256)
    assert state(store, seed_doc) == []
    assert state(store, other) == [("Kyiv", "GPE", "")]


def test_add_many_is_one_undo_step(store, seed_doc):
    store.register_document(seed_doc)
    anns = []
    for word in ("Vladimir Putin", "Kursk", "TASS"):
        start = seed_doc.text.index(word)
        anns.append(new_annotation(seed_doc, start, start + len(word), label="CHECK", origin="suggestion:entity"))
    store.add_many(anns, description="accept 3 suggestions")
    assert len(store.annotations(seed_doc.sha256)) == 3
    assert store.undo(seed_doc.sha256) == "accept 3 suggestions"
    assert store.annotations(seed_doc.sha256) == []


def test_rejecting_a_suggestion_is_undoable_and_persisted(db_file, seed_doc):
    store = open_store(db_file)
    store.register_document(seed_doc)
    assert store.reject_suggestion(seed_doc.sha256, "entity:0:4:GPE") is True
    assert store.reject_suggestion(seed_doc.sha256, "entity:0:4:GPE") is False
    store.close()
    store = open_store(db_file)
    assert store.rejected_suggestions(seed_doc.sha256) == {"entity:0:4:GPE"}
    store.undo(seed_doc.sha256)
    assert store.rejected_suggestions(seed_doc.sha256) == set()
    store.redo(seed_doc.sha256)
    assert store.rejected_suggestions(seed_doc.sha256) == {"entity:0:4:GPE"}
    store.close()


def test_moving_a_span_recomputes_the_quote_and_can_be_undone(store, seed_doc):
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    moved = store.update(ann.id, start=ann.start + 9, end=ann.end)
    assert moved.text == "Putin"
    assert moved.prefix == seed_doc.text[moved.start - 32 : moved.start]
    assert moved.suffix == seed_doc.text[moved.end : moved.end + 32]
    assert moved.modified >= ann.modified
    store.undo(seed_doc.sha256)
    assert store.get(ann.id).text == "Vladimir Putin"


def test_moving_a_span_needs_the_text_and_checks_the_range(db_file, seed_doc):
    store = open_store(db_file)
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    fresh = open_store(db_file)  # never saw the text
    with pytest.raises(ValueError):
        fresh.update(ann.id, start=0)
    with pytest.raises(ValueError):
        fresh.update(ann.id, text_source=seed_doc.text, start=5, end=len(seed_doc.text) + 5)
    assert fresh.update(ann.id, text_source=seed_doc.text, start=ann.start, end=ann.start + 8).text == "Vladimir"
    fresh.close()


def test_update_without_a_change_writes_nothing(store, seed_doc):
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    entries = len(store.history(seed_doc.sha256))
    store.update(ann.id, label="PERSON")
    assert len(store.history(seed_doc.sha256)) == entries


def test_each_operation_is_exactly_one_write(store, seed_doc, monkeypatch):
    store.register_document(seed_doc)
    writes = []
    original = CachedAtomicStorage.write

    def counting(self, data, *args):
        writes.append(json.loads(json.dumps(data)))  # the dict is mutated later
        return original(self, data, *args)

    monkeypatch.setattr(CachedAtomicStorage, "write", counting)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    store.update(ann.id, note="n")
    store.reject_suggestion(seed_doc.sha256, "claim:0:10")
    store.remove(ann.id)
    store.undo(seed_doc.sha256)
    store.redo(seed_doc.sha256)
    assert len(writes) == 6
    # the change and its history entry are in the same write
    first = writes[0]
    assert any(row["id"] == ann.id for row in first["annotations"].values())
    assert any(entry["description"].startswith("add") for entry in first["history"].values())


def test_unknown_ids_and_fields_are_refused(store, seed_doc):
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    with pytest.raises(KeyError):
        store.remove("nope")
    with pytest.raises(ValueError):
        store.update(ann.id, doc_sha="x")
    with pytest.raises(ValueError):
        store.add(ann)  # already there


def test_remove_many_and_unreject_are_single_undo_steps(store, seed_doc):
    store.register_document(seed_doc)
    first = annotate_word(store, seed_doc, "Vladimir Putin")
    second = annotate_word(store, seed_doc, "Kursk", label="GPE")
    assert store.remove_many([first.id, second.id], description="remove 2") == 2
    assert store.annotations(seed_doc.sha256) == []
    assert store.undo(seed_doc.sha256) == "remove 2"
    assert {a.id for a in store.annotations(seed_doc.sha256)} == {first.id, second.id}
    store.reject_suggestion(seed_doc.sha256, "note:1:2:source")
    assert store.unreject_suggestion(seed_doc.sha256, "note:1:2:source") is True
    assert store.rejected_suggestions(seed_doc.sha256) == set()
    store.undo(seed_doc.sha256)
    assert store.rejected_suggestions(seed_doc.sha256) == {"note:1:2:source"}


def test_history_lists_entries_oldest_first(store, seed_doc):
    store.register_document(seed_doc)
    ann = annotate_word(store, seed_doc, "Vladimir Putin")
    store.update(ann.id, label="ORG")
    store.undo(seed_doc.sha256)
    rows = store.history(seed_doc.sha256)
    assert [row["seq"] for row in rows] == [1, 2]
    assert [row["undone"] for row in rows] == [False, True]
    assert rows[1]["description"].startswith("edit label PERSON -> ORG")


# --------------------------------------------------------------------------- issue 12, point 2


def test_undo_reverts_only_the_changes_of_its_own_instance(db_file, seed_doc):
    first, second = open_store(db_file), open_store(db_file)
    first.register_document(seed_doc)
    second.register_document(seed_doc)
    mine = annotate_word(first, seed_doc, "Vladimir Putin")
    theirs = annotate_word(second, seed_doc, "Kremlin", label="ORG")
    assert first.can_undo(seed_doc.sha256)
    assert "Vladimir Putin" in first.undo(seed_doc.sha256)  # not the later change of the other
    assert {a.id for a in second.annotations(seed_doc.sha256)} == {theirs.id}
    assert first.undo(seed_doc.sha256) is None  # nothing more of its own
    assert not first.can_undo(seed_doc.sha256)
    assert "Kremlin" in second.undo(seed_doc.sha256)
    assert second.undo(seed_doc.sha256) is None
    assert "Vladimir Putin" in first.redo(seed_doc.sha256)
    assert [a.id for a in second.annotations(seed_doc.sha256)] == [mine.id]
    first.close()
    second.close()


def test_undo_refuses_to_revert_what_another_instance_changed_since(db_file, seed_doc):
    first, second = open_store(db_file), open_store(db_file)
    first.register_document(seed_doc)
    second.register_document(seed_doc)
    ann = annotate_word(first, seed_doc, "Vladimir Putin")
    second.update(ann.id, note="theirs")
    raw = db_file.read_bytes()
    with pytest.raises(StoreError, match="another reader"):
        first.undo(seed_doc.sha256)
    assert db_file.read_bytes() == raw  # nothing written
    assert second.get(ann.id).note == "theirs"
    first.close()
    second.close()


def test_after_a_restart_the_persisted_history_is_yours_again(db_file, seed_doc):
    first, second = open_store(db_file), open_store(db_file)
    first.register_document(seed_doc)
    second.register_document(seed_doc)
    ann = annotate_word(first, seed_doc, "Vladimir Putin")
    assert second.undo(seed_doc.sha256) is None  # the first is still running
    first.close()
    restarted = open_store(db_file)
    assert "Vladimir Putin" in restarted.undo(seed_doc.sha256)
    assert restarted.get(ann.id) is None
    restarted.close()
    second.close()


def test_a_change_by_another_running_process_is_not_undone_until_it_ends(db_file, seed_doc):
    import subprocess
    import sys

    from tests.unit.conftest import REPO, SEED

    worker = (
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from annotations.document import load_document\n"
        "from annotations.model import new_annotation\n"
        "from annotations.store import open_store\n"
        f"doc = load_document({str(SEED)!r})\n"
        f"store = open_store({str(db_file)!r})\n"
        "store.register_document(doc)\n"
        "start = doc.text.index('Kremlin')\n"
        "store.add(new_annotation(doc, start, start + 7, label='ORG'))\n"
        "print('added', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    process = subprocess.Popen([sys.executable, "-c", worker], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "added"
        store = open_store(db_file)
        store.register_document(seed_doc)
        assert store.undo(seed_doc.sha256) is None  # the other reader is running
        process.stdin.write("\n")
        process.stdin.flush()
        assert process.wait(timeout=60) == 0
        assert "Kremlin" in store.undo(seed_doc.sha256)  # it ended: its history is ours
        assert store.annotations(seed_doc.sha256) == []
        store.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
