"""The data files behind the rules: gazetteer, word lists, source table.

They ship beside the code in ``annotations/analysis/data/`` (read with importlib.resources)
so that adding a place, an agency or a hedge word is a data change, not a code change.
Users add or override source-table rows with ``<config dir>/sources.jsonl``.
No spaCy here: the TUI may read the source table without loading a model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from annotations import paths

USER_SOURCES_FILENAME = "sources.jsonl"


def _data_text(name: str) -> str:
    return resources.files("annotations.analysis").joinpath("data", name).read_text(encoding="utf-8")


def data_json(name: str) -> dict:
    """A JSON data file of ``data/``, without its ``_comment`` (the one way they are read)."""
    data = json.loads(_data_text(name))
    data.pop("_comment", None)
    return data


def _read_jsonl(text: str, origin: str) -> list[dict]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SourceTableError(f"{origin}: line {number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise SourceTableError(f"{origin}: line {number}: not a JSON object")
        if "_comment" in row:
            continue
        rows.append(row)
    return rows


class SourceTableError(Exception):
    """A source-table file that cannot be read; the message names the file and line."""


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return data_json("lexicon.json")


@lru_cache(maxsize=1)
def _cue_evidence_data() -> dict:
    return data_json("cue_evidence.json")


def cue_evidence() -> dict[str, dict]:
    """Evidence id -> {"confidence", "because"}: how far each rule that finds a cue is trusted
    (measured as the share of its cues a careful reader agrees with) and what it saw."""
    return _cue_evidence_data()["evidence"]


def cue_threshold() -> float:
    """Cues at or above this confidence are the claim's ``cues``; the rest are ``weak_cues``."""
    return float(_cue_evidence_data()["threshold"])


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()[name])


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict, ...]:
    return tuple(_read_jsonl(_data_text("gazetteer.jsonl"), "gazetteer.jsonl"))


@dataclass(frozen=True)
class GazetteerIndex:
    """Lookups derived from the gazetteer: surface string -> (label, kind), demonym -> place."""

    labels: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    demonym_of: dict = field(default_factory=dict)
    # canonical place for a name or alias, to tell that "Ukrainian" and "Ukraine" are one side
    canonical: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def gazetteer_index() -> GazetteerIndex:
    index = GazetteerIndex()
    for row in gazetteer():
        names = [row["text"], *row.get("aliases", [])]
        for name in names:
            index.labels.setdefault(name, row["label"])
            index.kinds.setdefault(name, row["kind"])
            index.canonical.setdefault(name, row["text"])
        if row["kind"] == "demonym" and row.get("of"):
            index.demonym_of.setdefault(row["text"], row["of"])
            index.canonical.setdefault(row["text"], row["of"])
    return index


def ruler_patterns() -> list[dict]:
    """entity_ruler patterns: every unambiguous gazetteer name and alias, as phrases.

    Names that also read as common words or first names ("Chad", "Jordan") stay out:
    a ruler before ``ner`` would break "Chad Smith" apart.
    """
    patterns = []
    for row in gazetteer():
        if row.get("ambiguous"):
            continue
        for name in [row["text"], *row.get("aliases", [])]:
            if len(name) < 2:
                continue
            patterns.append({"label": row["label"], "pattern": name, "id": row["text"]})
    return patterns


# ---------------------------------------------------------------------------
# source table
# ---------------------------------------------------------------------------

REQUIRED_SOURCE_KEYS = ("name", "kind", "what", "reliability")


@dataclass(frozen=True)
class SourceRow:
    name: str
    aliases: tuple[str, ...]
    kind: str
    what: str
    reliability: str
    severity: str
    citation: str
    date: str
    country: str | None
    origin: str  # "builtin" or the user file's path

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def note(self) -> str:
        cited = f" (source: {self.citation}, {self.date})" if self.citation else ""
        return f"{self.what}: {self.reliability}{cited}"


def _source_row(raw: dict, origin: str, where: str) -> SourceRow:
    missing = [key for key in REQUIRED_SOURCE_KEYS if not isinstance(raw.get(key), str) or not raw[key].strip()]
    if missing:
        raise SourceTableError(f"{where}: missing {', '.join(missing)}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise SourceTableError(f"{where}: 'aliases' must be a list of strings")
    severity = raw.get("severity") or "info"
    return SourceRow(
        name=raw["name"].strip(),
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        kind=raw["kind"].strip(),
        what=raw["what"].strip(),
        reliability=raw["reliability"].strip(),
        severity=severity if severity in ("info", "warning", "danger") else "info",
        citation=str(raw.get("citation") or ""),
        date=str(raw.get("date") or ""),
        country=raw.get("country"),
        origin=origin,
    )


def user_sources_path() -> Path:
    return paths.config_dir() / USER_SOURCES_FILENAME


def builtin_sources() -> list[SourceRow]:
    return [
        _source_row(raw, "builtin", f"sources.jsonl row {i}")
        for i, raw in enumerate(_read_jsonl(_data_text("sources.jsonl"), "sources.jsonl"), 1)
    ]


def load_source_table(user_file: Path | None = None, include_user: bool = True) -> "SourceTable":
    """The shipped table with the user's rows on top (same name or alias replaces a row).

    A user row ``{"name": "X", "remove": true}`` drops a shipped row. A user file that
    cannot be read raises SourceTableError naming the file.
    """
    rows = {row.name.lower(): row for row in builtin_sources()}
    user_file = user_file if user_file is not None else user_sources_path()
    if include_user and user_file.is_file():
        try:
            text = user_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SourceTableError(f"{user_file}: cannot be read ({error})") from None
        for number, raw in enumerate(_read_jsonl(text, str(user_file)), 1):
            names = {str(n).lower() for n in [raw.get("name"), *(raw.get("aliases") or [])] if n}
            # a user row replaces every shipped row it names (by name or alias)
            for key, row in list(rows.items()):
                if names & {n.lower() for n in row.names}:
                    del rows[key]
            if raw.get("remove"):
                continue
            row = _source_row(raw, str(user_file), f"{user_file}: row {number}")
            rows[row.name.lower()] = row
    return SourceTable(tuple(sorted(rows.values(), key=lambda r: r.name.lower())))


@dataclass(frozen=True)
class SourceTable:
    rows: tuple[SourceRow, ...]

    @cached_property
    def _index(self) -> dict[str, SourceRow]:
        """Name or alias -> row: exact for short acronyms, lower-cased for the rest."""
        index: dict[str, SourceRow] = {}
        for row in self.rows:
            for name in row.names:
                index.setdefault(self._key(name), row)
        return index

    @staticmethod
    def _key(name: str) -> str:
        return name if len(name) <= 3 or name.isupper() else name.lower()

    @cached_property
    def _pattern(self) -> re.Pattern:
        """One regex for every name (longest first, so "RIA Novosti" wins over "RIA")."""
        exact, folded, single = set(), set(), set()
        for row in self.rows:
            for name in row.names:
                if len(name) == 1:
                    single.add(name)
                elif len(name) <= 3 or name.isupper():
                    exact.add(name)
                else:
                    folded.add(name)
        def alternation(names):
            return "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
        parts = []
        if folded:
            parts.append(f"(?i:{alternation(folded)})")
        if exact:
            parts.append(alternation(exact))
        body = rf"(?<![\w])(?:{'|'.join(parts)})(?![\w])" if parts else r"(?!x)x"
        if single:
            # "on X", "an X post": a one-letter name only next to the words that make it a platform
            names = alternation(single)
            body += (rf"|(?<![\w.])(?:{names})(?=\s+(?:post|posts|account|user|users)\b)"
                     rf"|(?<=\bon )(?:{names})(?![\w.'\u2019-])")
        return re.compile(body)

    def lookup(self, text: str) -> SourceRow | None:
        """The row whose name or alias is ``text`` (case-sensitive for short acronyms)."""
        wanted = text.strip()
        return self._index.get(wanted) or self._index.get(self._key(wanted))

    def find_all(self, text: str) -> list[tuple[int, int, SourceRow]]:
        """Every mention of a row's name or alias in ``text`` as whole words: (start, end, row)."""
        found = []
        for match in self._pattern.finditer(text):
            row = self.lookup(match.group(0))
            if row is not None:
                found.append((match.start(), match.end(), row))
        return found
