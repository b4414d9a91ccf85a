"""Every way indexing can fail, and what the indexer does about it: one table, read before the code.

Modelled on Kafka Connect's ``behavior.on.malformed.documents`` / ``errors.tolerance``: a failure of one
record (bad event, document Elasticsearch refuses) must not stop the stream, so it is dead-lettered with
the reason; a failure of Elasticsearch itself (down, overloaded) must not lose or skip anything, so the
batch waits and is retried, forever, with the partitions paused; a bug (a request ES calls malformed, the
alias gone) stops the indexer loudly without committing past it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError

from schemas.dead_letter import Stage


class Failure(StrEnum):
    UNDECODABLE = "undecodable"  # the Kafka value is not UTF-8 JSON
    SCHEMA_INVALID = "schema_invalid"  # JSON, but not a valid ArticleEvent v1
    DOCUMENT_REJECTED = "document_rejected"  # ES per-document 4xx: mapping/parse error, too large, ...
    VERSION_CONFLICT = "version_conflict"  # ES 409: the index already holds this or a newer revision
    ES_UNAVAILABLE = "es_unavailable"  # connection error, timeout, 429, 5xx
    INDEX_MISSING = "index_missing"  # 404: the alias/index is gone (someone deleted it)
    REQUEST_INVALID = "request_invalid"  # whole-request 4xx: a bug in the indexer


class Action(StrEnum):
    OK = "ok"  # counts as indexed: the offset may be committed
    DEAD_LETTER = "dead_letter"  # to the index DLQ with the reason, then the offset may be committed
    RETRY = "retry"  # pause partitions, back off with jitter, retry the same batch; never skip
    STOP = "stop"  # raise; nothing past the failing batch is committed


POLICY: MappingProxyType[Failure, Action] = MappingProxyType(
    {
        Failure.UNDECODABLE: Action.DEAD_LETTER,
        Failure.SCHEMA_INVALID: Action.DEAD_LETTER,
        Failure.DOCUMENT_REJECTED: Action.DEAD_LETTER,
        Failure.VERSION_CONFLICT: Action.OK,
        Failure.ES_UNAVAILABLE: Action.RETRY,
        Failure.INDEX_MISSING: Action.STOP,
        Failure.REQUEST_INVALID: Action.STOP,
    }
)

# The dead-letter stage each dead-lettered failure is recorded under.
DEAD_LETTER_STAGE: MappingProxyType[Failure, Stage] = MappingProxyType(
    {
        Failure.UNDECODABLE: "decode",
        Failure.SCHEMA_INVALID: "validate",
        Failure.DOCUMENT_REJECTED: "index",
    }
)

HTTP_TOO_MANY_REQUESTS = 429
HTTP_CONFLICT = 409
HTTP_NOT_FOUND = 404
HTTP_SERVER_ERROR = 500


def _classify_status(status: int) -> Failure:
    if status == HTTP_TOO_MANY_REQUESTS or status >= HTTP_SERVER_ERROR:
        return Failure.ES_UNAVAILABLE
    if status == HTTP_NOT_FOUND:
        return Failure.INDEX_MISSING
    return Failure.REQUEST_INVALID


def classify_item(status: int) -> Failure | None:
    """One item of a bulk response: None when indexed, else its failure class."""
    if status < 300:
        return None
    if status == HTTP_CONFLICT:
        return Failure.VERSION_CONFLICT
    failure = _classify_status(status)
    return Failure.DOCUMENT_REJECTED if failure is Failure.REQUEST_INVALID else failure


def classify_exception(exc: Exception) -> Failure:
    """A whole bulk request failed: ES answered with an error status, or could not be reached at all."""
    if isinstance(exc, ApiError):
        return _classify_status(exc.meta.status)
    if isinstance(exc, TransportError | ConnectionError | TimeoutError):
        return Failure.ES_UNAVAILABLE
    raise exc


def item_reason(error: dict[str, Any] | None) -> tuple[str, str]:
    """(short reason, detail) from a bulk item's ``error`` object, e.g. ``es:document_parsing_exception``."""
    if not error:
        return "es:unknown", ""
    detail = str(error.get("reason", ""))
    cause = error.get("caused_by") or {}
    if cause:
        detail = f"{detail}: {cause.get('type', '')}: {cause.get('reason', '')}"
    return f"es:{error.get('type', 'unknown')}", detail


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter for ``Action.RETRY``.

    ``initial_ms`` = 500: long enough that a 429 (full write queue) or a GC pause has drained, short
    enough that a blip costs under a second. ``max_ms`` = 30 000: bounds how late the indexer notices
    that a restarted node (10-60 s to start) is back. Half of each delay is random so that several
    indexers in one group do not retry in lockstep.
    """

    initial_ms: int = 500
    max_ms: int = 30_000

    def delay_s(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        ceiling_ms = min(self.max_ms, self.initial_ms * 2 ** min(attempt, 30))
        jitter = (rng or random).uniform(0, ceiling_ms / 2)
        return (ceiling_ms / 2 + jitter) / 1000
