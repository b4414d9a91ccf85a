from bench.entity_quality import LABELS, LABELS_HELD_OUT_2, PLACE_LABELS, load_articles, split_of
from ingest.identity import source_domain


def _host(url: str) -> str:
    """The page's host; the corpus names some pages "hard::<host>-<slug>.html" instead of a URL."""
    if url.startswith("hard::"):
        url = "http://" + url.removeprefix("hard::").split("-")[0]
    return source_domain(url)


def test_label_files_load_one_after_the_other_with_their_splits():
    articles = load_articles()
    held_out_2 = load_articles((LABELS_HELD_OUT_2,))
    assert articles[: -len(held_out_2)] == load_articles((LABELS,))
    assert articles[-len(held_out_2) :] == held_out_2
    assert {split_of(a) for a in articles} == {"tuned", "held-out", "held-out-2"}
    assert {split_of(a) for a in held_out_2} == {"held-out-2"}


def test_held_out_2_is_english_text_from_new_hosts_with_place_ids():
    held_out_2 = load_articles((LABELS_HELD_OUT_2,))
    earlier_hosts = {_host(a["url"]) for a in load_articles((LABELS,))}
    hosts = [_host(a["url"]) for a in held_out_2]
    assert len(held_out_2) >= 25
    assert len(set(hosts)) == len(hosts) and not set(hosts) & earlier_hosts
    assert all(a["language"] == "en" and a["text"] for a in held_out_2)
    places = [e for a in held_out_2 for e in a["entities"] if e["label"] in PLACE_LABELS]
    assert places and all("geonames_id" in e for e in places)
