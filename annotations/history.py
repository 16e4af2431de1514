"""Undo/redo as data: every change is a history entry stored beside the annotations.

An entry lists record-level changes (``table``, ``id`` and the record's state before
or after, None meaning "absent") and a short description.  Undo writes each
``before`` back (last change first), redo writes each ``after``; the entry is flagged
``undone`` in the same write.  Because entries live in the store, undo is unlimited, survives a restart, and
each operation's change and its entry reach the disk in one atomic write.

A new change on a document drops that document's undone entries (the redo branch),
as every editor does.

Undo belongs to the instance that made the change (issue 12): each entry names the
``session`` (one running store) that recorded it, and an instance undoes and redoes only
its own entries and those of sessions that are no longer running (so after a restart
the persisted history is yours again). An entry whose records a later, still applied
entry of someone else touched is not reverted (``Conflict``): that would undo their change.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from annotations.model import new_id, now_iso
from annotations.store_file import HISTORY as HISTORY_TABLE


class Records(Protocol):
    """What history needs from a store transaction."""

    def get(self, table: str, record_id: str) -> dict | None: ...

    def put(self, table: str, record: dict) -> None: ...

    def delete(self, table: str, record_id: str) -> None: ...

    def records(self, table: str, doc_sha: str) -> list[dict]: ...


class Conflict(Exception):
    """Undo or redo would overwrite a later change another instance made (the message says which)."""


Owns = Callable[[Any], bool]  # is an entry's ``session`` one this instance may undo?


def _everyone(_session: Any) -> bool:
    return True


def change(table: str, record_id: str, before: dict | None, after: dict | None) -> dict[str, Any]:
    return {"table": table, "id": record_id, "before": before, "after": after}


def _set(records: Records, table: str, record_id: str, value: dict | None) -> None:
    if value is None:
        records.delete(table, record_id)
    else:
        records.put(table, dict(value))


# An entry stores only the side it will need next.  While an entry is done, the
# "after" state is what the table holds now, so only "before" is kept (an added
# annotation costs a few bytes of history, not a second copy of itself); undo reads
# the current record back into "after" as it restores "before", and redo does the
# reverse.  This halves the file, and every write rewrites the whole file.


def _undo_changes(records: Records, changes: list[dict]) -> list[dict]:
    stored = []
    for item in reversed(changes):
        current = records.get(item["table"], item["id"])
        _set(records, item["table"], item["id"], item.get("before"))
        stored.append({"table": item["table"], "id": item["id"], "after": None if current is None else dict(current)})
    stored.reverse()
    return stored


def _redo_changes(records: Records, changes: list[dict]) -> list[dict]:
    stored = []
    for item in changes:
        current = records.get(item["table"], item["id"])
        _set(records, item["table"], item["id"], item.get("after"))
        stored.append({"table": item["table"], "id": item["id"], "before": None if current is None else dict(current)})
    return stored


def entries(records: Records, doc_sha: str) -> list[dict]:
    """The document's history entries, oldest first."""
    return sorted(records.records(HISTORY_TABLE, doc_sha), key=lambda entry: entry["seq"])


def _touched(entry: dict) -> set[tuple[str, str]]:
    return {(item["table"], item["id"]) for item in entry["changes"]}


def _check_no_later_change(records: Records, doc_sha: str, entry: dict, doing: str) -> None:
    touched = _touched(entry)
    for later in records.records(HISTORY_TABLE, doc_sha):
        if later["seq"] > entry["seq"] and not later.get("undone") and _touched(later) & touched:
            raise Conflict(
                f"cannot {doing} {entry['description']}: changed since by another reader ({later['description']})"
            )


def record(records: Records, doc_sha: str, description: str, changes: list[dict],
           session: Any = None, owns: Owns = _everyone) -> dict:
    """Apply ``changes`` and add their history entry, dropping the redo branch (the
    undone entries this instance owns)."""
    top = 0
    for entry in records.records(HISTORY_TABLE, doc_sha):
        if entry.get("undone") and owns(entry.get("session")):
            records.delete(HISTORY_TABLE, entry["id"])
        elif entry["seq"] > top:
            top = entry["seq"]
    stored = _redo_changes(records, changes)
    entry = {
        "id": new_id(),
        "doc_sha": doc_sha,
        "seq": top + 1,
        "time": now_iso(),
        "description": description,
        "changes": stored,
        "undone": False,
    }
    if session is not None:
        entry["session"] = session
    records.put(HISTORY_TABLE, entry)
    return entry


def _undoable(records: Records, doc_sha: str, owns: Owns) -> list[dict]:
    return [e for e in records.records(HISTORY_TABLE, doc_sha) if not e.get("undone") and owns(e.get("session"))]


def _redoable(records: Records, doc_sha: str, owns: Owns) -> list[dict]:
    return [e for e in records.records(HISTORY_TABLE, doc_sha) if e.get("undone") and owns(e.get("session"))]


def undo(records: Records, doc_sha: str, owns: Owns = _everyone) -> str | None:
    """Undo this instance's latest change of the document; its description, or None if
    there is none. Conflict when someone else changed the same records since."""
    done = _undoable(records, doc_sha, owns)
    if not done:
        return None
    entry = max(done, key=lambda item: item["seq"])
    _check_no_later_change(records, doc_sha, entry, "undo")
    stored = _undo_changes(records, entry["changes"])
    records.put(HISTORY_TABLE, {**entry, "changes": stored, "undone": True})
    return entry["description"]


def redo(records: Records, doc_sha: str, owns: Owns = _everyone) -> str | None:
    """Redo this instance's earliest undone change; its description, or None if there is none."""
    undone = _redoable(records, doc_sha, owns)
    if not undone:
        return None
    entry = min(undone, key=lambda item: item["seq"])
    _check_no_later_change(records, doc_sha, entry, "redo")
    stored = _redo_changes(records, entry["changes"])
    records.put(HISTORY_TABLE, {**entry, "changes": stored, "undone": False})
    return entry["description"]


def can_undo(records: Records, doc_sha: str, owns: Owns = _everyone) -> bool:
    return bool(_undoable(records, doc_sha, owns))


def can_redo(records: Records, doc_sha: str, owns: Owns = _everyone) -> bool:
    return bool(_redoable(records, doc_sha, owns))
