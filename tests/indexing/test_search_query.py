import json

import pytest
from pydantic import ValidationError

from indexing.search import (
    SAMPLED_DOCS,
    SAMPLER_SEED,
    TOTAL_HITS_BOUND,
    SearchRequest,
    build_query,
    parse_response,
    sample_probability,
    sampled,
    split_query,
)


def _all_keys(node: object) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _all_keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _all_keys(v)}
    return set()


def test_user_text_never_reaches_query_string() -> None:
    body = build_query(SearchRequest(query='title:secret OR "a phrase" -x AND (y', facets=True, person="A"))
    assert "query_string" not in _all_keys(body)
    assert '"query_string"' not in json.dumps(body)
    assert "simple_query_string" in _all_keys(body)


def test_empty_query_matches_all_without_highlight() -> None:
    body = build_query(SearchRequest(query="  "))
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert "highlight" not in body


def test_text_query_covers_language_fields_with_title_boosted_and_phrase_bonus() -> None:
    body = build_query(SearchRequest(query="central bank"))
    text = body["query"]["bool"]["must"][0]["bool"]
    fields = text["must"][0]["simple_query_string"]["fields"]
    assert "title^3" in fields and "title_en^3" in fields and "description_fr^2" in fields
    assert "text^1" in fields and "text_de^1" in fields
    assert not any("." in field for field in fields)  # no language sub-fields any more
    assert text["should"][0]["multi_match"]["type"] == "phrase"


def test_highlights_are_on_the_main_fields_with_the_language_fields_matched() -> None:
    fields = build_query(SearchRequest(query="central bank"))["highlight"]["fields"]
    assert set(fields) == {"title", "text"}  # the language fields are not in _source
    assert fields["text"]["matched_fields"] == ["text", "text_en", "text_fr", "text_de"]
    assert fields["title"]["matched_fields"] == ["title", "title_en", "title_fr", "title_de"]


def test_filters_are_case_insensitive_keyword_terms_and_a_date_range() -> None:
    body = build_query(
        SearchRequest(person="angela merkel", org="ECB", location="Berlin", lang="de", since="2024-01-01")
    )
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"persons": {"value": "angela merkel", "case_insensitive": True}}} in filters
    assert {"term": {"organisations": {"value": "ECB", "case_insensitive": True}}} in filters
    assert {"term": {"locations": {"value": "Berlin", "case_insensitive": True}}} in filters
    assert {"term": {"language": {"value": "de", "case_insensitive": True}}} in filters
    assert {"range": {"published_at": {"gte": "2024-01-01"}}} in filters


def test_source_filter_matches_domain_or_name() -> None:
    filters = build_query(SearchRequest(source="daily.test"))["query"]["bool"]["filter"]
    should = filters[0]["bool"]["should"]
    assert [next(iter(clause["term"])) for clause in should] == ["source.domain", "source.name"]


def test_sort_by_date_puts_newest_first() -> None:
    assert build_query(SearchRequest(sort="date"))["sort"][0] == {
        "published_at": {"order": "desc", "missing": "_last"}
    }
    assert build_query(SearchRequest(query="bank"))["sort"][0] == "_score"


def test_without_a_text_query_the_relevance_order_is_the_date_order() -> None:
    """Every match scores the same without words, so sorting by date first returns the same order and lets
    a bounded count skip by date."""
    assert build_query(SearchRequest())["sort"] == build_query(SearchRequest(sort="date"))["sort"]


def test_total_count_is_bounded_unless_exact_is_asked() -> None:
    body = build_query(SearchRequest(query="bank"))
    assert body["track_total_hits"] == TOTAL_HITS_BOUND
    # Scores come with every hit because _score is in every sort; track_scores would score every match.
    assert "track_scores" not in body and all(
        "_score" in build_query(SearchRequest(sort=s))["sort"] for s in ("date", "relevance")
    )
    assert build_query(SearchRequest(query="bank", exact=True))["track_total_hits"] is True
    _, facets = split_query(SearchRequest(query="bank", facets=True))
    assert facets is not None and facets["track_total_hits"] is True


def test_sampled_facets_wrap_every_aggregation_in_one_seeded_random_sampler() -> None:
    _, facets = split_query(SearchRequest(query="bank", facets=True))
    assert facets is not None
    body = sampled(facets, 0.02)
    assert body["track_total_hits"] is False
    assert body["aggs"]["sample"]["random_sampler"] == {"probability": 0.02, "seed": SAMPLER_SEED}
    assert body["aggs"]["sample"]["aggs"] == facets["aggs"]
    assert sample_probability(SAMPLED_DOCS) is None  # 1.0: count all
    assert sample_probability(SAMPLED_DOCS * 100) == pytest.approx(0.01)


def test_a_sampled_response_parses_to_scaled_facets_marked_approximate() -> None:
    response = {
        "hits": {"total": {"value": 10_000, "relation": "gte"}, "hits": []},
        "aggregations": {
            "sample": {
                "seed": SAMPLER_SEED,
                "probability": 0.1,
                "doc_count": 40,
                "languages": {"buckets": [{"key": "en", "doc_count": 300}, {"key": "de", "doc_count": 100}]},
            }
        },
    }
    result = parse_response(response)
    assert [(b.value, b.count) for b in result.facets["languages"]] == [("en", 300), ("de", 100)]
    assert not result.total_exact and result.total_label() == "≥ 10,000"


def test_facets_are_terms_aggregations_and_a_date_histogram() -> None:
    aggs = build_query(SearchRequest(facets=True))["aggs"]
    assert set(aggs) == {
        "persons",
        "organisations",
        "locations",
        "sources",
        "languages",
        "authors",
        "person_ids",
        "org_ids",
        "place_ids",
        "stories",
        "published_at",
    }
    assert aggs["sources"]["terms"]["field"] == "source.domain"
    assert aggs["published_at"]["date_histogram"]["field"] == "published_at"


def test_response_becomes_the_result_model() -> None:
    response = {
        "hits": {
            "total": {"value": 1},
            "hits": [
                {
                    "_id": "a" * 32,
                    "_score": 1.5,
                    "_source": {
                        "url": "https://x.test/1",
                        "title": "T",
                        "published_at": "2024-01-01T00:00:00+00:00",
                        "source": {"domain": "x.test", "name": "X"},
                    },
                    "highlight": {"text": ["<em>runs</em>"]},
                }
            ],
        },
        "aggregations": {
            "persons": {"buckets": [{"key": "A", "doc_count": 2}]},
            "published_at": {"buckets": [{"key": 1, "key_as_string": "2024-01-01", "doc_count": 1}]},
        },
    }
    result = parse_response(response).model_dump()
    assert result["total"] == 1
    assert result["hits"][0]["highlight"] == {"text": ["<em>runs</em>"]}
    assert result["facets"]["persons"] == [{"value": "A", "count": 2, "id": None}]
    assert result["facets"]["published_at"] == [{"value": "2024-01-01", "count": 1, "id": None}]


def test_a_one_word_query_has_no_phrase_clause() -> None:
    text = build_query(SearchRequest(query="Regierung"))["query"]["bool"]["must"][0]["bool"]
    assert "should" not in text
    several = build_query(SearchRequest(query="neue Regierung"))["query"]["bool"]["must"][0]["bool"]
    assert several["should"][0]["multi_match"]["type"] == "phrase"


def test_place_filters_match_the_id_prefix_and_the_distance() -> None:
    filters = build_query(SearchRequest(place_id="place:703883", near=(48.85, 2.35, 50.0)))["query"]["bool"][
        "filter"
    ]
    assert {"prefix": {"place_ids": "place:703883|"}} in filters
    assert {"geo_distance": {"distance": "50.0km", "places": {"lat": 48.85, "lon": 2.35}}} in filters


def test_id_facet_buckets_split_into_id_and_display_name() -> None:
    response = {
        "hits": {"total": {"value": 0}, "hits": []},
        "aggregations": {"place_ids": {"buckets": [{"key": "place:703883|Crimea", "doc_count": 4}]}},
    }
    facets = parse_response(response).facets
    assert facets["place_ids"][0].model_dump() == {"value": "Crimea", "count": 4, "id": "place:703883"}


def test_facet_selections_filter_hits_and_count_each_facet_without_its_own() -> None:
    request = SearchRequest(facets=True, terms={"persons": ["A", "B"], "languages": ["de"]})
    body = build_query(request)
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"persons": ["A", "B"]}},
        {"terms": {"language": ["de"]}},
    ]
    persons = body["aggs"]["persons"]
    assert persons["filter"]["bool"]["filter"] == [{"terms": {"language": ["de"]}}]
    assert persons["aggs"]["values"]["terms"]["field"] == "persons"
    assert body["aggs"]["sources"]["filter"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]


def test_split_hits_body_filters_in_the_query_instead_of_post_filter() -> None:
    hits, facets = split_query(SearchRequest(facets=True, size=5, terms={"sources": ["a.test"]}))
    assert (
        "post_filter" not in hits
        and {"terms": {"source.domain": ["a.test"]}} in hits["query"]["bool"]["filter"]
    )
    assert (
        facets is not None
        and {"terms": {"source.domain": ["a.test"]}} not in facets["query"]["bool"]["filter"]
    )


def test_search_after_is_passed_and_sorts_end_with_the_id() -> None:
    body = build_query(SearchRequest(search_after=[1.0, 5, "abc"]))
    assert body["search_after"] == [1.0, 5, "abc"] and body["sort"][-1] == {"id": "asc"}
    assert build_query(SearchRequest(sort="date"))["sort"][-1] == {"id": "asc"}


def test_or_between_words_becomes_the_simple_query_string_operator() -> None:
    query = build_query(SearchRequest(query='inflation OR deflation "war OR peace"'))["query"]
    sqs = query["bool"]["must"][0]["bool"]["must"][0]["simple_query_string"]["query"]
    assert sqs == 'inflation | deflation "war OR peace"'


def test_unknown_facet_names_are_refused() -> None:
    with pytest.raises(ValidationError):
        SearchRequest(terms={"title": ["x"]})
