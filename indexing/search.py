"""Full-text and faceted search over the articles alias: a pure query builder and a thin executor.

User text only ever reaches Elasticsearch through ``simple_query_string`` and ``multi_match``, which
never fail on syntax and cannot address fields or run expensive queries the way ``query_string`` can.
"""

from __future__ import annotations

import copy
import re
import time
from datetime import datetime
from typing import Any, Literal

from elasticsearch import Elasticsearch
from pydantic import BaseModel, ConfigDict, Field, field_validator

from indexing.documents import ANALYSED_LANGUAGES, ID_SEPARATOR, language_field

Sort = Literal["relevance", "date"]

# Relevance weights, set by eye on the corpus: a word in the title says more about what the article is
# about than one in the lead (description), which says more than one deep in the text. A phrase match
# adds on top of the word matches, so "European Central Bank" ranks the exact phrase first.
TITLE_BOOST = 3.0
DESCRIPTION_BOOST = 2.0
TEXT_BOOST = 1.0
PHRASE_BOOST = 2.0

# Highlights: 150-character fragments are about two lines in a terminal; 3 of them show the context
# without printing the article. Titles are short, so they come back whole (0 fragments = whole field).
# Only title and text are highlighted (what `newsflow search` shows): each highlighted field costs a pass
# over the top hits' postings, and the description repeats the text's lead. The language fields are not in
# _source: a match on one (a stemmed word) is highlighted in its main field's text through matched_fields.
HIGHLIGHT_FRAGMENT_CHARS = 150
HIGHLIGHT_TEXT_FRAGMENTS = 3

DEFAULT_SIZE = 10
# Elasticsearch's index.max_result_window (default 10,000): a deeper page is refused by the server.
MAX_SIZE = 10_000
# Elasticsearch 8 caps the clauses of one search by its heap and search threads. Each word of a query becomes
# one clause per text field (12: title, description and text, each plain and in 3 languages), plus a position
# in the phrase clause: on the 512 MB 2-core local node 600 distinct words passed, 800 were refused ("too many
# clauses") and 1,000 timed out. 64 words is 10x under that and far above what anyone types; a longer query
# is pasted text, not a search. Re-check (tests/indexing/test_search_limits.py) after changing the fields.
MAX_QUERY_WORDS = 64
DEFAULT_FACET_SIZE = 10
# Month buckets: a news archive spans years; per-day buckets would be thousands of bars.
DEFAULT_HISTOGRAM_INTERVAL = "month"

# facet name -> keyword field it counts (and filters, through SearchRequest.terms). A new facet is one line
# here; the search page lists it with its counts and filter chips without further code.
FACET_FIELDS: dict[str, str] = {
    "persons": "persons",
    "organisations": "organisations",
    "locations": "locations",
    "sources": "source.domain",
    "languages": "language",
    "authors": "authors",
    # by id, named for display ("<id>|<name>" values, split by parse_response)
    "person_ids": "person_ids",
    "org_ids": "org_ids",
    "place_ids": "place_ids",
    "stories": "story_id",
}
ID_FACETS = frozenset({"person_ids", "org_ids", "place_ids"})
HISTOGRAM_FACET = "published_at"
HIT_SOURCE_FIELDS = ["id", "url", "title", "published_at", "source", "story_id"]

# Broad searches on a large index (docs/benchmarks.md, "Sizing"). Counting every match of a word found in
# half of 1M articles costs more than finding its 10 best hits: with the count bounded, Lucene skips the
# blocks of postings that cannot reach the top hits (block-max WAND on the score, the points of
# published_at for the date sort). 10,000 is Elasticsearch's own default bound and the deepest page a
# search can reach (MAX_SIZE); beyond it the result says "at least" (SearchResult.total_exact).
TOTAL_HITS_BOUND = 10_000
# The facets of a broad search are counted on a random sample of its matches (``random_sampler``), counts
# scaled back up and marked approximate: a fixed cost (~SAMPLED_DOCS documents) whatever the match count.
# 20,000 sampled documents: a value with 5 % of the matches (1,000 in the sample) is counted within ~3 %
# (1/sqrt(1,000)); the top-10 of a facet is stable from run to run (fixed seed).
SAMPLED_DOCS = 20_000
# Fewer sampled documents than this and the facets are counted again with a probability from the estimated
# match count (a narrow query on a big index), exactly when that probability would be >= MAX_PROBABILITY.
MIN_SAMPLED_DOCS = 2_000
# Elasticsearch's random_sampler takes a probability <= 0.5 (or 1); above it, sampling saves little anyway.
MAX_PROBABILITY = 0.5
# Same documents sampled by every search of the same index: repeated searches (paging, facet clicks) show
# the same counts and the shard request cache can keep them.
SAMPLER_SEED = 13
SAMPLE_AGG = "sample"
# How long the index's document count (which decides whether facets are sampled) is reused: it only picks a
# probability, and a stale one is corrected by the resampling (MIN_SAMPLED_DOCS); 30 s saves a round trip
# per faceted search (a wait of its own on a busy node) while an index that grows past the threshold is
# sampled within half a minute.
DOC_COUNT_TTL_S = 30.0
# Sources listed per original in "N copies (a, b, ...)": a wire story can have hundreds of copies.
COPY_SOURCES_SHOWN = 20


class SearchRequest(BaseModel):
    """What ``newsflow search`` can ask; dates are ES dates or date math (``2024-05-01``, ``now-7d``)."""

    model_config = ConfigDict(extra="forbid")

    query: str = ""
    person: str | None = None
    org: str | None = None
    location: str | None = None
    source: str | None = None
    lang: str | None = None
    story: str | None = None
    # Copies (articles with ``duplicate_of``, set by the stories stage) are left out unless asked: one hit
    # per group, the original, which counts its ``copies``.
    all_copies: bool = False
    since: str | None = None
    until: str | None = None
    place_id: str | None = Field(default=None, description="a place id, e.g. place:703883")
    near: tuple[float, float, float] | None = Field(default=None, description="latitude, longitude, km")
    sort: Sort = "relevance"
    size: int = Field(default=DEFAULT_SIZE, ge=0, le=MAX_SIZE)
    facets: bool = False
    facet_size: int = Field(default=DEFAULT_FACET_SIZE, ge=1, le=1_000)
    histogram_interval: str = DEFAULT_HISTOGRAM_INTERVAL
    # Facet selections by FACET_FIELDS name: OR within a facet, AND across facets; each facet is counted as
    # if its own selection were not there (the other values stay visible, ready for multi-select).
    terms: dict[str, list[str]] = Field(default_factory=dict)
    # Which facets to count (None: all); the date histogram is always counted when ``facets`` is on.
    facet_names: list[str] | None = None
    # Deep pagination: the ``sort`` values of the previous page's last hit (SearchHit.sort).
    search_after: list[str | int | float | None] | None = None
    # _source fields the hits carry besides HIT_SOURCE_FIELDS (the page shows entities and language).
    hit_fields: list[str] = Field(default_factory=list)
    # Highlights cost a pass over each hit's postings: an export of thousands of rows turns them off.
    highlight: bool = True
    # Count every match and every facet exactly, however many articles match (slow on millions); by default
    # a broad search on a large index says "at least 10,000" or an estimate, and samples its facets.
    exact: bool = False

    @field_validator("terms", "facet_names")
    @classmethod
    def _known_facets(cls, value: Any) -> Any:
        unknown = set(value or ()) - set(FACET_FIELDS)
        if unknown:
            raise ValueError(f"unknown facets {sorted(unknown)}; known: {sorted(FACET_FIELDS)}")
        return value

    @field_validator("query")
    @classmethod
    def _not_too_long(cls, value: str) -> str:
        words = len(value.split())
        if words > MAX_QUERY_WORDS:
            raise ValueError(
                f"the query has {words} words, more than the {MAX_QUERY_WORDS} a search can take: "
                "keep its most distinctive words"
            )
        return value

    @field_validator("since", "until")
    @classmethod
    def _is_date(cls, value: str | None) -> str | None:
        if value is not None and not is_search_date(value):
            raise ValueError(
                f"{value!r} is not a date: use 2024-05-01, 2024-05-01T08:00:00Z or date math such as now-7d"
            )
        return value


# Elasticsearch date math: ``now`` or ``<date>||``, then steps (``-7d``, ``+1M``), then an optional rounding.
DATE_MATH = re.compile(r"(now|(?P<anchor>[0-9T:.+-]+Z?)\|\|)([+-][0-9]+[yMwdhHms])*(/[yMwdhHms])?")
# A year or a year-month, which the ``date`` field's default format (strict_date_optional_time) takes too.
PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2})?")


def _is_iso_date(value: str) -> bool:
    if PARTIAL_DATE.fullmatch(value):
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_search_date(value: str) -> bool:
    """``value`` is a date ``--since``/``--until`` can send: ISO 8601, or date math from now or a date."""
    math = DATE_MATH.fullmatch(value)
    if math is not None:
        return math.group("anchor") is None or _is_iso_date(math.group("anchor"))
    return _is_iso_date(value)


class SearchHit(BaseModel):
    id: str
    url: str
    title: str | None
    published_at: str | None
    source: dict[str, str]
    score: float | None
    highlight: dict[str, list[str]]
    sort: list[Any] | None = None  # pass as SearchRequest.search_after for the next page
    fields: dict[str, Any] = Field(default_factory=dict)  # the SearchRequest.hit_fields
    story_id: str | None = None
    copies: int = 0
    copy_sources: list[str] = Field(default_factory=list)


class FacetBucket(BaseModel):
    value: str
    count: int
    id: str | None = None  # id facets: the entity id; value is its display name


class SearchResult(BaseModel):
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetBucket]] = Field(default_factory=dict)
    # False: ``total`` is a lower bound (TOTAL_HITS_BOUND) or, with ``total_estimated``, an estimate from the
    # facets' sample.
    total_exact: bool = True
    total_estimated: bool = False
    # The sampling probability when the facets were counted on a sample (counts scaled up), else None.
    facets_sample: float | None = None

    @property
    def approximate(self) -> bool:
        """The total or the facet counts are estimates (shown with "≈")."""
        return not self.total_exact or self.facets_sample is not None

    def total_label(self) -> str:
        """The total as shown: ``1,234``, ``≈ 480,000`` (estimated from the sample) or ``≥ 10,000``."""
        if self.total_exact:
            return f"{self.total:,}"
        return f"≈ {self.total:,}" if self.total_estimated else f"≥ {self.total:,}"


def with_language_fields(name: str) -> list[str]:
    """A text field and its language copies: ``title``, ``title_en``, ``title_fr``, ``title_de``. An article
    has at most the copy of its own language; the others simply do not match it."""
    return [name, *(language_field(name, language) for language in ANALYSED_LANGUAGES)]


def text_fields() -> list[str]:
    """Every analysed text field with its boost: the standard field and each language field."""
    fields = []
    for name, boost in (("title", TITLE_BOOST), ("description", DESCRIPTION_BOOST), ("text", TEXT_BOOST)):
        fields.extend(f"{field}^{boost:g}" for field in with_language_fields(name))
    return fields


def _keyword_filter(field: str, value: str) -> dict[str, Any]:
    return {"term": {field: {"value": value, "case_insensitive": True}}}


def _filters(request: SearchRequest) -> list[dict[str, Any]]:
    filters = []
    if request.person:
        filters.append(_keyword_filter("persons", request.person))
    if request.org:
        filters.append(_keyword_filter("organisations", request.org))
    if request.location:
        filters.append(_keyword_filter("locations", request.location))
    if request.source:
        filters.append(
            {
                "bool": {
                    "should": [
                        _keyword_filter("source.domain", request.source),
                        _keyword_filter("source.name", request.source),
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    if request.lang:
        filters.append(_keyword_filter("language", request.lang))
    if request.place_id:
        filters.append({"prefix": {"place_ids": request.place_id + ID_SEPARATOR}})
    if request.near:
        lat, lon, km = request.near
        filters.append({"geo_distance": {"distance": f"{km}km", "places": {"lat": lat, "lon": lon}}})
    if request.story:
        filters.append({"term": {"story_id": request.story}})
    if request.since or request.until:
        bounds = {"gte": request.since, "lte": request.until}
        filters.append({"range": {"published_at": {k: v for k, v in bounds.items() if v}}})
    return filters


# One word of Latin letters or digits (accents included) and nothing else: a single token in every text
# field's analyzer. Anything else (several words, operators, quotes, scripts split per character) keeps the
# phrase clause.
SINGLE_WORD = re.compile(r"\s*[0-9A-Za-z\u00C0-\u024F]+\s*")


# "OR" between words, as readers type it, is simple_query_string's "|" (outside quotes: a phrase keeps it).
OR_WORD = re.compile(r"\s+OR\s+")


def _with_or_operator(query: str) -> str:
    parts = query.split('"')
    return '"'.join(OR_WORD.sub(" | ", part) if i % 2 == 0 else part for i, part in enumerate(parts))


def _text_query(query: str) -> dict[str, Any]:
    """Every word in some text field (stemmed or not), plus a bonus for the words as a phrase.

    The phrase clause is left out for one-word queries: there it only re-adds the same term's score, and on a
    word found in most articles it doubled the cost of the query (docs/benchmarks.md, "Indexing and search").
    """
    if not query.strip():
        return {"match_all": {}}
    words: dict[str, Any] = {
        "simple_query_string": {
            "query": _with_or_operator(query),
            "fields": text_fields(),
            "default_operator": "and",
        }
    }
    if SINGLE_WORD.fullmatch(query):
        return {"bool": {"must": [words]}}
    phrase_fields = [f"title^{TITLE_BOOST:g}", f"description^{DESCRIPTION_BOOST:g}", "text"]
    phrase = {
        "multi_match": {"query": query, "type": "phrase", "fields": phrase_fields, "boost": PHRASE_BOOST}
    }
    return {"bool": {"must": [words], "should": [phrase]}}


def _term_filters(request: SearchRequest, skip: str | None = None) -> list[dict[str, Any]]:
    """The facet selections (exact values, as the facets count them), but the ``skip`` facet's own."""
    return [
        {"terms": {FACET_FIELDS[name]: values}}
        for name, values in request.terms.items()
        if values and name != skip
    ]


def _sort(sort: Sort) -> list[Any]:
    """The article id breaks ties, so ``search_after`` pages neither skip nor repeat an article."""
    by_date = {"published_at": {"order": "desc", "missing": "_last"}}
    by_id = {"id": "asc"}
    return ["_score", by_date, by_id] if sort == "relevance" else [by_date, "_score", by_id]


def _highlight() -> dict[str, Any]:
    fields = {
        name: {"number_of_fragments": fragments, "matched_fields": with_language_fields(name)}
        for name, fragments in (("title", 0), ("text", HIGHLIGHT_TEXT_FRAGMENTS))
    }
    return {"fields": fields, "fragment_size": HIGHLIGHT_FRAGMENT_CHARS, "encoder": "html"}


def _filtered(agg: dict[str, Any], filters: list[dict[str, Any]]) -> dict[str, Any]:
    """``agg`` under a filter aggregation (its buckets then sit under ``values``), or as is."""
    return {"filter": {"bool": {"filter": filters}}, "aggs": {"values": agg}} if filters else agg


def _aggregations(request: SearchRequest) -> dict[str, Any]:
    """Each facet counted under every facet selection but its own (disjunctive facets); the query itself
    then leaves the selections out (they go to ``post_filter``)."""
    names = FACET_FIELDS if request.facet_names is None else request.facet_names
    aggs: dict[str, Any] = {
        name: _filtered(
            {"terms": {"field": FACET_FIELDS[name], "size": request.facet_size}}, _term_filters(request, name)
        )
        for name in names
    }
    histogram = {
        "date_histogram": {
            "field": "published_at",
            "calendar_interval": request.histogram_interval,
            "format": "yyyy-MM-dd",
            "min_doc_count": 1,
        }
    }
    aggs[HISTOGRAM_FACET] = _filtered(histogram, _term_filters(request))
    return aggs


def build_query(request: SearchRequest) -> dict[str, Any]:
    """The ``_search`` request body for ``request`` (pure; see docs/search.md for the same by hand).

    ``track_total_hits`` is bounded (TOTAL_HITS_BOUND) unless ``request.exact``: then Lucene skips the
    postings that cannot make the top hits. Without a text query every match scores the same, so the
    relevance order is the date order: sorted by date first, the bounded count skips by date too.
    No ``track_scores``: ``_score`` is in every sort, so each hit carries its score anyway, and asking for
    it again made Lucene score every match (no skipping: 2.8x the collector time of a bounded search for
    an every-article word at 1M, docs/benchmarks.md "Sizing").
    """
    selected = _term_filters(request)
    faceted = request.facets and selected
    query: dict[str, Any] = {
        "must": [_text_query(request.query)],
        "filter": _filters(request) + ([] if faceted else selected),
    }
    if not request.all_copies:  # one hit per group of copies: the first seen (docs/search.md)
        query["must_not"] = [{"exists": {"field": "duplicate_of"}}]
    body: dict[str, Any] = {
        "query": {"bool": query},
        "size": request.size,
        "sort": _sort(request.sort if request.query.strip() else "date"),
        "track_total_hits": True if request.exact else TOTAL_HITS_BOUND,
        "_source": list(dict.fromkeys(HIT_SOURCE_FIELDS + request.hit_fields)),
    }
    if faceted:
        body["post_filter"] = {"bool": {"filter": selected}}
    if request.search_after is not None:
        body["search_after"] = request.search_after
    if request.query.strip() and request.highlight:
        body["highlight"] = _highlight()
    if request.facets:
        body["aggs"] = _aggregations(request)
    return body


def _bucket(facet: str, bucket: dict[str, Any]) -> FacetBucket:
    value = str(bucket.get("key_as_string", bucket["key"]))
    if facet in ID_FACETS and ID_SEPARATOR in value:
        entity_id, name = value.split(ID_SEPARATOR, 1)
        return FacetBucket(value=name, count=bucket["doc_count"], id=entity_id)
    return FacetBucket(value=value, count=bucket["doc_count"])


def parse_response(response: dict[str, Any]) -> SearchResult:
    """The ``_search`` response as a :class:`SearchResult` (facets under a ``random_sampler`` included)."""
    hits = []
    for hit in response["hits"]["hits"]:
        doc = hit["_source"]
        hits.append(
            SearchHit(
                id=hit["_id"],
                url=doc.get("url", ""),
                title=doc.get("title"),
                published_at=doc.get("published_at"),
                source=doc.get("source", {}),
                score=hit.get("_score"),
                highlight=hit.get("highlight", {}),  # per base field: matched_fields
                sort=hit.get("sort"),
                fields={k: v for k, v in doc.items() if k not in HIT_SOURCE_FIELDS},
                story_id=doc.get("story_id"),
            )
        )
    aggregations = response.get("aggregations", {})
    sample = aggregations.get(SAMPLE_AGG)
    if sample is not None:
        aggregations = {k: v for k, v in sample.items() if isinstance(v, dict)}
    facets = {}
    for name, agg in aggregations.items():
        facets[name] = [_bucket(name, bucket) for bucket in agg.get("values", agg)["buckets"]]
    total = response["hits"]["total"]
    return SearchResult(
        total=total["value"], total_exact=total.get("relation", "eq") == "eq", hits=hits, facets=facets
    )


def split_query(request: SearchRequest) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """:func:`build_query` as two bodies: the hits (scored, sorted, highlighted) and, when facets are asked
    with hits, the facets alone (``size: 0``, same query, every match counted), else None.

    Elasticsearch runs the two side by side (``_msearch``), so the facets cost no more latency than the hits
    when a core is free; and a ``size: 0`` body is what the shard request cache keeps, so the facets of a
    repeated query come from the cache until the index changes.
    """
    body = build_query(request)
    if "aggs" not in body or request.size == 0:
        return body, None
    facets = {
        "size": 0,
        "query": copy.deepcopy(body["query"]),
        "track_total_hits": True,
        "aggs": body.pop("aggs"),
    }
    if "post_filter" in body:  # without aggregations the selections filter the hits directly
        body["query"]["bool"]["filter"].extend(body.pop("post_filter")["bool"]["filter"])
    return body, facets


def sample_probability(matches: int) -> float | None:
    """The ``random_sampler`` probability that counts ~SAMPLED_DOCS of ``matches`` documents, or None when
    that would be above MAX_PROBABILITY (count them all)."""
    probability = SAMPLED_DOCS / max(matches, 1)
    return probability if probability <= MAX_PROBABILITY else None


def sampled(facets: dict[str, Any], probability: float) -> dict[str, Any]:
    """The facets body with its aggregations on a random sample of the matches (counts scaled up by
    Elasticsearch), without the exact total count (the sample estimates it)."""
    sampler = {"probability": probability, "seed": SAMPLER_SEED}
    return facets | {
        "track_total_hits": False,
        "aggs": {SAMPLE_AGG: {"random_sampler": sampler, "aggs": facets["aggs"]}},
    }


def copies_query(ids: list[str]) -> dict[str, Any]:
    """How many copies (``duplicate_of`` = the id) each of these originals has, and from which sources."""
    sources = {"terms": {"field": "source.domain", "size": COPY_SOURCES_SHOWN}}
    return {
        "size": 0,
        "query": {"terms": {"duplicate_of": ids}},
        "aggs": {
            "originals": {"terms": {"field": "duplicate_of", "size": len(ids)}, "aggs": {"sources": sources}}
        },
    }


def count_copies(es: Elasticsearch, alias: str, result: SearchResult) -> SearchResult:
    """The hits with their ``copies`` and ``copy_sources``, counted (not stored, see stories/store.py)."""
    if not result.hits:
        return result
    buckets = es.search(index=alias, body=copies_query([h.id for h in result.hits]))["aggregations"][
        "originals"
    ]
    counts = {
        b["key"]: (b["doc_count"], [s["key"] for s in b["sources"]["buckets"]]) for b in buckets["buckets"]
    }
    for hit in result.hits:
        hit.copies, hit.copy_sources = counts.get(hit.id, (0, []))
    return result


class SearchFailed(RuntimeError):
    """Elasticsearch answered one part of a multi-search with an error (its type and reason)."""


def search(es: Elasticsearch, alias: str, request: SearchRequest) -> SearchResult:
    """Run ``request`` against ``alias``: one ``_search``, or hits and facets in one ``_msearch``; then, with
    copies collapsed (the default), one more request counts each hit's copies."""
    result = _search(es, alias, request)
    return result if request.all_copies else count_copies(es, alias, result)


_doc_counts: dict[tuple[int, str], tuple[float, int]] = {}


def _index_docs(es: Elasticsearch, alias: str) -> int:
    """Documents behind ``alias`` (Lucene keeps the number: a cheap count), reused for DOC_COUNT_TTL_S."""
    key = (id(es.transport), alias)
    now = time.monotonic()
    cached = _doc_counts.get(key)
    if cached is not None and now - cached[0] < DOC_COUNT_TTL_S:
        return cached[1]
    count = int(es.count(index=alias)["count"])
    _doc_counts[key] = (now, count)
    return count


def _msearch(es: Elasticsearch, alias: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    header = {"index": alias}
    searches = [part for body in bodies for part in (header, body)]
    responses = es.msearch(searches=searches).body["responses"]
    for response in responses:
        if "error" in response:
            error = response["error"]
            causes = "; ".join(f"{c.get('type')}: {c.get('reason')}" for c in error.get("root_cause", []))
            raise SearchFailed(
                f"{response.get('status')}: {error.get('type')}: {error.get('reason')}"
                + (f" ({causes})" if causes else "")
            )
    return responses


def _search(es: Elasticsearch, alias: str, request: SearchRequest) -> SearchResult:
    hits_body, facets_body = split_query(request)
    if facets_body is None:
        return parse_response(es.search(index=alias, body=hits_body).body)
    # Sampled only on an index big enough (cheap to count: Lucene keeps the number of live documents).
    probability = None if request.exact else sample_probability(_index_docs(es, alias))
    # With facet values selected, the hits are filtered by them and the facets are not (a facet counts the
    # values its own selection would add): the facets' count is then not the hits' total.
    same_matches = facets_body["query"] == hits_body["query"]
    if probability is None:
        hits, facets = _msearch(es, alias, [hits_body, facets_body])
        return _with_facets(hits, facets, None, same_matches=same_matches)
    hits, facets = _msearch(es, alias, [hits_body, sampled(facets_body, probability)])
    seen = facets["aggregations"][SAMPLE_AGG]["doc_count"]
    if seen < MIN_SAMPLED_DOCS:
        # A narrow query on a big index: too few sampled matches; sample again in proportion to its matches
        # (exact count when the hits already counted them all), or count them all.
        exact = hits["hits"]["total"]["relation"] == "eq"
        matches = hits["hits"]["total"]["value"] if exact else round(seen / probability)
        probability = sample_probability(matches)
        body = facets_body if probability is None else sampled(facets_body, probability)
        [facets] = _msearch(es, alias, [body])
        if probability is None:
            return _with_facets(hits, facets, None, same_matches=same_matches)
        seen = facets["aggregations"][SAMPLE_AGG]["doc_count"]
    return _with_facets(
        hits, facets, probability, estimated_total=round(seen / probability), same_matches=same_matches
    )


def _with_facets(
    hits: dict[str, Any],
    facets: dict[str, Any],
    probability: float | None,
    estimated_total: int = 0,
    *,
    same_matches: bool,
) -> SearchResult:
    """The hits' result with the facets' aggregations. Its total: the hits' own when exact or when the
    facets counted other matches (``same_matches`` false: facet values selected); else the facets' exact
    count, or the larger of the hits' lower bound and the sample's estimate."""
    result = parse_response(hits | {"aggregations": facets["aggregations"]})
    if result.total_exact or not same_matches:
        return result.model_copy(update={"facets_sample": probability})
    if probability is None:
        total = facets["hits"]["total"]
        return result.model_copy(update={"total": total["value"], "total_exact": total["relation"] == "eq"})
    estimated = estimated_total > result.total
    return result.model_copy(
        update={
            "total": estimated_total if estimated else result.total,
            "total_estimated": estimated,
            "facets_sample": probability,
        }
    )
