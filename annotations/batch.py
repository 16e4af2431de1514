"""Analyse many documents at once, on this machine: the cache, bad files reported, resume.

``analyse_many(paths, jobs=N)`` yields one ``BatchResult`` per input:

1. every input is read once (text or HTML, ``annotations.inputs``); a bad file becomes an
   error result and the run goes on; a document whose analysis is cached (same sha256,
   model and pipeline version), or that the output already holds (``done``), is answered
   at once;
2. the others are read again, one at a time, and go through the one analysis runner
   (``annotations.analysis.runner.analyse_texts``) with ``n_process=jobs``; only their
   paths are kept in between, so memory stays flat however many documents there are;
3. every result gets the contract's header (``annotations.analysis.contract``), is cached
   and yielded.

``Ledger`` is that bookkeeping (reading, cache, counts, errors), shared with the cluster
run (``annotations.cluster``). An interrupted run leaves every finished document in the
cache (and in ``-o OUT.jsonl``), so running the same command again only analyses the
rest (resume). The worker processes die with this one (``workers_follow_parent``).
"""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from annotations.analysis import AnalysisCancelled, batch_cache_key, cached_analysis, contract, document_header
from annotations.analysis_cache import AnalysisCache
from annotations.document import Document, DocumentError
from annotations.html import ExtractionArchive
from annotations.inputs import load_input

BATCH_SIZE = 16


@dataclass
class BatchResult:
    path: str
    result: dict | None = None
    error: str | None = None
    from_cache: bool = False
    in_output: bool = False  # already in the output: nothing to write

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BatchStats:
    total: int = 0
    cached: int = 0
    analysed: int = 0
    failed: int = 0
    kept: int = 0  # already in the output
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.cached + self.analysed + self.failed + self.kept


Progress = Callable[[BatchStats], None]


class ClusterError(Exception):
    """A cluster run cannot go on (``annotations.cluster``; environment: exit 1); one line.
    Defined here so the command can catch it without importing Dask."""
Done = Callable[[Document], bool]


class Ledger:
    """The bookkeeping of one batch run, wherever the analysis runs."""

    def __init__(self, total: int, cache: AnalysisCache | None, use_cache: bool, progress: Progress | None,
                 done: Done | None = None) -> None:
        self.stats = BatchStats(total=total)
        self.cache = cache or AnalysisCache()
        self.use_cache = use_cache
        self.progress = progress
        self.done = done

    def report(self) -> None:
        if self.progress:
            self.progress(self.stats)

    def failed(self, path: str, reason: str) -> BatchResult:
        self.stats.failed += 1
        self.stats.errors.append((path, reason))
        self.report()
        return BatchResult(path, error=reason)

    def read(self, path: str, archive: ExtractionArchive | None, stdin=None) -> tuple[Document | None, BatchResult | None]:
        """Read ``path``: ``(document, None)`` when it is to be analysed, else ``(None, its
        result)``: unreadable, already in the output, or cached."""
        try:
            document = load_input(path, archive, stdin=stdin)
        except DocumentError as error:
            return None, self.failed(path, str(error))
        answer = self.answer(document)
        return (None, answer) if answer is not None else (document, None)

    def answer(self, document: Document) -> BatchResult | None:
        """The result without analysing (already in the output, or cached), else None."""
        if self.done is not None and self.done(document):
            self.stats.kept += 1
            self.report()
            return BatchResult(document.path, in_output=True)
        hit = cached_result(document, self.cache) if self.use_cache else None
        if hit is None:
            return None
        self.stats.cached += 1
        self.report()
        return BatchResult(document.path, hit, from_cache=True)

    def analysed(self, header: dict, lists: dict | None, error: str | None) -> BatchResult:
        path = header["path"]
        if error is not None or lists is None:
            return self.failed(path, f"{path}: {error or 'no result'}")
        result = contract(header, lists)
        if self.use_cache:
            self.cache.put(batch_cache_key(header["sha256"]), result)
        self.stats.analysed += 1
        self.report()
        return BatchResult(path, result)


def cached_result(document: Document, cache: AnalysisCache) -> dict | None:
    """``annotations.analysis.cached_analysis`` with the batch key: for many documents in a row."""
    return cached_analysis(document, cache, batch_cache_key(document.sha256))


def analyse_many(
    paths: Iterable[str],
    jobs: int = 1,
    use_cache: bool = True,
    cache: AnalysisCache | None = None,
    archive: ExtractionArchive | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    nlp=None,
    batch_size: int = BATCH_SIZE,
    stdin=None,
    done: Done | None = None,
) -> Iterator[BatchResult]:
    """Analyse every path (``-`` is standard input); results as they are ready (cached
    and failed ones first, then the analysed ones)."""
    paths = list(paths)
    ledger = Ledger(len(paths), cache, use_cache, progress, done)
    pending: list[str] = []
    kept: dict[str, Document] = {}  # documents that cannot be read twice (streams: stdin, FIFOs)

    for path in paths:
        if cancel is not None and cancel.is_set():
            raise AnalysisCancelled()
        document, result = ledger.read(path, archive, stdin)
        if result is not None:
            yield result
            continue
        pending.append(path)
        if document.metadata.get("stream"):
            kept[path] = document
    if not pending:
        return

    from annotations.analysis.runner import analyse_texts, batch_nlp

    unreadable: list[BatchResult] = []

    def texts() -> Iterator[tuple[dict, str]]:
        for path in pending:
            if cancel is not None and cancel.is_set():
                return
            try:
                document = kept.pop(path) if path in kept else load_input(path, archive)
            except DocumentError as error:  # changed or removed since the first read
                unreadable.append(ledger.failed(path, str(error)))
                continue
            yield document_header(document), document.text

    previous_handler = None
    if jobs > 1:
        _workers_ignore_interrupts()
        workers_follow_parent()
        if threading.current_thread() is threading.main_thread():
            previous_handler = signal.signal(signal.SIGINT, _interrupt_stopping_workers)
    results = analyse_texts(texts(), nlp if nlp is not None else batch_nlp(), n_process=max(1, jobs),
                            batch_size=batch_size)
    finished_normally = False
    try:
        for header, lists, error in results:
            while unreadable:
                yield unreadable.pop(0)
            yield ledger.analysed(header, lists, error)
            if cancel is not None and cancel.is_set():
                raise AnalysisCancelled()
        finished_normally = True
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
        if not finished_normally and jobs > 1:
            _stop_workers()  # interrupted or stopped early: do not wait for their current batch
        results.close()
    while unreadable:
        yield unreadable.pop(0)
    if cancel is not None and cancel.is_set():
        raise AnalysisCancelled()


class _AfterFork:
    """Anchor for ``multiprocessing.util.register_after_fork`` (it keeps a weak reference)."""


_AFTER_FORK = _AfterFork()


def _ignore_sigint(_anchor) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _workers_ignore_interrupts() -> None:
    """Worker processes started from now on ignore ctrl+c: this process handles it, stops
    them and reports, instead of every worker printing a traceback."""
    import multiprocessing.util

    multiprocessing.util.register_after_fork(_AFTER_FORK, _ignore_sigint)


_followers: dict = {}


def workers_follow_parent() -> None:
    """Worker processes forked from now on end when this process ends, however it ends
    (``kill -9`` included): on Linux the kernel sends them SIGKILL (``PR_SET_PDEATHSIG``);
    elsewhere, and as a second guard, each watches a pipe whose write end only this
    process holds, and exits when it reads end-of-file."""
    import multiprocessing.util

    if _followers:
        return
    _followers["parent"] = os.getpid()
    _followers["pipe"] = os.pipe()
    multiprocessing.util.register_after_fork(_AFTER_FORK, _follow_parent)


def _follow_parent(_anchor) -> None:
    import sys

    read_end, write_end = _followers["pipe"]
    os.close(write_end)  # a worker holding it would keep its siblings' pipe open
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != _followers["parent"]:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        try:
            while os.read(read_end, 1):
                pass
        except OSError:
            pass
        os._exit(1)

    threading.Thread(target=watch, name="annotate-parent-watch", daemon=True).start()


def _interrupt_stopping_workers(signum, frame) -> None:
    """ctrl+c while the workers run: stop them first (spaCy waits for them as the
    interrupt unwinds, and they ignore ctrl+c), then interrupt as usual."""
    _stop_workers()
    raise KeyboardInterrupt


def _stop_workers() -> None:
    import multiprocessing

    for child in multiprocessing.active_children():
        child.terminate()


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


class ResumableOutput:
    """``-o OUT.jsonl`` that a run appends to, so an interrupted run can go on from it.

    On opening, a partial last line (a run killed mid-write) is cut off and the rows
    already there are read: a document whose path, text (sha256) and model match a row is
    not analysed again (``done``). Rows that are not answers of this run (another
    document, an old text of the same path, a repeat, another model) are dropped once the
    run completes (``finish``), so the file then holds one row per input, whichever runs
    wrote it. A FIFO or device is written through, without resume.
    """

    def __init__(self, path: str) -> None:
        from annotations.analysis import MODEL_NAME, model_version

        self.path = path
        self.model = {"name": MODEL_NAME, "version": model_version()}
        self.previous: dict[str, str] = {}  # path -> sha256 of the rows already there
        self.row_at: dict[str, int] = {}  # path -> byte offset of its row (checked before it is kept)
        self.dropped: set[int] = set()  # offsets of rows found wrong: never kept
        self.answered: dict[str, str] = {}  # path -> sha256 of this run's answers
        self.stale = False
        regular = os.path.isfile(path)
        if regular:
            self._read_previous()
        self.handle = open(path, "a" if regular else "w", encoding="utf-8")

    def _read_previous(self) -> None:
        import json

        with open(self.path, "rb+") as raw:
            complete = 0
            for line in raw:
                if not line.endswith(b"\n"):
                    break
                offset = complete
                complete += len(line)
                try:
                    row = json.loads(line)
                    header = row["document"]
                    key, sha256 = header["path"], header["sha256"]
                    usable = row.get("model") == self.model and isinstance(key, str) and isinstance(sha256, str)
                except (ValueError, TypeError, KeyError):
                    usable = False
                if not usable or key in self.previous:
                    self.stale = True
                else:
                    self.previous[key] = sha256
                    self.row_at[key] = offset
            raw.truncate(complete)

    def done(self, document: Document) -> bool:
        sha256 = self.previous.get(document.path)
        if sha256 is None:
            return False
        if sha256 != document.sha256 or not self._row_is_sound(document):
            # the text changed, or the row was edited: analysed again, the old row dropped
            self.stale = True
            self.dropped.add(self.row_at[document.path])
            return False
        self.answered[document.path] = sha256
        return True

    def _row_is_sound(self, document: Document) -> bool:
        """The row kept for ``document`` is an analysis whose every span quotes its text:
        an OUT.jsonl edited by hand is never passed on as this run's answer."""
        import json

        from annotations import schemas
        from annotations.analysis_cache import spans_match

        with open(self.path, "rb") as raw:
            raw.seek(self.row_at[document.path])
            line = raw.readline()
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            return False
        return schemas.problem("analysis-cache", row) is None and spans_match(row, document.text)

    def write(self, result: dict, line: str) -> None:
        self.handle.write(line)
        self.handle.flush()
        header = result["document"]
        self.answered[header["path"]] = header["sha256"]

    def close(self) -> None:
        self.handle.close()

    def finish(self) -> None:
        """After a complete run: drop the rows that are not this run's answers."""
        self.close()
        if set(self.previous) - set(self.answered):
            self.stale = True
        if not self.stale:
            return
        import json

        from annotations.atomic import write_atomically

        def this_runs_rows(source):
            seen: set[str] = set()
            offset = 0
            for line in source:
                offset, at = offset + len(line), offset
                if at in self.dropped:
                    continue
                try:
                    header = json.loads(line)["document"]
                    key = header["path"]
                    keep = key not in seen and self.answered.get(key) == header["sha256"]
                except (ValueError, TypeError, KeyError):
                    keep = False
                if keep:
                    seen.add(key)
                    yield line

        # the one writer: a symlink stays a link to the rewritten file, the mode is kept
        with open(self.path, "rb") as source:
            write_atomically(self.path, this_runs_rows(source))
