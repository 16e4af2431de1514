"""Who speaks: from a sentence's reporting verb (or "according to") to the most specific
name in the document, pronouns resolved by gender and number, noun phrases like "the
company" tied to the organisation they mean.

Works on the plain per-sentence features, in document order, keeping a short memory of
who was recently named, who spoke and who was the subject.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from annotations.analysis.entities import NAME_SUFFIXES
from annotations.analysis.resources import SourceTable, data_json, gazetteer_index, word_set

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
GENDERED = re.compile(r"\b(he|his|him|she|her)\b", re.IGNORECASE)
LOOKBACK = 5  # sentences a pronoun may reach back
# "the company" is a business: it does not point back to a ministry or a court
BUSINESS_NOUNS = {"company", "firm", "bank", "carmaker", "retailer", "manufacturer", "startup", "giant", "group",
                  "network", "broadcaster", "newspaper", "magazine", "club", "team"}
OFFICIAL_WORDS = {"ministry", "department", "government", "agency", "council", "court", "house", "kremlin",
                  "parliament", "senate", "congress", "commission", "office", "police", "army", "military",
                  "administration", "authority", "service"}
# people who speak for someone else: naming their institution does not name them
SINGLE_ROLES = {"official", "officials", "source", "sources", "spokesman", "spokeswoman", "spokesperson",
                "spokespeople", "aide", "aides", "diplomat", "diplomats", "insider", "insiders", "person", "people",
                "officer", "officers", "staffer", "staffers", "adviser", "advisers", "advisor", "advisors"}


def name_tokens(text: str) -> tuple[str, ...]:
    text = text.replace("\u2019s", "").replace("'s", "")
    titles = word_set("titles")
    tokens = [t.strip(",.") if t.lower() not in NAME_SUFFIXES else "" for t in text.split()]
    tokens = [t for t in tokens if t and t.lower() not in titles and t.lower() not in NAME_SUFFIXES]
    return tuple(tokens)


def first_name_gender(tokens: tuple[str, ...]) -> str | None:
    if len(tokens) < 2:
        return None
    first = tokens[0].lower()
    if first in word_set("female_names"):
        return "f"
    if first in word_set("male_names"):
        return "m"
    return None


@dataclass
class Person:
    key: str  # the most specific name's text
    mention: dict  # start/end/text of that name's first full mention
    tokens: tuple[str, ...]
    gender: str | None = None


@dataclass
class Memory:
    """Recent referents, newest last: (sentence index, role, referent)."""

    entries: list = field(default_factory=list)

    def add(self, sentence: int, role: str, referent: dict) -> None:
        self.entries.append((sentence, role, referent))
        if len(self.entries) > 200:
            del self.entries[:100]

    def recent(self, sentence: int, roles: tuple[str, ...], reach: int = LOOKBACK):
        for index, role, referent in reversed(self.entries):
            if sentence - index > reach:
                break
            if role in roles:
                yield referent


class NameBook:
    """People named in the document, with their fullest name."""

    def __init__(self, person_entities: list[dict]) -> None:
        self.people: list[Person] = []
        # one entry per distinct name (its first mention), indexed by word: long texts name
        # the same people hundreds of times
        self.by_word: dict[str, list[Person]] = {}
        seen: set[tuple[str, ...]] = set()
        for ent in sorted(person_entities, key=lambda e: e["start"]):
            tokens = name_tokens(ent["text"])
            if not tokens or tokens in seen:
                continue
            seen.add(tokens)
            person = Person(ent["text"], ent, tokens)
            self.people.append(person)
            for word in set(tokens):
                self.by_word.setdefault(word, []).append(person)
        self.genders: dict[str, str] = {}

    def add(self, mention: dict) -> None:
        """A person named without the model's PERSON tag (found from the pronouns after it)."""
        tokens = name_tokens(mention["text"])
        if not tokens or any(p.tokens == tokens for p in self.by_word.get(tokens[0], ())):
            return
        if self.candidates(tokens):
            return  # "Mongu" after "Alain Tita Mongu": already known by the longer name
        person = Person(mention["text"], mention, tokens)
        self.people.append(person)
        for word in set(tokens):
            self.by_word.setdefault(word, []).append(person)

    def candidates(self, tokens: tuple[str, ...]) -> list[Person]:
        if not tokens:
            return []
        n = len(tokens)
        found = []
        for person in self.by_word.get(tokens[0], ()):
            p = person.tokens
            if any(p[i:i + n] == tokens for i in range(len(p) - n + 1)):
                found.append(person)
        return found

    def resolve(self, ent: dict, recent_keys: list[str]) -> dict:
        """The fullest mention of the person ``ent`` names ("Trump" -> "Donald Trump")."""
        tokens = name_tokens(ent["text"])
        if not tokens:
            return self._referent(ent, ent["text"], ())
        found = self.candidates(tokens)
        if not found:
            return self._referent(ent, ent["text"], tokens)
        longest = max(len(p.tokens) for p in found)
        best = [p for p in found if len(p.tokens) == longest]
        if len({p.tokens for p in best}) > 1:
            # two people share the name ("James Roosevelt Jr." / "Franklin Roosevelt"): the recent speaker
            for key in reversed(recent_keys[-20:]):
                for person in best:
                    if person.key == key or name_tokens(key) == person.tokens:
                        return self._referent(person.mention, person.mention["text"], person.tokens)
            before = [p for p in best if p.mention["start"] <= ent["start"]]
            chosen = before[-1] if before else best[0]
        else:
            chosen = best[0]
        return self._referent(chosen.mention, chosen.mention["text"], chosen.tokens)

    def _referent(self, mention: dict, key: str, tokens: tuple[str, ...]) -> dict:
        gender = self.genders.get(key) or first_name_gender(tokens)
        start, text = mention["start"], mention["text"]
        # "Coach Daniel Price" -> "Daniel Price": a title the model kept is not the name
        titles = word_set("titles")
        words = text.split(" ")
        while len(words) > 1 and words[0].lower().rstrip(".") in titles | {w.rstrip(".") for w in titles}:
            start += len(words[0]) + 1
            words = words[1:]
        text = " ".join(words)
        return {"kind": "person", "key": key, "start": start, "end": start + len(text),
                "text": text, "gender": gender, "plural": False}

    def note_gender(self, key: str, gender: str | None) -> None:
        """Remember a gender learnt from a title or a resolved pronoun; a known first name wins."""
        if gender and key not in self.genders and first_name_gender(name_tokens(key)) is None:
            self.genders[key] = gender


def _span(mention: dict) -> dict:
    return {"start": mention["start"], "end": mention["end"], "text": mention["text"]}


class SpeakerResolver:
    """Turns speaker mentions into referents, sentence by sentence, in document order."""

    def __init__(self, names: NameBook, sources: SourceTable, entities: list[dict]) -> None:
        self.names = names
        self.sources = sources
        self.memory = Memory()
        self.org_mentions = sorted((e for e in entities if e["label"] in ("ORG",)), key=lambda e: e["start"])
        self.person_mentions = sorted((e for e in entities if e["label"] == "PERSON"), key=lambda e: e["start"])
        self.org_starts = [e["start"] for e in self.org_mentions]
        self.person_starts = [e["start"] for e in self.person_mentions]
        self.recent_speaker_keys: list[str] = []
        self.np_history: list[dict] = []  # non-person noun-phrase referents, for "the UGA researchers"
        # the referents in np_history, for a membership test in constant time (a list scan
        # made long texts quadratic); referents are never changed once remembered
        self._np_seen: set[frozenset] = set()
        self.pending_name: tuple[int, dict] | None = None  # a capitalised subject not yet known as a person

    # -- memory -----------------------------------------------------------
    def remember_sentence(self, index: int, features: dict, text: str = "") -> None:
        """Subjects and people of a sentence, for later pronouns."""
        for person in features["persons"]:
            referent = self.names.resolve(person, self.recent_speaker_keys)
            self.memory.add(index, "mention", referent)
        if text:
            pending, self.pending_name = self.pending_name, None
            if pending is not None and pending[0] == index - 1:
                pronoun = GENDERED.search(text)
                if pronoun is not None:
                    self._add_untagged(pending[0], pending[1], pronoun.group(1).lower())
            self._untagged_people(index, features, text)
        for subject in features["subjects"]:
            if subject.get("pronoun"):
                continue
            referent = self.referent_of(index, subject, remember=False)
            if referent is not None:
                self.memory.add(index, "subject", {**referent, "position": subject["start"],
                                                   "root": bool(subject.get("root"))})

    def _untagged_people(self, index: int, features: dict, text: str) -> None:
        """"Alain Tita Mongu takes part in the protests. Mongu left his native Cameroon": a
        capitalised name the model did not tag as a person, subject of a sentence that goes on
        with "his" or "she", is a person."""
        for subject in features["subjects"]:
            if not subject.get("proper") or subject.get("person") or subject.get("places") \
                    or subject.get("gpe") or subject.get("definite") or subject.get("pronoun"):
                continue
            words = subject["text"].split()
            if not 1 <= len(words) <= 4 or not all(w[:1].isupper() and w.isalpha() for w in words):
                continue
            lowered = {w.lower() for w in words}
            if (subject.get("org") or {}).get("text", subject["text"]) != subject["text"] \
                    or lowered & (OFFICIAL_WORDS | BUSINESS_NOUNS | set(word_set("group_nouns"))):
                continue  # the model's ORG may be a person's name, never "Tomas Shipping Company"
            if gazetteer_index().labels.get(subject["text"]) or self.sources.lookup(subject["text"]) is not None:
                continue
            after = text[subject["end"] - features["start"]:]
            pronoun = GENDERED.search(after)
            if pronoun is None:
                self.pending_name = (index, subject)  # the next sentence may go on with "his"
                continue
            self._add_untagged(index, subject, pronoun.group(1).lower())

    def _add_untagged(self, index: int, subject: dict, pronoun: str) -> None:
        mention = {"start": subject["start"], "end": subject["end"], "text": subject["text"]}
        self.names.add(mention)
        referent = self.names.resolve(mention, self.recent_speaker_keys)
        self.names.note_gender(referent["key"], PRONOUN_GENDER[pronoun])
        referent["gender"] = referent.get("gender") or PRONOUN_GENDER[pronoun]
        self.memory.add(index, "mention", referent)
        self.memory.add(index, "subject", {**referent, "position": subject["start"], "root": bool(subject.get("root"))})

    def remember_speaker(self, index: int, referent: dict) -> None:
        self.memory.add(index, "speaker", referent)
        self.recent_speaker_keys.append(referent["key"])
        if referent["kind"] != "person":
            seen = frozenset(referent.items())
            if seen not in self._np_seen:
                self._np_seen.add(seen)
                self.np_history.append(referent)

    # -- resolution -------------------------------------------------------
    def referent_of(self, index: int, mention: dict, remember: bool = True, position: int | None = None) -> dict | None:
        """The referent a speaker/subject mention stands for, or None (unknown pronoun)."""
        if mention.get("document"):
            # "the statement said": the body or person who spoke just before issued it
            for referent in self._by_salience(index, 3):
                if referent["kind"] in ("group", "source", "person") and not referent.get("unnamed"):
                    return referent
            return None
        if mention.get("pronoun"):
            return self._pronoun(index, mention, position if position is not None else mention["start"])
        if not mention.get("person"):
            # the chunk's model missed the name, the document-level vote found it ("Trump" as ORG)
            first = bisect.bisect_left(self.person_starts, mention["start"])
            for ent in self.person_mentions[first:first + 8]:
                if ent["start"] >= mention["end"]:
                    break
                if ent["start"] >= mention["start"] and ent["end"] <= mention["end"] \
                        and ent["start"] <= mention.get("head_start", ent["start"]):
                    mention = {**mention, "person": ent}  # not a name inside "a spokesperson for ..."
                    break
        capitalised = all(w[:1].isupper() for w in mention["text"].split()) and len(mention["text"].split()) <= 4
        if not mention.get("person") and capitalised and self.names.candidates(name_tokens(mention["text"])):
            # "Curie" where the model tagged nothing, after "Curie Kim" was named
            mention = {**mention, "person": {"start": mention["start"], "end": mention["end"], "text": mention["text"]}}
        person = mention.get("person")
        if person and person["end"] <= mention.get("head_start", person["end"]) \
                and (mention.get("head") or "").lower() in word_set("group_nouns"):
            # "the Biden administration", "the Trump campaign": the body named after the person
            mention = {**mention, "person": None}
        if mention.get("person"):
            referent = self.names.resolve(mention["person"], self.recent_speaker_keys)
            self.names.note_gender(referent["key"], mention.get("gender"))
            if referent.get("gender") is None:
                referent["gender"] = mention.get("gender")
            referent["descriptor"] = mention.get("descriptor", "")
            return referent
        source = self._source_inside(mention)
        if source is not None:
            return source
        head = (mention.get("head") or "").lower()
        bare = len(mention["text"].split()) <= 2  # "the company", not "the regional health authority"
        if mention.get("definite") and not mention.get("proper") and bare:
            if head in word_set("group_nouns"):
                org = self._recent_org(mention["start"], official=head not in BUSINESS_NOUNS, head=head)
                if org is not None:
                    return org
            elif head in word_set("unnamed_heads"):
                for referent in self.memory.recent(index, ("speaker",), reach=4):
                    if referent["kind"] == "group" and referent.get("unnamed"):
                        return referent
        referent = {"kind": "group", "key": mention["text"], "start": mention["start"], "end": mention["end"],
                    "text": mention["text"], "gender": None, "plural": bool(mention.get("plural")),
                    "unnamed": self._unnamed(mention), "gpe": bool(mention.get("gpe")),
                    "head": head, "descriptor": mention.get("descriptor", "")}
        if head in SINGLE_ROLES and len(mention["text"].split()) <= 2:
            # "a spokeswoman said" right after "the regional health authority disputed": whose spokeswoman
            for earlier in self.memory.recent(index, ("speaker",), reach=3):
                if earlier["kind"] in ("group", "source") and not earlier.get("unnamed"):
                    referent["affiliation"] = earlier["text"]
                    break
        fuller = self._fuller_np(referent, mention)
        return fuller or referent

    def _unnamed(self, mention: dict) -> bool:
        """No name for the people speaking: "officials", "a senior official at the ministry" (an
        institution named, the person not), but not "researchers at the University of Georgia"."""
        head = (mention.get("head") or "").lower()
        heads = word_set("unnamed_heads")
        if (head not in heads and (mention.get("head_text") or "").lower() not in heads) or mention.get("person"):
            return False
        return not mention.get("org") or head in SINGLE_ROLES

    def _source_inside(self, mention: dict) -> dict | None:
        for start, end, row in self.sources.find_all(mention["text"]):
            begin = mention["start"] + start
            return {"kind": "source", "key": row.name, "start": begin, "end": mention["start"] + end,
                    "text": mention["text"][start:end], "gender": None, "plural": False, "source": row.name}
        return None

    def _recent_org(self, position: int, official: bool = True, head: str = "") -> dict | None:
        """The organisation "the company" / "the ministry" points back to: the latest one named
        before, of a fitting kind (a company is not a ministry)."""
        best = None
        index = bisect.bisect_left(self.org_starts, position)
        for ent in reversed(self.org_mentions[max(0, index - 50):index]):
            if self.sources.lookup(ent["text"]) is not None:
                continue
            words = ent["text"].lower().split()
            if not official and any(word in words for word in OFFICIAL_WORDS):
                continue
            if official and head and head not in words:
                continue  # "the ministry" is a ministry named before, not any organisation
            best = ent
            break
        if best is None:
            return None
        return {"kind": "group", "key": best["text"], "start": best["start"], "end": best["end"],
                "text": best["text"], "gender": None, "plural": False, "unnamed": False, "head": best["text"].lower()}

    def _fuller_np(self, referent: dict, mention: dict) -> dict | None:
        """"The UGA researchers" after "researchers at the University of Georgia (UGA)": the
        earlier, longer phrase with the same head and a shared proper word is more specific."""
        head = referent.get("head")
        if not head:
            return None
        words = {w.strip("()").lower() for w in mention["text"].split()
                 if w[:1].isupper() and w.lower() not in ("the", "a", "an", "this", "that", "these", "those")}
        for earlier in reversed(self.np_history[-40:]):
            if earlier.get("head") != head or earlier["start"] >= referent["start"]:
                continue
            if len(earlier["text"]) <= len(referent["text"]):
                continue
            earlier_words = {w.strip("()").lower() for w in earlier["text"].split()}
            if words & earlier_words:
                return earlier
        return None

    def _pronoun(self, index: int, mention: dict, position: int) -> dict | None:
        pronoun = mention["pronoun"]
        if pronoun in ("he", "him", "she", "her"):
            gender = PRONOUN_GENDER[pronoun]
            for roles, reach in ((("subject_here",), 0), (("speaker", "subject"), LOOKBACK), (("mention",), LOOKBACK)):
                for referent in self._recent(index, roles, reach, position):
                    if referent["kind"] != "person":
                        continue
                    if referent.get("gender") in (None, gender):
                        if referent.get("gender") is None:
                            self.names.note_gender(referent["key"], gender)
                            referent = {**referent, "gender": gender}
                        return referent
            return None
        if pronoun in ("they", "them"):
            for roles, reach in ((("speaker",), 4), (("subject",), 3)):
                for referent in self._recent(index, roles, reach, position):
                    words = referent["text"].lower().split()
                    if (referent.get("head") or "") in word_set("document_nouns") \
                            or (words and words[-1] in word_set("document_nouns")):
                        continue  # "the data" (lemma "datum") does not say anything
                    if referent["kind"] in ("group", "source") and referent.get("plural"):
                        return referent
            return None
        if pronoun == "it":
            for roles, reach in ((("speaker",), 3), (("subject",), 2)):
                for referent in self._recent(index, roles, reach, position):
                    if referent["kind"] in ("group", "source") and not referent.get("plural"):
                        return referent
            return None
        return None

    def _by_salience(self, index: int, reach: int):
        """Speakers and subjects of recent sentences, newest sentence first; within a sentence
        the speaker, then the main clause's subject, then other subjects ("Smith said Brown
        was wrong. He added ..." is Smith; "Jones disagreed. He said ..." is Jones)."""
        rank = {"speaker": 0, "subject": 1}
        group: list[tuple[int, dict]] = []
        current = None
        for sentence, role, referent in reversed(self.memory.entries):
            if sentence >= index:
                continue
            if index - sentence > reach:
                break
            if role not in rank:
                continue
            if current is not None and sentence != current:
                yield from (r for _, r in sorted(group, key=lambda item: item[0]))
                group = []
            current = sentence
            order = rank[role] * 2 + (0 if role == "speaker" or referent.get("root") else 1)
            group.append((order, referent))
        yield from (r for _, r in sorted(group, key=lambda item: item[0]))

    def _recent(self, index: int, roles: tuple[str, ...], reach: int, position: int):
        if roles == ("speaker", "subject"):
            # the speaker of this very sentence is not a candidate for its own pronoun
            yield from self._by_salience(index, reach)
            return
        if roles == ("subject_here",):
            for sentence, role, referent in reversed(self.memory.entries):
                if sentence != index:
                    if sentence < index:
                        break
                    continue
                if role == "subject" and referent.get("position", -1) < position:
                    yield referent
            return
        for referent in self.memory.recent(index, roles, reach):
            yield referent


@lru_cache(maxsize=1)
def _bodies() -> dict:
    return data_json("bodies.json")


@lru_cache(maxsize=4096)
def body_key(text: str) -> frozenset[str]:
    """The words that identify a body, order and form aside: "the Ukrainian military's General
    Staff", "the Ukrainian military leadership" and "Ukraine's military leadership" all give
    {ukraine, military, leadership}; "TASS news agency" and "TASS" differ (a source's row joins them)."""
    data = _bodies()
    low = " " + text.lower().replace("\u2019", "'").replace("'s ", " ").replace("' ", " ") + " "
    for number, words in enumerate(data["synonyms"]):
        for word in sorted(words, key=len, reverse=True):
            low = low.replace(f" {word} ", f" ~{number} ")
    demonyms = gazetteer_index().demonym_of
    out = set()
    for word in re.findall(r"[~\w.-]+", low):
        word = word.strip(".")
        if not word or word in data["filler"]:
            continue
        place = demonyms.get(word.capitalize()) or demonyms.get(word.upper())
        out.add(place.lower() if place else word)
    return frozenset(out)


def _generic(referent: dict) -> bool:
    """A description, not a name: "officials", "Experts", "the company" left unresolved."""
    if referent["kind"] in ("person", "source"):
        return False
    if referent.get("unnamed"):
        return True
    words = referent["text"].replace("\u2019", "'").split()
    if not words or any(w[:1].isupper() for w in words[1:]):
        return False
    first = words[0].lower()
    common = word_set("unnamed_heads") | word_set("group_nouns") | word_set("document_nouns")
    return first in ("the", "a", "an", "some", "many", "several", "other", "others") or first in common \
        or words[-1].lower() in common


def group_speakers(items: list[tuple[str, dict | None, dict | None]]) -> tuple[list[dict], dict[str, str]]:
    """One entry per source of the article, with the names it goes by.

    ``items``: (claim id, referent, the mention in the claim's sentence) in document order.
    People are one entry by their resolved full name, sources by their table row, bodies by
    the words that identify them (``body_key``). Returns (entries, claim id -> entry id)."""
    entries: list[dict] = []
    by_identity: dict[tuple, dict] = {}
    claim_speaker: dict[str, str] = {}
    seen: dict[str, set] = {}  # entry id -> mentions already listed (long texts name a source often)
    for claim_id, referent, mention in items:
        if referent is None:
            continue
        if referent["kind"] == "person":
            identity = ("person", referent["key"])
        elif referent["kind"] == "source":
            identity = ("source", referent.get("source") or referent["key"])
        else:
            identity = ("body", body_key(referent["text"]) or referent["text"].lower())
        entry = by_identity.get(identity)
        if entry is None:
            entry = {"id": f"s{len(entries) + 1}", "kind": referent["kind"], "generic": _generic(referent),
                     "name": referent["text"], "start": referent["start"], "end": referent["end"],
                     "variants": [], "mentions": [], "claims": []}
            entries.append(entry)
            by_identity[identity] = entry
            seen[entry["id"]] = set()
        for span in (referent, mention):
            if not span or not span.get("text"):
                continue
            shown = {"start": span["start"], "end": span["end"], "text": span["text"]}
            if (shown["start"], shown["end"]) not in seen[entry["id"]]:
                seen[entry["id"]].add((shown["start"], shown["end"]))
                entry["mentions"].append(shown)
            if span["text"].lower() not in PRONOUN_GENDER and span["text"].lower() not in ("they", "it", "them") \
                    and span["text"] not in entry["variants"]:
                entry["variants"].append(span["text"])
        if _more_specific(referent["text"], entry["name"]) and referent["kind"] != "person":
            entry.update(name=referent["text"], start=referent["start"], end=referent["end"])
        entry["claims"].append(claim_id)
        claim_speaker[claim_id] = entry["id"]
    for entry in entries:
        entry["mentions"].sort(key=lambda m: (m["start"], m["end"]))
        entry["text"] = entry["name"]  # a span like every other: text == document[start:end]
    return entries, claim_speaker


def _more_specific(candidate: str, current: str) -> bool:
    """More capitalised words (names), then longer: "the Ukrainian military's General Staff"."""
    def rank(text: str) -> tuple[int, int]:
        return sum(1 for w in text.split() if w[:1].isupper()), len(text)
    return rank(candidate) > rank(current)


def speaker_span(referent: dict | None) -> dict | None:
    if referent is None:
        return None
    return {"text": referent["text"], "start": referent["start"], "end": referent["end"]}
