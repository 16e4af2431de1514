"""How fast the reader answers a key that opens something, measured as a user sees it.

    python -m benchmarks.run --only keys

Each app runs in its own tmux session (a real terminal emulator, 120x40,
``TERM=xterm-256color``, a throw-away database, cache and config; the seed's analysis is
cached first, as on any second opening). For each key the clock runs from ``tmux
send-keys`` until ``tmux capture-pane`` shows what the key opens (polled every few ms),
then ``escape`` closes it and the screen is let settle. The reference, in the same run
and measured the same way, is a bare Textual app whose ``?`` pushes a one-line
``ModalScreen``: it holds what no app can avoid (tmux, the polling, Textual's frame).
Rounds alternate the two apps; the value is the median of every press (9 per key, 4 per
tab key; 2 and 1 with ``--quick``); the targets are the issue's: help <= 0.3 s, a side-panel tab <= 0.1 s
(the tab's content and its underline both in place), the note editor, the label picker
and the export dialog <= 0.15 s.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_view import ANNOTATE, COLS, REPO, ROWS, SEED, _compile, _env

SOCKET = "annotate-bench-keys"
POLL_SECONDS = 0.004
TIMEOUT = 20.0

BARE_MODAL = '''
from rich.text import Text
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Static


class Modal(ModalScreen):
    BINDINGS = [("escape", "app.pop_screen")]

    def compose(self):
        yield Static(Text("bare modal open"))


class Bare(App):
    BINDINGS = [("question_mark", "open")]

    def compose(self):
        yield Static(Text("bare app ready"))

    def action_open(self):
        self.push_screen(Modal())


Bare().run()
'''

# (row name, key, what shows once it is open, target in seconds); ``w`` first selects the
# word under the cursor (untimed), which ``n`` and ``t`` act on.
OPENERS = [
    ("? help", "?", "annotate: keys", 0.3),
    ("n note editor", "n", "ctrl+s save", 0.15),
    ("t label picker", "t", "type to filter labels", 0.15),
    ("e export dialog", "e", "Export annotations", 0.15),
]
SELECT_FIRST = {"n", "t"}
TABS = [("C", "Claims"), ("R", "Reliability"), ("M", "My annotations"), ("E", "Entities")]
TAB_TARGET = 0.1


def tmux(*args: str, check: bool = True) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if check and done.returncode:
        raise RuntimeError(f"tmux {args[0]}: {done.stderr.strip()}")
    return done.stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", "bench")


def wait_for(condition, timeout: float = TIMEOUT) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if condition(screen()):
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    return None


def press(key: str, condition) -> float | None:
    """Seconds from sending ``key`` until ``condition(screen text)`` holds."""
    started = time.perf_counter()
    tmux("send-keys", "-t", "bench", key)
    while time.perf_counter() - started < TIMEOUT:
        if condition(screen()):
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    return None


def settle() -> None:
    time.sleep(0.4)


def start(command: list[str], env: dict[str, str], ready) -> None:
    tmux("kill-server", check=False)
    environment = [f"{key}={value}" for key, value in env.items()
                   if key.startswith(("ANNOTATE_", "XDG_", "PYTHON", "TERM")) or key == "PATH"]
    for attempt in range(10):  # the server killed just before may still be going away
        try:
            tmux("new-session", "-d", "-s", "bench", "-x", str(COLS), "-y", str(ROWS), "env", *environment, *command)
            break
        except RuntimeError:
            if attempt == 9:
                raise
            time.sleep(0.3)
    if wait_for(ready, 60) is None:
        raise RuntimeError(f"never ready: {' '.join(command)}:\n{screen()}")
    settle()


def tab_shown(label: str):
    """The tab ``label`` is active: its title has the underline's highlight right below
    (Textual draws the highlight between a ╸ and a ╺, or from the row's start)."""

    def shown(text: str) -> bool:
        lines = text.splitlines()
        for row, line in enumerate(lines[:-1]):
            if "Entities" in line and "My annotations" in line:
                begin = line.index(label)
                end = begin + len(label)
                under = lines[row + 1]
                right = under.find("╺", begin)
                left = under.rfind("╸", 0, begin + 1)
                before_left = under.rfind("╺", 0, begin)
                return end <= right <= end + 2 and (left >= begin - 2 or (left < 0 and before_left < 0))
        return False

    return shown


def measure_bare(rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        elapsed = press("?", lambda text: "bare modal open" in text)
        if elapsed is not None:
            times.append(elapsed)
        tmux("send-keys", "-t", "bench", "Escape")
        wait_for(lambda text: "bare modal open" not in text)
        settle()
    return times


def measure_annotate(rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name, *_ in OPENERS}
    times["panel tab"] = []
    for _ in range(rounds):
        for name, key, marker, _target in OPENERS:
            if key in SELECT_FIRST:
                tmux("send-keys", "-t", "bench", "w")
                settle()
            elapsed = press(key, lambda text, marker=marker: marker in text)
            if elapsed is not None:
                times[name].append(elapsed)
            tmux("send-keys", "-t", "bench", "Escape")
            wait_for(lambda text, marker=marker: marker not in text)
            settle()
        for key, label in TABS:
            if tab_shown(label)(screen()):  # already shown: nothing to time
                continue
            elapsed = press(key, tab_shown(label))
            if elapsed is not None:
                times["panel tab"].append(elapsed)
            settle()
    return times


def run(quick: bool) -> list[dict]:
    if shutil.which("tmux") is None:
        return [{"name": "keys: not measured", "value": None, "baseline": None, "ratio": None, "unit": "ms",
                 "target": "-", "ok": None, "note": "tmux is not installed"}]
    rounds, per_round = (2, 1) if quick else (3, 3)
    with tempfile.TemporaryDirectory(prefix="annotate-bench-keys-") as folder:
        tmp = Path(folder)
        env = _env(tmp)
        _compile(env)
        # The seed's analysis in the cache: the reader opens as on any second reading.
        subprocess.run([*ANNOTATE, "analyze", str(SEED)],
                       env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        bare_script = tmp / "bare_modal.py"
        bare_script.write_text(BARE_MODAL, encoding="utf-8")
        bare: list[float] = []
        real: dict[str, list[float]] = {}
        try:
            for _ in range(rounds):  # rounds alternate the apps
                start([sys.executable, str(bare_script)], env, lambda text: "bare app ready" in text)
                bare += measure_bare(per_round * 2)
                start([*ANNOTATE, str(SEED)], env, lambda text: "(cached)" in text)
                tmux("send-keys", "-t", "bench", "Right")  # off the empty first line, onto a word
                settle()
                for name, values in measure_annotate(per_round).items():
                    real.setdefault(name, []).extend(values)
        finally:
            tmux("kill-server", check=False)
    baseline = statistics.median(bare) * 1000 if bare else None
    rows = []
    targets = {name: target for name, _key, _marker, target in OPENERS}
    targets["panel tab"] = TAB_TARGET
    for name, values in real.items():
        value = statistics.median(values) * 1000 if values else None
        target = targets[name] * 1000
        rows.append({
            "name": f"key: {name}",
            "value": value,
            "baseline": baseline,
            "ratio": None if value is None or not baseline else value / baseline,
            "unit": "ms",
            "target": f"<= {target:.0f} ms",
            "ok": None if value is None else value <= target,
            "note": f"{len(values)} presses, max {max(values) * 1000:.0f} ms" if values else "never opened",
        })
    return rows


if __name__ == "__main__":
    from benchmarks.run import print_table

    print_table(run("--quick" in sys.argv))
