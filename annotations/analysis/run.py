"""Run the pipeline over a document and build the contract's lists.

1. split the text into paragraph chunks within spaCy's max_length (chunking.py);
2. ``nlp.pipe`` over the chunks; per chunk, ``extract`` reads entities and the per-sentence
   features from ``doc._`` as plain data, shifted to document offsets; progress and
   cancellation are checked between chunks;
3. document-level rules on the plain data: entity vote, speakers, quotes across
   paragraphs, channels, cues (claims.py), reliability notes, contradictions.

spaCy is imported only when ``run_analysis`` builds the pipeline (pipeline.py); step 3 and
its modules never touch spaCy objects.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

from annotations.analysis import AnalysisCancelled
from annotations.analysis.chunking import split_text
from annotations.analysis.claims import ClaimBuilder
from annotations.analysis.contradictions import add_topics, find_contradictions
from annotations.analysis.speakers import group_speakers
from annotations.analysis.entities import propagate_names, vote_labels
from annotations.analysis.extract import doc_records
from annotations.analysis.kinds import explain, plain_label
from annotations.analysis.notes import reliability_notes
from annotations.analysis.quotes import find_quotes
from annotations.analysis.resources import SourceTableError, cue_evidence, load_source_table
from annotations.document import Document

BATCH_SIZE = 32
# cues about who speaks or through what: these can point at a source of the source table
SOURCE_CUES = {"state_source", "self_published", "interested_party", "unnamed_source"}
PARALLEL_CHARS = 150_000  # below this, starting a second process costs more than it saves


def run_analysis(document: Document, progress=None, cancel: threading.Event | None = None,
                 entities_found=None) -> dict:
    from annotations.analysis.pipeline import get_nlp

    if cancel is not None and cancel.is_set():
        raise AnalysisCancelled()
    nlp = get_nlp()
    text = document.text
    chunks = split_text(text, max_chars=min(nlp.max_length - 1, 100_000))
    entities: list[dict] = []
    features: list[dict] = []
    total = len(chunks)
    processes = worker_processes(len(text))
    docs = nlp.pipe((c.text for c in chunks), batch_size=BATCH_SIZE if processes == 1 else 4, n_process=processes)
    for number, (chunk, doc) in enumerate(zip(chunks, docs), 1):
        if cancel is not None and cancel.is_set():
            raise AnalysisCancelled()
        records = doc_records(doc, chunk.offset)
        entities.extend(records["entities"])
        features.extend(records["sentences"])
        if number == total or number % 8 == 0:
            if progress:
                progress(0.9 * number / total)
            if entities_found and number < total:  # so a long article's panel fills as it goes
                entities_found(list(entities))
    if cancel is not None and cancel.is_set():
        raise AnalysisCancelled()
    result = analyse_records(text, entities, features)
    if progress:
        progress(1.0)
    return result


def worker_processes(chars: int) -> int:
    """Processes for ``nlp.pipe``: one unless ``ANNOTATE_PROCESSES`` asks for more.

    Measured on 300 KB: one process costs the same CPU as ``nlp(text)``; two processes cut
    the wall time to ~0.9x on an idle 2-core machine but cost a third more CPU and were
    slower (1.4x) on a busy one, so they are opt-in. Only for long texts, from the main
    thread (forking from the TUI's worker thread is not safe) and with the fork start method
    (spawn would load the model again in each process).
    """
    try:
        wanted = int(os.environ.get("ANNOTATE_PROCESSES", "1"))
    except ValueError:
        wanted = 1
    if wanted <= 1 or chars < PARALLEL_CHARS or (os.cpu_count() or 1) < 2:
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return 1
    return min(wanted, os.cpu_count() or 1)


def analyse_records(text: str, entities: list[dict], features: list[dict]) -> dict:
    """The document-level rules over plain data (no spaCy objects)."""
    entities = propagate_names(text, vote_labels(entities))
    problems = []
    try:
        table = load_source_table()
    except SourceTableError as error:
        # a broken user file must not stop the analysis: use the shipped table and say so
        table = load_source_table(include_user=False)
        problems.append({"start": 0, "end": 0, "text": "", "kind": "config", "severity": "warning",
                         "note": f"Your source table was not used: {error}",
                         "label": plain_label("config"),
                         "explanation": explain("config", "", f"your source table was not used: {error}")})
    quotes = find_quotes(text)
    builder = ClaimBuilder(text, features, entities, quotes, table)
    sentences = builder.build()
    claims = []
    infos = {}
    for number, sentence in enumerate(sentences, 1):
        f = sentence.features
        claim_id = f"c{number}"
        speaker_text = sentence.speaker["text"] if sentence.speaker else None
        for cue in sentence.cues + sentence.weak_cues:
            describe_cue(cue, speaker_text, table)
        claims.append({
            "id": claim_id,
            "start": f["start"],
            "end": f["end"],
            "text": text[f["start"]:f["end"]],
            "speaker": _span(sentence.speaker),
            "channel": _span(sentence.channel),
            "cues": sentence.cues,
            "weak_cues": sentence.weak_cues,
            "score": claim_score(sentence),
        })
        infos[claim_id] = {
            "keys": f["keys"],
            "report": sentence.report if sentence.own is not None else None,
            "negations": f["negations"],
            "speaker_key": sentence.speaker["key"] if sentence.speaker else None,
            # how deep the reporting verb sits: a claim reported in a side clause ("as Russia
            # has claimed ...") is mostly the writer's, not a side in a dispute
            "depth": min((r["depth"] for r in f["reports"]), default=0) if sentence.own is not None else 0,
        }
    # one source, one name: the claims' speakers grouped with the names each goes by
    speakers, speaker_ids = group_speakers([(c["id"], s.speaker, s.speaker_mention) for c, s in zip(claims, sentences)])
    for claim in claims:
        claim["speaker_id"] = speaker_ids.get(claim["id"])
        infos[claim["id"]]["speaker_key"] = claim["speaker_id"]
    notes = problems + reliability_notes(text, claims, table)
    add_topics(claims, infos, entities, [s.features for s in sentences])  # what each claim is about, and says of it
    contradictions = find_contradictions(claims, infos)
    return {
        "entities": [{"start": e["start"], "end": e["end"], "text": e["text"], "label": e["label"]} for e in entities],
        "speakers": speakers,
        "claims": claims,
        "notes": notes,
        "contradictions": contradictions,
    }


def describe_cue(cue: dict, speaker: str | None, table) -> None:
    """Plain words for a cue: its ``label``, a one-sentence ``explanation`` for this claim
    and, when it points at a source of the source table, that source and its ``citation``."""
    evidence = cue_evidence()
    because = " and ".join(evidence[e]["because"] for e in cue.get("evidence", "").split("+") if e in evidence)
    cue["label"] = plain_label(cue["kind"])
    cue["explanation"] = explain(cue["kind"], cue["text"], because, speaker)
    if cue["kind"] in SOURCE_CUES:
        found = table.find_all(cue["text"])
        if found:
            row = found[0][2]
            cue["source"] = row.name
            cue["citation"] = row.citation


def _span(value: dict | None) -> dict | None:
    if value is None:
        return None
    return {"text": value["text"], "start": value["start"], "end": value["end"]}


def claim_score(sentence) -> float:
    """How check-worthy the claim is (0..1): attributed, concrete (numbers, names), contested."""
    f = sentence.features
    kinds = {c["kind"] for c in sentence.cues}
    score = 0.4
    if sentence.speaker is not None:
        score += 0.2
    if f["has_number"]:
        score += 0.15
    if f["has_entity"]:
        score += 0.1
    if kinds & {"denial", "unnamed_source", "anonymous_info", "interested_party", "state_source", "self_published"}:
        score += 0.1
    if kinds & {"hedge", "prediction"}:
        score -= 0.05
    return round(max(0.0, min(1.0, score)), 2)
