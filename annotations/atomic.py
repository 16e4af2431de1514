"""The one writer of every output file: exports, ``analyze -o``, ``--out-dir``, caches.

* a regular file (or a new one) is replaced atomically: a temp file in the same folder,
  fsynced, then ``os.replace``; a reader sees the old file or the new one, never a torn
  one. The file keeps its mode (and owner, where allowed);
* a symlink is resolved and its target replaced: the link stays a link;
* a FIFO or a character device (a terminal, ``/dev/null``) is written through, opened
  with ``O_NONBLOCK`` so that a FIFO nobody reads is refused at once (``ENXIO``) instead
  of hanging; it is never replaced by a rename;
* anything else (a folder, a socket, a block device) is refused;
* ``protected``: files this output must never be (the database, its lock and backups,
  the command's inputs); compared by resolved path and by (st_dev, st_ino), so a symlink
  or a hard link to one of them is refused too.

Refusals raise :class:`OutputError` (an OSError: exit 2 on the command line); failures
of the environment (disk full, folder missing) raise the OSError itself (exit 1).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from typing import IO, Iterable, Iterator, Sequence

Protected = Sequence[tuple[str, "str | os.PathLike"]]  # (what it is, path)

KIND_NAMES = {
    stat.S_IFDIR: "a folder",
    stat.S_IFSOCK: "a socket",
    stat.S_IFBLK: "a block device",
}


class OutputError(OSError):
    """An output target annotate refuses to write; the message names it and why."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, os.fspath(path))
        self.path = os.fspath(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def identity(path: str | os.PathLike) -> tuple[str, tuple[int, int] | None]:
    """(resolved path, (st_dev, st_ino) or None when nothing is there)."""
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError:
        return real, None
    return real, (st.st_dev, st.st_ino)


def check_target(path: str | os.PathLike, protected: Protected = ()) -> os.stat_result | None:
    """Refuse (OutputError) a target that is one of ``protected`` or that cannot be written
    in place of a file; the target's stat (after symlinks), None when it does not exist yet."""
    real, ident = identity(path)
    for what, other in protected:
        other_real, other_ident = identity(other)
        if real == other_real or (ident is not None and ident == other_ident):
            raise OutputError(path, f"refusing to write over {what}; choose another output")
    try:
        st = os.stat(real)
    except OSError:  # nothing there (or no way there): the write itself will say why
        return None
    kind = stat.S_IFMT(st.st_mode)
    if kind in KIND_NAMES:
        raise OutputError(path, f"is {KIND_NAMES[kind]}, not a file to write")
    return st


def write_atomically(
    path: str | os.PathLike, data: bytes | str | Iterable[bytes], fsync: bool = True, protected: Protected = ()
) -> None:
    """Write ``data`` (str as UTF-8; or byte pieces) to ``path`` as described above.
    Raises OutputError for a refused target, OSError otherwise; the target is untouched
    on failure (a stream may have received part of it)."""
    with open_output(path, fsync=fsync, protected=protected) as handle:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if isinstance(data, (bytes, bytearray, memoryview)):
            handle.write(data)
        else:
            for piece in data:
                handle.write(piece)


@contextlib.contextmanager
def open_output(path: str | os.PathLike, fsync: bool = True, protected: Protected = ()) -> Iterator[IO[bytes]]:
    """A binary handle to write an output through (see the module doc). A regular file
    appears when the block ends without an exception; on one it is left as it was."""
    path = os.fspath(path)
    st = check_target(path, protected)
    real = os.path.realpath(path)
    if st is not None and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
        with open_stream(path, real) as stream:
            yield stream
        return
    folder = os.path.dirname(real)
    fd, temp_name = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        keep_mode(temp_name, st)
        os.replace(temp_name, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    if fsync:
        fsync_folder(folder)


class TextOutput:
    """A text file written through :func:`open_output` bit by bit (``analyze -o``): the
    target is checked at once; ``close`` publishes what was written."""

    def __init__(self, path: str | os.PathLike, protected: Protected = (), fsync: bool = False) -> None:
        self._context = open_output(path, fsync=fsync, protected=protected)
        self._text = io.TextIOWrapper(self._context.__enter__(), encoding="utf-8")

    def write(self, text: str) -> int:
        return self._text.write(text)

    def flush(self) -> None:
        self._text.flush()

    def close(self) -> None:
        if self._context is None:
            return
        context, self._context = self._context, None
        try:
            self._text.detach()  # flushes; the handle is open_output's to finish
        except BaseException as error:
            if not context.__exit__(type(error), error, error.__traceback__):
                raise
            return
        context.__exit__(None, None, None)


def open_stream(path: str, real: str) -> IO[bytes]:
    """A FIFO or character device opened for writing."""
    try:
        fd = os.open(real, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise OutputError(path, "is a FIFO that nothing reads; start its reader first") from None
        raise
    st = os.fstat(fd)
    if not (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):  # swapped since it was checked
        os.close(fd)
        raise OutputError(path, "changed while it was being opened; nothing was written")
    import fcntl  # POSIX only, as FIFOs are

    # O_NONBLOCK was for the open only: writes wait for a slow reader rather than fail
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    return os.fdopen(fd, "wb")


def keep_mode(temp_name: str, st: os.stat_result | None) -> None:
    """mkstemp makes 0600: give the replacement the old file's mode (and owner, when
    allowed: root), or 0644 for a new file."""
    with contextlib.suppress(OSError):
        os.chmod(temp_name, stat.S_IMODE(st.st_mode) if st is not None else 0o644)
    if st is not None and hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.chown(temp_name, st.st_uid, st.st_gid)


def fsync_folder(folder: str | os.PathLike) -> None:
    """Make a rename in ``folder`` durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
