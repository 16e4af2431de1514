"""annotate's spaCy components. Each one is small; the rules they apply come from data files.

- ``news_sentences`` (before the parser): sentence starts from end punctuation, closing
  quotes and paragraph breaks, so the parser does not glue a quote's last sentence to the
  next paragraph and a ``?"`` before ``Putin asked`` does not end the sentence.
- ``news_entities`` (after ner): what the small model gets wrong on news, fixed by general
  rules: demonyms are NORP, shouted ALL-CAPS words are not names, "up to 12" is one
  number, "University of Georgia" stays one organisation.
- ``claim_features`` (last): the per-sentence facts the claim rules need, as plain data in
  ``doc._.claim_features`` (never Span objects, so ``nlp.pipe(n_process>1)`` works).
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from annotations.analysis.features import index_entities, index_quotes, sentence_features
from annotations.analysis.quotes import find_quotes
from annotations.analysis.resources import gazetteer_index, word_set

SENTENCE_END_CHARS = set(".!?\u2026")
CLOSERS = {'"', "\u201d", "\u2019", "'", ")", "]"}
OPENERS = {'"', "\u201c", "\u2018", "(", "["}
# `...?" Putin asked.`: a reporting verb right after a closing quote keeps the sentence open
REPORTING_FORMS = {
    "said", "says", "asked", "asks", "wrote", "writes", "added", "adds", "told", "tells", "replied",
    "shouted", "tweeted", "posted", "explained", "continued", "insisted", "noted", "declared",
    "wondered", "exclaimed", "answered", "responded", "argued", "claimed", "warned", "stated",
}


def _is_sentence_end(token) -> bool:
    text = token.text
    return bool(text) and all(ch in SENTENCE_END_CHARS for ch in text)


def _reporting_tail(doc: Doc, index: int) -> bool:
    """Whether tokens from ``index`` look like `Name Name said` / `said Name` (a quote's tail)."""
    for token in doc[index:index + 5]:
        if token.is_punct or token.is_space:
            return False
        if token.lower_ in REPORTING_FORMS:
            return True
        if not (token.text[:1].isupper() or token.lower_ in ("the", "a", "an", "he", "she", "they", "it")):
            return False
    return False


@Language.component("news_sentences")
def news_sentences(doc: Doc) -> Doc:
    if len(doc) == 0:
        return doc
    # written in one go with from_array: setting Token.is_sent_start one by one checks the
    # whole Doc each time (quadratic on long chunks)
    starts = numpy.full((len(doc), 1), -1, dtype="int32")
    pending = False  # a sentence end was seen; the next word may start a sentence
    after_newline = False
    after_closing_quote = False
    for i, token in enumerate(doc):
        if i == 0:
            starts[0, 0] = 1
            continue
        if token.is_space:
            if "\n" in token.text:
                after_newline = True
            continue
        prev = doc[i - 1]
        begins = False
        if after_newline:
            begins = True
        elif pending:
            first = token.text[0]
            is_opener = token.text in OPENERS and (prev.whitespace_ or prev.is_space)
            if token.text in CLOSERS and not is_opener:
                begins = False  # still closing the previous sentence
            elif first.isupper() or first.isdigit() or is_opener:
                begins = not (after_closing_quote and _reporting_tail(doc, i))
            else:
                pending = False
        if begins:
            starts[i, 0] = 1
            pending = False
            after_newline = False
            after_closing_quote = False
        if _is_sentence_end(token):
            pending = True
            after_closing_quote = False
        elif pending and token.text in CLOSERS:
            after_closing_quote = token.text not in (")", "]")
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


NUMERIC_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"}
RANGE_PREFIXES = [("up", "to"), ("more", "than"), ("less", "than"), ("fewer", "than"), ("at", "least"),
                  ("at", "most"), ("as", "many", "as"), ("as", "much", "as"), ("nearly",), ("almost",),
                  ("about",), ("around",), ("roughly",), ("approximately",), ("some",), ("over",)]
ORG_HEADS = {"University", "College", "Bank", "Institute", "Association", "Department", "Ministry", "School",
             "Museum", "Church", "Council", "Chamber", "Federation", "League", "Society", "Academy", "Court",
             "Commission", "Office", "Board", "Center", "Centre", "Foundation", "Agency", "Service", "Authority",
             "Committee", "Party", "Union", "Embassy", "Consulate", "Hospital", "Police", "Port", "Bureau",
             "Corporation", "Company", "Club", "Contractors", "Builders", "Chamber", "Coalition", "Alliance"}


def _all_caps(span: Span) -> bool:
    letters = [ch for ch in span.text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _in_caps_run(span: Span) -> bool:
    """The span sits among other ALL-CAPS words (shouting), not alone like an acronym."""
    doc = span.doc
    neighbours = [t for t in doc[max(0, span.start - 3):span.start]] + [t for t in doc[span.end:span.end + 3]]
    words = [t for t in neighbours if t.is_alpha and len(t) > 1]
    return sum(1 for t in words if t.is_upper) >= 2


def _relabel(span: Span, label: str) -> Span:
    return Span(span.doc, span.start, span.end, label=label)


@Language.component("news_entities")
def news_entities(doc: Doc) -> Doc:
    index = gazetteer_index()
    fixed: list[Span] = []
    for ent in doc.ents:
        text = ent.text
        label = ent.label_
        if _all_caps(ent) and label not in NUMERIC_LABELS:
            known = index.labels.get(text) or index.labels.get(text.title())
            if known:
                label = known
            elif len(text) >= 6 or _in_caps_run(ent):
                continue  # a shouted common word ("COMPLETELY"), not a name
            elif label == "PERSON":
                label = "ORG"  # a short ALL-CAPS name is an acronym ("CHAS"), not a person
        gazetteer_label = index.labels.get(text)
        if gazetteer_label == "NORP" or index.kinds.get(text) == "demonym":
            label = "NORP"
        elif gazetteer_label and label not in ("PERSON",) and label != gazetteer_label and label not in NUMERIC_LABELS:
            label = gazetteer_label
        if label == "PERSON" and len(ent) == 1 and (ent.text.islower() or _common_role(ent.text)):
            continue  # "Campaigners" tagged PERSON: a common noun, not a name
        if label in ("ORG", "GPE", "NORP", "PRODUCT", "FAC", "WORK_OF_ART", "LOC", "PERSON"):
            name = _person_name(ent)
            if name is not None:
                ent, label = name, "PERSON"
        if label in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
            ent = _extend_range(doc, ent)
        if label != ent.label_:
            ent = _relabel(ent, label)
        fixed.append(ent)
    fixed = _shouted_places(doc, fixed)
    fixed = _merge_place_into_org(doc, fixed)
    fixed = [_first_name_and_place(doc, ent) for ent in fixed]
    doc.ents = filter_spans(fixed)
    return doc


ORG_WORDS = {"inc", "inc.", "corp", "corp.", "co", "co.", "ltd", "llc", "plc", "group", "foods", "bank", "university",
             "college", "institute", "foundation", "party", "news", "times", "post", "association", "company", "fund",
             "council", "committee", "agency", "service", "services", "airlines", "motors", "energy", "media", "labs",
             "partners", "capital", "holdings", "industries", "international", "systems", "technologies"}


def _common_role(text: str) -> bool:
    low = text.lower()
    return low in word_set("unnamed_heads") or low in word_set("group_nouns") or low in word_set("titles")


def _person_name(ent: Span) -> Span | None:
    """"Marcus Hale" or "Coach Daniel Price" tagged ORG: after any leading titles, two or three
    capitalised words starting with a known first name. Returns the name without the titles."""
    titles = word_set("titles")
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].lower_.rstrip(".") in titles:
        start += 1
    words = [t for t in ent.doc[start:ent.end] if not t.is_punct]
    if not 2 <= len(words) <= 3 or not all(t.is_title for t in words):
        return None
    if any(t.lower_ in ORG_WORDS for t in words) or gazetteer_index().labels.get(ent.text):
        return None
    first = words[0].lower_
    if first not in word_set("male_names") and first not in word_set("female_names"):
        return None
    return Span(ent.doc, start, ent.end, label="PERSON")


def _first_name_and_place(doc: Doc, ent: Span) -> Span:
    """"Rosa Medina": a known first name before a city the gazetteer knows is a person's name."""
    if ent.label_ != "GPE" or ent.start == 0 or len(ent) > 2:
        return ent
    before = doc[ent.start - 1]
    if before.ent_type_ or not before.is_title:
        return ent
    if before.lower_ in word_set("male_names") or before.lower_ in word_set("female_names"):
        if gazetteer_index().kinds.get(ent.text) in ("city", "capital", None):
            return Span(doc, ent.start - 1, ent.end, label="PERSON")
    return ent


def _extend_range(doc: Doc, ent: Span) -> Span:
    """"up to 12" and "more than 20" are one quantity; the model often keeps only "12"."""
    for prefix in RANGE_PREFIXES:
        n = len(prefix)
        start = ent.start - n
        if start < 0:
            continue
        if tuple(t.lower_ for t in doc[start:ent.start]) == prefix:
            if any(t.ent_type_ and t.ent_type_ not in NUMERIC_LABELS for t in doc[start:ent.start]):
                continue
            return Span(doc, start, ent.end, label=ent.label_)
    return ent


def _shouted_places(doc: Doc, ents: list[Span]) -> list[Span]:
    """"UKRAINIAN TROOPS": the ruler matches exact spelling, so shouted demonyms and places
    are looked up in title case."""
    index = gazetteer_index()
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    added = []
    for token in doc:
        if token.i in taken or not token.is_upper or not token.is_alpha or len(token) < 4:
            continue
        label = index.labels.get(token.text.title())
        if label in ("NORP", "GPE"):
            added.append(Span(doc, token.i, token.i + 1, label=label))
    return sorted(ents + added, key=lambda span: span.start) if added else ents


def _merge_place_into_org(doc: Doc, ents: list[Span]) -> list[Span]:
    """`University of Georgia`, `Home Builders Association of Alabama`: the gazetteer's place
    inside an organisation's name must not split the organisation."""
    out: list[Span] = []
    for ent in ents:
        if ent.label_ in ("GPE", "LOC") and ent.start >= 2:
            of = doc[ent.start - 1]
            head = doc[ent.start - 2]
            if of.lower_ == "the" and ent.start >= 3:
                of, head = doc[ent.start - 2], doc[ent.start - 3]
            if of.lower_ == "of" and head.text in ORG_HEADS:
                start = head.i
                while start > 0 and doc[start - 1].is_title and not doc[start - 1].is_sent_start and \
                        doc[start - 1].ent_type_ in ("", "ORG") and doc[start - 1].pos_ in ("PROPN", "NOUN", "ADJ"):
                    start -= 1
                # drop an ORG the model had found for the first part
                out = [e for e in out if e.end <= start]
                out.append(Span(doc, start, ent.end, label="ORG"))
                continue
        out.append(ent)
    return out


def _register_extensions() -> None:
    if not Doc.has_extension("claim_features"):
        Doc.set_extension("claim_features", default=None)


@Language.component("claim_features")
def claim_features(doc: Doc) -> Doc:
    _register_extensions()
    quotes = find_quotes(doc.text)
    index_entities(doc)
    index_quotes(doc, quotes)
    doc._.claim_features = [sentence_features(sent, quotes) for sent in doc.sents]
    return doc


_register_extensions()
