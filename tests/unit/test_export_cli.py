"""`annotate export` / `import` / `list` / `forget` against a real store file, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotations.document import load_document
from annotations.store import open_store
from tests.unit.conftest import REPO, SEED, annotate_word


def annotate(*args):
    return subprocess.run([sys.executable, "-m", "tui.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO)


@pytest.fixture
def db_with_annotations(tmp_path):
    db = tmp_path / "db.json"
    store = open_store(db)
    document = load_document(SEED)
    store.register_document(document)
    annotate_word(store, document, "Vladimir Putin")
    annotate_word(store, document, "Kursk", label="GPE", note="a region")
    store.close()
    return db


@pytest.mark.parametrize("fmt", ["json", "w3c", "jsonl"])
def test_export_to_stdout_and_file(db_with_annotations, tmp_path, fmt):
    result = annotate("--db", db_with_annotations, "export", SEED, "--format", fmt)
    assert result.returncode == 0, result.stderr
    parsed = [json.loads(line) for line in result.stdout.splitlines()] if fmt == "jsonl" else [json.loads(result.stdout)]
    assert parsed
    out = tmp_path / f"out.{fmt}"
    result = annotate("--db", db_with_annotations, "export", SEED, "--format", fmt, "-o", out)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stderr
    written = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(written)["annotations"] == parsed[0]["annotations"]
    elif fmt == "w3c":
        assert json.loads(written)["first"]["items"] == parsed[0]["first"]["items"]
    else:
        assert json.loads(written)["spans"] == parsed[0]["spans"]


def test_import_round_trip_and_twice_adds_nothing(db_with_annotations, tmp_path):
    out = tmp_path / "out.json"
    assert annotate("--db", db_with_annotations, "export", SEED, "-o", out).returncode == 0
    fresh = tmp_path / "fresh.json"
    first = annotate("--db", fresh, "import", SEED, out)
    assert first.returncode == 0, first.stderr
    assert "Imported 2" in first.stdout
    second = annotate("--db", fresh, "import", SEED, out)
    assert second.returncode == 0 and "Imported 0" in second.stdout and "2 already present" in second.stdout
    listed = json.loads(annotate("--db", fresh, "list", "--json").stdout)
    assert [row["annotations"] for row in listed] == [2]


def test_bad_import_file_exits_2_with_one_line(db_with_annotations, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    before = db_with_annotations.read_bytes()
    result = annotate("--db", db_with_annotations, "import", SEED, bad)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(bad) in result.stderr
    assert "Traceback" not in result.stderr
    assert db_with_annotations.read_bytes() == before


def test_corrupt_store_exits_2_and_is_untouched(tmp_path):
    db = tmp_path / "db.json"
    db.write_bytes(b'{"meta": {"1": ')
    for args in (["list"], ["export", SEED]):
        result = annotate("--db", db, *args)
        assert result.returncode == 2, result.stderr
        assert str(db) in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == b'{"meta": {"1": '


def test_unwritable_store_folder_exits_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = annotate("--db", blocker / "sub" / "db.json", "list")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_forget_with_yes(db_with_annotations):
    result = annotate("--db", db_with_annotations, "forget", SEED, "--yes")
    assert result.returncode == 0, result.stderr
    assert "2 annotation" in result.stdout
    assert json.loads(annotate("--db", db_with_annotations, "list", "--json").stdout) == []
