"""``annotate analyze`` on several documents: JSON lines, a progress bar on stderr, errors at the end.

Headless: imports no Textual. Exit status 0, or 2 when some input could not be read or
analysed (each named on stderr; every other document is still written).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
import warnings

from annotations.atomic import OutputError, TextOutput, check_target, write_atomically
from annotations.batch import BatchStats, ClusterError, ResumableOutput, analyse_many
from annotations.html import ExtractionArchive, archive_dir
from annotations.inputs import expand
from annotations.jsonout import dumps
from tui.launch import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_OK, complain, protected_files


class ProgressBar:
    """One line on stderr, redrawn at most 10 times a second; nothing when stderr is not a terminal."""

    def __init__(self, stream=None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, stats: BatchStats) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and stats.done < stats.total:
            return
        self.last = now
        total = max(stats.total, 1)
        filled = int(self.width * stats.done / total)
        rate = stats.analysed / max(now - self.started, 1e-6)
        line = (f"\r[{'#' * filled}{'-' * (self.width - filled)}] {stats.done}/{stats.total} "
                f"analysed {stats.analysed} · cached {stats.cached} · failed {stats.failed} · {rate:.1f} doc/s")
        self.stream.write(line)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class OutDir:
    """One ``<name>.json`` per document; a second document with the same name gets its sha256's start.
    ``protected``: files never to write over (the database, the inputs: ``annotations.atomic``),
    checked for every input before any work and again for each file written."""

    def __init__(self, folder: str, indent: int, protected=(), paths: list[str] = ()) -> None:
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise OutputError(folder, "is not a folder (--out-dir)")
        self.folder = folder
        self.indent = indent or None
        self.protected = protected
        self.used: set[str] = set()
        for path in paths:
            check_target(os.path.join(folder, f"{self.stem(path)}.json"), protected)
        os.makedirs(folder, exist_ok=True)

    @staticmethod
    def stem(path: str) -> str:
        return "stdin" if path == "-" else os.path.splitext(os.path.basename(path))[0] or "document"

    def write(self, result: dict) -> str:
        stem = self.stem(result["document"]["path"])
        name = f"{stem}.json"
        if name in self.used:
            name = f"{stem}-{result['document']['sha256'][:12]}.json"
        self.used.add(name)
        target = os.path.join(self.folder, name)
        write_atomically(target, dumps(result, indent=self.indent) + "\n", fsync=False, protected=self.protected)
        return target


def run_batch(files: list[str], jobs: int = 1, use_cache: bool = True, output: str | None = None,
              out_dir: str | None = None, indent: int = 2, db: str | None = None,
              cluster: str | None = None) -> int:
    """The batch command; ``cluster`` (``tcp://HOST:PORT`` or ``local:N``) runs the analysis
    on Dask workers instead of ``jobs`` local processes, with the same output and codes."""
    if cluster is not None:
        from annotations.cluster import ClusterSpecError, parse_spec

        try:
            parse_spec(cluster)
        except ClusterSpecError as error:
            complain(str(error))
            return EXIT_BAD_INPUT
    expanded = expand(files)
    errors = [(e.path, str(e)) for e in expanded.errors]
    for _path, message in errors + [(e.path, str(e)) for e in expanded.skipped]:
        complain(message)
    if not expanded.paths:
        return EXIT_BAD_INPUT
    protected = protected_files(db, expanded.paths)  # never written over: the database, the inputs
    sink = None
    writer = None
    resumable = None
    try:
        if out_dir is not None:
            writer = OutDir(out_dir, indent, protected, expanded.paths)
        elif output is not None and output != "-":
            target = check_target(output, protected)
            if target is None or stat.S_ISREG(target.st_mode):
                resumable = ResumableOutput(output)  # a file: appended to, so a rerun goes on from it
            else:
                sink = TextOutput(output, protected)  # a FIFO or device: written through
        else:
            sink = sys.stdout
    except OutputError as error:
        complain(str(error))
        return EXIT_BAD_INPUT
    except OSError as error:
        complain(f"{output or out_dir or ''}: cannot write ({error.strerror or error})")
        return EXIT_ENVIRONMENT
    # spaCy warns (W127) when its workers were stopped by ctrl+c; the interruption is reported below
    warnings.filterwarnings("ignore", message=r".*\[W127\]")
    bar = ProgressBar()
    stats_seen = BatchStats()
    refused = 0  # results not written: their --out-dir file became one to protect meanwhile

    def progress(stats: BatchStats) -> None:
        nonlocal stats_seen
        stats_seen = stats
        bar(stats)

    options = dict(use_cache=use_cache, archive=ExtractionArchive(archive_dir(None)), progress=progress,
                   done=resumable.done if resumable is not None else None)

    def emit(result: dict) -> None:
        nonlocal refused
        try:
            if writer is not None:
                writer.write(result)
            elif resumable is not None:
                resumable.write(result, dumps(result) + "\n")
            else:
                sink.write(dumps(result) + "\n")  # C1/DEL from the text as \u escapes
                sink.flush()
        except OutputError as error:  # this --out-dir file became one to protect meanwhile
            complain(str(error))
            refused += 1
        except OSError as error:
            raise _WriteFailed(error) from None

    try:
        with _analyser(expanded.paths, jobs, cluster, options) as results:
            for item in results:
                if not item.ok:
                    if bar.drawn:
                        bar.stream.write("\r\x1b[K")
                    complain(item.error)
                elif not item.in_output:
                    emit(item.result)
        if resumable is not None:
            try:
                resumable.finish()
            except OSError as error:
                raise _WriteFailed(error) from None
    except KeyboardInterrupt:
        bar.close()
        bar.drawn = False
        complain(f"interrupted after {stats_seen.analysed} analysed ({stats_seen.cached} from the cache); "
                 "they are cached: run the same command again to go on")
        return 130
    except ClusterError as error:
        bar.close()
        bar.drawn = False
        complain(str(error))
        return EXIT_ENVIRONMENT
    except _WriteFailed as failure:
        bar.close()
        bar.drawn = False
        error = failure.args[0]
        complain(f"{output or out_dir or 'stdout'}: cannot write ({error.strerror or error})")
        return EXIT_ENVIRONMENT
    finally:
        bar.close()
        if sink is not None and sink is not sys.stdout:
            sink.close()
        if resumable is not None:
            resumable.close()
    failed = len(errors) + stats_seen.failed + refused
    where = f" -> {output or out_dir}" if (output or out_dir) else ""
    kept = f", {stats_seen.kept} already there" if stats_seen.kept else ""
    complain(f"{stats_seen.analysed} analysed, {stats_seen.cached} from the cache{kept}, {failed} failed{where}")
    return EXIT_BAD_INPUT if failed else EXIT_OK


class _WriteFailed(Exception):
    """An OSError while writing the output (not one from reading or the cluster)."""


@contextlib.contextmanager
def _analyser(paths: list[str], jobs: int, cluster: str | None, options: dict):
    """The results of the local batch, or of the cluster named by ``cluster``."""
    if cluster is None:
        yield analyse_many(paths, jobs=jobs, **options)
        return
    from annotations import cluster as dask_cluster

    with dask_cluster.cluster_client(cluster) as client:
        yield dask_cluster.analyse_on_cluster(client, paths, **options)
