"""Quitting the reader while a long analysis runs ends the process at once.

The analysis runs in a thread the process waits for at exit, so quitting is prompt only
if the analysis sees the cancel between chunks and inside the document-wide rules. The
reader runs for real here, in a pseudo-terminal; ``q`` is pressed once the analysis shows
progress on a text that takes minutes to analyse.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

from annotations.analysis.run import SECTION_CHARS

pytestmark = pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")

PARAGRAPH = ('Mayor Helen Brooks said the budget was balanced. "We cut waste, not services," she said. '
             "Officials said the plan would save thousands of dollars, according to the council.")
QUIT_DEADLINE = 20.0  # seconds; the analysis of this text takes far longer (minutes)


def _read_until(master: int, pattern: re.Pattern, deadline: float) -> bytes:
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            if pattern.search(seen):
                return seen
    raise AssertionError(f"never saw {pattern.pattern!r}; last output: {seen[-500:]!r}")


def test_q_during_a_long_analysis_exits_promptly(tmp_path):
    article = tmp_path / "long.txt"
    paragraphs = [f"{PARAGRAPH} ({i})" for i in range(3 * SECTION_CHARS // len(PARAGRAPH))]
    article.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    env = dict(os.environ, TERM="xterm-256color", ANNOTATE_CACHE_DIR=str(tmp_path / "cache"),
               ANNOTATE_CONFIG_DIR=str(tmp_path / "config"), ANNOTATE_DB=str(tmp_path / "db.json"),
               ANNOTATE_PROCESSES="1")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen([sys.executable, "-c", "from tui.cli import main; main()", str(article)],
                               stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                               cwd=tmp_path)
    os.close(slave)
    try:
        # the status line shows a percentage once chunks are being analysed
        _read_until(master, re.compile(rb"Analysis: \d+%"), time.monotonic() + 180)
        os.write(master, b"q")
        pressed = time.monotonic()
        while process.poll() is None and time.monotonic() - pressed < QUIT_DEADLINE:
            select.select([master], [], [], 0.2)
            try:
                os.read(master, 65536)  # keep the terminal drained so the app never blocks writing
            except OSError:
                pass
        assert process.poll() is not None, f"still running {QUIT_DEADLINE} s after q"
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
