"""Batch analysis: JSON lines, --out-dir, the cache, bad files, resume after an interruption."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotations.analysis import AnalysisCancelled, analyze
from annotations.batch import analyse_many
from annotations.inputs import load_input

REPO = Path(__file__).resolve().parents[2]


def annotate(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, input=stdin, cwd=REPO,
                          env=dict(os.environ))


def lines(raw: bytes) -> list[dict]:
    return [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]


def test_folder_writes_one_contract_line_per_document_and_bad_files_exit_2_at_the_end(story, tmp_path):
    (story / "broken.txt").write_bytes(b"abc\x00def")
    out = tmp_path / "out.jsonl"
    result = annotate("analyze", str(story), str(tmp_path / "missing.txt"), "--jobs", "2", "-o", str(out))
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "broken.txt: binary" in err and "missing.txt: no such file" in err
    assert "Traceback" not in err
    rows = lines(out.read_bytes())
    assert sorted(os.path.basename(r["document"]["path"]) for r in rows) == [
        "council.txt", "denial.md", "page.html", "strike.txt"]
    for row in rows:
        assert row["schema"] == "annotate.analysis/1"
        text = load_input(row["document"]["path"]).text
        for claim in row["claims"]:
            assert text[claim["start"]:claim["end"]] == claim["text"]
    # the same as analysing each alone
    alone = analyze(load_input(str(story / "strike.txt")), use_cache=False)
    assert next(r for r in rows if r["document"]["path"].endswith("strike.txt")) == alone


def test_stdout_lines_and_standard_input(story):
    result = annotate("analyze", "-", str(story / "council.txt"), stdin=(story / "strike.txt").read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    rows = lines(result.stdout)
    assert [r["document"]["path"] for r in rows][0] == "-" or "-" in [r["document"]["path"] for r in rows]
    assert len(rows) == 2


def test_out_dir_writes_one_file_per_document(story, tmp_path):
    target = tmp_path / "results"
    result = annotate("analyze", str(story / "strike.txt"), str(story / "page.html"), "--out-dir", str(target))
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in target.iterdir()) == ["page.json", "strike.json"]
    page = json.loads((target / "page.json").read_text())
    assert page["document"]["path"].endswith("page.html")


def test_single_file_output_is_unchanged_pretty_json(story):
    result = annotate("analyze", str(story / "council.txt"))
    assert result.returncode == 0
    text = result.stdout.decode()
    assert text.startswith('{\n  "schema": "annotate.analysis/1",')
    assert json.loads(text) == analyze(load_input(str(story / "council.txt")))


def test_second_run_takes_every_document_from_the_cache(story):
    paths = [str(story / "strike.txt"), str(story / "council.txt")]
    first = list(analyse_many(paths))
    assert [r.from_cache for r in first] == [False, False]
    second = list(analyse_many(paths))
    assert [r.from_cache for r in second] == [True, True]
    assert [r.result for r in second] == [r.result for r in first]


def test_an_interrupted_batch_resumes_with_only_the_rest(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(6):
        (folder / f"a{n}.txt").write_text(f"Story {n}.\n\nThe mayor said {n} bridges were closed.\n", encoding="utf-8")
    paths = [str(p) for p in sorted(folder.iterdir())]
    cancel = threading.Event()

    def stop_after_two(stats):
        if stats.analysed >= 2:
            cancel.set()

    done = []
    with pytest.raises(AnalysisCancelled):
        for item in analyse_many(paths, progress=stop_after_two, cancel=cancel, batch_size=1):
            done.append(item)
    assert 2 <= len(done) < 6
    resumed = list(analyse_many(paths))
    assert len(resumed) == 6 and all(r.ok for r in resumed)
    assert sum(r.from_cache for r in resumed) == len(done)
    assert sorted(r.path for r in resumed if not r.from_cache) == sorted(set(paths) - {r.path for r in done})


def test_a_long_article_in_several_chunks_gives_the_same_result_as_alone(tmp_path):
    seed = (REPO / "seeds" / "article.txt").read_text(encoding="utf-8")
    long = tmp_path / "long.txt"
    long.write_text("\n\n".join([seed.strip()] * 5) + "\n", encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text("\n\n" + seed.strip() + "\n\n\n", encoding="utf-8")  # blank lines around the one chunk
    results = {os.path.basename(r.path): r.result for r in analyse_many([str(long), str(short)], use_cache=False)}
    for name in ("long.txt", "short.txt"):
        assert results[name] == analyze(load_input(str(tmp_path / name)), use_cache=False), name


def test_the_batch_cache_key_is_the_analysis_cache_key(story):
    from annotations.analysis import analysis_cache_key
    from annotations.batch import cache_key_of

    document = load_input(str(story / "strike.txt"))
    assert cache_key_of(document) == analysis_cache_key(document)
