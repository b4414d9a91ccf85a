"""Stable ids for people and organisations across articles: a canonical-name registry in SQLite.

Every PERSON/ORG entity gets an id ``person:<slug>`` / ``org:<slug>``. The registry remembers, for each id,
its display name and the aliases seen for it within one article (its forms: "Biden" beside "Joe Biden",
"EU" beside "European Union", and a person's surname). A later article's "Biden" alone then maps to
``person:joe-biden`` and is displayed "Joe Biden" -- but only while the alias points at exactly one id
(after "Hunter Biden", "Biden" alone is ambiguous and keeps its own id ``person:biden``).

The file lives in the data dir and is shared by the pool's worker processes: each process opens its own
connection on first use (the pool forks its workers from a fork server, and a SQLite connection must not
cross a fork). WAL mode lets readers and one writer work side by side. ``rebuild`` refills it from the
events on the topic (their entities carry the ids given), e.g. after the file was lost.
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ingest.gazetteer import name_key
from ingest.label_rules import known_org_keys
from schemas.article import Entity

REGISTRY_FILE_NAME = "entity_registry.sqlite3"

ID_PREFIXES = {
    "PERSON": "person", "ORG": "org", "NORP": "norp", "FAC": "fac", "EVENT": "event",
    "PRODUCT": "product", "WORK_OF_ART": "work", "LAW": "law", "GPE": "place", "LOC": "place",
}  # fmt: skip
REGISTERED_LABELS = frozenset({"PERSON", "ORG"})
"""Labels whose names vary across articles (surnames, acronyms) and so go through the registry; other
labels' ids are their slugs (places: their GeoNames id)."""

BUSY_TIMEOUT_MS = 10_000
"""How long a worker waits for another's write lock: a batch's writes take milliseconds, so 10 s means
something is wrong rather than busy."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS names (id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT NOT NULL, label TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (alias, label, id)
);
"""
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """ASCII, lower case, words joined by '-': "Jean-Luc Mélenchon" -> "jean-luc-melenchon"."""
    folded = unicodedata.normalize("NFKD", name.replace("’", "'").replace("'", ""))
    ascii_name = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return _NON_SLUG.sub("-", ascii_name).strip("-") or "x"


def entity_id(label: str, name: str) -> str:
    return f"{ID_PREFIXES[label]}:{slug(name)}"


def _alias_key(name: str) -> str:
    return slug(name)


def _aliases(entity: Entity) -> set[str]:
    """The names an entity was seen under in one article, plus a person's surname."""
    names = {entity.text, *entity.forms}
    words = entity.text.split()
    if entity.label == "PERSON" and len(words) >= 2:
        names.add(words[-1])
    return {_alias_key(name) for name in names}


class EntityRegistry:
    """The registry at ``path`` (``None``: in memory, for tests and benchmarks)."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> EntityRegistry:
        return cls(data_dir / REGISTRY_FILE_NAME)

    def _db(self) -> sqlite3.Connection:
        """This process' connection, opened on first use (never one inherited across a fork)."""
        if self._connection is None or self._pid != os.getpid():
            if self._path is not None:
                self._path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self._path or ":memory:", timeout=BUSY_TIMEOUT_MS / 1000)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def _unique_id(self, db: sqlite3.Connection, alias: str, label: str) -> tuple[str, str] | None:
        rows = db.execute(
            "SELECT a.id, n.name FROM aliases a JOIN names n ON n.id = a.id"
            " WHERE a.alias = ? AND a.label = ?",
            (alias, label),
        ).fetchall()
        return rows[0] if len(rows) == 1 else None

    def _record(self, db: sqlite3.Connection, entity: Entity, entity_id_: str, display: str) -> None:
        db.execute("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", (entity_id_, entity.label, display))
        db.executemany(
            "INSERT OR IGNORE INTO aliases VALUES (?, ?, ?)",
            [(alias, entity.label, entity_id_) for alias in _aliases(entity)],
        )

    def _identify(self, db: sqlite3.Connection, entity: Entity) -> Entity:
        known = self._unique_id(db, _alias_key(entity.text), entity.label)
        if (
            known is None
            and entity.label == "ORG"
            and len(entity.text.split()) == 1
            and name_key(entity.text) not in known_org_keys()  # "Twitter" stays the platform (session 10)
        ):
            person = self._unique_id(db, _alias_key(entity.text), "PERSON")
            if person is not None:  # a known person's surname the model tagged ORG (its most common error)
                entity = entity.model_copy(update={"label": "PERSON"})
                known = person
        if known is None:
            new_id = entity_id(entity.label, entity.text)
            if len(entity.text.split()) > 1 or entity.forms != [entity.text]:
                self._record(db, entity, new_id, entity.text)  # a lone one-word name teaches nothing
            return entity.model_copy(update={"id": new_id})
        known_id, display = known
        self._record(db, entity, known_id, display)
        forms = list(dict.fromkeys([*entity.forms, entity.text]))
        return entity.model_copy(update={"id": known_id, "text": display, "forms": forms})

    def identify(self, documents: Iterable[list[Entity]]) -> list[list[Entity]]:
        """Each document's entities with ids (PERSON/ORG through the registry), in one transaction."""
        db = self._db()
        with db:
            return [
                [self._identify(db, e) if e.label in REGISTERED_LABELS else e for e in entities]
                for entities in documents
            ]

    def replace_all(self, documents: Iterable[list[Entity]]) -> int:
        """The registry emptied and refilled from entities that already carry ids (replayed events), in one
        transaction; returns how many PERSON/ORG entities were recorded."""
        db = self._db()
        count = 0
        with db:
            db.execute("DELETE FROM aliases")
            db.execute("DELETE FROM names")
            for entities in documents:
                for entity in entities:
                    if entity.label in REGISTERED_LABELS and entity.id:
                        self._record(db, entity, entity.id, entity.text)
                        count += 1
        return count

    def size(self) -> int:
        return self._db().execute("SELECT count(*) FROM names").fetchone()[0]
