"""The dead-letter record: why one page or event did not make it, self-explanatory on its own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stage = Literal[
    "discover",  # a source (feed, sitemap, list, archive) could not be read
    "fetch",  # HTTP failure after retries, timeout, too large, wrong content type
    "robots",  # disallowed by robots.txt
    "ssrf",  # refused: resolves to a private/loopback/link-local address not allow-listed
    "extract",  # not an article, or extraction failed
    "enrich",  # language/NER/dates failed
    "validate",  # the event does not match the schema
    "publish",  # Kafka refused the message
    "decode",  # (indexer) the Kafka message is not a valid event
    "index",  # (indexer) Elasticsearch rejected the document
    "stories",  # (stories stage) an article's story or duplicate could not be written
]


class DeadLetter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    article_id: str | None = None
    source: str | None = None
    stage: Stage
    reason: str = Field(description="short machine-friendly reason, e.g. 'http_status:500'")
    detail: str | None = Field(default=None, description="human-readable explanation / error text")
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    topic: str | None = Field(default=None, description="(indexer) where the bad message came from")
    partition: int | None = None
    offset: int | None = None
