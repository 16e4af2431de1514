"""Crash loop: SIGKILL a process that is saving and importing annotations, over and over.

    python tests/hardening/crash_loop.py [--iterations N] [--seed S] [--folder DIR] [--fresh]

Each iteration starts a child process on the same store: forked from a server process
that has imported annotate once (a child starts in about a millisecond, so 200 kills
take seconds), or with ``--fresh`` a new interpreter each time (slower; kills then
also land during start-up).  The child opens the store and then, until it is killed,
performs random operations (add one annotation,
add several in one write, import an annotate json export, edit a label/note, remove
one, remove many).  Around each operation it appends a line to its log and fsyncs it:
``begin`` (with everything needed to replay the operation) before calling the store and
``commit`` after the call returned.  The parent kills the child with SIGKILL at a random
moment (most often while it is writing), then opens the store and checks:

* it opens (never corrupt, never truncated) and no temp file is left behind;
* it holds exactly the committed annotations: every operation logged as committed is
  there, and the one operation that was running when the kill came is either wholly
  there or wholly absent (all or nothing), never half.

Exit status 0 when every iteration held, 1 otherwise (the first difference is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DOC_TEXT = "".join(
    f"Paragraph {n}: the minister said on Monday that 👩\u200d👩\u200d👧 talks in Kyiv would resume, "
    "according to officials who spoke on condition of anonymity.\n"
    for n in range(40)
)
DOC_PATH = "<crash-loop>"
MAX_KEPT = 40  # above this many annotations the child removes half (keeps saves small)
DEFAULT_ITERATIONS = 200


# --------------------------------------------------------------------------- the child


def child(db: str, log_path: str, seed: int) -> None:
    """Open the store, say ready, then operate until killed (never returns normally)."""
    from annotations.document import document_from_text
    from annotations.export import import_annotations
    from annotations.export.annotate_json import export_json
    from annotations.model import new_annotation
    from annotations.store import open_store

    rng = random.Random(seed)
    document = document_from_text(DOC_TEXT, path=DOC_PATH)
    store = open_store(db)
    store.register_document(document)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(entry: dict) -> None:
        os.write(log, (json.dumps(entry) + "\n").encode())
        os.fsync(log)

    def fresh(count: int) -> list:
        made = []
        for _ in range(count):
            start = rng.randrange(len(DOC_TEXT) - 30)
            end = start + rng.randint(1, 30)
            made.append(
                new_annotation(document, start, end, label=rng.choice(["PERSON", "CLAIM", "CHECK", None]),
                               note=rng.choice(["", "why?", "a note ✓", "[bold]x[/]"]))
            )
        return made

    sys.stdout.write("ready\n")
    sys.stdout.flush()
    import_file = Path(log_path).with_suffix(".import.json")
    number = 0
    while True:
        number += 1
        current = store.annotations(document.sha256)
        choice = rng.random()
        if len(current) > MAX_KEPT:
            victims = [a.id for a in rng.sample(current, len(current) // 2)]
            write({"op": "begin", "n": number, "kind": "remove", "ids": victims})
            store.remove_many(victims)
        elif choice < 0.30 or not current:
            (made,) = fresh(1)
            write({"op": "begin", "n": number, "kind": "add", "records": [record(made)]})
            store.add(made)
        elif choice < 0.50:
            made = fresh(rng.randint(2, 6))
            write({"op": "begin", "n": number, "kind": "add", "records": [record(a) for a in made]})
            store.add_many(made)
        elif choice < 0.70:
            made = fresh(rng.randint(2, 8))
            import_file.write_text(export_json(document, made), encoding="utf-8")
            write({"op": "begin", "n": number, "kind": "add", "records": [record(a) for a in made]})
            import_annotations(store, document, import_file)
        elif choice < 0.88:
            target = rng.choice(current)
            label, note = rng.choice(["PERSON", "ORG", "CHECK"]), f"edit {number}"
            write({"op": "begin", "n": number, "kind": "update", "id": target.id, "label": label, "note": note})
            store.update(target.id, label=label, note=note)
        else:
            target = rng.choice(current)
            write({"op": "begin", "n": number, "kind": "remove", "ids": [target.id]})
            store.remove(target.id)
        write({"op": "commit", "n": number})


def record(annotation) -> dict:
    return {"id": annotation.id, "start": annotation.start, "end": annotation.end,
            "label": annotation.label, "note": annotation.note}


# --------------------------------------------------------------------------- the parent


State = dict  # annotation id -> (start, end, label, note)


def apply(state: State, entry: dict) -> State:
    new = dict(state)
    if entry["kind"] == "add":
        for r in entry["records"]:
            new[r["id"]] = (r["start"], r["end"], r["label"], r["note"])
    elif entry["kind"] == "update":
        start, end, _label, _note = new[entry["id"]]
        new[entry["id"]] = (start, end, entry["label"], entry["note"])
    elif entry["kind"] == "remove":
        for ann_id in entry["ids"]:
            del new[ann_id]
    return new


def read_log(path: Path) -> tuple[list[dict], dict | None]:
    """The committed operations in order, and the one begun but not committed (or None)."""
    committed, pending = [], None
    if not path.exists():
        return committed, pending
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            break  # a line cut by the kill: its op never began from the store's view
        if entry["op"] == "begin":
            pending = entry
        elif entry["op"] == "commit" and pending is not None and pending["n"] == entry["n"]:
            committed.append(pending)
            pending = None
    return committed, pending


def store_state(db: Path) -> State:
    from annotations.document import document_from_text
    from annotations.store import open_store

    store = open_store(db)  # raises StoreError if the kill left a bad file
    try:
        sha = document_from_text(DOC_TEXT, path=DOC_PATH).sha256
        return {a.id: (a.start, a.end, a.label, a.note) for a in store.annotations(sha)}
    finally:
        store.close()


@dataclass
class Result:
    kills: int = 0
    mid_operation: int = 0  # kills that came while an operation was running
    pending_landed: int = 0  # of those, how many the store shows as done (the write had landed)
    operations: int = 0  # operations committed in all
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def wait_ready(process: subprocess.Popen, timeout: float) -> bool:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return bool(ready) and process.stdout.readline().strip() == b"ready"


def zygote(db: str, errors: str) -> None:
    """The fork server: import everything once, then fork one child per request.

    A request is a line ``LOG SEED`` on stdin; the answer is the child's pid.  Children
    are reaped by the kernel (SIGCHLD ignored), so a pid disappears as soon as its
    process is dead.  The server itself never opens the store."""
    import annotations.export  # noqa: F401 - what the children use, imported once
    import annotations.export.annotate_json  # noqa: F401
    import annotations.store  # noqa: F401
    from annotations import schemas

    # A kill between the replace and the lock token leaves a file the next child checks
    # record by record: build the schema checks once here too, not in every child.
    for table in ("meta", "documents", "annotations", "history", "rejections"):
        schemas.validator("store", table)

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        log_path, seed = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                with open(errors, "a") as handle:
                    os.dup2(handle.fileno(), 2)
                with open(os.devnull, "w") as handle:
                    os.dup2(handle.fileno(), 1)  # the server's stdout carries pids only
                child(db, log_path, int(seed))
            except BaseException:  # noqa: BLE001 - a child must never return into the server loop
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(1)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


def gone(pid: int, timeout: float = 30.0) -> bool:
    """Wait until ``pid`` no longer exists (the zygote's children are reaped at once)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.001)
    return False


class ForkServer:
    """Children forked from one process that has imported everything: a child starts in
    about a millisecond, so the kills fall on saves, not on interpreter start-up."""

    def __init__(self, db: Path, folder: Path) -> None:
        self.errors = folder / "children.stderr"
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--zygote", str(db), str(self.errors)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO,
        )
        if not wait_ready(self.process, 60):
            raise RuntimeError("the fork server did not start")

    def kill_one(self, log_path: Path, seed: int, delay: float) -> str | None:
        """Fork a child, kill it after ``delay`` s; None when it was killed, else what went wrong."""
        self.process.stdin.write(f"{log_path} {seed}\n".encode())
        self.process.stdin.flush()
        pid = int(self.process.stdout.readline())
        time.sleep(delay)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return "the child ended by itself: " + (self.errors.read_text()[-2000:] if self.errors.exists() else "")
        if not gone(pid):
            return f"child {pid} survived SIGKILL"
        return None

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


def kill_fresh(db: Path, log_path: Path, seed: int, rng: random.Random) -> str | None:
    """A child in a fresh interpreter (``--fresh``): slower, also kills during imports."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(db), str(log_path), str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=env,
    )
    try:
        if rng.random() < 0.1:
            time.sleep(rng.uniform(0, 0.15))  # sometimes during start-up and the first open
        elif wait_ready(process, 30):
            time.sleep(rng.uniform(0, 0.12))  # most often while it is saving
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
        error = process.stderr.read().decode()
        process.stderr.close()
    if process.returncode != -signal.SIGKILL:
        return f"the child ended by itself ({process.returncode}): {error[-2000:]}"
    return None


def run(folder: Path, iterations: int = DEFAULT_ITERATIONS, seed: int | None = None, verbose: bool = False,
        fresh: bool = False) -> Result:
    seed = random.randrange(2**32) if seed is None else seed
    rng = random.Random(seed)
    db = folder / "store" / "annotations.json"
    result = Result()
    state: State = {}
    started = time.perf_counter()
    server = None if fresh else ForkServer(db, folder)
    try:
        for iteration in range(iterations):
            state = _iteration(iteration, folder, db, rng, seed, server, state, result)
            if result.failures:
                break
            if verbose and iteration % 20 == 0:
                print(f"{iteration}: {len(state)} annotations, {result.operations} operations", file=sys.stderr)
    finally:
        if server is not None:
            server.close()
    result.seconds = time.perf_counter() - started
    return result


def _iteration(iteration, folder, db, rng, seed, server, state: State, result: Result) -> State:
    log_path = folder / f"child-{iteration}.log"
    child_seed = rng.randrange(2**32)
    if server is None:
        problem = kill_fresh(db, log_path, child_seed, rng)
    else:
        # From the first open of the store to several saves in: 0-100 ms.
        problem = server.kill_one(log_path, child_seed, rng.uniform(0, 0.1))
    if problem:
        result.failures.append(f"iteration {iteration} (seed {seed}): {problem}")
        return state
    result.kills += 1
    committed, pending = read_log(log_path)
    for entry in committed:
        state = apply(state, entry)
    result.operations += len(committed)
    try:
        found = store_state(db)
    except Exception as exc:  # noqa: BLE001 - a failed open is what we look for
        result.failures.append(f"iteration {iteration} (seed {seed}): the store does not open: {type(exc).__name__}: {exc}")
        return state
    leftovers = [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")]
    if leftovers:
        result.failures.append(f"iteration {iteration}: temp files left after open: {leftovers}")
        return state
    if pending is not None:
        result.mid_operation += 1
        after = apply(state, pending)
        if found == after:
            result.pending_landed += 1
            state = after
            return state
    if found != state:
        missing = sorted(set(state) - set(found))
        extra = sorted(set(found) - set(state))
        changed = sorted(k for k in set(state) & set(found) if state[k] != found[k])
        result.failures.append(
            f"iteration {iteration} (seed {seed}): the store differs from the committed operations "
            f"(pending: {pending and pending['kind']}); missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]}"
        )
        return state
    return state


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], int(argv[3]))
        return 0
    if argv[:1] == ["--zygote"]:
        zygote(argv[1], argv[2])
        return 0
    parser = argparse.ArgumentParser(prog="crash_loop.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS, help="kills (default %(default)s)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (printed; default: random)")
    parser.add_argument("--folder", default=None, help="where the store goes (default: a temp folder)")
    parser.add_argument("--fresh", action="store_true",
                        help="start every child as a new interpreter (slower; kills also land during imports)")
    args = parser.parse_args(argv)
    seed = random.randrange(2**32) if args.seed is None else args.seed
    with tempfile.TemporaryDirectory(prefix="annotate-crash-") as temp:
        folder = Path(args.folder or temp)
        folder.mkdir(parents=True, exist_ok=True)
        result = run(folder, args.iterations, seed, verbose=True, fresh=args.fresh)
    print(
        f"seed {seed}: {result.kills} kills survived, {result.mid_operation} during an operation "
        f"({result.pending_landed} of them had landed), {result.operations} operations committed, "
        f"{result.seconds:.1f} s"
    )
    for failure in result.failures:
        print(f"FAILED: {failure}")
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
