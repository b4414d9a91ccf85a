"""Client logs during an outage: one line when a service goes away, one when it is back.

Left alone, the clients log every failed attempt: librdkafka prints a "Connection refused" line per
reconnect to stderr (72-217 lines for a broker outage of a few minutes), and the Elasticsearch client logs
a warning with a traceback per retried request (~2,000 lines for a 23 s outage). Both say nothing the
first line did not. Here librdkafka's log lines go to a Python logger that only lets critical ones through,
its connection errors (``error_cb``) and broker states (``stats_cb``) feed a :class:`ServiceState`, and
the Elasticsearch client's loggers are raised to ERROR; the indexer reports Elasticsearch's state itself.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from confluent_kafka import KafkaError

# librdkafka's own lines go here; only syslog levels 0-2 (emergency, alert, critical) get through.
LIBRDKAFKA_LOGGER = "newsflow.librdkafka"
# Broker states are read from librdkafka's statistics this often: a restarted broker is reported back within
# 5 s; each report is a JSON document of a few KB, parsed in well under a millisecond.
KAFKA_STATS_INTERVAL_MS = 5_000
# Errors that mean "cannot reach the brokers" (as opposed to a refused request, which is logged as such).
CONNECTION_ERRORS = frozenset(
    {KafkaError._TRANSPORT, KafkaError._ALL_BROKERS_DOWN, KafkaError._RESOLVE, KafkaError._TIMED_OUT}
)
ELASTICSEARCH_CLIENT_LOGGERS = ("elastic_transport", "elasticsearch", "urllib3.connectionpool")


class ServiceState:
    """Up or down, logged on change only: ``down(why)`` any number of times, then ``up()`` once it answers."""

    def __init__(self, service: str, log: logging.Logger) -> None:
        self.service = service
        self.log = log
        self.down_since: float | None = None
        self.errors = 0  # failed attempts in the current outage

    @property
    def is_down(self) -> bool:
        return self.down_since is not None

    def down(self, why: str) -> None:
        self.errors += 1
        if self.down_since is None:
            self.down_since = time.monotonic()
            self.log.warning("%s unavailable (%s); retrying quietly until it is back", self.service, why)

    def up(self) -> None:
        if self.down_since is None:
            return
        outage_s = time.monotonic() - self.down_since
        self.log.warning("%s is back after %.1f s (%d failed attempts)", self.service, outage_s, self.errors)
        self.down_since, self.errors = None, 0


def quiet_elasticsearch_client() -> None:
    """No per-retry warnings (with tracebacks) from the Elasticsearch client; real failures still raise."""
    for name in ELASTICSEARCH_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def _librdkafka_logger() -> logging.Logger:
    logger = logging.getLogger(LIBRDKAFKA_LOGGER)
    logger.setLevel(logging.CRITICAL)
    return logger


def brokers_all_up(stats_json: str) -> bool | None:
    """From a librdkafka statistics document: are all known brokers UP? None before any is known."""
    brokers = json.loads(stats_json).get("brokers", {}).values()
    states = [b.get("state") for b in brokers if b.get("nodeid", -1) >= 0]  # bootstrap entries are -1
    return all(state == "UP" for state in states) if states else None


def kafka_client_config(state: ServiceState) -> dict[str, Any]:
    """confluent-kafka config entries that route the client's logs and errors through ``state``.

    Callbacks run inside ``poll``/``flush`` on the caller's thread; they only log, never call the client.
    """

    def on_error(error: KafkaError) -> None:
        if error.code() in CONNECTION_ERRORS:
            state.down(error.str())
        else:
            state.log.warning("%s: %s", state.service, error.str())

    def on_stats(stats_json: str) -> None:
        if brokers_all_up(stats_json):
            state.up()

    return {
        "logger": _librdkafka_logger(),
        "error_cb": on_error,
        "stats_cb": on_stats,
        "statistics.interval.ms": KAFKA_STATS_INTERVAL_MS,
    }
