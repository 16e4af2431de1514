"""The analysis cache reads back only what it can trust (issue 12, point 7)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from annotations.analysis_cache import AnalysisCache
from annotations.document import document_from_text

TEXT = "Alpha said the bridge was closed, officials told TASS.\n"


def result_for(text: str) -> dict:
    alpha = text.index("Alpha")
    tass = text.index("TASS")
    return {
        "schema": "annotate.analysis/1",
        "document": {"path": "a.txt", "sha256": "x", "chars": len(text)},
        "model": {"name": "m", "version": "1"},
        "entities": [{"start": alpha, "end": alpha + 5, "text": "Alpha", "label": "PERSON"}],
        "claims": [{"id": "c1", "start": 0, "end": len(text) - 1, "text": text[:-1],
                    "speaker": {"start": alpha, "end": alpha + 5, "text": "Alpha"},
                    "channel": {"start": tass, "end": tass + 4, "text": "TASS"},
                    "cues": [], "score": 0.5}],
        "notes": [{"start": tass, "end": tass + 4, "text": "TASS", "kind": "source", "severity": "warning", "note": "n"}],
        "contradictions": [],
    }


TAMPERING = {
    "start as a string": lambda r: r["entities"][0].update(start="0"),
    "a float offset": lambda r: r["entities"][0].update(start=0.0),
    "missing text": lambda r: r["entities"][0].pop("text"),
    "a list as label": lambda r: r["entities"][0].update(label=["PERSON"]),
    "claims not a list": lambda r: r.update(claims={"c1": 1}),
    "a span past the end": lambda r: r["entities"][0].update(start=10**6, end=10**6 + 5),
    "another quote at the span": lambda r: r["entities"][0].update(text="Beta!"),
    "a shifted speaker": lambda r: r["claims"][0]["speaker"].update(start=1, end=6),
    "a 30-digit offset": lambda r: r["notes"][0].update(start=10**30),
    "not an object": lambda r: r.clear() or r.update(x=1),
}


def test_a_result_annotate_wrote_is_read_back(tmp_path):
    cache = AnalysisCache(tmp_path)
    assert cache.put("k", result_for(TEXT))
    assert cache.get("k", TEXT) == result_for(TEXT)


@pytest.mark.parametrize("how", TAMPERING, ids=TAMPERING)
def test_a_tampered_cache_file_is_a_miss_and_never_a_wrong_span(tmp_path, how):
    cache = AnalysisCache(tmp_path)
    cache.put("k", result_for(TEXT))
    tampered = result_for(TEXT)
    TAMPERING[how](tampered)
    (tmp_path / "k.json").write_text(json.dumps(tampered))  # another writer: the stamp no longer matches
    assert cache.get("k", TEXT) is None


def test_a_stamp_copied_with_the_tampered_file_does_not_make_it_trusted(tmp_path):
    cache = AnalysisCache(tmp_path)
    cache.put("k", result_for(TEXT))
    stamp = (tmp_path / "k.json.stamp").read_bytes()
    tampered = result_for(TEXT)
    tampered["entities"][0]["start"] = "0"
    (tmp_path / "k.json").write_text(json.dumps(tampered))
    (tmp_path / "k.json.stamp").write_bytes(stamp)
    assert cache.get("k", TEXT) is None
    # even a matching stamp never lets a wrong span through: the spans are checked against the text
    tampered = result_for(TEXT)
    tampered["entities"][0]["text"] = "Beta!"
    cache.put("k", tampered)
    assert cache.get("k", TEXT) is None


def test_a_tampered_cache_is_recomputed_by_analyze(tmp_path, monkeypatch):
    import annotations.analysis as analysis
    import annotations.analysis.run as run

    document = document_from_text(TEXT, path="a.txt")
    cache = AnalysisCache(tmp_path)
    calls = []

    def fake_run(document, **_options):
        calls.append(document.sha256)
        fresh = result_for(document.text)
        return {key: fresh[key] for key in ("entities", "claims", "notes", "contradictions")}

    monkeypatch.setattr(run, "run_analysis", fake_run)
    first = analysis.analyze(document, cache=cache)
    path = next(p for p in tmp_path.iterdir() if p.suffix == ".json")
    bad = json.loads(path.read_text())
    bad["entities"][0]["text"] = "Gamma"
    path.write_text(json.dumps(bad))
    again = analysis.analyze(document, cache=cache)
    assert len(calls) == 2 and again["entities"] == first["entities"]
    for span in again["entities"]:
        assert TEXT[span["start"]:span["end"]] == span["text"]
    assert os.path.exists(str(path) + ".stamp")


@pytest.mark.parametrize("kind", ["fifo", "zero device"])
def test_a_cache_entry_that_is_not_a_regular_file_is_a_miss_at_once(tmp_path, kind):
    cache = AnalysisCache(tmp_path)
    entry = tmp_path / "key.json"
    if kind == "fifo":
        os.mkfifo(entry)  # a plain open would wait for a writer for ever
    else:
        os.mknod(entry, 0o600 | stat.S_IFCHR, os.stat("/dev/zero").st_rdev)  # endless bytes
    assert cache.get("key", "text") is None
