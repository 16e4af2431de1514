"""Document-level entity fixes: one label per surface string (majority vote), surnames of
people named in full are people.

Works on plain entity dicts collected from every chunk, so the vote spans the whole
document, not one paragraph.
"""

from __future__ import annotations

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
