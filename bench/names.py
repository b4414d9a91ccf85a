"""Per-run names (topics, index alias, consumer group) so a benchmark never touches the real ones.

Every benchmark stage gets its own ``BenchNames``; ``cleanup`` deletes exactly what it created.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka.admin import AdminClient
from elasticsearch import Elasticsearch

from indexing import templates
from schemas.settings import Settings

# Politeness settings for the single-host simulated site. The defaults (2 parallel requests, 500 ms
# between request starts per host) cap one host at ~2 pages/s, far below what the ingest core can
# take (~29 pages/s on 2 cores); a real crawl reaches that rate over many hosts, not one. 4 parallel
# requests to 127.0.0.1 fetch ~260 pages/s, keeping a 500-page batch well ahead of the build stage;
# 16 fetched no faster (the site is one Python process) and, with the former httpx client, cost 14%
# more fetch CPU per page, CPU taken from the NLP workers.
BENCH_PER_HOST_CONCURRENCY = 4
BENCH_MIN_DELAY_MS = 0


@dataclass(frozen=True)
class BenchNames:
    run: str  # unique per benchmark run
    stage: str  # e2e, scale-w1, indexing, search, ...

    @property
    def prefix(self) -> str:
        return f"bench-{self.stage}-{self.run}"

    def settings(self, base: Settings, data_dir: Path | None = None) -> Settings:
        update: dict[str, object] = {
            "articles_topic": f"{self.prefix}-articles",
            "articles_dlq_topic": f"{self.prefix}-articles-dlq",
            "index_dlq_topic": f"{self.prefix}-index-dlq",
            "index_alias": self.prefix,
            "indexer_group": f"{self.prefix}-indexer",
            "stories_index": f"{self.prefix}-stories",
            "stories_group": f"{self.prefix}-stories",
            "stories_dlq_topic": f"{self.prefix}-stories-dlq",
            "fetch_allow_hosts": ["127.0.0.1"],
            "fetch_per_host_concurrency": BENCH_PER_HOST_CONCURRENCY,
            "fetch_min_delay_ms": BENCH_MIN_DELAY_MS,
        }
        if data_dir is not None:
            update["data_dir"] = data_dir
        return base.model_copy(update=update)


def settings_env(settings: Settings, sources_file: Path | None = None) -> dict[str, str]:
    """The NEWSFLOW_* variables that make a child process see ``settings`` (the bench's names)."""
    env = {
        "NEWSFLOW_ARTICLES_TOPIC": settings.articles_topic,
        "NEWSFLOW_ARTICLES_DLQ_TOPIC": settings.articles_dlq_topic,
        "NEWSFLOW_INDEX_DLQ_TOPIC": settings.index_dlq_topic,
        "NEWSFLOW_INDEX_ALIAS": settings.index_alias,
        "NEWSFLOW_INDEXER_GROUP": settings.indexer_group,
        "NEWSFLOW_STORIES_INDEX": settings.stories_index,
        "NEWSFLOW_STORIES_GROUP": settings.stories_group,
        "NEWSFLOW_STORIES_DLQ_TOPIC": settings.stories_dlq_topic,
        "NEWSFLOW_DATA_DIR": str(settings.data_dir),
        "NEWSFLOW_CACHE_DIR": str(settings.cache_dir),
        "NEWSFLOW_FETCH_ALLOW_HOSTS": json.dumps(settings.fetch_allow_hosts),
        "NEWSFLOW_FETCH_PER_HOST_CONCURRENCY": str(settings.fetch_per_host_concurrency),
        "NEWSFLOW_FETCH_MIN_DELAY_MS": str(settings.fetch_min_delay_ms),
        "NEWSFLOW_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "NEWSFLOW_ES_URL": settings.es_url,
        "NEWSFLOW_PREFECT_URL": settings.prefect_url,
    }
    if sources_file is not None:
        env["NEWSFLOW_SOURCES_FILE"] = str(sources_file)
    return env


def cleanup(settings: Settings, es: Elasticsearch) -> None:
    """Delete the run's topics, indices behind its alias, its stories index and its template (missing ones
    are fine)."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    topics = [
        settings.articles_topic,
        settings.articles_dlq_topic,
        settings.index_dlq_topic,
        settings.stories_dlq_topic,
    ]
    existing = admin.list_topics(timeout=10).topics
    doomed = [t for t in topics if t in existing]
    if doomed:
        for future in admin.delete_topics(doomed, operation_timeout=30).values():
            future.exception()
    alias = settings.index_alias
    names = es.indices.get(index=f"{alias}-v*", allow_no_indices=True, expand_wildcards="all").body
    if names:
        es.indices.delete(index=",".join(names))
    es.options(ignore_status=404).indices.delete(index=settings.stories_index)
    es.options(ignore_status=404).indices.delete_index_template(name=templates.template_name(alias))
