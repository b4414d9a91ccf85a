"""Fixtures for indexing tests: unique topic, DLQ topic, alias and group per test on the real stack."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from confluent_kafka.admin import AdminClient, NewTopic
from elasticsearch import Elasticsearch, NotFoundError

from indexing import templates
from schemas.settings import Settings

TEST_PARTITIONS = 3


@pytest.fixture()
def es(stack: Settings) -> Iterator[Elasticsearch]:
    client = Elasticsearch(stack.es_url)
    yield client
    client.close()


@pytest.fixture()
def isettings(stack: Settings, run_id: str, es: Elasticsearch) -> Iterator[Settings]:
    """Settings naming this test's own topics, alias and group; small batches so commits happen often."""
    settings = stack.model_copy(
        update={
            "articles_topic": f"articles-{run_id}",
            "index_dlq_topic": f"articles.index-dlq-{run_id}",
            "index_alias": f"articles-{run_id}",
            "indexer_group": f"newsflow-indexer-{run_id}",
            "indexer_batch_docs": 50,
            "indexer_linger_ms": 200,
        }
    )
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    topics = [NewTopic(settings.articles_topic, TEST_PARTITIONS, 1), NewTopic(settings.index_dlq_topic, 1, 1)]
    for future in admin.create_topics(topics).values():
        future.result()
    yield settings
    for future in admin.delete_topics([t.topic for t in topics]).values():
        with contextlib.suppress(Exception):
            future.result()
    indices = es.indices.get(index=f"{settings.index_alias}-v*", allow_no_indices=True).body
    if indices:
        es.indices.delete(index=",".join(indices))
    with contextlib.suppress(NotFoundError):
        es.indices.delete_index_template(name=templates.template_name(settings.index_alias))
