"""Quoted regions of a text, found from the quote marks alone (no spaCy).

News quotes follow two conventions this module relies on:
- a quote that runs over several paragraphs leaves the closing mark off at the end of
  each paragraph and reopens the next paragraph with an opening mark;
- straight quotes (") do not say which way they face, so their direction is read from
  the characters around them (space before -> opening, space or punctuation after ->
  closing), falling back on alternation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

OPENING = "\u201c\u201e\u00ab"  # “ „ «
CLOSING = "\u201d\u00bb"  # ” »
STRAIGHT = '"'
# characters after which a straight quote opens
OPEN_CONTEXT = set(" \t\n([{\u2014\u2013-:/")
BULLETS = "\u2022\u00b7\u25aa\u25cf*-\u2013\u2014>"
# curly single quotes, which some outlets use for speech: an apostrophe inside ("don\u2019t")
# has a letter after it, the closing mark does not
CURLY_SINGLE = re.compile(r"(?<![\w])\u2018((?:[^\u2018\u2019\n]|\u2019(?=\w))+?)\u2019(?!\w)")
SPEECH_WORDS = 5  # a single-quoted passage this long is speech, not a scare quote
SINGLE_QUOTED = re.compile(r"(?<![\w])[\u2018']([^\u2018\u2019'\n\"\u201c\u201d]{1,60}?)[\u2019'](?![\w])")


@dataclass(frozen=True)
class QuoteRegion:
    start: int  # offset of the opening mark (or paragraph start when it has none)
    end: int  # offset after the closing mark (or the paragraph end when left open)
    open_end: bool  # no closing mark: the quote continues in the next paragraph
    continued: bool  # this paragraph reopens a quote left open by the previous one
    single: bool = False  # single quote marks: usually a scare quote or a quote in a quote

    def inner(self, text: str) -> tuple[int, int]:
        """Offsets of the quoted words without the marks."""
        start, end = self.start, self.end
        if text[start:start + 2] == "``":
            start += 2
        elif start < end and text[start] in OPENING + STRAIGHT + "\u2018'":
            start += 1
        if end - 2 >= start and text[end - 2:end] == "''":
            end -= 2
        elif end > start and text[end - 1] in CLOSING + STRAIGHT + "\u2019'":
            end -= 1
        return start, end

    def word_count(self, text: str) -> int:
        start, end = self.inner(text)
        return len(re.findall(r"[^\W_]+(?:['\u2019-][^\W_]+)*", text[start:end]))


def _paragraphs(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _straight_opens(text: str, pos: int, para_start: int, para_end: int, is_open: bool) -> bool:
    before = text[pos - 1] if pos > para_start else " "
    after = text[pos + 1] if pos + 1 < para_end else " "
    if before in OPEN_CONTEXT and after not in " \t":
        return True
    if after in " \t.,;:!?)]" or pos + 1 >= para_end:
        return False
    return not is_open


def find_quotes(text: str) -> list[QuoteRegion]:
    """Double-quoted regions (spanning paragraphs when left open) and single-quoted scare quotes."""
    regions: list[QuoteRegion] = []
    carried_open = False  # the previous paragraph ended inside a quote
    for para_start, para_end in _paragraphs(text):
        if not text[para_start:para_end].strip():
            continue  # blank lines between paragraphs do not close a running quote
        open_at: int | None = None
        continued = False
        first_mark = True
        skip_to = para_start
        for pos in range(para_start, para_end):
            if pos < skip_to:
                continue
            ch = text[pos]
            pair = text[pos:pos + 2]
            if pair in ("``", "''"):
                # old wire copy marks quotes with two backticks and two apostrophes:
                # ``There is no need for alarm,''
                skip_to = pos + 2
                if pair == "``":
                    if open_at is None:
                        continued = carried_open and first_mark and not text[para_start:pos].strip().strip(BULLETS).strip()
                        open_at = pos
                elif open_at is not None:
                    regions.append(QuoteRegion(open_at, pos + 2, False, continued))
                    open_at = None
                    continued = False
                first_mark = False
                continue
            if ch not in OPENING and ch not in CLOSING and ch != STRAIGHT:
                continue
            if ch == STRAIGHT:
                opens = _straight_opens(text, pos, para_start, para_end, open_at is not None)
            else:
                opens = ch in OPENING
            if opens:
                if open_at is None:
                    continued = carried_open and first_mark and not text[para_start:pos].strip().strip(BULLETS).strip()
                    open_at = pos
                # an opening mark inside an open quote (doubled marks, typos): ignore it
            else:
                if open_at is not None:
                    regions.append(QuoteRegion(open_at, pos + 1, False, continued))
                    open_at = None
                    continued = False
                elif first_mark and carried_open:
                    # a paragraph that continues a quote without reopening it
                    regions.append(QuoteRegion(para_start, pos + 1, False, True))
            first_mark = False
        if open_at is not None:
            regions.append(QuoteRegion(open_at, para_end, True, continued))
            carried_open = True
        else:
            carried_open = False
    doubles = RegionIndex(regions)

    def within_double(start: int, end: int) -> bool:
        # some region starting at or before ``start`` reaches ``end`` (one bisection, not a scan)
        index = bisect.bisect_right(doubles.starts, start)
        return index > 0 and doubles.reach[index - 1] >= end

    taken: list[tuple[int, int]] = []  # in text order, not overlapping (one finditer)
    for match in CURLY_SINGLE.finditer(text):
        region = QuoteRegion(match.start(), match.end(), False, False, single=True)
        speech = region.word_count(text) >= SPEECH_WORDS or match.group(1).rstrip()[-1:] in ".,!?"
        if speech and not within_double(match.start(), match.end()):
            regions.append(QuoteRegion(match.start(), match.end(), False, False, single=False))
            taken.append((match.start(), match.end()))
    for match in SINGLE_QUOTED.finditer(text):
        before = bisect.bisect_right(taken, (match.start(), float("inf")))
        if before and taken[before - 1][1] > match.start():
            continue
        # an apostrophe is not a quote: "don't", "Jobs' hits" have a letter or s before it
        if match.group(0)[0] == "'" and match.start() > 0 and text[match.start() - 1].isalnum():
            continue
        inner = match.group(1)
        if inner.strip() != inner or not inner.strip():
            continue
        if text[match.start() - 1:match.start()] in ("'", "`") or text[match.end():match.end() + 1] == "'":
            continue  # one half of a doubled mark: ``...
        regions.append(QuoteRegion(match.start(), match.end(), False, False, single=True))
    regions.sort(key=lambda r: (r.start, r.end))
    return regions


def inside(regions: list[QuoteRegion], offset: int, double_only: bool = True) -> QuoteRegion | None:
    """The quote region containing ``offset`` (double quotes only unless told otherwise)."""
    for region in regions:
        if double_only and region.single:
            continue
        if region.start <= offset < region.end:
            return region
        if region.start > offset:
            break
    return None


class RegionIndex:
    """Regions overlapping a span, found by bisection: the cost is the regions returned (plus
    the ones that start inside a longer region), not all the regions before the span, so a
    text that is one huge paragraph stays linear. Fastest when the regions do not overlap
    one another (one index for double quotes, one for single quotes)."""

    def __init__(self, regions: list[QuoteRegion]) -> None:
        self.regions = sorted(regions, key=lambda r: (r.start, r.end))
        self.starts = [r.start for r in self.regions]
        self.reach = []  # the furthest end of the regions up to each index: never falls
        furthest = -1
        for region in self.regions:
            furthest = max(furthest, region.end)
            self.reach.append(furthest)

    def candidates(self, start: int, end: int) -> range:
        """Indexes of the regions that may overlap [start, end): every earlier region ends
        by ``start``, every later one starts at or after ``end``."""
        return range(bisect.bisect_right(self.reach, start), bisect.bisect_left(self.starts, end))

    def overlapping(self, start: int, end: int) -> list[QuoteRegion]:
        indexes = self.candidates(start, end)
        return [r for r in self.regions[indexes.start:indexes.stop] if r.end > start]
