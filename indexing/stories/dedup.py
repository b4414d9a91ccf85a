"""Copies of one article under other URLs: exact content hash first, then shared sentences (pure).

A near-duplicate is found with a bottom-k MinHash over sentence shingles: each article is indexed
under its SKETCH_SIZE smallest sentence hashes (the LSH keys); an article sharing one of those keys
is a candidate, confirmed when at least half the sentences of the shorter of the two are in the other
(containment). Containment, not Jaccard: a truncated copy holds a fraction of the original, all of it
copied. Independent of URLs and titles (syndicated copies change both).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field

from indexing.stories.features import StoryInput

SKETCH_SIZE = 6
"""Sentence hashes indexed per article. A copy truncated to 60 % of the original's sentences misses
all of the original's 6 smallest hashes with probability ~0.4^6 = 0.4 %; more keys cost memory
(~100 bytes per key in the window) and candidates for nothing on the labelled set (bench.stories)."""

MIN_CONTAINMENT = 0.5
"""Share of the shorter article's sentences found in the other for it to be a copy. On the labelled set
(bench.stories) copies share 0.62-1.0 (median 0.95; the lowest is a publisher's page against the wire's
rendering of the same text, split into sentences differently); no two distinct articles of the 1,285
reach it (duplicates precision 1.000 at 0.5 and 0.6 alike). 0.5 leaves a margin below the lowest copy.
Re-run ``python -m bench.stories`` after changing it."""

MIN_SHARED_SENTENCES = 2
"""An article of one long sentence would otherwise be a copy of anything quoting it."""


@dataclass
class _Entry:
    canonical: str
    sentences: array[int]  # sorted 64-bit hashes: ~8 bytes each, a frozenset of ints costs ~10x that
    keys: tuple[int, ...]


@dataclass
class DuplicateIndex:
    """Articles in the window by content hash and by sketch key; ``find`` then ``add`` per article."""

    _by_hash: dict[str, str] = field(default_factory=dict)
    _by_key: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _hash_of: dict[str, str] = field(default_factory=dict)

    def find(self, article: StoryInput) -> str | None:
        """The canonical (first seen) copy ``article`` duplicates, or None if it is an original."""
        first = self._by_hash.get(article.content_hash)
        if first is not None and first != article.id:
            return self._entries[first].canonical
        best, best_share = None, 0.0
        for candidate in self._candidates(article):
            share = self._containment(article.sentence_hashes, self._entries[candidate].sentences)
            if share > best_share:
                best, best_share = candidate, share
        return self._entries[best].canonical if best is not None else None

    def _candidates(self, article: StoryInput) -> list[str]:
        seen: dict[str, None] = {}
        for key in sorted(article.sentence_hashes):
            for other in self._by_key.get(key, ()):
                if other != article.id:
                    seen.setdefault(other)
        return list(seen)

    @staticmethod
    def _containment(a: frozenset[int], b: array[int]) -> float:
        shared = sum(1 for sentence in b if sentence in a)
        if shared < MIN_SHARED_SENTENCES:
            return 0.0
        share = shared / min(len(a), len(b))
        return share if share >= MIN_CONTAINMENT else 0.0

    def add(self, article: StoryInput, canonical: str) -> None:
        """Index ``article`` (an original: ``canonical`` = its id; a copy: the original's id)."""
        if article.id in self._entries:
            return
        ordered = sorted(article.sentence_hashes)
        keys = tuple(ordered[:SKETCH_SIZE])
        self._entries[article.id] = _Entry(canonical, array("Q", ordered), keys)
        self._by_hash.setdefault(article.content_hash, article.id)
        self._hash_of[article.id] = article.content_hash
        for key in keys:
            self._by_key[key].append(article.id)

    def evict(self, article_id: str) -> None:
        """Forget an article that left the window."""
        entry = self._entries.pop(article_id, None)
        if entry is None:
            return
        content_hash = self._hash_of.pop(article_id)
        if self._by_hash.get(content_hash) == article_id:
            del self._by_hash[content_hash]
        for key in entry.keys:
            ids = self._by_key.get(key)
            if ids is not None:
                ids.remove(article_id)
                if not ids:
                    del self._by_key[key]

    def __len__(self) -> int:
        return len(self._entries)
