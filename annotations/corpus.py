"""Across articles: who said what where, and claims in different articles that contradict.

Works on the contract JSON of each article (``annotate.analysis/1``), so it needs no
spaCy: the analyses come from the cache (``cached_analysis``) or a batch run.

* ``Source``: one speaker or channel, the same name across articles (case, a leading
  "the" and a possessive ignored; a lone surname joins the one full name in the corpus
  that ends with it), with every claim it made or carried and where.
* ``CrossContradiction``: two claims from different articles and different speakers on
  the same topic (shared content words, rarer words weigh more, synonyms from the
  analysis lexicon) where exactly one of them negates or denies.
  Candidate pairs come from an inverted index of content words (words found in very many
  claims are skipped), so the work grows with the claims, not with their square.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]+")
NEGATIONS = {"not", "no", "never", "nothing", "none", "false", "untrue", "deny", "denied", "denies", "denying",
             "fabricated", "baseless", "nobody", "neither", "nor", "without", "incorrect", "wrong", "fake",
             "dismissed", "rejected", "refuted", "disputed"}
STOPWORDS = set("""a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just me more most my myself of off on once
only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves said says say told tell according reported
report reports statement statements added adding also news friday monday tuesday wednesday thursday saturday
sunday today yesterday week weeks year years month months time people officials official wrote write writes
written insisted insist claimed claim claims stated announced told asked added warned noted""".split())
MAX_POSTINGS = 300  # a word in more claims than this says little about a topic
MIN_SHARED = 3
MIN_SCORE = 3.0
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


def claim_refs(entry: int, path: str, title: str, analysis: dict) -> list[ClaimRef]:
    refs = []
    for claim in analysis.get("claims", []):
        speaker = (claim.get("speaker") or {}).get("text")
        channel = (claim.get("channel") or {}).get("text")
        refs.append(ClaimRef(
            entry=entry, path=path, title=title, claim_id=str(claim.get("id", "")),
            start=int(claim["start"]), end=int(claim["end"]), text=str(claim.get("text", "")),
            speaker=speaker, channel=channel,
            cues=tuple(sorted({c.get("kind", "") for c in claim.get("cues", [])})),
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


def group_sources(claims: list[ClaimRef]) -> list[Source]:
    sources: dict[str, Source] = {}
    names: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for claim in claims:
        for role, name in (("speaker", claim.speaker), ("channel", claim.channel)):
            if not name:
                continue
            key = source_key(name)
            if not key:
                continue
            source = sources.setdefault(key, Source(name=name, key=key))
            source.roles.add(role)
            if not source.claims or source.claims[-1] is not claim:
                source.claims.append(claim)
            names[key][name] += 1
    # a lone surname joins the only full name in the corpus that ends with it
    full_by_last: dict[str, list[str]] = defaultdict(list)
    for key in sources:
        parts = key.split(" ")
        if len(parts) > 1:
            full_by_last[parts[-1]].append(key)
    for key in list(sources):
        if " " in key and key in sources:
            continue
        owners = full_by_last.get(key, [])
        if len(owners) == 1 and owners[0] in sources:
            target = sources[owners[0]]
            lone = sources.pop(key)
            target.roles |= lone.roles
            seen = {id(c) for c in target.claims}
            target.claims.extend(c for c in lone.claims if id(c) not in seen)
            for name, n in names.pop(key, {}).items():
                names[owners[0]][name] += n
    for key, source in sources.items():
        # the most frequent spelling, longest on a tie
        source.name = max(names[key].items(), key=lambda item: (item[1], len(item[0])))[0]
        source.claims.sort(key=lambda c: (c.entry, c.start))
    return sorted(sources.values(), key=lambda s: (-s.articles, -len(s.claims), s.name.casefold()))


def _synonyms() -> dict[str, str]:
    try:
        from annotations.analysis.contradictions import synonym_groups

        return {word: f"~{group}" for word, (group, _event) in synonym_groups().items()}
    except Exception:  # the lexicon is optional here
        return {}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_terms(text: str, synonyms: dict[str, str], skip: set[str] = frozenset()) -> tuple[set[str], bool]:
    """(content terms, negated) of a claim's text; ``skip``: words of its speaker and channel,
    which say who, not what."""
    terms: set[str] = set()
    negated = False
    for match in WORD.finditer(text):
        word = match.group(0).lower().replace("\u2019", "'")
        if word in NEGATIONS or word.endswith("n't"):
            negated = True
            continue
        word = re.sub(r"'s?$", "", word).strip("'-")
        if len(word) < 3 or word in STOPWORDS or word in skip:
            continue
        terms.add(synonyms.get(word) or _stem(word))
    return terms, negated


def _name_words(*names: str | None) -> set[str]:
    return {w.lower().replace("\u2019", "'").removesuffix("'s") for n in names if n for w in WORD.findall(n)}


def find_cross_contradictions(claims: list[ClaimRef]) -> list[CrossContradiction]:
    synonyms = _synonyms()
    profiles = []
    postings: dict[str, list[int]] = defaultdict(list)
    for number, claim in enumerate(claims):
        terms, negated = content_terms(claim.text, synonyms, _name_words(claim.speaker, claim.channel))
        profiles.append((terms, negated))
        for term in terms:
            postings[term].append(number)
    size = max(len(claims), 50)  # small corpora: every word would look common
    idf = {term: math.log(1 + size / len(ids)) for term, ids in postings.items()}
    found: list[CrossContradiction] = []
    for number, claim in enumerate(claims):
        terms, negated = profiles[number]
        if not negated:
            continue  # each pair is found from its negated side
        overlap: dict[int, list[str]] = defaultdict(list)
        for term in terms:
            ids = postings[term]
            if len(ids) > MAX_POSTINGS:
                continue
            for other in ids:
                if other != number:
                    overlap[other].append(term)
        candidates = []
        for other, shared in overlap.items():
            if len(shared) < MIN_SHARED:
                continue
            partner = claims[other]
            other_negated = profiles[other][1]
            if other_negated or partner.entry == claim.entry:
                continue
            if claim.speaker and partner.speaker and source_key(claim.speaker) == source_key(partner.speaker):
                continue
            score = sum(idf[t] for t in shared)
            if score >= MIN_SCORE:
                candidates.append((score, other, shared))
        candidates.sort(key=lambda item: (-item[0], item[1]))
        for score, other, shared in candidates[:MAX_PER_CLAIM]:
            partner = claims[other]
            shown = tuple(sorted((t for t in shared if not t.startswith("~")), key=lambda t: -idf[t]))
            found.append(CrossContradiction(a=partner, b=claim, shared=shown or tuple(shared), score=round(score, 2)))
    found.sort(key=lambda c: (-c.score, c.a.entry, c.a.start))
    return found
