import pytest

from bench.entity_quality import (
    BLIND_SPLITS,
    DEVELOPMENT_SPLITS,
    LABEL_FILES,
    LABELS,
    LABELS_DE_DEV,
    LABELS_HELD_OUT_2,
    LABELS_HELD_OUT_3,
    LABELS_HELD_OUT_4,
    LABELS_PLACES_DEV,
    LABELS_PLACES_HELD_OUT,
    PLACE_LABELS,
    SPLITS,
    load_articles,
    print_errors,
    split_of,
)
from ingest.entities import NER_MODELS
from ingest.gazetteer import get_gazetteer
from ingest.identity import source_domain


def _host(url: str) -> str:
    """The page's host; the corpus names some pages "hard::<host>-<slug>.html" instead of a URL."""
    if url.startswith("hard::"):
        url = "http://" + url.removeprefix("hard::").split("-")[0]
    return source_domain(url)


def test_label_files_load_one_after_the_other_with_their_splits():
    articles = load_articles()
    # in the order they were labelled: the tuned file first, each later split after the ones it must not reuse
    assert LABEL_FILES.index(LABELS) == 0 and LABEL_FILES[-2:] == (LABELS_DE_DEV, LABELS_PLACES_DEV)
    assert LABEL_FILES.index(LABELS_HELD_OUT_4) < LABEL_FILES.index(LABELS_PLACES_HELD_OUT) == 4
    files = [load_articles((path,)) for path in LABEL_FILES]
    assert articles == [article for file in files for article in file]
    assert {split_of(a) for a in articles} == set(SPLITS)
    assert {split_of(a) for a in files[1]} == {"held-out-2"}
    assert {split_of(a) for a in files[2]} == {"held-out-3"}
    assert {split_of(a) for a in files[3]} == {"held-out-4"}
    assert {split_of(a) for a in files[4]} == {"places-held-out"}
    assert {split_of(a) for a in files[5]} == {"places-de-dev"}
    assert {split_of(a) for a in files[6]} == {"places-dev"}


def test_errors_are_listed_for_development_splits_only():
    # held-out-3 was blind from session 10 and became development data in session 13
    assert {"held-out-2", "held-out-3"} <= set(DEVELOPMENT_SPLITS) and "held-out-4" in BLIND_SPLITS
    with pytest.raises(ValueError, match="blind"):
        print_errors([], [], "held-out-4")


def test_held_out_2_is_english_text_from_new_hosts_with_place_ids():
    held_out_2 = load_articles((LABELS_HELD_OUT_2,))
    earlier_hosts = {_host(a["url"]) for a in load_articles((LABELS,))}
    hosts = [_host(a["url"]) for a in held_out_2]
    assert len(held_out_2) >= 25
    assert len(set(hosts)) == len(hosts) and not set(hosts) & earlier_hosts
    assert all(a["language"] == "en" and a["text"] for a in held_out_2)
    places = [e for a in held_out_2 for e in a["entities"] if e["label"] in PLACE_LABELS]
    assert places and all("geonames_id" in e for e in places)


def test_held_out_3_is_new_english_pages_one_per_host_with_place_ids():
    held_out_3 = load_articles((LABELS_HELD_OUT_3,))
    earlier = load_articles((LABELS, LABELS_HELD_OUT_2))
    hosts = [_host(a["url"]) for a in held_out_3]
    assert len(held_out_3) == 30
    assert len(set(hosts)) == len(hosts)
    assert not {a["url"] for a in held_out_3} & {a["url"] for a in earlier}
    assert not {a["page"] for a in held_out_3} & {a.get("page") for a in earlier}
    corpus_hosts = {_host(a["url"]) for a in held_out_3 if a["source"] == "corpus"}
    assert corpus_hosts and not corpus_hosts & {_host(a["url"]) for a in earlier}
    assert all(a["language"] == "en" and a["text"] and len(a["entities"]) >= 5 for a in held_out_3)
    for article in held_out_3:
        for entity in article["entities"]:
            names = [entity["text"], *entity.get("aliases", [])]
            assert all(name.casefold() in article["text"].casefold() for name in names), (
                article["page"],
                names,
            )
    places = [e for a in held_out_3 for e in a["entities"] if e["label"] in PLACE_LABELS]
    assert places and all("geonames_id" in e for e in places)


def test_held_out_4_is_unused_english_pages_one_per_host_with_place_ids():
    held_out_4 = load_articles((LABELS_HELD_OUT_4,))
    earlier = load_articles((LABELS, LABELS_HELD_OUT_2, LABELS_HELD_OUT_3))
    hosts = [_host(a["url"]) for a in held_out_4]
    assert len(held_out_4) >= 20
    assert {a["source"] for a in held_out_4} == {"newsbench", "corpus"}
    assert len(set(hosts)) == len(hosts)
    assert not {a["url"] for a in held_out_4} & {a["url"] for a in earlier}
    earlier_pages = {a.get("page") for a in earlier} | {a.get("file") for a in earlier}
    assert not {a["page"] for a in held_out_4} & earlier_pages
    assert all(a["language"] == "en" and a["text"] and len(a["entities"]) >= 5 for a in held_out_4)
    for article in held_out_4:
        text = " ".join(article["text"].casefold().split())  # a name may run over a paragraph break
        for entity in article["entities"]:
            names = [entity["text"], *entity.get("aliases", [])]
            assert all(" ".join(name.casefold().split()) in text for name in names), (article["page"], names)
        assert len({entity["text"] for entity in article["entities"]}) == len(article["entities"])
    places = [e for a in held_out_4 for e in a["entities"] if e["label"] in PLACE_LABELS]
    assert places and all("geonames_id" in e for e in places)
    assert any(e["geonames_id"] for e in places)


def _assert_unused_places_pages(split: list[dict], earlier: list[dict], min_places: int = 3) -> None:
    """A places-only split: one page per host, none in an earlier file, >= min_places GPE/LOC entries per
    article with ids the gazetteer has, every name and alias written in the article's text."""
    hosts = [_host(a["url"]) for a in split]
    assert len(set(hosts)) == len(hosts)
    assert not {a["url"] for a in split} & {a["url"] for a in earlier}
    earlier_pages = {a.get("page") for a in earlier} | {a.get("file") for a in earlier}
    assert not {a["page"] for a in split} & earlier_pages
    gazetteer = get_gazetteer()
    for article in split:
        assert article["scope"] == "places" and article["text"] and len(article["entities"]) >= min_places
        assert all(e["label"] in PLACE_LABELS and "geonames_id" in e for e in article["entities"])
        assert all(gazetteer.by_id(e["geonames_id"]) for e in article["entities"] if e["geonames_id"])
        text = " ".join(article["text"].casefold().split())
        for entity in article["entities"]:
            names = [entity["text"], *entity.get("aliases", [])]
            assert all(" ".join(name.casefold().split()) in text for name in names), (article["page"], names)


def test_places_held_out_is_unused_pages_without_a_model_one_per_host_with_places_only():
    held_out = load_articles((LABELS_PLACES_HELD_OUT,))
    earlier = load_articles((LABELS, LABELS_HELD_OUT_2, LABELS_HELD_OUT_3, LABELS_HELD_OUT_4))
    _assert_unused_places_pages(held_out, earlier)
    languages = [a["language"] for a in held_out]
    assert languages.count("de") >= 20 and len(set(languages)) >= 5
    assert not set(languages) & set(NER_MODELS)
    assert all(len({e["text"] for e in a["entities"]}) == len(a["entities"]) for a in held_out)


def test_de_dev_is_unused_german_pages_no_blind_host_with_places_only_in_two_halves():
    dev = load_articles((LABELS_DE_DEV,))
    _assert_unused_places_pages(dev, load_articles(LABEL_FILES[: LABEL_FILES.index(LABELS_DE_DEV)]))
    assert len(dev) == 20
    assert not {_host(a["url"]) for a in dev} & {
        _host(a["url"]) for a in load_articles((LABELS_PLACES_HELD_OUT,))
    }
    assert "places-de-dev" in DEVELOPMENT_SPLITS
    assert [a["half"] for a in dev].count("write") == [a["half"] for a in dev].count("check") == 10
    assert all(a["language"] == "de" for a in dev)


def test_places_dev_is_unused_pages_in_other_languages_no_blind_host_in_two_halves():
    dev = load_articles((LABELS_PLACES_DEV,))
    # session 13's pages (recall in it/pt/nl/da/sv/no) hold 1-2 places: the corpus has no richer ones
    _assert_unused_places_pages(dev, load_articles(LABEL_FILES[:-1]), min_places=1)
    assert all(len(a["entities"]) >= 3 for a in dev[:16])
    assert len(dev) == 25  # 16 of session 12, 9 of session 13 (it, pt, nl, da, sv, no)
    assert not {_host(a["url"]) for a in dev} & {
        _host(a["url"]) for a in load_articles((LABELS_PLACES_HELD_OUT,))
    }
    assert "places-dev" in DEVELOPMENT_SPLITS
    assert [a["half"] for a in dev].count("write") == 13
    assert [a["half"] for a in dev].count("check") == 12
    assert all(a["language"] not in (*NER_MODELS, "de") for a in dev)


def test_errors_never_list_the_blind_splits():
    assert {"held-out-4", "places-held-out"} == BLIND_SPLITS
    assert not set(BLIND_SPLITS) & set(DEVELOPMENT_SPLITS)
    blind_files = (
        (LABELS_HELD_OUT_4, "held-out-4"),
        (LABELS_PLACES_HELD_OUT, "places-held-out"),
    )
    for path, split in blind_files:
        articles = load_articles((path,))
        with pytest.raises(ValueError, match="blind"):
            print_errors(articles, [[] for _ in articles], split)
