"""Run the pipeline over a document and build the contract's lists.

1. split the text into paragraph chunks of bounded size (chunking.py);
2. ``nlp.pipe`` over the chunks, one small batch at a time; per chunk, ``extract`` reads
   entities and the per-sentence features from ``doc._`` as plain data, shifted to
   document offsets, and the Doc is dropped; progress and cancellation are checked
   between chunks;
3. document-level rules on the plain data: entity vote, speakers, quotes across
   paragraphs, channels, cues (claims.py), reliability notes, contradictions.

Large texts cost linear time and bounded memory: spaCy's work per chunk and per batch is
bounded (``MAX_CHUNK_CHARS``, ``BATCH_SIZE``), and a text longer than ``SECTION_CHARS``
runs step 3 section by section (sections of whole chunks, about ``SECTION_CHARS`` long),
each as soon as its chunks are parsed, so the per-sentence features of only one section
are held at a time. A shorter text is one section: its analysis is that of the whole
text. The rules check :func:`annotations.analysis.checkpoint` in their loops.

spaCy is imported only when ``run_analysis`` builds the pipeline (pipeline.py); step 3 and
its modules never touch spaCy objects.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

from annotations.analysis import cancellable, checkpoint
from annotations.analysis.chunking import split_text
from annotations.analysis.claims import ClaimBuilder
from annotations.analysis.contradictions import add_topics, find_contradictions
from annotations.analysis.speakers import group_speakers
from annotations.analysis.entities import propagate_names, vote_labels
from annotations.analysis.extract import doc_records, shift
from annotations.analysis.kinds import explain, plain_label
from annotations.analysis.notes import reliability_notes
from annotations.analysis.quotes import find_quotes
from annotations.analysis.resources import SourceTableError, cue_evidence, load_source_table
from annotations.document import Document

# cues about who speaks or through what: these can point at a source of the source table
SOURCE_CUES = {"state_source", "self_published", "interested_party", "unnamed_source"}
# Docs parsed together: spaCy's memory grows with the characters of a batch (~2.5 KB a
# character: 32 chunks of 8,000 characters took 730 MB), not its CPU time (one chunk at a
# time cost the least), and a cancel is seen only between batches.
BATCH_SIZE = 1
PARALLEL_BATCH_SIZE = 4
MAX_CHUNK_CHARS = 10_000  # a longer paragraph is cut at sentence ends
SECTION_CHARS = 500_000  # the document-wide rules run on sections of about this size
PARALLEL_CHARS = 150_000  # below this, starting a second process costs more than it saves


def run_analysis(document: Document, progress=None, cancel: threading.Event | None = None,
                 entities_found=None) -> dict:
    with cancellable(cancel):
        return _run_analysis(document, progress, entities_found)


def _run_analysis(document: Document, progress, entities_found) -> dict:
    from annotations.analysis.pipeline import get_nlp

    checkpoint()
    nlp = get_nlp()
    text = document.text
    chunks = text_chunks(text, nlp.max_length)
    processes = worker_processes(len(text))
    docs = nlp.pipe((c.text for c in chunks), batch_size=BATCH_SIZE if processes == 1 else PARALLEL_BATCH_SIZE,
                    n_process=processes)
    parsed = ((chunk, doc_records(doc, chunk.offset)) for chunk, doc in zip(chunks, docs))  # Docs not kept
    return assemble(text, parsed, len(chunks), progress, entities_found)


def text_chunks(text: str, max_length: int) -> list:
    """The chunks every path parses (one document, batch, cluster): the same cuts, so the
    same parse and the same JSON whichever way a document was analysed."""
    return split_text(text, max_chars=min(max_length - 1, MAX_CHUNK_CHARS))


def assemble(text: str, parsed, total: int, progress=None, entities_found=None) -> dict:
    """The analysis of ``text`` from its chunks' plain records (``(chunk, records)`` in text
    order): the document-level rules run section by section (``SECTION_CHARS``)."""
    result: dict[str, list] = {"entities": [], "speakers": [], "claims": [], "notes": [], "contradictions": []}
    section_start = 0  # where the section being parsed begins in the text
    entities: list[dict] = []
    features: list[dict] = []
    next_report = 8  # chunks; doubled after each report, so reporting costs linear time
    for number, (chunk, records) in enumerate(parsed, 1):
        checkpoint()
        if chunk.offset - section_start >= SECTION_CHARS:
            _add_section(result, text, section_start, chunk.offset, entities, features)
            section_start = chunk.offset
            entities, features = [], []
        entities.extend(records["entities"])
        features.extend(records["sentences"])
        if progress and (number == total or number % 8 == 0):
            progress(0.9 * chunk.end / max(1, len(text)))
        if entities_found and number == next_report and number < total:
            # so a long article's panel fills as it goes
            next_report *= 2
            entities_found(result["entities"] + entities)
    checkpoint()
    _add_section(result, text, section_start, len(text), entities, features)
    if progress:
        progress(1.0)
    return result


def _add_section(result: dict[str, list], text: str, start: int, end: int, entities: list[dict],
                 features: list[dict]) -> None:
    """Run the document-level rules on ``text[start:end]`` and add what they find to ``result``
    (offsets in the whole text, claim ids numbered on from the sections before)."""
    if start == 0 and end == len(text):
        lists = analyse_records(text, entities, features)
    else:
        lists = shift(analyse_records(text[start:end], shift(entities, -start), shift(features, -start)), start)
    claims_before, speakers_before = len(result["claims"]), len(result["speakers"])
    if claims_before or speakers_before:
        def renumber(claim_id: str) -> str:
            return f"c{int(claim_id[1:]) + claims_before}"

        def renumber_speaker(speaker_id: str | None) -> str | None:
            return f"s{int(speaker_id[1:]) + speakers_before}" if speaker_id else speaker_id

        for speaker in lists["speakers"]:  # a section's sources are its own entries
            speaker["id"] = renumber_speaker(speaker["id"])
            speaker["claims"] = [renumber(i) for i in speaker["claims"]]
        for claim in lists["claims"]:
            claim["id"] = renumber(claim["id"])
            claim["speaker_id"] = renumber_speaker(claim.get("speaker_id"))
        for note in lists["notes"]:
            if "claim" in note:
                note["claim"] = renumber(note["claim"])
            if "claims" in note:
                note["claims"] = [renumber(i) for i in note["claims"]]
        for pair in lists["contradictions"]:
            pair["claims"] = [renumber(i) for i in pair["claims"]]
    if result["notes"]:  # a problem with the user's files is said once, by the first section
        lists["notes"] = [note for note in lists["notes"] if note["kind"] != "config"]
    for key in result:
        result[key].extend(lists[key])


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
    checkpoint()
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
    checkpoint()
    builder = ClaimBuilder(text, features, entities, quotes, table)
    sentences = builder.build()
    checkpoint()
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
    checkpoint()
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
