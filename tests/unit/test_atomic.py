"""annotations.atomic, the one writer of every output, on real files in tmp_path."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from annotations.atomic import OutputError, TextOutput, open_output, write_atomically


def test_a_file_is_replaced_whole_keeping_its_mode_and_no_temp_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    os.chmod(target, 0o604)
    write_atomically(target, [b"new ", b"pieces"])
    assert target.read_text() == "new pieces"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_failure_while_writing_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with open_output(target) as handle:
            handle.write(b"half")
            raise RuntimeError("stopped")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_chain_of_symlinks_is_written_through_to_the_file(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    (tmp_path / "one").symlink_to(real)
    (tmp_path / "two").symlink_to(tmp_path / "one")
    write_atomically(tmp_path / "two", "new")
    assert real.read_text() == "new"
    assert (tmp_path / "two").is_symlink() and (tmp_path / "one").is_symlink()


def test_a_fifo_is_written_through_and_one_nobody_reads_is_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="nothing reads"):
        write_atomically(fifo, "x")
    received = []
    reader_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there first
    reader = threading.Thread(target=lambda: received.append(os.read(reader_fd, 100)))
    write_atomically(fifo, "through the pipe")
    reader.start()
    reader.join(timeout=30)
    os.close(reader_fd)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_protected_files_are_refused_by_path_symlink_and_hard_link(tmp_path):
    db = tmp_path / "db.json"
    db.write_text("{}")
    (tmp_path / "link").symlink_to(db)
    os.link(db, tmp_path / "hard")
    for target in (db, tmp_path / "link", tmp_path / "hard"):
        with pytest.raises(OutputError, match="refusing to write over the database"):
            write_atomically(target, "x", protected=[("the database", db)])
    assert db.read_text() == "{}"


def test_a_text_output_appears_when_closed(tmp_path):
    target = tmp_path / "out.jsonl"
    sink = TextOutput(target)
    sink.write("one\n")
    sink.flush()
    assert not target.exists()
    sink.close()
    sink.close()  # twice is harmless
    assert target.read_text() == "one\n"
