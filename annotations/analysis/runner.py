"""The analysis runner for many documents: used by the local batch and by cluster workers.

``analyse_texts(items, nlp, n_process)`` takes ``(key, text)`` pairs and yields
``(key, lists, error)`` per document, where ``lists`` is what ``run.analyse_records``
returns (the contract without its header; ``annotations.analysis.contract`` adds it):

1. each text is split into chunks as the one-document analysis does (``chunking``);
2. the chunks stream through ``nlp.pipe(as_tuples=True, n_process=...)``; only documents
   in flight are held, so memory stays flat however many documents there are;
3. the pipeline ends with ``annotate_batch_records``: in the process that parsed the chunk
   it turns it into plain records (``extract.doc_records``) and, when the chunk is the
   whole article (news-sized ones are), also runs the document-level rules there, so
   they run in parallel too; it returns a tiny Doc carrying only that plain data, so what
   crosses a process boundary is small, never the whole parse;
4. for longer articles the rules run here when all their chunks are in.

``analyse_batch`` is the task a Dask worker runs (``annotations.cluster``): the pipeline is
loaded once per worker process (``batch_nlp``) and a batch of texts goes through
``analyse_texts`` with one process; the worker's pipeline identity comes back with the
results, so the client can refuse a worker whose model or rules differ from its own.
"""

from __future__ import annotations

import threading
from typing import Any, Iterable, Iterator

RECORDS_KEY = "annotate.batch_records"
COMPONENT = "annotate_batch_records"
BATCH_SIZE = 16

_component_lock = threading.Lock()
_nlp_lock = threading.Lock()
_nlp = None


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
                text = context[2] + doc.text + context[3]
                small.user_data[RECORDS_KEY] = _rules(text, records["entities"], records["sentences"])
            else:
                small.user_data[RECORDS_KEY] = {"records": records}
            return small


def _rules(text: str, entities: list, sentences: list) -> dict:
    from annotations.analysis.run import analyse_records

    try:
        return {"lists": analyse_records(text, entities, sentences)}
    except Exception as error:  # reported for this article; the batch goes on
        return {"error": f"analysis failed ({type(error).__name__}: {error})"}


def _assemble(text: str, parsed: list) -> dict:
    """A longer article's rules, once all its chunks are in: as ``annotate analyze FILE``
    runs them (``run.assemble``: by sections), from the chunks' records in text order."""
    from annotations.analysis.run import assemble

    parsed.sort(key=lambda item: item[0].offset)
    try:
        return {"lists": assemble(text, parsed, len(parsed))}
    except Exception as error:  # reported for this article; the batch goes on
        return {"error": f"analysis failed ({type(error).__name__}: {error})"}


def build_batch_nlp():
    """The analysis pipeline (``pipeline.build_nlp``) plus the records component at the end."""
    from annotations.analysis.pipeline import build_nlp

    register_component()
    nlp = build_nlp()
    nlp.add_pipe(COMPONENT, last=True)
    return nlp


def batch_nlp():
    """This process's batch pipeline, built on first use (loading the model costs ~1 s)."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            _nlp = build_batch_nlp()
        return _nlp


def analyse_texts(items: Iterable[tuple[Any, str]], nlp=None, n_process: int = 1,
                  batch_size: int = BATCH_SIZE) -> Iterator[tuple[Any, dict | None, str | None]]:
    """``(key, lists, error)`` for every ``(key, text)``, as they are ready (not in order)."""
    from annotations.analysis.run import text_chunks

    nlp = nlp if nlp is not None else batch_nlp()
    # seq -> [key, text (several chunks only), chunks still out, [(chunk, records)]]
    open_docs: dict[int, list] = {}
    ready: list[tuple[Any, dict | None, str | None]] = []

    def settle(key, payload: dict) -> None:
        ready.append((key, payload.get("lists"), payload.get("error")))

    def chunks() -> Iterator[tuple[str, tuple]]:
        for seq, (key, text) in enumerate(items):
            pieces = text_chunks(text, nlp.max_length)
            if not pieces:
                settle(key, _rules(text, [], []))
            elif len(pieces) == 1:  # the whole article in one Doc: the parsing process runs the rules too
                piece = pieces[0]
                open_docs[seq] = [key, None, 1, None]
                yield piece.text, (seq, piece.offset, text[:piece.offset], text[piece.end:])
            else:
                open_docs[seq] = [key, text, len(pieces), []]
                for piece in pieces:
                    yield piece.text, (seq, piece.offset, None, None, piece)

    docs = nlp.pipe(chunks(), as_tuples=True, n_process=max(1, n_process), batch_size=batch_size)
    try:
        for doc, context in docs:
            state = open_docs[context[0]]
            payload = doc.user_data.get(RECORDS_KEY) or {"error": "the parsing process returned nothing"}
            if "records" in payload:
                state[3].append((context[4], payload["records"]))
                state[2] -= 1
                if state[2] == 0:
                    del open_docs[context[0]]
                    settle(state[0], _assemble(state[1], state[3]))
            else:
                del open_docs[context[0]]
                settle(state[0], payload)
            while ready:
                yield ready.pop(0)
        while ready:
            yield ready.pop(0)
    finally:
        close = getattr(docs, "close", None)
        if close is not None:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # spaCy's W127 when its processes were stopped
                close()


def analyse_batch(items: list[tuple[int, str]], expected: dict) -> dict:
    """A cluster task: analyse ``(seq, text)`` pairs with this process's pipeline.

    Returns ``{"identity": ..., "results": [(seq, lists, error), ...]}``; when this
    worker's pipeline identity is not ``expected`` nothing is analysed (the client refuses
    the worker rather than mix its results in).
    """
    from annotations.analysis import pipeline_identity

    identity = pipeline_identity()
    if identity != expected:
        return {"identity": identity, "results": None}
    with _analysis_lock:  # one nlp per process; a worker with several threads takes turns
        results = list(analyse_texts(items, batch_nlp(), n_process=1))
    return {"identity": identity, "results": results}


_analysis_lock = threading.Lock()
