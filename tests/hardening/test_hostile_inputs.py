"""Special and huge inputs end quickly (issue 12, point 5).

* ``--db`` naming a FIFO, a character device, a socket or a folder (or a symlink to one)
  is refused at once: exit 2, one line, nothing created beside it;
* a FILE that is a FIFO or a character device is read as a stream, like standard input
  (``annotate <(command)``), and known by its sha256 only, never by its path;
* every input is read through a size limit (``--max-size``, ``max_size`` in config.toml);
  binary detection looks at the first 8 KiB only, so a ``/dev/zero`` twin ends at once;
* in a folder only regular files are articles; other entries are reported as skipped;
* a database that is another program's file gets no copy beside it and no advice to move it.

Real FIFOs, device nodes and sockets in tmp_path; writer threads feed the FIFOs.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import tracemalloc
from pathlib import Path

import pytest

from annotations.document import DEFAULT_MAX_INPUT_BYTES, DocumentError, max_input_bytes, set_max_input_bytes
from annotations.inputs import expand, load_input
from annotations.model import new_annotation
from annotations.store import open_store
from tests.hardening.conftest import make_device, make_socket
from tests.hardening.test_hostile_cli import clean_failure, db, run  # noqa: F401 (db: fixture)
from tests.unit.conftest import SEED

TEXT = "The minister said the bridge would open in May. Critics said it would not.\n"


def feed(fifo: Path, data: bytes) -> threading.Thread:
    """A writer thread: opens ``fifo`` (waiting for its reader) and writes ``data``; a
    reader that stops early (a refused input) just ends it."""

    def write() -> None:
        try:
            with open(fifo, "wb") as handle:
                handle.write(data)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def make_special(kind: str, path: Path) -> Path:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "null device":
        make_device(path, 3)
    elif kind == "zero device":
        make_device(path, 5)
    elif kind == "socket":
        make_socket(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "symlink to a fifo":
        os.mkfifo(path.with_name("real-fifo"))
        path.symlink_to(path.with_name("real-fifo"))
    else:
        raise AssertionError(kind)
    return path


def listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((p.name, os.lstat(p).st_ino) for p in folder.iterdir())


# --------------------------------------------------------------------------- --db


@pytest.mark.parametrize("kind", ["fifo", "null device", "zero device", "socket", "folder", "symlink to a fifo"])
@pytest.mark.parametrize("command", ["list", "export", "open"])
def test_a_db_that_is_not_a_regular_file_is_refused_at_once(tmp_path, kind, command):
    place = tmp_path / "place"
    place.mkdir()
    target = make_special(kind, place / "annotations.json")
    before = listing(place)
    args = {"list": ["list"], "export": ["export", SEED], "open": [SEED]}[command]
    clean_failure(run("--db", target, *args), 2, "not an annotation database", str(target))
    assert listing(place) == before  # no lock, no copy, no backup beside it


def test_another_programs_file_as_db_gets_no_copy_and_no_advice_to_move_it(tmp_path):
    system_file = tmp_path / "etc" / "passwd"
    system_file.parent.mkdir()
    system_file.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    settings = tmp_path / "etc" / "settings.conf"
    settings.write_bytes(json.dumps({"theme": "dark"}).encode())
    before = listing(system_file.parent)
    for path in (system_file, settings):
        err = clean_failure(run("--db", path, "list"), 2, "not an annotate database", str(path))
        assert "mv " not in err and "copy" not in err
    assert listing(system_file.parent) == before


def test_a_damaged_database_still_gets_its_copy_and_the_advice(db):
    db.write_bytes(db.read_bytes()[:-40])  # an interrupted write
    err = clean_failure(run("--db", db, "list"), 2, str(db))
    assert "A copy is kept" in err and "mv " in err


# --------------------------------------------------------------------------- streams as FILE


def test_a_fifo_is_read_as_a_stream_by_export_and_analyze(db, tmp_path):
    fifo = make_special("fifo", tmp_path / "feed")
    feed(fifo, TEXT.encode())
    # not in the store: only the machine's suggestions can be exported (plain export is exit 2)
    result = run("--db", db, "export", fifo, "--include-suggestions")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["document"]["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    feed(fifo, TEXT.encode())
    result = run("analyze", fifo)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["document"]["chars"] == len(TEXT)


def test_a_null_device_twin_is_an_empty_article(db, tmp_path):
    device = make_special("null device", tmp_path / "null-twin")
    result = run("--db", db, "export", device, "--include-suggestions")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["document"]["chars"] == 0


def test_a_stream_is_known_by_its_sha256_never_reanchored_by_its_path(tmp_path):
    """/dev/fd/63 is another article each time: the annotations of one stream never move
    onto the next text read through the same path (a file at that path would)."""
    fifo = make_special("fifo", tmp_path / "fd-63")
    store = open_store(tmp_path / "store.json")
    feed(fifo, TEXT.encode())
    first = load_input(str(fifo))
    store.register_document(first)
    start = first.text.index("bridge")
    store.add(new_annotation(first, start, start + 6, label="THING"))
    other = "A different article arrives through the same path.\n"
    feed(fifo, other.encode())
    second = load_input(str(fifo))
    report = store.register_document(second)
    assert report.old_shas == []
    assert [(a.text, a.orphan) for a in store.annotations(first.sha256)] == [("bridge", False)]
    assert store.annotations(second.sha256) == []
    assert {row["sha256"] for row in store.documents()} == {first.sha256, second.sha256}
    store.close()


def test_the_library_refuses_a_stream_among_several_files(tmp_path):
    fifo = make_special("fifo", tmp_path / "feed")
    clean_failure(run(SEED, fifo), 2, "read only once", str(fifo))


# --------------------------------------------------------------------------- size limit


@pytest.fixture
def small_limit():
    set_max_input_bytes(64_000)
    yield 64_000
    set_max_input_bytes(DEFAULT_MAX_INPUT_BYTES)


def test_the_default_limit_is_50_mb():
    assert max_input_bytes() == DEFAULT_MAX_INPUT_BYTES == 50_000_000


def test_a_fifo_fed_more_than_the_limit_is_refused_without_reading_it_all(tmp_path, small_limit):
    fifo = make_special("fifo", tmp_path / "feed")
    writer = feed(fifo, b"All work and no play. " * 20_000)  # 440 kB, seven times the limit
    with pytest.raises(DocumentError, match="larger than the 64 kB limit"):
        load_input(str(fifo))
    writer.join(timeout=60)
    assert not writer.is_alive()  # the reader closed early: the writer saw a broken pipe


@pytest.mark.parametrize("where", ["option", "config"])
@pytest.mark.parametrize("source", ["fifo", "file", "stdin"])
def test_the_command_line_refuses_an_input_above_the_limit(tmp_path, where, source):
    data = b"All work and no play. " * 20_000
    env = dict(os.environ)
    args = ["--max-size", "64kB"] if where == "option" else []
    if where == "config":
        config = tmp_path / "config"
        config.mkdir()
        (config / "config.toml").write_text('max_size = "64kB"\n')
        env["ANNOTATE_CONFIG_DIR"] = str(config)
    stdin = None
    if source == "fifo":
        target = make_special("fifo", tmp_path / "feed")
        feed(target, data)
    elif source == "file":
        target = tmp_path / "big.txt"
        target.write_bytes(data)
    else:
        target, stdin = "-", data
    err = clean_failure(run(*args, "analyze", target, stdin=stdin, env=env), 2, "64 kB limit")
    assert "--max-size" in err


def test_a_size_that_is_not_one_is_one_line(tmp_path):
    clean_failure(run("--max-size", "lots", "analyze", SEED), 2, "--max-size", "lots")


# --------------------------------------------------------------------------- binary streams


def test_a_dev_zero_twin_ends_at_once_with_no_memory_growth(tmp_path):
    zero = make_special("zero device", tmp_path / "zero-twin")
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError, match="binary"):
            load_input(str(zero))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, peak  # one read chunk, never the 50 MB limit (nor the endless device)
    clean_failure(run("analyze", zero), 2, "binary", str(zero))


# --------------------------------------------------------------------------- folders


@pytest.mark.parametrize("kind", ["fifo", "null device", "socket", "symlink to a fifo"])
def test_a_folder_takes_only_regular_files_and_reports_the_rest_as_skipped(tmp_path, kind):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "real.txt").write_text(TEXT)
    (tmp_path / "elsewhere.txt").write_text(TEXT + "More.\n")
    (folder / "linked.txt").symlink_to(tmp_path / "elsewhere.txt")  # a symlink to a regular file is one
    special = make_special(kind, folder / "special.txt")
    found = expand([str(folder)])
    assert found.paths == [str(folder / "linked.txt"), str(folder / "real.txt")]
    assert [e.path for e in found.skipped] == [str(special)]
    assert "not a regular file: skipped" in str(found.skipped[0])
    assert found.errors == []


def test_batch_analysis_reads_a_stream_once_and_reports_skipped_folder_entries(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "real.txt").write_text(TEXT)
    special = make_special("fifo", folder / "waiting.txt")  # never written: taking it would hang
    fifo = make_special("fifo", tmp_path / "feed")
    feed(fifo, b"Another article, read through a pipe.\n")
    out = tmp_path / "out.jsonl"
    result = run("analyze", folder, fifo, "-o", out)
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert f"{special}: a FIFO, not a regular file: skipped" in err
    assert [json.loads(line)["document"]["path"] for line in out.read_text().splitlines()] == [
        str(folder / "real.txt"), str(fifo)]


def test_an_import_source_and_a_label_file_go_through_the_same_limit(db, tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"pad": "x" * 100_000}))
    clean_failure(run("--max-size", "64kB", "--db", db, "import", SEED, big), 2, "64 kB limit", str(big))
    zero = make_special("zero device", tmp_path / "zero-twin")
    clean_failure(run("--db", db, "import", SEED, zero), 2, "binary", str(zero))
    clean_failure(run("--db", db, "open", "--labels", zero, SEED), 2, "binary", str(zero))


def test_annotate_file_reads_a_stream_and_honours_the_configured_limit(tmp_path):
    """``annotate FILE`` (the reader's own start, without click): a FIFO is read as a
    stream (here it then stops, before any screen, on a --db that is a FIFO too), and
    max_size in config.toml holds for it."""
    fifo = make_special("fifo", tmp_path / "feed")
    db_fifo = make_special("fifo", tmp_path / "db-fifo")
    env = dict(os.environ, ANNOTATE_DB=str(db_fifo))
    feed(fifo, TEXT.encode())
    clean_failure(run(fifo, env=env), 2, "is a FIFO, not an annotation database")
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('max_size = "64kB"\n')
    big = tmp_path / "big.txt"
    big.write_bytes(b"All work and no play. " * 20_000)
    env = dict(os.environ, ANNOTATE_CONFIG_DIR=str(config))
    clean_failure(run(big, env=env), 2, "64 kB limit", str(big))
