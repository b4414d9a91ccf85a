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

    # --- topics and index ----------------------------------------------------------------------
    articles_topic: str = "articles"
    articles_dlq_topic: str = "articles.dlq"
    index_dlq_topic: str = "articles.index-dlq"
    # 6 partitions: room for up to 6 indexer processes in one consumer group (scale-out) while
    # staying cheap on a single broker.
    articles_partitions: int = 6
    index_alias: str = "articles"
    indexer_group: str = "newsflow-indexer"

    # --- sources -------------------------------------------------------------------------------
    sources_file: Path = Field(default=REPO_ROOT / "sources.yaml")

    # --- fetching security ---------------------------------------------------------------------
    # Hosts or CIDRs the SSRF guard lets through although they are private/loopback.
    # Tests and the demo set NEWSFLOW_FETCH_ALLOW_HOSTS='["127.0.0.1"]'.
    fetch_allow_hosts: list[str] = Field(default_factory=list)

    @property
    def api_url(self) -> str:
        """Prefect API endpoint derived from the server URL."""
        return self.prefect_url.rstrip("/") + "/api"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (env vars and an optional ``.env``)."""
    return Settings()
