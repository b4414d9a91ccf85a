"""An Elasticsearch outage during indexing logs one line when it starts and one when it ends."""

from __future__ import annotations

import logging
import threading

import pytest
from elasticsearch import Elasticsearch

from indexing import indexer, templates
from indexing.failure_policy import Backoff
from schemas.settings import Settings
from tests.indexing.factory import make_event
from tests.indexing.helpers import TcpProxy, count, produce_events, wait_for

pytestmark = pytest.mark.stack
N = 40
CLIENT_LOGGERS = ("elastic_transport", "elasticsearch", "urllib3")


def test_elasticsearch_outage_logs_one_line_down_and_one_back(
    isettings: Settings, es: Elasticsearch, caplog: pytest.LogCaptureFixture
) -> None:
    node = es.transport.node_pool.get().config
    proxy = TcpProxy((node.host, node.port))
    templates.ensure_index(es, isettings.index_alias)
    member = indexer.Indexer(
        isettings, es=Elasticsearch(proxy.url, request_timeout=5), backoff=Backoff(initial_ms=100, max_ms=300)
    )
    thread = threading.Thread(target=member.run)
    with caplog.at_level(logging.INFO):
        thread.start()
        try:
            produce_events(isettings, [make_event(i, salt="noise") for i in range(N // 2)])
            wait_for(lambda: count(es, isettings.index_alias) == N // 2, what="first half indexed")
            proxy.cut_off()
            produce_events(isettings, [make_event(i, salt="noise") for i in range(N // 2, N)])
            wait_for(lambda: proxy.refused >= 10, what="10 refused attempts")
            proxy.restore()
            wait_for(lambda: count(es, isettings.index_alias) == N, what="all N after ES is back")
        finally:
            member.stop()
            thread.join(60)
            proxy.close()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [r for r in warnings if r.name.startswith(CLIENT_LOGGERS)], "client retries are not logged"
    ours = [r.getMessage() for r in warnings if r.name == indexer.__name__]
    assert len(ours) == 2, ours
    assert "Elasticsearch at" in ours[0] and "unavailable" in ours[0]
    assert "is back after" in ours[1]
