"""The reader's speed: first paint (of the seed, 1 MB and 20 MB articles), and cursor keys
on a 1 MB article.

How it is measured (all numbers against a baseline measured in the same run):

* **First paint** (``first paint: ...`` rows). Each command runs as a subprocess in a
  pseudo-terminal of 120x40 (``pty.openpty`` + ``TIOCSWINSZ``, ``TERM=xterm-256color``,
  a throw-away cache and config, and a database holding 10,000 annotations (1,000 with
  ``--quick``), as a regular user's does). The clock runs from spawning the process until
  the word "Donald" (in the first sentence of the seed) appears in what the program
  wrote to the terminal, escape sequences stripped. So it counts interpreter start,
  imports, reading the file and the first frame, exactly as a user waits for them (but
  not a terminal emulator's drawing, which is the same for all). Commands: a bare
  Textual app showing one ``Static`` with that sentence (the baseline), ``annotate FILE``
  (the real command, once ``tui/app.py`` exists) and an app holding only the
  ``ArticleView`` (to tell the view's share from the rest of the app's). Each round
  runs every command once, in a new random order; 15 rounds (3 with ``--quick``) after
  one warm-up run each. The value is each command's fastest run: start-up is fixed
  work, and on these shared virtual machines other load only ever adds to it, in
  bursts that make the whole machine 1.5-1.8x slower for seconds, so medians of two
  commands can fall in different modes (ratios then swung from 1.09x to 1.29x between
  identical runs). The medians are printed in the notes. Byte code: this environment sets
  ``PYTHONDONTWRITEBYTECODE``, which would make every run compile the project's
  sources (tens of ms that a user's install does not pay): the runs are started
  without it, after ``compileall`` wrote the project's byte code (``__pycache__``,
  ignored by git; Textual's own byte code came with its install).
* **Keys** (``down`` / ``pagedown`` rows). In-process with ``App.run_test`` (headless,
  120x40): after the view's background wrapping is done, each key is sent through the
  driver like a real key press, and ``App._display`` is wrapped to catch the frame the
  key produces (the frame is also turned into terminal bytes, as a real run does).
  ``CPU per key`` is the main thread's CPU time from sending the key to that frame, so
  it is the work the key costs, without idle waits; ``key->frame`` is the wall time,
  which also holds Textual's wait for its next screen update (up to 1/60 s). Baseline:
  the same keys in a bare app whose focused ``Static`` (showing the seed) updates on
  each key. Medians over the presses of one run; bare and real app runs alternate, 3
  rounds (1 with ``--quick``), and the lowest round's median is reported, for the same
  reason as above (all rounds in the notes).
* **Layers**: the time to set one entity layer for every capitalised word of the 1 MB
  article, and the CPU from changing the one-span ``focus`` layer (what choosing a
  panel item does) to the frame, evicting only the changed rows (the view's way)
  against clearing all cached strips and redrawing (a version bump).
* **Wrap**: wrapping the whole 1 MB at 118 columns in one go (the view does it in
  background slices after the first paint).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import random
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
from pathlib import Path
from time import perf_counter, thread_time

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "article.txt"
WORD = "Donald"
COLS, ROWS = 120, 40

_ANSI = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|_[^\x1b]*\x1b\\|[@-Z\\-_])"
)

BARE_APP = '''
from rich.text import Text
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static(Text("President Donald Trump has asked Russian President Vladimir Putin"))

Bare().run()
'''

VIEW_APP = '''
import sys
from textual.app import App
from tui.widgets.article_view import ArticleView

text = open(sys.argv[1], encoding="utf-8").read()

class ViewOnly(App):
    def compose(self):
        yield ArticleView(text)

ViewOnly().run()
'''

ANNOTATE = [sys.executable, "-c", "import sys; from tui.launch import main; sys.argv[0] = 'annotate'; main()"]


def make_article(path: Path, size: int = 1_000_000) -> Path:
    """The seed followed by paragraphs of its words, ``size`` characters or more."""
    seed = SEED.read_text(encoding="utf-8")
    words = seed.split()
    rng = random.Random(7)
    parts = [seed]
    total = len(seed)
    while total < size:
        paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(30, 160)))
        parts.append(paragraph)
        total += len(paragraph) + 1
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def make_short_lines(path: Path, size: int = 20_000_000) -> Path:
    """The seed followed by its words three to a line: a million lines in 20 MB."""
    seed = SEED.read_text(encoding="utf-8")
    words = seed.split()
    line_count = size // (len(seed) // len(words) * 3 + 1)
    rng = random.Random(7)
    lines = [" ".join(rng.choice(words) for _ in range(3)) for _ in range(line_count)]
    path.write_text(seed + "\n" + "\n".join(lines), encoding="utf-8")
    return path


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(COLS),
        LINES=str(ROWS),
        ANNOTATE_DB=str(tmp / "db.json"),
        ANNOTATE_CACHE_DIR=str(tmp / "cache"),
        ANNOTATE_CONFIG_DIR=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "xdg-data"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("TEXTUAL", None)
    return env


def _compile(env: dict[str, str]) -> None:
    """Compile the project's modules once, as installing it would (``__pycache__``
    folders, which git ignores)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "tui"), str(REPO / "annotations")],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


def first_paint(cmd: list[str], env: dict[str, str], word: str = WORD, timeout: float = 60.0) -> float | None:
    """Seconds from spawning ``cmd`` in a 120x40 pty until ``word`` is on its output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    started = perf_counter()
    process = subprocess.Popen(
        cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO, start_new_session=True, close_fds=True
    )
    os.close(slave)
    data = b""
    found = None
    try:
        while perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
                if word in _ANSI.sub("", data.decode("utf-8", "ignore")):
                    found = perf_counter() - started
                    break
            elif process.poll() is not None:
                break
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        os.close(master)
    return found


def _ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline:
        return None
    return value / baseline


def first_paint_rows(quick: bool, tmp: Path, big: Path) -> list[dict]:
    env = _env(tmp)
    _compile(env)
    # The store a regular user has: 10,000 annotations (1,000 with --quick), as
    # benchmarks/bench_store.py seeds it.
    from benchmarks.bench_store import make_documents, seed_store

    seed_store(Path(env["ANNOTATE_DB"]), make_documents(), 1_000 if quick else 10_000).close()
    bare = tmp / "bare_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    view = tmp / "view_app.py"
    view.write_text(VIEW_APP, encoding="utf-8")
    has_app = (REPO / "tui" / "app.py").exists()
    commands: dict[str, list[str]] = {"bare": [sys.executable, str(bare)]}
    if has_app:
        commands["annotate seed"] = [*ANNOTATE, str(SEED)]
        commands["annotate 1 MB"] = [*ANNOTATE, str(big)]
        # a 20 MB article must open as fast (against the bare app) as the 1 MB one; and
        # as many paragraphs as a million short lines (the view's per-line tables)
        commands["annotate 20 MB"] = [*ANNOTATE, str(make_article(tmp / "article-20mb.txt", 20_000_000))]
        if not quick:
            commands["annotate 20 MB, 1M short lines"] = [*ANNOTATE, str(make_short_lines(tmp / "lines-20mb.txt"))]
    if not quick or not has_app:
        commands["ArticleView only, seed"] = [sys.executable, str(view), str(SEED)]
        commands["ArticleView only, 1 MB"] = [sys.executable, str(view), str(big)]
    # Start-up times on a shared machine swing by tens of ms from one second to the next:
    # many runs, each round in a new random order (so no command always follows another),
    # and medians.
    repetitions = 3 if quick else 15
    for cmd in commands.values():  # warm the file cache and the .pyc files
        first_paint(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    failures: dict[str, int] = {name: 0 for name in commands}
    order = list(commands.items())
    shuffle = random.Random(11).shuffle
    for _ in range(repetitions):
        shuffle(order)
        for name, cmd in order:
            elapsed = first_paint(cmd, env)
            if elapsed is None:
                failures[name] += 1
            else:
                times[name].append(elapsed * 1000)
    baseline = min(times["bare"]) if times["bare"] else None
    bare_median = statistics.median(times["bare"]) if times["bare"] else None
    rows = []
    for name in commands:
        if name == "bare":
            continue
        value = min(times[name]) if times[name] else None
        ratio = _ratio(value, baseline)
        notes = []
        if times[name] and bare_median:
            median = statistics.median(times[name])
            notes.append(f"medians {median:.0f} / {bare_median:.0f} ms = {median / bare_median:.2f}x")
        if failures[name]:
            notes.append(f"{failures[name]} run(s) never showed {WORD!r}")
        note = "; ".join(notes) or None
        rows.append(
            {
                "name": f"first paint: {name}",
                "value": value,
                "baseline": baseline,
                "ratio": ratio,
                "unit": "ms",
                "target": "<= 1.2x bare",
                "ok": None if ratio is None else ratio <= 1.2,
                "note": note,
                "runs": len(times[name]),
            }
        )
    return rows


# ----- keys --------------------------------------------------------------------------------


def _bare_key_app():
    from rich.text import Text
    from textual.app import App
    from textual.widgets import Static

    seed = SEED.read_text(encoding="utf-8")

    class KeyStatic(Static, can_focus=True):
        BINDINGS = [("down", "bump"), ("pagedown", "bump")]
        presses = 0

        def action_bump(self) -> None:
            self.presses += 1
            self.update(Text(f"{self.presses} {seed}"))

    class BareKeys(App):
        def compose(self):
            yield KeyStatic(Text(seed))

        def on_mount(self) -> None:
            self.query_one(KeyStatic).focus()

    return BareKeys()


def _view_key_app(text: str):
    from textual.app import App

    from tui.widgets.article_view import ArticleView

    class ViewOnly(App):
        def compose(self):
            yield ArticleView(text)

        def on_mount(self) -> None:
            self.query_one(ArticleView).focus()

    return ViewOnly()


def _real_key_app(path: Path, tmp: Path):
    from annotations.document import load_document
    from annotations.store import open_store
    from tui.app import AnnotateApp

    store = open_store(tmp / "keys-db.json")
    return AnnotateApp(load_document(path), store, run_analysis=False)


async def _settle(app) -> None:
    try:
        from tui.widgets.article_view import ArticleView

        views = list(app.screen.query(ArticleView))
    except Exception:  # noqa: BLE001
        views = []
    deadline = perf_counter() + 30
    for view in views:
        while view._background_timer is not None and perf_counter() < deadline:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)


async def _key_costs(app, key: str, presses: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms) from sending ``key`` to the frame it causes."""
    from textual import events
    from textual._compositor import CompositorUpdate

    walls: list[float] = []
    cpus: list[float] = []
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await pilot.pause()
        await _settle(app)
        frame = asyncio.Event()
        stamp: list[tuple[float, float]] = []
        console = app.console

        def display(screen, renderable) -> None:
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(console)
            stamp.append((perf_counter(), thread_time()))
            frame.set()

        app._display = display  # type: ignore[method-assign]
        driver = app._driver
        for _ in range(presses):
            frame.clear()
            await asyncio.sleep(0.02)  # idle before each key
            frame.clear()
            wall, cpu = perf_counter(), thread_time()
            event = events.Key(key, None)
            event.set_sender(app)
            driver.send_message(event)
            try:
                await asyncio.wait_for(frame.wait(), 5)
            except asyncio.TimeoutError:
                continue
            walls.append((stamp[-1][0] - wall) * 1000)
            cpus.append((stamp[-1][1] - cpu) * 1000)
        app._display = type(app)._display.__get__(app)  # type: ignore[method-assign]
    if not walls:
        raise RuntimeError(f"no frame after {key!r}")
    return statistics.median(walls), statistics.median(cpus)


def key_rows(quick: bool, tmp: Path, big: Path) -> list[dict]:
    presses = 5 if quick else 40
    rounds = 1 if quick else 3
    text = big.read_text(encoding="utf-8")
    hosts: list[tuple[str, object]] = [("bare", _bare_key_app), ("ArticleView only", lambda: _view_key_app(text))]
    if (REPO / "tui" / "app.py").exists():
        hosts.insert(1, ("annotate", lambda: _real_key_app(big, tmp)))
        if quick:
            del hosts[2:]  # --quick: the real app only
    rows: list[dict] = []
    for key in ("down", "pagedown"):
        # Per host, one (wall, cpu) median per round; the rounds alternate the hosts.
        runs: dict[str, list[tuple[float, float]]] = {host: [] for host, _ in hosts}
        errors: dict[str, str] = {}
        for _ in range(rounds):
            for host, factory in hosts:
                if host in errors:
                    continue
                try:
                    runs[host].append(asyncio.run(_key_costs(factory(), key, presses)))
                except Exception as error:  # noqa: BLE001 - one host failing keeps the rest
                    errors[host] = f"{host}: {type(error).__name__}: {error}"
        if not runs["bare"]:
            raise RuntimeError(errors.get("bare", "the bare app gave no frame"))
        base_wall = min(wall for wall, _ in runs["bare"])
        base_cpu = min(cpu for _, cpu in runs["bare"])
        for host, _ in hosts[1:]:
            if not runs[host]:
                rows.append({"name": f"{key}: {host}, 1 MB", "value": None, "baseline": None, "ratio": None,
                             "unit": "ms", "target": "< 10 ms", "ok": False, "note": errors.get(host)})
                continue
            wall = min(w for w, _ in runs[host])
            cpu = min(c for _, c in runs[host])
            rounds_note = (
                "rounds " + ", ".join(f"{c:.1f}" for _, c in runs[host])
                + " ms vs bare " + ", ".join(f"{c:.1f}" for _, c in runs["bare"]) + " ms"
            ) if rounds > 1 else None
            rows.append(
                {
                    "name": f"{key}: CPU per key, {host}, 1 MB",
                    "value": cpu,
                    "baseline": base_cpu,
                    "ratio": _ratio(cpu, base_cpu),
                    "unit": "ms",
                    "target": "< 10 ms",
                    "ok": cpu < 10,
                    "note": rounds_note,
                }
            )
            rows.append(
                {
                    "name": f"{key}: key->frame, {host}, 1 MB",
                    "value": wall,
                    "baseline": base_wall,
                    "ratio": _ratio(wall, base_wall),
                    "unit": "ms",
                    "target": "info (holds the 1/60 s frame wait)",
                    "ok": None,
                }
            )
    return rows


async def _layer_costs(text: str, bump: bool, changes: int) -> tuple[float, float, float]:
    """(ms to set 5k+ entity spans, median CPU ms per focus-layer change to its frame,
    number of entity spans). ``bump`` clears every cached strip and redraws the whole
    view on each change, as a style-version bump would."""
    from textual._compositor import CompositorUpdate

    from tui.widgets.article_view import ArticleView

    app = _view_key_app(text)
    cpus: list[float] = []
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await pilot.pause()
        await _settle(app)
        view = app.query_one(ArticleView)
        spans = [(m.start(), m.end(), "entity", f"e{n}") for n, m in enumerate(re.finditer(r"[A-Z]\w+", text))]
        started = perf_counter()
        view.set_layer("entity", spans)
        set_ms = (perf_counter() - started) * 1000
        await pilot.pause()
        visible_end = text.index("\n", 2000)
        on_screen = [span for span in spans if span[1] < visible_end][:50]
        frame = asyncio.Event()
        stamp: list[float] = []
        console = app.console

        def display(screen, renderable) -> None:
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(console)
            stamp.append(thread_time())
            frame.set()

        app._display = display  # type: ignore[method-assign]
        for index in range(changes):
            await asyncio.sleep(0.02)
            frame.clear()
            span = on_screen[index % len(on_screen)]
            cpu = thread_time()
            view.set_layer("focus", [(span[0], span[1], "focus", span[3])])
            if bump:
                view._strip_cache.clear()
                view.refresh()
            try:
                await asyncio.wait_for(frame.wait(), 5)
            except asyncio.TimeoutError:
                continue
            cpus.append((stamp[-1] - cpu) * 1000)
    return set_ms, statistics.median(cpus), len(spans)


def layer_rows(quick: bool, big: Path) -> list[dict]:
    text = big.read_text(encoding="utf-8")
    changes = 8 if quick else 40
    set_ms, evict_cpu, count = asyncio.run(_layer_costs(text, False, changes))
    _set, bump_cpu, _count = asyncio.run(_layer_costs(text, True, changes))
    return [
        {
            "name": f"set_layer: {count:,} entity spans, 1 MB",
            "value": set_ms,
            "baseline": None,
            "ratio": None,
            "unit": "ms",
            "target": "info",
            "ok": None,
        },
        {
            "name": "focus change: CPU to frame (evict changed rows)",
            "value": evict_cpu,
            "baseline": bump_cpu,
            "ratio": _ratio(evict_cpu, bump_cpu),
            "unit": "ms",
            "target": "< 1x (baseline: version bump)",
            "ok": evict_cpu <= bump_cpu,
        },
    ]


def wrap_rows(big: Path) -> list[dict]:
    """Wrapping the whole 1 MB article at 118 columns (what the background job does)."""
    from tui.widgets.article_view import ArticleView

    text = big.read_text(encoding="utf-8")
    view = ArticleView(text)
    view._content_width = lambda: COLS - 2  # type: ignore[method-assign]
    started = perf_counter()
    view.wrap_all()
    elapsed = (perf_counter() - started) * 1000
    return [
        {
            "name": "wrap all of 1 MB (background, in slices)",
            "value": elapsed,
            "baseline": None,
            "ratio": None,
            "unit": "ms",
            "target": "info",
            "ok": None,
        }
    ]


def run(quick: bool) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="annotate-bench-") as folder:
        tmp = Path(folder)
        big = make_article(tmp / "article-1mb.txt")
        rows: list[dict] = []
        sections = (
            ("first paint", lambda: first_paint_rows(quick, tmp, big)),
            ("keys", lambda: key_rows(quick, tmp, big)),
            ("layers", lambda: layer_rows(quick, big)),
            ("wrap", lambda: wrap_rows(big)),
        )
        for name, section in sections:
            try:
                rows += section()
            except Exception as error:  # noqa: BLE001 - one section failing keeps the others
                rows.append(
                    {
                        "name": f"{name}: not measured",
                        "value": None,
                        "baseline": None,
                        "ratio": None,
                        "unit": "ms",
                        "target": "-",
                        "ok": False,
                        "note": f"{type(error).__name__}: {error}",
                    }
                )
    return rows


if __name__ == "__main__":
    from benchmarks.run import print_table

    print_table(run("--quick" in sys.argv))
