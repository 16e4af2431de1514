"""Two instances (issue 7, point 3): two processes change one store at once, round after round.

Each round both processes are told to go at the same moment; each then adds
annotations (one at a time, several in one write, by import), edits the notes of some
of its own and removes others, and reports what it did.  After every round the store
must hold exactly the union: nothing lost (an add or edit overwritten by the other
process's stale copy), nothing duplicated, nothing removed coming back.
tests/unit/test_store.py has the single-round version; this one counts rounds.
"""

from __future__ import annotations

import json
import subprocess
import sys

from annotations.document import document_from_text
from annotations.store import open_store
from tests.unit.conftest import REPO

ROUNDS = 30
TEXT = "word " * 400

WORKER = r"""
import json, random, sys
sys.path.insert(0, {repo!r})
from annotations.document import document_from_text
from annotations.export import import_annotations
from annotations.export.annotate_json import export_json
from annotations.model import new_annotation
from annotations.store import open_store

db, tag, folder = sys.argv[1], sys.argv[2], sys.argv[3]
rng = random.Random(tag)
doc = document_from_text({text!r}, path="<shared>")
store = open_store(db)
mine = {{}}  # id -> note, what this process believes it owns
print("ready", flush=True)
for line in sys.stdin:
    number = int(line)
    added, removed, edited = [], [], {{}}
    def make():
        start = rng.randrange(0, 1990, 5)
        return new_annotation(doc, start, start + 4, label=tag, note=f"{{tag}}-{{number}}")
    for step in range(8):
        ann = make()
        store.add(ann)
        added.append(ann.id)
    many = [make() for _ in range(4)]
    store.add_many(many)
    added += [a.id for a in many]
    imported = [make() for _ in range(3)]
    path = f"{{folder}}/{{tag}}-{{number}}.json"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(export_json(doc, imported))
    import_annotations(store, doc, path)
    added += [a.id for a in imported]
    for ann_id in added:
        mine[ann_id] = f"{{tag}}-{{number}}"
    owned = sorted(mine)
    for ann_id in rng.sample(owned, 3):
        note = f"{{tag}} edited in round {{number}}"
        store.update(ann_id, note=note)
        mine[ann_id] = note
        edited[ann_id] = note
    for ann_id in rng.sample(sorted(set(owned) - set(edited)), 4):
        store.remove(ann_id)
        del mine[ann_id]
        removed.append(ann_id)
    print(json.dumps({{"added": added, "removed": removed, "edited": edited}}), flush=True)
"""


def start(db, tag, folder) -> subprocess.Popen:
    code = WORKER.format(repo=str(REPO), text=TEXT)
    process = subprocess.Popen([sys.executable, "-c", code, str(db), tag, str(folder)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


def test_two_processes_many_rounds_lose_and_duplicate_nothing(tmp_path):
    db = tmp_path / "store" / "annotations.json"
    workers = [start(db, tag, tmp_path) for tag in ("ONE", "TWO")]
    expected: dict[str, str] = {}  # id -> note
    sha = document_from_text(TEXT, path="<shared>").sha256
    try:
        for number in range(ROUNDS):
            for worker in workers:  # both start together
                worker.stdin.write(f"{number}\n")
                worker.stdin.flush()
            for worker in workers:
                line = worker.stdout.readline()
                assert line, worker.stderr.read()
                report = json.loads(line)
                for ann_id in report["added"]:
                    assert ann_id not in expected
                    expected[ann_id] = None
                expected.update(report["edited"])
                for ann_id in report["removed"]:
                    del expected[ann_id]
            store = open_store(db)
            saved = store.annotations(sha)
            store.close()
            ids = [a.id for a in saved]
            assert len(ids) == len(set(ids)), f"round {number}: duplicated annotations"
            assert set(ids) == set(expected), (
                f"round {number}: lost {sorted(set(expected) - set(ids))[:3]}, "
                f"came back or extra {sorted(set(ids) - set(expected))[:3]}"
            )
            for annotation in saved:
                if expected[annotation.id] is not None:
                    assert annotation.note == expected[annotation.id], f"round {number}: an edit was lost"
    finally:
        for worker in workers:
            worker.stdin.close()
            worker.wait(timeout=60)
    assert number == ROUNDS - 1
    assert len(expected) == ROUNDS * 2 * (8 + 4 + 3 - 4)
