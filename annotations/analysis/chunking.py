"""Split a text into pieces spaCy can take, keeping document offsets.

Pieces are paragraphs (one line each in our normalized texts); a paragraph longer than
``max_chars`` is cut at the last sentence end that keeps the piece within ``max_chars``,
else at the last whitespace, else hard. Empty paragraphs are skipped. Every piece is an
exact slice: ``text[offset:offset + len(piece)] == piece``.

Every step is linear in the text: lines are found by one regular-expression pass, and a
long paragraph is cut by looking only inside the next ``max_chars`` characters, so a text
of one huge line or of a million short lines is chunked in one pass into bounded pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+")
WHITESPACE = re.compile(r"\s+")
LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Chunk:
    offset: int
    text: str

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


def _last_cut(text: str, start: int, limit: int, pattern: re.Pattern) -> int | None:
    """The end of the last ``pattern`` match in ``text[start:limit]`` past ``start``, or None."""
    cut = None
    for match in pattern.finditer(text, start, limit):
        if match.end() > start:
            cut = match.end()
    return cut


def _cuts(text: str, max_chars: int) -> Iterator[int]:
    """Ends of the pieces of ``text`` (the last is ``len(text)``), none longer than max_chars."""
    start = 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        cut = _last_cut(text, start, limit, SENTENCE_END) or _last_cut(text, start, limit, WHITESPACE) or limit
        yield cut
        start = cut
    yield len(text)


def split_long(text: str, offset: int, max_chars: int) -> list[Chunk]:
    chunks = []
    last = 0
    for cut in _cuts(text, max_chars):
        chunks.append(Chunk(offset + last, text[last:cut]))
        last = cut
    return chunks


def _pieces(text: str, max_chars: int) -> Iterator[tuple[Chunk, bool]]:
    """(piece, whether it is a whole paragraph) for the non-blank paragraphs, in order."""
    for line in LINE.finditer(text):
        paragraph = line.group()
        if not paragraph.strip():
            continue
        if len(paragraph) <= max_chars:
            yield Chunk(line.start(), paragraph), True
        else:
            for piece in split_long(paragraph, line.start(), max_chars):
                yield piece, False


def paragraphs(text: str, max_chars: int = 10_000) -> list[Chunk]:
    """Paragraph pieces of ``text`` (never longer than ``max_chars``), in order."""
    return [piece for piece, _whole in _pieces(text, max_chars)]


def split_text(text: str, max_chars: int = 10_000, target_chars: int = 8_000) -> list[Chunk]:
    """Chunks of whole consecutive paragraphs, about ``target_chars`` long (a paragraph longer
    than ``max_chars`` is cut). Fewer, larger Docs cost spaCy less per character than one
    Doc per paragraph, and paragraphs stay whole, so sentences and quotes are not cut.
    A chunk is never longer than ``max(max_chars, target_chars)`` plus the line breaks
    between its paragraphs' pieces: spaCy's work on one chunk is bounded."""
    chunks: list[Chunk] = []
    group: list[Chunk] = []
    group_whole = True  # the group's last piece is a whole paragraph

    def flush() -> None:
        if group:
            start, end = group[0].offset, group[-1].end
            chunks.append(Chunk(start, text[start:end]))
            group.clear()

    for piece, whole in _pieces(text, max_chars):
        if group and (piece.end - group[0].offset > target_chars or piece.end - group[0].offset > max_chars
                      or not group_whole):
            flush()
        group.append(piece)
        group_whole = whole
        if not whole:
            flush()  # a piece cut from a long paragraph ends its chunk
    flush()
    return chunks
