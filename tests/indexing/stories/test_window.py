"""The assigner's speed-ups change no decision: the decisions of the core before them (171544a, stored),
the time-decay bound that skips candidates, and a restart and a replay over a window that evicts."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.stories import synthetic
from indexing.stories.assigner import Assigner
from indexing.stories.clusterer import TIME_SCALE_H

DECISIONS = json.loads(Path(__file__).with_name("decisions_171544a.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stream", ["sparse", "dense"])
def test_every_article_gets_the_story_the_core_before_the_speed_work_gave_it(stream: str) -> None:
    spec = DECISIONS[stream]
    assigner = Assigner(window_articles=spec["window"])
    articles = synthetic(spec["count"], seed=spec["seed"], spacing_s=spec["spacing_s"])
    story_of = [int(assigner.assign(article).assignment.story_id, 16) for article in articles]
    assert story_of == spec["story_of"]
    assert len(assigner) == spec["window"]


def test_no_candidate_scores_above_the_bound_that_lets_it_be_skipped() -> None:
    assigner = Assigner(window_articles=400)
    clusterer = assigner.clusterer
    checked = 0
    for article in synthetic(1_200, seed=3, spacing_s=600.0):
        idfs = clusterer.idfs(article)
        vector = {term: tf * idfs[term] for term, tf in article.terms.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        squared = {term: weight * idfs[term] for term, weight in vector.items()}
        bound = clusterer.score_bound()
        for story_id in clusterer._candidates(article, vector):
            story = clusterer.stories[story_id]
            gap_h = abs((article.published_at - story.last_seen).total_seconds()) / 3600
            decay = math.exp(-0.5 * (gap_h / TIME_SCALE_H) ** 2)
            assert clusterer.similarity(article, squared, norm, story) <= bound * decay
            checked += 1
        assigner.assign(article)
    assert checked > 1_000


def test_a_restart_restores_a_full_window_and_decides_the_rest_as_without_it() -> None:
    articles = list(synthetic(900, seed=5, spacing_s=600.0))
    live = Assigner(window_articles=300)
    first = [live.assign(a).assignment for a in articles[:600]]
    restarted = Assigner(window_articles=300)
    for article, assignment in zip(articles[:600], first, strict=True):  # the stage reads the topic again
        restarted.restore(article, assignment.story_id, assignment.duplicate_of)
    assert len(restarted) == len(live) == 300
    assert restarted.assignments == live.assignments
    assert set(restarted.clusterer.stories) == set(live.clusterer.stories)
    rest = articles[600:]
    assert [restarted.assign(a).assignment for a in rest] == [live.assign(a).assignment for a in rest]


def test_a_replay_keeps_the_ids_of_the_articles_still_in_the_window() -> None:
    articles = list(synthetic(500, seed=9, spacing_s=600.0))
    assigner = Assigner(window_articles=200)
    first = {a.id: assigner.assign(a).assignment for a in articles}
    replayed = [assigner.assign(a) for a in articles[-200:]]
    assert all(not outcome.fresh for outcome in replayed)
    assert [o.assignment for o in replayed] == [first[a.id] for a in articles[-200:]]
