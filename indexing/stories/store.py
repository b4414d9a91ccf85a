"""The stories stage's Elasticsearch side: the ``stories`` index, and ``story_id``/``duplicate_of`` on
the articles (partial updates), each write idempotent.

Why partial updates of the indexed articles and not a second pass: the indexer owns the article
documents (whole-document writes, external versions) and the stage owns four fields of them; a
scripted update sets those fields only on the revision the stage read or a newer one, so a later
revision written by the indexer (which drops them) is followed by its own update, and a search sees
an article's story about one linger after the article itself. The script leaves an older revision
alone ('noop'): the indexer has not caught up yet, and the update is retried, as is a document not
indexed yet (404); one still missing after ``PENDING_TIMEOUT_S`` is dead-lettered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import orjson
from elasticsearch import BadRequestError, Elasticsearch

from indexing.failure_policy import item_reason
from indexing.stories.assigner import CopyGroup
from indexing.stories.clusterer import Story, StoryClusterer

STORIES_MAPPING = "stories_index.v1.json"
MGET_CHUNK = 1_000
"""Ids per multi-get of stored assignments: ~60 KB of response, one round trip per batch."""

ASSIGN_SCRIPT = (
    "if (ctx._source.revision == null || ctx._source.revision < params.revision) { ctx.op = 'noop'; }"
    " else { ctx._source.story_id = params.story_id; ctx._source.duplicate_of = params.duplicate_of; }"
)
COPIES_SCRIPT = "ctx._source.copies = params.copies; ctx._source.copy_sources = params.sources;"


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


@dataclass(frozen=True)
class Write:
    """One bulk action: ``kind`` is 'article' (its assignment), 'copies' (an original) or 'story'."""

    kind: str
    key: str
    lines: bytes


def article_write(
    alias: str, article_id: str, revision: int, story_id: str, duplicate_of: str | None
) -> Write:
    params = {"revision": revision, "story_id": story_id, "duplicate_of": duplicate_of}
    action = {"update": {"_index": alias, "_id": article_id, "retry_on_conflict": 3}}
    body = {"script": {"source": ASSIGN_SCRIPT, "lang": "painless", "params": params}}
    return Write("article", article_id, orjson.dumps(action) + b"\n" + orjson.dumps(body) + b"\n")


def copies_write(alias: str, original: str, group: CopyGroup) -> Write:
    params = {"copies": group.copies, "sources": sorted(group.sources)}
    action = {"update": {"_index": alias, "_id": original, "retry_on_conflict": 3}}
    body = {"script": {"source": COPIES_SCRIPT, "lang": "painless", "params": params}}
    return Write("copies", original, orjson.dumps(action) + b"\n" + orjson.dumps(body) + b"\n")


def story_write(index: str, document: dict[str, Any]) -> Write:
    action = {"index": {"_index": index, "_id": document["story_id"]}}
    return Write("story", document["story_id"], orjson.dumps(action) + b"\n" + orjson.dumps(document) + b"\n")


@dataclass
class WriteOutcome:
    """Per action: done, waiting for the indexer (404 or an older revision), or rejected (reason)."""

    done: list[Write] = field(default_factory=list)
    waiting: list[Write] = field(default_factory=list)
    rejected: list[tuple[Write, str, str]] = field(default_factory=list)
    unavailable: list[Write] = field(default_factory=list)


HTTP_NOT_FOUND = 404
HTTP_TOO_MANY_REQUESTS = 429
HTTP_SERVER_ERROR = 500


def send(es: Elasticsearch, writes: list[Write], request_timeout_s: float) -> WriteOutcome:
    """One bulk request; raises what the client raises when the whole request fails."""
    body = b"".join(w.lines for w in writes)
    items = es.options(request_timeout=request_timeout_s).bulk(operations=body)["items"]
    outcome = WriteOutcome()
    for write, item in zip(writes, items, strict=True):
        result = next(iter(item.values()))
        status = result["status"]
        if status < 300:
            waiting = write.kind == "article" and result.get("result") == "noop"
            (outcome.waiting if waiting else outcome.done).append(write)
        elif status == HTTP_NOT_FOUND and write.kind != "story":
            outcome.waiting.append(write)
        elif status == HTTP_TOO_MANY_REQUESTS or status >= HTTP_SERVER_ERROR:
            outcome.unavailable.append(write)
        else:
            outcome.rejected.append((write, *item_reason(result.get("error"))))
    return outcome


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
