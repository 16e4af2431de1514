"""Contradictions: two claims by different speakers on the same topic, one denying or
negating what the other asserts.

Topic overlap counts shared content words, with synonyms ("surrounded" ~ "encirclement")
from the lexicon. Each negative claim is paired with at most ``MAX_PARTNERS`` claims,
the closest in topic, so the list stays short enough to read.
"""

from __future__ import annotations

from functools import lru_cache

from annotations.analysis.resources import lexicon

MAX_PARTNERS = 2
MIN_SCORE = 4
DENYING_VERBS = {"deny", "dispute", "reject", "refute", "dismiss", "contradict", "rebut", "blast"}
GENERIC = {"say", "year", "time", "people", "thing", "way", "day", "week", "month", "percent", "number", "part",
           "also", "many", "much", "more", "most", "other", "new", "first", "last", "own", "good", "bad"}


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, int]:
    groups = {}
    for number, words in enumerate(lexicon()["synonyms"]):
        for word in words:
            groups.setdefault(word.lower(), number)
    return groups


def _stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word


def topic_profile(keys: list[list[str]]) -> dict[str, tuple[int, str]]:
    """key -> (weight, class): synonym groups weigh 2 (they carry the event), words 1."""
    groups = synonym_groups()
    profile: dict[str, tuple[int, str]] = {}
    for lemma, kind in keys:
        if lemma in GENERIC:
            continue
        group = groups.get(lemma)
        if group is not None:
            profile[f"syn:{group}"] = (2, "p")
        weight = 2 if kind == "p" else 1
        key = f"w:{_stem(lemma)}"
        if profile.get(key, (0, ""))[0] < weight:
            profile[key] = (weight, kind)
    return profile


def overlap(a: dict, b: dict) -> tuple[int, bool, list[str]]:
    shared = set(a) & set(b)
    score = sum(min(a[k][0], b[k][0]) for k in shared)
    has_predicate = any(k.startswith("syn:") or a[k][1] == "p" for k in shared)
    return score, has_predicate, sorted(shared)


def is_negative(claim: dict, info: dict) -> bool:
    if any(c["kind"] == "denial" for c in claim["cues"]):
        return True
    report = info.get("report") or {}
    if report.get("verb") in DENYING_VERBS or report.get("content_negated") or report.get("negated"):
        return True
    # a quoted statement that negates its own main verb
    return any(n["in_quote"] for n in info.get("negations", []))


def _topic_words(shared: list[str], keys: list[list[str]]) -> str:
    groups = synonym_groups()
    words = []
    for lemma, _kind in keys:
        if lemma in GENERIC:
            continue
        group = groups.get(lemma)
        if (group is not None and f"syn:{group}" in shared) or f"w:{_stem(lemma)}" in shared:
            if lemma not in words:
                words.append(lemma)
    return ", ".join(words[:3]) or "the same topic"


def find_contradictions(claims: list[dict], infos: dict[str, dict]) -> list[dict]:
    """claims: contract dicts (id, speaker, cues ...); infos: id -> {keys, report, negations, speaker_key}."""
    profiles = {c["id"]: topic_profile(infos[c["id"]]["keys"]) for c in claims}
    negative = {c["id"]: is_negative(c, infos[c["id"]]) for c in claims}
    pairs: dict[tuple[str, str], dict] = {}
    order = {c["id"]: i for i, c in enumerate(claims)}
    for claim in claims:
        cid = claim["id"]
        key = infos[cid].get("speaker_key")
        if not negative[cid] or key is None:
            continue
        scored = []
        for other in claims:
            oid = other["id"]
            other_key = infos[oid].get("speaker_key")
            if oid == cid or other_key is None or other_key == key or negative[oid]:
                continue
            score, has_predicate, shared = overlap(profiles[cid], profiles[oid])
            if score >= MIN_SCORE and has_predicate:
                scored.append((-score, abs(order[oid] - order[cid]), oid, shared))
        scored.sort()
        for _neg_score, _distance, oid, shared in scored[:MAX_PARTNERS]:
            first, second = sorted((cid, oid), key=lambda i: order[i])
            if (first, second) in pairs:
                continue
            other = next(c for c in claims if c["id"] == oid)
            topic = _topic_words(shared, infos[cid]["keys"])
            pairs[(first, second)] = {
                "claims": [first, second],
                "note": f"{other['speaker']['text']} asserts it, {claim['speaker']['text']} denies or "
                        f"negates it (on: {topic})",
            }
    return [pairs[k] for k in sorted(pairs, key=lambda k: (order[k[0]], order[k[1]]))]
