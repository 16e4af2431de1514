"""Batch analysis: JSON lines, --out-dir, the cache, bad files, resume after an interruption."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
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
    from annotations.analysis import batch_cache_key

    document = load_input(str(story / "strike.txt"))
    assert batch_cache_key(document.sha256) == analysis_cache_key(document)


def test_analyze_file_and_jobs_write_the_same_bytes_for_a_document(story, tmp_path):
    out = tmp_path / "out.jsonl"
    batch = annotate("analyze", str(story), "--jobs", "2", "--no-cache", "-o", str(out))
    assert batch.returncode == 0, batch.stderr.decode()
    written = {json.loads(line)["document"]["path"]: line for line in out.read_text(encoding="utf-8").splitlines()}
    for name in ("strike.txt", "page.html"):
        path = str(story / name)
        alone = annotate("analyze", path, "--indent", "0", "--no-cache")
        assert alone.returncode == 0, alone.stderr.decode()
        assert alone.stdout.decode().rstrip("\n") == written[path], name


def test_killing_a_jobs_run_leaves_no_worker_and_a_rerun_completes_the_output(tmp_path):
    import psutil

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(48):
        (folder / f"a{n:02d}.txt").write_text(f"Story {n}.\n\n\"{n} bridges were closed,\" the mayor said.\n",
                                              encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cache = Path(os.environ["ANNOTATE_CACHE_DIR"])
    command = [sys.executable, "-m", "tui.cli", "analyze", str(folder), "--jobs", "2", "-o", str(out)]
    run = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while not (cache.exists() and any(cache.rglob("*.json"))) and run.poll() is None:
        assert time.monotonic() < deadline, "no result from --jobs 2"
        time.sleep(0.1)
    workers = psutil.Process(run.pid).children(recursive=True)
    assert run.poll() is None and workers, "the run ended before it could be killed"
    run.kill()
    run.wait()
    _, alive = psutil.wait_procs(workers, timeout=15)
    for left in alive:  # (a failing run must not leave them to the next tests)
        left.kill()
    assert not alive, f"workers left behind: {[p.pid for p in alive]}"
    again = annotate("analyze", str(folder), "--jobs", "2", "-o", str(out))
    assert again.returncode == 0, again.stderr.decode()
    analysed = int(again.stderr.decode().rsplit("annotate: ", 1)[1].split(" analysed")[0])
    assert analysed < 48  # what the killed run finished is not analysed again
    paths = [r["document"]["path"] for r in lines(out.read_bytes())]
    assert sorted(paths) == sorted(str(p) for p in folder.iterdir())  # each once


def test_an_output_of_another_run_keeps_only_this_runs_documents(story, tmp_path):
    out = tmp_path / "out.jsonl"
    first = annotate("analyze", str(story / "strike.txt"), str(story / "council.txt"), "-o", str(out))
    assert first.returncode == 0, first.stderr.decode()
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"schema": "annotate.analysis/1", "document": {"pa')  # a run killed mid-line
    (story / "council.txt").write_text("Council meets\n\nThe council met on Monday.\n", encoding="utf-8")
    second = annotate("analyze", str(story / "council.txt"), str(story / "denial.md"), "-o", str(out))
    assert second.returncode == 0, second.stderr.decode()
    rows = lines(out.read_bytes())
    assert sorted(os.path.basename(r["document"]["path"]) for r in rows) == ["council.txt", "denial.md"]
    council = next(r for r in rows if r["document"]["path"].endswith("council.txt"))
    assert council == analyze(load_input(str(story / "council.txt")))  # the new text, not the old row


def test_rows_already_in_the_output_are_not_analysed_again(story, tmp_path):
    from annotations.batch import ResumableOutput

    paths = [str(story / name) for name in ("strike.txt", "council.txt", "denial.md")]
    out = tmp_path / "out.jsonl"
    first = [r.result for r in analyse_many(paths[:2], use_cache=False)]
    out.write_text("".join(json.dumps(r) + "\n" for r in first) + '{"schema": "annot', encoding="utf-8")
    output = ResumableOutput(str(out))
    results = list(analyse_many(paths, use_cache=False, done=output.done))
    assert sorted(r.path for r in results if r.in_output) == sorted(paths[:2])  # not analysed again
    for result in results:
        if not result.in_output:
            output.write(result.result, json.dumps(result.result) + "\n")
    output.finish()
    rows = lines(out.read_bytes())  # the torn line is gone, each document once
    assert sorted(r["document"]["path"] for r in rows) == sorted(paths)


@pytest.mark.parametrize("tamper", ["a span's text", "claims not a list"])
def test_a_row_edited_in_the_output_is_analysed_again_and_replaced(story, tmp_path, tamper):
    from annotations.batch import ResumableOutput

    paths = [str(story / name) for name in ("strike.txt", "council.txt")]
    out = tmp_path / "out.jsonl"
    first = [r.result for r in analyse_many(paths, use_cache=False)]
    if tamper == "a span's text":
        first[0]["entities"][0]["text"] = "FORGED"
    else:
        first[0]["claims"] = "x"
    out.write_text("".join(json.dumps(r) + "\n" for r in first), encoding="utf-8")
    output = ResumableOutput(str(out))
    results = list(analyse_many(paths, use_cache=False, done=output.done))
    assert [r.path for r in results if r.in_output] == [paths[1]]  # only the sound row is kept
    for result in results:
        if not result.in_output:
            output.write(result.result, json.dumps(result.result) + "\n")
    output.finish()
    rows = lines(out.read_bytes())
    assert sorted(r["document"]["path"] for r in rows) == sorted(paths)
    for row in rows:  # every span quotes its document: the forged row is gone
        text = Path(row["document"]["path"]).read_text(encoding="utf-8")
        assert isinstance(row["claims"], list)
        assert all(text[e["start"]:e["end"]] == e["text"] for e in row["entities"])
