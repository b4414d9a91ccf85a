"""A run's publisher against a Kafka that never answers, in a child process (a native abort must not
take the test run down): ``python -m tests.ingest.publisher_child DATA_DIR MODE``.

MODE ``timeout``: librdkafka gives up on the messages (delivery timeout) inside the final flush;
MODE ``purge``: the flush times out first and the publisher purges. Prints the report's summary
as JSON on the last line.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import ingest.publish.producer
import ingest.publish.publisher
from ingest.page import RawPage
from ingest.publish.publisher import Publisher
from ingest.report import RunReport
from ingest.seen_store import SeenStore
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings
from tests.ingest.producer_child import event

# A closed port on this machine: nothing listens on tcpmux.
CLOSED_KAFKA = "127.0.0.1:1"
# Short enough for a test, long enough for the producer to try to connect.
SHORT_DELIVERY_TIMEOUT_MS = 1_000
SHORT_FLUSH_TIMEOUT_S = 1.0


def main() -> None:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "timeout":
        ingest.publish.producer.DELIVERY_TIMEOUT_MS = SHORT_DELIVERY_TIMEOUT_MS
    else:
        ingest.publish.publisher.FLUSH_TIMEOUT_S = SHORT_FLUSH_TIMEOUT_S
    settings = Settings(kafka_bootstrap=CLOSED_KAFKA, data_dir=data_dir)
    report = RunReport("unreachable")
    seen = SeenStore(data_dir / "seen.sqlite")
    publisher = Publisher(settings, seen, report)
    item = event(1)
    publisher.publish(RawPage(item.url, b"", datetime.now(UTC), "unreachable"), item)
    publisher.dead_letter(DeadLetter(url="http://sim.example/gone", stage="fetch", reason="http_status:404"))
    publisher.close()
    seen.close()
    print(json.dumps(report.summary()))


if __name__ == "__main__":
    main()
