"""Outputs aimed where they must not go (issue 12, point 3).

``export -o``, ``analyze -o`` and the files ``analyze --out-dir`` writes all go through
``annotations.atomic``: a target that is the database, a file beside it, an input of the
same command or the article itself is refused (exit 2, one line), however it is reached
(its path, a symlink, a hard link), and left as it was (inode and bytes). A symlink is
written through to its target and stays a link; a FIFO or character device is written
through (never replaced); a FIFO nobody reads, a folder or a socket is refused at once.
Real special files in tmp_path, the real command in a subprocess.
"""

from __future__ import annotations

import os
import select
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.conftest import make_device, make_socket
from tests.hardening.test_hostile_cli import clean_failure, db, run  # noqa: F401 (db: fixture)
from tests.unit.conftest import REPO, SEED


@pytest.fixture
def article(tmp_path) -> Path:
    """The seed article (annotated in the ``db`` fixture) on the test's own file system."""
    path = tmp_path / "article.txt"
    shutil.copyfile(SEED, path)
    return path


def snapshot(path: Path) -> tuple:
    """What 'untouched' means: the entry (a link stays the same link) and what it leads to."""
    entry = os.lstat(path)
    target = os.stat(path)
    content = path.read_bytes() if stat.S_ISREG(target.st_mode) else None
    return entry.st_ino, stat.S_IFMT(entry.st_mode), target.st_ino, stat.S_IMODE(target.st_mode), content


def make_target(kind: str, db: Path, article: Path, tmp_path: Path) -> Path:
    if kind == "database":
        return db
    if kind == "database by symlink":
        (tmp_path / "db-link.json").symlink_to(db)
        return tmp_path / "db-link.json"
    if kind == "database by hard link":
        os.link(db, tmp_path / "db-hard.json")
        return tmp_path / "db-hard.json"
    if kind == "lock":
        lock = db.with_name(db.name + ".lock")
        assert lock.exists()
        return lock
    if kind in ("backup", "backup by hard link"):
        backup = db.with_name(db.name + ".bak-20260101")
        backup.write_bytes(db.read_bytes())
        if kind == "backup":
            return backup
        os.link(backup, tmp_path / "bak-hard.json")
        return tmp_path / "bak-hard.json"
    if kind == "article":
        return article
    if kind == "article by symlink":
        (tmp_path / "article-link.json").symlink_to(article)
        return tmp_path / "article-link.json"
    if kind == "article by hard link":
        os.link(article, tmp_path / "article-hard.json")
        return tmp_path / "article-hard.json"
    raise AssertionError(kind)


FORBIDDEN = ["database", "database by symlink", "database by hard link", "lock", "backup", "backup by hard link",
             "article", "article by symlink", "article by hard link"]


@pytest.mark.parametrize("kind", FORBIDDEN)
@pytest.mark.parametrize("command", ["export", "analyze"])
def test_an_output_onto_the_database_its_files_or_an_input_is_refused_and_untouched(db, article, tmp_path,
                                                                                    kind, command):
    target = make_target(kind, db, article, tmp_path)
    before, store_before = snapshot(target), snapshot(db)
    if command == "export":
        result = run("--db", db, "export", article, "-o", target)
    else:  # several inputs: the batch path, whose -o is checked before any analysis
        other = tmp_path / "other.txt"
        other.write_text("The minister said so.\n")
        result = run("--db", db, "analyze", other, article, "-o", target)
    clean_failure(result, 2, "refusing to write over", str(target))
    assert snapshot(target) == before
    assert snapshot(db) == store_before


@pytest.mark.parametrize("kind", ["database", "database by symlink", "input"])
def test_a_file_in_out_dir_onto_the_database_or_an_input_is_refused(db, tmp_path, kind):
    if kind == "database":  # annotations.txt -> <db folder>/annotations.json, the database
        out_dir = db.parent
        source = tmp_path / "in" / "annotations.txt"
    elif kind == "database by symlink":
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        (out_dir / "story.json").symlink_to(db)
        source = tmp_path / "in" / "story.txt"
    else:  # an input named explicitly is read whatever its suffix: story.json is both
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        source = out_dir / "story.json"
    source.parent.mkdir(exist_ok=True)
    source.write_text("The minister said the bridge would open.\n")
    target = out_dir / (source.stem + ".json")
    before, store_before = snapshot(target), snapshot(db)
    clean_failure(run("--db", db, "analyze", source, SEED, "--out-dir", out_dir), 2, "refusing to write over")
    assert snapshot(target) == before
    assert snapshot(db) == store_before


def test_a_symlink_output_is_written_through_and_stays_a_link_with_its_mode(db, article, tmp_path):
    real = tmp_path / "exports" / "real.json"
    real.parent.mkdir()
    real.write_text("previous export")
    os.chmod(real, 0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    result = run("--db", db, "export", article, "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert '"annotations"' in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in real.parent.iterdir()] == ["real.json"]  # no temp file left


def run_into_fifo(fifo: Path, *args) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run the command while this process reads ``fifo`` (opened first, read and write so
    that it never sees an end of file of its own): (result, bytes received)."""
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    received = bytearray()
    try:
        process = subprocess.Popen([sys.executable, "-m", "tui.cli", *map(str, args)], cwd=REPO,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while True:
            finished = process.poll() is not None
            ready, _, _ = select.select([fd], [], [], 0.05)
            while ready:
                try:
                    piece = os.read(fd, 1 << 16)
                except BlockingIOError:
                    break
                received += piece
            if finished:
                break
        out, err = process.communicate(timeout=60)
    finally:
        os.close(fd)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), bytes(received)


@pytest.mark.parametrize("command", ["export", "analyze"])
def test_a_fifo_output_is_written_through_and_stays_a_fifo(db, article, tmp_path, command):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    inode = fifo.stat().st_ino
    if command == "export":
        result, received = run_into_fifo(fifo, "--db", db, "export", article, "-o", fifo)
        assert b'"annotations"' in received
    else:
        other = tmp_path / "other.txt"
        other.write_text("The minister said so.\n")
        result, received = run_into_fifo(fifo, "--db", db, "analyze", other, article, "-o", fifo)
        assert len(received.splitlines()) == 2
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and fifo.stat().st_ino == inode


@pytest.mark.parametrize("command", ["export", "analyze"])
def test_a_fifo_that_nothing_reads_is_refused_at_once(db, article, tmp_path, command):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    args = ["export", article] if command == "export" else ["analyze", SEED, article]
    clean_failure(run("--db", db, *args, "-o", fifo), 2, "nothing reads", str(fifo))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_character_device_output_is_written_through_never_replaced(db, article, tmp_path):
    device = make_device(tmp_path / "null-twin", 3)  # /dev/null's numbers
    before = os.lstat(device)
    result = run("--db", db, "export", article, "-o", device)
    assert result.returncode == 0, result.stderr
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.parametrize("kind", ["folder", "socket"])
@pytest.mark.parametrize("command", ["export", "analyze"])
def test_a_folder_or_socket_output_is_refused(db, article, tmp_path, kind, command):
    target = tmp_path / f"target-{kind}"
    if kind == "folder":
        target.mkdir()
    else:
        make_socket(target)
    before = snapshot(target)
    args = ["export", article] if command == "export" else ["analyze", SEED, article]
    clean_failure(run("--db", db, *args, "-o", target), 2, f"is a {kind}", str(target))
    assert snapshot(target) == before


def test_analyze_of_standard_input_refuses_to_write_over_the_file_it_reads(db, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("The minister said the bridge would open in May.\n")
    before = snapshot(article)
    with open(article, "rb") as stdin:
        result = subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), "analyze", "-", "-o", str(article)],
                                stdin=stdin, capture_output=True, cwd=REPO, timeout=180)
    clean_failure(result, 2, "standard input")
    assert snapshot(article) == before
