"""Freshness probe: valid article events published at a steady rate into the pipeline's topic while
it runs; each one's delay from the producer's delivery callback to being returned by a search.

The probe uses the product's publisher (``send_event``: schema check, headers, the ingest
producer's settings) so its events travel exactly like the flow's. Its articles carry the source
domain ``PROBE_DOMAIN`` so that counts of the benchmark's own articles can leave them out.
"""

from __future__ import annotations

import hashlib
import statistics
import threading
import time
from dataclasses import dataclass

from confluent_kafka import KafkaError, Message
from elasticsearch import Elasticsearch

from bench.indexing import make_events
from ingest.publish.producer import make_producer, send_event
from schemas.article import ArticleEvent, Source
from schemas.settings import Settings

PROBE_DOMAIN = "freshness-probe.bench.test"
# 2 events/s: ~100 samples a minute for the percentiles, and negligible next to the pipeline's load.
PROBE_RATE_PER_S = 2.0
# The probe's last acknowledgements: a minute is far above a healthy broker's answer time.
FLUSH_TIMEOUT_S = 60.0
# How often the poller searches for outstanding probes; adds at most this much to each delay. A
# search costs ~1.4 ms of CPU (ES 0.9 + client 0.5) on the cores the run measures; documents only
# become visible at the 1 s refresh, so 0.2 s still dates each one within a fifth of a refresh.
SEARCH_POLL_S = 0.2
# After the probe stops, how long the poller waits for the last probes to become searchable.
DRAIN_TIMEOUT_S = 30.0
TEMPLATES = 20


@dataclass(frozen=True)
class FreshnessResult:
    sent: int
    delivered: int
    seen: int
    p50_s: float | None
    p95_s: float | None
    max_s: float | None


class FreshnessProbe:
    """``start()`` when the pipeline starts, ``stop()`` when it is done; results from ``stop()``."""

    def __init__(self, settings: Settings, es: Elasticsearch, rate_per_s: float = PROBE_RATE_PER_S) -> None:
        self.settings = settings
        self.es = es
        self.period_s = 1.0 / rate_per_s
        self._templates = make_events(TEMPLATES, seed=11)
        self._producer = make_producer(settings)
        self._settings = settings
        self._delivered: dict[str, float] = {}  # id -> monotonic time of the delivery callback
        self._seen: dict[str, float] = {}  # id -> monotonic time the search first returned it
        self._lock = threading.Lock()
        self._stop_sending = threading.Event()
        self._stop_polling = threading.Event()
        self._sent = 0
        self._sender = threading.Thread(target=self._send_loop, name="probe-send", daemon=True)
        self._poller = threading.Thread(target=self._poll_loop, name="probe-search", daemon=True)

    def start(self) -> FreshnessProbe:
        self._sender.start()
        self._poller.start()
        return self

    def stop(self) -> FreshnessResult:
        self._stop_sending.set()
        self._sender.join()
        self._producer.flush(FLUSH_TIMEOUT_S)
        deadline = time.monotonic() + DRAIN_TIMEOUT_S
        while time.monotonic() < deadline:
            with self._lock:
                if len(self._seen) >= len(self._delivered):
                    break
            time.sleep(SEARCH_POLL_S)
        self._stop_polling.set()
        self._poller.join()
        with self._lock:
            delays = sorted(self._seen[i] - self._delivered[i] for i in self._seen if i in self._delivered)
        quantiles = statistics.quantiles(delays, n=100) if len(delays) >= 2 else None
        return FreshnessResult(
            sent=self._sent,
            delivered=len(self._delivered),
            seen=len(delays),
            p50_s=quantiles[49] if quantiles else None,
            p95_s=quantiles[94] if quantiles else None,
            max_s=delays[-1] if delays else None,
        )

    def _event(self, n: int) -> ArticleEvent:
        article_id = hashlib.md5(f"{self.settings.articles_topic}-probe-{n}".encode()).hexdigest()
        return self._templates[n % TEMPLATES].model_copy(
            update={
                "id": article_id,
                "url": f"https://{PROBE_DOMAIN}/a/{n}",
                "canonical_url": f"https://{PROBE_DOMAIN}/a/{n}",
                "source": Source(domain=PROBE_DOMAIN, name="freshness probe"),
            }
        )

    def _send_loop(self) -> None:
        next_send = time.monotonic()
        while not self._stop_sending.is_set():
            now = time.monotonic()
            if now >= next_send:
                event = self._event(self._sent)

                def delivered(error: KafkaError | None, _msg: Message, article_id: str = event.id) -> None:
                    if error is None:
                        with self._lock:
                            self._delivered[article_id] = time.monotonic()

                refused = send_event(self._producer, event, "bench-probe", self._settings, delivered)
                if refused is not None:
                    raise RuntimeError(f"probe event refused: {refused.detail}")
                self._sent += 1
                next_send += self.period_s
            # poll() returns as soon as a delivery report is served: callback times are exact.
            self._producer.poll(max(0.0, min(SEARCH_POLL_S, next_send - time.monotonic())))

    def _poll_loop(self) -> None:
        while not self._stop_polling.is_set():
            with self._lock:
                pending = [i for i in self._delivered if i not in self._seen]
            if pending:
                response = self.es.search(
                    index=self.settings.index_alias,
                    query={"ids": {"values": pending}},
                    size=len(pending),
                    source=False,
                )
                now = time.monotonic()
                with self._lock:
                    for hit in response["hits"]["hits"]:
                        self._seen.setdefault(hit["_id"], now)
            self._stop_polling.wait(SEARCH_POLL_S)
