"""Plain-text marks of page furniture and first-person testimony, for the claim rules
(claims.py): captions with their credit, promo lines, notes to readers, headings. Word lists
live in ``data/furniture.json``. No spaCy here."""

from __future__ import annotations

import re
from functools import lru_cache

from annotations.analysis.resources import data_json

# a caption ends with its credit: "(Video sent to our team by one of the protesters)"
CREDIT_TAIL = re.compile(r"\(([^()]{2,160})\)\W*$")
# a sentence of prose ends with . ! ? (then maybe a closing quote or bracket); a heading does not
TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
# "I", "my", "we" of a witness speaking (not "US" the country)
TESTIMONY_FIRST_PERSON = re.compile(r"\bI\b|\b(?:[Mm]e|[Mm]y|[Ww]e|[Uu]s|[Oo]ur|[Oo]urs)\b")
# "just three on iOS and one on Android told users": a count is not a source
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds",
                "thousands", "some", "many", "most", "few", "several", "half", "none", "all"}


@lru_cache(maxsize=1)
def furniture_words() -> dict:
    return data_json("furniture.json")


@lru_cache(maxsize=1)
def deictic_media() -> re.Pattern:
    """"on this map", "these photos": a sentence pointing at a picture beside it."""
    words = furniture_words()
    media = "|".join(re.escape(m) for m in words["media_nouns"])
    deictics = "|".join(re.escape(d) for d in words["deictics"])
    return re.compile(rf"\b(?:{deictics})\s+(?:[\w-]+\s+)?(?:{media})\b", re.IGNORECASE)


def mostly_upper(text: str) -> bool:
    """A promo line in capitals ("NJ COLLEGE GRADUATE PAYS OFF $70K ...")."""
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) >= 3 and len(letters) >= 10 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
