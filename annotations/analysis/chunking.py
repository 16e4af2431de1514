"""Split a text into pieces spaCy can take, keeping document offsets.

Pieces are paragraphs (one line each in our normalized texts); a paragraph longer than
``max_chars`` is cut at sentence ends, else at whitespace, else hard. Empty paragraphs
are skipped. Every piece is an exact slice: ``text[offset:offset + len(piece)] == piece``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+")
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Chunk:
    offset: int
    text: str

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


def _cut_points(text: str, max_chars: int, pattern: re.Pattern) -> list[int] | None:
    """Cut positions (after a match) so no piece is longer than max_chars; None if impossible."""
    ends = [m.end() for m in pattern.finditer(text)]
    cuts = []
    last = 0
    candidate = None
    for pos in ends + [len(text)]:
        if pos - last <= max_chars:
            candidate = pos
            continue
        if candidate is None or candidate == last:
            return None
        cuts.append(candidate)
        last = candidate
        candidate = pos if pos - last <= max_chars else None
        if candidate is None:
            return None
    return cuts


def split_long(text: str, offset: int, max_chars: int) -> list[Chunk]:
    if len(text) <= max_chars:
        return [Chunk(offset, text)]
    for pattern in (SENTENCE_END, WHITESPACE):
        cuts = _cut_points(text, max_chars, pattern)
        if cuts is not None:
            break
    else:
        cuts = list(range(max_chars, len(text), max_chars))
    chunks = []
    last = 0
    for cut in cuts + [len(text)]:
        if cut > last:
            chunks.append(Chunk(offset + last, text[last:cut]))
        last = cut
    return chunks


def paragraphs(text: str, max_chars: int = 100_000) -> list[Chunk]:
    """Paragraph pieces of ``text`` (never longer than ``max_chars``), in order."""
    chunks: list[Chunk] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            chunks.extend(split_long(line, position, max_chars))
        position += len(line) + 1
    return chunks


def split_text(text: str, max_chars: int = 100_000, target_chars: int = 8_000) -> list[Chunk]:
    """Chunks of whole consecutive paragraphs, about ``target_chars`` long (a paragraph longer
    than ``max_chars`` is cut). Fewer, larger Docs cost spaCy less per character than one
    Doc per paragraph, and paragraphs stay whole, so sentences and quotes are not cut."""
    chunks: list[Chunk] = []
    group: list[Chunk] = []

    def flush() -> None:
        if group:
            start, end = group[0].offset, group[-1].end
            chunks.append(Chunk(start, text[start:end]))
            group.clear()

    for piece in paragraphs(text, max_chars):
        if group and (piece.end - group[0].offset > target_chars or piece.end - group[0].offset > max_chars
                      or group[-1].end != _line_end(text, group[-1].end)):
            flush()
        group.append(piece)
        if piece.end != _line_end(text, piece.end):
            flush()  # a piece cut from a long paragraph stands alone
    flush()
    return chunks


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end
