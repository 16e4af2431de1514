"""Placing annotations on a text that may have changed since they were made.

Every annotation keeps two W3C selectors: a TextPositionSelector (``start``/``end``)
and a TextQuoteSelector (``exact`` with a ``prefix``/``suffix`` of context).  Anchoring
tries, in order (as Hypothesis does):

1. the position, when the exact text is still there (unless the same words landed
   there by chance and another occurrence has clearly better context);
2. the exact quote: every occurrence is scored by how much of its prefix/suffix
   context still matches, ties broken by the distance to the old position;
3. an approximate match: places where pieces of prefix + quote + suffix still occur
   vote for a location, and the best few candidates are aligned with difflib in a
   small window.  The search only ever aligns windows of a few quote lengths, so it
   stays fast on megabyte texts.

When nothing scores well enough the annotation is an orphan (``None``).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from typing import Iterable

from annotations.model import Annotation, quote_context

# Limits of the approximate search; see fuzzy_anchor.
SEED_LENGTH = 8
MAX_SEEDS = 48
MAX_SEED_HITS = 40  # a seed that occurs more often says nothing about the place
MAX_CANDIDATES = 6
MAX_FUZZY_QUOTE = 240  # longer quotes are placed by their two ends (difflib is quadratic)
END_PIECE = 100
MIN_QUOTE_RATIO = 0.75
MIN_QUOTE_RATIO_WITH_CONTEXT = 0.6
MIN_CONTEXT_RATIO = 0.8


def anchor(
    text: str,
    start: int | None,
    end: int | None,
    exact: str,
    prefix: str = "",
    suffix: str = "",
) -> tuple[int, int] | None:
    """Where the quote ``exact`` belongs in ``text`` now, or None when it cannot be placed."""
    if not exact:
        return None
    prefix = prefix or ""
    suffix = suffix or ""
    if (
        isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < end <= len(text)
        and text[start:end] == exact
    ):
        full = len(prefix) + len(suffix)
        here = context_score(text, start, end, prefix, suffix)
        if here == full:
            return start, end
        # The same words can land on the old offsets by chance ("the" after an edit
        # before it): keep the position unless another occurrence has clearly better context.
        best = exact_anchor(text, exact, prefix, suffix, start)
        if best is not None and best != (start, end):
            if context_score(text, best[0], best[1], prefix, suffix) - here > max(2, full // 4):
                return best
        return start, end
    found = exact_anchor(text, exact, prefix, suffix, start)
    if found is not None:
        return found
    return fuzzy_anchor(text, exact, prefix, suffix, start)


def _common_suffix_length(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        count += 1
    return count


def _common_prefix_length(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the old context still surround ``start:end``."""
    before = text[max(0, start - len(prefix)) : start] if prefix else ""
    after = text[end : end + len(suffix)] if suffix else ""
    return _common_suffix_length(before, prefix) + _common_prefix_length(after, suffix)


def exact_anchor(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> tuple[int, int] | None:
    """The occurrence of ``exact`` with the best context, nearest ``hint`` on ties."""
    best: tuple[int, int, int] | None = None  # (-score, distance, position)
    position = text.find(exact)
    while position != -1:
        score = context_score(text, position, position + len(exact), prefix, suffix)
        distance = abs(position - hint) if isinstance(hint, int) else 0
        key = (-score, distance, position)
        if best is None or key < best:
            best = key
        position = text.find(exact, position + 1)
    if best is None:
        return None
    return best[2], best[2] + len(exact)


def _seed_offsets(length: int) -> list[int]:
    if length < SEED_LENGTH:
        return [0] if length else []
    last = length - SEED_LENGTH
    count = min(MAX_SEEDS, last // 2 + 1)
    if count <= 1:
        return [0]
    return sorted({round(i * last / (count - 1)) for i in range(count)})


def _candidates(text: str, pattern: str, quote_offset: int, hint: int | None) -> list[int]:
    """Likely positions of the quote's start, from exact hits of short seeds."""
    votes: Counter[int] = Counter()
    bucket = max(8, len(pattern) // 4)
    for offset in _seed_offsets(len(pattern)):
        seed = pattern[offset : offset + SEED_LENGTH]
        if not seed.strip():
            continue
        hits = []
        position = text.find(seed)
        while position != -1 and len(hits) <= MAX_SEED_HITS:
            hits.append(position)
            position = text.find(seed, position + 1)
        if not hits or len(hits) > MAX_SEED_HITS:
            continue
        for hit in hits:
            votes[(hit - offset + quote_offset) // bucket] += 1
    ranked = sorted(
        votes.items(),
        key=lambda item: (-item[1], abs(item[0] * bucket - hint) if isinstance(hint, int) else 0),
    )
    return [key * bucket for key, _ in ranked[:MAX_CANDIDATES]]


def _align(text: str, exact: str, prefix: str, suffix: str, guess: int) -> tuple[int, int, float, float] | None:
    """Align prefix+exact+suffix around ``guess``; return (start, end, quote ratio, context ratio)."""
    pattern = prefix + exact + suffix
    slack = len(exact) // 2 + SEED_LENGTH * 2
    window_start = max(0, guess - len(prefix) - slack)
    window_end = min(len(text), guess + len(exact) + len(suffix) + slack)
    window = text[window_start:window_end]
    matcher = difflib.SequenceMatcher(None, pattern, window, autojunk=False)
    quote_from, quote_to = len(prefix), len(prefix) + len(exact)
    first = last = None
    for a, b, size in matcher.get_matching_blocks():
        if size == 0:
            continue
        lo, hi = max(a, quote_from), min(a + size, quote_to)
        if lo >= hi:
            continue
        if first is None:
            first = b + (lo - a)
        last = b + (hi - a)
    if first is None or last is None or last <= first:
        return None
    start, end = window_start + first, window_start + last
    found = text[start:end]
    quote_ratio = difflib.SequenceMatcher(None, exact, found, autojunk=False).ratio()
    context_ratio = 0.0
    if prefix or suffix:
        before, after = quote_context(text, start, end)
        before = before[len(before) - len(prefix) :] if prefix else ""
        after = after[: len(suffix)]
        context_ratio = difflib.SequenceMatcher(None, prefix + "\x00" + suffix, before + "\x00" + after, autojunk=False).ratio()
    return start, end, quote_ratio, context_ratio


def fuzzy_anchor(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> tuple[int, int] | None:
    """An approximate match of the quote, scored by quote similarity and context."""
    if len(exact) > MAX_FUZZY_QUOTE:
        return _long_fuzzy_anchor(text, exact, prefix, suffix, hint)
    best: tuple[float, int, int] | None = None
    for guess in _candidates(text, prefix + exact + suffix, len(prefix), hint):
        aligned = _align(text, exact, prefix, suffix, guess)
        if aligned is None:
            continue
        start, end, quote_ratio, context_ratio = aligned
        acceptable = quote_ratio >= MIN_QUOTE_RATIO or (
            quote_ratio >= MIN_QUOTE_RATIO_WITH_CONTEXT and context_ratio >= MIN_CONTEXT_RATIO
        )
        if not acceptable:
            continue
        score = quote_ratio * 2 + context_ratio
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None:
        return None
    return best[1], best[2]


def _long_fuzzy_anchor(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> tuple[int, int] | None:
    """Place a long quote by its first and last END_PIECE characters, each an ordinary quote."""
    head, head_suffix = exact[:END_PIECE], exact[END_PIECE : END_PIECE + 32]
    tail, tail_prefix = exact[-END_PIECE:], exact[-END_PIECE - 32 : -END_PIECE]
    tail_hint = None if hint is None else hint + len(exact) - END_PIECE
    head_at = exact_anchor(text, head, prefix, head_suffix, hint) or fuzzy_anchor(text, head, prefix, head_suffix, hint)
    tail_at = exact_anchor(text, tail, tail_prefix, suffix, tail_hint) or fuzzy_anchor(
        text, tail, tail_prefix, suffix, tail_hint
    )
    if head_at is None or tail_at is None:
        return None
    start, end = head_at[0], tail_at[1]
    if not len(exact) // 2 <= end - start <= len(exact) * 2:
        return None
    # quick_ratio compares character counts only: linear, unlike ratio().
    if difflib.SequenceMatcher(None, exact, text[start:end], autojunk=False).quick_ratio() < MIN_QUOTE_RATIO:
        return None
    return start, end


def place(annotation: Annotation, text: str, doc_sha: str | None = None) -> Annotation | None:
    """The annotation moved onto ``text`` (selectors refreshed), or None if it cannot be placed."""
    found = anchor(text, annotation.start, annotation.end, annotation.text, annotation.prefix, annotation.suffix)
    if found is None:
        return None
    start, end = found
    prefix, suffix = quote_context(text, start, end)
    return dataclasses.replace(
        annotation,
        doc_sha=doc_sha or annotation.doc_sha,
        start=start,
        end=end,
        text=text[start:end],
        prefix=prefix,
        suffix=suffix,
        orphan=False,
    )


def orphaned(annotation: Annotation, doc_sha: str | None = None) -> Annotation:
    """The annotation as an orphan: no position, its quote kept."""
    return dataclasses.replace(annotation, doc_sha=doc_sha or annotation.doc_sha, start=None, end=None, orphan=True)


def reanchor(
    annotations: Iterable[Annotation], new_text: str, doc_sha: str | None = None
) -> tuple[list[Annotation], list[Annotation]]:
    """Place each annotation on ``new_text``: (placed, orphaned), both as new objects.

    Orphans are tried again too, so an annotation comes back when its text does.
    """
    placed: list[Annotation] = []
    lost: list[Annotation] = []
    for annotation in annotations:
        moved = place(annotation, new_text, doc_sha)
        if moved is None:
            lost.append(orphaned(annotation, doc_sha))
        else:
            placed.append(moved)
    return placed, lost
