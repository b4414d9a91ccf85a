"""A producer process to be killed (-9) by ``test_killed_producer_loses_nothing_acknowledged``.

``python -m tests.ingest.producer_child BOOTSTRAP TOPIC N``: produces N synthetic events and prints
``delivered <id>`` for each acknowledged one, flushing stdout at once, so the parent knows exactly
which ids Kafka acknowledged before the kill.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime

from confluent_kafka import KafkaError, Message

from ingest.publish.producer import make_producer, send_event
from schemas.article import ArticleEvent, Source
from schemas.settings import Settings


def event(number: int) -> ArticleEvent:
    url = f"http://sim.example/kill/{number}.html"
    text = f"Synthetic article number {number}. " * 40
    return ArticleEvent(
        id=hashlib.sha256(url.encode()).hexdigest()[:32],
        revision=1,
        url=url,
        canonical_url=url,
        source=Source(domain="sim.example", name="kill-test"),
        text=text,
        word_count=len(text.split()),
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        simhash="0" * 16,
        fetched_at=datetime.now(UTC),
    )


def main() -> None:
    bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = Settings(kafka_bootstrap=bootstrap, articles_topic=topic)
    producer = make_producer(settings)
    for number in range(count):
        item = event(number)

        def report(error: KafkaError | None, _msg: Message, article_id: str = item.id) -> None:
            if error is None:
                sys.stdout.write(f"delivered {article_id}\n")
                sys.stdout.flush()

        send_event(producer, item, "kill-test", settings, report)
    producer.flush(60)


if __name__ == "__main__":
    main()
