"""Atomic file writes: a reader sees the old file or the new one, never a torn one."""

from __future__ import annotations

import contextlib
import os
import tempfile


def write_atomically(path: str | os.PathLike, data: bytes | str, fsync: bool = True) -> None:
    """Write ``data`` (str is written as UTF-8) to ``path`` through a temp file in the same
    folder and ``os.replace``. Raises OSError; the target is untouched on failure."""
    path = os.fspath(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp_name = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            # mkstemp makes 0600: keep an existing file's mode, give a new one 0644
            os.chmod(temp_name, os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
