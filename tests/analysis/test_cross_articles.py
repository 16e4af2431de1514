"""Across articles: one source one name (descriptions never merged), and contradictions only
between claims that share a subject and an equivalent predicate."""

from __future__ import annotations

from annotations.corpus import build_corpus
from tests.conftest import shared_path


def corpus_of(analyse, *texts: str):
    return build_corpus([(number, f"a{number}.txt", f"A{number}", analyse(text)) for number, text in enumerate(texts)])


def test_the_seed_cut_in_two_shows_the_encirclement_pair_across_the_halves(analyse):
    seed = shared_path("seeds", "article.txt").read_text(encoding="utf-8")
    cut = seed.index("Putin repeatedly referenced")
    first, second = seed[:cut], seed[cut:]
    assert "TASS" in first and "SURROUNDED" in first and "encirclement" in second
    corpus = corpus_of(analyse, first, second)
    pairs = {(c.a.claim_id, c.b.claim_id): c for c in corpus.contradictions}
    found = [c for c in corpus.contradictions if "SURROUNDED" in c.a.text and "encirclement" in c.b.text]
    assert found, [(c.a.text[:60], c.b.text[:60]) for c in pairs.values()]
    assert found[0].a.entry == 0 and found[0].b.entry == 1
    assert "Trump" in found[0].a.speaker and "General Staff" in found[0].b.speaker


def test_unrelated_stories_show_no_contradictions_across_them(analyse):
    corpus = corpus_of(
        analyse,
        "Mayor Lena Ortiz said the new bridge would open in May. She said the city had not raised taxes.\n",
        "The football club said its striker would leave in the summer. Coach Dario Venn said the team was "
        "not worried about the season.\n",
        "Farmers in the valley said the harvest was well below last year's. The ministry did not say whether "
        "it would help them.\n")
    assert corpus.contradictions == []


def test_the_devset_library_of_unrelated_stories_shows_no_contradictions(analyse):
    folder = shared_path("devset")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    corpus = corpus_of(analyse, *texts)
    assert corpus.contradictions == [], [(c.a.text[:60], c.b.text[:60]) for c in corpus.contradictions]


def test_the_same_state_denied_in_another_article_is_paired_but_not_another_subject(analyse):
    corpus = corpus_of(
        analyse,
        "Governor Alan Pierce said the northern villages of Tarvel were completely surrounded by floodwater.\n",
        "The regional water board denied that Tarvel had been encircled.\n"
        "The board denied that the Orsk dam had been closed.\n")
    assert [(c.a.text[:20], c.b.text[:30]) for c in corpus.contradictions] == \
        [("Governor Alan Pierce", "The regional water board denie")]


def test_descriptions_are_never_one_source_across_articles_but_full_names_are(analyse):
    corpus = corpus_of(
        analyse,
        "Officials said the port would reopen on Monday. Harbor chief Maria Okafor said the cranes were ready.\n",
        "Officials said the school would close for a week. Okafor said the strike was over.\n",
        "Maria Okafor, the harbor chief, said the ships were waiting.\n")
    sources = {s.name: s.articles for s in corpus.sources}
    assert sources["Maria Okafor"] == 2  # full name in the first and third articles
    assert sources.get("Okafor") == 1  # a surname alone is not a full-name match
    assert sorted(n for s in corpus.sources for n in [s.name] if n == "Officials") == ["Officials", "Officials"]
