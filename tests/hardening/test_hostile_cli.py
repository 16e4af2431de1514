"""Hostile and broken input through the command line (issue 7, point 4).

Every case runs the real ``annotate`` in a subprocess, as a user would, and checks:

* the exit status of the contract: 0 done, 2 bad input, 1 the environment;
* on failure one clear line on stderr naming the file, never a traceback;
* no control byte from the input (ESC, BEL, other C0 but newline/tab, DEL, C1) on
  stdout or stderr;
* the store byte for byte as it was whenever a command fails.

tests/unit/test_cli.py and test_export_cli.py have the first examples; this is the
matrix of inputs x commands.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.document import load_document
from annotations.export.annotate_json import export_json
from annotations.model import new_annotation
from annotations.store import open_store
from tests.hardening.conftest import raw_controls
from tests.unit.conftest import REPO, SEED, annotate_word

# --------------------------------------------------------------------------- helpers


def run(*args, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *map(str, args)], capture_output=True, input=stdin, cwd=REPO,
        env=env, timeout=180,
    )


def no_raw_controls(result: subprocess.CompletedProcess) -> None:
    for stream, raw in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert b"\x1b" not in raw and b"\x07" not in raw, f"{stream} carries ESC/BEL: {raw[:300]!r}"
        found = raw_controls(raw.decode("utf-8", "replace"))
        assert found == [], f"{stream} carries control characters {found[:5]}: {raw[:300]!r}"


def clean_failure(result: subprocess.CompletedProcess, code: int, *needles: str, lines: int = 1) -> str:
    """``lines``: commands that take several inputs say one line per bad input, then sum up."""
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, f"exit {result.returncode}, expected {code}: {err}"
    assert "Traceback" not in err, err
    assert len(err.strip().splitlines()) == lines, err
    assert all(line.startswith("annotate: ") for line in err.strip().splitlines()), err
    for needle in needles:
        assert needle in err, err
    no_raw_controls(result)
    return err


def store_files(db: Path) -> dict[str, bytes]:
    """The database and everything beside it (lock, backups) as bytes."""
    if not db.parent.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(db.parent.iterdir()) if p.is_file() and not p.name.endswith(".lock")}


@pytest.fixture
def db(tmp_path) -> Path:
    """A store that already holds annotations, so that 'untouched' means something."""
    path = tmp_path / "store" / "annotations.json"
    store = open_store(path)
    document = load_document(SEED)
    store.register_document(document)
    annotate_word(store, document, "Vladimir Putin")
    annotate_word(store, document, "Kursk", label="GPE", note="a region")
    store.close()
    return path


# --------------------------------------------------------------------------- inputs

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x9b31m C1-CSI \x90DCS\x9c \x07bell \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
MARKUP = "[bold red]loud[/] [/bold] [@click=app.quit]quit[/] [link=file:///etc/passwd]x[/link] [@click=screen.dismiss]"

# Texts that are valid articles, however hostile: every command works (exit 0).
GOOD = {
    "empty": b"",
    "escapes-and-controls": (
        f"The minister said {ESCAPES} on Monday.\n" + "".join(chr(c) for c in range(1, 32)) + " \x7f "
        + "".join(chr(c) for c in range(0x80, 0xA0))
    ).encode(),
    "markup": f"Critics said {MARKUP} again.\n".encode(),
    "crlf-bom": "\ufeffFirst line.\r\nSecond line.\rThird line.\r\n".encode(),
    "scripts": (
        "Family 👩\u200d👩\u200d👧\u200d👦 and flag 🏳️\u200d🌈 and e\u0301 and 𝔘𝔫𝔦.\n"
        "قال الوزير إن الجسر سيفتح في مايو. \u202eevil\u202c שלום עולם\n"
    ).encode(),
    "nul-after-8k": b"a" * 9000 + b"\x00 late NUL is text",
    "5mb-line": None,  # built in write_good: a 5 MB single line
}

# Bytes that are not an article: exit 2 naming the file and the problem.
BAD = {
    "nul": (b"abc\x00def", "binary"),
    "random-binary": (random.Random(7).randbytes(4096), "binary"),
    "invalid-utf8": (b"The minister \xff\xfe said", "not UTF-8"),
    "latin1": ("Müller said".encode("latin-1"), "not UTF-8"),
    "truncated-utf8": ("emoji 👩".encode()[:-1], "not UTF-8"),
    "utf16": ("\ufeffhello".encode("utf-16"), ""),
}


def write_good(folder: Path, name: str) -> Path:
    path = folder / f"{name}.txt"
    content = GOOD[name]
    if content is None:
        content = ("The minister said 👩\u200d👩\u200d👧 " * 120_000)[:5_000_000].encode()
    path.write_bytes(content)
    return path


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("command", ["open", "analyze", "export", "import"])
def test_bad_bytes_exit_2_name_the_file_and_leave_the_store(db, tmp_path, name, command):
    content, reason = BAD[name]
    path = tmp_path / f"{name}\x1b[31m.txt"  # a hostile file name too
    path.write_bytes(content)
    before = store_files(db)
    args = {"open": [path], "analyze": ["analyze", path], "export": ["export", path],
            "import": ["import", path, tmp_path / "missing.json"]}[command]
    result = run("--db", db, *args)
    err = clean_failure(result, 2, name, reason)
    assert "\\x1b" in err  # the file name is shown, its escape made visible
    assert store_files(db) == before


@pytest.mark.parametrize("command", ["open", "analyze", "export", "import"])
@pytest.mark.parametrize("case", ["missing", "folder"])
def test_missing_and_folder_exit_2(db, tmp_path, command, case):
    path = tmp_path / "no-such-article.txt"
    if case == "folder":
        path = tmp_path / "a-folder"
        path.mkdir()
    before = store_files(db)
    args = {"open": [path], "analyze": ["analyze", path], "export": ["export", path],
            "import": ["import", path, tmp_path / "x.json"]}[command]
    # A folder opens the library (open) or analyses every article in it (analyze): an
    # empty one is refused in one line, as the contract asks.
    clean_failure(run("--db", db, *args), 2, path.name)
    assert store_files(db) == before


def test_binary_on_standard_input_exit_2(db):
    clean_failure(run("--db", db, "analyze", "-", stdin=b"\x00\x01\x02binary"), 2, "binary")


@pytest.mark.parametrize(
    "content", [b"", b"\x00\x01", b"{not json", b'{"schema": "annotate.export/1"}', b"[1, 2]", b"\xff\xfe",
                b"[" * 100_000 + b"]" * 100_000, b'{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation"}'],
    ids=["empty", "binary", "broken", "no-document", "a-list", "not-utf8", "deeply-nested", "w3c-without-target"],
)
def test_bad_import_files_exit_2_and_import_nothing(db, tmp_path, content):
    source = tmp_path / "source\x07.json"
    source.write_bytes(content)
    before = store_files(db)
    clean_failure(run("--db", db, "import", SEED, source), 2, "source")
    assert store_files(db) == before


# --------------------------------------------------------------------------- hostile but valid texts


@pytest.mark.parametrize("name", sorted(GOOD))
def test_hostile_texts_import_and_export_with_exact_offsets_and_no_control_bytes(db, tmp_path, name):
    path = write_good(tmp_path, name)
    document = load_document(path)
    made = []
    if document.text:
        rng = random.Random(name)
        for _ in range(5):
            start = rng.randrange(len(document.text))
            made.append(new_annotation(document, start, min(len(document.text), start + rng.randint(1, 40)),
                                       label="CHECK", note=f"note {ESCAPES} {MARKUP}"))
    source = tmp_path / f"{name}.import.json"
    source.write_text(export_json(document, made), encoding="utf-8")

    result = run("--db", db, "import", path, source)
    assert result.returncode == 0, result.stderr
    no_raw_controls(result)
    assert f"Imported {len(made)} annotation(s)" in result.stdout.decode()

    formats = ["json", "w3c"] if name == "5mb-line" else ["json", "w3c", "jsonl"]
    for fmt in formats:
        result = run("--db", db, "export", path, "--format", fmt)
        assert result.returncode == 0, result.stderr
        no_raw_controls(result)
        out = json.loads(result.stdout)
        if fmt == "json":
            pairs = [(a["start"], a["end"], a["text"]) for a in out["annotations"]]
        elif fmt == "w3c":
            items = out["first"]["items"] if out.get("first") else []
            pairs = [(s[1]["start"], s[1]["end"], s[0]["exact"]) for s in (i["target"]["selector"] for i in items)]
        else:
            assert out["text"] == document.text
            pairs = [(s["start"], s["end"], s["text"]) for s in out["spans"]]
        assert len(pairs) == len(made)
        for start, end, text in pairs:
            assert document.text[start:end] == text


def test_list_and_forget_of_hostile_texts(db, tmp_path):
    for name in sorted(GOOD):
        if name != "5mb-line":
            write_good(tmp_path, name)
    store = open_store(db)
    for name in sorted(GOOD):  # the store learns of files when they are opened
        if name != "5mb-line":
            store.register_document(load_document(tmp_path / f"{name}.txt"))
    store.close()
    for name in sorted(GOOD):  # export needs the document in the store (exit 2 otherwise)
        if name != "5mb-line":
            assert run("--db", db, "export", tmp_path / f"{name}.txt").returncode == 0
    for args in (["list"], ["list", "--json"], ["forget", tmp_path / "escapes-and-controls.txt", "--yes"]):
        result = run("--db", db, *args)
        assert result.returncode == 0, result.stderr
        no_raw_controls(result)


@pytest.mark.parametrize("name", ["escapes-and-controls", "markup"])
def test_analyze_prints_no_control_bytes(tmp_path, name):
    path = write_good(tmp_path, name)
    result = run("analyze", path)
    assert result.returncode == 0, result.stderr
    no_raw_controls(result)
    analysis = json.loads(result.stdout)
    text = load_document(path).text
    for entity in analysis["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]


def test_a_hostile_file_name_is_never_echoed_raw(db, tmp_path):
    path = tmp_path / "news\x1b]0;title\x07[@click=app.quit]\x9b.txt"
    path.write_bytes(b"The minister said so.\n")
    source = tmp_path / "in.json"
    document = load_document(path)
    source.write_text(export_json(document, [new_annotation(document, 4, 12)]), encoding="utf-8")
    for args in (["import", path, source], ["export", path], ["export", path, "-o", tmp_path / "out\x1b.json"],
                 ["list"], ["list", "--json"], ["forget", path, "--yes"]):
        result = run("--db", db, *args)
        assert result.returncode == 0, (args, result.stderr)
        no_raw_controls(result)


# --------------------------------------------------------------------------- the store


def foreign_and_broken_stores(valid: bytes) -> dict[str, bytes]:
    return {
        "empty": b"",
        "null": b"null",
        "truncated": valid[: len(valid) // 2],
        "garbage-after": valid + b"\x00garbage",
        "binary": random.Random(3).randbytes(2048),
        "a-list": b"[1, 2, 3]",
        "foreign-tinydb": json.dumps({"_default": {"1": {"name": "someone else's"}}}).encode(),
        "foreign-json": json.dumps({"users": [{"id": 1}]}).encode(),
        "bad-record": json.dumps({"meta": {"1": {"schema": "annotate.store", "schema_version": 1}},
                                  "annotations": {"1": "not an object"}}).encode(),
        "escape-in-json": b'{"\x1b]0;x\x07": 1}',
    }


STORE_CASES = [(kind, command) for kind in sorted(foreign_and_broken_stores(b"{}")) for command in ("list", "import")]
STORE_CASES += [("truncated", command) for command in ("open", "export", "forget")]


@pytest.mark.parametrize("kind, command", STORE_CASES)
def test_corrupt_truncated_or_foreign_store_exit_2_untouched(db, tmp_path, kind, command):
    db.write_bytes(foreign_and_broken_stores(db.read_bytes())[kind])
    before = db.read_bytes()
    source = tmp_path / "in.json"
    source.write_text(export_json(load_document(SEED), []), encoding="utf-8")
    args = {"open": [SEED], "list": ["list"], "export": ["export", SEED], "import": ["import", SEED, source],
            "forget": ["forget", SEED, "--yes"]}[command]
    clean_failure(run("--db", db, *args), 2, str(db))
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", ["open", "list", "export", "import", "forget"])
def test_unwritable_store_folder_exit_1(tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("I am a file, not a folder")
    db = blocker / "store" / "annotations.json"
    source = tmp_path / "in.json"
    source.write_text(export_json(load_document(SEED), []), encoding="utf-8")
    args = {"open": [SEED], "list": ["list"], "export": ["export", SEED], "import": ["import", SEED, source],
            "forget": ["forget", SEED, "--yes"]}[command]
    clean_failure(run("--db", db, *args), 1, "a-file")
    assert blocker.read_text() == "I am a file, not a folder"


DISK_FULL = """
import errno, os
def _full(fd):
    raise OSError(errno.ENOSPC, "No space left on device")
os.fsync = _full
"""


@pytest.fixture
def full_disk_env(tmp_path) -> dict:
    """Python in the subprocess sees a full disk: every fsync fails with ENOSPC."""
    folder = tmp_path / "full-disk"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(DISK_FULL)
    return dict(os.environ, PYTHONPATH=str(folder))


def test_full_disk_import_exit_1_and_store_untouched(db, tmp_path, full_disk_env):
    document = load_document(SEED)
    source = tmp_path / "in.json"
    start = document.text.index("Ukrain")
    source.write_text(export_json(document, [new_annotation(document, start, start + 7)]), encoding="utf-8")
    before = db.read_bytes()
    clean_failure(run("--db", db, "import", SEED, source, env=full_disk_env), 1, "disk full", str(db))
    assert db.read_bytes() == before
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")] == []
    # and with room again it works
    assert run("--db", db, "import", SEED, source).returncode == 0


def test_full_disk_export_to_a_file_exit_1_and_old_file_kept(db, tmp_path, full_disk_env):
    out = tmp_path / "out.json"
    out.write_text("previous export")
    clean_failure(run("--db", db, "export", SEED, "-o", out, env=full_disk_env), 1, "out.json")
    assert out.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_export_into_a_missing_folder_exit_1(db, tmp_path):
    clean_failure(run("--db", db, "export", SEED, "-o", tmp_path / "nope" / "out.json"), 1, "out.json")
