"""Durable HTTP validators (ETag, Last-Modified) per URL, for conditional GETs of feeds/sitemaps.

A small SQLite file in the data dir: it must survive restarts (else every poll re-downloads every
feed) and be shared by concurrent runs on this machine (WAL mode lets readers and one writer work
at once). Losing it is harmless: the next poll is a full GET.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

# How long a writer waits for another process's lock before failing: runs write a row per feed,
# so contention is milliseconds; 30 s only trips on a stuck process.
BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class ValidatorStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            # One run reads on its fetch thread and writes on its main thread, never at once.
            path,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT)"
        )

    def get(self, url: str) -> Validators:
        row = self._db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        return Validators(*row) if row else Validators()

    def put(self, url: str, validators: Validators) -> None:
        if not validators.etag and not validators.last_modified:
            return
        self._db.execute(
            "INSERT INTO validators (url, etag, last_modified) VALUES (?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified",
            (url, validators.etag, validators.last_modified),
        )

    def close(self) -> None:
        self._db.close()
