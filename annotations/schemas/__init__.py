"""JSON Schemas of what annotate reads back from disk, and the one way to check them.

One schema file per format (``store.json``: the database's records, one definition per
table; ``analysis-cache.json``: a cached analysis). ``jsonschema`` is imported on the first
check, never at start: a trusted database is not checked record by record (see
``store_file.load_file``), so the reader's first paint does not pay for it.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

MAX_REASON = 160  # a reason quotes the bad value: keep a huge one short


@functools.cache
def schema(name: str) -> dict:
    return json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def _validator_class():
    """Draft 2020-12 where an "integer" is a Python int only: JSON Schema lets 5.0 (and
    a parser may give 1e24 for a long integer) pass as an integer, and a float offset
    would be a TypeError when the text is sliced."""
    from jsonschema import Draft202012Validator, validators

    def strict_integer(_checker, instance) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", strict_integer)
    return validators.extend(Draft202012Validator, type_checker=checker)


@functools.cache
def validator(name: str, definition: str | None = None):
    """A validator for the schema ``name``, or for one of its ``$defs``."""
    cls = _validator_class()
    document = schema(name)
    if definition is not None:
        document = {**document, "$ref": f"#/$defs/{definition}"}
    cls.check_schema(document)
    return cls(document)


def problem(name: str, instance: Any, definition: str | None = None) -> str | None:
    """Why ``instance`` does not match (one short line), or None when it does."""
    check = validator(name, definition)
    try:
        if check.is_valid(instance):
            return None
        from jsonschema.exceptions import best_match

        error = best_match(check.iter_errors(instance))
        where = "/".join(str(part) for part in error.absolute_path)
        message = error.message  # names the value: its repr recurses as deep as the value
    except RecursionError:
        return "nested too deeply"
    reason = message if len(message) <= MAX_REASON else message[: MAX_REASON - 1] + "…"
    return f"{where}: {reason}" if where else reason
