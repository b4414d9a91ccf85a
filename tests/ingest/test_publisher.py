"""The publish protocol: nothing is "seen" before Kafka acknowledges it, each item is counted once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.page import RawPage
from ingest.publish.producer import event_max_bytes
from ingest.publish.publisher import Publisher
from ingest.publish.topics import ensure_topics
from ingest.report import RunReport
from ingest.seen_store import SeenStore
from schemas.settings import Settings
from tests.ingest.kafka_topic import read_topic
from tests.ingest.producer_child import event

REPO_ROOT = Path(__file__).resolve().parents[2]


def _page(url: str) -> RawPage:
    return RawPage(url, b"", datetime.now(UTC), "sim")


@pytest.mark.parametrize("mode", ["timeout", "purge"])
def test_an_event_kafka_never_acknowledges_stays_unseen_and_is_counted_once(
    tmp_path: Path, mode: str
) -> None:
    child = subprocess.run(
        [sys.executable, "-m", "tests.ingest.publisher_child", str(tmp_path), mode],
        cwd=REPO_ROOT,
        env=os.environ | {"PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]  # no native abort from a callback
    summary = json.loads(child.stdout.splitlines()[-1])
    assert (summary["published"], summary["not_processed"]) == (0, 1)
    assert (summary["dead_lettered"], summary["dlq_failed"]) == (1, 1)  # the letter, once
    assert summary["balanced"] is False  # 1 item not discovered in this synthetic run, 2 accounted
    item = event(1)
    again = SeenStore(tmp_path / "seen.sqlite").classify_and_reserve(item.id, item.content_hash)
    assert again.status == "new"  # released: the next run publishes it


@pytest.mark.stack
def test_an_event_over_the_message_size_limit_is_dead_lettered_and_the_run_goes_on(
    stack: Settings, tmp_path: Path, run_id: str
) -> None:
    settings = stack.model_copy(
        update={
            "data_dir": tmp_path,
            "articles_topic": f"articles-{run_id}",
            "articles_dlq_topic": f"articles.dlq-{run_id}",
            "index_dlq_topic": f"articles.index-dlq-{run_id}",
        }
    )
    ensure_topics(settings)
    big, small = event(1), event(2)
    big = big.model_copy(update={"text": "word " * (event_max_bytes(settings) // 5 + 1)})
    report = RunReport("sim")
    seen = SeenStore(tmp_path / "seen.sqlite")
    publisher = Publisher(settings, seen, report)
    publisher.publish(_page(big.url), big)
    publisher.publish(_page(small.url), small)
    publisher.close()

    assert report.published == 1 and report.dead_lettered == {("publish", "event_too_large"): 1}
    assert [r.key for r in read_topic(settings.kafka_bootstrap, settings.articles_topic)] == [small.id]
    letters = read_topic(settings.kafka_bootstrap, settings.articles_dlq_topic)
    (letter,) = [json.loads(r.value) for r in letters]
    assert (letter["url"], letter["reason"]) == (big.url, "event_too_large")
    assert seen.classify_and_reserve(big.id, big.content_hash).status == "new"  # not seen either
