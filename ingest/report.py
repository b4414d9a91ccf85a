"""The report of one source run: every discovered item in exactly one bucket, and where the time went.

``discovered = published + unchanged + dead_lettered + not_processed`` is the run's invariant
(``balanced``); the flow fails a run that breaks it, and ``flows/reports.py`` renders it as the
run's Prefect artifact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ingest.fetch.client import HostStats
from ingest.fetch.retry import is_transient

# Hosts listed in the report as slowest (mean seconds per request).
SLOWEST_HOSTS_SHOWN = 5


@dataclass
class RunReport:
    source: str
    discovered: int = 0
    not_modified: bool = False
    fetched: int = 0
    extracted: int = 0
    published: int = 0  # acknowledged by Kafka
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    unchanged_unfetched: int = 0  # of ``unchanged``: the source's date was not newer, so not fetched
    dead_lettered: Counter[tuple[str, str]] = field(default_factory=Counter)  # (stage, reason) -> n
    not_processed: int = 0  # left when stopped (SIGTERM) or never acknowledged before the flush timeout
    stopped: bool = False
    dlq_failed: int = 0  # dead letters Kafka did not acknowledge (still counted above; see the log)
    timings_s: dict[str, float] = field(default_factory=Counter)
    slowest_hosts: list[tuple[str, float, int]] = field(default_factory=list)  # host, mean s, requests

    @property
    def dead_lettered_total(self) -> int:
        return sum(self.dead_lettered.values())

    @property
    def accounted(self) -> int:
        return self.published + self.unchanged + self.dead_lettered_total + self.not_processed

    @property
    def transient_failures(self) -> int:
        """Pages dead-lettered for a reason the next run may not meet (site down, timeouts)."""
        return sum(n for (stage, reason), n in self.dead_lettered.items() if is_transient(stage, reason))

    def balanced(self) -> bool:
        """The run's invariant: every discovered item is in exactly one bucket."""
        return self.discovered == self.accounted

    def note_slowest_hosts(self, stats: Mapping[str, HostStats]) -> None:
        ranked = sorted(stats.items(), key=lambda kv: kv[1].seconds / kv[1].requests, reverse=True)
        self.slowest_hosts = [
            (h, s.seconds / s.requests, s.requests) for h, s in ranked[:SLOWEST_HOSTS_SHOWN]
        ]

    def summary(self) -> dict[str, object]:
        """The counts a flow run returns (and logs): small, JSON-friendly."""
        return {
            "source": self.source,
            "discovered": self.discovered,
            "unchanged": self.unchanged,
            "fetched": self.fetched,
            "extracted": self.extracted,
            "published": self.published,
            "dead_lettered": self.dead_lettered_total,
            "dlq_failed": self.dlq_failed,
            "not_processed": self.not_processed,
            "balanced": self.balanced(),
        }


ProgressCallback = Callable[[RunReport], None]
