"""Across articles: who said what where, and claims in different articles that contradict.

Works on the contract JSON of each article (``annotate.analysis/1``), so it needs no
spaCy: the analyses come from the cache (``cached_analysis``) or a batch run.

* ``Source``: one speaker or channel across articles. Named people and organisations are
  one source only on a full-name or alias match (case, a leading "the" and a possessive
  ignored; an article's ``speakers`` entry lists the names it goes by in that article, so
  "Trump" there joins "Donald Trump" elsewhere only when that article named him in full).
  Descriptions ("officials", "Experts", "a statement") are never merged across articles.
* ``CrossContradiction``: two claims from different articles and different speakers that
  share a subject (an entity, or the head of what the claim is about) and an equivalent
  predicate (the same, a synonym or nominalisation such as "surrounded" / "encirclement",
  or an antonym), where exactly one negates or denies, or they take opposite antonym sides.
  Candidates come from an index of subjects, each capped, so the work grows with the
  claims, not with their square.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

MAX_POSTINGS = 300  # a word in more claims than this says little about a topic
MAX_PER_CLAIM = 3


@dataclass(frozen=True)
class ClaimRef:
    """One claim of one article, with what is needed to show it and open the article at it."""

    entry: int  # index of the article (as given to build_corpus)
    path: str
    title: str
    claim_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    channel: str | None
    cues: tuple[str, ...] = ()
    speaker_generic: bool = False  # a description ("officials"), never one source across articles
    speaker_aliases: tuple[str, ...] = ()  # the other names of the speaker in its article
    subjects: frozenset = frozenset()
    predicates: frozenset = frozenset()
    negated: bool = False


@dataclass
class Source:
    name: str
    key: str
    roles: set[str] = field(default_factory=set)  # "speaker", "channel"
    claims: list[ClaimRef] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len({c.entry for c in self.claims})


@dataclass(frozen=True)
class CrossContradiction:
    a: ClaimRef
    b: ClaimRef
    shared: tuple[str, ...]
    score: float

    @property
    def note(self) -> str:
        who_a = self.a.speaker or "the article"
        who_b = self.b.speaker or "the article"
        return f"{who_a} ({self.a.title}) vs {who_b} ({self.b.title}): on {', '.join(self.shared[:4])}"


@dataclass
class Corpus:
    sources: list[Source]
    contradictions: list[CrossContradiction]
    claims: list[ClaimRef]
    analysed: int
    total: int


def source_key(name: str) -> str:
    key = name.strip().casefold().replace("\u2019", "'")
    key = re.sub(r"^(the|a|an)\s+", "", key)
    key = re.sub(r"'s?$", "", key)
    return re.sub(r"\s+", " ", key).strip(" .,;:")


GENERIC_HEADS = {"official", "officials", "source", "sources", "expert", "experts", "statement", "report",
                 "spokesman", "spokeswoman", "spokesperson", "people", "analysts", "critics", "residents",
                 "company", "government", "authorities", "police", "researchers", "scientists", "study"}


def generic_name(name: str) -> bool:
    """A description rather than a name, for analyses without a ``speakers`` list: no
    capitalised word after the first, and a common head ("officials", "a statement")."""
    words = name.replace("\u2019", "'").split()
    if not words or any(w[:1].isupper() for w in words[1:]):
        return False
    return words[0].lower() in ("the", "a", "an", "some", "many", "several", "other", "others") \
        or words[-1].lower() in GENERIC_HEADS or len(words) > 1 or words[0].islower()


def claim_refs(entry: int, path: str, title: str, analysis: dict) -> list[ClaimRef]:
    refs = []
    speakers = {s.get("id"): s for s in analysis.get("speakers", []) if isinstance(s, dict)}
    for claim in analysis.get("claims", []):
        speaker = (claim.get("speaker") or {}).get("text")
        channel = (claim.get("channel") or {}).get("text")
        entry_info = speakers.get(claim.get("speaker_id")) or {}
        generic = bool(entry_info["generic"]) if "generic" in entry_info else bool(speaker and generic_name(speaker))
        topic = claim.get("topic") or {}
        refs.append(ClaimRef(
            entry=entry, path=path, title=title, claim_id=str(claim.get("id", "")),
            start=int(claim["start"]), end=int(claim["end"]), text=str(claim.get("text", "")),
            speaker=entry_info.get("name") or speaker, channel=channel,
            cues=tuple(sorted({c.get("kind", "") for c in claim.get("cues", [])})),
            speaker_generic=generic,
            speaker_aliases=tuple(v for v in entry_info.get("variants", []) if isinstance(v, str)),
            subjects=frozenset(topic.get("subjects", ())), predicates=frozenset(topic.get("predicates", ())),
            negated=bool(topic.get("negated")),
        ))
    return refs


def build_corpus(analyses, total: int | None = None) -> Corpus:
    """``analyses``: (entry index, path, title, contract dict) for each analysed article."""
    claims: list[ClaimRef] = []
    count = 0
    for entry, path, title, analysis in analyses:
        count += 1
        claims.extend(claim_refs(entry, path, title, analysis))
    return Corpus(sources=group_sources(claims), contradictions=find_cross_contradictions(claims),
                  claims=claims, analysed=count, total=total if total is not None else count)


def _full_name(name: str) -> bool:
    """A name that identifies on its own: two words or more, or an acronym ("TASS", "NOAA")."""
    words = name.split()
    return len(words) >= 2 or (len(name) >= 2 and name.isupper())


def group_sources(claims: list[ClaimRef]) -> list[Source]:
    sources: dict[str, Source] = {}
    names: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    aliases: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        for role, name in (("speaker", claim.speaker), ("channel", claim.channel)):
            if not name:
                continue
            key = source_key(name)
            if not key:
                continue
            generic = claim.speaker_generic if role == "speaker" else generic_name(name)
            if generic:
                key = f"{key}\x00{claim.entry}"  # "officials" of one article are not another's
            source = sources.setdefault(key, Source(name=name, key=key))
            source.roles.add(role)
            if not source.claims or source.claims[-1] is not claim:
                source.claims.append(claim)
            names[key][name] += 1
            if role == "speaker" and not generic:
                aliases[key].update(source_key(a) for a in claim.speaker_aliases if _full_name(a))
    # an alias is a full name the source went by in one of its articles ("Donald Trump" for a
    # "Trump" entry): sources whose name is another's alias are one
    parent = {key: key for key in sources}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key, alias_keys in aliases.items():
        for alias in alias_keys:
            if alias in sources and alias != key:
                a, b = find(key), find(alias)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    merged: dict[str, Source] = {}
    for key, source in sources.items():
        root = find(key)
        target = merged.setdefault(root, Source(name=source.name, key=root))
        target.roles |= source.roles
        seen = {id(c) for c in target.claims}
        target.claims.extend(c for c in source.claims if id(c) not in seen)
        if root != key:
            for name, n in names[key].items():
                names[root][name] += n
    for key, source in merged.items():
        # the most frequent spelling, longest on a tie
        source.name = max(names[key].items(), key=lambda item: (item[1], len(item[0])))[0]
        source.claims.sort(key=lambda c: (c.entry, c.start))
    return sorted(merged.values(), key=lambda s: (-s.articles, -len(s.claims), s.name.casefold()))


def _readable(key: str) -> str:
    return key.split(":", 1)[1] if ":" in key and not key.startswith(("syn:", "ant")) else ""


def find_cross_contradictions(claims: list[ClaimRef]) -> list[CrossContradiction]:
    """Pairs of claims in different articles, by different speakers, sharing a subject and an
    equivalent predicate, one negating what the other asserts (or opposite antonyms)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for number, claim in enumerate(claims):
        if claim.predicates:
            for subject in claim.subjects:
                postings[subject].append(number)
    size = max(len(claims), 50)
    idf = {term: math.log(1 + size / len(ids)) for term, ids in postings.items()}
    found: list[CrossContradiction] = []
    for number, claim in enumerate(claims):
        if not claim.predicates or not claim.subjects:
            continue
        candidates: dict[int, list[str]] = defaultdict(list)
        for subject in claim.subjects:
            ids = postings[subject]
            if len(ids) > MAX_POSTINGS:
                continue  # a subject of every other claim says little: bounded work per subject
            for other in ids:
                if other > number and claims[other].entry != claim.entry:
                    candidates[other].append(subject)
        scored = []
        for other, subjects in candidates.items():
            if not any(s.startswith("e:") for s in subjects) and len(subjects) < 2:
                continue  # one common noun ("version") is not a shared subject entity
            partner = claims[other]
            if claim.speaker and partner.speaker and source_key(claim.speaker) == source_key(partner.speaker):
                continue
            shared = claim.predicates & partner.predicates
            same = {p for p in shared if not p.startswith("ant")}
            opposite = any(p.startswith("ant") and f"{p[:-1]}{1 - int(p[-1])}" in partner.predicates
                           for p in claim.predicates)
            if same and claim.negated != partner.negated:
                pass
            elif opposite and not claim.negated and not partner.negated:
                pass
            else:
                continue
            score = sum(idf[s] for s in subjects) + len(same) + (1.0 if opposite else 0.0)
            words = tuple(dict.fromkeys(w for w in map(_readable, sorted(subjects) + sorted(same)) if w))
            scored.append((score, other, words or tuple(sorted(subjects))))
        scored.sort(key=lambda item: (-item[0], item[1]))
        for score, other, words in scored[:MAX_PER_CLAIM]:
            # the asserting side first, the negating side second
            a, b = (claim, claims[other]) if not claim.negated else (claims[other], claim)
            found.append(CrossContradiction(a=a, b=b, shared=words, score=round(score, 2)))
    found.sort(key=lambda c: (-c.score, c.a.entry, c.a.start))
    return found
