"""Benchmark: the library screen with 10,000 articles against the same screen with 10.

Headless (``App.run_test``), tiny text files written for the run. Measured on each side:

* open: from building the app (its entries) to the first row drawn (entries are read by
  a worker afterwards, so this must not grow much with the number of articles);
* key: one ``down`` in the list, pressed and painted (median of 40);
* filter: typing one letter of the filter (re-filter and re-sort of every entry), median;
* all read: until the worker has read every file (10k only; no target, said for scale).

Target: 10,000 articles at most 1.5x the 10-article time for open, key and filter letter
(filtering and sorting are O(n) in plain Python over small entries; painting is per row
on screen). Pilot's own press-and-pause cost is in both sides.

    python benchmarks/bench_library.py [--quick]   # quick: 2,000 articles
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def write_articles(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{n:05d}.txt"
        path.write_text(f"Story number {n} from the wire\n\nBody of story {n}.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


async def measure(paths: list[str], db: Path) -> dict:
    from annotations.store import open_store
    from tui.app import AnnotateApp

    from tui.screens.library import LibraryTable

    store = open_store(db)
    out = {}
    painted: list[float] = []
    render_line = LibraryTable.render_line

    def timed_render_line(self, y):  # the first row drawn is the moment the list is on screen
        if not painted:
            painted.append(time.perf_counter())
        return render_line(self, y)

    LibraryTable.render_line = timed_render_line
    start = time.perf_counter()
    app = AnnotateApp(None, store, run_analysis=False, paths=paths)
    try:
        async with app.run_test(size=(130, 40)) as pilot:
            while not painted:
                await asyncio.sleep(0.001)
            out["open"] = painted[0] - start
            await run_keys(pilot, out, start)
    finally:
        LibraryTable.render_line = render_line
    store.close()
    return out


async def run_keys(pilot, out: dict, start: float) -> None:
    keys = []
    for _ in range(40):
        t = time.perf_counter()
        await pilot.press("down")
        await pilot.pause()
        keys.append(time.perf_counter() - t)
    out["key"] = statistics.median(keys)
    await pilot.app.workers.wait_for_complete()
    out["all_read"] = time.perf_counter() - start
    await pilot.press("slash")
    letters = []
    for letter in "story 12":
        t = time.perf_counter()
        await pilot.press(letter if letter != " " else "space")
        await pilot.pause()
        letters.append(time.perf_counter() - t)
    out["filter"] = statistics.median(letters)


def run(quick: bool) -> list[dict]:
    many = 2000 if quick else 10_000
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        small = asyncio.run(measure(write_articles(base / "small", 10), base / "small.json"))
        large = asyncio.run(measure(write_articles(base / "large", many), base / "large.json"))
    rows = []
    for key, label in (("open", "open, first rows painted"), ("key", "down key, painted"),
                       ("filter", "one filter letter, painted")):
        ratio = large[key] / small[key]
        rows.append({"name": f"library {many} vs 10 articles: {label}", "value": round(large[key] * 1000, 1),
                     "baseline": round(small[key] * 1000, 1), "ratio": round(ratio, 2), "unit": "ms",
                     "target": "<= 1.5", "ok": ratio <= 1.5})
    rows.append({"name": f"library {many} articles: every file read by the worker, keys pressed meanwhile", "value": round(large["all_read"], 2),
                 "baseline": round(small["all_read"], 2), "ratio": None, "unit": "s", "target": "-", "ok": None})
    return rows


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
