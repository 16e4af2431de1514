"""The label set the user annotates with.

The defaults cover entities, claim work and verdicts.  Users replace them with a TOML
file (``labels.toml`` in the config folder, or ``annotate --labels FILE``)::

    [[label]]
    name = "PERSON"
    description = "A person, real or fictional"
    group = "entity"          # entity | claim | verdict | other (default other)
    color = "#5fafff"         # optional, for the view

The order of the file is the order of the ``1``-``9`` keys.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from annotations import paths
from annotations.document import DocumentError, read_capped

GROUPS = ("entity", "claim", "verdict", "other")
LABEL_KEYS = {"name", "description", "group", "color"}
USER_LABELS_FILE = "labels.toml"


class LabelError(Exception):
    """A label file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Label:
    name: str
    description: str = ""
    group: str = "other"
    color: str | None = None


DEFAULT_LABELS: list[Label] = [
    Label("PERSON", "A person, real or fictional", "entity"),
    Label("ORG", "A company, agency, institution, armed force or outlet", "entity"),
    Label("GPE", "A country, city or state (a geopolitical entity)", "entity"),
    Label("LOC", "A place that is not a GPE: a region, river, front line", "entity"),
    Label("NORP", "A nationality, religious or political group", "entity"),
    Label("EVENT", "A named event: a battle, summit, election", "entity"),
    Label("DATE", "A date or period", "entity"),
    Label("CLAIM", "A statement put forward as fact", "claim"),
    Label("SOURCE", "Who or what a claim comes from", "claim"),
    Label("EVIDENCE", "Evidence offered for a claim", "claim"),
    Label("OPINION", "An opinion or judgement, not a checkable fact", "claim"),
    Label("TRUE", "Checked: true", "verdict"),
    Label("FALSE", "Checked: false", "verdict"),
    Label("MISLEADING", "Checked: true in part, or out of context", "verdict"),
    Label("UNVERIFIED", "Cannot be verified with what is available", "verdict"),
    Label("CHECK", "To be checked", "verdict"),
]


def _label_from_entry(entry: object, where: str, path: str) -> Label:
    if not isinstance(entry, dict):
        raise LabelError(f"{path}: {where} is not a table (expected name = \"...\", description = \"...\")")
    unknown = sorted(set(entry) - LABEL_KEYS)
    if unknown:
        raise LabelError(f"{path}: {where} has unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(LABEL_KEYS))})")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise LabelError(f"{path}: {where} needs a non-empty string 'name'")
    if any(ch.isspace() for ch in name.strip()) or any(not ch.isprintable() for ch in name):
        raise LabelError(f"{path}: {where}: label name {name!r} must be one word of printable characters")
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise LabelError(f"{path}: {where} ({name}): 'description' must be a string")
    group = entry.get("group", "other")
    if group not in GROUPS:
        raise LabelError(f"{path}: {where} ({name}): group {group!r} is not one of {', '.join(GROUPS)}")
    color = entry.get("color")
    if color is not None and not isinstance(color, str):
        raise LabelError(f"{path}: {where} ({name}): 'color' must be a string")
    return Label(name.strip(), description, group, color)


def parse_labels(data: dict, path: str) -> list[Label]:
    """Labels from parsed TOML: ``[[label]]`` entries, or a ``[labels.NAME]`` table per label."""
    unknown = sorted(set(data) - {"label", "labels"})
    if unknown:
        raise LabelError(f"{path}: unknown top-level key(s) {', '.join(unknown)} (expected [[label]] entries)")
    entries: list[tuple[str, object]] = []
    listed = data.get("label", [])
    if not isinstance(listed, list):
        raise LabelError(f"{path}: 'label' must be an array of tables ([[label]])")
    entries += [(f"label #{index + 1}", entry) for index, entry in enumerate(listed)]
    tabled = data.get("labels", {})
    if not isinstance(tabled, dict):
        raise LabelError(f"{path}: 'labels' must be a table ([labels.NAME])")
    for name, entry in tabled.items():
        if isinstance(entry, dict) and "name" not in entry:
            entry = {"name": name, **entry}
        entries.append((f"[labels.{name}]", entry))
    labels = [_label_from_entry(entry, where, path) for where, entry in entries]
    if not labels:
        raise LabelError(f"{path}: no labels defined (add [[label]] entries with a name)")
    seen: set[str] = set()
    for label in labels:
        if label.name in seen:
            raise LabelError(f"{path}: label {label.name} is defined twice")
        seen.add(label.name)
    return labels


def load_labels(path: str | os.PathLike) -> list[Label]:
    """Read a label file; LabelError names the file and what is wrong."""
    import tomllib  # only when a label file is read: keeps start-up light

    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.loads(read_capped(handle, path).decode("utf-8"))
    except DocumentError as error:  # above the size limit, or binary
        raise LabelError(str(error)) from None
    except FileNotFoundError:
        raise LabelError(f"{path}: no such label file") from None
    except IsADirectoryError:
        raise LabelError(f"{path}: is a folder, not a label file") from None
    except OSError as error:
        raise LabelError(f"{path}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise LabelError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise LabelError(f"{path}: not valid TOML ({error})") from None
    return parse_labels(data, path)


def user_labels() -> list[Label]:
    """The user's label file in the config folder if there is one, else the defaults."""
    candidate = paths.config_dir() / USER_LABELS_FILE
    if candidate.is_file():
        return load_labels(candidate)
    return list(DEFAULT_LABELS)
