"""The one settings object of newsflow: every knob is an env var prefixed ``NEWSFLOW_``.

Defaults work with the local stack (``newsflow stack up``). Numbers carry their unit in the name.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_", env_file=".env", extra="ignore")

    # --- where the services are -------------------------------------------------------------
    kafka_bootstrap: str = "127.0.0.1:9092"
    es_url: str = "http://127.0.0.1:9200"
    prefect_url: str = "http://127.0.0.1:4200"
    data_dir: Path = Field(default=REPO_ROOT / ".newsflow", description="state, logs, service data")
    # Downloaded server jars; separate from data_dir so a throwaway stack reuses them offline.
    cache_dir: Path = Field(default=REPO_ROOT / ".newsflow" / "cache")

    # --- topics and index ----------------------------------------------------------------------
    articles_topic: str = "articles"
    articles_dlq_topic: str = "articles.dlq"
    index_dlq_topic: str = "articles.index-dlq"
    # 6 partitions: room for up to 6 indexer processes in one consumer group (scale-out) while
    # staying cheap on a single broker.
    articles_partitions: int = 6
    # The largest message the producers send (``message.max.bytes``); the topics are created to take
    # it (``max.message.bytes``). 1,000,000: librdkafka's default, under the broker's 1,048,588, so
    # stock brokers and consumers take every message. An article event above it (a 5 MiB page can
    # extract to more) is dead-lettered as ``publish/event_too_large``, never produced.
    kafka_message_max_bytes: int = 1_000_000
    index_alias: str = "articles"
    indexer_group: str = "newsflow-indexer"
    # Bulk batches go out at whichever bound comes first. 500 docs / 5 MB: Elastic's guidance is 5-15 MB
    # per bulk request; the low end keeps one request short on a small (2-core) node, and 500 articles of
    # ~5-10 KB each reach it. Re-run `python -m bench.indexing` after changing them.
    indexer_batch_docs: int = 500
    indexer_batch_bytes: int = 5_000_000
    # 400 ms: a document waits for the linger, then for the next 1 s refresh, and the two do not line up,
    # so a 1 s linger put freshness p95 at ~2.2 s (bench.run, 2 probes/s during a 1,000-article run);
    # 200 ms gave p50 ~0.85 s / p95 ~1.35 s in the 10,000-article run. Each linger ends in a small bulk
    # request and an offset commit while articles trickle in (under load batches fill by count, 500
    # docs): 400 ms halves those and costs ~10 % less CPU per document across Elasticsearch, Kafka and
    # the indexer (`python -m bench.trickle`, 25 docs/s: 4.70 -> 4.23 CPU s per 1,000 docs), CPU the
    # NER workers share on a small machine, for ~0.2 s more latency. Re-run `python -m bench.run`.
    indexer_linger_ms: int = 400
    # The stories stage (indexing/stories): its own consumer group on the articles topic, the index of
    # stories, and the dead letters of assignments it could not write (article never indexed).
    stories_index: str = "stories"
    stories_group: str = "newsflow-stories"
    stories_dlq_topic: str = "articles.stories-dlq"

    # --- sources -------------------------------------------------------------------------------
    sources_file: Path = Field(default=REPO_ROOT / "sources.yaml")

    # --- fetching security ---------------------------------------------------------------------
    # Hosts or CIDRs the SSRF guard lets through although they are private/loopback.
    # Tests and the demo set NEWSFLOW_FETCH_ALLOW_HOSTS='["127.0.0.1"]'.
    fetch_allow_hosts: list[str] = Field(default_factory=list)

    # --- fetching limits and politeness (ingest/fetch) ----------------------------------------
    # Identifies us to site operators, with a way to reach us; robots.txt rules match on "newsflow".
    fetch_user_agent: str = "newsflow/0.1 (+mailto:newsflow@example.org)"
    # connect: a healthy host answers a TCP/TLS handshake in well under 5 s; read: gap between
    # two chunks; total: one whole request incl. body, so a trickling server cannot hold a slot.
    fetch_connect_timeout_s: float = 5.0
    fetch_read_timeout_s: float = 10.0
    fetch_total_timeout_s: float = 30.0
    # 5 MiB: 3x the largest page of the 884-page corpus (1.6 MB); bigger is not an article.
    fetch_max_page_bytes: int = 5 * 1024 * 1024
    # 50 MiB: the sitemap protocol's own limit for one uncompressed sitemap file.
    fetch_max_document_bytes: int = 50 * 1024 * 1024
    # 5 hops: what browsers tolerate in practice is ~20, but news URLs need 1-2 (tracker, https).
    fetch_max_redirects: int = 5
    # 3 retries with full-jitter backoff from 0.5 s (cap 30 s): rides out a short outage or a
    # deploy of the site without hammering it.
    fetch_max_retries: int = 3
    fetch_backoff_base_ms: int = 500
    fetch_backoff_max_ms: int = 30_000
    # Politeness per host: 2 parallel requests and 500 ms between request starts (~2 pages/s per
    # site) unless robots.txt asks for a longer Crawl-delay. The demo/benchmarks lower these.
    fetch_per_host_concurrency: int = 2
    fetch_min_delay_ms: int = 500
    # A Crawl-delay or Retry-After longer than this is capped: a site cannot stall a run for hours.
    fetch_max_host_delay_s: float = 60.0
    # Global in-flight requests across all hosts: bounds sockets and memory (pages x max bytes).
    fetch_global_concurrency: int = 64
    # robots.txt cached per host for an hour (what Google documents as its usual refresh);
    # a 5xx/timeout on robots.txt means "disallow all" for 10 minutes, then we ask again.
    robots_ttl_s: float = 3600.0
    robots_error_retry_s: float = 600.0

    # --- the search page (web/, `newsflow web`) ---------------------------------------------------
    # Loopback by default: the page is read-only, but it exposes every indexed article. Binding beyond
    # loopback asks for web_token (sent once as ?token=..., then kept in a cookie).
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_token: str = ""  # empty: no token
    # 20 hits a page: one screen on a laptop. Fixed by the server (not a URL parameter), so no URL can make
    # Elasticsearch highlight more than this many hits.
    web_page_size: int = 20
    # 50,000 rows: ~25 MB of CSV, a minute of streaming at the measured rate (python -m bench.web); beyond
    # that an archive export is a job for Elasticsearch's own tools, not a browser download.
    web_export_max_rows: int = 50_000
    # A reader waits this long for Elasticsearch before the page says it is unavailable (503).
    web_es_timeout_s: float = 10.0

    # Hand-written publisher parsers (fundus) over the generic extraction for the sites they cover; off by
    # default and effective only when fundus is installed (infra/setup.sh --with-fundus). Its figures are
    # reported apart from the generic path's (docs/extraction.md).
    publisher_parsers: bool = False

    @property
    def api_url(self) -> str:
        """Prefect API endpoint derived from the server URL."""
        return self.prefect_url.rstrip("/") + "/api"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (env vars and an optional ``.env``)."""
    return Settings()
