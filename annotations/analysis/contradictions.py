"""Contradictions: two claims by different speakers on the same topic, one denying or
negating what the other asserts, or the two taking opposite sides of an antonym pair.

Topic overlap is the shared content words, weighted by how rare they are among the
document's claims (a word in every claim, like the country at war, says little), with
synonyms from the lexicon ("surrounded" ~ "encirclement"). A pair needs a shared event
word (a verb or adjective, or an event synonym group), not just shared names. A plain
negation counts only against a claim that says something of the negated word ("did not give
a price" negates the giving, not the aid both claims mention); a denial word or a negated
neg-raising verb ("don't think X") negates the whole content. Denying the opposite state
("no one says the oil is gone" / "the oil is still there") is agreement. Each claim is paired
with at most ``MAX_PARTNERS`` claims, the closest in topic, within ``PARTNER_WINDOW`` claims.
"""

from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache

from annotations.analysis import checkpoint
from annotations.analysis.resources import lexicon

MAX_PARTNERS = 2
# opposite words are rarer evidence than a shared negated word: a claim many speakers answer
# with the opposite state ("gone" / "still there") keeps a few more of them
MAX_STANCE_PARTNERS = 3
MAX_STANCE_SUBJECTS = 2
IDF_SMOOTHING = 10
PARTNER_WINDOW = 60
MIN_SCORE = 3.0
MIN_SCORE_WITHOUT_EVENT = 3.5
MIN_SCORE_ANTONYM = 3.0
# a claim reported in a side clause ("... as Russia has claimed progress") is mostly the
# writer's sentence, not one side of a dispute
MAX_ASSERT_DEPTH = 1
DENYING_VERBS = {"deny", "dispute", "reject", "refute", "dismiss", "contradict", "rebut", "blast"}
PLAIN_NEGATIONS = ("not", "n't", "n\u2019t", "no", "never")
# a negation attached to these negates the clause they carry ("is not the cause", "no one is
# saying"): its scope is the whole claim
WIDE_SCOPE_HEADS = {"be", "have", "do", "one", "body", "thing"}
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


def negated_scope(claim: dict, info: dict) -> set[str] | None:
    """What a negative claim negates, as profile keys: ``None`` when it negates or denies the
    whole of what it says (a denial, a denying report, a negated copula or a neg-raising verb:
    "don't think X" says not-X), else the keys of the negated words ("can't put a number"
    negates putting, not the oil mentioned in its object)."""
    report = info.get("report") or {}
    if explicit_denial(claim) or report.get("verb") in DENYING_VERBS:
        return None
    negations = [n for n in info.get("negations", []) if n["in_quote"]] or info.get("negations", [])
    heads = []
    for negation in negations:
        head = negation["head"]
        if not head.isalpha() or head == "be":
            # "is not the cause", "it's not right": the copula's complement is what is negated
            head = _complement_after(claim, info, negation)
        heads.append(head)
    if not heads or any(h is None or h in WIDE_SCOPE_HEADS or h in neg_raising_verbs() for h in heads):
        return None
    groups = synonym_groups()
    scope = set()
    for head in heads:
        scope.add(f"w:{_stem(head)}")
        if head in groups:
            scope.add(f"syn:{groups[head][0]}")
    return scope


def _complement_after(claim: dict, info: dict, negation: dict) -> str | None:
    """The first content word after a negated copula ("is not really the cause" -> cause)."""
    offset = negation.get("end", 0) - claim["start"]
    if not 0 <= offset <= len(claim["text"]):
        return None
    content = {lemma: kind for lemma, kind in info.get("keys", []) if kind != "N"}
    for word in re.findall(r"[^\W\d_]+", claim["text"][offset:offset + 80].lower())[:4]:
        if word in content:
            return word
    return None


@lru_cache(maxsize=1)
def neg_raising_verbs() -> frozenset[str]:
    return frozenset(lexicon().get("neg_raising_verbs", []))


def explicit_denial(claim: dict) -> bool:
    """A denial word ("incorrect", "denied", "doesn't mean"), not a bare "not"; the cue may be
    among the claim's lower-confidence cues."""
    return any(c["kind"] == "denial" and c["text"].lower() not in PLAIN_NEGATIONS
               for c in claim["cues"] + claim.get("weak_cues", []))


def is_negative(claim: dict, info: dict) -> bool:
    if any(c["kind"] == "denial" for c in claim["cues"]) or explicit_denial(claim):
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


def _negation_mirrored(scope: set[str] | None, negative: dict, other: dict, shared: set[str]) -> bool:
    """The other claim says, somewhere in it, what the negative one negates of the same subject:
    "Iran does not need enrichment" / "... enrichment, which Iran says it needs". The negated
    word, a subject of the negation and another content word must all recur; then even a
    side clause of the other claim is the position answered."""
    if not scope or not scope & shared or not negative.get("about"):
        return False
    other_words = {k.split(":", 1)[1] for k in other.get("keys_profile", ())} | other.get("nouns", set())
    if not negative["about"] & other_words:
        return False
    return len({k for k in shared if k.startswith("w:")} - scope) >= 1


def _same_subject(a: dict, b: dict, explicit_denial: bool = False) -> bool:
    """Whether two claims are about the same thing (a subject of one named in the other). Claims
    without topics (built outside the pipeline) are not held back."""
    if "about" not in a or "about" not in b:
        return True
    if a["about"] & b["about"]:
        return True
    # an explicit denial may name as its subject what the claim it answers has as object:
    # "the company made record profits" / "denied that profits had reached record levels"
    return explicit_denial and (bool(a["about"] & b["nouns"]) or bool(b["about"] & a["nouns"]))


def find_contradictions(claims: list[dict], infos: dict[str, dict]) -> list[dict]:
    """claims: contract dicts (id, speaker, cues ...); infos: id -> {keys, report, negations, speaker_key, depth}."""
    profiles = {c["id"]: topic_profile(infos[c["id"]]["keys"]) for c in claims}
    for claim in claims:
        infos[claim["id"]]["keys_profile"] = profiles[claim["id"]]
    frequency: dict[str, int] = {}
    for profile in profiles.values():
        for key in profile:
            frequency[key] = frequency.get(key, 0) + 1
    total = max(1, len(claims))

    def weight(key: str, event: bool) -> float:
        # smoothed: in a short text every word is "common", yet a shared event still counts
        return math.log((total + IDF_SMOOTHING) / frequency[key]) * (2.0 if event else 1.0)

    negative = {c["id"]: is_negative(c, infos[c["id"]]) for c in claims}
    denies = {c["id"]: explicit_denial(c) for c in claims}
    scopes = {c["id"]: negated_scope(c, infos[c["id"]]) for c in claims if negative[c["id"]]}
    sides = {c["id"]: antonym_sides(c["text"], infos[c["id"]]["keys"]) for c in claims}
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
            if oid == cid or negative[oid] or not _different_sides(key, other_key):
                continue
            a, b = profiles[cid], profiles[oid]
            shared = set(a) & set(b)
            if scopes[cid] is not None and not scopes[cid] & set(b):
                continue  # the other claim says nothing of what this one negates
            if not _negation_mirrored(scopes[cid], infos[cid], infos[oid], shared):
                if infos[oid].get("depth", 0) > MAX_ASSERT_DEPTH:
                    continue
                if not _same_subject(infos[cid], infos[oid], denies[cid]):
                    continue  # opposite states of the same thing about the same subject, not shared words
            if any((n, 1 - side) in sides[oid] for n, side in sides[cid]):
                continue  # "no one says the oil is gone" agrees with "the oil is still there"
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
                "note": f"{_speaker_name(by_id[oid])} asserts it; {_speaker_name(claim)} denies or "
                        f"negates it (on: {topic})",
            }
    _antonym_pairs(claims, infos, profiles, weight, negative, order, pairs)
    number_pairs(claims, infos, order, pairs)
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


def antonym_sides(text: str, keys: list[list[str]]) -> set[tuple[int, int]]:
    """(antonym pair number, side) for each antonym pair the claim takes one side of. A word
    that only modifies a noun ("strong winds", "a weak lobe") describes, it takes no stance."""
    modifiers = {lemma for lemma, kind in keys if kind == "m"} - {lemma for lemma, kind in keys if kind != "m"}
    found = set()
    for number, (side_a, side_b, _a, _b) in enumerate(antonym_patterns()):
        has_a = any(m.group(0).lower() not in modifiers for m in side_a.finditer(text))
        has_b = any(m.group(0).lower() not in modifiers for m in side_b.finditer(text))
        if has_a != has_b:  # a claim using both sides compares, it does not take a side
            found.add((number, 0 if has_a else 1))
    return found


def _antonym_pairs(claims, infos, profiles, weight, negative, order, pairs) -> None:
    """Two speakers on one topic saying opposite things without a negation: "the program is
    sound" / "these programs are unsustainable". At most ``MAX_STANCE_PARTNERS`` per claim."""
    patterns = antonym_patterns()
    sides: dict[str, set[tuple[int, int]]] = {}
    for claim in claims:
        checkpoint()
        sides[claim["id"]] = antonym_sides(claim["text"], infos[claim["id"]]["keys"])
    partners: dict[str, int] = {}
    for index, claim in enumerate(claims):
        checkpoint()
        cid = claim["id"]
        key = infos[cid].get("speaker_key")
        if negative[cid] or not sides[cid] or infos[cid].get("depth", 0) > MAX_ASSERT_DEPTH:
            continue
        found = []
        for other in claims[index + 1:index + 1 + PARTNER_WINDOW]:
            oid = other["id"]
            other_key = infos[oid].get("speaker_key")
            if negative[oid] or not _different_sides(key, other_key):
                continue
            if infos[oid].get("depth", 0) > MAX_ASSERT_DEPTH:
                continue
            opposite = [n for n, side in sides[cid] if (n, 1 - side) in sides[oid]]
            if not opposite or not _same_subject(infos[cid], infos[oid]):
                continue
            a, b = profiles[cid], profiles[oid]
            shared = [k for k in set(a) & set(b) if k.startswith("w:")]  # common words, not names
            score = sum(weight(k, False) for k in shared)
            # one subject for both ("the oil is gone" / "the oil is still out there") is enough
            # with opposite words; otherwise they must share more of what they talk about
            subject = bool(infos[cid].get("about", set()) & infos[oid].get("about", set()))
            # the very same grammatical subject ("Republicans are committed to protecting" /
            # "Republicans promise to cut") needs no further words in common, when each claim
            # says its word of that one subject (in a sentence of many clauses and subjects the
            # word may belong to another of them)
            subjects_a = set(claim.get("topic", {}).get("subjects", ()))
            subjects_b = set(other.get("topic", {}).get("subjects", ()))
            same_head = bool(subjects_a & subjects_b) and max(len(subjects_a), len(subjects_b)) <= MAX_STANCE_SUBJECTS
            if score >= MIN_SCORE_ANTONYM or (subject and shared) or same_head:
                found.append((-score, order[oid], oid, opposite[0], sorted(shared)))
        found.sort()
        for _score, _position, oid, number, shared in found:
            if partners.get(cid, 0) >= MAX_STANCE_PARTNERS:
                break
            if partners.get(oid, 0) >= MAX_STANCE_PARTNERS:
                continue
            first, second = sorted((cid, oid), key=lambda i: order[i])
            if (first, second) in pairs:
                continue
            partners[cid] = partners.get(cid, 0) + 1
            partners[oid] = partners.get(oid, 0) + 1
            _ra, _rb, word_a, word_b = patterns[number]
            speakers = [_speaker_name(c) for c in claims if c["id"] in (first, second)]
            pairs[(first, second)] = {
                "claims": [first, second],
                "note": f"{speakers[0]} and {speakers[1]} say opposite things "
                        f"({word_a} / {word_b}) on: {_topic_words(shared, infos[cid]['keys'])}",
            }


def _speaker_name(claim: dict) -> str:
    return claim["speaker"]["text"] if claim.get("speaker") else "the article"


def _different_sides(key, other_key) -> bool:
    """Two claims can be two sides of a dispute when both have speakers and they differ. (The
    article's own narration as a side was measured on the dev sets: it added only false pairs.)"""
    return key is not None and other_key is not None and not same_speaker(key, other_key)


# -- topics for contradictions across articles ----------------------------------
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
# a noun made from a verb names the same event: "encirclement" / "encircle", "withdrawal"
NOMINAL_SUFFIXES = ("ment", "tion", "sion", "ance", "ence")
ABOUT_STOPWORDS = {"the", "and", "that", "this", "these", "those", "which", "who", "what", "with", "from", "for",
                   "was", "were", "are", "has", "have", "had", "been", "its", "their", "his", "her", "our", "your",
                   "some", "all", "any", "one", "not", "but", "than", "into", "out", "about", "there", "here", "they",
                   "them", "would", "will", "can", "could", "should", "may", "might", "such", "more", "most", "very",
                   "just", "also", "only", "even", "much", "many", "other", "each", "every", "both", "own", "same"}


def entity_key(text: str) -> str:
    """One key per entity however the text names it: "Ukrainian" and "Ukraine's" are Ukraine."""
    from annotations.analysis.resources import gazetteer_index

    text = re.sub(r"['\u2019]s?$", "", text.strip())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    demonyms = gazetteer_index().demonym_of
    for form in (text, text.title(), text[:-1], text.title()[:-1]):  # "UKRAINIAN", "the Russians"
        if form in demonyms:
            return demonyms[form].casefold()
    return text.casefold()


def predicate_keys(keys: list[list[str]], text: str) -> set[str]:
    """What a claim says happens, as comparable keys: verb and adjective stems, nominalised
    verbs, event synonym groups (same, synonym, nominalisation) and antonym sides."""
    groups = synonym_groups()
    out: set[str] = set()
    for lemma, kind in keys:
        if lemma in GENERIC or kind in ("N", "m"):
            continue
        group = groups.get(lemma)
        if group is not None and group[1]:
            out.add(f"syn:{group[0]}")
        if kind == "p" or lemma.endswith(NOMINAL_SUFFIXES):
            out.add(f"w:{_stem(lemma)}")
    for number, (side_a, side_b, _a, _b) in enumerate(antonym_patterns()):
        has_a, has_b = bool(side_a.search(text)), bool(side_b.search(text))
        if has_a != has_b:
            out.add(f"ant{number}:{0 if has_a else 1}")
    return out


def _entity_keys(entities: list[dict], starts: list[int], start: int, end: int, outside) -> set[str]:
    keys = set()
    for ent in entities[bisect.bisect_left(starts, start):]:
        if ent["start"] >= end:
            break
        if ent["label"] in ENTITY_LABELS and ent["end"] <= end and outside(ent["start"], ent["end"]):
            keys.add(f"e:{entity_key(ent['text'])}")
    return keys


def add_topics(claims: list[dict], infos: dict[str, dict], entities: list[dict], features: list[dict]) -> None:
    """Give each claim a ``topic``: the entities and subjects it is about (not its speaker or
    channel), the predicate keys and whether it negates or denies. Two claims of different
    articles can only contradict when they share a subject and an equivalent predicate."""
    from annotations.analysis.resources import word_set

    starts = [e["start"] for e in entities]
    skip_heads = word_set("unnamed_heads") | word_set("document_nouns") | word_set("group_nouns") | GENERIC
    for claim, f in zip(claims, features):
        who = [s for s in (claim.get("speaker"), claim.get("channel")) if s]

        def outside(start: int, end: int) -> bool:
            return not any(s["start"] <= start and end <= s["end"] for s in who)

        # what the claim is about: the grammatical subjects of its clauses (not the speaker's
        # mention) and the entities inside them; an entity named elsewhere in the sentence
        # ("grew in the U.S.") is a circumstance, not the subject
        subjects: set[str] = set()
        about: set[str] = set()  # every content word of the subjects: "50% of the oil" is about oil
        speakers = [r["speaker"] for r in f.get("reports", [])]
        for subject in f.get("subjects", []) + f.get("quoted_subjects", []):
            if subject.get("pronoun") or not outside(subject["start"], subject["end"]) \
                    or any(s["start"] == subject["start"] for s in speakers):
                continue  # who speaks is not what the claim is about
            about.update(_stem(w) for w in re.findall(r"[a-z]{3,}", subject["text"].lower())
                         if w not in skip_heads and w not in ABOUT_STOPWORDS)
            subjects |= _entity_keys(entities, starts, subject["start"], subject["end"], outside)
            # names the model did not tag: "the villages of Tarvel", "Tarvel had been encircled"
            words = subject["text"].split()
            subjects.update(f"e:{entity_key(w)}" for w in words[1:] if w[:1].isupper() and w.isalpha() and not w.isupper())
            head = (subject.get("head") or "").lower()
            proper = subject.get("head_text", "")[:1].isupper() and subject.get("head_text") != "I"
            if proper and (subject.get("head_text") != words[0] or subject["start"] != f["start"]):
                subjects.add(f"e:{entity_key(subject['head_text'])}")
            elif head and head not in skip_heads and not head.isdigit() and head.isalpha():
                subjects.add(f"h:{_stem(head)}")
        if not subjects:
            # no parse to go by (a quote in capitals): the entities of the claim
            subjects = _entity_keys(entities, starts, claim["start"], claim["end"], outside)
        mentioned = _entity_keys(entities, starts, claim["start"], claim["end"], outside)
        # and the nouns of what is said ("made record profits"), not of who says it
        who_words = {_stem(w) for s in who for w in re.findall(r"[a-z]{3,}", s["text"].lower())}
        nouns = {_stem(lemma) for lemma, kind in infos[claim["id"]]["keys"]
                 if kind == "n" and lemma not in skip_heads and lemma not in ABOUT_STOPWORDS} - who_words
        infos[claim["id"]]["about"] = about | {k.split(":", 1)[1] for k in subjects | mentioned}
        infos[claim["id"]]["nouns"] = nouns | infos[claim["id"]]["about"]
        claim["topic"] = {
            "subjects": sorted(subjects),
            "predicates": sorted(predicate_keys(infos[claim["id"]]["keys"], claim["text"])),
            "negated": bool(is_negative(claim, infos[claim["id"]])),
        }


# -- incompatible numbers for one quantity -----------------------------------
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "dozen": 12, "hundred": 100}
QUANTITY = re.compile(
    r"(?P<qualifier>at least|more than|over|upwards of|as many as|up to|at most|less than|fewer than|under|about|"
    r"around|nearly|almost|roughly|approximately|some|an estimated)?\s*"
    r"(?P<value>\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")\s*"
    r"(?P<unit>%|percent|per cent)?\s*(?:of\s+(?:the\s+|all\s+|its\s+|their\s+)?)?(?P<noun>[a-z][a-z-]{2,})",
    re.IGNORECASE)
LOWER_BOUNDS = {"at least", "more than", "over", "upwards of"}
UPPER_BOUNDS = {"as many as", "up to", "at most", "less than", "fewer than", "under"}
NOT_QUANTITIES = {"years", "year", "days", "day", "weeks", "week", "months", "month", "hours", "hour", "minutes",
                  "times", "am", "pm", "a.m", "p.m", "and", "or", "to", "in", "on", "at", "the", "a", "percent"}


def quantities(text: str) -> list[tuple[str, float, float]]:
    """(what is counted, lowest, highest value the text allows): "at least 50% of the oil" is
    ("%oil", 50, inf); "about 20 people" is ("people", 17, 23)."""
    found = []
    for match in QUANTITY.finditer(text):
        raw = match.group("value").lower().replace(",", "")
        try:
            value = float(NUMBER_WORDS.get(raw, raw))
        except ValueError:
            continue
        noun = match.group("noun").lower()
        if noun in NOT_QUANTITIES or (match.start() > 0 and text[match.start() - 1] in "$\u00a3\u20ac"):
            continue
        what = ("%" if match.group("unit") else "") + _stem(noun.rstrip("s"))
        qualifier = (match.group("qualifier") or "").lower()
        low, high = value, value
        if qualifier in LOWER_BOUNDS:
            high = math.inf
        elif qualifier in UPPER_BOUNDS:
            low = 0.0
        elif qualifier:
            low, high = value * 0.85, value * 1.15
        found.append((what, low, high))
    return found


def number_pairs(claims: list[dict], infos: dict[str, dict], order: dict[str, int], pairs: dict) -> None:
    """Two speakers giving numbers for one quantity that cannot both hold ("two people died"
    / "ten people died"; "at least 50% of the oil" is compatible with "75% of the oil"). The
    claims must also share what happens (a predicate key), and neither may be negated."""
    counted = {c["id"]: quantities(c["text"]) for c in claims}
    for index, claim in enumerate(claims):
        cid = claim["id"]
        if not counted[cid] or infos[cid].get("speaker_key") is None or claim.get("topic", {}).get("negated"):
            continue
        for other in claims[index + 1:index + 1 + PARTNER_WINDOW]:
            oid = other["id"]
            if not counted[oid] or infos[oid].get("speaker_key") in (None, infos[cid]["speaker_key"]) \
                    or other.get("topic", {}).get("negated"):
                continue
            predicates = {p for p in set(claim.get("topic", {}).get("predicates", ()))
                          & set(other.get("topic", {}).get("predicates", ())) if not p.startswith("ant")}
            if not predicates:
                continue
            clash = next(((what, a_low, a_high, b_low, b_high) for what, a_low, a_high in counted[cid]
                          for other_what, b_low, b_high in counted[oid]
                          if what == other_what and (a_high < b_low or b_high < a_low)), None)
            if clash is None:
                continue
            first, second = sorted((cid, oid), key=lambda i: order[i])
            if (first, second) not in pairs:
                pairs[(first, second)] = {
                    "claims": [first, second],
                    "note": f"{claim['speaker']['text']} and {other['speaker']['text']} give numbers that cannot "
                            f"both be right for {clash[0].lstrip('%')}",
                }
            break
