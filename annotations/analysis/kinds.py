"""Plain words for the analysis' cue and note kinds (data in ``data/kinds.json``).

The contract keeps stable ids (``interested_party``); people read labels ("party to the
dispute") and a one-sentence reason. One table serves the analysis notes, the reader and
the exports. No spaCy here: the reader imports it before the model is loaded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from annotations.analysis.resources import data_json


@dataclass(frozen=True)
class Kind:
    id: str
    label: str
    severity: str
    what: str
    why: str
    explain: str = "{Because}."


@functools.lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    raw = data_json("kinds.json")
    return {key: Kind(id=key, **value) for key, value in raw.items() if not key.startswith("_")}


def plain_label(kind: str) -> str:
    """The words to show for ``kind``; an unknown id is shown with spaces, never as snake_case."""
    entry = kinds().get(kind)
    return entry.label if entry else kind.replace("_", " ")


def explain(kind: str, text: str, because: str, speaker: str | None = None) -> str:
    """One sentence on why this cue or note matters for its claim, from the kind's template
    in ``data/kinds.json``: ``text`` is the cue's words, ``because`` what the rule saw."""
    entry = kinds().get(kind)
    template = entry.explain if entry else "{Because}."
    because = because or (entry.why if entry else plain_label(kind))
    who = speaker or "the speaker"
    whose = f"{speaker}'s" if speaker else "the speaker's"
    sentence = template.format(text=text, because=because, Because=because[:1].upper() + because[1:],
                               who=who, whose=whose)
    return sentence[:1].upper() + sentence[1:]
