"""Who speaks: from a sentence's reporting verb (or "according to") to the most specific
name in the document, pronouns resolved by gender and number, noun phrases like "the
company" tied to the organisation they mean.

Works on the plain per-sentence features, in document order, keeping a short memory of
who was recently named, who spoke and who was the subject.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from annotations.analysis.entities import NAME_SUFFIXES
from annotations.analysis.resources import SourceTable, word_set

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
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

    # -- memory -----------------------------------------------------------
    def remember_sentence(self, index: int, features: dict) -> None:
        """Subjects and people of a sentence, for later pronouns."""
        for person in features["persons"]:
            referent = self.names.resolve(person, self.recent_speaker_keys)
            self.memory.add(index, "mention", referent)
        for subject in features["subjects"]:
            if subject.get("pronoun"):
                continue
            referent = self.referent_of(index, subject, remember=False)
            if referent is not None:
                self.memory.add(index, "subject", {**referent, "position": subject["start"],
                                                   "root": bool(subject.get("root"))})

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


def speaker_span(referent: dict | None) -> dict | None:
    if referent is None:
        return None
    return {"text": referent["text"], "start": referent["start"], "end": referent["end"]}
