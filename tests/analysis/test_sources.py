"""The source table: shipped rows with citations, user rows from the config folder."""

from __future__ import annotations

import json

import pytest

from annotations.analysis.resources import SourceTableError, builtin_sources, load_source_table, user_sources_path


def test_every_shipped_row_says_what_it_is_how_reliable_and_cites_a_dated_source():
    rows = builtin_sources()
    assert len(rows) >= 10
    for row in rows:
        assert row.what and row.reliability and row.citation and row.date, row.name


def test_state_agencies_and_self_published_platforms_are_in_the_table():
    table = load_source_table()
    for name in ("TASS", "RIA Novosti", "Xinhua", "Ukrinform", "IRNA", "KCNA"):
        assert table.lookup(name).kind == "state_media", name
    for name in ("Truth Social", "X", "Twitter", "Facebook", "Telegram"):
        assert table.lookup(name).kind == "self_published", name
    assert "Perennial sources" in table.lookup("TASS").citation


def _write_user_rows(rows: list[dict]):
    path = user_sources_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_user_file_lives_in_the_config_dir_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path / "conf"))
    assert user_sources_path() == tmp_path / "conf" / "sources.jsonl"


def test_a_user_row_overrides_a_shipped_row_by_name(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path))
    _write_user_rows([{"name": "TASS", "kind": "wire", "what": "my own view of TASS",
                       "reliability": "I trust it for sports scores", "severity": "info",
                       "citation": "my notes", "date": "2025-01"}])
    row = load_source_table().lookup("TASS")
    assert row.what == "my own view of TASS" and row.origin.endswith("sources.jsonl")


def test_a_user_row_adds_a_source_and_it_produces_notes(analyse, tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path))
    _write_user_rows([{"name": "Daily Planet", "kind": "tabloid", "what": "a city tabloid",
                       "reliability": "often wrong on crime figures", "severity": "warning",
                       "citation": "press council ruling", "date": "2024-06"}])
    text = "The Daily Planet reported that crime had doubled.\n"
    notes = [n for n in analyse(text)["notes"] if n["kind"] == "source"]
    assert [n["text"] for n in notes] == ["Daily Planet"]
    assert "often wrong on crime figures" in notes[0]["note"] and notes[0]["severity"] == "warning"


def test_a_user_row_can_remove_a_shipped_row(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path))
    _write_user_rows([{"name": "Facebook", "remove": True}])
    assert load_source_table().lookup("Facebook") is None


def test_a_broken_user_file_is_an_error_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path))
    path = user_sources_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"name": "X"\n', encoding="utf-8")
    with pytest.raises(SourceTableError, match="sources.jsonl"):
        load_source_table()


def test_source_notes_cite_the_table(analyse):
    text = "On Monday, TASS reported that the bridge had been destroyed.\n"
    notes = [n for n in analyse(text)["notes"] if n["kind"] == "source"]
    assert notes and notes[0]["text"] == "TASS"
    assert notes[0]["severity"] == "warning" and "Perennial sources" in notes[0]["note"]


def test_a_broken_user_file_does_not_stop_the_analysis(analyse, tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path))
    path = user_sources_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not json\n", encoding="utf-8")
    result = analyse("TASS reported that the bridge was closed.\n")
    config = [n for n in result["notes"] if n["kind"] == "config"]
    assert config and "sources.jsonl" in config[0]["note"]
    assert any(n["kind"] == "source" and n["text"] == "TASS" for n in result["notes"])


def test_editing_the_user_table_changes_the_cache_key(tmp_path, monkeypatch):
    from annotations.analysis import analysis_cache_key
    from annotations.document import document_from_text

    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(tmp_path))
    document = document_from_text("Some text.\n")
    before = analysis_cache_key(document)
    _write_user_rows([{"name": "Daily Planet", "kind": "tabloid", "what": "a tabloid", "reliability": "low"}])
    assert analysis_cache_key(document) != before
