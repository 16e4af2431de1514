"""Analysis tests: spaCy is loaded once per session; analyses never touch the user's cache."""

from __future__ import annotations

import pytest

from annotations.document import document_from_text


@pytest.fixture(scope="session")
def nlp():
    from annotations.analysis.pipeline import get_nlp

    return get_nlp()


@pytest.fixture
def analyse(nlp, tmp_path, monkeypatch):
    """Analyse a text (no cache) and return the contract dict's lists."""
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path / "config"))
    from annotations.analysis.run import run_analysis

    def run(text: str) -> dict:
        return run_analysis(document_from_text(text))

    return run


def claim_with(result: dict, fragment: str) -> dict:
    """The claim whose text contains ``fragment``."""
    for claim in result["claims"]:
        if fragment in claim["text"]:
            return claim
    raise AssertionError(f"no claim contains {fragment!r}: {[c['text'] for c in result['claims']]}")


def speaker_of(result: dict, fragment: str) -> str | None:
    speaker = claim_with(result, fragment)["speaker"]
    return speaker["text"] if speaker else None


def cue_kinds(result: dict, fragment: str) -> set[str]:
    return {cue["kind"] for cue in claim_with(result, fragment)["cues"]}
