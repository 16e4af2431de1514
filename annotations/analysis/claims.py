"""Claims: which sentences carry a claim, who asserts each (own reporting verb, the quote it
belongs to, "according to"), through which channel, with which cues, and a score.

Input is plain data: the document text, per-sentence features in document order, the
voted entities and the quote regions of the whole text.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from annotations.analysis import checkpoint
from annotations.analysis.quotes import BULLETS, QuoteRegion, RegionIndex
from annotations.analysis.resources import SourceTable, cue_evidence, cue_threshold, gazetteer_index, lexicon, word_set
from annotations.analysis.speakers import NameBook, SpeakerResolver, speaker_span
from annotations.analysis.furniture import (CREDIT_TAIL, NUMBER_WORDS, TERMINAL, TESTIMONY_FIRST_PERSON,
                                            deictic_media, furniture_words, mostly_upper)
from annotations.analysis.speakers import SINGLE_ROLES

STRONG_BOILERPLATE = {"originally published", "reprinted with permission", "contributed to this report",
                      "contributed reporting", "additional reporting by", "all rights reserved", "editing by",
                      "reporting by", "writing by"}
PLACEHOLDER = re.compile(r"^\s*\[[^\]]*\]\s*$")
# "WASHINGTON (AP) \u2014", "KYIV, Nov 3 (Reuters) -": place, date and wire before a dash
DATELINE = re.compile(r"^[A-Z][A-Z .'\-]+(?:,[^()\n]{0,40})?\s*\([^)\n]{1,40}\)\s*(?:-|--|\u2014|\u2013)\s*")
# "By Jane Smith and Tom Lee, Associated Press", "Reporting by ...": who wrote it, not a claim
BYLINE = re.compile(r"^(?i:by|written by|reporting by|photos? by)\s+[A-Z][\w.'\-]*(?:\s+(?:[A-Z][\w.'\-]*|and|de|la|le|da|di|du|del|der|van|von|al|el|bin|ibn))*\s*(?:[,|\-\u2014]\s*[A-Z][\w .'&\-]*)?\.?$")
# a capital at the start of a sentence ("We have ...") but never "US", the country
FIRST_PERSON = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Ww]e|[Oo]ur|[Uu]s)\b")
FIRST_PERSON_SINGULAR = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b")
FIRST_PERSON_GROUP = re.compile(r"\b(?:we|our|ours|us|ourselves)\b", re.IGNORECASE)
POSSESSIVES = re.compile(r"\b(?:his|her|its|their)\b", re.IGNORECASE)
GENERIC_MEDIA = {"platform", "account", "page", "channel", "website", "feed", "site"}
PRIVATE_BODIES = ("union", "company", "association", "club", "university", "college", "society", "federation",
                  "league", "bank", "corporation", "firm", "foundation", "institute", "motors", "inc", "group", "party")
SPEAKER_PRONOUNS = {"he", "she", "they", "it", "him", "her", "them", "we", "i", "you", "us", "his", "their", "its"}
DEFAULT_CONFIDENCE = 0.5
SPOKESPEOPLE = {"spokesman", "spokeswoman", "spokesperson"}
CHANNEL_PERSIST = 8  # sentences a speaker's channel carries over to the same speaker's claims
QUOTE_SHARE = 0.4  # share of a sentence inside a quote that makes it the quote's speaker's


@dataclass
class Sentence:
    index: int
    paragraph: int
    features: dict
    own: dict | None = None  # referent from the sentence's own attribution
    own_mention: dict | None = None  # the mention in this sentence that named the speaker
    own_verb: tuple[int, int] | None = None
    speaker: dict | None = None
    speaker_mention: dict | None = None
    channel: dict | None = None
    channel_kind: str | None = None
    quote: QuoteRegion | None = None
    cues: list = field(default_factory=list)  # confident cues (the contract's ``cues``)
    weak_cues: list = field(default_factory=list)  # candidates with too little evidence
    channel_evidence: str | None = None
    claim: bool = False
    report: dict | None = None


def _paragraph_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def _paragraph_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def is_boilerplate(text: str) -> bool:
    low = text.lower()
    if PLACEHOLDER.match(text):
        return True
    short = len(low.split()) <= 12
    for phrase in lexicon()["boilerplate"]:
        if phrase.startswith("(") and low.startswith(phrase):
            return True
        if phrase in STRONG_BOILERPLATE and phrase in low:
            return True
        # "sign up for", "advertisement": page furniture only as a short line of its own, not
        # inside a sentence about people who sign up for a programme
        if phrase in low and (low.startswith(phrase) or short) and len(low.split()) <= 20:
            return True
    return False


class ClaimBuilder:
    def __init__(self, text: str, features: list[dict], entities: list[dict], quotes: list[QuoteRegion],
                 sources: SourceTable) -> None:
        self.text = text
        self.sources = sources
        self.quotes = [q for q in quotes if not q.single]
        self.all_quotes = quotes
        para_starts = _paragraph_starts(text)
        self.para_starts = para_starts
        self._testimony: dict[int, bool] = {}
        self._first_names: dict[str, bool] = {}
        self.sentences = [Sentence(i, _paragraph_of(para_starts, f["start"]), f) for i, f in enumerate(features)]
        self.sentence_starts = [s.features["start"] for s in self.sentences]
        self.sentence_paragraphs = [s.paragraph for s in self.sentences]
        self.quote_starts = [q.start for q in self.quotes]
        # double and single quotes apart: each kind does not overlap itself
        self.quote_indexes = (RegionIndex(self.quotes), RegionIndex([q for q in quotes if q.single]))
        self._descriptors: dict[str, str] = {}
        self.entities = entities
        self.sorted_entities = sorted(entities, key=lambda e: (e["start"], e["end"]))
        self.entity_starts = [e["start"] for e in self.sorted_entities]
        self.person_entities_by_last: dict[str, list[dict]] = {}
        for ent in entities:
            if ent["label"] == "PERSON" and ent["text"].split():
                self.person_entities_by_last.setdefault(ent["text"].split()[-1], []).append(ent)
        self.org_texts = {e["text"] for e in entities if e["label"] == "ORG"}
        self.names = NameBook([e for e in entities if e["label"] == "PERSON"])
        self.resolver = SpeakerResolver(self.names, sources, entities)

    # -----------------------------------------------------------------
    def build(self) -> list[Sentence]:
        self._own_attributions()
        self._quote_speakers()
        self.furniture = self._furniture()
        self._testimonies()
        self._channels()
        for sentence in self.sentences:
            checkpoint()
            sentence.claim = self._is_claim(sentence)
        threshold = cue_threshold()
        for sentence in self.sentences:
            checkpoint()
            if sentence.claim:
                found = self._cues(sentence)
                sentence.cues = [c for c in found if c["confidence"] >= threshold]
                sentence.weak_cues = [c for c in found if c["confidence"] < threshold]
        return [s for s in self.sentences if s.claim]

    # -- pass 1: the sentence's own reporting verb -----------------------
    def _own_attributions(self) -> None:
        intro: dict | None = None
        for sentence in self.sentences:
            checkpoint()
            f = sentence.features
            for subject in f["subjects"]:
                subject.setdefault("position", subject["start"])
            self.resolver.remember_sentence(sentence.index, f, self.text[f["start"]:f["end"]])
            referent = None
            according = f["according"] if f["according"] and "document" not in f["according"] else None
            reports = f["reports"]
            if according is not None and reports and (reports[0]["weak"] or reports[0]["depth"] > 0):
                # "..., below what analysts had expected, according to FactSet": the
                # attribution of the whole sentence beats a verb in a side clause
                reports = []
            # the main clause's attribution is the sentence's: "Federal officials also found that
            # the company told students ..." is the officials', whatever the verb's strength
            reports = sorted((r for r in reports if self._plausible_report(r)),
                             key=lambda r: (r["depth"] > 0, r["weak"], r["depth"], r["verb_start"]))
            for report in reports:
                referent = self.resolver.referent_of(sentence.index, report["speaker"], position=report["speaker"]["start"])
                if referent is not None:
                    sentence.report = report
                    sentence.own_mention = report["speaker"]
                    sentence.own_verb = (report["verb_start"], report["verb_end"])
                    break
            if referent is None and f["according"] and "document" not in f["according"]:
                referent = self.resolver.referent_of(sentence.index, f["according"])
                if referent is not None:
                    sentence.own_mention = f["according"]
                    sentence.report = {"verb": "according", "content_negated": False}
            if referent is None and f["according"] and "document" in f["according"]:
                # "According to the report, ...": whoever issued the report just named speaks
                # through it; "according to a report" names nobody
                document = f["according"]["document"]
                if document["text"].lower().split()[0] in ("the", "this", "its", "their", "his", "her"):
                    author = self.resolver.referent_of(sentence.index, {**document, "document": True})
                    if author is not None and not author.get("unnamed"):
                        referent = author
                        sentence.own_mention = None
                        sentence.report = {"verb": "according", "how": "according_document", "content_negated": False,
                                           "speaker": document, "depth": 0}
            if referent is None and f["colon_end"] and (f["subjects"] or f.get("opening")):
                # "A source provided a memo ..., which include:" introduces the quotes below
                root_subjects = [s for s in f["subjects"] if s.get("root")] or f["subjects"] or [f["opening"]]
                intro = self.resolver.referent_of(sentence.index, root_subjects[0])
                sentence.features["intro"] = intro
            if referent is not None:
                sentence.own = referent
                self.resolver.remember_speaker(sentence.index, referent)

    def _plausible_report(self, report: dict) -> bool:
        """Whether a reporting verb's subject can be someone speaking. Not a thing in general
        ("An app may tell users", "a bright red box ... indicated"), a number ("just three on
        iOS ... told users"), a cause ("explained by pressure from ..."), a verb with itself as
        object ("the situation the migrants find themselves in") or the object of a relative
        clause hanging off an object ("identified 25 companies that have said ...")."""
        mention = report["speaker"]
        if mention.get("document") or mention.get("pronoun"):
            return True
        after = self.text[report["verb_end"]:report["verb_end"] + 14]
        if re.match(r"\s+(?:themselves|himself|herself|itself|ourselves|myself|yourself)\b", after):
            return False
        if report.get("how") == "relative" and report["depth"] >= 2:
            return False
        head = (mention.get("head") or "").lower()
        people = word_set("unnamed_heads") | word_set("titles") | SINGLE_ROLES
        head_named = any(m and m["start"] <= mention.get("head_start", -1) < m["end"]
                         for m in (mention.get("person"), mention.get("org")))
        if head_named or head in people or mention.get("gpe"):
            return True
        if head[:1].isdigit() or (head in NUMBER_WORDS and " of " not in mention["text"]) or self.text[mention["start"]:mention["start"] + 4].lower() == "how ":
            return False
        if report.get("how") == "agent":
            return head in word_set("group_nouns") or bool(mention.get("proper") and head[:1].isupper())
        first = mention["text"].split()[0].lower() if mention["text"].split() else ""
        agent = head.endswith(("er", "or", "ist", "ian", "ant", "ent", "man", "woman"))  # "an asylum-seeker"
        named = re.search(r"\b(?:named|called)\s+[A-Z]", mention["text"]) is not None  # "a woman named Beatriz"
        if first in ("a", "an") and " of " not in mention["text"] and not agent and not named:
            return False  # "an app", "a company reports earnings": any one of a kind, not a source
        return True

    # -- pass 2: quotes ---------------------------------------------------
    def _sentences_overlapping(self, region: QuoteRegion) -> list[Sentence]:
        found = []
        index = bisect.bisect_left(self.sentence_starts, region.end) - 1
        while index >= 0 and self.sentences[index].features["end"] > region.start:
            found.append(self.sentences[index])
            index -= 1
        found.reverse()
        return found

    def _quotes_overlapping(self, start: int, end: int) -> list[int]:
        """Indexes of the (double) quote regions overlapping [start, end)."""
        found = []
        # double-quote regions never overlap each other, so their ends rise with their starts
        index = bisect.bisect_left(self.quote_starts, end) - 1
        while index >= 0 and self.quotes[index].end > start:
            found.append(index)
            index -= 1
        found.reverse()
        return found

    def _quote_speakers(self) -> None:
        speakers: list[tuple[dict | None, dict | None, Sentence | None]] = []
        for region in self.quotes:
            checkpoint()
            best = None
            for sentence in self._sentences_overlapping(region):
                if sentence.own is None or sentence.own_verb is None:
                    continue
                verb = sentence.own_verb[0]
                if region.start <= verb < region.end:
                    continue
                distance = min(abs(verb - region.end), abs(verb - region.start))
                if best is None or distance < best[0]:
                    best = (distance, sentence)
            speakers.append((best[1].own, best[1].own_mention, best[1]) if best else (None, None, None))
        # quotes without their own attribution borrow one from their neighbours
        for i, region in enumerate(self.quotes):
            checkpoint()
            if speakers[i][0] is not None:
                continue
            para = self._paragraph_index(region.start)
            found = None
            if region.continued and i > 0:
                found = speakers[i - 1]
            if found is None or found[0] is None:
                for j in range(i - 1, -1, -1):
                    if self._paragraph_index(self.quotes[j].start) != para:
                        break
                    if speakers[j][0] is not None:
                        found = speakers[j]
                        break
            if (found is None or found[0] is None) and i + 1 < len(self.quotes):
                nxt = self.quotes[i + 1]
                if self._paragraph_index(nxt.start) == para and speakers[i + 1][0] is not None:
                    found = speakers[i + 1]
            if (found is None or found[0] is None) and region.open_end:
                # a quote running on into the next paragraphs is attributed where it ends
                for j in range(i + 1, len(self.quotes)):
                    if not self.quotes[j].continued:
                        break
                    if speakers[j][0] is not None:
                        found = speakers[j]
                        break
            if (found is None or found[0] is None) and self._starts_paragraph(region):
                found = self._previous_paragraph_speaker(region.start)
            if found is not None and found[0] is not None:
                speakers[i] = found
        self.quote_speakers = speakers
        list_speaker = None  # the body introducing a bulleted list ("..., which include:")
        for sentence in self.sentences:
            checkpoint()
            if sentence.features.get("intro") is not None:
                list_speaker = (sentence.features["intro"], sentence.paragraph)
            elif list_speaker and sentence.paragraph != list_speaker[1] and not self._is_list_item(sentence):
                list_speaker = None
            f = sentence.features
            length = max(1, f["end"] - f["start"])
            best_region, best_share = None, 0.0
            for i in self._quotes_overlapping(f["start"], f["end"]):
                region = self.quotes[i]
                overlap = min(region.end, f["end"]) - max(region.start, f["start"])
                if overlap <= 0:
                    continue
                share = overlap / length
                if share > best_share:
                    best_region, best_share = i, share
            if best_region is not None:
                sentence.quote = self.quotes[best_region]
            if sentence.own is not None:
                sentence.speaker = sentence.own
                sentence.speaker_mention = sentence.own_mention
            elif best_region is not None and (best_share >= QUOTE_SHARE or f["start"] >= self.quotes[best_region].start):
                referent, mention, _ = speakers[best_region]
                if referent is not None and self.quotes[best_region].word_count(self.text) >= 3:
                    sentence.speaker = referent
                    sentence.speaker_mention = mention
            if sentence.speaker is None and list_speaker and sentence.paragraph != list_speaker[1] \
                    and self._is_list_item(sentence):
                sentence.speaker = list_speaker[0]

    def _testimonies(self) -> None:
        """First-person paragraphs without quote marks after someone is introduced ("He
        explained why he had decided to protest:", "Our team spoke to Lorena, ...") are that
        person's testimony, paragraph after paragraph, until the narration takes over again.
        Captions between them do not end it."""
        conversation = tuple(furniture_words()["conversation"])
        witness: tuple[dict, dict | None] | None = None
        for group in self._paragraph_groups():
            if all(s.index in self.furniture for s in group):
                continue
            start, end = group[0].features["start"], group[-1].features["end"]
            outside = self.text[start:end]
            for i in reversed(self._quotes_overlapping(start, end)):
                region = self.quotes[i]
                a, b = max(region.start, start) - start, min(region.end, end) - start
                outside = outside[:a] + " " * (b - a) + outside[b:]
            quoted = len(outside.split()) < 0.8 * len(self.text[start:end].split())
            if witness is not None and not quoted and TESTIMONY_FIRST_PERSON.search(outside):
                for sentence in group:
                    if sentence.index in self.furniture:
                        continue
                    report = sentence.report or {}
                    verb_end = sentence.own_verb[1] if sentence.own_verb else None
                    told_me = verb_end is not None and re.match(r"\s+(?:me|us)\b", self.text[verb_end:verb_end + 4])
                    if sentence.own is None or report.get("depth", 0) > 0 or told_me:
                        # "they told me to go ...", "... because it stated that I was": the
                        # witness recounts what others said or wrote
                        sentence.speaker, sentence.speaker_mention = witness
                continue
            witness = None
            last = group[-1]
            if last.features["colon_end"] and (last.own or last.features.get("intro")):
                referent = last.own or last.features["intro"]
                if referent.get("kind") == "person":
                    witness = (referent, last.own_mention if last.own else None)
                continue
            for sentence in group:
                low = self.text[sentence.features["start"]:sentence.features["end"]].lower()
                for phrase in conversation:
                    at = low.find(phrase)
                    if at < 0:
                        continue
                    after = sentence.features["start"] + at + len(phrase)
                    person = self._named_after(sentence, after)
                    if person is not None:
                        referent = self.resolver.names.resolve(person, self.resolver.recent_speaker_keys)
                        witness = (referent, person)

    def _named_after(self, sentence: Sentence, offset: int) -> dict | None:
        """The person named right at ``offset`` ("spoke to Lorena (not her real name)"): a
        PERSON entity, or a capitalised name that is no place, organisation or source."""
        person = next((p for p in sentence.features["persons"] if 0 <= p["start"] - offset <= 2), None)
        if person is not None:
            return person
        match = re.match(r"\s?([A-Z][a-z\u00e0-\u00ff'\u2019-]+(?: [A-Z][a-z\u00e0-\u00ff'\u2019-]+){0,3})\b",
                         self.text[offset:offset + 80])
        if match is None:
            return None
        name = match.group(1)
        if gazetteer_index().labels.get(name) or self.sources.lookup(name) is not None or name in self.org_texts:
            return None
        start = offset + match.start(1)
        mention = {"start": start, "end": start + len(name), "text": name}
        self.resolver.names.add(mention)
        return mention

    def _paragraph_index(self, offset: int) -> int:
        return _paragraph_of(self.para_starts, offset)

    def _starts_paragraph(self, region: QuoteRegion) -> bool:
        line_start = self.para_starts[self._paragraph_index(region.start)]  # not rfind: linear in a long line
        return not self.text[line_start:region.start].strip().strip(BULLETS).strip()

    def _is_list_item(self, sentence: Sentence) -> bool:
        line_start = self.para_starts[self._paragraph_index(sentence.features["start"])]
        return self.text[line_start:line_start + 2].strip()[:1] in BULLETS and bool(self.text[line_start:line_start + 2].strip())

    def _previous_paragraph_speaker(self, offset: int):
        para = self._paragraph_index(offset)
        index = bisect.bisect_left(self.sentence_paragraphs, para) - 1
        if index < 0:
            return None
        last = self.sentences[index]
        last_para = last.paragraph
        if para - last_para > 2:
            return None
        if last.features.get("intro") is not None:
            return (last.features["intro"], None, last)
        # the speaker of the previous paragraph's last quote, or its last attributed sentence
        while index >= 0 and self.sentences[index].paragraph == last_para:
            sentence = self.sentences[index]
            if sentence.speaker is not None:
                return (sentence.speaker, sentence.speaker_mention, sentence)
            if sentence.own is not None:
                return (sentence.own, sentence.own_mention, sentence)
            index -= 1
        return None

    # -- pass 3: channels -------------------------------------------------
    def _sentence_channel(self, sentence: Sentence) -> tuple[dict | None, str | None]:
        f = sentence.features
        speaker = sentence.speaker
        text = self.text
        start, end = f["start"], f["end"]

        def outside_speaker(span: dict) -> bool:
            mention = sentence.own_mention
            if mention and mention["start"] <= span["start"] and span["end"] <= mention["end"]:
                return False
            return not self._quotes_overlapping(span["start"], span["start"] + 1)

        dateline = DATELINE.match(text[start:end])
        if dateline:
            start += dateline.end()  # "KYIV (Reuters) -": the wire that filed the story, not a channel
        names = f.get("names") or []

        def carries(span: dict) -> bool:
            """"projects such as The New York Times 1619 Project": a name that is only
            mentioned is no channel; "told Reuters", "according to TASS" are."""
            roles = [n["channel"] for n in names if n["start"] < span["end"] and span["start"] < n["end"]]
            return not roles or any(roles)

        table_mentions = []
        for s, e, row in self.sources.find_all(text[start:end]):
            span = {"start": start + s, "end": start + e, "text": text[start + s:start + e], "row": row}
            if not carries(span):
                continue
            if outside_speaker(span) and not (speaker and speaker.get("source") == row.name):
                table_mentions.append(span)
        nouns = [c for c in f["channels"] if outside_speaker(c) and c["start"] >= start]
        report = sentence.report or {}
        if report.get("how") == "document" and sentence.own is not None:
            # "\u201c...\u201d the statement said": the statement is how the words came out
            document = report["speaker"]
            sentence.channel_evidence = "self_published_document"
            return {k: document[k] for k in ("start", "end", "text")}, "self_published"
        for noun in nouns:  # "a March 14 Facebook post": the post, on a platform
            for mention in table_mentions:
                if noun["start"] <= mention["start"] and mention["end"] <= noun["end"]:
                    kind = "self_published" if mention["row"].kind == "self_published" else mention["row"].kind
                    # "his Truth Social platform" says no more than the platform's name
                    chosen = mention if noun["noun"] in GENERIC_MEDIA else noun
                    return {k: chosen[k] for k in ("start", "end", "text")}, kind
        if table_mentions:
            mention = table_mentions[0]
            row = mention["row"]
            kind = "self_published" if row.kind == "self_published" else row.kind
            return {k: mention[k] for k in ("start", "end", "text")}, kind
        for noun in nouns:
            if noun["kind"] == "outlet":
                return {k: noun[k] for k in ("start", "end", "text")}, "outlet"
        for noun in nouns:  # "in a statement", "in a Facebook post": the speaker's own words
            if noun["kind"] == "self_published":
                return {k: noun[k] for k in ("start", "end", "text")}, "self_published"
        for outlet in f["outlets"]:  # "in an interview with the BBC": the outlet carried it
            if outside_speaker(outlet) and outlet["start"] >= start and outlet["text"] != (speaker or {}).get("text") \
                    and carries(outlet):
                kind = "self_published" if outlet["kind"] == "platform" else "outlet"
                return {k: outlet[k] for k in ("start", "end", "text")}, kind
        if nouns:
            noun = nouns[0]
            return {k: noun[k] for k in ("start", "end", "text")}, noun["kind"]
        document = (f.get("according") or {}).get("document") or (f.get("according") or {}).get("via")
        if document is not None:
            # "according to the report", "according to a statement by the ministry": the document carried it
            return {k: document[k] for k in ("start", "end", "text")}, "document"
        return None, None

    def _channels(self) -> None:
        last_channel: dict[str, tuple[int, dict, str]] = {}
        # an office links a description to a person only when one person holds it here
        # ("the president" is ambiguous beside President Biden and President Zelensky)
        holders: dict[str, set] = {}
        self._single_roles = None
        for last in self.person_entities_by_last:
            for role in self._role_keys({"kind": "person", "key": last, "text": last}):
                holders.setdefault(role, set()).add(last)
        self._single_roles = {role for role, keys in holders.items() if len(keys) == 1}
        for sentence in self.sentences:
            checkpoint()
            speaker = sentence.speaker
            if speaker is not None and speaker.get("kind") == "source":
                sentence.channel = {"start": speaker["start"], "end": speaker["end"], "text": speaker["text"]}
                row = self.sources.lookup(speaker["source"])
                sentence.channel_kind = row.kind if row else "outlet"
                sentence.channel_evidence = "self_published_source"
                continue
            channel, kind = self._sentence_channel(sentence)
            key = speaker["key"] if speaker else None
            intro = sentence.features.get("intro")
            if channel is not None and key is None and intro is not None and intro.get("key"):
                # "A source provided ... a memo ..., which include:": the memo carries the list below
                last_channel[intro["key"]] = (sentence.index, channel, kind)
                continue
            if channel is None and key is None:
                # "Putin ... at a Kremlin press conference": remembered for his claims that follow
                continue
            according = (sentence.features.get("according") or {}).get("document")
            if key is None and channel is not None and (kind == "document" or according is not None
                                                        and according["start"] <= channel["start"] < according["end"]):
                # "According to the report, ...": the report carried it, whoever wrote it
                sentence.channel, sentence.channel_kind = channel, kind
                continue
            remembered = last_channel.get(key) if key else None
            if channel is not None and remembered and _anaphoric(channel["text"]) \
                    and sentence.index - remembered[0] <= CHANNEL_PERSIST:
                channel = None  # "during these remarks", "the post": the one named before
            if channel is not None:
                targets = [key] if key else [self.resolver.referent_of(sentence.index, s, remember=False)["key"]
                                             for s in sentence.features["subjects"]
                                             if s.get("person") and self.resolver.referent_of(sentence.index, s, remember=False)]
                if key:
                    targets += self._role_keys(speaker)
                for target in targets:
                    last_channel[target] = (sentence.index, channel, kind)
                if key:
                    sentence.channel, sentence.channel_kind = channel, kind
                    sentence.channel_evidence = sentence.channel_evidence or "self_published_named"
                continue
            remembered = last_channel.get(key) or next(
                (last_channel[role] for role in self._role_keys(speaker) if role in last_channel), None)
            if remembered and sentence.index - remembered[0] <= CHANNEL_PERSIST:
                sentence.channel, sentence.channel_kind = remembered[1], remembered[2]
                sentence.channel_evidence = "self_published_remembered"
                last_channel[key] = (sentence.index, remembered[1], remembered[2])

    # -- which sentences are claims ---------------------------------------
    def _paragraph_groups(self) -> list[list[Sentence]]:
        groups: list[list[Sentence]] = []
        for sentence in self.sentences:
            if groups and groups[-1][0].paragraph == sentence.paragraph:
                groups[-1].append(sentence)
            else:
                groups.append([sentence])
        return groups

    def _furniture(self) -> set[int]:
        """Sentences that belong to the page, not the story: captions (a paragraph ending with
        a photo or video credit, or one sentence pointing at "this map"), promo lines in
        capitals or opening with "READ MORE", notes to readers, and headings (one line with no
        finite verb and no closing full stop)."""
        words = furniture_words()
        media = set(words["media_nouns"])
        openings = tuple(words["openings"])
        found: set[int] = set()
        for group in self._paragraph_groups():
            start, end = group[0].features["start"], group[-1].features["end"]
            paragraph = self.text[start:end]
            quoted = any(s.quote is not None and s.quote.start <= s.features["start"] for s in group)
            tail = CREDIT_TAIL.search(paragraph)
            caption = tail is not None and bool(set(re.findall(r"[a-z]+", tail.group(1).lower())) & media)
            if caption:
                # a caption is short; a long paragraph ending with "(See pictures of the spill.)"
                # is prose followed by a link
                body = self.text[start:start + tail.start()]
                caption = len(body.split()) <= 40 and sum(1 for s in group if s.features["end"] <= start + tail.start() + 1) <= 2
            if not caption and len(group) == 1 and group[0].own is None and not quoted:
                caption = bool(deictic_media().search(paragraph))
            promo = not quoted and mostly_upper(paragraph)
            if caption or promo:
                found.update(s.index for s in group)
                continue
            for sentence in group:
                f = sentence.features
                text = self.text[f["start"]:f["end"]]
                low = text.lower().lstrip("[( ")
                if low.startswith(openings):
                    found.add(sentence.index)
                elif text.startswith("(") and text.rstrip(".").endswith(")") and BYLINE.match(text.strip("(). ")):
                    found.add(sentence.index)  # "(By Alison Hsiao)"
            if len(group) == 1:
                f = group[0].features
                text = self.text[f["start"]:f["end"]]
                if not f.get("finite_verb", True) and not TERMINAL.search(text) and group[0].own is None:
                    found.add(group[0].index)  # "Development potential in the western Caribbean"
        return found

    def _is_claim(self, sentence: Sentence) -> bool:
        f = sentence.features
        text = self.text[f["start"]:f["end"]]
        if sentence.index in self.furniture:
            return False
        if f["words"] < 3 or is_boilerplate(text) or BYLINE.match(text):
            return False
        if f["question"] or f["exclamation"]:
            return False
        if f["imperative"] and sentence.own is None:
            return False
        return True

    # -- cues ---------------------------------------------------------------
    def _cues(self, sentence: Sentence) -> list[dict]:
        """Every cue candidate of the sentence with its ``evidence`` (the rule that found it)
        and a ``confidence`` read from data/cue_evidence.json; build() splits them."""
        f = sentence.features
        start, end = f["start"], f["end"]
        cues = [dict(c) for c in f["cues"] if start <= c["start"] and c["end"] <= end]
        text = self.text
        has_report = sentence.own is not None
        # quote regions never cross a paragraph: look only at those opening in this one
        para_start = self.para_starts[sentence.paragraph]
        regions = [r for index in self.quote_indexes for r in index.overlapping(start, end)]
        for region in sorted(regions, key=lambda r: (r.start, r.end)):
            if region.start < para_start:
                continue
            s, e = max(region.start, start), min(region.end, end)
            words = region.word_count(text)
            whole = region.start <= start and region.end >= end
            title = _is_title(text[region.inner(text)[0]:region.inner(text)[1]])
            if region.single:
                if words <= 3:
                    cues.append({"kind": "scare_quote", "start": s, "end": e, "text": text[s:e],
                                 "evidence": self._scare_evidence(region, start)})
                continue
            if words >= 4 or has_report or sentence.speaker is not None:
                cues.append({"kind": "direct_quote", "start": s, "end": e, "text": text[s:e],
                             "evidence": "direct_quote_title" if title else
                             "direct_quote_speech" if words >= 4 else "direct_quote_attributed"})
            if words <= 3 and not whole:
                cues.append({"kind": "scare_quote", "start": s, "end": e, "text": text[s:e],
                             "evidence": self._scare_evidence(region, start)})
        if sentence.speaker is not None and sentence.own is None and sentence.quote is None \
                and FIRST_PERSON.search(text[start:end]):
            # a witness's account in the first person, given to the speaker without quote
            # marks ("I had to go to the immigration service"): their own words
            cues.append({"kind": "direct_quote", "start": start, "end": end, "text": text[start:end],
                         "evidence": "direct_quote_testimony"})
        elif sentence.speaker is None and sentence.own is None and sentence.quote is None \
                and FIRST_PERSON.search(text[start:end]) and self._testimony_paragraph(sentence.paragraph):
            # a paragraph told in the first person singular outside quote marks ("Two days
            # after I arrived in Mexico, I was put in detention"): a witness's own words,
            # whoever the article says they are
            cues.append({"kind": "direct_quote", "start": start, "end": end, "text": text[start:end],
                         "evidence": "direct_quote_first_person"})
        speaker = sentence.speaker
        mention = sentence.speaker_mention or (speaker_span(speaker) if speaker else None)
        if speaker is not None:
            # a speaker who negates: "said no product had reached stores", "“This is not about money”"
            negation = (sentence.report or {}).get("content_negation") if sentence.own is not None else None
            evidence = "denial_negated_report"
            if negation is None:
                negation = next((n for n in f["negations"] if n["in_quote"] and n["root"]), None)
                evidence = "denial_negated_quote"
            if negation is not None:
                cues.append({"kind": "denial", "start": negation["start"], "end": negation["end"],
                             "text": text[negation["start"]:negation["end"]], "evidence": evidence})
        if speaker is not None and mention is not None:
            anchor = self._speaker_anchor(speaker, mention)
            if anchor is not None:
                if speaker.get("unnamed") or (speaker["kind"] == "group" and self._unnamed_text(speaker["text"])):
                    cues.append({"kind": "unnamed_source", **anchor, "evidence": "unnamed_speaker"})
                elif self._unnamed_group(speaker):
                    cues.append({"kind": "unnamed_source", **anchor, "evidence": "unnamed_group"})
                state = self._state_source(speaker, sentence)
                if state:
                    cues.append({"kind": "state_source", **anchor, "evidence": state})
                interests = self._interested(sentence, speaker, mention)
                if self._organisation(speaker) and not state:
                    interests.append("interested_organisation")
                if state == "state_executive":
                    # a head of government on their government's business speaks for the
                    # state; the stake is the state's (weak on its own)
                    interests = ["interested_executive"] if interests else []
                elif state and state != "state_politician":
                    # a ministry on "its" policy speaks as the state
                    interests = ["interested_own_state" if e == "interested_own_body" else e for e in interests]
                for interest in interests:
                    cues.append({"kind": "interested_party", **anchor, "evidence": interest})
                if _withheld_name(self._descriptor(speaker)):
                    # "a resident who didn't want to be identified": every claim of theirs
                    cues.append({"kind": "anonymous_info", **anchor, "evidence": "anonymous_speaker"})
                elif self._first_name_only(speaker):
                    # "said Stanley, an asylum seeker": a private person with no surname anywhere
                    cues.append({"kind": "anonymous_info", **anchor, "evidence": "anonymous_first_name"})
        if sentence.channel is not None:
            channel = sentence.channel
            anchor = {"start": channel["start"], "end": channel["end"], "text": channel["text"]}
            if sentence.channel_kind == "self_published":
                cues.append({"kind": "self_published", **anchor,
                             "evidence": sentence.channel_evidence or "self_published_channel"})
            if sentence.channel_kind in ("state_media",) and not any(c["kind"] == "state_source" for c in cues):
                cues.append({"kind": "state_source", **anchor, "evidence": "state_media_channel"})
        return _merge(cues)

    def _speaker_anchor(self, speaker: dict, mention: dict) -> dict | None:
        """Where a cue about the speaker points: the mention that names them. A pronoun
        ("he") is never the anchor: the name it stands for is, and an unresolved pronoun
        carries no cue about who speaks."""
        if not _is_pronoun(mention, self.text):
            return {"start": mention["start"], "end": mention["end"], "text": self.text[mention["start"]:mention["end"]]}
        named = speaker_span(speaker)
        if named is None or _is_pronoun(named, self.text):
            return None
        return {"start": named["start"], "end": named["end"], "text": self.text[named["start"]:named["end"]]}

    def _scare_evidence(self, region: QuoteRegion, sentence_start: int) -> str:
        """Why a short quoted phrase may be a scare quote. Quote marks around a title
        ("Toy Story"), or around words ending a quoted sentence, only quote; a phrase after
        "so-called", "alleged" or a verb of naming ("branded the event a “shambles”") is
        one the writer holds at a distance."""
        inner_start, inner_end = region.inner(self.text)
        inner = self.text[inner_start:inner_end]
        words = re.findall(r"[^\W_]+(?:['\u2019-][^\W_]+)*", inner)
        if _is_title(inner):
            return "scare_quote_title"
        if inner.rstrip()[-1:] in (".", ",", "!", "?", ";", ":"):
            return "scare_quote_quoted_words"
        before = self.text[max(sentence_start, region.start - 40):region.start].lower()
        if _distancing().search(before):
            return "scare_quote_distanced"
        return "scare_quote_phrase"

    def _organisation(self, speaker: dict) -> bool:
        """A company or other organisation speaking for itself ("Brightline said ...")."""
        if speaker["kind"] != "group" or speaker.get("unnamed"):
            return False
        return speaker["text"] in self.org_texts and self.sources.lookup(speaker["text"]) is None

    def _unnamed_group(self, speaker: dict) -> bool:
        """"Many location companies say", "Others suggested", "Businesses say": a plural of
        common nouns with no name in it speaks for people the reader cannot identify."""
        if speaker["kind"] != "group" or not speaker.get("plural") or speaker.get("gpe"):
            return False
        words = speaker["text"].replace("\u2019", "'").split()
        if not words or speaker["text"] in self.org_texts:
            return False
        if words[-1].lower() in word_set("group_nouns"):
            return False  # "provincial police", "the military": one institution, not unnamed people
        if any(speaker["start"] < e["end"] and e["start"] < speaker["end"] and e["label"] in ("PERSON", "ORG", "NORP")
               for e in self._entities_near(speaker["start"], speaker["end"])):
            return False  # "Democrats", "Mongu and the other migrants": named
        labels = gazetteer_index().labels
        return not any(w[:1].isupper() and labels.get(w.strip(",.")) not in ("NORP", "GPE") for w in words[1:])

    def _entities_near(self, start: int, end: int) -> list[dict]:
        """The entities overlapping [start, end) (entities are sorted by start)."""
        index = bisect.bisect_left(self.entity_starts, end)
        found = []
        while index > 0 and len(found) < 50:
            index -= 1
            entity = self.sorted_entities[index]
            if entity["end"] > start:
                found.append(entity)
            elif entity["start"] < start - 200:
                break
        return found

    def _unnamed_text(self, text: str) -> bool:
        """"Two officials", "U.S. officials", "Russian and Iranian officials": people without a
        name; "The Defence Ministry" names a body (a capitalised word that is not a place)."""
        words = text.replace("\u2019", "'").split()
        if not words or words[-1].lower() not in word_set("unnamed_heads"):
            return False
        labels = gazetteer_index().labels
        return not any(w[:1].isupper() and labels.get(w.strip(",.")) not in ("NORP", "GPE") for w in words[1:])

    def _own_possessive(self, speaker: dict, content: str) -> bool:
        """A possessive in what the speaker says that can stand for the speaker ("Putin
        claimed his troops ...", "the company said its battery ..."): "his"/"her" for a
        person, "its"/"their" for a body."""
        wanted = ("its", "their") if speaker["kind"] != "person" else \
            {"m": ("his",), "f": ("her",)}.get(speaker.get("gender") or "", ("his", "her"))
        return any(word.lower() in wanted for word in POSSESSIVES.findall(content))

    def _descriptor(self, speaker: dict) -> str:
        """What the document calls the speaker: titles before the name and appositions."""
        parts = [speaker.get("descriptor") or "", speaker.get("text") or "", speaker.get("affiliation") or ""]
        key = speaker.get("key")
        if speaker["kind"] == "person" and key:
            parts.append(self._person_descriptor(key))
        return " ".join(parts)

    def _person_descriptor(self, key: str) -> str:
        if key in self._descriptors:
            return self._descriptors[key]
        parts = []
        # the words before each mention ("Ukrainian President") and an apposition after it
        for ent in self.person_entities_by_last.get(key.split()[-1], ())[:20]:
            before = self.text[max(0, ent["start"] - 60):ent["start"]]
            before = before.split("\n")[-1]
            parts.append(re.split(r"[.,;:\"\u201c\u201d]", before)[-1])
            after = self.text[ent["end"]:ent["end"] + 80].split("\n")[0]
            if after.startswith(","):
                parts.append(after[1:].split(",")[0])
            elif after.startswith(" ("):
                parts.append(after[2:].split(")")[0])  # "Lorena (not her real name)"
        self._descriptors[key] = " ".join(parts)
        return self._descriptors[key]

    def _state_source(self, speaker: dict, sentence: Sentence) -> str | None:
        """The evidence that the speaker is the state (a government, a state agency or its
        officials, state media), or None."""
        if speaker["kind"] == "source":
            row = self.sources.lookup(speaker["key"])
            return "state_media" if row and row.kind == "state_media" else None
        if speaker.get("gpe"):
            return "state_country"  # "Moscow announced": a capital speaking is its government
        index = gazetteer_index()
        if index.labels.get(speaker["text"]) == "GPE" or index.kinds.get(speaker.get("key", "")) in ("government",):
            return "state_body"
        descriptor = " " + self._descriptor(speaker).lower() + " "
        private = any(f" {word}" in descriptor for word in PRIVATE_BODIES)
        found = set()
        for word in lexicon()["government_words"]:
            if private and word in ("president", "chairman", "head", "council", "board", "national", "general"):
                continue  # "union president", "company chairman": not a state office
            if f" {word} " in descriptor or f" {word}'" in descriptor or f" {word}\u2019" in descriptor:
                found.add(word)
        if not found:
            return None
        if found <= word_set("political_offices"):
            if speaker["kind"] != "person":
                # "the president" (a head of government) / "another senator" (a side)
                return "state_executive" if found & word_set("executive_offices") else "state_politician"
            if self._executive_title(speaker):
                # "President Biden", "Ukrainian President Volodymyr Zelensky": the head of a
                # government speaks for it (a senator or candidate speaks for a side)
                return "state_executive"
            return "state_politician"
        return "state_office"

    def _in_business(self, speaker: dict) -> bool:
        """The speaker is a business or speaks for one: a word of trade in its name or
        description ("location companies", "a sports app", "people in the location business")."""
        if speaker["kind"] == "person":
            return False
        words = {w.strip(",.()\u2019'").lower() for w in self._descriptor(speaker).split()}
        return bool(words & word_set("business_words")) or \
            gazetteer_index().kinds.get(speaker.get("key", "")) == "company"

    def _testimony_paragraph(self, index: int) -> bool:
        """The paragraph speaks in the first person singular outside quote marks."""
        if index in self._testimony:
            return self._testimony[index]
        start = self.para_starts[index]
        end = self.para_starts[index + 1] if index + 1 < len(self.para_starts) else len(self.text)
        found = False
        for match in FIRST_PERSON_SINGULAR.finditer(self.text, start, end):
            if not self._quotes_overlapping(match.start(), match.end()):
                found = True
                break
        self._testimony[index] = found
        return found

    def _role_keys(self, speaker: dict) -> list[str]:
        """The office a speaker is known by, as a key for the channel memory: "the
        Republican leader" and "Senate Minority Leader Mitch McConnell" share "leader", so
        the letter named for one carries to the other's next claims (within CHANNEL_PERSIST)."""
        text = (speaker.get("text") or "").strip()
        words = text.lower().replace("\u2019", "'").split()
        titles = word_set("titles") - {"former", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady"}
        single = getattr(self, "_single_roles", None)
        if speaker["kind"] != "person":
            # a definite description: "the secretary", "the Republican leader", "the president"
            if len(words) <= 3 and words[0] == "the" and words[-1] in titles \
                    and (single is None or "role:" + words[-1] in single):
                return ["role:" + words[-1]]
            return []
        roles = set()
        key = speaker.get("key") or text
        for ent in self.person_entities_by_last.get(key.split()[-1], ())[:20] if key else ():
            # the capitalised title right before a mention: "Senate Minority Leader Mitch McConnell"
            before = re.search(r"((?:[A-Z][\w.]*\s+)+)$", self.text[max(0, ent["start"] - 60):ent["start"]])
            if before:
                roles |= {"role:" + w for w in before.group(1).lower().split() if w in titles}
        return sorted(roles if single is None else roles & single)

    def _first_name_only(self, speaker: dict) -> bool:
        """The document names the person by one word only, never with a surname or a title
        ("Stanley, an asylum seeker"; not "President Obama", not "Chowdhry" after "Trip Chowdhry")."""
        if speaker["kind"] != "person" or speaker.get("unnamed"):
            return False
        key = (speaker.get("key") or speaker.get("text") or "").strip()
        if not key or " " in key or not key[:1].isupper():
            return False
        if key not in self._first_names:
            # introduced as a private person ("Stanley, an asylum seeker", "an asylum-seeker
            # named Beatriz"), not a surname on its own ("McConnell writes")
            introduced = re.search(r"\b(?:an?|named)\b", self._descriptor(speaker).lower()) is not None
            self._first_names[key] = introduced and self._named_once(key)
        return self._first_names[key]

    def _named_once(self, key: str) -> bool:
        titles = word_set("titles")
        for match in re.finditer(r"\b" + re.escape(key) + r"\b", self.text):
            before = re.search(r"(\S+) $", self.text[max(0, match.start() - 30):match.start()])
            word = before.group(1) if before else ""
            if word.lower() in titles or (word[:1].isupper() and word[-1:].isalpha()):
                return False  # "President Obama", "Ms. Lee", "Trip Chowdhry"
            after = re.match(r" ([A-Z][\w\u2019'-]*)", self.text[match.end():match.end() + 30])
            if after:
                return False  # "Stanley Johnson"
        return True

    def _executive_title(self, speaker: dict) -> bool:
        """A title of executive office right before one of the speaker's mentions
        ("President Obama", "Prime Minister X"), not in an apposition about someone else
        ("served under President Clinton")."""
        key = speaker.get("key") or speaker.get("text") or ""
        if not key:
            return False
        pattern = _executive_before()
        for ent in self.person_entities_by_last.get(key.split()[-1], ())[:20]:
            if pattern.search(self.text[max(0, ent["start"] - 40):ent["start"]]):
                return True
        return False

    def _interested(self, sentence: Sentence, speaker: dict, mention: dict) -> list[str]:
        """Every sign that the speaker has a stake in this claim (their side, product or
        conduct); several weak signs together make a confident cue (see ``_cues``)."""
        f = sentence.features
        text = self.text
        start, end = f["start"], f["end"]
        content = text[start:mention["start"]] + " " + text[mention["end"]:end] \
            if start <= mention["start"] < end else text[start:end]
        found = []
        if sentence.quote is not None and FIRST_PERSON_GROUP.search(text[max(sentence.quote.start, start):min(sentence.quote.end, end)]):
            found.append("interested_we")  # "“We will not ...”": the speaker's own side speaking
        descriptor = self._descriptor(speaker).lower()
        roles = {word.strip(",.()") for word in descriptor.split()} & word_set("interest_roles")
        if roles - word_set("official_roles"):
            found.append("interested_role")  # an owner, a campaign, a company's spokesman
        elif roles and roles <= SPOKESPEOPLE and not self._state_source(speaker, sentence):
            found.append("interested_spokesperson")  # "an IBM spokesman": speaks for a company
        elif roles:
            found.append("interested_official")  # an office-holder: a stake only when it is their own side
        subject = (sentence.report or {}).get("content_subject") if sentence.own is not None else None
        if subject and subject in (("he", "she", "i") if speaker["kind"] == "person" else ("it", "they", "we")):
            # "Sense360 says it scrambles data", "companies say they delete it": their own conduct
            found.append("interested_own_conduct")
        if found[-1:] == ["interested_own_conduct"] or (sentence.own is not None and self._own_possessive(speaker, content)):
            if self._in_business(speaker):
                # "Many location companies say their data ...", "Sense360, which focuses on the
                # restaurant industry, says it scrambles data": a business on its own trade
                found.append("interested_business")
        if sentence.own is not None and self._own_possessive(speaker, content):
            # "the company said its battery ...": a body on its own product or conduct
            found.append("interested_own" if speaker["kind"] == "person" else "interested_own_body")
        # the speaker's own side named in what it says: "Ukrainian" ~ "Ukraine", "Democrats" ~ "Democratic"
        titles = word_set("titles")
        stems = {_stem(w) for w in re.findall(r"[A-Z][\w\u2019'-]+", self._descriptor(speaker))
                 if len(w) >= 4 and w.lower() not in titles}
        stems.discard("")
        if stems and any(_stem(w) in stems for w in re.findall(r"[A-Z][\w\u2019'-]+", content) if len(w) >= 4):
            found.append("interested_own_side")
        return found


@functools.lru_cache(maxsize=1)
def _distancing() -> re.Pattern:
    """"so-called", "alleged", "branded the event a": words just before a quoted phrase
    that mark it as a label the writer does not adopt."""
    words = "|".join(re.escape(w) for w in sorted(lexicon()["distancing_words"], key=len, reverse=True))
    return re.compile(r"\b(?:" + words + r")\b[^.;:!?\"\u201c\u201d]{0,30}$")


SMALL_TITLE_WORDS = {"a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "with", "from", "by"}


def _is_title(inner: str) -> bool:
    """"Homicide: Life on the Street", "Toy Story": every word capitalised but the small ones."""
    words = re.findall(r"[^\W_]+(?:['\u2019-][^\W_]+)*", inner)
    if not words or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in SMALL_TITLE_WORDS for w in words)


def _merge(cues: list[dict]) -> list[dict]:
    """One cue per (kind, span), in reading order. Its confidence comes from its evidence
    (data/cue_evidence.json); independent signs for one cue combine as a noisy-or
    (an official who also speaks of "its forces": 1 - (1 - 0.46)(1 - 0.44))."""
    table = cue_evidence()
    unique: dict = {}
    for cue in cues:
        key = (cue["kind"], cue["start"], cue["end"])
        if key in unique:
            if cue["evidence"] not in unique[key]["evidence"].split("+"):
                unique[key]["evidence"] += "+" + cue["evidence"]
        else:
            unique[key] = dict(cue)
    for cue in unique.values():
        doubt = 1.0
        for evidence in cue["evidence"].split("+"):
            doubt *= 1.0 - table.get(evidence, {}).get("confidence", DEFAULT_CONFIDENCE)
        cue["confidence"] = round(1.0 - doubt, 2)
    return sorted(unique.values(), key=lambda c: (c["start"], c["end"], c["kind"]))


@functools.lru_cache(maxsize=1)
def _executive_before() -> re.Pattern:
    words = "|".join(re.escape(w) for w in sorted(lexicon()["executive_offices"], key=len, reverse=True))
    return re.compile(r"(?:^|[^\w.])(?:" + words + r")\s+$", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _withheld_phrases() -> re.Pattern:
    phrases = [p for p in lexicon()["anonymous_info"] if " " in p]
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


def _withheld_name(descriptor: str) -> bool:
    """The description of a speaker says their name is withheld."""
    return bool(_withheld_phrases().search(descriptor.lower().replace("\u2019", "'")))


def _is_pronoun(span: dict, text: str) -> bool:
    if span.get("pronoun"):
        return True
    words = text[span["start"]:span["end"]].lower().split()
    return len(words) == 1 and words[0] in SPEAKER_PRONOUNS


def _anaphoric(text: str) -> bool:
    words = text.lower().split()
    return len(words) <= 2 and words[0] in ("this", "that", "these", "those", "the", "his", "her", "its", "their")


def _stem(word: str) -> str:
    word = word.replace("\u2019s", "").replace("'s", "")
    return word[:6].lower() if len(word) >= 4 else ""
