"""Duplicates, then stories, for one article at a time over a sliding window of articles (pure).

``assign`` is the whole decision: a copy (exact or near) takes its original's story; an original
joins the most similar live story or founds one. An article seen before (a replay, a new revision)
keeps the assignment it got the first time, so re-reading the topic changes nothing. ``restore``
replays a stored assignment into the state without deciding anything (a restart).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from indexing.stories.clusterer import Story, StoryClusterer
from indexing.stories.dedup import DuplicateIndex
from indexing.stories.features import StoryInput

WINDOW_ARTICLES = 100_000
"""Articles kept in the window (dedup index, document frequencies, live stories). 100k is a few days
of a few hundred sources; the state measured by ``bench.stories`` is ~720 MB per 100k articles (RSS
growth; ~620 MB by sys.getsizeof; docs/benchmarks.md, "Stories"), so it is bounded by this number, not
by the stream."""


@dataclass(frozen=True)
class Assignment:
    """What the stage writes for one article."""

    article_id: str
    story_id: str
    duplicate_of: str | None


@dataclass
class CopyGroup:
    """An original and the sources that carried copies of it."""

    copies: int = 0
    sources: set[str] = field(default_factory=set)


@dataclass
class Outcome:
    """One article's assignment and what it changed: the stories and originals to rewrite."""

    assignment: Assignment
    story: Story
    original: str | None = None
    fresh: bool = True  # decided now (to be written), not recalled or restored


@dataclass
class Assigner:
    window_articles: int = WINDOW_ARTICLES
    dedup: DuplicateIndex = field(default_factory=DuplicateIndex)
    clusterer: StoryClusterer = field(default_factory=StoryClusterer)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    groups: dict[str, CopyGroup] = field(default_factory=dict)
    _window: deque[tuple[str, tuple[str, ...]]] = field(default_factory=deque)

    def assign(self, article: StoryInput) -> Outcome:
        """Decide (or recall) the article's duplicate original and story, and update the state."""
        known = self.assignments.get(article.id)
        if known is not None:
            story = self.clusterer.stories.get(known.story_id)
            if story is not None:
                return Outcome(known, story, known.duplicate_of, fresh=False)
        original = self.dedup.find(article)
        idfs = self.clusterer.idfs(article)
        if original is not None and original in self.assignments:
            story_id: str | None = self.assignments[original].story_id
        else:
            original = None
            story_id, _ = self.clusterer.best_story(article, idfs)
        return self._apply(article, story_id, original, idfs)

    def restore(self, article: StoryInput, story_id: str, duplicate_of: str | None) -> Outcome:
        """Put a stored assignment back into the state (after a restart), deciding nothing."""
        if article.id in self.assignments:
            known = self.assignments[article.id]
            return Outcome(known, self.clusterer.stories[known.story_id], known.duplicate_of, fresh=False)
        outcome = self._apply(
            article, story_id, duplicate_of, self.clusterer.idfs(article), founding_id=story_id
        )
        outcome.fresh = False  # stored already: nothing to write
        return outcome

    def _apply(
        self,
        article: StoryInput,
        story_id: str | None,
        original: str | None,
        idfs: dict[str, float],
        founding_id: str | None = None,
    ) -> Outcome:
        terms = tuple(article.terms)  # kept in the window for the document frequencies
        self.clusterer.count_terms(terms)
        story = self.clusterer.stories.get(story_id) if story_id else None
        if story is None:
            story = self.clusterer.found(article, founding_id or story_id)
        self.clusterer.join(story, article, idfs, copy=original is not None)
        self.dedup.add(article, original or article.id)
        assignment = Assignment(article.id, story.id, original)
        self.assignments[article.id] = assignment
        if original is not None:
            group = self.groups.setdefault(original, CopyGroup())
            group.copies += 1
            group.sources.add(article.source)
        self._window.append((article.id, terms))
        while len(self._window) > self.window_articles:
            self._evict(*self._window.popleft())
        return Outcome(assignment, story, original)

    def _evict(self, article_id: str, terms: tuple[str, ...]) -> None:
        assignment = self.assignments.pop(article_id)
        self.dedup.evict(article_id)
        self.clusterer.count_terms(terms, -1)
        self.clusterer.leave(assignment.story_id)
        self.groups.pop(article_id, None)

    def __len__(self) -> int:
        return len(self._window)
