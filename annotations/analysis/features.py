"""Per-sentence facts for the claim rules, read from a parsed spaCy sentence.

The output is plain data (dicts, lists, strings, ints) with character offsets relative to
the spaCy Doc (the chunk); ``extract`` shifts them to document offsets. Document-level
decisions (quotes over paragraphs, pronouns, the most specific name) are made later.
"""

from __future__ import annotations

import bisect
import re
import threading
from functools import lru_cache

from spacy.tokens import Span, Token

from annotations.analysis.quotes import QuoteRegion, inside
from annotations.analysis.resources import gazetteer_index, lexicon, word_set

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# "Reid's campaign hit back, saying ...", "branded the event a shambles and said ...": the
# speaker is the subject of the verb these hang from. Not xcomp: in "plans to repeat the
# survey" the reporting-looking verb is only what someone intends.
CLIMB_DEPS = {"advcl", "conj", "acl", "pcomp", "prep", "dep", "relcl", "ccomp"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
FIRST_PERSON = {"i", "we", "you", "me", "us"}
PRONOUNS = {"he", "she", "they", "it", "him", "her", "them"}
# negating these verbs means nobody said anything: "Russian officials did not say why"
SILENT_WHEN_NEGATED = {"say", "tell", "comment", "explain", "reveal", "disclose", "confirm", "specify",
                       "elaborate", "answer", "respond", "mention", "report", "announce", "state"}
# documents someone issues in their own name: the issuer speaks through them
AUTHORED_DOCUMENTS = {"statement", "letter", "memo", "post", "tweet", "release", "email", "message", "communique",
                      "announcement", "notice", "filing"}
CONCERN_VERBS = {"raise", "voice", "express", "air"}
CONCERN_OBJECTS = {"concern", "question", "doubt", "fear", "alarm", "worry", "objection", "suspicion"}
CHANNEL_PREPS = {"in", "on", "at", "during", "via", "through", "over", "from", "to"}
PUBLISH_VERBS = {"release", "issue", "post", "publish", "air", "send", "provide", "share", "put", "tweet", "write"}
# verbs whose subject rejects a claim ("exaggerated", "misleading" accuse; they do not deny)
DENIAL_VERBS = {"deny", "refute", "reject", "dismiss", "dispute", "rebuff", "debunk", "fabricate", "blast", "contest"}
MODALS_WILL = {"will", "'ll", "\u2019ll", "would", "shall", "wo"}
APPROX_NUMBER = re.compile(
    r"\b(about|around|roughly|approximately|nearly|almost|some|over|up to|more than|less than|fewer than|"
    r"at least|as many as|as much as|as few as|an estimated|close to|upwards of|in excess of|as much)\s+"
    r"(?:[$\u00a3\u20ac])?(?:\d|a dozen|a few|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|half|a third|a quarter|one-|dozens|hundreds|"
    r"thousands|millions|billions|an? (?:hour|day|week|month|year|decade|hundred|thousand|million|billion)\b)",
    re.IGNORECASE,
)
OR_SO = re.compile(r"\d[\d,.]*\s+(?:\w+\.?\s+)?or so\b", re.IGNORECASE)



@lru_cache(maxsize=None)
def _phrase_regex(name: str) -> re.Pattern:
    phrases = sorted(lexicon()[name], key=len, reverse=True)
    body = "|".join(re.escape(p.lower()) for p in phrases)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])")


@lru_cache(maxsize=1)
def reporting_verbs() -> frozenset[str]:
    return word_set("reporting_verbs")


# ---------------------------------------------------------------------------
# noun phrases and mentions
# ---------------------------------------------------------------------------

_local = threading.local()


def index_entities(doc) -> None:
    """Remember the doc's entities for fast lookups (``Span.ents`` scans every entity of the
    Doc each time, which is quadratic over a long chunk)."""
    ents = list(doc.ents)
    _local.doc = doc
    _local.ents = ents
    _local.starts = [e.start for e in ents]


def ents_between(doc, start: int, end: int) -> list:
    """Entities lying inside tokens [start, end)."""
    if getattr(_local, "doc", None) is not doc:
        index_entities(doc)
    ents, starts = _local.ents, _local.starts
    found = []
    for i in range(bisect.bisect_left(starts, start), len(ents)):
        ent = ents[i]
        if ent.start >= end:
            break
        if ent.end <= end:
            found.append(ent)
    return found


def _np_bounds(head: Token, cut_commas: bool = True) -> tuple[int, int]:
    """Token bounds of the noun phrase headed by ``head``: its subtree, cut at commas and
    dashes around the head (an apposition or a non-restrictive clause is not the name)."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    doc = head.doc
    if cut_commas:
        for i in range(head.i - 1, start - 1, -1):
            if doc[i].text in (",", "\u2014", "--", ";", ":"):
                start = i + 1
                break
        for i in range(head.i + 1, end):
            if doc[i].text in (",", "\u2014", "--", ";", ":"):
                end = i
                break
    while start < end and (doc[start].is_punct and doc[start].text not in ("(",) or doc[start].is_space
                           or doc[start].lower_ in ("and", "but", "or")):
        start += 1
    while end > start and (doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text != ")")):
        end -= 1
    return start, end


def _char_span(doc, start: int, end: int) -> dict:
    span = doc[start:end]
    return {"start": span.start_char, "end": span.end_char, "text": span.text}


def _gender_hint(tokens) -> str | None:
    female, male = word_set("female_titles"), word_set("male_titles")
    for token in tokens:
        low = token.lower_
        if low in female:
            return "f"
        if low in male:
            return "m"
    return None


def mention(head: Token) -> dict:
    """A plain description of the noun phrase headed by ``head`` (a speaker or subject)."""
    doc = head.doc
    start, end = _np_bounds(head)
    if end <= start:
        start, end = head.i, head.i + 1
    span = doc[start:end]
    info = _char_span(doc, start, end)
    low = head.lower_
    info["head"] = head.lemma_.lower() if head.pos_ != "PROPN" else head.text
    info["head_text"] = head.text
    info["head_start"] = head.idx
    info["pronoun"] = low if head.pos_ == "PRON" or low in PRONOUNS else None
    info["plural"] = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children) \
        or low in ("they", "them", "we")
    info["definite"] = span[0].lower_ in ("the", "this", "that", "these", "those")
    info["proper"] = any(t.pos_ == "PROPN" for t in span)
    person = org = None
    places = []
    span_ents = ents_between(doc, start, end)
    # the name that heads the phrase: "Curry house owner Abdul Ali" is Abdul Ali
    heading = [e for e in span_ents if e.label_ == "PERSON" and e.start <= head.i < e.end] or \
        [e for e in span_ents if e.label_ == "PERSON" and e.end <= head.i + 1][-1:]
    if heading:
        person = {"start": heading[0].start_char, "end": heading[0].end_char, "text": heading[0].text}
    for ent in span_ents:
        if ent.label_ == "PERSON":
            # a name after the head belongs to a modifier ("a spokesperson for Avon and Somerset
            # Police"): it is not who speaks
            continue
        elif ent.label_ == "ORG" and org is None:
            org = {"start": ent.start_char, "end": ent.end_char, "text": ent.text}
        elif ent.label_ in ("GPE", "NORP"):
            places.append(ent.text)
    if person is None:
        # "The chief executive of Brightline Foods, Marcus Hale, denied": a name right after
        # the phrase, between commas, is the person it describes
        if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ == "PERSON" and doc[end + 1].ent_iob_ == "B":
            ent = next((e for e in ents_between(doc, end + 1, len(doc)) if e.start == end + 1), None)
            if ent is not None and ent.end < len(doc) and doc[ent.end].text in (",", "\u2014"):
                person = {"start": ent.start_char, "end": ent.end_char, "text": ent.text}
    if person is None:
        # "One of the bill's authors, Republican Sen. Scott Beason, said": the name is in the apposition
        for child in head.children:
            if child.dep_ == "appos":
                for ent in ents_between(doc, child.left_edge.i, child.right_edge.i + 1):
                    if ent.label_ == "PERSON":
                        person = {"start": ent.start_char, "end": ent.end_char, "text": ent.text}
                        break
            if person:
                break
    info["person"] = person
    info["org"] = org
    info["places"] = places
    info["gpe"] = any(ent.label_ == "GPE" and ent.start <= head.i < ent.end for ent in ents_between(doc, start, end))
    # the descriptor keeps the apposition: "Bill Caton, president of Associated General Contractors"
    desc_start, desc_end = head.left_edge.i, head.right_edge.i + 1
    descriptor = doc[desc_start:desc_end]
    info["descriptor"] = descriptor.text if len(descriptor) <= 30 else span.text
    info["gender"] = _gender_hint(list(descriptor)[:12])
    return info


def _subject_of(verb: Token) -> Token | None:
    """The verb's subject; a real one before a relative pronoun the parser also hung there."""
    subjects = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
    for child in subjects:
        if child.lower_ not in RELATIVE_PRONOUNS:
            return child
    return subjects[0] if subjects else None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def _is_document(head: Token) -> bool:
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return False
    return head.lemma_.lower() in word_set("document_nouns")


def index_quotes(doc, quotes: list[QuoteRegion]) -> None:
    """Mark once which tokens sit inside a double-quoted region."""
    mask = [False] * len(doc)
    starts = [t.idx for t in doc]
    for region in quotes:
        if region.single:
            continue
        for i in range(bisect.bisect_left(starts, region.start), bisect.bisect_left(starts, region.end)):
            mask[i] = True
    _local.quote_doc = doc
    _local.quote_mask = mask


def _in_quote(quotes: list[QuoteRegion], token: Token) -> bool:
    if getattr(_local, "quote_doc", None) is token.doc:
        return _local.quote_mask[token.i]
    return inside(quotes, token.idx) is not None


def _speaker_for(verb: Token, strong: bool) -> tuple[Token | None, str]:
    """The token heading who speaks through ``verb`` and how it was found."""
    if _is_passive(verb):
        if verb.lemma_.lower() in ("quote", "cite"):
            # "Lavrov was quoted by RIA as saying": the one quoted speaks, the agent is the channel
            subject = _subject_of(verb)
            return (subject, "quoted") if subject is not None else (None, "passive")
        agent = _agent(verb)
        return (agent, "agent") if agent is not None else (None, "passive")
    current = verb
    for _ in range(4):
        subject = _subject_of(current)
        if subject is not None and current is not verb and not _speaker_like(subject) \
                and current.dep_ in CLIMB_DEPS and current.head.i != current.i:
            subject = None  # a wrong attachment ("oil ... would have broken down and concluded"): climb on
        if subject is not None:
            if subject.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                if not strong:
                    return None, "relative"
                return current.head, "relative"
            return subject, "subject" if current is verb else "climbed"
        if current.dep_ not in CLIMB_DEPS or current.head.i == current.i:
            return None, "none"
        if current.dep_ == "acl" and _is_document(current.head) and not strong:
            return None, "document"  # "a report showing that ...": the report is not a speaker
        current = current.head
        if current.pos_ in ("NOUN", "PROPN") and current.dep_ in ("dobj", "pobj", "attr"):
            current = current.head  # "released a television ad saying ..." -> released
    return None, "none"


def _opening_subject(verb: Token, quotes: list[QuoteRegion]) -> Token | None:
    """`Jeff Gamet, managing editor of ..., said`: when the parser hangs the name elsewhere,
    the noun phrase that opens the sentence before the first comma is the subject."""
    sent = verb.sent
    segment = []
    for token in sent:
        if token.i >= verb.i or token.text in (",", "\u2014", "--", ":"):
            break
        segment.append(token)
    if not segment or _in_quote(quotes, segment[0]):
        return None
    for ent in ents_between(sent.doc, sent.start, sent.end):
        if ent.start >= segment[0].i and ent.end <= segment[-1].i + 1 and ent.label_ in ("PERSON", "ORG"):
            return ent.root
    roots = [t for t in segment if not (segment[0].i <= t.head.i <= segment[-1].i) or t.head.i == t.i]
    if len(roots) == 1 and roots[0].pos_ in ("NOUN", "PROPN") and roots[0].tag_ != "NNP" or \
            (len(roots) == 1 and roots[0].pos_ == "PROPN"):
        return roots[0]
    return None


def _document_author(document: Token) -> Token | None:
    for child in document.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
            for grand in child.children:
                if grand.dep_ == "pobj" and (grand.ent_type_ in ("PERSON", "ORG") or grand.pos_ == "PROPN"
                                             or (child.lower_ in ("by", "from") and _speaker_like(grand))):
                    return grand  # "a poll by the Civic Institute", "a letter from the hospital"
    return None


DATELINE_DASHES = {"-", "\u2014", "\u2013", "--"}


def _dateline_end(sent: Span) -> int:
    """Token index after a dateline ("WASHINGTON (AP) \u2014", "LIMA, Peru (Reuters) -"), or the
    sentence start when there is none. A dateline opens with a capitalised place and ends with
    a dash within the first dozen tokens."""
    tokens = list(sent[:14])
    if not tokens or not tokens[0].is_upper or not tokens[0].is_alpha:
        return sent.start
    for token in tokens[1:]:
        if token.text in DATELINE_DASHES:
            return token.i + 1
        if not (token.is_title or token.is_upper or token.is_punct or token.like_num or token.is_space):
            return sent.start
    return sent.start


def _first_noun_after(sent: Span, start: int, before: int) -> Token | None:
    """The head of the first noun phrase in tokens [start, before)."""
    doc = sent.doc
    for i in range(start, before):
        token = doc[i]
        if token.pos_ in ("NOUN", "PROPN", "PRON"):
            head = token
            while head.head.i != head.i and start <= head.head.i < before and head.dep_ in ("compound", "amod", "nmod", "poss"):
                head = head.head
            return head
    return None


def _speaker_like(head: Token) -> bool:
    if head.pos_ in ("PRON", "PROPN") or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    lemma = head.lemma_.lower()
    return (lemma in word_set("unnamed_heads") or lemma in word_set("group_nouns") or lemma in word_set("titles")
            or head.lower_ in word_set("unnamed_heads"))


def _calls_something(verb: Token, quotes: list[QuoteRegion]) -> bool:
    """"called it \"a surrender\"" or "called the survey misleading", not "called for" / "called on"."""
    if any(c.dep_ in ("prep", "prt") and c.lower_ in ("for", "on", "off", "up", "back", "in") for c in verb.children):
        return False
    if any(c.dep_ in ("oprd", "ccomp", "xcomp") for c in verb.children):
        return True
    return any(_in_quote(quotes, t) for t in verb.doc[verb.i + 1:min(len(verb.doc), verb.i + 8)])


def _content_negation(verb: Token) -> dict | None:
    """The negation in what the verb reports ("said no product had reached stores"), if any."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "dobj"):
            for token in child.subtree:
                if token.dep_ == "neg" or token.lower_ in ("no", "never", "nobody", "none"):
                    return {"start": token.idx, "end": token.idx + len(token.text), "text": token.text}
    return None


def _content_subject(verb: Token) -> str | None:
    """The pronoun that is the subject of what the verb reports ("says it scrambles data",
    "said they delete the data"): the speaker speaking about itself, when they agree."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            for grand in child.children:
                if grand.dep_ in ("nsubj", "nsubjpass") and grand.pos_ == "PRON":
                    return grand.lower_
    return None


def reporting_candidates(sent: Span, quotes: list[QuoteRegion], tokens: list | None = None) -> list[dict]:
    verbs = reporting_verbs()
    weak = word_set("weak_reporting_verbs")
    found = []
    for token in tokens if tokens is not None else sent:
        lemma = token.lemma_.lower()
        concern = lemma in CONCERN_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in CONCERN_OBJECTS for c in token.children)
        if lemma == "call" and token.pos_ == "VERB" and _calls_something(token, quotes):
            concern = True  # "Greenpeace called the report \"a wake-up call\"": a verdict spoken
        if not concern and (lemma not in verbs or token.pos_ not in ("VERB", "AUX")):
            continue
        if _in_quote(quotes, token):
            continue
        negated = any(c.dep_ == "neg" for c in token.children)
        if negated and lemma in SILENT_WHEN_NEGATED:
            continue
        is_weak = lemma in weak and not concern
        head, how = _speaker_for(token, strong=not is_weak)
        if head is None and how == "none" and token.dep_ == "ROOT" and not is_weak:
            head, how = _opening_subject(token, quotes), "opening"
        if head is None:
            continue
        if head.i < _dateline_end(sent):
            # "LIMA, Peru (Wire) - Election officials said": the dateline is not the speaker
            head = _first_noun_after(sent, _dateline_end(sent), token.i)
            if head is None:
                continue
        if head.lower_ in FIRST_PERSON or (head.dep_ == "expl"):
            continue
        if head.lower_ == "it" and any(c.dep_ in ("ccomp",) for c in token.children) and _is_passive(token):
            continue
        if _is_document(head):
            # "a new survey by the Hartwell Institute found ...": the author speaks
            author = _document_author(head) if not concern else None
            if author is None:
                definite = head.left_edge.lower_ in ("the", "this", "that", "its", "his", "her", "their")
                if head.lemma_.lower() in AUTHORED_DOCUMENTS and definite and not is_weak and not concern:
                    # "\"...,\" the statement said": whoever issued it speaks; found later
                    found.append({"verb": lemma, "verb_start": token.idx, "verb_end": token.idx + len(token.text),
                                  "speaker": {**mention(head), "document": True}, "how": "document",
                                  "weak": True, "negated": negated, "depth": _depth(token) + 1,
                                  "content_negated": _content_negation(token) is not None,
                                  "content_negation": _content_negation(token)})
                continue
            head, how, is_weak = author, "document_author", False
        if _in_quote(quotes, head):
            continue
        if how == "climbed" and not _speaker_like(head):
            continue  # the parser hung "and concluded" on "oil ... would have broken down"
        if is_weak and not _speaker_like(head):
            continue  # "the move could ... show": weak verbs need a person or body as subject
        found.append({
            "verb": lemma,
            "verb_start": token.idx,
            "verb_end": token.idx + len(token.text),
            "speaker": mention(head),
            "how": how,
            "weak": is_weak,
            "negated": negated,
            "depth": _depth(token),
            "content_negated": _content_negation(token) is not None,
            "content_negation": _content_negation(token),
            "content_subject": _content_subject(token),
        })
    found.sort(key=lambda c: (c["weak"], c["depth"], c["verb_start"]))
    return found


def according_to(sent: Span, tokens: list | None = None) -> dict | None:
    for token in tokens if tokens is not None else sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            to = token.doc[token.i + 1]
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if not objects and to.i + 1 < sent.end:
                # the parser sometimes hangs the object elsewhere: take the next noun
                objects = [t for t in sent[to.i + 1 - sent.start:] if t.pos_ in ("NOUN", "PROPN", "PRON")][:1]
            if objects:
                head = objects[0]
                # "according to a statement by the ministry": the document is the channel
                if _is_document(head):
                    for child in head.children:
                        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
                            for grand in child.children:
                                if grand.dep_ == "pobj":
                                    return {**mention(grand), "via": _char_span(token.doc, *_np_bounds(head))}
                    return {"document": _char_span(token.doc, *_np_bounds(head))}
                return mention(head)
    return None


def channel_candidates(sent: Span, quotes: list[QuoteRegion], tokens: list | None = None) -> list[dict]:
    """Media a statement came through: "in a statement", "on his Truth Social platform",
    "told the Pittsburgh Tribune-Review", "released a television ad"."""
    channel_nouns = word_set("channel_nouns")
    self_published = word_set("self_published_channel_nouns")
    out = []
    doc = sent.doc
    for token in tokens if tokens is not None else sent:
        if token.pos_ not in ("NOUN", "PROPN") or _in_quote(quotes, token):
            continue
        lemma = token.lemma_.lower()
        # the tokenizer splits "e-mail" into "e", "-", "mail"
        split_email = lemma == "mail" and token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ == "e"
        if split_email:
            lemma = "e-mail"
        if lemma not in channel_nouns and token.lower_ not in channel_nouns:
            continue
        head = token.head
        via_prep = token.dep_ == "pobj" and head.lower_ in CHANNEL_PREPS
        via_verb = token.dep_ in ("dobj",) and head.lemma_.lower() in PUBLISH_VERBS
        if not (via_prep or via_verb):
            continue
        start = min(token.left_edge.i, doc[token.i - 2].left_edge.i) if split_email else token.left_edge.i
        end = token.i + 1
        for child in token.children:  # keep "conference call", drop relative clauses
            if child.i > token.i and child.dep_ in ("compound",):
                end = child.i + 1
        while start < end and (doc[start].is_punct or doc[start].is_space):
            start += 1
        if end - start > 8:
            start = max(start, token.i - 4)
        span = _char_span(doc, start, end)
        span["kind"] = "self_published" if lemma in self_published else "medium"
        span["noun"] = lemma
        out.append(span)
    # organisations that are the object of "told" / "in an interview with": outlets
    for token in tokens if tokens is not None else sent:
        if token.lemma_.lower() == "tell" and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in ("dobj", "dative") and child.lemma_.lower() in word_set("press_audiences"):
                    # "told reporters", "told a news conference": the press carried it
                    out.append({**_char_span(doc, *_np_bounds(child)), "kind": "medium", "noun": child.lemma_.lower()})
                if child.dep_ in ("dobj", "dative") and child.pos_ == "PROPN":
                    start, end = _np_bounds(child)
                    while start < end and doc[start].lower_ in ("the", "a", "an"):
                        start += 1
                    name = doc[start:end].text
                    if name and _outlet_like(name):  # "told the Bristol Post", "told Reuters"
                        out.append({**_char_span(doc, start, end), "kind": "outlet", "noun": "outlet"})
    return out


def _outlet_like(name: str) -> bool:
    words = set(re.split(r"[\s\-]+", name))
    kinds = gazetteer_index().kinds
    return kinds.get(name) in ("outlet", "agency", "platform") or bool(words & set(lexicon()["outlet_words"]))


def outlet_mentions(sent: Span) -> list[dict]:
    kinds = gazetteer_index().kinds
    out = []
    for ent in ents_between(sent.doc, sent.start, sent.end):
        if ent.label_ in ("ORG", "PERSON", "FAC", "WORK_OF_ART", "PRODUCT", "GPE") and _outlet_like(ent.text):
            out.append({"start": ent.start_char, "end": ent.end_char, "text": ent.text,
                        "kind": kinds.get(ent.text, "outlet")})
    return out


def _carries_words(token: Token, depth: int = 0) -> bool:
    """Whether a name stands where a channel stands: "according to TASS", "told Reuters",
    "TASS reported", "in an interview with CNN", "TASS's report", "the agency, Ukrinform"
    (not "such as The New York Times 1619 Project", where it only names a thing)."""
    dep, head = token.dep_, token.head
    if dep == "pobj" and head.lower_ in CHANNEL_PREPS | {"with", "by", "to"}:
        return True
    if dep in ("dobj", "dative") and head.lemma_.lower() in ("tell", "give", "speak"):
        return True
    if dep in ("nsubj", "nsubjpass") and (head.lemma_.lower() in reporting_verbs() or head.lemma_.lower() in PUBLISH_VERBS):
        return True
    if dep in ("poss", "compound", "nmod") and head.lemma_.lower() in word_set("channel_nouns"):
        return True
    if dep in ("appos", "conj") and head.i != token.i and depth < 3:
        return _carries_words(head, depth + 1)
    return False


def name_roles(sent: Span) -> list[dict]:
    """Each name of the sentence and whether it stands where a channel would (see above)."""
    return [{"start": ent.start_char, "end": ent.end_char, "channel": _carries_words(ent.root)}
            for ent in ents_between(sent.doc, sent.start, sent.end)
            if ent.label_ in ("ORG", "PERSON", "FAC", "WORK_OF_ART", "PRODUCT", "GPE", "NORP")]


# ---------------------------------------------------------------------------
# lexical cues
# ---------------------------------------------------------------------------

def doc_text(doc) -> str:
    """``Doc.text`` joins every token on each call: keep it once per Doc."""
    if getattr(_local, "text_doc", None) is not doc:
        _local.text_doc = doc
        _local.text = doc.text
    return _local.text


def _cue(kind: str, doc, start_char: int, end_char: int, evidence: str) -> dict:
    return {"kind": kind, "start": start_char, "end": end_char, "text": doc_text(doc)[start_char:end_char],
            "evidence": evidence}


def _token_cue(kind: str, token: Token, evidence: str) -> dict:
    return {"kind": kind, "start": token.idx, "end": token.idx + len(token.text), "text": token.text,
            "evidence": evidence}


def _number_end(tokens: list, i: int) -> int:
    """Token index after the number starting at ``tokens[i]``: "20", "1,500", "12 million",
    "$4.5 billion", "three dozen" (a span never ends inside the number it qualifies)."""
    j = i
    while j < len(tokens) and (tokens[j].like_num or tokens[j].text in ("$", "\u00a3", "\u20ac")
                               or tokens[j].lower_ in ("dozen", "hundred", "thousand", "million", "billion",
                                                       "trillion", "half", "quarter", "third")):
        j += 1
    return max(j, i + 1)


def _modal_future(token: Token) -> bool:
    """"will reopen", "'ll find", "shall be": a modal of the future on a verb that is not
    a perfect ("would have lost" is a counterfactual about the past)."""
    head = token.head
    if head.pos_ not in ("VERB", "AUX") or head.i == token.i:
        return False
    return not any(c.lower_ == "have" and c.dep_ == "aux" and c.i > token.i for c in head.children)


def _intensifies(token: Token) -> bool:
    """An intensifying adverb on a predicate or its modifier ("absolutely unprecedented",
    "strongly criticized"), not "the very model" (a determiner-like adjective)."""
    return token.pos_ == "ADV" and token.dep_ in ("advmod", "amod") and token.head.pos_ in ("ADJ", "ADV", "VERB", "AUX")


def _of_head(token: Token) -> Token:
    """"all of its members" -> "members": the noun a quantifier stands for."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return token


AGENT_PRONOUNS = {"i", "you", "he", "she", "they", "someone", "anyone", "everyone", "somebody", "anybody", "people"}


def _agent_subject(modal: Token) -> bool:
    """The subject of the modal's verb is a person or people ("they could follow someone",
    "employees could identify a person"), so the modal says what they are able to do."""
    verb = modal.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child.lower_ in AGENT_PRONOUNS or child.ent_type_ in ("PERSON", "NORP") \
                or child.lemma_.lower() in word_set("unnamed_heads")
    return False


def lexical_cues(sent: Span, tokens: list | None = None) -> list[dict]:
    """Cue candidates from words, each with the grammar that makes it one (``evidence``);
    how far each kind of evidence is trusted is decided in claims.py from data/cue_evidence.json."""
    doc = sent.doc
    cues: list[dict] = []
    hedges, boosters = word_set("hedges"), word_set("boosters")
    denials = word_set("denials")
    index = gazetteer_index()
    tokens = tokens if tokens is not None else list(sent)
    for i, token in enumerate(tokens):
        low = token.lower_
        lemma = token.lemma_.lower()
        if low in hedges:
            if low in ("may", "might", "could"):
                if token.tag_ == "MD":
                    # "could" under a past verb is often past ability ("knew that apps could track")
                    embedded = low == "could" and token.head.dep_ in ("ccomp", "relcl", "acl", "advcl", "xcomp")
                    cues.append(_token_cue("hedge", token, "hedge_modal_embedded" if embedded else "hedge_modal"))
                    if not embedded and _modal_future(token):
                        # "the state could get soaked": a possible future event is also a forecast;
                        # "they could follow someone" is what people are able to do
                        cues.append(_token_cue("prediction", token, "prediction_ability" if _agent_subject(token)
                                               else "prediction_possible"))
            elif low in ("claim", "claims") and token.pos_ == "NOUN" and i > 0 and tokens[i - 1].lower_ in ("the", "his", "her", "their", "its"):
                pass
            elif token.pos_ == "ADV":
                cues.append(_token_cue("hedge", token, "hedge_adverb"))
            elif token.pos_ in ("VERB", "AUX") and (token.tag_ == "VBN" or any(c.dep_ == "neg" for c in token.children)):
                # "delays are expected", "an estimated $21 billion", "don't think": a participle
                # or a negated belief, not the speaker hedging
                cues.append(_token_cue("hedge", token, "hedge_participle"))
            elif token.pos_ in ("VERB", "AUX"):
                cues.append(_token_cue("hedge", token, "hedge_verb"))
            elif token.pos_ == "ADJ":
                cues.append(_token_cue("hedge", token, "hedge_adjective"))
            else:
                cues.append(_token_cue("hedge", token, "hedge_noun"))
        if low in boosters:
            if low == "hard" and token.pos_ != "ADV":
                pass
            elif low in ("critical", "huge", "massive", "perfect", "historic", "disaster") and token.pos_ not in ("ADJ", "ADV"):
                pass
            elif low in ("best", "worst", "biggest", "greatest"):
                cues.append(_token_cue("booster", token, "booster_superlative"))  # a ranking, often a fact
            elif _intensifies(token) and token.head.lower_ in boosters and token.head.i > token.i:
                # "absolutely unprecedented", "very, very strong": emphasis stacked on emphasis
                head = token.head
                cues.append(_cue("booster", doc, token.idx, head.idx + len(head.text), "booster_stacked"))
            elif _intensifies(token) and low in word_set("maximizers"):
                # "completely overwhelmed", "utterly useless": a maximizer leaves no room for doubt
                cues.append(_token_cue("booster", token, "booster_maximizer"))
            elif _intensifies(token):
                cues.append(_token_cue("booster", token, "booster_intensifier"))
            elif token.pos_ == "ADV":
                cues.append(_token_cue("booster", token, "booster_adverb"))
            else:
                cues.append(_token_cue("booster", token, "booster_adjective"))
        if low == "most" and i + 1 < len(tokens) and tokens[i + 1].pos_ == "ADJ":
            cues.append(_cue("booster", doc, token.idx, tokens[i + 1].idx + len(tokens[i + 1].text), "booster_superlative"))
        if token.tag_ in ("JJS", "RBS") and low != "least":
            before = " ".join(t.lower_ for t in tokens[max(0, i - 3):i])
            after = [t.lower_ for t in tokens[i + 1:i + 6]]
            if before.endswith("by far") or before.endswith("by far the") or "ever" in after:
                # "the deadliest vaccine ever made", "by far the most common": a ranking
                # pushed beyond comparison is emphasis
                cues.append(_token_cue("booster", token, "booster_beyond_compare"))
        if low in word_set("vague_frequency_words") and token.pos_ == "ADV":
            cues.append(_token_cue("vague_quantity", token, "vague_frequency"))  # "often incomplete"
        if low == "should" and token.tag_ == "MD" and _modal_future(token):
            cues.append(_token_cue("hedge", token, "hedge_should"))  # "the energy should move inland"
        if low in word_set("vague_quantity_words"):
            ok = True
            if low == "some" and token.pos_ not in ("DET", "PRON"):
                ok = False
            if low == "most" and i + 1 < len(tokens) and tokens[i + 1].pos_ == "ADJ":
                ok = False
            if low == "much" and (token.pos_ == "ADV" or i > 0 and tokens[i - 1].lower_ in ("very", "so", "too", "how", "as")):
                ok = False  # "much more heavy-handed", "much in demand": degree, not amount
            if low in ("many", "few") and i > 0 and tokens[i - 1].lower_ in ("so", "next", "last", "first", "the"):
                ok = False  # "so many ways", "the next few model runs"
            if low == "few" and i > 0 and tokens[i - 1].lower_ == "a":
                ok = False  # "a few" is matched as a phrase
            if low in ("variety", "handful") and not (i > 0 and tokens[i - 1].lower_ == "a"):
                ok = False
            if ok:
                cues.append(_token_cue("vague_quantity", token, "vague_word"))
        if low in denials or lemma in ("deny", "refute", "fabricate"):
            if low == "lie" and token.pos_ == "VERB" and lemma == "lie" and token.tag_ != "VBZ":
                pass
            elif lemma in ("lie",) and token.pos_ == "VERB":
                pass  # "the difference lies in": to be located, not to tell a lie
            elif token.pos_ in ("VERB", "AUX") and any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
                cues.append(_token_cue("denial", token, "denial_passive"))  # "that push was rejected": nobody speaks
            elif token.pos_ in ("VERB", "AUX") and lemma in DENIAL_VERBS and token.dep_ != "amod":
                objects = [_of_head(c) for c in token.children if c.dep_ == "dobj"]
                if objects and not any(o.lemma_.lower() in word_set("statement_nouns") or o.lower_ in ("it", "this", "that", "them")
                                       for o in objects):
                    # "dismissed all of its members", "rejected Moderna's application": what
                    # is turned away is no claim
                    cues.append(_token_cue("denial", token, "denial_verb_object"))
                else:
                    cues.append(_token_cue("denial", token, "denial_verb"))  # "the ministry denied ..."
            elif token.pos_ == "ADJ" and token.dep_ in ("acomp", "attr", "ROOT", "conj", "oprd", "xcomp"):
                cues.append(_token_cue("denial", token, "denial_predicate"))  # "the report is false"
            else:
                cues.append(_token_cue("denial", token, "denial_word"))
        if low in MODALS_WILL and token.tag_ == "MD":
            if low == "would":
                cues.append(_token_cue("prediction", token, "prediction_would" if _modal_future(token) else "prediction_counterfactual"))
            elif _modal_future(token):
                cues.append(_token_cue("prediction", token, "prediction_will"))
        elif lemma in ("predict", "forecast", "pledge", "promise", "vow", "intend", "expect", "plan", "warn", "threaten") \
                and token.pos_ == "VERB":
            # what someone foresees or commits to: "predicts that trickle will become a rush"
            cues.append(_token_cue("prediction", token, "prediction_verb"))
        elif low in ("prediction", "predictions", "forecast", "forecasts", "outlook"):
            cues.append(_token_cue("prediction", token, "prediction_noun"))
        elif low in ("future", "eventually", "upcoming", "soon"):
            cues.append(_token_cue("prediction", token, "prediction_time"))
        elif low in ("likely", "unlikely") and token.pos_ == "ADJ" and any(c.dep_ == "xcomp" for c in token.children):
            cues.append(_token_cue("prediction", token, "prediction_likely"))  # "is likely to form"
        elif low in ("likely", "unlikely") and token.pos_ == "ADJ" and token.dep_ in ("acomp", "oprd", "ROOT") \
                and any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN" for c in token.head.children):
            cues.append(_token_cue("prediction", token, "prediction_likely_event"))  # "a deal remains unlikely"
        elif low in ("chance", "chances", "odds", "probability") and i + 1 < len(tokens) and tokens[i + 1].lower_ == "of" \
                and i + 2 < len(tokens) and tokens[i + 2].tag_ == "VBG":
            cues.append(_token_cue("prediction", token, "prediction_chance"))  # "a 50% chance of becoming"
        elif low in ("chance", "chances", "odds") and i + 1 < len(tokens) and tokens[i + 1].lower_ == "of" \
                and any(t.like_num or t.text == "%" for t in tokens[max(0, i - 3):i]):
            cues.append(_token_cue("prediction", token, "prediction_chance"))  # "a 30% chance of development"
        if low == "going" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "to" and i + 2 < len(tokens) and tokens[i + 2].pos_ in ("VERB", "AUX"):
            cues.append(_cue("prediction", doc, token.idx, tokens[i + 1].idx + 2, "prediction_going_to"))
    # ALL-CAPS runs (shouting): three or more capitalised words that are not known acronyms;
    # the span ends on a word that completes the phrase, never on "AND", "IN", "THE"
    run: list[Token] = []
    for token in tokens + [None]:
        if token is not None and token.is_alpha and len(token) >= 2 and token.is_upper \
                and not (index.labels.get(token.text) and len(token) <= 5):
            run.append(token)
            continue
        if token is not None and token.is_alpha and len(token) == 1 and token.is_upper and run:
            run.append(token)  # "A", "I" inside a shouted passage
            continue
        if token is not None and run and (token.is_punct or token.is_space) and token.text != "\n":
            continue  # punctuation inside a shouted passage
        while run and (run[-1].is_stop or run[-1].pos_ in ("ADP", "CCONJ", "DET", "PART", "SCONJ", "PRON")
                       or run[-1].dep_ in ("prep", "cc", "det", "aux", "mark")):
            run.pop()
        if len(run) >= 3:
            cues.append(_cue("booster", doc, run[0].idx, run[-1].idx + len(run[-1].text), "booster_caps"))
        run = []
    text = sent.text.lower()
    base = sent.start_char
    for kind, name in (("hedge", "hedge_phrases"), ("booster", "booster_phrases"), ("denial", "denial_phrases"),
                       ("prediction", "prediction_phrases"), ("anonymous_info", "anonymous_info")):
        for match in _phrase_regex(name).finditer(text):
            evidence = f"{kind}_phrase"
            if kind == "anonymous_info" and " " not in match.group(0):
                evidence = "anonymous_info_word"  # "anonymous data", "industry insiders": not a withheld name
            cues.append(_cue(kind, doc, base + match.start(), base + match.end(), evidence))
    vague_phrases = _phrase_regex("vague_quantity_phrases")
    for match in vague_phrases.finditer(text):
        phrase = match.group(0)
        # approximators only count before a number ("about 20"), not "about the war"
        if phrase in ("about", "around", "over", "nearly", "almost", "some", "roughly", "approximately",
                      "at least", "up to", "more than", "less than", "fewer than", "as many as", "as much as",
                      "as few as", "an estimated", "close to", "upwards of", "a large", "a small"):
            continue
        cues.append(_cue("vague_quantity", doc, base + match.start(), base + match.end(), "vague_phrase"))
    for regex in (APPROX_NUMBER, OR_SO):
        for match in regex.finditer(sent.text):
            s, e = base + match.start(), base + match.end()
            # the regex stops at the number's first digit: the span takes the whole number
            # ("more than 20", "up to 12", "about $4.5 billion")
            last = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].idx < e), None)
            if last is not None and regex is APPROX_NUMBER:
                stop = _number_end(tokens, last)
                e = max(e, tokens[stop - 1].idx + len(tokens[stop - 1].text))
            cues.append(_cue("vague_quantity", doc, s, e, "vague_approximate"))
    for match in re.finditer(r"\b(?:a large|a small|a significant|a substantial)\s+(?:proportion|share|part|number|amount|portion|majority)\b", text):
        cues.append(_cue("vague_quantity", doc, base + match.start(), base + match.end(), "vague_phrase"))
    return cues


# ---------------------------------------------------------------------------
# the whole sentence
# ---------------------------------------------------------------------------

def _content_keys(sent: Span, tokens: list | None = None) -> list[list[str]]:
    """Content words as [lemma, class]: "p" for predicates (verbs, adjectives), "n" for nouns."""
    keys = set()
    verbs = reporting_verbs()
    for token in tokens if tokens is not None else sent:
        if token.is_stop or token.is_punct or token.is_space or len(token.text) < 3:
            continue
        if token.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ"):
            continue
        lemma = token.lemma_.lower()
        if lemma in verbs:
            continue
        # "Ukrainian" is an adjective but names a side, not an event
        kind = "p" if token.pos_ in ("VERB", "ADJ") and not token.ent_type_ and not token.is_title else "n"
        if token.pos_ == "PROPN" or token.ent_type_ in ("DATE", "TIME", "GPE", "NORP", "PERSON", "ORG"):
            kind = "N"  # a name or a date: shared names alone do not make a shared topic
        if token.dep_ == "amod" and token.pos_ in ("VERB", "ADJ"):
            kind = "m"  # "surrounding villages": a modifier, not the event the claim is about
        keys.add((lemma, kind))
        if token.lower_ != lemma:
            keys.add((token.lower_, kind))
    return [list(k) for k in sorted(keys)]


def _trimmed_bounds(sent: Span) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return start, end


def sentence_features(sent: Span, quotes: list[QuoteRegion]) -> dict:
    start, end = _trimmed_bounds(sent)
    tokens = list(sent)  # one pass of Token objects, shared by every rule below
    doc = sent.doc
    words = [t for t in tokens if t.is_alpha]
    stripped = doc_text(doc)[start:end].rstrip("\"'\u201d\u2019)]")
    root = sent.root
    subjects = []
    for token in tokens:
        if token.dep_ in ("nsubj", "nsubjpass") and not _in_quote(quotes, token) and token.lower_ not in RELATIVE_PRONOUNS:
            m = mention(token)
            m["root"] = token.head.i == root.i
            m["verb_start"] = token.head.idx
            subjects.append(m)
    # subjects inside quotes: what a quoted claim is about (contradictions across articles)
    quoted_subjects = [{**_char_span(doc, *_np_bounds(t)), "head": t.lemma_.lower(), "head_text": t.text,
                        "pronoun": t.lower_ if t.pos_ == "PRON" else None}
                       for t in tokens if t.dep_ in ("nsubj", "nsubjpass") and _in_quote(quotes, t)]
    sent_ents = ents_between(doc, sent.start, sent.end)
    persons = [{"start": e.start_char, "end": e.end_char, "text": e.text} for e in sent_ents if e.label_ == "PERSON"]
    opening = None
    if stripped.endswith(":"):
        # "A House Democratic source provided ... a memo ..., which include:" -- who opens
        # the sentence introduces the list or quote below, whatever the parser made of it
        first_words = [t for t in tokens if not (t.is_punct or t.is_space)][:1]
        for chunk in sent.noun_chunks:
            if first_words and chunk.start <= first_words[0].i + 1 and not _in_quote(quotes, chunk.root):
                opening = {**mention(chunk.root), **_char_span(doc, chunk.start, chunk.end)}
            break
    groups = [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_}
              for e in sent_ents if e.label_ in ("ORG", "GPE", "NORP")]
    imperative = (root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "aux", "auxpass", "nsubjpass", "mark") for c in root.children)
                  and not any(t.tag_ == "MD" for t in tokens))
    wish = root.tag_ == "VB" and root.lemma_.lower() in ("bless", "save", "help") and not any(c.dep_ in ("aux",) for c in root.children)
    negations = [{"start": t.idx, "end": t.idx + len(t.text), "text": t.text, "head": t.head.lemma_.lower(),
                  "in_quote": _in_quote(quotes, t), "root": t.head.i == root.i or t.head.head.i == root.i and t.dep_ == "det"}
                 for t in tokens if t.dep_ == "neg" or (t.lower_ in ("no", "never", "nobody") and t.dep_ in ("det", "neg", "advmod"))]
    return {
        "start": start,
        "end": end,
        "words": len(words),
        "question": stripped.endswith("?"),
        "exclamation": stripped.endswith("!"),
        "imperative": bool(imperative or wish),
        "colon_end": stripped.endswith(":"),
        "reports": reporting_candidates(sent, quotes, tokens),
        "according": according_to(sent, tokens),
        "subjects": subjects,
        "opening": opening,
        "persons": persons,
        "groups": groups,
        "channels": channel_candidates(sent, quotes, tokens),
        "outlets": outlet_mentions(sent),
        "names": name_roles(sent),
        "cues": lexical_cues(sent, tokens),
        "negations": negations,
        "keys": _content_keys(sent, tokens),
        "has_number": any(t.like_num for t in tokens),
        "has_entity": bool(sent_ents),
        "quoted_subjects": quoted_subjects,
        # page furniture test: "Following the Money" and "Other areas to watch" have no finite verb
        "finite_verb": any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in tokens),
    }
