"""Document-level entity fixes: one label per surface string (majority vote), surnames of
people named in full are people.

Works on plain entity dicts collected from every chunk, so the vote spans the whole
document, not one paragraph.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from annotations.analysis.resources import gazetteer_index

NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# when votes tie, the label a news reader expects wins
LABEL_PREFERENCE = ["PERSON", "GPE", "NORP", "ORG", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"]


def _name_tokens(text: str) -> list[str]:
    return [t for t in text.replace("\u2019s", "").replace("'s", "").split() if t.lower() not in NAME_SUFFIXES]


def vote_labels(entities: list[dict]) -> list[dict]:
    index = gazetteer_index()
    # surnames (and first names) of people named in full: "Trump" after "Donald Trump"
    person_parts = set()
    for ent in entities:
        if ent["label"] == "PERSON":
            tokens = _name_tokens(ent["text"])
            if len(tokens) >= 2:
                person_parts.add(tokens[-1])
                person_parts.add(tokens[0])
    votes: dict[str, Counter] = defaultdict(Counter)
    for ent in entities:
        votes[ent["text"]][ent["label"]] += 1
    chosen: dict[str, str] = {}
    for text, counter in votes.items():
        gazetteer_label = index.labels.get(text)
        if gazetteer_label and index.kinds.get(text) in ("demonym", "group"):
            chosen[text] = "NORP"
            continue
        if text in person_parts and not text.isupper() and (
                gazetteer_label is None or index.kinds.get(text) in ("city", "capital")):
            # "Medina" after "Rosa Medina": a person, though also a city
            chosen[text] = "PERSON"
            continue
        best = max(counter.values())
        tied = [label for label, count in counter.items() if count == best]
        if gazetteer_label in tied:
            chosen[text] = gazetteer_label
        else:
            tied.sort(key=lambda label: LABEL_PREFERENCE.index(label) if label in LABEL_PREFERENCE else 99)
            chosen[text] = tied[0]
    out = []
    for ent in entities:
        label = chosen.get(ent["text"], ent["label"])
        if ent["label"] in ("CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL") \
                and label not in ("CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
            label = ent["label"]  # numbers keep their own label
        out.append({**ent, "label": label})
    return out


def propagate_names(text: str, entities: list[dict]) -> list[dict]:
    """Every occurrence of a name the document tagged somewhere gets that name's label
    ("Zelenskyy" the model missed once, after tagging it before). Skipped for names whose
    lower-case form is also a word in the text ("May" the month, "Bush" the plant)."""
    covered = sorted((e["start"], e["end"]) for e in entities)
    starts = [c[0] for c in covered]
    labels: dict[str, str] = {}
    for ent in entities:
        name = ent["text"]
        if ent["label"] in ("PERSON", "GPE", "ORG", "NORP") and len(name) >= 3 and name[:1].isupper():
            labels.setdefault(name, ent["label"])
    lowered = set(re.findall(r"[a-z][\w'-]*", text))
    names = [n for n in labels if n.lower() not in lowered and n.lower() != n]
    added = []
    if names:
        # one pass over the text for all names, longest first
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        for match in re.finditer(rf"(?<![\w])(?:{alternation})(?![\w])", text):
            start, end = match.span()
            i = bisect.bisect_right(starts, start) - 1
            if i >= 0 and covered[i][1] > start:
                continue
            if i + 1 < len(covered) and covered[i + 1][0] < end:
                continue
            added.append({"start": start, "end": end, "text": match.group(0), "label": labels[match.group(0)]})
    if not added:
        return entities
    merged = sorted(entities + added, key=lambda e: (e["start"], e["end"]))
    out: list[dict] = []
    for ent in merged:  # names found twice (nested matches of one another) keep the first
        if out and ent["start"] < out[-1]["end"]:
            continue
        out.append(ent)
    return out
