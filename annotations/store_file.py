"""The annotation database file without TinyDB: where it is, reading and checking it.

``annotate FILE`` checks the file with :func:`read_store_file` before the reader starts
(a corrupt or foreign database is exit 2 with one line, as for every command) without
loading TinyDB; the reader opens the store (``store.open_store``) right after its first
paint and reuses what was read here. ``store.py`` has the TinyDB storage, the lock and
the transactions.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import glob
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from annotations import paths
from annotations.errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, StoreError

TOKEN_BYTES = 256  # the lock file's token: a random part, then the stamp of the file written

STORE_SCHEMA = "annotate.store"
SCHEMA_VERSION = 1
META_TABLE = "meta"
DOCUMENTS = "documents"
ANNOTATIONS = "annotations"
HISTORY = "history"
REJECTIONS = "rejections"
# The field that identifies a record, and the field naming its document, per table.
ID_FIELD = {DOCUMENTS: "sha256", ANNOTATIONS: "id", HISTORY: "id", REJECTIONS: "id"}
SHA_FIELD = {DOCUMENTS: "sha256", ANNOTATIONS: "doc_sha", HISTORY: "doc_sha", REJECTIONS: "doc_sha"}


class StoreFormatError(Exception):
    """Internal: the bytes are not an annotate database (the reason is the message)."""


# ---------------------------------------------------------------------------
# serialisation and validation


@functools.cache
def _orjson():
    """orjson, imported on first use: with the json module it loads, ~4 ms that the
    reader's first paint need not pay when the file is not parsed before it."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; json still works
        return None
    return orjson


def dumps(data: Any) -> bytes:
    fast = _orjson()
    if fast is not None:
        try:
            return fast.dumps(data)
        except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits in a record kept verbatim
            pass
    import json

    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def loads(raw: bytes) -> Any:
    fast = _orjson()
    if fast is not None:
        try:
            return fast.loads(raw)
        except ValueError:
            pass  # also what orjson cannot hold (an integer of 400 digits): the json module decides
    return exact_loads(raw)


def exact_loads(raw: bytes) -> Any:
    """The json module's parse: integers of any length exactly (orjson makes long ones floats)."""
    import json

    return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def validate(data: Any) -> dict:
    """Check that parsed JSON is an annotate TinyDB file; raise StoreFormatError if not."""
    if data is None:
        raise StoreFormatError("the file holds JSON null, not a database")
    if not isinstance(data, dict):
        raise StoreFormatError(f"the file holds a JSON {type(data).__name__}, not a database object")
    for table, records in data.items():
        if not isinstance(records, dict):
            raise StoreFormatError(f"table {table!r} is not a JSON object")
        for key, record in records.items():
            if not key.isdigit():
                raise StoreFormatError(f"table {table!r} has a record key {key!r} that is not a TinyDB id")
            if not isinstance(record, dict):
                raise StoreFormatError(f"table {table!r} record {key} is not a JSON object")
    if not data:
        return data  # "{}": an empty TinyDB file; nothing to lose, it becomes ours on write
    meta = data.get(META_TABLE)
    if not meta:
        raise StoreFormatError(
            f"no {META_TABLE!r} table with the annotate schema (tables: {', '.join(sorted(data)) or 'none'}); "
            "another program's file?"
        )
    record = next(iter(meta.values()))
    if record.get("schema") != STORE_SCHEMA or not isinstance(record.get("schema_version"), int):
        raise StoreFormatError(f"the meta table does not name the {STORE_SCHEMA!r} schema; another program's file?")
    return data


def skipped_keys(data: dict) -> dict[str, list[str]]:
    """The records a save kept verbatim because they were invalid when read (named in
    the meta record, so a trusted file checks only those again)."""
    for record in (data.get(META_TABLE) or {}).values():
        listed = record.get("skipped")
        return listed if isinstance(listed, dict) else {}
    return {}


def check_records(path: Path, data: dict, only: dict[str, list[str]] | None = None) -> tuple[dict, list[str]]:
    """Validate the records of the annotate tables against ``schemas/store.json`` (all of
    them, or the keys in ``only``). An invalid record is taken out of ``data`` into the
    returned ``skipped`` (table -> key -> record, written back verbatim on save) with a
    warning naming it; an invalid meta record makes the whole file unreadable."""
    from annotations import schemas

    if only is None:
        for record in (data.get(META_TABLE) or {}).values():
            reason = schemas.problem("store", record, META_TABLE)
            if reason is not None:
                raise StoreFormatError(f"the meta record is not valid ({reason})")
    skipped: dict[str, dict] = {}
    warnings: list[str] = []
    for table in ID_FIELD:
        rows = data.get(table)
        if not rows:
            continue
        keys = list(rows) if only is None else [key for key in only.get(table, ()) if key in rows]
        for key in keys:
            reason = schemas.problem("store", rows[key], table)
            if reason is None:
                continue
            skipped.setdefault(table, {})[key] = rows.pop(key)
            warnings.append(
                f"{path}: skipped {table} record {key} ({reason}); it is kept as it is in the file"
            )
    return skipped, warnings


def schema_version(data: dict) -> int:
    meta = data.get(META_TABLE) or {}
    for record in meta.values():
        return int(record.get("schema_version", SCHEMA_VERSION))
    return SCHEMA_VERSION


# ---------------------------------------------------------------------------
# reading the file


def file_key(stat: os.stat_result) -> tuple:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def environment_error(path: Path, error: OSError, doing: str) -> StoreError:
    if error.errno == errno.ENOSPC:
        reason = "disk full"
    elif error.errno == errno.EDQUOT:
        reason = "disk quota exceeded"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "folder not writable" if doing != "read" else "permission denied"
    else:
        reason = error.strerror or str(error)
    tail = " Nothing was changed: the database is as it was before." if doing == "save" else ""
    return StoreError(f"{path}: cannot {doing} the annotation database ({reason}).{tail}", EXIT_ENVIRONMENT)


def corrupt_store_error(path: Path, raw: bytes, reason: str) -> StoreError:
    """The message for an unreadable database: where it is, a copy, how to recover.
    Another program's file (a system file given as --db) gets no copy beside it and no
    advice to move it: only that it is not a database."""
    if not may_be_ours(path, raw):
        return StoreError(f"{path}: not an annotate database ({reason}). The file was left untouched; "
                          "choose another file with --db.", EXIT_BAD_INPUT)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    copy = keep_copy(path, raw, f"{path.name}.corrupt-{stamp}")
    parts = [f"{path}: not a readable annotate database ({reason}). The file was left untouched."]
    recovered = recover_prefix(raw)
    if recovered is not None:
        rescued = keep_copy(path, dumps(recovered), f"{path.name}.recovered-{stamp}")
        if rescued:
            count = len(recovered.get(ANNOTATIONS, {}))
            parts.append(f"Its complete start was recovered ({count} annotations) into {rescued}: move that to {path} to use it.")
    backups = sorted(glob.glob(glob.escape(str(path)) + ".bak-*"))
    if backups:
        parts.append(f"The newest backup is {backups[-1]}.")
    if copy:
        parts.append(f"A copy is kept at {copy}.")
    parts.append(f"To start afresh, move it aside (mv '{path}' '{path}.broken').")
    return StoreError(" ".join(parts), EXIT_BAD_INPUT)


def may_be_ours(path: Path, raw: bytes) -> bool:
    """Could this be an annotate database, whole or damaged? Named like one (``.json``,
    as TinyDB files are), or bytes that are one cut short or followed by garbage. Else
    it is some other program's file (``--db /etc/passwd``): not to be copied or moved."""
    if path.suffix.lower() == ".json":
        return True
    head = raw.lstrip()
    if not head or f'"{STORE_SCHEMA}"'.encode() in raw:
        return True
    if not head.startswith(b'{"'):
        return False
    try:
        loads(raw)
    except (ValueError, UnicodeDecodeError):
        return True  # an object cut short or followed by garbage: an interrupted write
    return False


def keep_copy(path: Path, raw: bytes, name: str) -> Path | None:
    """Write ``raw`` beside ``path`` (never over it); reuse an identical earlier copy."""
    folder = path.parent
    for existing in glob.glob(os.path.join(glob.escape(str(folder)), name.rsplit("-", 1)[0] + "-*")):
        with contextlib.suppress(OSError):
            if os.path.getsize(existing) == len(raw) and Path(existing).read_bytes() == raw:
                return Path(existing)
    target = folder / name
    try:
        with open(target, "xb") as handle:
            handle.write(raw)
    except OSError:
        return None
    return target


def recover_prefix(raw: bytes) -> dict | None:
    """A database followed by garbage (an interrupted in-place write) still parses at its start."""
    import json  # only for a broken file

    try:
        text = raw.decode("utf-8")
        data, _end = json.JSONDecoder().raw_decode(text.lstrip())
        data = validate(data)
    except (ValueError, StoreFormatError, RecursionError):
        return None
    return data if data else None


@dataclass
class StoreFile:
    """The database file as read and validated: its path, its tables, its identity
    (``file_key``; None when there is no file yet) to tell whether it changed since, and
    the records skipped as invalid (kept verbatim for the next save) with their warnings."""

    path: Path
    data: dict | None  # None: known valid, not read yet (see read_store_file)
    key: tuple | None
    skipped: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    checked_all: bool = False  # every record was checked against the schema (not a trusted file)


def load_file(path: Path) -> StoreFile:
    """Parse and validate the file at ``path``; a missing file is an empty store.
    StoreError (exit 2) for a file that is not an annotate database, with a copy kept
    beside it; exit 1 for a file that cannot be read. Every record is checked against the
    schema unless annotate wrote the file last (its stamp in the lock file): then only the
    records an earlier save kept as invalid are checked again."""
    try:
        with open(path, "rb") as handle:
            key = file_key(os.fstat(handle.fileno()))
            raw = handle.read()
    except FileNotFoundError:
        return StoreFile(path, {}, None)
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not an annotation database; choose a file with --db") from None
    except OSError as error:
        raise environment_error(path, error, "read") from None
    try:
        if not raw:
            raise StoreFormatError("the file is empty (0 bytes); annotate never writes an empty file")
        try:
            parsed = loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise StoreFormatError(f"not valid JSON: {error}") from None
        except RecursionError:
            raise StoreFormatError("not valid JSON: nested too deeply") from None
        data = validate(parsed)
        only = skipped_keys(data) if stamped(path, key) else None
        skipped, warnings = check_records(path, data, only)
        if skipped and _orjson() is not None:
            try:
                exact = exact_loads(raw)  # kept verbatim: not as orjson rounded a long integer
            except RecursionError:
                raise StoreFormatError("a record is nested too deeply to be kept as it is") from None
            skipped = {table: {key: exact[table][key] for key in rows} for table, rows in skipped.items()}
    except StoreFormatError as error:
        raise corrupt_store_error(path, raw, str(error)) from None
    return StoreFile(path, data, key, skipped, warnings, checked_all=only is None)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def stamp(key: tuple) -> bytes:
    """How a writer names, in the lock file's token, the file it has just written."""
    return " ".join(str(part) for part in key).encode()


def written_by_annotate(path: Path) -> bool:
    """Is the file exactly the one an annotate store wrote last? Then it is known to be
    valid without parsing it: each save leaves the file's (inode, size, mtime, ctime) in
    the lock file's token, and any other program that writes the file changes its ctime
    at least. A read without the lock: a write under way only makes the answer False.
    (With coarse timestamps a same-size in-place write within one tick could pass; the
    store still parses the file when it opens, and refuses it with the same message.)"""
    try:
        key = file_key(os.stat(path))
    except OSError:
        return False
    return stamped(path, key)


def stamped(path: Path, key: tuple) -> bool:
    """Does the lock file's token name the file with identity ``key``?"""
    if os.name == "nt":  # ctime is the creation time there, and no token is written
        return False
    try:
        fd = os.open(lock_path(path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        token = os.pread(fd, TOKEN_BYTES, 0)
    except OSError:
        return False
    finally:
        os.close(fd)
    _random, _, written = token.partition(b" ")
    return written.rstrip() == stamp(key)


def read_store_file(db: str | os.PathLike | None = None, for_writing: bool = True) -> StoreFile:
    """Check the database at ``db`` (None: the default place) before using it: a usable
    folder and, when the file exists, an annotate database. Creates the folder; the
    file itself appears on the first save. A file that annotate wrote last is not parsed
    here (``data`` None): the store parses it when it opens, after the reader's first paint
    for ``annotate FILE``. ``for_writing`` False (commands that only read: list, export):
    a folder that cannot be created or written is no error."""
    path = Path(os.path.abspath(paths.db_path(db)))
    kind = paths.not_a_regular_file(path)  # a FIFO would hang the read, a device feed it forever
    if kind is not None:
        raise StoreError(f"{path}: is {kind}, not an annotation database; choose a regular file with --db")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if for_writing:
            raise StoreError(
                f"{path.parent}: cannot create the database folder ({error.strerror or error})", EXIT_ENVIRONMENT
            ) from None
    if for_writing and not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError(f"{path.parent}: the database folder is not writable", EXIT_ENVIRONMENT)
    if written_by_annotate(path):
        return StoreFile(path, None, None)
    return load_file(path)
