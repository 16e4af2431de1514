"""The domain never loads the UI: importing it, or running headless commands, loads no Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHECK = """
import sys, importlib
for name in {modules!r}:
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if any(m == f or m.startswith(f + '.') for f in {forbidden!r}))
print(','.join(bad))
"""


def loaded(modules, forbidden=("textual", "rich", "tui")):
    code = CHECK.format(modules=list(modules), forbidden=tuple(forbidden))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    return out.stdout.strip()


def test_domain_imports_no_ui():
    modules = ["annotations", "annotations.document", "annotations.store", "annotations.anchoring",
               "annotations.analysis", "annotations.export", "annotations.paths", "annotations.analysis_cache"]
    assert loaded(modules) == ""


def test_importing_analysis_does_not_import_spacy():
    assert loaded(["annotations.analysis"], forbidden=("spacy",)) == ""


def test_domain_never_imports_textual_in_source():
    offenders = [
        str(path) for path in (REPO / "annotations").rglob("*.py")
        if any(line.lstrip().startswith(("import textual", "from textual", "import rich", "from rich"))
               for line in path.read_text(encoding="utf-8").splitlines())
    ]
    assert offenders == []


def test_headless_cli_commands_do_not_load_textual(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Hello.", encoding="utf-8")
    code = (
        "import sys; from tui import cli\n"
        "try:\n    cli.main(['--db', sys.argv[1], 'list'])\n"
        "except SystemExit: pass\n"
        "print('LOADED=' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "db.json")], capture_output=True,
                         text=True, cwd=REPO, check=True)
    assert out.stdout.splitlines()[-1] == "LOADED="


def test_the_reader_starts_without_click_tinydb_or_spacy():
    # What `annotate FILE` loads before its first paint: the entry point, the reader and the
    # check of the database file. click, TinyDB and the store's code come after (~25 ms).
    modules = ["tui.launch", "tui.app", "annotations.store_file", "annotations.inputs", "annotations.html"]
    assert loaded(modules, forbidden=("click", "tinydb", "spacy", "annotations.store", "tui.widgets.side_panel")) == ""
