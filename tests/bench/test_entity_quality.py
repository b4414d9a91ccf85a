import pytest

from bench.entity_quality import (
    BLIND_SPLITS,
    DEVELOPMENT_SPLITS,
    LABELS,
    LABELS_HELD_OUT_2,
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
    first, held_out_2 = load_articles((LABELS,)), load_articles((LABELS_HELD_OUT_2,))
    assert articles[: len(first)] == first
    assert articles[len(first) : len(first) + len(held_out_2)] == held_out_2
    assert {"tuned", "held-out", "held-out-2"} <= {split_of(a) for a in articles}
    assert {split_of(a) for a in articles[len(first) + len(held_out_2) :]} <= BLIND_SPLITS  # held-out-3
    assert {split_of(a) for a in held_out_2} == {"held-out-2"}


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
