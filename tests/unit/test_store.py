"""The TinyDB store: atomic writes, bad files left untouched, two writers, kill -9, documents."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat as stat_module
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from annotations import store as store_module
from annotations import store_file as store_file_module
from annotations.model import new_annotation
from annotations.store import SCHEMA_VERSION, STORE_SCHEMA, StoreError, open_store
from tests.unit.conftest import REPO, SEED as SEED_PATH, annotate_word, text_doc


def tables(path: Path) -> dict:
    return json.loads(path.read_bytes())


# --------------------------------------------------------------------------- writing


def test_nothing_is_written_until_the_first_change(db_file):
    store = open_store(db_file)
    assert store.documents() == []
    assert not db_file.exists()
    store.close()


def test_first_write_creates_the_file_with_the_schema_version(store, db_file, seed_doc):
    store.register_document(seed_doc)
    data = tables(db_file)
    meta = list(data["meta"].values())
    assert meta[0]["schema"] == STORE_SCHEMA and meta[0]["schema_version"] == SCHEMA_VERSION
    assert list(data["documents"].values())[0]["sha256"] == seed_doc.sha256


def test_a_write_is_an_atomic_replace_and_leaves_no_temp_file(store, db_file, seed_doc):
    store.register_document(seed_doc)
    inode = os.stat(db_file).st_ino
    annotate_word(store, seed_doc, "Vladimir Putin")
    assert os.stat(db_file).st_ino != inode  # a new file replaced the old one
    assert [p.name for p in db_file.parent.iterdir() if p.name.endswith(".tmp")] == []
    # the file is a plain TinyDB file: stock TinyDB reads it
    stock = TinyDB(db_file)
    try:
        assert [row["text"] for row in stock.table("annotations").all()] == ["Vladimir Putin"]
    finally:
        stock.close()


def test_a_failing_write_changes_nothing_and_says_disk_full(store, db_file, seed_doc, monkeypatch):
    store.register_document(seed_doc)
    annotate_word(store, seed_doc, "Vladimir Putin")
    before = db_file.read_bytes()

    def disk_full(handle, pieces):
        payload = b"".join(pieces)
        handle.write(payload[: len(payload) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "write_all", disk_full)
    with pytest.raises(StoreError) as caught:
        annotate_word(store, seed_doc, "Kursk", label="GPE")
    assert caught.value.exit_code == 1
    assert "disk full" in str(caught.value) and str(db_file) in str(caught.value)
    assert db_file.read_bytes() == before
    assert [p.name for p in db_file.parent.iterdir() if p.name.endswith(".tmp")] == []
    # the in-memory copy was dropped: the store still shows only what is on disk
    assert [a.text for a in store.annotations(seed_doc.sha256)] == ["Vladimir Putin"]
    monkeypatch.undo()
    annotate_word(store, seed_doc, "Kursk", label="GPE")
    assert sorted(a.text for a in open_store(db_file).annotations(seed_doc.sha256)) == ["Kursk", "Vladimir Putin"]


def test_an_unwritable_folder_is_an_environment_failure(tmp_path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("I am a file, not a folder")
    with pytest.raises(StoreError) as caught:
        open_store(blocker / "sub" / "annotations.json")
    assert caught.value.exit_code == 1
    assert str(blocker) in str(caught.value)


def test_a_folder_given_as_database_is_bad_input(tmp_path):
    with pytest.raises(StoreError) as caught:
        open_store(tmp_path)
    assert caught.value.exit_code == 2


def test_orphan_temp_files_of_killed_writers_are_removed_on_open(db_file, seed_doc):
    store = open_store(db_file)
    store.register_document(seed_doc)
    store.close()
    leftover = db_file.parent / f".{db_file.name}.abc123.tmp"
    leftover.write_bytes(b'{"half": ')
    open_store(db_file).close()
    assert not leftover.exists()
    assert db_file.exists()


def test_doc_ids_are_never_reused_for_our_own_ids(store, seed_doc):
    store.register_document(seed_doc)
    first = annotate_word(store, seed_doc, "Vladimir Putin")
    store.remove(first.id)
    second = annotate_word(store, seed_doc, "Vladimir Putin")
    assert first.id != second.id
    assert [a.id for a in store.annotations(seed_doc.sha256)] == [second.id]


# --------------------------------------------------------------------------- bad files

VALID = json.dumps({"meta": {"1": {"schema": STORE_SCHEMA, "schema_version": 1}},
                    "annotations": {"1": {"id": "a" * 32, "doc_sha": "b" * 64, "start": 0, "end": 1, "text": "x"}}}).encode()

BAD_FILES = {
    "truncated": VALID[: len(VALID) // 2],
    "zero-bytes": b"",
    "null": b"null",
    "garbage": b"hello world",
    "nul-bytes": b"\x00" * 4096,
    "not-utf8": b"\xff\xfe\x00{",
    "a-list": b"[1, 2, 3]",
    "a-string": b'"x"',
    "foreign-tinydb": b'{"_default": {"1": {"name": "someone else"}}}',
    "no-meta": b'{"annotations": {"1": {"id": "x", "doc_sha": "y"}}}',
    "bad-record-key": b'{"meta": {"1": {"schema": "annotate.store", "schema_version": 1}}, "annotations": {"abc": {}}}',
    "record-not-object": b'{"meta": {"1": {"schema": "annotate.store", "schema_version": 1}}, "annotations": {"1": 5}}',
    "nan": b'{"meta": {"1": {"schema": "annotate.store", "schema_version": NaN}}}',
    "trailing-garbage": VALID + b'ed": "tail of an older file"}}',
    "bom": b"\xef\xbb\xbf" + VALID,
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_files_are_exit_2_and_left_byte_for_byte(db_file, content, seed_doc):
    db_file.parent.mkdir(parents=True)
    db_file.write_bytes(content)
    stat = os.stat(db_file)
    with pytest.raises(StoreError) as caught:
        store = open_store(db_file)
        store.register_document(seed_doc)  # must never get here, and never write
    error = caught.value
    assert error.exit_code == 2
    message = str(error)
    assert str(db_file) in message and "untouched" in message and "move it aside" in message
    assert db_file.read_bytes() == content
    assert os.stat(db_file).st_mtime_ns == stat.st_mtime_ns
    copies = list(db_file.parent.glob(f"{db_file.name}.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == content
    assert str(copies[0]) in message


def test_a_second_failed_open_reuses_the_same_copy(db_file):
    db_file.parent.mkdir(parents=True)
    db_file.write_bytes(b"null")
    for _ in range(2):
        with pytest.raises(StoreError):
            open_store(db_file)
    assert len(list(db_file.parent.glob("*.corrupt-*"))) == 1


def test_a_database_followed_by_garbage_gets_a_recovered_copy(db_file):
    db_file.parent.mkdir(parents=True)
    db_file.write_bytes(BAD_FILES["trailing-garbage"])
    with pytest.raises(StoreError) as caught:
        open_store(db_file)
    recovered = list(db_file.parent.glob(f"{db_file.name}.recovered-*"))
    assert len(recovered) == 1 and str(recovered[0]) in str(caught.value)
    store = open_store(recovered[0])
    assert store.count_annotations("b" * 64) == 1
    store.close()


def test_a_file_that_turns_bad_while_open_is_reported_not_overwritten(store, db_file, seed_doc):
    store.register_document(seed_doc)
    db_file.write_bytes(b'{"meta": {"1": {"sch')
    with pytest.raises(StoreError) as caught:
        annotate_word(store, seed_doc, "Vladimir Putin")
    assert caught.value.exit_code == 2
    assert db_file.read_bytes() == b'{"meta": {"1": {"sch'


def test_a_newer_schema_opens_read_only(db_file, seed_doc):
    db_file.parent.mkdir(parents=True)
    content = json.dumps({"meta": {"1": {"schema": STORE_SCHEMA, "schema_version": SCHEMA_VERSION + 1}},
                          "documents": {"1": {"sha256": seed_doc.sha256, "path": "/x", "chars": 1,
                                              "first_opened": "", "last_opened": ""}}}).encode()
    db_file.write_bytes(content)
    store = open_store(db_file)
    assert [row["sha256"] for row in store.documents()] == [seed_doc.sha256]
    with pytest.raises(StoreError) as caught:
        store.register_document(seed_doc)
    assert "newer" in str(caught.value)
    assert db_file.read_bytes() == content
    store.close()


def test_an_empty_tinydb_object_becomes_ours(db_file, seed_doc):
    db_file.parent.mkdir(parents=True)
    db_file.write_bytes(b"{}")
    store = open_store(db_file)
    store.register_document(seed_doc)
    assert "meta" in tables(db_file)
    store.close()


# --------------------------------------------------------------------------- two instances


def test_two_instances_see_each_others_saves_and_lose_nothing(db_file, seed_doc):
    first, second = open_store(db_file), open_store(db_file)
    first.register_document(seed_doc)
    assert second.refresh_if_changed() is True
    assert second.refresh_if_changed() is False
    a = annotate_word(first, seed_doc, "Vladimir Putin")
    # second has not refreshed, but its write re-reads under the lock
    b = annotate_word(second, seed_doc, "Kursk", label="GPE")
    assert first.refresh_if_changed() is True
    assert {x.id for x in first.annotations(seed_doc.sha256)} == {a.id, b.id}
    assert first.refresh_if_changed() is False
    first.close()
    second.close()


WRITER = r"""
import sys, time, os
sys.path.insert(0, {repo!r})
from annotations.store import open_store
from annotations.document import document_from_text
from annotations.model import new_annotation
db, tag, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
doc = document_from_text("word " * 400, path="<shared>")
store = open_store(db)
while not os.path.exists(go):
    time.sleep(0.001)
for i in range(count):
    ann = new_annotation(doc, i * 5, i * 5 + 4, label=tag, note=f"{{tag}}-{{i}}")
    store.add(ann)
    print(ann.id, flush=True)
"""


def start_writer(db: Path, tag: str, count: int, go: Path) -> subprocess.Popen:
    code = WRITER.format(repo=str(REPO))
    return subprocess.Popen([sys.executable, "-c", code, str(db), tag, str(count), str(go)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_at_once_lose_and_duplicate_nothing(db_file, tmp_path):
    db_file.parent.mkdir(parents=True)
    go = tmp_path / "go"
    writers = [start_writer(db_file, tag, 60, go) for tag in ("ONE", "TWO")]
    time.sleep(0.3)  # both are waiting on the start flag
    go.touch()
    committed = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        committed += out.split()
    store = open_store(db_file)
    doc = text_doc("word " * 400, path="<shared>")
    saved = store.annotations(doc.sha256)
    assert len(committed) == 120
    assert sorted(a.id for a in saved) == sorted(committed)
    assert sorted(a.note for a in saved) == sorted(f"{t}-{i}" for t in ("ONE", "TWO") for i in range(60))
    assert len(store.history(doc.sha256)) == 120
    store.close()


def test_kill_9_while_writing_leaves_a_readable_store_with_every_committed_change(db_file, tmp_path):
    db_file.parent.mkdir(parents=True)
    go = tmp_path / "go"
    go.touch()
    committed: list[str] = []
    for round_number, kill_after in enumerate((3, 17, 41)):
        writer = start_writer(db_file, f"R{round_number}", 10_000, go)
        for _ in range(kill_after):
            line = writer.stdout.readline().strip()
            assert line, writer.stderr.read() if writer.poll() is not None else "writer printed nothing"
            committed.append(line)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        store = open_store(db_file)  # must not raise: the file is whole
        doc = text_doc("word " * 400, path="<shared>")
        ids = {a.id for a in store.annotations(doc.sha256)}
        store.close()
        assert set(committed) <= ids
    assert [p for p in db_file.parent.iterdir() if p.name.endswith(".tmp")] == []


# --------------------------------------------------------------------------- documents


def test_documents_list_counts_and_find(store, seed_doc, tmp_path):
    store.register_document(seed_doc)
    annotate_word(store, seed_doc, "Vladimir Putin")
    annotate_word(store, seed_doc, "Kursk", label="GPE")
    [row] = store.documents()
    assert row["sha256"] == seed_doc.sha256
    assert row["path"] == os.path.abspath(seed_doc.path)
    assert row["chars"] == len(seed_doc.text)
    assert (row["annotations"], row["orphans"]) == (2, 0)
    assert row["first_opened"] <= row["last_opened"]
    assert store.find_documents(seed_doc.path) == [row]
    assert store.find_documents(seed_doc.sha256) == [row]
    assert store.find_documents(seed_doc.sha256[:10]) == [row]
    assert store.find_documents(str(tmp_path / "unknown.txt")) == []
    assert store.count_annotations(seed_doc.sha256) == 2


def test_forget_removes_document_annotations_history_and_rejections(store, seed_doc):
    store.register_document(seed_doc)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.reject_suggestion(seed_doc.sha256, "entity:0:4:GPE")
    assert store.forget(seed_doc.sha256) == 1
    assert store.documents() == []
    assert store.annotations(seed_doc.sha256) == []
    assert store.history(seed_doc.sha256) == []
    assert store.rejected_suggestions(seed_doc.sha256) == set()


def test_a_changed_file_has_its_annotations_re_anchored_on_open(store, article):
    original = "Intro. Vladimir Putin spoke in Moscow. The Kremlin denied it, calling it fabricated. End."
    first = article(original)
    store.register_document(first)
    person = annotate_word(store, first, "Vladimir Putin")
    place = annotate_word(store, first, "Intro", label="CHECK")
    claim = annotate_word(store, first, "calling it fabricated", label="CLAIM")
    edited = article(original.replace("Intro.", "Intro, updated.").replace(" calling it fabricated", ""))
    assert edited.sha256 != first.sha256 and edited.path == first.path
    report = store.register_document(edited)
    assert (report.moved, report.unchanged, report.orphaned) == (1, 1, 1)
    assert "1 orphaned" in report.message() and "1 moved" in report.message()
    saved = {a.id: a for a in store.annotations(edited.sha256)}
    assert set(saved) == {person.id, place.id, claim.id}
    assert edited.text[saved[person.id].start : saved[person.id].end] == "Vladimir Putin"
    assert saved[claim.id].orphan and saved[claim.id].start is None and saved[claim.id].text == "calling it fabricated"
    assert [row["sha256"] for row in store.documents()] == [edited.sha256]
    assert store.annotations(first.sha256) == []
    # the orphans count shows in the document list
    assert store.documents()[0]["orphans"] == 1
    # opening the same text again moves nothing
    assert not store.register_document(edited).changed


def test_register_twice_keeps_first_opened(store, seed_doc):
    store.register_document(seed_doc)
    first = store.documents()[0]
    store.register_document(seed_doc)
    again = store.documents()[0]
    assert again["first_opened"] == first["first_opened"]
    assert again["last_opened"] >= first["last_opened"]


def test_add_refuses_a_span_that_does_not_match_the_registered_text(store, seed_doc):
    store.register_document(seed_doc)
    annotation = new_annotation(seed_doc, 0, 5)
    annotation.text = "wrong"
    with pytest.raises(ValueError):
        store.add(annotation)
    assert store.annotations(seed_doc.sha256) == []


def test_a_deleted_database_reads_as_empty_and_is_recreated(store, db_file, seed_doc):
    store.register_document(seed_doc)
    db_file.unlink()
    assert store.refresh_if_changed() is True
    assert store.documents() == []
    annotate_word(store, seed_doc, "Vladimir Putin")
    assert json.loads(db_file.read_bytes())["meta"]


def test_daily_backup_is_kept_beside_the_database(store, db_file, seed_doc):
    store.register_document(seed_doc)
    annotate_word(store, seed_doc, "Vladimir Putin")
    backups = list(db_file.parent.glob(f"{db_file.name}.bak-*"))
    assert len(backups) == 1
    assert json.loads(backups[0].read_bytes())["documents"]


def test_the_file_always_equals_the_data_after_many_random_changes(store, db_file, article):
    """Saves re-encode only changed chunks of the big tables: the file must still hold
    exactly what the store holds, after every kind of change."""
    import random

    rng = random.Random(5)
    words = ("alpha beta gamma delta epsilon zeta eta theta iota kappa " * 40).split()
    document = article(" ".join(words))
    store.register_document(document)
    live: list[str] = []
    for step in range(400):
        action = rng.random()
        if action < 0.45 or not live:
            start = rng.randrange(0, len(document.text) - 10)
            live.append(store.add(new_annotation(document, start, start + rng.randrange(1, 10), label="CHECK")).id)
        elif action < 0.6:
            store.update(rng.choice(live), note=f"note {step}")
        elif action < 0.7:
            store.remove(live.pop(rng.randrange(len(live))))
        elif action < 0.8:
            store.undo(document.sha256)
        elif action < 0.88:
            store.redo(document.sha256)
        else:
            store.reject_suggestion(document.sha256, f"entity:{step}:{step + 1}:GPE")
        live = [a.id for a in store.annotations(document.sha256)]
        if step % 20 == 0 or step > 380:
            on_disk = json.loads(db_file.read_bytes())
            assert on_disk == json.loads(json.dumps(store._storage.read()))
    fresh = open_store(db_file)
    assert [a.to_dict() for a in fresh.annotations(document.sha256)] == [
        a.to_dict() for a in store.annotations(document.sha256)
    ]
    fresh.close()


def test_writers_notice_each_other_even_when_the_stat_check_is_fooled(db_file, seed_doc, monkeypatch):
    # Inode reuse with coarse timestamps could make two versions of the file look the
    # same to (inode, size, mtime, ctime); the token in the lock file still tells.
    for module in (store_module, store_file_module):  # the reader and the writer of the file
        monkeypatch.setattr(module, "file_key", lambda stat: ("always", "the", "same"))
    first, second = open_store(db_file), open_store(db_file)
    first.register_document(seed_doc)
    a = annotate_word(first, seed_doc, "Vladimir Putin")
    b = annotate_word(second, seed_doc, "Kursk", label="GPE")
    c = annotate_word(first, seed_doc, "TASS", label="ORG")
    on_disk = {row["id"] for row in json.loads(db_file.read_bytes())["annotations"].values()}
    assert on_disk == {a.id, b.id, c.id}
    first.close()
    second.close()


def test_after_a_refresh_the_next_write_does_not_read_the_file_again(db_file, seed_doc, monkeypatch):
    first, second = open_store(db_file), open_store(db_file)
    first.register_document(seed_doc)
    annotate_word(second, seed_doc, "Kursk", label="GPE")  # second writes
    assert first.refresh_if_changed() is True
    loads = []
    original = store_module.CachedAtomicStorage.load
    monkeypatch.setattr(store_module.CachedAtomicStorage, "load", lambda self: (loads.append(1), original(self))[1])
    annotate_word(first, seed_doc, "Vladimir Putin")
    assert loads == []
    assert len(open_store(db_file).annotations(seed_doc.sha256)) == 2
    first.close()
    second.close()


def test_the_file_equals_the_data_after_re_anchoring_and_forget(store, db_file, article):
    first = article("One two three four five six seven eight nine ten. " * 30)
    store.register_document(first)
    for n in range(300):
        store.add(new_annotation(first, n * 3, n * 3 + 3, label="CHECK"))
    edited = article("Preface. " + first.text)
    store.register_document(edited)  # moves 300 annotations, drops the old history
    assert json.loads(db_file.read_bytes()) == json.loads(json.dumps(store._storage.read()))
    store.forget(edited.sha256)
    on_disk = json.loads(db_file.read_bytes())
    assert on_disk == json.loads(json.dumps(store._storage.read()))
    assert on_disk["annotations"] == {} and on_disk["history"] == {}


# --------------------------------------------------------------------------- checking before the reader

def test_a_file_annotate_wrote_last_is_trusted_without_parsing_and_opens(db_file, seed_doc):
    store = open_store(db_file)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    checked = store_file_module.read_store_file(db_file)
    assert checked.data is None  # known valid: the store parses it when it opens
    reopened = open_store(checked=checked)
    assert [a.text for a in reopened.annotations(seed_doc.sha256)] == ["Vladimir Putin"]
    reopened.close()


@pytest.mark.parametrize("how", ["garbage", "same-size-same-mtime", "foreign-json"])
def test_a_file_changed_by_another_program_is_parsed_and_refused(db_file, seed_doc, how):
    store = open_store(db_file)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    raw = db_file.read_bytes()
    stat = db_file.stat()
    if how == "garbage":
        db_file.write_bytes(raw[: len(raw) // 2])
    elif how == "same-size-same-mtime":  # in place, and the modification time put back
        with open(db_file, "r+b") as handle:
            handle.write(b"[")
        os.utime(db_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    else:
        db_file.write_bytes(json.dumps({"_default": {"1": {"x": 1}}}).ljust(len(raw)).encode())
    before = db_file.read_bytes()
    with pytest.raises(StoreError) as caught:
        store_file_module.read_store_file(db_file)
    assert caught.value.exit_code == 2 and str(db_file) in str(caught.value)
    assert db_file.read_bytes() == before


def test_a_valid_file_from_elsewhere_is_parsed_once_and_reused(db_file, seed_doc, monkeypatch):
    store = open_store(db_file)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    db_file.write_bytes(db_file.read_bytes())  # the same tables, written by another program
    checked = store_file_module.read_store_file(db_file)
    assert checked.data is not None and checked.key is not None
    parses = []
    monkeypatch.setattr(store_module, "load_file", lambda path: parses.append(path) or store_file_module.StoreFile(path, {}, None))
    reopened = open_store(checked=checked)
    assert [a.text for a in reopened.annotations(seed_doc.sha256)] == ["Vladimir Putin"]
    assert parses == []  # the tables read by the check, not a second parse
    reopened.close()


@pytest.mark.parametrize("origin", ["annotate", "another program"])
def test_the_file_is_parsed_once_from_the_check_to_the_first_change(db_file, seed_doc, monkeypatch, origin):
    store = open_store(db_file)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    if origin == "another program":
        db_file.write_bytes(db_file.read_bytes())
    parses = []
    real_load = store_file_module.load_file
    counting = lambda path: parses.append(path) or real_load(path)  # noqa: E731
    monkeypatch.setattr(store_file_module, "load_file", counting)
    monkeypatch.setattr(store_module, "load_file", counting)
    checked = store_file_module.read_store_file(db_file)
    reopened = open_store(checked=checked)
    reopened.register_document(seed_doc)  # the reader's first change, right after it opens the store
    annotate_word(reopened, seed_doc, "Kursk", label="GPE")
    assert len(parses) == 1
    assert sorted(a.text for a in reopened.annotations(seed_doc.sha256)) == ["Kursk", "Vladimir Putin"]
    reopened.close()


# --------------------------------------------------------------------------- issue 12: stale documents


def _exported_quotes(db_file, document) -> list[str]:
    from annotations.export import export_document

    reader = open_store(db_file)
    try:
        payload = json.loads(export_document(reader, document, "json"))
    finally:
        reader.close()
    return sorted(record["text"] for record in payload["annotations"])


@pytest.mark.parametrize("outside", ["export", "second reader"])
def test_a_tag_saved_after_the_article_was_reregistered_elsewhere_is_kept(tmp_path, db_file, outside):
    """Issue 12 point 1: reader tags, the file changes and is registered again by another
    instance, the reader tags again: both tags reach ``annotate export`` of the file."""
    from annotations.document import load_document
    from annotations.export import export_document

    article = tmp_path / "article.txt"
    article.write_text("Alpha met Beta in Gamma.\nDelta stayed home.\n", encoding="utf-8")
    first = load_document(article)
    reader = open_store(db_file)
    reader.register_document(first)
    annotate_word(reader, first, "Alpha")
    article.write_text("A new first line.\nAlpha met Beta in Gamma.\nDelta stayed home.\n", encoding="utf-8")
    changed = load_document(article)
    other = open_store(db_file)
    if outside == "export":
        export_document(other, changed, "json")
    else:
        other.register_document(changed)
    other.close()
    annotate_word(reader, first, "Delta")  # the reader still shows the old text
    reader.close()
    assert _exported_quotes(db_file, changed) == ["Alpha", "Delta"]
    # and an export opened after both is the same (nothing left behind under a dead record)
    assert _exported_quotes(db_file, changed) == ["Alpha", "Delta"]


# --------------------------------------------------------------------------- issue 12: records of any type


def _store_with(db_file, seed_doc) -> dict:
    """A real store with one annotation, its history entry and its document; the tables."""
    store = open_store(db_file)
    store.register_document(seed_doc)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    return tables(db_file)


def _first(data: dict, table: str) -> tuple[str, dict]:
    return next(iter(data[table].items()))


BAD_RECORDS = {
    "start as a string": ("annotations", lambda r: r.update(start=str(r["start"]))),
    "start as a float": ("annotations", lambda r: r.update(start=float(r["start"]))),
    "missing text": ("annotations", lambda r: r.pop("text")),
    "missing id": ("annotations", lambda r: r.pop("id")),
    "a 30-digit end": ("annotations", lambda r: r.update(end=10**30)),
    "a list as label": ("annotations", lambda r: r.update(label=["PERSON"])),
    "history seq not a number": ("history", lambda r: r.update(seq="one")),
    "history change with a bad before": ("history", lambda r: r["changes"][0].update(before={"id": 5})),
    "document with a numeric last_opened": ("documents", lambda r: r.update(last_opened=1700000000)),
    "rejection without key": ("rejections", None),
}


@pytest.mark.parametrize("case", BAD_RECORDS, ids=BAD_RECORDS)
def test_a_bad_record_is_skipped_with_a_warning_and_kept_verbatim_on_save(db_file, seed_doc, case):
    data = _store_with(db_file, seed_doc)
    table, damage = BAD_RECORDS[case]
    if damage is None:
        data.setdefault(table, {})["1"] = {"id": "x", "doc_sha": seed_doc.sha256}
    else:
        damage(_first(data, table)[1])
    key, bad = _first(data, table)
    db_file.write_text(json.dumps(data))  # written by another program: checked record by record
    store = open_store(db_file)
    assert len(store.warnings) == 1 and f"{table} record {key}" in store.warnings[0]
    assert str(db_file) in store.warnings[0]
    store.register_document(seed_doc)  # every read path works on the rest
    store.documents(), store.annotations(seed_doc.sha256), store.history(seed_doc.sha256)
    annotate_word(store, seed_doc, "Kursk", label="GPE")  # a save
    store.undo(seed_doc.sha256), store.redo(seed_doc.sha256)
    store.close()
    saved = tables(db_file)
    assert saved[table][key] == bad  # kept as it was
    assert len({record.get("id") for record in saved["annotations"].values()}) == len(saved["annotations"])
    # annotate wrote the file last: it is trusted, yet the kept record is checked (and reported) again
    assert store_file_module.written_by_annotate(db_file)
    again = open_store(db_file)
    assert len(again.warnings) == 1 and f"{table} record {key}" in again.warnings[0]
    assert "Kursk" in {a.text for a in again.annotations(seed_doc.sha256)}
    again.close()


def test_the_cli_reports_a_skipped_record_on_one_line_and_works(db_file, seed_doc):
    data = _store_with(db_file, seed_doc)
    _first(data, "annotations")[1]["start"] = "12"
    db_file.write_text(json.dumps(data))
    before = db_file.read_bytes()
    result = subprocess.run([sys.executable, "-m", "tui.launch", "list", "--db", str(db_file)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "skipped annotations record" in lines[0] and "Traceback" not in result.stderr
    assert db_file.read_bytes() == before  # listing does not write


def test_a_bad_meta_record_is_a_corrupt_store(db_file, seed_doc):
    data = _store_with(db_file, seed_doc)
    _first(data, "meta")[1]["schema_version"] = "1"
    db_file.write_text(json.dumps(data))
    before = db_file.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store(db_file)
    assert caught.value.exit_code == 2 and "untouched" in str(caught.value)
    assert db_file.read_bytes() == before
    assert list(db_file.parent.glob(f"{db_file.name}.corrupt-*"))


@pytest.mark.parametrize("depth", [950, 1000, 1100, 20_000])
def test_a_record_nested_deeper_than_python_recurses_is_skipped_or_corrupt_never_a_traceback(db_file, seed_doc, depth):
    data = _store_with(db_file, seed_doc)
    raw = json.dumps(data).replace('"prefix": ', '"prefix": ' + "[" * depth + "]" * depth + ', "was": ', 1)
    db_file.write_text(raw)
    before = db_file.read_bytes()
    try:
        store = open_store(db_file)  # shallow enough to parse: the record is skipped with a warning
        assert len(store.warnings) == 1 and "annotations record" in store.warnings[0]
        assert "\n" not in store.warnings[0]
    except StoreError as error:  # too deep to parse or to keep verbatim: a corrupt store
        assert error.exit_code == 2 and "nested too deeply" in str(error) and "\n" not in str(error)
    assert db_file.read_bytes() == before


def test_a_400_digit_integer_is_a_skipped_record_not_a_traceback(db_file, seed_doc):
    data = _store_with(db_file, seed_doc)
    raw = json.dumps(data).replace('"start": ', '"start": ' + "9" * 400, 1).encode()
    db_file.write_bytes(raw)
    store = open_store(db_file)
    assert len(store.warnings) == 1 and "annotations record" in store.warnings[0]
    annotate_word(store, seed_doc, "Kursk", label="GPE")
    store.close()
    assert ('"start":' + "9" * 400).encode() in db_file.read_bytes()  # kept, digit for digit


def test_a_trusted_store_opens_without_importing_the_schema_library(db_file, seed_doc):
    _store_with(db_file, seed_doc)
    probe = (
        "import sys\n"
        "from annotations.store import open_store\n"
        f"store = open_store({str(db_file)!r})\n"
        "assert store.documents() and not store.warnings\n"
        "print('jsonschema' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize("damage", [
    {"start": 10**6, "end": 10**6 + 5}, {"text": "not what is there"}, {"start": 5, "end": 2}, {"start": 0, "end": 0},
])
def test_a_hand_edited_span_never_reaches_the_screen_or_an_export_with_another_text(db_file, seed_doc, damage):
    from annotations.export import export_document

    data = _store_with(db_file, seed_doc)
    _first(data, "annotations")[1].update(damage)
    db_file.write_text(json.dumps(data))
    store = open_store(db_file)
    store.register_document(seed_doc)
    for ann in store.annotations(seed_doc.sha256):
        assert ann.orphan or seed_doc.text[ann.start:ann.end] == ann.text
    for record in json.loads(export_document(store, seed_doc, "json"))["annotations"]:
        if record.get("start") is not None:
            assert seed_doc.text[record["start"]:record["end"]] == record["text"]
    store.close()


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_import_of_ids_that_are_one_id_once_stored_is_refused_whole(tmp_path, db_file, fmt):
    """Issue 12, point 7: two ids of a file that become one in the store (a name and its
    uuid5; a urn:uuid in two spellings): exit 2, one line, nothing registered or added."""
    from annotations.document import load_document
    from annotations.export import export_document
    from annotations.export.importing import ID_NAMESPACE

    import uuid

    article = tmp_path / "article.txt"
    article.write_text("Alpha met Beta in Gamma.\n", encoding="utf-8")
    document = load_document(article)
    source_db = tmp_path / "source.json"
    source = open_store(source_db)
    source.register_document(document)
    annotate_word(source, document, "Alpha")
    annotate_word(source, document, "Beta")
    exported = json.loads(export_document(source, document, fmt))
    source.close()
    items = exported["annotations"] if fmt == "json" else exported["items"] if "items" in exported else exported["first"]["items"]
    if fmt == "json":
        items[0]["id"], items[1]["id"] = "note-1", uuid.uuid5(ID_NAMESPACE, "note-1").hex
    else:
        same = uuid.uuid4()
        items[0]["id"], items[1]["id"] = f"urn:uuid:{same}", f"urn:uuid:{str(same).upper()}"
    payload = tmp_path / f"import.{fmt}.json"
    payload.write_text(json.dumps(exported), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tui.launch", "import", str(article), str(payload), "--db", str(db_file)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "nothing was imported" in result.stderr
    if db_file.exists():
        store = open_store(db_file)
        assert store.documents() == []
        store.close()


# --------------------------------------------------------------------------- issue 12: files beside the store


def _special(kind: str, path: Path, victim: Path) -> None:
    if kind == "symlink":
        path.symlink_to(victim)
    elif kind == "dangling symlink":
        path.symlink_to(victim.with_name("nowhere"))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "char device":
        null = os.stat("/dev/null").st_rdev  # only its numbers: the node is made in the test's folder
        os.mknod(path, 0o600 | stat_module.S_IFCHR, null)
    elif kind == "folder":
        path.mkdir()
    elif kind == "hard link":
        os.link(victim, path)


SIDE_KINDS = ["symlink", "dangling symlink", "fifo", "char device", "folder"]


@pytest.mark.parametrize("kind", SIDE_KINDS + ["hard link"])
def test_a_lock_file_that_is_a_link_or_special_file_is_exit_1_and_its_target_untouched(tmp_path, seed_doc, kind):
    db_file = tmp_path / "annotations.json"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    lock = tmp_path / "annotations.json.lock"
    _special(kind, lock, victim)
    with pytest.raises(StoreError) as caught:
        store = open_store(db_file)
        store.register_document(seed_doc)
    assert caught.value.exit_code == 1
    assert str(lock) in str(caught.value) and "\n" not in str(caught.value)
    assert victim.read_text() == "precious"
    assert not victim.with_name("nowhere").exists()
    assert not db_file.exists()
    if "symlink" in kind:
        assert lock.is_symlink()


def test_a_lock_file_hard_linked_to_the_database_leaves_the_database_whole(tmp_path, seed_doc):
    db_file = tmp_path / "annotations.json"
    store = open_store(db_file)
    store.register_document(seed_doc)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    lock = tmp_path / "annotations.json.lock"
    lock.unlink()
    os.link(db_file, lock)  # writing the lock's token would overwrite the database itself
    before = db_file.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store(db_file).annotations(seed_doc.sha256)
    assert caught.value.exit_code == 1 and "hard link" in str(caught.value)
    assert db_file.read_bytes() == before


def test_the_cli_says_so_in_one_line(tmp_path):
    db_file = tmp_path / "annotations.json"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "annotations.json.lock").symlink_to(victim)
    result = subprocess.run([sys.executable, "-m", "tui.launch", "list", "--db", str(db_file)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "symbolic link" in result.stderr and victim.read_text() == "precious"


@pytest.mark.parametrize("kind", SIDE_KINDS)
def test_a_backup_that_is_a_link_or_special_file_stops_the_save_and_is_untouched(tmp_path, seed_doc, kind):
    from datetime import datetime, timezone

    db_file = tmp_path / "annotations.json"
    store = open_store(db_file)
    store.register_document(seed_doc)  # the first save: no file to back up yet
    before = db_file.read_bytes()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for old in tmp_path.glob("annotations.json.bak-*"):
        old.unlink()
    backup = tmp_path / f"annotations.json.bak-{datetime.now(timezone.utc):%Y%m%d}"
    _special(kind, backup, victim)
    with pytest.raises(StoreError) as caught:
        annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    assert caught.value.exit_code == 1 and str(backup) in str(caught.value)
    assert victim.read_text() == "precious" and not victim.with_name("nowhere").exists()
    assert db_file.read_bytes() == before


def test_the_daily_backup_is_a_new_regular_file_with_the_database_mode(tmp_path, seed_doc):
    db_file = tmp_path / "annotations.json"
    store = open_store(db_file)
    store.register_document(seed_doc)
    os.chmod(db_file, 0o640)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    backups = list(tmp_path.glob("annotations.json.bak-*"))
    assert len(backups) == 1 and backups[0].is_file() and not backups[0].is_symlink()
    assert stat_module.S_IMODE(os.stat(backups[0]).st_mode) == 0o640


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_a_save_keeps_the_database_mode(db_file, seed_doc, mode):
    store = open_store(db_file)
    store.register_document(seed_doc)
    os.chmod(db_file, mode)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    assert stat_module.S_IMODE(os.stat(db_file).st_mode) == mode


def test_a_database_path_that_is_a_link_saves_into_its_target_and_stays_a_link(tmp_path, seed_doc):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "real.json"
    store = open_store(target)
    store.register_document(seed_doc)
    store.close()
    os.chmod(target, 0o640)
    link = tmp_path / "annotations.json"
    link.symlink_to(target)
    store = open_store(link)
    annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert [r["text"] for r in tables(target)["annotations"].values()] == ["Vladimir Putin"]
    assert stat_module.S_IMODE(os.stat(target).st_mode) == 0o640
    assert [p.name for p in elsewhere.iterdir() if p.name.endswith(".tmp")] == []
    reopened = open_store(link)
    assert [a.text for a in reopened.annotations(seed_doc.sha256)] == ["Vladimir Putin"]
    reopened.close()


# --------------------------------------------------------------------------- issue 12: a store that cannot be written


@pytest.fixture(params=[errno.EROFS, errno.EACCES], ids=["read-only file system", "permission denied"])
def read_only_folder(request, monkeypatch):
    """Make one folder unwritable as a read-only mount or a folder of another user would
    be (root ignores permissions, so the calls that write there fail here instead)."""
    code = request.param

    def install(folder: Path) -> None:
        folder = str(folder)
        real_open, real_mkstemp, real_access = os.open, tempfile.mkstemp, os.access
        writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT

        def inside(path) -> bool:
            return os.path.abspath(os.fspath(path)).startswith(folder + os.sep) or os.fspath(path) == folder

        def guarded_open(path, flags, *args, **kwargs):
            if flags & writes and inside(path):
                raise OSError(code, os.strerror(code), os.fspath(path))
            return real_open(path, flags, *args, **kwargs)

        def guarded_mkstemp(*args, dir=None, **kwargs):
            if dir is not None and inside(os.path.join(dir, "x")):
                raise OSError(code, os.strerror(code), dir)
            return real_mkstemp(*args, dir=dir, **kwargs)

        def guarded_access(path, mode, *args, **kwargs):
            if mode & os.W_OK and (inside(path) or os.fspath(path) == folder):
                return False
            return real_access(path, mode, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded_open)
        monkeypatch.setattr(tempfile, "mkstemp", guarded_mkstemp)
        monkeypatch.setattr(os, "access", guarded_access)

    return install


def _run_cli(argv, capsys) -> tuple[int, str, str]:
    from tui.launch import main

    try:
        main(argv)
        code = 0
    except SystemExit as end:
        code = 0 if end.code is None else end.code
    out, err = capsys.readouterr()
    return code, out, err


def test_list_export_and_paths_work_on_a_store_that_cannot_be_written(tmp_path, read_only_folder, capsys):
    from annotations.document import load_document

    folder = tmp_path / "store"
    db_file = folder / "annotations.json"
    article = tmp_path / "article.txt"
    article.write_text("Alpha met Beta in Gamma.\n", encoding="utf-8")
    document = load_document(article)
    store = open_store(db_file)
    store.register_document(document)
    annotate_word(store, document, "Beta")
    store.close()
    article.write_text("A line on top.\nAlpha met Beta in Gamma.\n", encoding="utf-8")  # export must re-anchor
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    read_only_folder(folder)
    code, out, err = _run_cli(["list", "--db", str(db_file)], capsys)
    assert (code, err) == (0, "") and str(article) in out
    code, out, err = _run_cli(["export", str(article), "--db", str(db_file)], capsys)
    assert (code, err) == (0, ""), err
    exported = json.loads(out)["annotations"]
    text = article.read_text(encoding="utf-8")
    assert [(a["text"], text[a["start"]:a["end"]]) for a in exported] == [("Beta", "Beta")]  # re-anchored in memory
    code, out, err = _run_cli(["paths", "--db", str(db_file)], capsys)
    assert code == 0 and str(db_file) in out
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing written


def test_a_save_into_a_store_that_cannot_be_written_is_one_line_exit_1(tmp_path, read_only_folder, capsys, seed_doc):
    folder = tmp_path / "store"
    db_file = folder / "annotations.json"
    store = open_store(db_file)
    store.register_document(seed_doc)
    store.close()
    before = db_file.read_bytes()
    read_only_folder(folder)
    store = open_store(db_file)
    assert not store.writable
    assert store.documents()
    with pytest.raises(StoreError) as caught:
        annotate_word(store, seed_doc, "Vladimir Putin")
    store.close()
    assert caught.value.exit_code == 1 and "\n" not in str(caught.value)
    assert db_file.read_bytes() == before
    code, _out, err = _run_cli(["forget", "--yes", str(SEED_PATH), "--db", str(db_file)], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert db_file.read_bytes() == before


def test_a_file_checked_whole_is_trusted_by_the_next_open(db_file, seed_doc, monkeypatch):
    _store_with(db_file, seed_doc)
    db_file.write_bytes(db_file.read_bytes())  # another program wrote it: checked record by record
    checks = []
    real = store_file_module.check_records
    monkeypatch.setattr(store_file_module, "check_records", lambda path, data, only=None: checks.append(only) or real(path, data, only))
    open_store(db_file).close()
    open_store(db_file).close()
    assert checks == [None, {}]  # every record once; then only the (no) records kept as invalid


def test_a_span_moved_in_a_reader_showing_the_old_text_stays_on_that_text(tmp_path, db_file):
    """The reader's offsets are its text's: an annotation another instance moved onto the
    file's new text meanwhile goes back to the reader's text (and export moves it again),
    never the old offsets on the new text."""
    from annotations.document import load_document

    article = tmp_path / "article.txt"
    article.write_text("Alpha met Beta in Gamma.\n", encoding="utf-8")
    first = load_document(article)
    reader = open_store(db_file)
    reader.register_document(first)
    ann = annotate_word(reader, first, "Beta")
    article.write_text("A new first line.\nAlpha met Beta in Gamma.\n", encoding="utf-8")
    changed = load_document(article)
    other = open_store(db_file)
    other.register_document(changed)
    other.close()
    start = first.text.index("Beta in")
    reader.update(ann.id, start=start, end=start + len("Beta in"), text_source=first.text)
    reader.close()
    exported = json.loads(_export(db_file, changed))["annotations"]
    assert [(a["text"], changed.text[a["start"]:a["end"]]) for a in exported] == [("Beta in", "Beta in")]


def _export(db_file, document) -> str:
    from annotations.export import export_document

    store = open_store(db_file)
    try:
        return export_document(store, document, "json")
    finally:
        store.close()


@pytest.mark.parametrize("tamper", ["another quote", "start after end", "past the end"])
def test_an_export_never_writes_a_span_that_does_not_quote_the_text(db_file, seed_doc, tamper):
    from annotations.export import export_document

    data = _store_with(db_file, seed_doc)
    _key, record = _first(data, "annotations")
    if tamper == "another quote":
        record["text"] = record["text"].upper()
    elif tamper == "start after end":
        record["start"], record["end"] = record["end"] + 30, record["end"]
    else:
        record["start"], record["end"] = len(seed_doc.text) + 5, len(seed_doc.text) + 19
    db_file.write_text(json.dumps(data))
    store = open_store(db_file)  # a fresh instance: it has not seen the text yet
    exported = json.loads(export_document(store, seed_doc, "json"))
    store.close()
    for annotation in exported["annotations"]:  # placed again by its quote, or an orphan
        if annotation["start"] is not None:
            assert seed_doc.text[annotation["start"]:annotation["end"]] == annotation["text"]
    assert len(exported["annotations"]) == 1
