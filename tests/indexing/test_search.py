"""Search against a real index built by the indexer: facet counts, stemming, highlights, filters, sorting."""

from __future__ import annotations

from collections import Counter

import pytest
from elasticsearch import Elasticsearch

from indexing import indexer
from indexing.documents import to_index_document
from indexing.search import SearchFailed, SearchRequest, build_query, parse_response, search
from schemas.article import ArticleEvent
from schemas.settings import Settings
from tests.indexing.factory import make_event
from tests.indexing.helpers import produce_events

pytestmark = pytest.mark.stack
N = 120


@pytest.fixture()
def indexed(isettings: Settings, es: Elasticsearch) -> list:
    events = [make_event(i, salt="search") for i in range(N)]
    events.append(
        make_event(
            N,
            salt="search",
            title="Skaters on the Rhine",
            text="She skateboards along the river every morning.",
        )
    )
    # Stemmed matches per language: each word below is only in its article, and only inflected otherwise.
    events.append(
        make_event(
            N + 1,
            salt="search",
            language="en",
            title="Hail over the hills",
            text="Heavy rain flooded the vineyard near the village.",
        )
    )
    events.append(
        make_event(
            N + 2,
            salt="search",
            language="fr",
            title="Le second tour",
            text="Les électeurs ont voté dimanche pour l'élection présidentielle.",
        )
    )
    events.append(
        make_event(
            N + 3,
            salt="search",
            language="es",
            title="Las urnas",
            text="Las elecciones municipales se celebran en mayo.",
        )
    )
    produce_events(isettings, events)
    indexer.run_until_caught_up(isettings)
    es.indices.refresh(index=isettings.index_alias)
    return events


def _by_text(indexed: list, text: str) -> ArticleEvent:
    return next(e for e in indexed if e.text == text)


def test_facet_counts_equal_counts_computed_from_the_events(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    result = search(es, isettings.index_alias, SearchRequest(facets=True, facet_size=100, size=0))
    assert result.total == len(indexed)
    docs = [to_index_document(event) for event in indexed]
    expected = {
        "persons": Counter(p for d in docs for p in d["persons"]),
        "organisations": Counter(o for d in docs for o in d["organisations"]),
        "locations": Counter(loc for d in docs for loc in d["locations"]),
        "sources": Counter(d["source"]["domain"] for d in docs),
        "languages": Counter(d["language"] for d in docs),
        "authors": Counter(a for d in docs for a in d["authors"]),
    }
    for name, counts in expected.items():
        assert {b.value: b.count for b in result.facets[name]} == dict(counts), name
    assert sum(b.count for b in result.facets["published_at"]) == len(indexed)


def test_a_stemmed_word_finds_the_article(isettings: Settings, es: Elasticsearch, indexed: list) -> None:
    skater = _by_text(indexed, "She skateboards along the river every morning.")
    result = search(es, isettings.index_alias, SearchRequest(query="skateboarding"))
    assert [hit.id for hit in result.hits] == [skater.id]
    assert "<em>" in result.hits[0].highlight["text"][0]


def test_an_article_has_the_language_fields_of_its_language_only(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    english = _by_text(indexed, "Heavy rain flooded the vineyard near the village.")

    def has(field: str) -> int:
        query = {"bool": {"filter": [{"ids": {"values": [english.id]}}, {"exists": {"field": field}}]}}
        return es.count(index=isettings.index_alias, query=query)["count"]

    assert [has(f) for f in ("title_en", "description_en", "text_en")] == [1, 1, 1]
    assert [has(f"{name}_{lang}") for name in ("title", "text") for lang in ("fr", "de")] == [0, 0, 0, 0]
    source = es.get(index=isettings.index_alias, id=english.id)["_source"]
    assert source["text"] == english.text and "text_en" not in source  # copies are not stored twice

    spanish = _by_text(indexed, "Las elecciones municipales se celebran en mayo.")
    any_copy = {"bool": {"should": [{"exists": {"field": f"text_{lang}"}} for lang in ("en", "fr", "de")]}}
    query = {"bool": {"filter": [{"ids": {"values": [spanish.id]}}, any_copy]}}
    assert es.count(index=isettings.index_alias, query=query)["count"] == 0


def test_an_english_stemmed_word_finds_and_highlights_the_article(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    english = _by_text(indexed, "Heavy rain flooded the vineyard near the village.")
    result = search(es, isettings.index_alias, SearchRequest(query="vineyards"))
    assert [hit.id for hit in result.hits] == [english.id]
    assert result.hits[0].highlight["text"] == ["Heavy rain flooded the <em>vineyard</em> near the village."]


def test_a_french_stemmed_phrase_finds_and_highlights_the_article(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    french = _by_text(indexed, "Les électeurs ont voté dimanche pour l'élection présidentielle.")
    result = search(es, isettings.index_alias, SearchRequest(query="élections présidentielles"))
    assert [hit.id for hit in result.hits] == [french.id]
    (fragment,) = result.hits[0].highlight["text"]
    assert "élection</em>" in fragment and "<em>présidentielle</em>" in fragment


def test_an_article_in_another_language_is_found_by_its_exact_words(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    spanish = _by_text(indexed, "Las elecciones municipales se celebran en mayo.")
    result = search(es, isettings.index_alias, SearchRequest(query="municipales"))
    assert [hit.id for hit in result.hits] == [spanish.id]
    assert "<em>municipales</em>" in result.hits[0].highlight["text"][0]
    assert search(es, isettings.index_alias, SearchRequest(query="municipal")).total == 0


def test_filters_narrow_to_matching_articles(isettings: Settings, es: Elasticsearch, indexed: list) -> None:
    request = SearchRequest(person="angela merkel", lang="de", source="daily.test", size=500)
    result = search(es, isettings.index_alias, request)
    expected = {
        e.id
        for e in indexed
        if any(x.text == "Angela Merkel" for x in e.entities)
        and e.language == "de"
        and e.source.domain == "daily.test"
    }
    assert {hit.id for hit in result.hits} == expected and result.total == len(expected)


def test_date_sort_puts_the_newest_first_and_since_bounds_it(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    result = search(es, isettings.index_alias, SearchRequest(sort="date", since="2024-03-01", size=500))
    dates = [hit.published_at for hit in result.hits]
    assert dates == sorted(dates, reverse=True)
    assert result.total == sum(1 for e in indexed if e.published_at.isoformat() >= "2024-03-01")


def test_split_hits_and_facets_answer_like_one_request(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    request = SearchRequest(query="skateboarding OR river", facets=True, size=5)
    split = search(es, isettings.index_alias, request)
    single = parse_response(es.search(index=isettings.index_alias, body=build_query(request)).body)
    assert split.total == single.total
    assert [hit.id for hit in split.hits] == [hit.id for hit in single.hits]
    assert split.facets == single.facets


def test_an_elasticsearch_error_in_a_multi_search_raises_search_failed(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    # past the request's own date check (model_copy does not validate): Elasticsearch refuses it
    bad = SearchRequest(facets=True).model_copy(update={"since": "not-a-date"})
    with pytest.raises(SearchFailed, match="date"):
        search(es, isettings.index_alias, bad)


def test_a_selected_facet_value_filters_the_total_of_a_faceted_search(
    isettings: Settings, es: Elasticsearch, indexed: list
) -> None:
    request = SearchRequest(facets=True, size=5, terms={"languages": ["de"]})
    result = search(es, isettings.index_alias, request)
    expected = sum(1 for e in indexed if e.language == "de")
    assert 0 < expected < len(indexed)
    assert result.total == expected and result.total_exact
    # The facet of the selection still counts the other values (either-or), from the unfiltered matches.
    assert {b.value for b in result.facets["languages"]} > {"de"}
