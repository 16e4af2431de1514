"""Benchmark: ``annotate analyze --cluster local:2`` (Dask, two single-thread worker
processes) against ``--jobs 2`` (spaCy's ``nlp.pipe(n_process=2)``), side by side in the
same run.

* articles: news-sized (~3,500 characters, ``bench_batch.build_articles``), new ones for
  every round, written to files that both sides read from disk; both write the cache and
  the JSON lines, as the command does;
* the cluster is started and its workers have loaded the pipeline before the clock starts
  (a long run pays that once); the local batch's pipeline is built once too, and its
  worker processes are forked from it in every round, as the command does;
* interleaved rounds (jobs, cluster, cluster, jobs, ...), so a busy machine slows both
  alike; throughput is documents per second over all rounds: the ratio is what the
  scheduler, the transfer of texts and results, and the batches' tail cost;
* CPU per article: this process (client, and here also the scheduler and the nannies) plus
  the workers (their CPU times read from /proc through psutil), against this process plus
  the reaped ``n_process`` workers for ``--jobs``;
* client RSS: sampled while the cluster rounds run; growth is the RSS at the end of the
  last cluster round minus at the end of the first (flat: results are released as they
  arrive).

Target: cluster throughput >= 0.85x ``--jobs 2``; client RSS growth small.

    python -m benchmarks.run --only cluster          # 1,000 articles a side, in 4 rounds each
    python -m benchmarks.run --only cluster --quick  # 48 a side, 2 rounds
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_batch import build_articles, cpu_seconds, rss_mb  # noqa: E402

TARGET_RATIO = 0.85
WORKERS = 2


def write_round(folder: Path, count: int, seed: int) -> list[str]:
    folder.mkdir()
    paths = []
    for index, text in enumerate(build_articles(count, seed=seed)):
        path = folder / f"a{index:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def run(quick: bool) -> list[dict]:
    import psutil
    from distributed import Client, LocalCluster

    from annotations.analysis.runner import build_batch_nlp
    from annotations.analysis_cache import AnalysisCache
    from annotations.batch import analyse_many
    from annotations.cluster import analyse_on_cluster

    total = 48 if quick else 1000
    rounds = 2 if quick else 4
    per_round = total // rounds
    nlp = build_batch_nlp()
    times = {"jobs": 0.0, "cluster": 0.0}
    cpu = {"jobs": 0.0, "cluster": 0.0}
    docs = {"jobs": 0, "cluster": 0}
    client_rss: list[float] = []
    round_rss: list[float] = []
    with tempfile.TemporaryDirectory() as folder, \
            LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
            Client(cluster, set_as_default=False) as client:
        base = Path(folder)
        cache = AnalysisCache(base / "cache")
        out = open(base / "out.jsonl", "w", encoding="utf-8")
        warm = write_round(base / "warm", 4, seed=10_000)
        for _ in analyse_on_cluster(client, warm, use_cache=False, batch_docs=1):
            pass  # every worker has loaded the pipeline
        workers = [psutil.Process(pid) for pid in client.run(lambda: __import__("os").getpid()).values()]

        def worker_cpu() -> float:
            return sum(sum(p.cpu_times()[:2]) for p in workers)

        def jobs_round(paths: list[str]) -> None:
            start, used = time.perf_counter(), cpu_seconds()
            for item in analyse_many(paths, jobs=WORKERS, cache=cache, nlp=nlp):
                out.write(json.dumps(item.result, ensure_ascii=False) + "\n")
            times["jobs"] += time.perf_counter() - start
            cpu["jobs"] += cpu_seconds() - used
            docs["jobs"] += len(paths)

        def cluster_round(paths: list[str]) -> None:
            samples = 0

            def progress(stats) -> None:
                nonlocal samples
                samples += 1
                if samples % 25 == 0:
                    client_rss.append(rss_mb())

            start, used, used_there = time.perf_counter(), cpu_seconds(), worker_cpu()
            for item in analyse_on_cluster(client, paths, cache=cache, progress=progress):
                out.write(json.dumps(item.result, ensure_ascii=False) + "\n")
            times["cluster"] += time.perf_counter() - start
            cpu["cluster"] += cpu_seconds() - used + worker_cpu() - used_there
            docs["cluster"] += len(paths)
            round_rss.append(rss_mb())

        for number in range(rounds):
            local = write_round(base / f"jobs{number}", per_round, seed=2 * number)
            remote = write_round(base / f"cluster{number}", per_round, seed=2 * number + 1)
            if number % 2 == 0:
                jobs_round(local)
                cluster_round(remote)
            else:
                cluster_round(remote)
                jobs_round(local)
        out.close()
    ours = docs["cluster"] / times["cluster"]
    local_rate = docs["jobs"] / times["jobs"]
    ratio = ours / local_rate
    growth = round_rss[-1] - round_rss[0]
    per_doc = {side: cpu[side] / docs[side] for side in cpu}
    return [
        {"name": f"cluster local:{WORKERS} (1 thread each), {docs['cluster']} articles (docs/s)",
         "value": round(ours, 2), "baseline": round(local_rate, 2), "ratio": round(ratio, 3), "unit": "doc/s",
         "target": f">= {TARGET_RATIO}", "ok": ratio >= TARGET_RATIO,
         "note": f"baseline: --jobs {WORKERS} (nlp.pipe n_process={WORKERS}) over {docs['jobs']} other articles"},
        {"name": "CPU per article, client + scheduler + workers (cluster vs --jobs)",
         "value": round(per_doc["cluster"], 3), "baseline": round(per_doc["jobs"], 3),
         "ratio": round(per_doc["cluster"] / per_doc["jobs"], 3), "unit": "s", "target": "-", "ok": None},
        {"name": f"cluster client RSS growth, round 1 -> {rounds} ({per_round} docs a round)",
         "value": round(growth, 1), "baseline": round(round_rss[0], 1), "ratio": None, "unit": "MB",
         "target": "< 50 MB (flat)", "ok": growth < 50,
         "note": "client RSS after each cluster round: " + ", ".join(f"{m:.0f}" for m in round_rss)
                 + (f"; max sampled during the rounds {max(client_rss):.0f} MB" if client_rss else "")},
    ]


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
