"""Analyse many documents at once: ``nlp.pipe`` with ``n_process``, the cache, bad files reported.

``analyse_many(paths, jobs=N)`` yields one ``BatchResult`` per input:

1. every input is read once (text or HTML, ``annotations.inputs``); a bad file becomes an
   error result and the run goes on; a document whose analysis is cached (same sha256,
   model and pipeline version) is answered from the cache at once;
2. the others are read again, one at a time, split into chunks (as the one-document
   analysis does) and streamed through ``nlp.pipe(as_tuples=True, n_process=jobs)``; only
   their paths are kept in between, so memory stays flat however many documents there are;
3. the pipeline used here ends with ``annotate_batch_records``: in the worker process it
   turns the parsed chunk into plain records (``extract.doc_records``) and, when the chunk
   is the whole article (news-sized ones are), also runs the document-level rules
   (``run.analyse_records``) there, so they run in parallel too; it returns a tiny Doc that
   carries only that plain data, so what crosses the process boundary (and is
   deserialised in this process) is small, never the whole parse;
4. for longer articles, when all their chunks are in, the rules run in this process;
   every result is cached and yielded.

An interrupted run leaves every finished document in the cache, so running the same
command again only analyses the rest (resume).
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import warnings
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from annotations.analysis import (
    MODEL_NAME,
    SCHEMA,
    AnalysisCancelled,
    analysis_cache_key,
    document_header,
    model_version,
)
from annotations.analysis_cache import AnalysisCache
from annotations.document import Document, DocumentError
from annotations.html import ExtractionArchive
from annotations.inputs import load_input

RECORDS_KEY = "annotate.batch_records"
COMPONENT = "annotate_batch_records"
BATCH_SIZE = 16


@dataclass
class BatchResult:
    path: str
    result: dict | None = None
    error: str | None = None
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BatchStats:
    total: int = 0
    cached: int = 0
    analysed: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.cached + self.analysed + self.failed


Progress = Callable[[BatchStats], None]


def contract(document: Document, lists: dict) -> dict:
    """The contract dict, keys in the same order as ``annotations.analysis.analyze``."""
    return {
        "schema": SCHEMA,
        "document": document_header(document),
        "model": {"name": MODEL_NAME, "version": model_version()},
        **lists,
    }


@functools.lru_cache(maxsize=1)
def _key_template() -> str:
    """``analysis_cache_key`` with a placeholder sha256: the model version behind it is read
    from the package metadata (about 2 ms), once per process instead of once per document."""
    return analysis_cache_key(Document(path="", text="", sha256=_PLACEHOLDER))


_PLACEHOLDER = "@SHA256@"


def cache_key_of(document: Document) -> str:
    return _key_template().replace(_PLACEHOLDER, document.sha256, 1)


def cached_result(document: Document, cache: AnalysisCache) -> dict | None:
    """As ``annotations.analysis.cached_analysis``, for many documents in a row."""
    result = cache.get(cache_key_of(document), document.text)
    if result is None or result.get("schema") != SCHEMA:
        return None
    result["document"] = document_header(document)
    return result


_component_lock = threading.Lock()


def register_component() -> None:
    """Register the records component with spaCy (once per process)."""
    from spacy.language import Language
    from spacy.tokens import Doc

    with _component_lock:
        if Language.has_factory(COMPONENT):
            return
        from annotations.analysis.extract import doc_records

        @Language.component(COMPONENT)
        def batch_records(doc: Doc) -> Doc:
            context = getattr(doc, "_context", None)
            small = Doc(doc.vocab, words=[])
            small._context = context
            offset = context[1] if context else 0
            records = doc_records(doc, offset)
            if context and context[2] is not None:  # the whole article: run its rules here
                from annotations.analysis.run import analyse_records

                text = context[2] + doc.text + context[3]
                try:
                    small.user_data[RECORDS_KEY] = {"lists": analyse_records(text, records["entities"],
                                                                             records["sentences"])}
                except Exception as error:  # reported for this article; the batch goes on
                    small.user_data[RECORDS_KEY] = {"error": f"analysis failed ({type(error).__name__}: {error})"}
            else:
                small.user_data[RECORDS_KEY] = {"records": records}
            return small


def build_batch_nlp():
    """The analysis pipeline (``pipeline.build_nlp``) plus the records component at the end."""
    from annotations.analysis.pipeline import build_nlp

    register_component()
    nlp = build_nlp()
    nlp.add_pipe(COMPONENT, last=True)
    return nlp


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
) -> Iterator[BatchResult]:
    """Analyse every path (``-`` is standard input); results as they are ready (cached
    and failed ones first, then the analysed ones in input order)."""
    cache = cache or AnalysisCache()
    paths = list(paths)
    stats = BatchStats(total=len(paths))
    pending: list[str] = []
    kept: dict[str, Document] = {}  # documents that cannot be read twice (standard input)

    def report() -> None:
        if progress:
            progress(stats)

    def failed(path: str, reason: str) -> BatchResult:
        stats.failed += 1
        stats.errors.append((path, reason))
        report()
        return BatchResult(path, error=reason)

    for path in paths:
        if cancel is not None and cancel.is_set():
            raise AnalysisCancelled()
        try:
            document = load_input(path, archive, stdin=stdin)
        except DocumentError as error:
            yield failed(path, str(error))
            continue
        hit = cached_result(document, cache) if use_cache else None
        if hit is not None:
            stats.cached += 1
            report()
            yield BatchResult(path, hit, from_cache=True)
            continue
        pending.append(path)
        if path == "-":
            kept[path] = document
    if not pending:
        return

    from annotations.analysis.chunking import split_text
    from annotations.analysis.run import analyse_records

    if nlp is None:
        nlp = build_batch_nlp()
    max_chars = min(nlp.max_length - 1, 100_000)
    # seq -> [document, chunks expected, entities, sentences]; only documents in flight
    open_docs: dict[int, list] = {}
    finished: list[BatchResult] = []

    def finish(seq: int, lists: dict | None = None, error: str | None = None) -> None:
        document, _, entities, sentences = open_docs.pop(seq)
        if lists is None and error is None:
            try:
                lists = analyse_records(document.text, entities, sentences)
            except Exception as exc:  # a rule failing on one document must not stop the batch
                error = f"analysis failed ({type(exc).__name__}: {exc})"
        if error is not None:
            finished.append(failed(document.path, f"{document.path}: {error}"))
            return
        result = contract(document, lists)
        if use_cache:
            cache.put(cache_key_of(document), result)
        stats.analysed += 1
        report()
        finished.append(BatchResult(document.path, result))

    def chunks() -> Iterator[tuple[str, tuple[int, int]]]:
        for seq, path in enumerate(pending):
            if cancel is not None and cancel.is_set():
                return
            try:
                document = kept.pop(path) if path in kept else load_input(path, archive)
            except DocumentError as error:  # changed or removed since the first read
                finished.append(failed(path, str(error)))
                continue
            pieces = split_text(document.text, max_chars=max_chars)
            open_docs[seq] = [document, len(pieces), [], []]
            if not pieces:
                finish(seq)
                continue
            if len(pieces) == 1:  # the whole article in one Doc: the worker runs the rules too
                piece = pieces[0]
                text = document.text
                yield piece.text, (seq, piece.offset, text[:piece.offset], text[piece.end:])
                continue
            for piece in pieces:
                yield piece.text, (seq, piece.offset, None, None)

    previous_handler = None
    if jobs > 1:
        _workers_ignore_interrupts()
        if threading.current_thread() is threading.main_thread():
            previous_handler = signal.signal(signal.SIGINT, _interrupt_stopping_workers)
    docs = nlp.pipe(chunks(), as_tuples=True, n_process=max(1, jobs), batch_size=batch_size)
    finished_normally = False
    try:
        for doc, context in docs:
            seq = context[0]
            payload = doc.user_data.get(RECORDS_KEY) or {"error": "the worker returned nothing"}
            if "records" in payload:
                state = open_docs[seq]
                state[2].extend(payload["records"]["entities"])
                state[3].extend(payload["records"]["sentences"])
                state[1] -= 1
                if state[1] == 0:
                    finish(seq)
            else:
                finish(seq, lists=payload.get("lists"), error=payload.get("error"))
            while finished:
                yield finished.pop(0)
            if cancel is not None and cancel.is_set():
                raise AnalysisCancelled()
        finished_normally = True
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
        if not finished_normally and jobs > 1:
            _stop_workers()  # interrupted or stopped early: do not wait for their current batch
        close = getattr(docs, "close", None)
        if close is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # spaCy's W127 when the workers were stopped
                close()
    while finished:
        yield finished.pop(0)
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
