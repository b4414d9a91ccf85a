import pytest

from bench.entity_quality import (
    BLIND_SPLITS,
    DEVELOPMENT_SPLITS,
    LABELS,
    LABELS_HELD_OUT_2,
    LABELS_HELD_OUT_3,
    PLACE_LABELS,
    load_articles,
    print_errors,
    split_of,
)
from ingest.identity import source_domain


def _host(url: str) -> str:
    """The page's host; the corpus names some pages "hard::<host>-<slug>.html" instead of a URL."""
    if url.startswith("hard::"):
        url = "http://" + url.removeprefix("hard::").split("-")[0]
    return source_domain(url)


def test_label_files_load_one_after_the_other_with_their_splits():
    articles = load_articles()
    files = [load_articles((path,)) for path in (LABELS, LABELS_HELD_OUT_2, LABELS_HELD_OUT_3)]
    assert articles == files[0] + files[1] + files[2]
    assert {split_of(a) for a in articles} == {"tuned", "held-out", "held-out-2", "held-out-3"}
    assert {split_of(a) for a in files[1]} == {"held-out-2"}
    assert {split_of(a) for a in files[2]} == {"held-out-3"}


def test_errors_are_listed_for_development_splits_only():
    assert "held-out-2" in DEVELOPMENT_SPLITS and "held-out-3" in BLIND_SPLITS
    with pytest.raises(ValueError, match="blind"):
        print_errors([], [], "held-out-3")


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


def test_errors_never_list_the_blind_splits():
    assert "held-out-3" in BLIND_SPLITS
    assert not set(BLIND_SPLITS) & set(DEVELOPMENT_SPLITS)
    held_out_3 = load_articles((LABELS_HELD_OUT_3,))
    with pytest.raises(ValueError, match="blind"):
        print_errors(held_out_3, [[] for _ in held_out_3], "held-out-3")
