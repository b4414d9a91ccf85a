"""The seen-store: which content of each article id is already on Kafka, durably, per machine.

Two steps, so a crash can never lose an article:
1. ``classify_and_reserve`` (before producing): same content hash as the last *confirmed*
   revision -> ``unchanged`` (not published again); otherwise the next revision is reserved for a
   lease and returned as ``new``/``changed``.
2. ``confirm`` (from the producer's delivery callback, once Kafka acknowledged) records it.
   ``release`` (delivery failed) frees the reservation.
A crash between the two leaves only a reservation, which is void as soon as the process that made
it is gone (its owner, pid + start time, is checked; the store is per machine), and at the latest
after ``PENDING_LEASE_S``: the next poll then publishes the article again. Kafka may so see a
duplicate, never a gap; consumers upsert by (id, revision), which makes a duplicate harmless.

Two runs at once: every step is one ``BEGIN IMMEDIATE`` transaction on a SQLite file in WAL mode
(one writer at a time, readers never blocked). While one run holds a live reservation for the same
content, the other counts the article ``unchanged`` instead of publishing it twice. See
docs/ingestion.md for why SQLite and what it means for several machines.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from schemas.settings import Settings

Status = Literal["new", "changed", "unchanged"]

# A reservation older than this is treated as abandoned (its run crashed before delivery). Ten
# minutes is far above a run's final flush timeout, so a live run never loses its reservation.
PENDING_LEASE_S = 600.0

# A writer waits this long for another process's write transaction (each one is milliseconds).
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL DEFAULT 0,   -- last revision Kafka acknowledged (0 = none yet)
    content_hash TEXT,                     -- its content hash
    pending_revision INTEGER,              -- reserved, being produced
    pending_hash TEXT,
    pending_until REAL,                    -- unix seconds; an older reservation is abandoned
    confirmed_at REAL,
    pending_owner TEXT                     -- the reserving process, "pid:start ticks"
);
-- The source's last-modified date (UTC ISO) of each URL whose article is on Kafka: a later poll
-- that lists the URL with no newer date skips fetching and extracting it.
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    source_modified TEXT NOT NULL
)
"""


def seen_store_path(settings: Settings) -> Path:
    return settings.data_dir / "seen.sqlite"


@dataclass(frozen=True)
class Decision:
    status: Status
    revision: int  # the revision to publish (new/changed) or the one already published (unchanged)
    in_flight: bool = False  # unchanged because another run is publishing it now (not yet acknowledged)


class SeenStore:
    """One SQLite connection; use from one thread (the producer's callbacks run in ``poll()``)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._db = sqlite3.connect(
            # One run reads on its fetch thread and writes on its main thread, never at once.
            path,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives a process crash (kill -9), only an OS crash/power
        # loss can drop the last commits, which then re-publishes them (a duplicate, never a gap).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        db = self._transaction()  # two processes may open a store written before owners were recorded
        if "pending_owner" not in {row[1] for row in db.execute("PRAGMA table_info(seen)")}:
            db.execute("ALTER TABLE seen ADD COLUMN pending_owner TEXT")
        db.execute("COMMIT")
        self._owner = process_identity(os.getpid())

    def _transaction(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def classify_and_reserve(self, article_id: str, content_hash: str) -> Decision:
        """Decide whether this content must be published and, if so, reserve its revision."""
        now = self._clock()
        db = self._transaction()
        try:
            row = db.execute(
                "SELECT revision, content_hash, pending_revision, pending_hash, pending_until, "
                "pending_owner FROM seen WHERE id = ?",
                (article_id,),
            ).fetchone()
            revision, confirmed_hash, pending_rev, pending_hash, pending_until, owner = row or (
                0,
                None,
                None,
                None,
                0,
                None,
            )
            pending_live = pending_rev is not None and pending_until > now and owner_alive(owner)
            if confirmed_hash == content_hash:
                decision = Decision("unchanged", revision)
            elif pending_live and pending_hash == content_hash:
                decision = Decision("unchanged", pending_rev, in_flight=True)  # another run publishes it now
            else:
                next_rev = max(revision, pending_rev if pending_live else 0) + 1
                db.execute(
                    "INSERT INTO seen (id, pending_revision, pending_hash, pending_until, pending_owner) "
                    "VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET pending_revision = excluded.pending_revision, "
                    "pending_hash = excluded.pending_hash, pending_until = excluded.pending_until, "
                    "pending_owner = excluded.pending_owner",
                    (article_id, next_rev, content_hash, now + PENDING_LEASE_S, self._owner),
                )
                decision = Decision("new" if revision == 0 else "changed", next_rev)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return decision

    def confirm(self, article_id: str, revision: int, content_hash: str) -> None:
        """Kafka acknowledged this revision: it is now the one later polls compare against."""
        db = self._transaction()
        try:
            db.execute(
                "UPDATE seen SET revision = ?, content_hash = ?, confirmed_at = ? "
                "WHERE id = ? AND revision < ?",
                (revision, content_hash, self._clock(), article_id, revision),
            )
            db.execute(
                "UPDATE seen SET pending_revision = NULL, pending_hash = NULL, pending_until = NULL "
                "WHERE id = ? AND pending_revision = ?",
                (article_id, revision),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def unchanged_since(self, url: str, modified_at: datetime) -> bool:
        """True when the article of ``url`` is on Kafka as of ``modified_at`` or later."""
        row = self._db.execute("SELECT source_modified FROM urls WHERE url = ?", (url,)).fetchone()
        return row is not None and row[0] >= _utc(modified_at)

    def remember_url(self, url: str, modified_at: datetime) -> None:
        """The article of ``url`` as of ``modified_at`` is on Kafka (never moves the date back)."""
        self._db.execute(
            "INSERT INTO urls (url, source_modified) VALUES (?, ?) ON CONFLICT(url) DO UPDATE SET "
            "source_modified = max(source_modified, excluded.source_modified)",
            (url, _utc(modified_at)),
        )

    def release(self, article_id: str, revision: int) -> None:
        """Delivery failed: drop the reservation so the next poll tries again."""
        self._db.execute(
            "UPDATE seen SET pending_revision = NULL, pending_hash = NULL, pending_until = NULL "
            "WHERE id = ? AND pending_revision = ?",
            (article_id, revision),
        )

    def confirmed(self, article_id: str) -> tuple[int, str | None]:
        """(last acknowledged revision, its content hash); (0, None) if never published."""
        row = self._db.execute(
            "SELECT revision, content_hash FROM seen WHERE id = ?", (article_id,)
        ).fetchone()
        return (row[0], row[1]) if row else (0, None)

    def close(self) -> None:
        self._db.close()


def _utc(moment: datetime) -> str:
    """Sortable text: aware UTC ISO 8601 (a naive date is taken as UTC)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat()


def process_identity(pid: int) -> str | None:
    """``pid:start ticks`` of a live process (the start time tells a reused pid apart), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (command)": the command may hold spaces
    if fields[0] == "Z":  # a zombie: dead, not yet reaped
        return None
    return f"{pid}:{fields[19]}"  # field 22 of proc(5): starttime


def owner_alive(owner: str | None) -> bool:
    """Whether the process that made a reservation still runs (unknown owner: trust the lease)."""
    if owner is None:
        return True
    return process_identity(int(owner.split(":", 1)[0])) == owner
