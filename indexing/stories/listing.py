"""``newsflow stories``: the largest, most recent stories in the ``stories`` index (query and call)."""

from __future__ import annotations

import re
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from pydantic import BaseModel

DEFAULT_SIZE = 20
_RELATIVE = re.compile(r"(\d+)([smhdwMy])")


class StorySummary(BaseModel):
    story_id: str
    title: str
    summary: str
    first_seen: str
    last_seen: str
    article_count: int
    source_count: int
    sources: list[str]
    top_entities: list[str]
    languages: list[str]
    updated_at: str


def since_bound(since: str) -> str:
    """``24h``/``7d`` as ES date math (``now-24h``); any other value is passed as a date (``2024-05-01``)."""
    return f"now-{since}" if _RELATIVE.fullmatch(since) else since


def build_query(since: str | None, size: int, min_articles: int) -> dict[str, Any]:
    """Stories newsflow saw grow since ``since`` (``updated_at``), largest first, then most recent."""
    filters: list[dict[str, Any]] = [{"range": {"article_count": {"gte": min_articles}}}]
    if since:
        filters.append({"range": {"updated_at": {"gte": since_bound(since)}}})
    return {
        "query": {"bool": {"filter": filters}},
        "sort": [{"article_count": "desc"}, {"last_seen": "desc"}, {"story_id": "asc"}],
        "size": size,
    }


def list_stories(
    es: Elasticsearch, index: str, since: str | None = None, size: int = DEFAULT_SIZE, min_articles: int = 1
) -> list[StorySummary]:
    """The stories of :func:`build_query`; none if the index does not exist yet."""
    try:
        response = es.search(index=index, body=build_query(since, size, min_articles))
    except NotFoundError:
        return []
    return [StorySummary.model_validate(hit["_source"]) for hit in response["hits"]["hits"]]
