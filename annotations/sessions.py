"""Which running store made a change: the owner of an undo entry (issue 12, point 2).

A session is one open ``Store``: ``"<pid>:<process start>:<random>"``. It is alive while
that store is open in this process, or while its process runs (the start time tells a
reused pid from the old process where the system exposes it). Entries of sessions that
are no longer alive belong to whoever runs next: after a restart your history is yours.
"""

from __future__ import annotations

import os
from typing import Any, Callable

_open_here: set[str] = set()
_ended: set[str] = set()  # sessions seen ended: an ended session never runs again


def _process_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux); "" where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return ""
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else ""


def start() -> str:
    session = f"{os.getpid()}:{_process_start(os.getpid())}:{os.urandom(6).hex()}"
    _open_here.add(session)
    return session


def end(session: str) -> None:
    _open_here.discard(session)
    _ended.add(session)


def alive(session: Any) -> bool:
    if not isinstance(session, str) or session.count(":") != 2:
        return False  # an entry from before sessions, or a damaged one: nobody's
    if session in _ended:
        return False
    if _running(session):
        return True
    if len(_ended) < 100_000:
        _ended.add(session)
    return False


def _running(session: str) -> bool:
    pid_text, started, _random = session.split(":")
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return session in _open_here
    try:
        os.kill(pid, 0)
    except PermissionError:
        pass  # it runs, under another user
    except (OverflowError, OSError):
        return False
    if not started:
        return True
    current = _process_start(pid)  # a pid can be reused: compare the start time
    return not current or current == started


def owns(mine: str, session: Any) -> bool:
    """May the instance ``mine`` undo an entry made by ``session``?"""
    return session == mine or not alive(session)


def owner(mine: str) -> Callable[[Any], bool]:
    """``owns`` for one operation: each other session is looked up once (a document's
    history can hold thousands of entries from a few sessions)."""
    known: dict[Any, bool] = {}

    def check(session: Any) -> bool:
        if session == mine:
            return True
        key = session if isinstance(session, str) else None
        if key not in known:
            known[key] = not alive(session)
        return known[key]

    return check
