"""``annotate --labels FILE ARTICLE`` as the README writes it; ``export`` of a document the
store does not know says so (issue 15)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

import tui.cli
from tests.unit.conftest import REPO, SEED


@pytest.mark.parametrize("args", [
    ["--labels", "my-labels.toml", "article.txt"],
    ["--labels=my-labels.toml", "article.txt"],
    ["article.txt", "--labels", "my-labels.toml"],
    ["--db", "x.json", "--labels", "my-labels.toml", "article.txt"],
    ["open", "--labels", "my-labels.toml", "article.txt"],
])
def test_labels_before_or_after_the_article_opens_the_reader_with_them(monkeypatch, args):
    opened = []
    monkeypatch.setattr(tui.cli, "open_reader", lambda files, labels, db: opened.append((files, labels)))
    result = CliRunner().invoke(tui.cli.cli, args)
    assert result.exit_code == 0, result.output
    assert opened == [(["article.txt"], "my-labels.toml")]


def test_export_of_a_document_not_in_the_store_exits_2_and_says_so(tmp_path):
    db = tmp_path / "db.json"
    result = subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), "export", str(SEED)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "not in the store" in result.stderr and len(result.stderr.strip().splitlines()) == 1
