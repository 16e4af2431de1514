"""Contradictions: two claims by different speakers on the same topic, one denying or
negating what the other asserts.

Topic overlap is the shared content words, weighted by how rare they are among the
document's claims (a word in every claim, like the country at war, says little), with
synonyms from the lexicon ("surrounded" ~ "encirclement"). A pair needs a shared event
word (a verb or adjective, or an event synonym group), not just shared names. Each
negative claim is paired with at most ``MAX_PARTNERS`` claims, the closest in topic.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from annotations.analysis import checkpoint
from annotations.analysis.resources import lexicon

MAX_PARTNERS = 2
IDF_SMOOTHING = 10
PARTNER_WINDOW = 60
MIN_SCORE = 3.0
MIN_SCORE_WITHOUT_EVENT = 3.5
MIN_SCORE_ANTONYM = 3.0
# a claim reported in a side clause ("... as Russia has claimed progress") is mostly the
# writer's sentence, not one side of a dispute
MAX_ASSERT_DEPTH = 1
DENYING_VERBS = {"deny", "dispute", "reject", "refute", "dismiss", "contradict", "rebut", "blast"}
GENERIC = {"say", "year", "time", "people", "thing", "way", "day", "week", "month", "percent", "number", "part",
           "also", "many", "much", "more", "most", "other", "new", "first", "last", "own", "good", "bad", "make",
           "take", "come", "get", "give", "go", "have", "be", "do"}


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, tuple[str, bool]]:
    """word -> (group key, is an event group)."""
    groups: dict[str, tuple[str, bool]] = {}
    for name, event in (("event_synonyms", True), ("synonyms", False)):
        for number, words in enumerate(lexicon().get(name, [])):
            for word in words:
                groups.setdefault(word.lower(), (f"{'e' if event else 's'}{number}", event))
    return groups


def _stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word


def topic_profile(keys: list[list[str]]) -> dict[str, bool]:
    """key -> whether it names an event (predicate or event synonym) rather than a participant.

    Keys of names and dates start with "n:" (they count towards a shared topic only next to
    a shared event)."""
    groups = synonym_groups()
    profile: dict[str, bool] = {}
    for lemma, kind in keys:
        if lemma in GENERIC:
            continue
        group = groups.get(lemma)
        if group is not None and kind not in ("m", "N"):
            profile[f"syn:{group[0]}"] = group[1]
        key = f"{'n' if kind == 'N' else 'w'}:{_stem(lemma)}"
        profile[key] = profile.get(key, False) or kind == "p"
    return profile


def is_negative(claim: dict, info: dict) -> bool:
    if any(c["kind"] == "denial" for c in claim["cues"]):
        return True
    report = info.get("report") or {}
    if report.get("verb") in DENYING_VERBS or report.get("content_negated") or report.get("negated"):
        return True
    # a quoted statement that negates its own main verb
    return any(n["in_quote"] for n in info.get("negations", []))


def _name_stems(text: str) -> set[str]:
    words = re.findall(r"[^\W_]+", text.lower().replace("\u2019s", "").replace("'s", ""))
    return {_stem(w) for w in words if len(w) > 2 and w not in ("the", "and")}


@lru_cache(maxsize=4096)
def _speaker_shape(name: str) -> tuple[str, frozenset[str]]:
    words = re.findall(r"[^\W_]+", name.lower())
    return (_stem(words[-1]) if words else ""), frozenset(_name_stems(name))


def same_speaker(a: str, b: str) -> bool:
    """"the Ukrainian military leadership" and "Ukraine's military leadership" are one speaker."""
    if a == b:
        return True
    head_a, words_a = _speaker_shape(a)
    head_b, words_b = _speaker_shape(b)
    return head_a == head_b and len(words_a & words_b) >= 2


def _topic_words(shared: list[str], keys: list[list[str]]) -> str:
    groups = synonym_groups()
    words = []
    # event words first: they say what the dispute is about
    for lemma, _kind in sorted(keys, key=lambda k: (k[1] != "p" and not groups.get(k[0], ("", False))[1], k[0])):
        if lemma in GENERIC:
            continue
        group = groups.get(lemma)
        if (group is not None and f"syn:{group[0]}" in shared) or f"w:{_stem(lemma)}" in shared:
            if lemma not in words:
                words.append(lemma)
    return ", ".join(words[:3]) or "the same topic"


def find_contradictions(claims: list[dict], infos: dict[str, dict]) -> list[dict]:
    """claims: contract dicts (id, speaker, cues ...); infos: id -> {keys, report, negations, speaker_key, depth}."""
    profiles = {c["id"]: topic_profile(infos[c["id"]]["keys"]) for c in claims}
    frequency: dict[str, int] = {}
    for profile in profiles.values():
        for key in profile:
            frequency[key] = frequency.get(key, 0) + 1
    total = max(1, len(claims))

    def weight(key: str, event: bool) -> float:
        # smoothed: in a short text every word is "common", yet a shared event still counts
        return math.log((total + IDF_SMOOTHING) / frequency[key]) * (2.0 if event else 1.0)

    negative = {c["id"]: is_negative(c, infos[c["id"]]) for c in claims}
    denies = {c["id"]: any(q["kind"] == "denial" and q["text"].lower() not in ("not", "n't", "no", "never")
                           for q in c["cues"]) for c in claims}
    order = {c["id"]: i for i, c in enumerate(claims)}
    by_id = {c["id"]: c for c in claims}
    pairs: dict[tuple[str, str], dict] = {}
    for claim in claims:
        checkpoint()
        cid = claim["id"]
        key = infos[cid].get("speaker_key")
        if not negative[cid] or key is None:
            continue
        scored = []
        position = order[cid]
        # a dispute is answered nearby: look at the claims around, not the whole of a long text
        for other in claims[max(0, position - PARTNER_WINDOW):position + PARTNER_WINDOW]:
            oid = other["id"]
            other_key = infos[oid].get("speaker_key")
            if oid == cid or other_key is None or negative[oid] or same_speaker(key, other_key):
                continue
            if infos[oid].get("depth", 0) > MAX_ASSERT_DEPTH:
                continue
            a, b = profiles[cid], profiles[oid]
            shared = set(a) & set(b)
            event = any(k.startswith("syn:e") or (a[k] and b[k]) for k in shared)
            score = sum(weight(k, a[k] or b[k]) for k in shared)
            if not event:
                # names in common are not a topic; only an explicit denial of an earlier claim
                # that shares its rare words ("denied that profits had reached record levels")
                words = sum(weight(k, False) for k in shared if k.startswith("w:"))
                if not (denies[cid] and order[oid] < order[cid] and words >= MIN_SCORE_WITHOUT_EVENT):
                    continue
            if score >= MIN_SCORE:
                scored.append((-score, abs(order[oid] - order[cid]), oid, sorted(shared)))
        scored.sort()
        for _neg_score, _distance, oid, shared in scored[:MAX_PARTNERS]:
            first, second = sorted((cid, oid), key=lambda i: order[i])
            if (first, second) in pairs:
                continue
            topic = _topic_words(shared, infos[cid]["keys"])
            pairs[(first, second)] = {
                "claims": [first, second],
                "note": f"{by_id[oid]['speaker']['text']} asserts it; {claim['speaker']['text']} denies or "
                        f"negates it (on: {topic})",
            }
    _antonym_pairs(claims, infos, profiles, weight, negative, order, pairs)
    return [pairs[k] for k in sorted(pairs, key=lambda k: (order[k[0]], order[k[1]]))]


@lru_cache(maxsize=1)
def antonym_patterns() -> list[tuple[re.Pattern, re.Pattern, str, str]]:
    """(side A regex, side B regex, an A word, a B word) for each antonym pair of the lexicon."""
    out = []
    for side_a, side_b in lexicon().get("antonyms", []):
        def regex(words):
            body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)
        out.append((regex(side_a), regex(side_b), side_a[0], side_b[0]))
    return out


def _antonym_pairs(claims, infos, profiles, weight, negative, order, pairs) -> None:
    """Two speakers on one topic saying opposite things without a negation: "the program is
    sound" / "these programs are unsustainable". At most one such partner per claim."""
    patterns = antonym_patterns()
    sides: dict[str, set[tuple[int, int]]] = {}
    for claim in claims:
        checkpoint()
        found = set()
        for number, (side_a, side_b, _a, _b) in enumerate(patterns):
            has_a, has_b = bool(side_a.search(claim["text"])), bool(side_b.search(claim["text"]))
            if has_a != has_b:  # a claim using both sides compares, it does not take a side
                found.add((number, 0 if has_a else 1))
        sides[claim["id"]] = found
    used: set[str] = set()
    for index, claim in enumerate(claims):
        checkpoint()
        cid = claim["id"]
        key = infos[cid].get("speaker_key")
        if key is None or negative[cid] or not sides[cid] or cid in used:
            continue
        best = None
        for other in claims[index + 1:index + 1 + PARTNER_WINDOW]:
            oid = other["id"]
            other_key = infos[oid].get("speaker_key")
            if other_key is None or negative[oid] or oid in used or same_speaker(key, other_key):
                continue
            if infos[oid].get("depth", 0) > MAX_ASSERT_DEPTH or infos[cid].get("depth", 0) > MAX_ASSERT_DEPTH:
                continue
            opposite = [n for n, side in sides[cid] if (n, 1 - side) in sides[oid]]
            if not opposite:
                continue
            a, b = profiles[cid], profiles[oid]
            shared = [k for k in set(a) & set(b) if k.startswith("w:")]  # common words, not names
            score = sum(weight(k, False) for k in shared)
            if score >= MIN_SCORE_ANTONYM and (best is None or score > best[0]):
                best = (score, oid, opposite[0], sorted(shared))
        if best is None:
            continue
        _score, oid, number, shared = best
        used.update((cid, oid))
        first, second = sorted((cid, oid), key=lambda i: order[i])
        if (first, second) in pairs:
            continue
        _ra, _rb, word_a, word_b = patterns[number]
        speakers = [c["speaker"]["text"] for c in claims if c["id"] in (first, second)]
        pairs[(first, second)] = {
            "claims": [first, second],
            "note": f"{speakers[0]} and {speakers[1]} say opposite things "
                    f"({word_a} / {word_b}) on: {_topic_words(shared, infos[cid]['keys'])}",
        }
