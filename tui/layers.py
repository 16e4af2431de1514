"""The highlight layers a reader can switch on and off, and where the choice is kept.

Entities are split by type (people, organisations, places ...), each in its own colour;
claims, reliability notes and the user's annotations are layers of their own; "all cues"
adds the cues the analysis is less sure of (its ``weak_cues``). The choice is saved in
the config folder (``layers.json``), so the next article opens the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from annotations import paths

LAYERS_FILENAME = "layers.json"


@dataclass(frozen=True)
class Layer:
    id: str  # the span kind in the article view (for entities, claims, notes, yours)
    name: str  # what the legend, the layers menu and the palette call it
    default: bool
    labels: tuple[str, ...] = ()  # spaCy entity labels of an entity layer
    words: str = ""  # what the layer marks, in a few plain words
    colour: str = ""  # an entity layer's text colour (article, panel and legend)


ENTITY_LAYERS: tuple[Layer, ...] = (
    Layer("entity-person", "people", True, ("PERSON",), "people, real or fictional", colour="#ff87d7"),
    Layer("entity-org", "organisations", True, ("ORG",), "companies, agencies, institutions, outlets", colour="#5fafff"),
    Layer("entity-place", "places", True, ("GPE", "LOC", "FAC"), "countries, cities, regions, buildings", colour="#87d75f"),
    Layer("entity-group", "groups", True, ("NORP",), "nationalities, religious or political groups", colour="#ffaf5f"),
    Layer("entity-event", "other names", True, ("EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"),
          "named events, laws, works, products, languages", colour="#af87ff"),
    Layer("entity-date", "dates", False, ("DATE", "TIME"), "dates, times and periods", colour="#5fd7d7"),
    Layer("entity-number", "numbers", False, ("CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"),
          "numbers, amounts, money, percentages", colour="#d7d787"),
)
OTHER_LAYERS: tuple[Layer, ...] = (
    Layer("claim", "claims", True, words="statements put forward as fact or attributed to someone (bar in the margin)"),
    Layer("note", "reliability notes", True, words="spans a careful reader should doubt, with the reason"),
    Layer("user", "your annotations", True, words="what you tagged or noted"),
    Layer("weak", "less certain cues", False,
          words="also cues the analysis is less sure of (off: only confident cues are shown)"),
)
LAYERS: tuple[Layer, ...] = ENTITY_LAYERS + OTHER_LAYERS
LAYER_BY_ID = {layer.id: layer for layer in LAYERS}
ENTITY_KINDS = tuple(layer.id for layer in ENTITY_LAYERS)
_KIND_OF_LABEL = {label: layer.id for layer in ENTITY_LAYERS for label in layer.labels}

# Entity label -> plain words (spaCy's own labels stay the data; these are for people).
ENTITY_WORDS = {
    "PERSON": "a person", "NORP": "a nationality, religious or political group", "ORG": "an organisation",
    "GPE": "a country, city or state", "LOC": "a place", "FAC": "a building or facility", "EVENT": "an event",
    "LAW": "a law or treaty", "WORK_OF_ART": "a title of a work", "PRODUCT": "a product", "LANGUAGE": "a language",
    "DATE": "a date or period", "TIME": "a time of day", "CARDINAL": "a number", "ORDINAL": "an ordinal (first, second)",
    "QUANTITY": "a quantity", "MONEY": "an amount of money", "PERCENT": "a percentage",
}


def entity_kind(label: str) -> str:
    """The article-view span kind (and layer) of an entity label; unknown labels go with events."""
    return _KIND_OF_LABEL.get(label, "entity-event")


def defaults() -> dict[str, bool]:
    return {layer.id: layer.default for layer in LAYERS}


def _path():
    return paths.config_dir() / LAYERS_FILENAME


def load_layers() -> dict[str, bool]:
    """The saved choice over the defaults; an unreadable or foreign file means the defaults."""
    chosen = defaults()
    try:
        raw = json.loads(_path().read_text("utf-8"))
    except (OSError, ValueError):
        return chosen
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key in chosen and isinstance(value, bool):
                chosen[key] = value
    return chosen


def save_layers(chosen: dict[str, bool]) -> str | None:
    """Save the choice (atomically); returns why it could not be saved, or None."""
    from annotations.atomic import write_atomically

    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps({k: bool(chosen[k]) for k in LAYER_BY_ID if k in chosen}, indent=1),
                         fsync=False)
    except OSError as error:
        return f"{path}: {error.strerror or error}"
    return None


def hidden_kinds(chosen: dict[str, bool]) -> set[str]:
    """Span kinds the article view should not draw."""
    hidden = {key for key, on in chosen.items() if not on and key != "weak"}
    if "user" in hidden:
        hidden |= {"user-overlap", "user-note"}
    return hidden
