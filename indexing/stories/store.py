"""The stories stage's Elasticsearch side: the ``stories`` index, and ``story_id``/``duplicate_of`` on
the articles, each write idempotent.

Why the stage writes each article's whole document again (a second pass) and not a partial update:
the indexer writes an article at ``version = revision`` (external versioning) and a partial update
bumps the document's internal version, after which the indexer's next revision would be refused
(409) and lost. So the stage writes the same document as the indexer (``to_index_document``, from
the event it read) plus its story fields, with ``version_type=external_gte`` at the event's revision:
whichever of the two writers comes second, the document of that revision ends up with its story
(the indexer's write after the stage's is a 409, which it counts as done), and an older revision
never replaces a newer one. The stage therefore does not wait for the indexer. Copy counts of an
original are not stored on it (that would be a write to a document of another revision): search counts
them with one aggregation over ``duplicate_of`` (``indexing/search.py``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import orjson
from elasticsearch import BadRequestError, Elasticsearch

from indexing import bulk
from indexing.documents import to_index_document
from indexing.offsets import TopicPartition
from indexing.stories.clusterer import Story, StoryClusterer
from schemas.article import ArticleEvent

STORIES_MAPPING = "stories_index.v1.json"
MGET_CHUNK = 1_000
"""Ids per multi-get of stored assignments: ~60 KB of response, one round trip per batch."""


def ensure_stories_index(es: Elasticsearch, index: str) -> None:
    """Create the stories index from ``schemas/stories_index.v1.json`` if missing."""
    body = json.loads(resources.files("schemas").joinpath(STORIES_MAPPING).read_text("utf-8"))
    try:
        es.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":
            raise


def story_document(story: Story, clusterer: StoryClusterer) -> dict[str, Any]:
    """The ``stories`` index document of a live story."""
    return {
        "story_id": story.id,
        "title": story.title,
        "summary": story.summary,
        "first_seen": story.first_seen.isoformat(),
        "last_seen": story.last_seen.isoformat(),
        "article_count": story.article_count,
        "source_count": len(story.sources),
        "sources": sorted(story.sources, key=lambda s: (-story.sources[s], s)),
        "top_entities": clusterer.top_entities(story),
        "languages": sorted(story.languages),
        "updated_at": datetime.now(UTC).isoformat(),
    }


def article_record(
    tp: TopicPartition, offset: int, event: ArticleEvent, alias: str, story_id: str, duplicate_of: str | None
) -> bulk.IndexRecord:
    """The article's whole index document plus its story fields, at its revision (``external_gte``)."""
    document = to_index_document(event) | {"story_id": story_id, "duplicate_of": duplicate_of}
    action = {
        "_index": alias,
        "_id": event.id,
        "version": event.revision,
        "version_type": "external_gte",
        "require_alias": True,
    }
    lines = orjson.dumps({"index": action}) + b"\n" + orjson.dumps(document) + b"\n"
    return bulk.IndexRecord(tp, offset, event.id, event.revision, event.url, event.source.domain, lines)


def story_record(tp: TopicPartition, offset: int, index: str, document: dict[str, Any]) -> bulk.IndexRecord:
    """A story's document (the stage is its only writer: last write wins); ``tp``/``offset`` name the
    record that changed it, for a dead letter."""
    action = {"index": {"_index": index, "_id": document["story_id"]}}
    lines = orjson.dumps(action) + b"\n" + orjson.dumps(document) + b"\n"
    return bulk.IndexRecord(tp, offset, document["story_id"], 0, "", "", lines)


def stored_assignments(es: Elasticsearch, alias: str, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    """``article id -> (story_id, duplicate_of)`` of the given articles that already have a story."""
    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(ids), MGET_CHUNK):
        chunk = ids[start : start + MGET_CHUNK]
        docs = es.mget(index=alias, ids=chunk, source_includes=["story_id", "duplicate_of"])["docs"]
        for doc in docs:
            source = doc.get("_source") or {}
            if doc.get("found") and source.get("story_id"):
                found[doc["_id"]] = (source["story_id"], source.get("duplicate_of"))
    return found
