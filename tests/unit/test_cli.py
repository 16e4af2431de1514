"""The command line: exit codes of the contract, one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def annotate(*args, stdin: bytes | None = None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, input=stdin, cwd=REPO, env=env
    )


def assert_clean_failure(result, code: int, *needles: str):
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err
    assert "\x1b" not in err


@pytest.mark.parametrize(
    "content, reason",
    [(b"abc\x00def", "binary"), (b"ab\xff", "not UTF-8")],
)
def test_analyze_bad_bytes_exit_2_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert_clean_failure(annotate("analyze", str(path)), 2, "bad.txt", reason)


def test_missing_file_exit_2(tmp_path):
    assert_clean_failure(annotate("analyze", str(tmp_path / "missing.txt")), 2, "missing.txt", "no such file")


def test_folder_exit_2(tmp_path):
    assert_clean_failure(annotate("analyze", str(tmp_path)), 2, "folder")


def test_open_missing_file_exit_2_before_any_ui(tmp_path):
    assert_clean_failure(annotate(str(tmp_path / "missing.txt")), 2, "missing.txt")


def test_file_name_with_escape_is_not_echoed_raw(tmp_path):
    name = tmp_path / "evil\x1b]0;pwned\x07.txt"
    assert_clean_failure(annotate("analyze", str(name)), 2, "no such file")


def test_version_and_help():
    assert annotate("--version").returncode == 0
    out = annotate("--help")
    assert out.returncode == 0 and b"analyze" in out.stdout


def test_paths_prints_db_cache_and_config(tmp_path):
    out = annotate("--db", str(tmp_path / "x.json"), "paths")
    text = out.stdout.decode()
    assert out.returncode == 0
    assert f"database: {tmp_path / 'x.json'}" in text and "cache:" in text and "config:" in text


def test_db_option_is_accepted_after_the_command(tmp_path):
    out = annotate("paths", "--db", str(tmp_path / "y.json"))
    assert str(tmp_path / "y.json") in out.stdout.decode()


def test_analyze_stdin_prints_contract_json():
    out = annotate("analyze", "-", stdin="Angela Merkel visited Paris on Monday.".encode())
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["schema"] == "annotate.analysis/1"
    assert result["document"]["path"] == "-"
    text = "Angela Merkel visited Paris on Monday."
    for key in ("entities", "claims", "notes", "contradictions"):
        assert isinstance(result[key], list)
    for entity in result["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert {"Angela Merkel", "Paris"} <= {e["text"] for e in result["entities"]}


def test_corrupt_database_exit_2_and_file_untouched(tmp_path):
    db = tmp_path / "db.json"
    db.write_bytes(b'{"annotations": {"1": ')
    before = db.read_bytes()
    out = annotate("--db", str(db), "list")
    assert_clean_failure(out, 2, "db.json")
    assert db.read_bytes() == before


def test_unwritable_store_folder_exit_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    article = tmp_path / "a.txt"
    article.write_text("Hello.")
    out = annotate("--db", str(blocker / "sub" / "db.json"), "list")
    assert_clean_failure(out, 1)


def test_list_json_after_import_counts(tmp_path):
    db = tmp_path / "db.json"
    out = annotate("--db", str(db), "list", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


SEED = str(REPO / "seeds" / "article.txt")


def test_the_entry_point_knows_every_command():
    # `annotate X` opens X as an article unless X is a command: launch.py must know them all.
    from tui.cli import cli
    from tui.launch import COMMAND_NAMES

    assert set(COMMAND_NAMES) == set(cli.commands)


@pytest.mark.parametrize("how", ["--db", "ANNOTATE_DB"])
def test_the_reader_on_a_corrupt_database_exits_2_before_drawing_anything(tmp_path, how):
    db = tmp_path / "db.json"
    db.write_bytes(b'{"annotations": {"1": ')
    before = db.read_bytes()
    if how == "--db":  # through the click commands
        out = annotate("--db", str(db), SEED)
    else:  # `annotate FILE` alone: the entry point opens the reader without click
        out = annotate(SEED, env={**os.environ, "ANNOTATE_DB": str(db)})
    assert_clean_failure(out, 2, "db.json", "not a readable annotate database")
    assert out.stdout == b""
    assert db.read_bytes() == before
