"""kill -9 of a running `newsflow index` mid-stream, then a restart: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from schemas.settings import Settings
from tests.indexing.factory import make_event
from tests.indexing.helpers import count, documents, produce_events, read_topic, wait_for

pytestmark = pytest.mark.stack
REPO = Path(__file__).resolve().parents[2]
N = 3000
# Small batches so the indexer commits often and the kill lands between commits with work in flight.
CRASH_BATCH_DOCS = 20


def _indexer_env(settings: Settings) -> dict[str, str]:
    overrides = {
        "ES_URL": settings.es_url,
        "KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "ARTICLES_TOPIC": settings.articles_topic,
        "INDEX_DLQ_TOPIC": settings.index_dlq_topic,
        "INDEX_ALIAS": settings.index_alias,
        "INDEXER_GROUP": settings.indexer_group,
        "INDEXER_BATCH_DOCS": str(CRASH_BATCH_DOCS),
        "INDEXER_LINGER_MS": "100",
    }
    return os.environ | {f"NEWSFLOW_{key}": value for key, value in overrides.items()}


def _newsflow_index(settings: Settings, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "index", *args],
        cwd=REPO,
        env=_indexer_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_kill_9_mid_stream_then_restart_loses_and_doubles_nothing(
    isettings: Settings, es: Elasticsearch
) -> None:
    events = [make_event(i, revision=1 + i % 3, salt="crash") for i in range(N)]
    first = _newsflow_index(isettings)
    producer = threading.Thread(target=produce_events, args=(isettings, events))
    producer.start()
    try:
        wait_for(
            lambda: (
                es.indices.exists_alias(name=isettings.index_alias)
                and count(es, isettings.index_alias) >= N // 5
            ),
            what="the indexer to be part-way",
        )
        indexed_at_kill = count(es, isettings.index_alias)
        first.send_signal(signal.SIGKILL)
        assert first.wait(30) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
        producer.join(120)
    assert indexed_at_kill < N, "the kill must land mid-stream"

    second = _newsflow_index(isettings, "--until-caught-up")
    _, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr.decode()[-3000:]

    docs = documents(es, isettings.index_alias)
    assert len(docs) == N
    for event in events:
        assert docs[event.id]["revision"] == event.revision == docs[event.id]["_version"]
    assert read_topic(isettings, isettings.index_dlq_topic, expected=1, timeout_s=3) == []


def test_sigterm_stops_cleanly_and_commits_what_is_indexed(isettings: Settings, es: Elasticsearch) -> None:
    events = [make_event(i, salt="term") for i in range(300)]
    produce_events(isettings, events)
    process = _newsflow_index(isettings)
    try:
        wait_for(
            lambda: (
                es.indices.exists_alias(name=isettings.index_alias)
                and count(es, isettings.index_alias) == 300
            ),
            what="all indexed",
        )
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr.decode()[-3000:]
    again = _newsflow_index(isettings, "--until-caught-up")
    _, stderr = again.communicate(timeout=120)
    assert again.returncode == 0
    assert "indexed 0," in stderr.decode(), "everything was committed before the clean stop"
