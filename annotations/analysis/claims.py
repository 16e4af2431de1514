"""Claims: which sentences carry a claim, who asserts each (own reporting verb, the quote it
belongs to, "according to"), through which channel, with which cues, and a score.

Input is plain data: the document text, per-sentence features in document order, the
voted entities and the quote regions of the whole text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from annotations.analysis import checkpoint
from annotations.analysis.quotes import BULLETS, QuoteRegion, RegionIndex
from annotations.analysis.resources import SourceTable, gazetteer_index, lexicon, word_set
from annotations.analysis.speakers import NameBook, SpeakerResolver, speaker_span

STRONG_BOILERPLATE = {"originally published", "reprinted with permission", "contributed to this report",
                      "contributed reporting", "additional reporting by", "all rights reserved", "editing by",
                      "reporting by", "writing by"}
PLACEHOLDER = re.compile(r"^\s*\[[^\]]*\]\s*$")
# "WASHINGTON (AP) \u2014", "KYIV, Nov 3 (Reuters) -": place, date and wire before a dash
DATELINE = re.compile(r"^[A-Z][A-Z .'\-]+(?:,[^()\n]{0,40})?\s*\([^)\n]{1,40}\)\s*(?:-|--|\u2014|\u2013)\s*")
# "By Jane Smith and Tom Lee, Associated Press", "Reporting by ...": who wrote it, not a claim
BYLINE = re.compile(r"^(?i:by|written by|reporting by|photos? by)\s+[A-Z][\w.'\-]*(?:\s+(?:[A-Z][\w.'\-]*|and|de|la|le|da|di|du|del|der|van|von|al|el|bin|ibn))*\s*(?:[,|\-\u2014]\s*[A-Z][\w .'&\-]*)?\.?$")
FIRST_PERSON_GROUP = re.compile(r"\b(?:we|our|ours|us|ourselves)\b", re.IGNORECASE)
POSSESSIVES = re.compile(r"\b(?:his|her|its|their)\b", re.IGNORECASE)
GENERIC_MEDIA = {"platform", "account", "page", "channel", "website", "feed", "site"}
PRIVATE_BODIES = ("union", "company", "association", "club", "university", "college", "society", "federation",
                  "league", "bank", "corporation", "firm", "foundation", "institute", "motors", "inc", "group", "party")
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
    cues: list = field(default_factory=list)
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
        self.sentences = [Sentence(i, _paragraph_of(para_starts, f["start"]), f) for i, f in enumerate(features)]
        self.sentence_starts = [s.features["start"] for s in self.sentences]
        self.sentence_paragraphs = [s.paragraph for s in self.sentences]
        self.quote_starts = [q.start for q in self.quotes]
        # double and single quotes apart: each kind does not overlap itself
        self.quote_indexes = (RegionIndex(self.quotes), RegionIndex([q for q in quotes if q.single]))
        self._descriptors: dict[str, str] = {}
        self.entities = entities
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
        self._channels()
        for sentence in self.sentences:
            checkpoint()
            sentence.claim = self._is_claim(sentence)
        for sentence in self.sentences:
            checkpoint()
            if sentence.claim:
                sentence.cues = self._cues(sentence)
        return [s for s in self.sentences if s.claim]

    # -- pass 1: the sentence's own reporting verb -----------------------
    def _own_attributions(self) -> None:
        intro: dict | None = None
        for sentence in self.sentences:
            checkpoint()
            f = sentence.features
            for subject in f["subjects"]:
                subject.setdefault("position", subject["start"])
            self.resolver.remember_sentence(sentence.index, f)
            referent = None
            according = f["according"] if f["according"] and "document" not in f["according"] else None
            reports = f["reports"]
            if according is not None and reports and (reports[0]["weak"] or reports[0]["depth"] > 0):
                # "..., below what analysts had expected, according to FactSet": the
                # attribution of the whole sentence beats a verb in a side clause
                reports = []
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
            if referent is None and f["colon_end"] and (f["subjects"] or f.get("opening")):
                # "A source provided a memo ..., which include:" introduces the quotes below
                root_subjects = [s for s in f["subjects"] if s.get("root")] or f["subjects"] or [f["opening"]]
                intro = self.resolver.referent_of(sentence.index, root_subjects[0])
                sentence.features["intro"] = intro
            if referent is not None:
                sentence.own = referent
                self.resolver.remember_speaker(sentence.index, referent)

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
        table_mentions = []
        for s, e, row in self.sources.find_all(text[start:end]):
            span = {"start": start + s, "end": start + e, "text": text[start + s:start + e], "row": row}
            if outside_speaker(span) and not (speaker and speaker.get("source") == row.name):
                table_mentions.append(span)
        nouns = [c for c in f["channels"] if outside_speaker(c) and c["start"] >= start]
        report = sentence.report or {}
        if report.get("how") == "document" and sentence.own is not None:
            # "\u201c...\u201d the statement said": the statement is how the words came out
            document = report["speaker"]
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
            if outside_speaker(outlet) and outlet["start"] >= start and outlet["text"] != (speaker or {}).get("text"):
                kind = "self_published" if outlet["kind"] == "platform" else "outlet"
                return {k: outlet[k] for k in ("start", "end", "text")}, kind
        if nouns:
            noun = nouns[0]
            return {k: noun[k] for k in ("start", "end", "text")}, noun["kind"]
        return None, None

    def _channels(self) -> None:
        last_channel: dict[str, tuple[int, dict, str]] = {}
        for sentence in self.sentences:
            checkpoint()
            speaker = sentence.speaker
            if speaker is not None and speaker.get("kind") == "source":
                sentence.channel = {"start": speaker["start"], "end": speaker["end"], "text": speaker["text"]}
                row = self.sources.lookup(speaker["source"])
                sentence.channel_kind = row.kind if row else "outlet"
                continue
            channel, kind = self._sentence_channel(sentence)
            key = speaker["key"] if speaker else None
            if channel is None and key is None:
                # "Putin ... at a Kremlin press conference": remembered for his claims that follow
                continue
            remembered = last_channel.get(key) if key else None
            if channel is not None and remembered and _anaphoric(channel["text"]) \
                    and sentence.index - remembered[0] <= CHANNEL_PERSIST:
                channel = None  # "during these remarks", "the post": the one named before
            if channel is not None:
                targets = [key] if key else [self.resolver.referent_of(sentence.index, s, remember=False)["key"]
                                             for s in sentence.features["subjects"]
                                             if s.get("person") and self.resolver.referent_of(sentence.index, s, remember=False)]
                for target in targets:
                    last_channel[target] = (sentence.index, channel, kind)
                if key:
                    sentence.channel, sentence.channel_kind = channel, kind
                continue
            remembered = last_channel.get(key)
            if remembered and sentence.index - remembered[0] <= CHANNEL_PERSIST:
                sentence.channel, sentence.channel_kind = remembered[1], remembered[2]
                last_channel[key] = (sentence.index, remembered[1], remembered[2])

    # -- which sentences are claims ---------------------------------------
    def _is_claim(self, sentence: Sentence) -> bool:
        f = sentence.features
        text = self.text[f["start"]:f["end"]]
        if f["words"] < 3 or is_boilerplate(text) or BYLINE.match(text):
            return False
        if f["question"] or f["exclamation"]:
            return False
        if f["imperative"] and sentence.own is None:
            return False
        return True

    # -- cues ---------------------------------------------------------------
    def _cues(self, sentence: Sentence) -> list[dict]:
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
            if region.single:
                if words <= 3:
                    cues.append({"kind": "scare_quote", "start": s, "end": e, "text": text[s:e]})
                continue
            if words >= 4 or has_report or sentence.speaker is not None:
                cues.append({"kind": "direct_quote", "start": s, "end": e, "text": text[s:e]})
            if words <= 3 and not whole:
                cues.append({"kind": "scare_quote", "start": s, "end": e, "text": text[s:e]})
        speaker = sentence.speaker
        mention = sentence.speaker_mention or (speaker_span(speaker) if speaker else None)
        if speaker is not None:
            # a speaker who negates: "said no product had reached stores", "“This is not about money”"
            negation = (sentence.report or {}).get("content_negation") if sentence.own is not None else None
            if negation is None:
                negation = next((n for n in f["negations"] if n["in_quote"] and n["root"]), None)
            if negation is not None:
                cues.append({"kind": "denial", "start": negation["start"], "end": negation["end"],
                             "text": text[negation["start"]:negation["end"]]})
        if speaker is not None and mention is not None:
            anchor = {"start": mention["start"], "end": mention["end"], "text": text[mention["start"]:mention["end"]]}
            if speaker.get("unnamed") or (speaker["kind"] == "group" and self._unnamed_text(speaker["text"])):
                cues.append({"kind": "unnamed_source", **anchor})
            if self._state_source(speaker, sentence):
                cues.append({"kind": "state_source", **anchor})
            if self._interested(sentence, speaker, mention) or (
                    self._organisation(speaker) and not any(c["kind"] == "state_source" for c in cues)):
                cues.append({"kind": "interested_party", **anchor})
        if sentence.channel is not None:
            channel = sentence.channel
            anchor = {"start": channel["start"], "end": channel["end"], "text": channel["text"]}
            if sentence.channel_kind == "self_published":
                cues.append({"kind": "self_published", **anchor})
            if sentence.channel_kind in ("state_media",) and not any(c["kind"] == "state_source" for c in cues):
                cues.append({"kind": "state_source", **anchor})
        # one cue per (kind, span); spans in reading order
        unique = {}
        for cue in cues:
            unique.setdefault((cue["kind"], cue["start"], cue["end"]), cue)
        return sorted(unique.values(), key=lambda c: (c["start"], c["end"], c["kind"]))

    def _organisation(self, speaker: dict) -> bool:
        """A company or other organisation speaking for itself ("Brightline said ...")."""
        if speaker["kind"] != "group" or speaker.get("unnamed"):
            return False
        return speaker["text"] in self.org_texts and self.sources.lookup(speaker["text"]) is None

    def _unnamed_text(self, text: str) -> bool:
        """"Two officials", "U.S. officials", "Russian and Iranian officials": people without a
        name; "The Defence Ministry" names a body (a capitalised word that is not a place)."""
        words = text.replace("\u2019", "'").split()
        if not words or words[-1].lower() not in word_set("unnamed_heads"):
            return False
        labels = gazetteer_index().labels
        return not any(w[:1].isupper() and labels.get(w.strip(",.")) not in ("NORP", "GPE") for w in words[1:])

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
        self._descriptors[key] = " ".join(parts)
        return self._descriptors[key]

    def _state_source(self, speaker: dict, sentence: Sentence) -> bool:
        if speaker["kind"] == "source":
            row = self.sources.lookup(speaker["key"])
            return bool(row and row.kind == "state_media")
        if speaker.get("gpe"):
            return True
        index = gazetteer_index()
        if index.labels.get(speaker["text"]) == "GPE" or index.kinds.get(speaker.get("key", "")) in ("government",):
            return True
        descriptor = " " + self._descriptor(speaker).lower() + " "
        private = any(f" {word}" in descriptor for word in PRIVATE_BODIES)
        for word in lexicon()["government_words"]:
            if private and word in ("president", "chairman", "head", "council", "board", "national", "general"):
                continue  # "union president", "company chairman": not a state office
            if f" {word} " in descriptor or f" {word}'" in descriptor or f" {word}\u2019" in descriptor:
                return True
        return False

    def _interested(self, sentence: Sentence, speaker: dict, mention: dict) -> bool:
        f = sentence.features
        text = self.text
        start, end = f["start"], f["end"]
        content = text[start:mention["start"]] + " " + text[mention["end"]:end] \
            if start <= mention["start"] < end else text[start:end]
        if sentence.quote is not None and FIRST_PERSON_GROUP.search(text[max(sentence.quote.start, start):min(sentence.quote.end, end)]):
            return True
        descriptor = self._descriptor(speaker).lower()
        roles = word_set("interest_roles")
        if any(word.strip(",.()") in roles for word in descriptor.split()):
            return True
        if sentence.own is not None and POSSESSIVES.search(content):
            return True
        # the speaker's own side named in what it says: "Ukrainian" ~ "Ukraine", "Democrats" ~ "Democratic"
        titles = word_set("titles")
        stems = {_stem(w) for w in re.findall(r"[A-Z][\w\u2019'-]+", self._descriptor(speaker))
                 if len(w) >= 4 and w.lower() not in titles}
        stems.discard("")
        if stems and any(_stem(w) in stems for w in re.findall(r"[A-Z][\w\u2019'-]+", content) if len(w) >= 4):
            return True
        return False


def _anaphoric(text: str) -> bool:
    words = text.lower().split()
    return len(words) <= 2 and words[0] in ("this", "that", "these", "those", "the", "his", "her", "its", "their")


def _stem(word: str) -> str:
    word = word.replace("\u2019s", "").replace("'s", "")
    return word[:6].lower() if len(word) >= 4 else ""
