"""The annotation store: one TinyDB file, crash-safe and shared by running instances.

Design (measured in ``store-figures.md``, design "f"):

* ``CachedAtomicStorage``: every write goes to a temp file in the same folder, is
  flushed and fsynced, replaces the database with ``os.replace`` and fsyncs the
  folder, so a kill at any moment leaves either the old or the new file.  The parsed
  file is kept in memory and re-read only when the file's (inode, size, mtime, ctime)
  changes.  orjson is used when available, and the big tables are encoded in
  cached chunks so a save re-encodes only what it changed (``ChunkedSerializer``).
* Every change is one transaction: take an exclusive lock on a *sidecar* file
  (``annotations.json.lock``; ``os.replace`` swaps the database's inode, so locking the
  database itself would not exclude anyone), re-read if another process wrote (the
  stat check, and a token each writer leaves in the lock file), modify, write once.  A change and its undo entry are in the same write: all or nothing.
  TinyDB's own per-table caches (``_next_id``, query cache) are reset under the lock.
* Records are referenced by our own ids (uuid4 hex), never TinyDB doc ids, which
  TinyDB reuses.
* A file that cannot be read as an annotate database (corrupt, truncated, 0 bytes,
  ``null``, another program's JSON) is never written: StoreError (exit 2) says where it
  is, keeps a copy beside it and says how to recover.  Environment failures (folder not
  writable, disk full) are StoreError with exit 1, and the file stays as it was.
* The analysis cache is not here (every write rewrites the whole file).
* Beside the database: ``<db>.lock``, a copy at the first save of each day
  (``<db>.bak-YYYYMMDD``, 5 kept), and for an unreadable file ``<db>.corrupt-<time>``
  (plus ``<db>.recovered-<time>`` when its complete start could be parsed). The lock
  and backups are opened without following links and only as regular files
  (``open_beside``); a database path that is a link is saved into its target.
* Records are checked against ``schemas/store.json`` when the file was not written by
  annotate last (``store_file.load_file``); an invalid one is kept aside and written
  back verbatim. Undo entries name the session that made them (``sessions.py``).
* A save resolves its document under the lock: if another instance replaced this
  instance's document record (the file changed and was opened or exported there), the
  record is written again so the next open or export re-anchors the new annotations.

Tables: ``meta`` (schema version), ``documents`` (sha256, path, chars, first/last
opened), ``annotations`` (``Annotation.to_dict()``), ``history`` (undo entries, see
``history.py``) and ``rejections`` (machine suggestions the user rejected).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import errno
import glob
import os
import shutil
import stat
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from tinydb import TinyDB
from tinydb.storages import Storage

from annotations import __version__, history, sessions
from annotations.atomic import open_output
from annotations.anchoring import orphaned, place, reanchor
from annotations.errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, StoreError
from annotations.model import Annotation, check_span, now_iso, quote_context
from annotations.store_file import (
    ANNOTATIONS, DOCUMENTS, HISTORY, ID_FIELD, META_TABLE, REJECTIONS, SCHEMA_VERSION, SHA_FIELD, STORE_SCHEMA,
    TOKEN_BYTES, StoreFile, dumps, environment_error, file_key, load_file, lock_path, read_store_file,
    schema_version, stamp,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

# Tables whose encoded bytes are cached in chunks (see ChunkedSerializer).
CHUNKED_TABLES = frozenset({ANNOTATIONS, HISTORY})
LOCK_TIMEOUT = 30.0
BACKUPS_KEPT = 5
UPDATABLE = {"label", "note", "start", "end", "origin"}


# ---------------------------------------------------------------------------
# storage


class ChunkedSerializer:
    """Serializes the database, re-encoding only the parts of the big tables that changed.

    At 10k annotations the JSON encoding of the whole file is the largest part of a
    save.  The big tables are cut into chunks by TinyDB key (``key // CHUNK_KEYS``);
    each chunk's encoded bytes are kept, and a save re-encodes only the chunks holding
    a record it changed.  The cache belongs to one ``data`` dict: anything else (a
    fresh load, a write without change information, a failed write) rebuilds it.
    """

    CHUNK_KEYS = 256

    def __init__(self) -> None:
        self._data_id: int | None = None
        self._chunks: dict[str, dict[int, bytes]] = {}
        self._members: dict[str, dict[int, set[str]]] = {}

    def reset(self) -> None:
        self._data_id = None
        self._chunks = {}
        self._members = {}

    def _encode_chunk(self, rows: dict, keys: set[str]) -> bytes:
        ordered = sorted(keys, key=int)
        return dumps({key: rows[key] for key in ordered})[1:-1]

    def _build(self, table: str, rows: dict) -> None:
        members: dict[int, set[str]] = {}
        for key in rows:
            members.setdefault(int(key) // self.CHUNK_KEYS, set()).add(key)
        self._members[table] = members
        self._chunks[table] = {chunk: self._encode_chunk(rows, keys) for chunk, keys in members.items()}

    def _update(self, table: str, rows: dict, keys: set[str]) -> None:
        members, chunks = self._members[table], self._chunks[table]
        touched = set()
        for key in keys:
            chunk = int(key) // self.CHUNK_KEYS
            touched.add(chunk)
            if key in rows:
                members.setdefault(chunk, set()).add(key)
            elif chunk in members:
                members[chunk].discard(key)
        for chunk in touched:
            if members.get(chunk):
                chunks[chunk] = self._encode_chunk(rows, members[chunk])
            else:
                members.pop(chunk, None)
                chunks.pop(chunk, None)

    def serialize(self, data: dict, changed: dict[str, set[str]] | None) -> list[bytes]:
        """The file's bytes as a list of pieces (joining megabytes only to write them
        would copy them twice more)."""
        if changed is None or self._data_id != id(data):
            self.reset()
        pieces = [b"{"]
        for number, (table, rows) in enumerate(data.items()):
            if number:
                pieces.append(b",")
            pieces.append(dumps(table) + b":")
            if table not in CHUNKED_TABLES:
                pieces.append(dumps(rows))
                continue
            if table not in self._chunks:
                self._build(table, rows)
            elif changed and changed.get(table):
                self._update(table, rows, changed[table])
            chunks = self._chunks[table]
            pieces.append(b"{")
            for index, chunk in enumerate(sorted(chunks)):
                if index:
                    pieces.append(b",")
                pieces.append(chunks[chunk])
            pieces.append(b"}")
        pieces.append(b"}")
        self._data_id = id(data)
        return pieces


class CachedAtomicStorage(Storage):
    """TinyDB storage: atomic replace + fsync, orjson, an in-memory copy checked by stat."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._data: dict | None = None
        self._key: tuple | None = None  # file identity of _data; None when the file was missing
        self.generation = 0  # bumped whenever _data is replaced or written
        self.serializer = ChunkedSerializer()
        self.skipped: dict[str, dict] = {}  # table -> key -> invalid record, kept verbatim
        self.warnings: list[str] = []
        self.checked_all = False  # every record of _data was checked against the schema

    # -- reading

    def current_key(self) -> tuple | None:
        try:
            return file_key(os.stat(self.path))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise environment_error(self.path, error, "read") from None

    @property
    def key(self) -> tuple | None:
        """The identity of the file ``read()`` returns (None: no file)."""
        return self._key

    def is_current(self) -> bool:
        return self._data is not None and self.current_key() == self._key

    def read(self) -> dict:
        if not self.is_current():
            self.load()
        assert self._data is not None
        return self._data

    def load(self) -> None:
        """Parse the file afresh (validating it); a missing file is an empty store."""
        self._data = None
        self.seed(load_file(self.path))

    def seed(self, loaded: StoreFile) -> None:
        """Use tables already read from the file (``loaded.key``: its identity then); read()
        parses the file again only if it changed since. Records skipped as invalid are
        kept aside and written back verbatim by every save."""
        self._data, self._key = loaded.data, loaded.key
        self.skipped, self.warnings = loaded.skipped, loaded.warnings
        self.checked_all = loaded.checked_all
        self.serializer.reset()
        self.generation += 1

    def drop_cache(self) -> None:
        self._data = None
        self._key = None
        self.serializer.reset()
        self.generation += 1

    # -- writing

    def write(self, data: dict, changed: dict[str, set[str]] | None = None) -> None:
        """Replace the file with ``data``.  ``changed`` (table -> TinyDB keys changed since
        the last write of this same dict) lets the serializer reuse unchanged chunks;
        TinyDB's own calls pass nothing and get a full encoding."""
        if self.skipped:  # rare: write the invalid records back as they were read
            merged = {table: {**rows, **self.skipped.get(table, {})} for table, rows in data.items()}
            merged.update({table: dict(rows) for table, rows in self.skipped.items() if table not in data})
            payload = self.serializer.serialize(merged, None)
        else:
            payload = self.serializer.serialize(data, changed if data is self._data else None)
        # The one writer (annotations.atomic): temp file, fsync, rename, fsync of the folder;
        # a database path that is a symbolic link replaces the file it names (the link
        # stays), and the file keeps its mode.
        try:
            with open_output(self.path, fsync=True) as handle:
                write_all(handle, payload)
        except BaseException as error:
            self.drop_cache()
            if isinstance(error, OSError):
                raise environment_error(self.path, error, "save") from None
            raise
        self._data = data
        self._key = file_key(os.stat(self.path))
        self.generation += 1

    def close(self) -> None:
        pass


def keep_mode(fd: int, target: Path) -> None:
    """The new file gets the replaced one's permission bits (mkstemp makes 0600, which
    stays for a new database: annotations can be private)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fchmod(fd, mode)


def write_all(handle, pieces: list[bytes]) -> None:
    """Write every piece (a seam for tests that simulate a full disk)."""
    handle.writelines(pieces)


# ---------------------------------------------------------------------------
# lock


class UnsafeSideFile(StoreError):
    """A symbolic link or a special file where annotate keeps a file beside the database."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_ENVIRONMENT)


def open_beside(path: Path, access: int, what: str) -> int:
    """Open a file beside the database (the lock file, a backup), creating it if absent,
    without ever following a symbolic link (``O_NOFOLLOW``; ``O_EXCL`` for a new file) or
    using anything but a regular file: someone else's link or FIFO there would otherwise
    have annotate write to (truncate, block on) a file it never chose. StoreError (exit 1,
    one line) names it; what it points at is untouched."""
    flags = access | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP or os.path.islink(path):
            raise UnsafeSideFile(
                f"{path}: the {what} is a symbolic link; annotate does not follow links beside the database "
                "(remove it)"
            ) from None
        if error.errno in (errno.ENXIO, errno.EISDIR, errno.EOPNOTSUPP):
            raise UnsafeSideFile(f"{path}: the {what} is not a regular file (remove it)") from None
        raise environment_error(path, error, "lock" if what == "lock file" else "save") from None
    try:
        info = os.fstat(fd)
        mode, links = info.st_mode, info.st_nlink
    except OSError:
        mode, links = 0, 1
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnsafeSideFile(f"{path}: the {what} is not a regular file (remove it)")
    if links > 1:  # a hard link: writing it would write another file (the database itself, say)
        os.close(fd)
        raise UnsafeSideFile(f"{path}: the {what} is a hard link to another file; annotate does not write "
                             "through it (remove it)")
    return fd


class SidecarLock:
    """An exclusive, re-entrant (per Store) lock on ``<db>.lock``, across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0
        self._fallback = None

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        if fcntl is None:  # pragma: no cover - Windows
            import filelock

            if self._fallback is None:
                self._fallback = filelock.FileLock(str(self.path), timeout=LOCK_TIMEOUT, preserve_lock_file=True)
            self._fallback.acquire()
            self._depth = 1
            return
        if self._fd is None:
            self._fd = open_beside(self.path, os.O_RDWR, "lock file")
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"{self.path}: another annotate has held the database lock for {LOCK_TIMEOUT:.0f} s",
                        EXIT_ENVIRONMENT,
                    ) from None
                time.sleep(0.005)
        self._depth = 1

    # The lock file also holds a token that every writer changes after replacing the
    # database.  A writer compares it under the lock with the token it last saw, so a
    # change by another process is never missed, even where the (inode, size, mtime,
    # ctime) check could be fooled (inode reuse with coarse timestamps).  After its
    # random part the token names the file written (store_file.written_by_annotate).

    def read_token(self) -> bytes | None:
        if self._fd is None:
            return None
        try:
            return os.pread(self._fd, TOKEN_BYTES, 0)
        except OSError:
            return None

    def write_token(self, written: tuple | None) -> bytes | None:
        if self._fd is None:
            return None
        token = os.urandom(16).hex().encode()
        if written is not None:
            token += b" " + stamp(written)
        token = token.ljust(TOKEN_BYTES)[:TOKEN_BYTES]  # overwrites all of a longer old token
        try:
            os.pwrite(self._fd, token, 0)
        except OSError:
            return None  # the stat check still applies
        return token

    def try_acquire(self) -> bool:
        """Take the lock only if nobody holds it (never waits)."""
        if self._depth:
            self._depth += 1
            return True
        if fcntl is None:  # pragma: no cover - Windows
            return False
        if self._fd is None:
            self._fd = open_beside(self.path, os.O_RDWR, "lock file")
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self._depth = 1
        return True

    def release(self) -> None:
        self._depth -= 1
        if self._depth:
            return
        if self._fallback is not None:  # pragma: no cover - Windows
            self._fallback.release()
        elif self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "SidecarLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


# ---------------------------------------------------------------------------
# index and transaction


class Index:
    """Lookups over the raw tables: record id -> TinyDB key, and ids per document."""

    def __init__(self, data: dict, reserved: dict[str, dict] | None = None) -> None:
        """``reserved``: table -> keys taken by records kept aside (never reused)."""
        self.keys: dict[str, dict[str, str]] = {}
        self.by_sha: dict[str, dict[str, set[str]]] = {}
        self.next_key: dict[str, int] = {}
        for table, id_field in ID_FIELD.items():
            keys: dict[str, str] = {}
            by_sha: dict[str, set[str]] = {}
            sha_field = SHA_FIELD[table]
            rows = data.get(table, {})
            for key, record in rows.items():
                record_id = record[id_field]
                keys[record_id] = key
                sha = record[sha_field]
                if sha in by_sha:
                    by_sha[sha].add(record_id)
                else:
                    by_sha[sha] = {record_id}
            self.keys[table] = keys
            self.by_sha[table] = by_sha
            taken = (reserved or {}).get(table, ())
            self.next_key[table] = max(map(int, [*rows, *taken]), default=0) + 1


class Transaction:
    """Reads and changes of the raw data under the lock; keeps the Index in step."""

    def __init__(self, data: dict, index: Index) -> None:
        self.data = data
        self.index = index
        self.changed = False
        self.changed_keys: dict[str, set[str]] = {}

    def get(self, table: str, record_id: str) -> dict | None:
        key = self.index.keys[table].get(record_id)
        return None if key is None else self.data[table][key]

    def records(self, table: str, doc_sha: str) -> list[dict]:
        rows = self.data.get(table, {})
        keys = self.index.keys[table]
        return [rows[keys[i]] for i in self.index.by_sha[table].get(doc_sha, ())]

    def put(self, table: str, record: dict) -> None:
        record_id = record[ID_FIELD[table]]
        rows = self.data.setdefault(table, {})
        key = self.index.keys[table].get(record_id)
        if key is None:
            key = str(self.index.next_key[table])
            self.index.next_key[table] += 1
            self.index.keys[table][record_id] = key
        else:
            self.index.by_sha[table].get(rows[key][SHA_FIELD[table]], set()).discard(record_id)
        rows[key] = record
        self.index.by_sha[table].setdefault(record[SHA_FIELD[table]], set()).add(record_id)
        self.changed_keys.setdefault(table, set()).add(key)
        self.changed = True

    def delete(self, table: str, record_id: str) -> None:
        key = self.index.keys[table].pop(record_id, None)
        if key is None:
            return
        record = self.data[table].pop(key)
        self.index.by_sha[table].get(record[SHA_FIELD[table]], set()).discard(record_id)
        self.changed_keys.setdefault(table, set()).add(key)
        self.changed = True


# ---------------------------------------------------------------------------
# the store


@dataclass
class ReanchorReport:
    """What happened to a changed file's annotations when it was opened again."""

    moved: int = 0
    orphaned: int = 0
    unchanged: int = 0
    old_shas: list[str] = dataclasses.field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.old_shas)

    def message(self) -> str:
        if not self.changed:
            return ""
        total = self.moved + self.orphaned + self.unchanged
        text = f"The file changed since it was annotated: {total} annotation(s) re-anchored"
        details = [f"{self.unchanged} in place", f"{self.moved} moved"]
        if self.orphaned:
            details.append(f"{self.orphaned} orphaned (kept with their quote)")
        return f"{text} ({', '.join(details)})."


def _display_path(path: str) -> str:
    if not path or path == "-" or path.startswith("<"):
        return path
    return os.path.abspath(path)


class Store:
    """The annotation database. Use ``open_store``; every method is thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = TinyDB(path, storage=CachedAtomicStorage)
        self._storage: CachedAtomicStorage = self.db.storage
        self._lock = SidecarLock(lock_path(path))
        self._mutex = threading.RLock()
        self._index: Index | None = None
        self._index_generation = -1
        self._texts: dict[str, str] = {}
        # The document records this instance registered: a save re-creates its record
        # when another instance replaced it meanwhile (see _resolve_documents).
        self._registered: dict[str, dict] = {}
        self._seen_token: bytes | None = None
        self._tx_depth = 0  # transactions under way (nested ones reuse the outer one's check)
        self.read_only = False  # written by a newer annotate
        self.writable = True  # False: the lock file could not be made (read-only folder or file system)
        self.session = sessions.start()

    # -- plumbing

    def _snapshot(self) -> tuple[dict, Index]:
        data = self._storage.read()
        if self._index is None or self._index_generation != self._storage.generation:
            self._index = Index(data, self._storage.skipped)
            self._index_generation = self._storage.generation
        self.read_only = schema_version(data) > SCHEMA_VERSION
        return data, self._index

    def _reset_tinydb_caches(self) -> None:
        # TinyDB keeps the next doc id and a query cache per Table instance; both go
        # stale when another process writes (store-figures.md section 3).
        for table in self.db._tables.values():
            table._next_id = None
            table.clear_cache()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self._mutex, self._lock, self._outermost():
            if self._tx_depth == 1 and self._lock.read_token() != self._seen_token:
                self._storage.drop_cache()  # another process wrote since we last did
            data, index = self._snapshot()
            if self.read_only:
                raise StoreError(
                    f"{self.path}: written by a newer annotate (schema {schema_version(data)}); "
                    "it is open read-only: upgrade annotate to change it"
                )
            self._reset_tinydb_caches()
            tx = Transaction(data, index)
            try:
                yield tx
                if tx.changed:
                    self._resolve_documents(tx)
                    self._ensure_meta(data)
                    self._daily_backup()
                    self._storage.write(data, tx.changed_keys)
                    self._index_generation = self._storage.generation
                    self._seen_token = self._lock.write_token(self._storage.key)
            except BaseException:
                self._storage.drop_cache()
                self._index = None
                raise

    def _resolve_documents(self, tx: Transaction) -> None:
        """Under the lock, before writing: every record this save touches must belong to
        a document record that exists now. Another instance may have replaced this
        instance's document meanwhile (the file changed and was opened or exported
        there); the record is then written again as this instance registered it, so the
        next open or export of the file moves the new annotations onto the new text
        like every other one (issue 12: a tag confirmed on screen is never lost)."""
        for table in (ANNOTATIONS, HISTORY, REJECTIONS):
            keys = tx.changed_keys.get(table, ())
            rows = tx.data.get(table, {})
            for key in keys:
                record = rows.get(key)
                if record is None:
                    continue
                sha = record[SHA_FIELD[table]]
                if tx.get(DOCUMENTS, sha) is None and sha in self._registered:
                    tx.put(DOCUMENTS, {**self._registered[sha], "last_opened": now_iso()})

    def _owner(self):
        """Which undo entries this instance may undo (see history.py), for one operation."""
        return sessions.owner(self.session)

    @contextlib.contextmanager
    def _outermost(self) -> Iterator[None]:
        self._tx_depth += 1
        try:
            yield
        finally:
            self._tx_depth -= 1

    def try_run(self, change) -> tuple[bool, Any]:
        """Run ``change`` (store calls) only if the database lock is free now: (True, its
        result), or (False, None) at once when another process holds the lock, so a
        view can say that it waits and keep its keys (try again later)."""
        with self._mutex:
            if not self._lock.try_acquire():
                return False, None
            try:
                return True, change()
            finally:
                self._lock.release()

    def _ensure_meta(self, data: dict) -> None:
        if not data.get(META_TABLE):
            data[META_TABLE] = {
                "1": {
                    "schema": STORE_SCHEMA,
                    "schema_version": SCHEMA_VERSION,
                    "app_version": __version__,
                    "created": now_iso(),
                }
            }
        meta = next(iter(data[META_TABLE].values()))
        skipped = {table: sorted(rows, key=int) for table, rows in self._storage.skipped.items() if rows}
        if skipped:  # a trusted file then checks only these again (store_file.load_file)
            meta["skipped"] = skipped
        else:
            meta.pop("skipped", None)

    @property
    def warnings(self) -> list[str]:
        """One line per record skipped as invalid when the file was read."""
        return list(self._storage.warnings)

    def _daily_backup(self) -> None:
        """Keep a copy of the file as it was at the first save of each day (5 kept).
        A failing copy never stops a save; a link or special file at the backup's name
        does (exit 1): see ``open_beside``."""
        backup = self.path.with_name(f"{self.path.name}.bak-{datetime.now(timezone.utc):%Y%m%d}")
        try:
            existing = os.lstat(backup)
        except FileNotFoundError:
            existing = None
        except OSError:
            return
        if existing is not None:
            if not stat.S_ISREG(existing.st_mode):
                open_beside(backup, os.O_WRONLY, "backup")  # raises: names the link or special file
            return  # today's copy is there
        if not self.path.exists():
            return
        try:
            fd = open_beside(backup, os.O_WRONLY, "backup")
        except UnsafeSideFile:
            raise
        except StoreError:
            return  # not writable, disk full: the save itself will say so
        try:
            with open(self.path, "rb") as source, os.fdopen(fd, "wb") as handle:
                keep_mode(handle.fileno(), self.path)
                shutil.copyfileobj(source, handle)
            older = sorted(glob.glob(glob.escape(str(self.path)) + ".bak-*"))
            for stale in older[:-BACKUPS_KEPT]:
                if os.path.isfile(stale) or os.path.islink(stale):
                    os.unlink(stale)  # a link itself, never what it points at
        except OSError:
            pass  # a backup must never stop a save

    def remove_orphan_temp_files(self) -> int:
        """Delete temp files left by killed writers (only safe under the lock)."""
        target = Path(os.path.realpath(self.path))  # temp files are made beside the file a link names
        pattern = os.path.join(glob.escape(str(target.parent)), glob.escape(f".{target.name}.") + "*.tmp")
        removed = 0
        with self._mutex, self._lock:
            for name in glob.glob(pattern):
                with contextlib.suppress(OSError):
                    os.unlink(name)
                    removed += 1
        return removed

    def end_session(self) -> None:
        """The program using this store has ended its work: its undo entries become
        anyone's (another instance, or the next run, may undo them)."""
        sessions.end(self.session)

    def close(self) -> None:
        with self._mutex:
            sessions.end(self.session)
            self._lock.close()
            self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def refresh_if_changed(self) -> bool:
        """True when another process changed the file since we last read it (then re-read)."""
        with self._mutex:
            if self._storage.is_current():
                return False
            if self._lock.try_acquire():
                # Under the lock the token belongs to the file we read: the next write
                # then need not read the file a second time.
                try:
                    token = self._lock.read_token()
                    self._storage.load()
                    self._seen_token = token
                finally:
                    self._lock.release()
            else:
                self._storage.load()
            self._snapshot()
            return True

    # -- documents

    def register_document(self, document) -> ReanchorReport:
        """Record that ``document`` was opened; move a changed file's annotations onto it."""
        self._texts[document.sha256] = document.text
        with self._transaction() as tx:
            report, record = self._register_in(tx, document)
        self._registered[document.sha256] = record
        return report

    def _register_in(self, tx: Transaction, document) -> tuple[ReanchorReport, dict]:
        sha = document.sha256
        path = _display_path(document.path)
        now = now_iso()
        report = ReanchorReport()
        record = tx.get(DOCUMENTS, sha)
        first_opened = record.get("first_opened", now) if record else now
        for old in self._older_records(tx.data, document):
            report.old_shas.append(old["sha256"])
            first_opened = min(first_opened, old.get("first_opened", now))
            previous = [Annotation.from_dict(r) for r in tx.records(ANNOTATIONS, old["sha256"])]
            placed, lost = reanchor(previous, document.text, sha)
            before = {a.id: a for a in previous}
            for annotation in placed:
                old_annotation = before[annotation.id]
                if (old_annotation.start, old_annotation.end) == (annotation.start, annotation.end):
                    report.unchanged += 1
                else:
                    report.moved += 1
                tx.put(ANNOTATIONS, annotation.to_dict())
            for annotation in lost:
                report.orphaned += 1
                tx.put(ANNOTATIONS, annotation.to_dict())
            # Undo entries and rejections point at the old text's offsets: drop them.
            for table in (HISTORY, REJECTIONS):
                for row in tx.records(table, old["sha256"]):
                    tx.delete(table, row["id"])
            tx.delete(DOCUMENTS, old["sha256"])
        record = {
            "sha256": sha,
            "path": path,
            "chars": len(document.text),
            "first_opened": first_opened,
            "last_opened": now,
        }
        tx.put(DOCUMENTS, record)
        return report, record

    @staticmethod
    def _older_records(data: dict, document) -> list[dict]:
        """Other texts recorded for the document's path (it changed since)."""
        path = _display_path(document.path)
        # a stream (stdin, <(command)) is known by its sha256 only: /dev/fd/63 names another text each time
        if not path or path.startswith("<") or path == "-" or document.metadata.get("stream"):
            return []
        return [
            row for row in data.get(DOCUMENTS, {}).values()
            if row.get("path") == path and row["sha256"] != document.sha256
        ]

    def annotations_for(self, document, save: bool = True) -> list[Annotation]:
        """The document's annotations as ``annotate export`` shows them: when the store
        holds other texts of its path (the file changed), those annotations are moved onto
        this text first, saved like an open; with ``save`` False, or in a store that cannot
        be written (read-only folder or file system), in memory only (nothing is written)."""
        with self._mutex:
            data, _index = self._snapshot()
            if not self._older_records(data, document):
                # a record edited by hand so that its span does not quote the text: placed
                # again by its quote, or an orphan (never a span with another text)
                return sorted(_matching_text(self.annotations(document.sha256), document.text), key=_position)
        if save:
            try:
                self.register_document(document)
                return sorted(_matching_text(self.annotations(document.sha256), document.text), key=_position)
            except StoreError as error:
                if error.exit_code != EXIT_ENVIRONMENT:
                    raise
        with self._mutex:
            data, _index = self._snapshot()
            scratch = copy.deepcopy(data)
        tx = Transaction(scratch, Index(scratch))
        self._register_in(tx, document)
        found = [Annotation.from_dict(row) for row in tx.records(ANNOTATIONS, document.sha256)]
        return sorted(_matching_text(found, document.text), key=_position)

    def documents(self) -> list[dict]:
        """Every document, most recently opened first, with ``annotations`` (all kept,
        orphans included) and ``orphans`` counts."""
        with self._mutex:
            data, index = self._snapshot()
            rows = []
            for record in data.get(DOCUMENTS, {}).values():
                annotations = [
                    data[ANNOTATIONS][index.keys[ANNOTATIONS][i]]
                    for i in index.by_sha[ANNOTATIONS].get(record["sha256"], ())
                ]
                rows.append(
                    {
                        "sha256": record["sha256"],
                        "path": record.get("path", ""),
                        "chars": record.get("chars", 0),
                        "first_opened": record.get("first_opened", ""),
                        "last_opened": record.get("last_opened", ""),
                        "annotations": len(annotations),
                        "orphans": sum(1 for a in annotations if a.get("orphan")),
                    }
                )
        rows.sort(key=lambda row: row["last_opened"], reverse=True)
        return rows

    def find_documents(self, path_or_sha: str) -> list[dict]:
        """Documents matching a path (as given, absolute or resolved), a sha256 or a
        sha256 prefix of 8+ hex digits, or the current text of an existing file."""
        wanted_paths = {path_or_sha, os.path.abspath(path_or_sha), os.path.realpath(path_or_sha)}
        wanted_sha = None
        if os.path.isfile(path_or_sha):
            from annotations.document import DocumentError, load_document

            with contextlib.suppress(DocumentError):
                wanted_sha = load_document(path_or_sha).sha256
        needle = path_or_sha.lower()
        is_sha_prefix = len(needle) >= 8 and all(ch in "0123456789abcdef" for ch in needle)
        found = []
        for row in self.documents():
            if (
                row["path"] in wanted_paths
                or row["sha256"] == wanted_sha
                or (is_sha_prefix and row["sha256"].startswith(needle))
            ):
                found.append(row)
        return found

    def document(self, sha: str) -> dict | None:
        with self._mutex:
            data, index = self._snapshot()
            key = index.keys[DOCUMENTS].get(sha)
            return None if key is None else dict(data[DOCUMENTS][key])

    def count_annotations(self, sha: str) -> int:
        with self._mutex:
            _data, index = self._snapshot()
            return len(index.by_sha[ANNOTATIONS].get(sha, ()))

    def forget(self, sha: str) -> int:
        """Remove a document, its annotations, history and rejections; how many annotations went."""
        with self._transaction() as tx:
            count = len(tx.records(ANNOTATIONS, sha))
            for table in (ANNOTATIONS, HISTORY, REJECTIONS):
                for row in tx.records(table, sha):
                    tx.delete(table, row[ID_FIELD[table]])
            tx.delete(DOCUMENTS, sha)
        self._texts.pop(sha, None)
        return count

    # -- annotations

    def annotations(self, sha: str) -> list[Annotation]:
        """The document's annotations: placed ones by position, then orphans."""
        with self._mutex:
            data, index = self._snapshot()
            rows = data.get(ANNOTATIONS, {})
            keys = index.keys[ANNOTATIONS]
            result = [Annotation.from_dict(rows[keys[i]]) for i in index.by_sha[ANNOTATIONS].get(sha, ())]
        text = self._texts.get(sha)
        if text is not None:
            result = _matching_text(result, text)
        result.sort(key=_position)
        return result

    def get(self, ann_id: str) -> Annotation | None:
        with self._mutex:
            data, index = self._snapshot()
            key = index.keys[ANNOTATIONS].get(ann_id)
            return None if key is None else Annotation.from_dict(data[ANNOTATIONS][key])

    def _checked_record(self, annotation: Annotation) -> dict:
        if not annotation.id or not annotation.doc_sha:
            raise ValueError("an annotation needs an id and a doc_sha")
        if annotation.placed:
            text = self._texts.get(annotation.doc_sha)
            if text is not None:
                check_span(text, annotation.start, annotation.end)
                if text[annotation.start : annotation.end] != annotation.text:
                    raise ValueError(f"annotation {annotation.id}: text does not match the document at its span")
            elif not 0 <= annotation.start < annotation.end:
                raise ValueError(f"annotation {annotation.id}: bad span {annotation.start}..{annotation.end}")
        return annotation.to_dict()

    def add(self, annotation: Annotation) -> Annotation:
        """Save a new annotation (undoable)."""
        self.add_many([annotation], description=f"add {annotation.describe()}")
        return annotation

    def add_many(self, annotations: Iterable[Annotation], description: str | None = None) -> list[Annotation]:
        """Save several new annotations in one write and one undo step."""
        annotations = list(annotations)
        if not annotations:
            return []
        records = [self._checked_record(a) for a in annotations]
        shas = {a.doc_sha for a in annotations}
        if len(shas) != 1:
            raise ValueError("add_many takes annotations of one document")
        if len({a.id for a in annotations}) != len(annotations):
            raise ValueError("add_many got the same annotation id twice")
        sha = shas.pop()
        with self._transaction() as tx:
            for annotation in annotations:
                if tx.get(ANNOTATIONS, annotation.id) is not None:
                    raise ValueError(f"annotation {annotation.id} already exists")
            changes = [history.change(ANNOTATIONS, r["id"], None, r) for r in records]
            self._record(tx, sha, description or f"add {len(records)} annotations", changes)
        return annotations

    def update(self, ann_id: str, text_source: str | None = None, **changes: Any) -> Annotation:
        """Change ``label``, ``note``, ``origin`` or the span (``start``/``end``; the quote
        and its context are recomputed from ``text_source``, the document text, or else
        the text given to ``register_document``). Undoable. Returns the annotation as saved."""
        doc_text = changes.pop("doc_text", None) if text_source is None else text_source
        unknown = set(changes) - UPDATABLE
        if unknown:
            raise ValueError(f"cannot update {', '.join(sorted(unknown))} (only {', '.join(sorted(UPDATABLE))})")
        with self._transaction() as tx:
            current = tx.get(ANNOTATIONS, ann_id)
            if current is None:
                raise KeyError(f"no annotation {ann_id}")
            old = Annotation.from_dict(current)
            new = dataclasses.replace(old, **{k: v for k, v in changes.items() if k in ("label", "note", "origin")})
            if new.note is None:
                new.note = ""
            moved = ("start" in changes or "end" in changes) and (
                changes.get("start", old.start),
                changes.get("end", old.end),
            ) != (old.start, old.end)
            if moved:
                text = doc_text if doc_text is not None else self._texts.get(old.doc_sha)
                if text is None:
                    raise ValueError("moving a span needs the document text (register_document or doc_text=)")
                start, end = changes.get("start", old.start), changes.get("end", old.end)
                check_span(text, start, end)
                prefix, suffix = quote_context(text, start, end)
                new = dataclasses.replace(
                    new, start=start, end=end, text=text[start:end], prefix=prefix, suffix=suffix, orphan=False,
                    # The offsets are the given text's: the annotation belongs to that text now
                    # (another instance may have moved it onto a newer text meanwhile).
                    doc_sha=self._sha_of(text, old.doc_sha),
                )
            if new == old:
                return old
            new.modified = now_iso()
            self._record(
                tx, new.doc_sha, _describe_update(old, new), [history.change(ANNOTATIONS, ann_id, current, new.to_dict())]
            )
        return new

    def remove(self, ann_id: str) -> Annotation:
        """Delete an annotation (undoable); returns what was removed."""
        with self._transaction() as tx:
            current = tx.get(ANNOTATIONS, ann_id)
            if current is None:
                raise KeyError(f"no annotation {ann_id}")
            old = Annotation.from_dict(current)
            self._record(tx, old.doc_sha, f"remove {old.describe()}", [history.change(ANNOTATIONS, ann_id, current, None)])
        return old

    def remove_many(self, ann_ids: Iterable[str], description: str | None = None) -> int:
        """Delete several annotations of one document in one undo step."""
        ann_ids = list(dict.fromkeys(ann_ids))
        if not ann_ids:
            return 0
        with self._transaction() as tx:
            changes = []
            sha = None
            for ann_id in ann_ids:
                current = tx.get(ANNOTATIONS, ann_id)
                if current is None:
                    raise KeyError(f"no annotation {ann_id}")
                sha = sha or current["doc_sha"]
                changes.append(history.change(ANNOTATIONS, ann_id, current, None))
            self._record(tx, sha, description or f"remove {len(changes)} annotations", changes)
        return len(ann_ids)

    # -- suggestions the user rejected

    def reject_suggestion(self, sha: str, key: str, description: str | None = None) -> bool:
        """Hide a machine suggestion for good (undoable); False if it was already rejected."""
        record_id = f"{sha}:{key}"
        with self._transaction() as tx:
            if tx.get(REJECTIONS, record_id) is not None:
                return False
            record = {"id": record_id, "doc_sha": sha, "key": key, "created": now_iso()}
            self._record(tx, sha, description or f"reject suggestion {key}", [history.change(REJECTIONS, record_id, None, record)])
        return True

    def unreject_suggestion(self, sha: str, key: str) -> bool:
        record_id = f"{sha}:{key}"
        with self._transaction() as tx:
            current = tx.get(REJECTIONS, record_id)
            if current is None:
                return False
            self._record(tx, sha, f"restore suggestion {key}", [history.change(REJECTIONS, record_id, current, None)])
        return True

    def rejected_suggestions(self, sha: str) -> set[str]:
        with self._mutex:
            data, index = self._snapshot()
            rows = data.get(REJECTIONS, {})
            return {rows[index.keys[REJECTIONS][i]]["key"] for i in index.by_sha[REJECTIONS].get(sha, ())}

    # -- undo / redo

    def _sha_of(self, text: str, default: str) -> str:
        if self._texts.get(default) is text:
            return default
        for sha, known in self._texts.items():
            if known is text:
                return sha
        from annotations.document import text_sha256

        return text_sha256(text)

    def _record(self, tx: Transaction, sha: str, description: str, changes: list[dict]) -> dict:
        return history.record(tx, sha, description, changes, session=self.session, owns=self._owner())

    def undo(self, sha: str) -> str | None:
        """Undo this instance's last change of the document (or one a closed instance
        left); what was undone, or None when nothing is left. StoreError (exit 2) when
        another running instance changed the same annotation since."""
        with self._transaction() as tx:
            try:
                return history.undo(tx, sha, self._owner())
            except history.Conflict as conflict:
                raise StoreError(str(conflict), EXIT_BAD_INPUT) from None

    def redo(self, sha: str) -> str | None:
        """Redo this instance's last undone change; what was redone, or None."""
        with self._transaction() as tx:
            try:
                return history.redo(tx, sha, self._owner())
            except history.Conflict as conflict:
                raise StoreError(str(conflict), EXIT_BAD_INPUT) from None

    def can_undo(self, sha: str) -> bool:
        with self._mutex:
            data, index = self._snapshot()
            return history.can_undo(Transaction(data, index), sha, self._owner())

    def can_redo(self, sha: str) -> bool:
        with self._mutex:
            data, index = self._snapshot()
            return history.can_redo(Transaction(data, index), sha, self._owner())

    def history(self, sha: str) -> list[dict]:
        """The document's undo entries, oldest first: {seq, time, description, undone}."""
        with self._mutex:
            data, index = self._snapshot()
            return [
                {k: entry[k] for k in ("seq", "time", "description", "undone")}
                for entry in history.entries(Transaction(data, index), sha)
            ]


def _matching_text(annotations: list[Annotation], text: str) -> list[Annotation]:
    """Every placed annotation quotes ``text`` at its span: one edited by hand so that it
    does not (offsets past the end, another quote) is placed again by its quote, or shown
    as an orphan; in memory only, the record stays as it is."""
    result = []
    for annotation in annotations:
        if annotation.placed and not (
            0 <= annotation.start < annotation.end <= len(text) and text[annotation.start:annotation.end] == annotation.text
        ):
            annotation = place(annotation, text) or orphaned(annotation)
        result.append(annotation)
    return result


def _position(a: Annotation) -> tuple:
    """Placed annotations by position, then orphans."""
    return (a.start is None, a.start or 0, -(a.end or 0), a.created, a.id)


def _describe_update(old: Annotation, new: Annotation) -> str:
    what = []
    if old.label != new.label:
        what.append(f"label {old.label or '-'} -> {new.label or '-'}")
    if old.note != new.note:
        what.append("note")
    if (old.start, old.end) != (new.start, new.end):
        what.append("span")
    if old.origin != new.origin:
        what.append("origin")
    return f"edit {', '.join(what) or 'annotation'} of {old.describe()}"


def open_store(db: str | os.PathLike | None = None, checked: StoreFile | None = None) -> Store:
    """Open (not yet create) the database; the file and its meta table appear on first write.

    ``checked``: the file as ``read_store_file`` already read it (not parsed again unless
    it changed since). StoreError: exit 2 for a file that is not an annotate database
    (left untouched), exit 1 for a link or special file as the lock file. A store that
    cannot be written (read-only folder or file system: the lock file cannot be made)
    opens for reading (``writable`` False); a save then fails with exit 1 and one line.
    """
    if checked is None:
        checked = read_store_file(db, for_writing=False)  # a bad file is reported before any work
    store = Store(checked.path)
    try:
        if checked.data is not None:
            store._storage.seed(checked)
        store._snapshot()
        try:
            store.remove_orphan_temp_files()
            with store._lock:  # the token now names the file just read: the first change need not read it again
                token = store._lock.read_token()
                storage = store._storage
                if storage.is_current():
                    store._seen_token = token
                    if storage.checked_all and not storage.skipped and storage.key is not None:
                        # Checked record by record and found whole: name it in the token, so
                        # the next open trusts it instead of checking 10k records again.
                        store._seen_token = store._lock.write_token(storage.key)
        except UnsafeSideFile:
            raise
        except StoreError as error:
            if error.exit_code != EXIT_ENVIRONMENT:
                raise
            store.writable = False
    except BaseException:
        store.close()
        raise
    return store
