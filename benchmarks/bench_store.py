"""Saving one annotation into stores holding 100, 1,000 and 10,000 (issue 3, item 10).

Target: < 50 ms per save at 10,000.  Baseline, measured in the same run on the same
records: stock TinyDB (default ``JSONStorage``) inserting one document.  The store's
save does more than the baseline's insert (lock, re-read check, the undo entry, fsync
of the file and of its folder), so a ratio above 1 at small sizes is expected; what
matters is the absolute time at 10k.

Each store is seeded the way real use fills it: annotations spread over 10 documents,
one undo entry per annotation (so the file also carries the history).  Every timed
save is followed by an untimed remove, so the size stays N.

    python -m benchmarks.bench_store [--quick]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from annotations import history
from annotations.document import document_from_text
from annotations.model import new_annotation
from annotations.store import ANNOTATIONS, open_store

SIZES = (100, 1_000, 10_000)
TARGET_MS = 50.0
DOCUMENTS = 10
WORDS = "Officials said on Monday that the front line had not moved despite reports of heavy fighting near Kursk. "


def make_documents():
    return [document_from_text(f"Article {n}.\n" + WORDS * 200, path=f"/bench/article-{n}.txt") for n in range(DOCUMENTS)]


def annotation_for(documents, index: int):
    document = documents[index % len(documents)]
    start = (index * 7) % (len(document.text) - 40)
    return new_annotation(document, start, start + 25, label="CLAIM", note=f"note {index}")


def seed_store(path: Path, documents, count: int):
    store = open_store(path)
    for document in documents:
        store.register_document(document)
    with store._transaction() as tx:  # one write for the whole seed
        for index in range(count):
            annotation = annotation_for(documents, index)
            record = annotation.to_dict()
            history.record(tx, annotation.doc_sha, "seed", [history.change(ANNOTATIONS, annotation.id, None, record)])
    return store


def time_store_saves(store, documents, repeats: int) -> list[float]:
    samples = []
    for index in range(repeats):
        annotation = annotation_for(documents, 1_000_000 + index)
        started = time.perf_counter()
        store.add(annotation)
        samples.append((time.perf_counter() - started) * 1000)
        store.remove(annotation.id)
    return samples


def time_stock_tinydb(path: Path, documents, count: int, repeats: int) -> list[float]:
    database = TinyDB(path)  # default JSONStorage: the baseline
    table = database.table("annotations")
    table.insert_multiple(annotation_for(documents, index).to_dict() for index in range(count))
    samples = []
    for index in range(repeats):
        record = annotation_for(documents, 1_000_000 + index).to_dict()
        started = time.perf_counter()
        doc_id = table.insert(record)
        samples.append((time.perf_counter() - started) * 1000)
        table.remove(doc_ids=[doc_id])
    database.close()
    return samples


def time_open(path: Path, sha: str, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        store = open_store(path)
        store.annotations(sha)
        samples.append((time.perf_counter() - started) * 1000)
        store.close()
    return samples


def time_stock_open(path: Path, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        database = TinyDB(path)
        database.table("annotations").all()
        samples.append((time.perf_counter() - started) * 1000)
        database.close()
    return samples


def run(quick: bool) -> list[dict]:
    rows = []
    documents = make_documents()
    with tempfile.TemporaryDirectory(prefix="annotate-bench-store-") as folder:
        for size in SIZES:
            repeats = 5 if quick else (40 if size <= 1_000 else 15)
            store_path, stock_path = Path(folder) / f"store-{size}.json", Path(folder) / f"stock-{size}.json"
            store = seed_store(store_path, documents, size)
            ours = statistics.median(time_store_saves(store, documents, repeats))
            store.close()
            stock = statistics.median(time_stock_tinydb(stock_path, documents, size, repeats))
            rows.append(
                {
                    "name": f"store: save 1 annotation, {size:,} in store",
                    "value": ours,
                    "baseline": stock,
                    "ratio": ours / stock if stock else None,
                    "unit": "ms",
                    "target": f"< {TARGET_MS:.0f} ms",
                    "ok": ours < TARGET_MS,
                    "note": (
                        f"median of {repeats}; baseline = stock TinyDB JSONStorage insert; ours includes "
                        "lock, undo entry, atomic replace and fsyncs"
                    )
                    if size == SIZES[-1]
                    else "",
                }
            )
        opens = 3 if quick else 7
        ours = statistics.median(time_open(store_path, documents[0].sha256, opens))
        stock = statistics.median(time_stock_open(stock_path, opens))
        rows.append(
            {
                "name": f"store: open + read one document, {SIZES[-1]:,} in store",
                "value": ours,
                "baseline": stock,
                "ratio": ours / stock if stock else None,
                "unit": "ms",
                "target": "-",
                "note": "parse, validate, index (and the undo history, which stock TinyDB's file lacks)",
            }
        )
    return rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv[1:]
    for row in run(quick):
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        print(f"{row['name']:<42} {row['value']:8.2f} ms  baseline {row['baseline']:8.2f} ms  {ratio:>7}  {row['target']}")
