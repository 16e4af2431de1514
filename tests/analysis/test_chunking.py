"""Long texts: chunks at paragraph, sentence or whitespace boundaries; spans map back."""

from __future__ import annotations

from annotations.analysis.chunking import split_long, split_text

PARAGRAPH = ("Mayor Helen Brooks said the budget was balanced. \"We cut waste, not services,\" she said. "
             "Officials said the plan would save thousands of dollars.")


def test_chunks_are_exact_slices_of_whole_paragraphs():
    text = "\n".join(f"{PARAGRAPH} ({i})" for i in range(300)) + "\n"
    chunks = split_text(text, target_chars=2_000)
    assert len(chunks) > 10
    for chunk in chunks:
        assert text[chunk.offset:chunk.end] == chunk.text
        assert chunk.offset == 0 or text[chunk.offset - 1] == "\n"
        assert len(chunk.text) <= 2_000 + len(PARAGRAPH) + 10


def test_a_long_paragraph_is_cut_at_sentence_ends():
    pieces = split_long(PARAGRAPH * 5, 100, max_chars=200)
    assert all(len(p.text) <= 200 for p in pieces)
    assert "".join(p.text for p in pieces) == PARAGRAPH * 5
    assert pieces[0].offset == 100
    assert all(p.text.rstrip().endswith((".", "\"")) for p in pieces[:-1])


def test_a_paragraph_without_sentence_ends_is_cut_at_whitespace_then_anywhere():
    words = "word " * 100
    pieces = split_long(words, 0, max_chars=42)
    assert "".join(p.text for p in pieces) == words and all(len(p.text) <= 42 for p in pieces)
    solid = "x" * 100
    pieces = split_long(solid, 0, max_chars=30)
    assert [len(p.text) for p in pieces] == [30, 30, 30, 10]


def test_analysis_of_a_long_text_maps_every_span_back(analyse):
    text = "\n".join(f"{PARAGRAPH} Paragraph {i} ends here." for i in range(120)) + "\n"
    assert len(text) > 20_000  # several chunks
    result = analyse(text)
    assert len(result["claims"]) >= 120 * 3
    spans = list(result["entities"]) + list(result["notes"])
    for claim in result["claims"]:
        spans.append(claim)
        spans.extend(cue for cue in claim["cues"])
        spans.extend(x for x in (claim["speaker"], claim["channel"]) if x)
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]


def test_a_paragraph_far_into_a_text_gets_the_same_analysis_as_alone(analyse):
    filler = "\n".join(f"The museum opened in {1900 + i} on the north bank." for i in range(400)) + "\n"
    tail = 'Chef Marco Rossi said: "The kitchen reopens in June."\n'
    alone = analyse(tail)["claims"]
    within = analyse(filler + tail)["claims"][-len(alone):]
    shift = len(filler)
    for a, b in zip(alone, within):
        assert (a["start"] + shift, a["end"] + shift, a["speaker"]["text"]) == (b["start"], b["end"], b["speaker"]["text"])
        assert [(c["kind"], c["start"] + shift) for c in a["cues"]] == [(c["kind"], c["start"]) for c in b["cues"]]


def test_two_processes_give_the_same_result_as_one(nlp, monkeypatch):
    """doc._ values are plain data, so nlp.pipe(n_process=2) carries them back intact."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        import pytest

        pytest.skip("needs the fork start method")
    from annotations.analysis import run
    from annotations.document import document_from_text

    text = "\n".join(f"{PARAGRAPH} Paragraph {i} ends here." for i in range(80)) + "\n"
    monkeypatch.setattr(run, "PARALLEL_CHARS", 1_000)
    monkeypatch.setattr(run, "split_text", lambda t, max_chars: split_text(t, max_chars, target_chars=1_500))
    monkeypatch.setenv("ANNOTATE_PROCESSES", "1")
    one = run.run_analysis(document_from_text(text))
    monkeypatch.setenv("ANNOTATE_PROCESSES", "2")
    assert run.worker_processes(len(text)) == 2
    two = run.run_analysis(document_from_text(text))
    assert one == two
