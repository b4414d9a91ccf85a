"""Dead letters -> ``articles.dlq``: one JSON record per page that did not become an article.

Keyed by URL (so all failures of one page land in one partition, in order), value = the
``DeadLetter`` model as JSON, headers say the stage and reason for quick filtering.
"""

from __future__ import annotations

from confluent_kafka import KafkaError, Message, Producer

from ingest.publish.producer import DeliveryCounts, produce
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings


class DeadLetterPublisher:
    def __init__(self, producer: Producer, settings: Settings) -> None:
        self._producer = producer
        self._topic = settings.articles_dlq_topic
        self.counts = DeliveryCounts()
        self.errors: list[str] = []

    def send(self, letter: DeadLetter) -> None:
        def delivered(err: KafkaError | None, _msg: Message) -> None:
            if err is None:
                self.counts.delivered += 1
            else:
                self.counts.failed += 1
                self.errors.append(f"{letter.url}: {err.str()}")

        key = (letter.url or letter.article_id or letter.source or "").encode("utf-8")
        headers = [("stage", letter.stage.encode()), ("reason", letter.reason.encode("utf-8"))]
        self.counts.sent += 1
        produce(
            self._producer, self._topic, key, letter.model_dump_json().encode("utf-8"), headers, delivered
        )
