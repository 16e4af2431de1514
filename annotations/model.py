"""The user's annotations: one span of a document with a label and/or a note.

An annotation carries two selectors, as the W3C Web Annotation model and Hypothesis do:
a position (``start``/``end``, code-point offsets, ``end`` exclusive) and a quote
(``text`` exactly as it was, with ``CONTEXT_CHARS`` characters of ``prefix`` and
``suffix``).  The quote is what lets an annotation survive edits of the article
(see ``anchoring.py``); an annotation that cannot be placed any more is an *orphan*
(``start``/``end`` None, ``orphan`` True) and keeps its quote.
"""

from __future__ import annotations

import getpass
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

CONTEXT_CHARS = 32
USER_ORIGIN = "user"


def now_iso() -> str:
    """The current time as an RFC 3339 UTC string (what W3C ``created`` needs)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return uuid.uuid4().hex


def default_creator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (containers): still annotate
        return "unknown"


def quote_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The ``CONTEXT_CHARS`` characters before ``start`` and after ``end``."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def check_span(text: str, start: Any, end: Any) -> None:
    """Raise ValueError unless ``start:end`` is a non-empty span inside ``text``."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        raise ValueError(f"span offsets must be integers, got {start!r}..{end!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}..{end} is not a non-empty span inside the text (0..{len(text)})")


@dataclass
class Annotation:
    id: str
    doc_sha: str
    start: int | None
    end: int | None
    text: str
    prefix: str = ""
    suffix: str = ""
    label: str | None = None
    note: str = ""
    origin: str = USER_ORIGIN
    created: str = field(default_factory=now_iso)
    modified: str = ""
    creator: str = field(default_factory=default_creator)
    orphan: bool = False

    def __post_init__(self) -> None:
        if not self.modified:
            self.modified = self.created

    @property
    def placed(self) -> bool:
        return not self.orphan and self.start is not None and self.end is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Annotation":
        """Build from a stored or exported record; unknown keys are ignored."""
        known = _FIELD_NAMES
        values = {key: value for key, value in data.items() if key in known}
        if "doc_sha" not in values:
            values["doc_sha"] = ""
        return cls(**values)

    def describe(self, width: int = 30) -> str:
        """A short human name for messages: ``PERSON 'Vladimir Putin'``."""
        quote = " ".join(self.text.split())
        if len(quote) > width:
            quote = quote[: width - 1] + "…"
        head = self.label or ("note" if self.note else "highlight")
        return f"{head} '{quote}'"


_FIELD_NAMES = frozenset(f.name for f in fields(Annotation))


def new_annotation(
    document,
    start: int,
    end: int,
    label: str | None = None,
    note: str = "",
    origin: str = USER_ORIGIN,
) -> Annotation:
    """A fresh annotation of ``document.text[start:end]`` with its quote context."""
    check_span(document.text, start, end)
    prefix, suffix = quote_context(document.text, start, end)
    return Annotation(
        id=new_id(),
        doc_sha=document.sha256,
        start=start,
        end=end,
        text=document.text[start:end],
        prefix=prefix,
        suffix=suffix,
        label=label,
        note=note or "",
        origin=origin,
    )
