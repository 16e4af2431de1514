"""The shared scorer on the seed (contract thresholds), on our own test articles, and on the
devset (the hidden-set floors). Skipped with a reason where ../shared is absent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.document import load_document

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / "../shared").resolve()
SCORER = SHARED / "tools" / "score_analysis.py"
ARTICLES = REPO / "tests" / "data" / "articles"


def _need_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared sits beside the checkout in CI)")
    return path


def _score(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCORER), *args], capture_output=True, text=True, cwd=REPO)


def _analyse_folder(texts: list[Path], out: Path) -> None:
    from annotations.analysis import analyze

    out.mkdir(parents=True, exist_ok=True)
    for text in texts:
        result = analyze(load_document(str(text)), use_cache=False)
        (out / f"{text.stem}.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def test_seed_meets_the_contract_thresholds(tmp_path):
    _need_shared("tools", "score_analysis.py")
    gold = _need_shared("seeds", "article.gold.json")
    out = tmp_path / "out.json"
    with open(out, "wb") as handle:
        subprocess.run([sys.executable, "-c", "from tui.cli import main; main()", "analyze", "seeds/article.txt", "--no-cache"],
                       stdout=handle, check=True, cwd=REPO)
    result = _score([str(gold), str(out), "--doc", "article", "--text-dir", "seeds",
                     "--min-f1", "0.90", "--min-speaker", "0.90", "--min-attributed", "0.85", "--min-cues", "0.70",
                     "--min-contradictions", "0.5", "--min-contradiction-precision", "0.5", "--min-entities", "0.85"])
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "span_errors=0" in summary, summary


def test_own_test_articles_score_well(nlp, tmp_path):
    _need_shared("tools", "score_analysis.py")
    _analyse_folder(sorted(ARTICLES.glob("*.txt")), tmp_path)
    result = _score(["--gold", str(ARTICLES / "gold.json"), "--pred-dir", str(tmp_path), "--text-dir", str(ARTICLES),
                     "--min-f1", "0.90", "--min-speaker", "0.90", "--min-attributed", "0.85", "--min-cues", "0.70"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "span_errors=0" in result.stdout.strip().splitlines()[-1]


def test_devset_meets_the_hidden_set_floors(nlp, tmp_path):
    _need_shared("tools", "score_analysis.py")
    devset = _need_shared("devset", "gold.json").parent
    _analyse_folder(sorted(devset.glob("*.txt")), tmp_path)
    result = _score(["--gold", str(devset / "gold.json"), "--pred-dir", str(tmp_path), "--text-dir", str(devset),
                     "--min-speaker", "0.85", "--min-attributed", "0.80", "--min-cues", "0.55"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_gold_of_own_articles_is_current():
    out = subprocess.run([sys.executable, str(ARTICLES / "build_gold.py"), "--check"], cwd=REPO)
    assert out.returncode == 0, "tests/data/articles/gold.json is stale: run build_gold.py"
