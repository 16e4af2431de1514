"""JSON text that is safe to print: no raw control character from the data.

``json.dumps(..., ensure_ascii=False)`` escapes U+0000..U+001F but writes DEL
(U+007F) and the C1 controls (U+0080..U+009F) as they are.  A terminal takes C1 as
8-bit escapes (U+009B is CSI, U+009D OSC), so an article holding them could act on the
terminal of whoever prints an export or an analysis.  Those characters can only occur
inside JSON strings, so writing them as ``\\u00XX`` escapes is exact: the JSON value
is the same, and offsets into the text are unchanged.
"""

from __future__ import annotations

import json
import re

_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def escape_controls(json_text: str) -> str:
    """``json_text`` with DEL and C1 controls written as ``\\u`` escapes."""
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def dumps(value, indent: int | None = None) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` without raw control characters."""
    return escape_controls(json.dumps(value, ensure_ascii=False, indent=indent))


def dump(value, stream, indent: int | None = None, piece_chars: int = 1 << 20) -> None:
    """Write what ``dumps`` returns (and a newline) to the text ``stream`` in pieces of about
    ``piece_chars``: the analysis of a 20 MB article is hundreds of MB of JSON, which must
    not be built as one string (and copied to escape and to encode) before it is written."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=indent)
    pieces: list[str] = []
    size = 0
    for piece in encoder.iterencode(value):
        pieces.append(piece)
        size += len(piece)
        if size >= piece_chars:
            stream.write(escape_controls("".join(pieces)))  # controls are single characters
            pieces, size = [], 0
    pieces.append("\n")
    stream.write(escape_controls("".join(pieces)))
