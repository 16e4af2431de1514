"""Batch analysis on a Dask cluster: the client reads, the workers analyse.

``cluster_client(spec)`` connects to ``tcp://HOST:PORT`` (a running ``dask scheduler``) or
starts ``local:N``, a ``LocalCluster`` of N single-thread worker processes on this machine
(children of this process: they end when it ends, ``kill -9`` included, through the
pipe Dask's process wrapper gives each of them).

``analyse_on_cluster(client, paths)`` yields a ``BatchResult`` per input, as the local batch
(``annotations.batch.analyse_many``) does, with the same ``Ledger``:

1. this process reads each input (workers need no shared file system); a bad file is an
   error result, a cached document or one already in the output is answered here and
   never sent;
2. the other texts go out in batches (``BATCH_CHARS``: a few seconds of work for one
   worker) as ``annotations.analysis.runner.analyse_batch`` tasks; a worker loads the
   pipeline once per process and runs the one analysis runner over the batch;
3. at most ``2 x worker threads`` batches are in flight; results stream back as they
   finish (``as_completed``) and are released at once, so the client holds only the
   documents in flight, however big the corpus;
4. before anything is sent every worker's pipeline identity (model, model version,
   pipeline version and user source table) is compared with this process's, and each
   batch's answer carries it again (a worker that joined later): a difference stops the
   run with ``ClusterError``, never a mixed output.

A worker that dies mid-run loses nothing: the scheduler runs its tasks again elsewhere, and
each task's result is collected once. A task that keeps killing workers (``KilledWorker``)
fails the documents of its batch, which are reported with their paths (exit 2).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterable, Iterator

from annotations.analysis import AnalysisCancelled, document_header, pipeline_identity
from annotations.analysis_cache import AnalysisCache
from annotations.batch import BatchResult, ClusterError, Done, Ledger, Progress
from annotations.html import ExtractionArchive

BATCH_CHARS = 60_000  # about 15 news articles: 1-3 s for one worker
BATCH_DOCS = 32
CONNECT_TIMEOUT = 5.0  # seconds
WORKERS_TIMEOUT = 60.0  # a scheduler with no worker: wait this long for one
INSTALL_HINT = "pip install 'annotate[cluster]' (or: pip install 'dask[distributed]')"


class ClusterSpecError(ValueError):
    """``--cluster`` names no cluster (usage: exit 2)."""


DASK_SCHEMES = ("tcp", "tls", "ws", "wss", "inproc", "ucx")  # distributed's comm schemes


def parse_spec(spec: str) -> tuple[str, int | str]:
    """``("local", N)`` for ``local:N``, ``("remote", address)`` for ``tcp://HOST:PORT`` and
    other Dask addresses."""
    if spec.startswith("local:"):
        try:
            workers = int(spec[len("local:"):])
        except ValueError:
            workers = 0
        if not 1 <= workers <= 256:
            raise ClusterSpecError(f"--cluster {spec}: local:N needs N between 1 and 256")
        return "local", workers
    scheme, _, rest = spec.partition("://")
    if not rest or scheme not in DASK_SCHEMES:
        raise ClusterSpecError(f"--cluster {spec}: give tcp://HOST:PORT of a Dask scheduler, or local:N")
    return "remote", spec


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--cluster needs Dask distributed, which is not installed: {INSTALL_HINT}") from None
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # its warnings would break the progress line
    return distributed


@contextmanager
def cluster_client(spec: str, connect_timeout: float = CONNECT_TIMEOUT):
    """A connected ``distributed.Client`` (and the local cluster it started, closed after)."""
    kind, value = parse_spec(spec)
    distributed = _distributed()
    cluster = None
    try:
        if kind == "local":
            cluster = distributed.LocalCluster(n_workers=int(value), threads_per_worker=1, processes=True,
                                               host="127.0.0.1", dashboard_address=None,
                                               silence_logs=logging.CRITICAL)
            client = distributed.Client(cluster, set_as_default=False)
        else:
            client = distributed.Client(str(value), timeout=connect_timeout, set_as_default=False)
    except Exception as error:  # refused, timed out, or something that is not a Dask scheduler
        if cluster is not None:
            cluster.close()
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        if not isinstance(error, (OSError, TimeoutError)):
            reason = f"it does not answer as a Dask scheduler ({type(error).__name__}: {reason})"
        del error
        _silence_unraisable()
        raise ClusterError(f"cannot reach the Dask scheduler at {spec}: {reason}") from None
    try:
        yield client
    finally:
        try:
            client.close()
        finally:
            if cluster is not None:
                cluster.close()


def _silence_unraisable() -> None:
    """The command ends with this error; a half-made Client closes itself when collected at
    exit and would print a traceback there ("Exception ignored in Client.__del__")."""
    import sys

    sys.unraisablehook = lambda _unraisable: None


def describe(identity: dict) -> str:
    return (f"model {identity.get('model')} {identity.get('model_version')}, "
            f"pipeline {identity.get('pipeline')}")


def _mismatch(worker: str, theirs: dict, ours: dict) -> ClusterError:
    return ClusterError(f"worker {worker} runs {describe(theirs)} but this client {describe(ours)}: "
                        "refusing to mix their results (install the same annotate, model and source table there)")


def check_workers(client, expected: dict, timeout: float = WORKERS_TIMEOUT) -> int:
    """Refuse the run when a worker's pipeline differs; the number of worker threads."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler has no worker after {timeout:.0f} s: start some with "
                           f"'dask worker {client.scheduler.address} --nthreads 1'") from None
    try:
        identities = client.run(pipeline_identity)
    except Exception as error:  # a worker without annotate installed, or one lost meanwhile
        raise ClusterError(f"cannot ask the workers for their pipeline ({type(error).__name__}: {error})") from None
    for worker, identity in sorted(identities.items()):
        if identity != expected:
            raise _mismatch(worker, identity, expected)
    return max(1, sum(client.nthreads().values()))


def analyse_on_cluster(
    client,
    paths: Iterable[str],
    use_cache: bool = True,
    cache: AnalysisCache | None = None,
    archive: ExtractionArchive | None = None,
    progress: Progress | None = None,
    done: Done | None = None,
    stdin=None,
    batch_chars: int = BATCH_CHARS,
    batch_docs: int = BATCH_DOCS,
    in_flight: int | None = None,
) -> Iterator[BatchResult]:
    """Analyse every path on the cluster behind ``client``; results as they are ready."""
    from distributed import as_completed

    from annotations.analysis.runner import analyse_batch

    paths = list(paths)
    ledger = Ledger(len(paths), cache, use_cache, progress, done)
    expected = pipeline_identity()
    slots = in_flight or 2 * check_workers(client, expected)
    headers: dict[int, dict] = {}  # seq -> document header, for the documents in flight
    batch_of: dict[str, list[int]] = {}  # task key -> its documents
    running = as_completed(loop=client.loop)
    batch: list[tuple[int, str]] = []
    chars = 0

    def send() -> None:
        nonlocal batch, chars
        if batch:
            future = client.submit(analyse_batch, batch, expected, pure=False)
            batch_of[future.key] = [seq for seq, _ in batch]
            running.add(future)
        batch, chars = [], 0

    def collect(future) -> Iterator[BatchResult]:
        seqs = batch_of.pop(future.key)
        if future.status == "error":  # the task failed on every try (a worker died on it each time)
            error = future.exception()
            future.release()
            reason = f"its worker died or failed on it ({type(error).__name__})"
            for seq in seqs:
                header = headers.pop(seq)
                yield ledger.failed(header["path"], f"{header['path']}: {reason}")
            return
        try:
            answer = future.result()
        except Exception as error:  # cancelled or lost with the scheduler: nothing to resume from here
            raise ClusterError(f"lost the Dask cluster ({type(error).__name__}: {error})") from None
        finally:
            future.release()
        if answer["results"] is None:
            raise _mismatch("(joined during the run)", answer["identity"], expected)
        for seq, lists, error in answer["results"]:
            yield ledger.analysed(headers.pop(seq), lists, error)

    try:
        for seq, path in enumerate(paths):
            document, result = ledger.read(path, archive, stdin)
            if result is not None:
                yield result
                continue
            headers[seq] = document_header(document)
            batch.append((seq, document.text))
            chars += len(document.text)
            del document
            if len(batch) >= batch_docs or chars >= batch_chars:
                send()
                while running.count() >= slots:
                    yield from collect(next(running))
        send()
        for future in running:
            yield from collect(future)
    except (KeyboardInterrupt, GeneratorExit, AnalysisCancelled):
        running.clear()
        raise
