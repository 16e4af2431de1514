"""``annotate analyze --cluster``: a real Dask scheduler and two worker processes on 127.0.0.1.

One ``LocalCluster`` serves the module (starting one costs seconds); every test talks to
it through its tcp address, as a user's client talks to a remote scheduler.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from distributed import Client, LocalCluster

from annotations.analysis import analyze, pipeline_identity
from annotations.batch import analyse_many
from annotations.cluster import analyse_on_cluster
from annotations.inputs import load_input
from annotations.jsonout import dumps
from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[2]
PEOPLE = ["Maria Okafor", "Paul Brennan", "Lena Ortiz", "Tom Reyes", "Ana Lopez", "Ibrahim Sato"]
BODIES = ["the port authority", "the city council", "the dock workers' union", "the transport ministry"]
CLAIMS = ["Fares rose by {n} percent", "The bridge has been closed for {n} days", "{n} ships are waiting",
          "Nothing was decided"]


def write_articles(folder: Path, count: int) -> list[str]:
    """``count`` small varied articles (speakers, quotes, numbers, denials), made up here."""
    folder.mkdir()
    paths = []
    for n in range(count):
        person, body = PEOPLE[n % len(PEOPLE)], BODIES[n % len(BODIES)]
        claim = CLAIMS[n % len(CLAIMS)].format(n=n + 2)
        text = (f"Story {n}: {body} under pressure\n\n"
                f"\"{claim},\" said {person}, a spokesperson for {body}.\n\n"
                + ("Officials denied the report on Friday.\n" if n % 3 == 0 else
                   f"According to {body}, the figures are provisional.\n"))
        path = folder / f"a{n:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def without_path(result: dict) -> str:
    return dumps({**result, "document": {**result["document"], "path": ""}})


def annotate(*args, env=None, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "tui.cli", *args], cwd=REPO, env=env or dict(os.environ),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def finish(process, timeout=240):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out.decode(), err.decode()


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The tcp address of a scheduler with two single-thread worker processes."""
    home = tmp_path_factory.mktemp("workers")
    with pytest.MonkeyPatch.context() as patch:  # the workers inherit these, never the user's folders
        patch.setenv("ANNOTATE_CONFIG_DIR", str(home / "config"))
        patch.setenv("ANNOTATE_CACHE_DIR", str(home / "cache"))
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=50)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Two hundred generated articles and the local batch's output lines for them."""
    paths = write_articles(tmp_path_factory.mktemp("corpus") / "articles", 200)
    local = {r.path: dumps(r.result) for r in analyse_many(paths, use_cache=False)}
    assert len(local) == 200
    return paths, local


def test_the_cluster_writes_what_the_local_batch_and_analyze_file_write(scheduler, corpus, tmp_path):
    paths, local = corpus
    folder = os.path.dirname(paths[0])
    out = tmp_path / "out.jsonl"
    code, _, err = finish(annotate("analyze", folder, "--cluster", scheduler, "-o", str(out)))
    assert code == 0, err
    written = {r["document"]["path"]: dumps(r) for r in rows(out)}
    assert written == local  # byte for byte, line by line
    for path in paths[::25]:  # and as `annotate analyze FILE` (the one-document path) writes it
        assert without_path(json.loads(written[path])) == without_path(analyze(load_input(path), use_cache=False))
    # every result is in this client's cache: a second run sends nothing
    again = tmp_path / "again.jsonl"
    code, _, err = finish(annotate("analyze", folder, "--cluster", scheduler, "-o", str(again)))
    assert code == 0 and "0 analysed, 200 from the cache" in err, err
    assert {r["document"]["path"]: dumps(r) for r in rows(again)} == local


def test_the_devset_gives_the_same_json_on_the_cluster_as_alone(scheduler):
    folder = shared_path("devset")
    paths = sorted(str(p) for p in folder.glob("*.txt"))  # the HTML pages are their extracted text
    with Client(scheduler, set_as_default=False) as client:
        results = list(analyse_on_cluster(client, paths, use_cache=False))
    assert sorted(r.path for r in results) == paths and all(r.ok for r in results)
    for result in results:
        alone = analyze(load_input(result.path), use_cache=False)
        assert dumps(result.result) == dumps(alone), result.path


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(scheduler, corpus):
    paths, local = corpus
    paths = paths[:60]
    seen = []
    with Client(scheduler, set_as_default=False) as client:
        pids = client.run(os.getpid)
        for result in analyse_on_cluster(client, paths, use_cache=False, batch_docs=4, in_flight=4):
            seen.append(result)
            if len(seen) == 1:
                os.kill(next(iter(pids.values())), signal.SIGKILL)  # its tasks run again elsewhere
        assert client.run(os.getpid) != pids  # one worker really was replaced
    assert sorted(r.path for r in seen) == sorted(paths)  # each once
    assert all(r.ok for r in seen)
    assert {r.path: dumps(r.result) for r in seen} == {p: local[p] for p in paths}


def test_local_workers_die_with_a_killed_client_and_a_rerun_resumes(scheduler, corpus, tmp_path):
    paths, local = corpus
    folder = os.path.dirname(paths[0])
    out = tmp_path / "out.jsonl"
    cache = Path(os.environ["ANNOTATE_CACHE_DIR"])
    client = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "analyze", folder, "--cluster", "local:1", "-o", str(out)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while not (cache.exists() and any(cache.rglob("*.json"))) and client.poll() is None:
        assert time.monotonic() < deadline, "no result from local:1"
        time.sleep(0.2)
    children = psutil.Process(client.pid).children(recursive=True)
    assert children, "local:1 started no worker process"
    client.kill()
    client.wait()
    _, alive = psutil.wait_procs(children, timeout=15)
    for left in alive:  # (a failing run must not leave them to the next tests)
        left.kill()
    assert not alive, f"left behind: {[p.pid for p in alive]}"
    code, _, err = finish(annotate("analyze", folder, "--cluster", scheduler, "-o", str(out)))
    assert code == 0, err
    analysed = int(err.rsplit("annotate: ", 1)[1].split(" analysed")[0])
    assert analysed < 200  # what the killed run finished is not sent again
    written = rows(out)
    assert len(written) == 200
    assert {r["document"]["path"]: dumps(r) for r in written} == local


def test_a_bad_file_is_named_and_the_run_exits_2_at_the_end(scheduler, story, tmp_path):
    (story / "broken.txt").write_bytes(b"abc\x00def")
    out = tmp_path / "out.jsonl"
    code, _, err = finish(annotate("analyze", str(story), str(tmp_path / "missing.txt"), "--cluster", scheduler,
                                   "-o", str(out)))
    assert code == 2, err
    assert "broken.txt: binary" in err and "missing.txt: no such file" in err and "Traceback" not in err
    assert sorted(os.path.basename(r["document"]["path"]) for r in rows(out)) == [
        "council.txt", "denial.md", "page.html", "strike.txt"]


def test_a_worker_with_another_pipeline_is_refused(scheduler, story, tmp_path, isolated_user_folders):
    config = isolated_user_folders / "config"
    config.mkdir(exist_ok=True)
    (config / "sources.jsonl").write_text("{}\n", encoding="utf-8")  # this client's results would differ
    out = tmp_path / "out.jsonl"
    code, _, err = finish(annotate("analyze", str(story), "--cluster", scheduler, "-o", str(out)))
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and "refusing to mix" in err, err
    assert not out.exists() or out.read_text() == ""
    # and a worker asked with another identity analyses nothing
    from annotations.analysis.runner import analyse_batch

    assert analyse_batch([(0, "text")], {**pipeline_identity(), "model_version": "0"})["results"] is None


def test_an_unreachable_scheduler_is_one_line_and_exit_1(story):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    started = time.monotonic()
    code, out, err = finish(annotate("analyze", str(story), "--cluster", f"tcp://127.0.0.1:{port}"), timeout=60)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err, err
    assert time.monotonic() - started < 30


def test_without_dask_the_command_says_what_to_install(story):
    run = ("import sys; sys.modules['distributed'] = None; sys.argv = ['annotate'] + sys.argv[1:];"
           "from tui.launch import main; main()")
    result = subprocess.run([sys.executable, "-c", run, "analyze", str(story), "--cluster", "local:1"],
                            cwd=REPO, capture_output=True, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 1 and "pip install 'annotate[cluster]'" in err and err.count("\n") == 1, err


@pytest.mark.parametrize("spec", ["local:0", "local:two", "127.0.0.1:8786", "foo://x"])
def test_a_cluster_that_is_not_an_address_is_bad_usage(spec, story):
    code, _, err = finish(annotate("analyze", str(story), "--cluster", spec), timeout=60)
    assert code == 2 and f"--cluster {spec}" in err


def test_the_client_side_loads_neither_spacy_nor_dask_until_a_cluster_is_asked_for():
    from tests.unit.test_import_contract import loaded

    assert loaded(["annotations.cluster", "annotations.analysis.runner", "tui.batch_cli"],
                  forbidden=("spacy", "distributed", "dask", "textual", "rich")) == ""
