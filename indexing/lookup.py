"""One article by id, and the articles related to it by a shared key (duplicates, same story).

No user text reaches Elasticsearch here: ids and keys are exact ``term``/``ids`` lookups.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

# The article id format (schemas/article.py): anything else cannot name an article.
ARTICLE_ID_CHARS = frozenset("0123456789abcdef")
ARTICLE_ID_LENGTH = 32
# Keyword fields whose equal value relates two articles, and what the relation is called on the page.
# A field another part adds (a story id) relates articles as soon as it is listed here and in the index.
RELATED_BY: dict[str, str] = {
    "content_hash": "same text (duplicates)",
    "story_id": "same story",
}
# 20 related articles: a syndicated wire story can be on hundreds of sites; the page lists the first.
MAX_RELATED = 20
RELATED_SOURCE_FIELDS = ["id", "url", "title", "published_at", "source"]


def is_article_id(value: str) -> bool:
    return len(value) == ARTICLE_ID_LENGTH and set(value) <= ARTICLE_ID_CHARS


def get_article(es: Elasticsearch, alias: str, article_id: str) -> dict[str, Any] | None:
    """The indexed document of ``article_id`` behind ``alias``, or None (also for a malformed id)."""
    if not is_article_id(article_id):
        return None
    hits = es.search(index=alias, query={"ids": {"values": [article_id]}}, size=1).body["hits"]["hits"]
    return hits[0]["_source"] if hits else None


def related(es: Elasticsearch, alias: str, doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per relation of RELATED_BY the document has a value for: the other articles sharing it."""
    keys = {field: doc[field] for field in RELATED_BY if doc.get(field)}
    if not keys:
        return {}
    header = {"index": alias}
    searches: list[dict[str, Any]] = []
    for field, value in keys.items():
        query = {
            "bool": {"filter": [{"term": {field: value}}], "must_not": [{"ids": {"values": [doc["id"]]}}]}
        }
        searches += [header, {"query": query, "size": MAX_RELATED, "_source": RELATED_SOURCE_FIELDS}]
    responses = es.msearch(searches=searches).body["responses"]
    found = {}
    for field, response in zip(keys, responses, strict=True):
        hits = [hit["_source"] for hit in response.get("hits", {}).get("hits", [])]
        if hits:
            found[RELATED_BY[field]] = hits
    return found
