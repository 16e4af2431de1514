"""Undo/redo as data: every change is a history entry stored beside the annotations.

An entry lists record-level changes (``table``, ``id`` and the record's state before
or after, None meaning "absent") and a short description.  Undo writes each
``before`` back (last change first), redo writes each ``after``; the entry is flagged
``undone`` in the same write.  Because entries live in the store, undo is unlimited, survives a restart, and
each operation's change and its entry reach the disk in one atomic write.

A new change on a document drops that document's undone entries (the redo branch),
as every editor does.
"""

from __future__ import annotations

from typing import Any, Protocol

from annotations.model import new_id, now_iso
from annotations.store_file import HISTORY as HISTORY_TABLE


class Records(Protocol):
    """What history needs from a store transaction."""

    def get(self, table: str, record_id: str) -> dict | None: ...

    def put(self, table: str, record: dict) -> None: ...

    def delete(self, table: str, record_id: str) -> None: ...

    def records(self, table: str, doc_sha: str) -> list[dict]: ...


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


def record(records: Records, doc_sha: str, description: str, changes: list[dict]) -> dict:
    """Apply ``changes`` and add their history entry, dropping the redo branch."""
    top = 0
    for entry in records.records(HISTORY_TABLE, doc_sha):
        if entry.get("undone"):
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
    records.put(HISTORY_TABLE, entry)
    return entry


def undo(records: Records, doc_sha: str) -> str | None:
    """Undo the document's latest change; its description, or None if there is none."""
    done = [entry for entry in records.records(HISTORY_TABLE, doc_sha) if not entry.get("undone")]
    if not done:
        return None
    entry = max(done, key=lambda item: item["seq"])
    stored = _undo_changes(records, entry["changes"])
    records.put(HISTORY_TABLE, {**entry, "changes": stored, "undone": True})
    return entry["description"]


def redo(records: Records, doc_sha: str) -> str | None:
    """Redo the earliest undone change; its description, or None if there is none."""
    undone = [entry for entry in records.records(HISTORY_TABLE, doc_sha) if entry.get("undone")]
    if not undone:
        return None
    entry = min(undone, key=lambda item: item["seq"])
    stored = _redo_changes(records, entry["changes"])
    records.put(HISTORY_TABLE, {**entry, "changes": stored, "undone": False})
    return entry["description"]


def can_undo(records: Records, doc_sha: str) -> bool:
    return any(not entry.get("undone") for entry in records.records(HISTORY_TABLE, doc_sha))


def can_redo(records: Records, doc_sha: str) -> bool:
    return any(entry.get("undone") for entry in records.records(HISTORY_TABLE, doc_sha))
