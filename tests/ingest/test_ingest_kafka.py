"""Sources -> fetch -> build -> seen-store -> Kafka, against the simulated site and the real local Kafka."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.sim_site import SimSite
from flows.sim_site.server import DISALLOWED_PAGE, FETCH_FATES, MALFORMED_FEED, SSRF_LOCAL_TARGET
from ingest.publish.topics import ensure_topics
from ingest.run import RunReport, run_source
from ingest.sources.config import SourceConfig
from schemas.article import parse_event
from schemas.settings import Settings
from tests.ingest.conftest import fast_settings
from tests.ingest.kafka_topic import read_topic

pytestmark = pytest.mark.stack

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pool() -> Iterator[object]:
    from ingest.pool import BuildPool

    builder = BuildPool(1)
    yield builder
    builder.close()


@pytest.fixture()
def settings(stack: Settings, tmp_path: Path, run_id: str) -> Settings:
    return fast_settings(
        tmp_path,
        kafka_bootstrap=stack.kafka_bootstrap,
        articles_topic=f"articles-{run_id}",
        articles_dlq_topic=f"articles.dlq-{run_id}",
        index_dlq_topic=f"articles.index-dlq-{run_id}",
    )


def feed(site: SimSite, path: str, name: str = "sim") -> SourceConfig:
    return SourceConfig(name=name, type="feed", location=site.base_url + path, interval_s=600)


def run(source: SourceConfig, settings: Settings, pool: object) -> RunReport:
    report = run_source(source, settings, workers=1, pool=pool)  # type: ignore[arg-type]
    assert report.balanced(), report
    return report


def test_feed_publishes_valid_events_keyed_by_id_and_polling_again_publishes_nothing(
    sim_site: SimSite, settings: Settings, pool: object
) -> None:
    source = feed(sim_site, "/tagblatt/rss.xml")
    items = len(sim_site.outlet_pages("tagblatt"))
    first = run(source, settings, pool)
    assert first.discovered == items
    assert first.published == first.new == first.extracted > items // 2
    assert first.published + first.dead_lettered_total == items

    records = read_topic(settings.kafka_bootstrap, settings.articles_topic)
    assert len(records) == first.published
    for record in records:
        event = parse_event(record.value)
        assert record.key == event.id
        assert record.headers == {"schema_version": "1", "source": "sim", "revision": "1"}
        assert event.revision == 1 and event.source.name == "sim"

    again = run(source, settings, pool)  # the feed answers 304: nothing fetched at all
    assert (again.not_modified, again.discovered, again.published) == (True, 0, 0)

    (settings.data_dir / "http_validators.sqlite").unlink()  # force a full poll: the seen-store decides
    full = run(source, settings, pool)
    assert (full.published, full.unchanged) == (0, first.published)
    assert len(read_topic(settings.kafka_bootstrap, settings.articles_topic)) == first.published


def test_changed_page_publishes_one_revision(sim_site: SimSite, settings: Settings, pool: object) -> None:
    source = feed(sim_site, "/globe/atom.xml")
    first = run(source, settings, pool)
    events = {
        parse_event(r.value).url: parse_event(r.value)
        for r in read_topic(settings.kafka_bootstrap, settings.articles_topic)
    }
    page = next(p for p in sim_site.outlet_pages("globe") if sim_site.base_url + p.path in events)
    before = events[sim_site.base_url + page.path]
    sim_site.change(page.path)

    second = run(source, settings, pool)
    assert (second.published, second.changed, second.unchanged) == (1, 1, first.published - 1)
    # The Atom <updated> of every other article is not newer than what Kafka has: not even fetched.
    assert second.unchanged_unfetched == first.published - 1
    published_paths = [p.path for p in sim_site.outlet_pages("globe") if sim_site.base_url + p.path in events]
    other = next(path for path in published_paths if path != page.path)
    assert (sim_site.requested(page.path), sim_site.requested(other)) == (2, 1)
    records = [r for r in read_topic(settings.kafka_bootstrap, settings.articles_topic) if r.key == before.id]
    assert [r.headers["revision"] for r in records] == ["1", "2"]
    revised = parse_event(records[-1].value)
    assert revised.revision == 2 and revised.modified_at is not None
    assert revised.content_hash != before.content_hash


def test_every_bad_page_is_dead_lettered_and_forbidden_urls_never_requested(
    sim_site: SimSite, settings: Settings, pool: object
) -> None:
    report = run(feed(sim_site, "/bad/rss.xml", name="bad"), settings, pool)
    broken = run(feed(sim_site, MALFORMED_FEED, name="broken"), settings, pool)
    assert (broken.discovered, dict(broken.dead_lettered)) == (1, {("discover", "malformed_feed"): 1})

    letters = [json.loads(r.value) for r in read_topic(settings.kafka_bootstrap, settings.articles_dlq_topic)]
    fate = {
        letter["url"].removeprefix(sim_site.base_url): (letter["stage"], letter["reason"])
        for letter in letters
    }
    for path, expected in FETCH_FATES.items():
        assert fate[path] == expected, path
    assert fate["/bad/binary.html"][0] == "extract"
    assert fate[MALFORMED_FEED] == ("discover", "malformed_feed")
    assert all(letter["source"] in ("bad", "broken") and letter["at"] for letter in letters)
    # the flaky page (503 + Retry-After, then 200) made it; the wrong-charset page is not lost
    published = {
        parse_event(r.value).url for r in read_topic(settings.kafka_bootstrap, settings.articles_topic)
    }
    assert sim_site.base_url + "/bad/flaky.html" in published
    assert (sim_site.base_url + "/bad/wrong-charset.html" in published) or "/bad/wrong-charset.html" in fate
    assert report.published + report.dead_lettered_total == report.discovered

    assert sim_site.requested(DISALLOWED_PAGE) == 0
    assert sim_site.requested(SSRF_LOCAL_TARGET) == 0
    assert sim_site.requested("/bad/not-found.html") == 1


def test_killed_producer_loses_nothing_acknowledged(stack: Settings, run_id: str) -> None:
    topic = f"articles-kill-{run_id}"
    ensure_topics(
        Settings(
            kafka_bootstrap=stack.kafka_bootstrap,
            articles_topic=topic,
            articles_dlq_topic=f"{topic}.dlq",
            index_dlq_topic=f"{topic}.idlq",
        )
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ingest.producer_child", stack.kafka_bootstrap, topic, "20000"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    acknowledged: list[str] = []
    assert child.stdout is not None
    deadline = time.monotonic() + 120
    while len(acknowledged) < 500 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged.append(line.split()[1])
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    acknowledged.extend(
        line.split()[1] for line in child.stdout.read().splitlines() if line.startswith("delivered")
    )
    assert len(acknowledged) >= 500, "the child should have delivered some events before the kill"
    assert child.returncode == -signal.SIGKILL
    on_topic = {r.key for r in read_topic(stack.kafka_bootstrap, topic)}
    assert set(acknowledged) <= on_topic


def test_sigterm_stops_after_the_current_chunk_flushes_and_counts_the_rest(
    sim_site: SimSite, settings: Settings, pool: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.run

    monkeypatch.setattr(ingest.run, "CHUNK_PAGES", 4)
    source = feed(sim_site, "/tagblatt/rss.xml")

    def terminate_after_first_chunk(report: RunReport) -> None:
        if not report.stopped and report.extracted + report.dead_lettered_total == 4:  # chunk 1 published
            os.kill(os.getpid(), signal.SIGTERM)  # the runner's handler only asks it to stop

    stopped = run_source(source, settings, workers=1, pool=pool, progress=terminate_after_first_chunk)  # type: ignore[arg-type]
    assert stopped.stopped and stopped.balanced()
    assert stopped.not_processed == stopped.discovered - 4
    assert len(read_topic(settings.kafka_bootstrap, settings.articles_topic)) == stopped.published

    rest = run(source, settings, pool)  # validators were not stored: a full poll, not a 304
    assert not rest.not_modified
    assert rest.unchanged == stopped.published
    total = stopped.published + rest.published
    assert len(read_topic(settings.kafka_bootstrap, settings.articles_topic)) == total
