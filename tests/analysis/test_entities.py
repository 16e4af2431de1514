"""Entities: gazetteer before ner, demonyms, shouted words, one label per name, "U.S.-backed"."""

from __future__ import annotations


def labels(result: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for ent in result["entities"]:
        found.setdefault(ent["text"], set()).add(ent["label"])
    return found


def test_abbreviation_before_a_hyphen_is_split_and_found(analyse):
    result = analyse("Officials discussed the U.S.-backed plan in Kyiv on Monday.\n")
    ents = labels(result)
    assert ents.get("U.S.") == {"GPE"}
    assert ents.get("Kyiv") == {"GPE"}


def test_demonyms_are_norp(analyse):
    result = analyse("Ukrainian and Russian negotiators met Turkish officials in Istanbul.\n")
    ents = labels(result)
    for word in ("Ukrainian", "Russian", "Turkish"):
        assert ents.get(word) == {"NORP"}, word


def test_shouted_common_words_are_not_names(analyse):
    result = analyse("\"THE TROOPS ARE COMPLETELY SURROUNDED AND IN GREAT DANGER,\" he wrote.\n")
    assert "COMPLETELY" not in labels(result) and "DANGER" not in labels(result)


def test_one_label_per_name_in_a_document(analyse):
    text = ("Prime Minister Helena Varga arrived late.\n"
            "Varga said the deal was done. Varga's aides agreed. Critics said Varga had given in.\n")
    assert labels(analyse(text)).get("Varga") == {"PERSON"}


def test_platforms_and_agencies_are_organisations(analyse):
    text = "He wrote on Truth Social and Facebook, and TASS and Xinhua reported it.\n"
    ents = labels(analyse(text))
    for name in ("Truth Social", "Facebook", "TASS", "Xinhua"):
        assert ents.get(name) == {"ORG"}, name


def test_a_place_inside_an_organisation_name_stays_in_it(analyse):
    result = analyse("Researchers at the University of Texas and the Bank of England measured it.\n")
    orgs = [e["text"] for e in result["entities"] if e["label"] == "ORG"]
    assert any(o.endswith("University of Texas") for o in orgs) and any(o.endswith("Bank of England") for o in orgs)
    assert "Texas" not in labels(result) and "England" not in labels(result)


def test_range_words_belong_to_the_number(analyse):
    ents = labels(analyse("Up to 12 soldiers surrendered, and up to 30 more fled.\n"))
    assert "up to 30" in ents


def test_shouted_demonyms_are_still_norp(analyse):
    ents = labels(analyse("\"THOUSANDS OF UKRAINIAN TROOPS FACE RUSSIAN GUNS,\" he wrote.\n"))
    assert ents.get("UKRAINIAN") == {"NORP"} and ents.get("RUSSIAN") == {"NORP"}


def test_a_name_tagged_once_is_tagged_everywhere(analyse):
    text = ("Prime Minister Helena Varga spoke first. Critics answered Varga.\n"
            "Varga.\n")
    result = analyse(text)
    varga = [e for e in result["entities"] if e["text"] == "Varga"]
    assert len(varga) == 2 and {e["label"] for e in varga} == {"PERSON"}
