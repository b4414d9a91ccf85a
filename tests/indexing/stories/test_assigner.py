"""The stories stage's pure core: copies collapse, rewrites join their story, other stories stay apart."""

from __future__ import annotations

from indexing.stories.assigner import Assigner
from indexing.stories.features import from_event
from tests.indexing.stories.articles import background, event, newsbench, syndicated

CAMPAIGN = "APNews_2024_09_03"  # AP: "The presidential campaigns brace for a sprint to Election Day"
OIL = "EuronewsEN_2026_01_06"  # "As Trump pitches Venezuelan oil dream, experts warn it won't be easy"
CHINA = "NineNews_2026_07_04"  # "Trump 'congratulates' China in dig at Supreme Court ruling"


def test_copies_with_other_boilerplate_title_and_cut_collapse_onto_the_first_seen() -> None:
    events = syndicated(newsbench(CAMPAIGN), ("Kamala Harris", "Donald Trump", "Pennsylvania"))
    assigner = Assigner()
    original = assigner.assign(from_event(events["original"]))
    herald = assigner.assign(from_event(events["herald"]))
    metro = assigner.assign(from_event(events["metro"]))
    assert original.assignment.duplicate_of is None
    assert herald.assignment.duplicate_of == metro.assignment.duplicate_of == events["original"].id
    assert assigner.groups[events["original"].id].copies == 2
    assert assigner.groups[events["original"].id].sources == {"herald.test", "metro.test"}
    assert {herald.assignment.story_id, metro.assignment.story_id} == {original.assignment.story_id}


def test_a_copy_seen_first_is_the_original_of_the_full_article() -> None:
    events = syndicated(newsbench(CAMPAIGN), ())
    assigner = Assigner()
    assigner.assign(from_event(events["herald"]))
    full = assigner.assign(from_event(events["original"]))
    assert full.assignment.duplicate_of == events["herald"].id


def test_a_rewrite_joins_its_story_without_being_a_copy() -> None:
    events = syndicated(newsbench(CAMPAIGN), ("Kamala Harris", "Donald Trump", "Pennsylvania"))
    assigner = Assigner()
    for name in ("original", "herald", "metro"):
        assigner.assign(from_event(events[name]))
    rewrite = assigner.assign(from_event(events["rewrite"]))
    assert rewrite.assignment.duplicate_of is None
    assert rewrite.assignment.story_id == events["original"].id
    assert rewrite.story.article_count == 4
    assert set(rewrite.story.sources) == {"wire.test", "herald.test", "metro.test", "ledger.test"}


def test_an_unrelated_article_on_the_same_topic_founds_its_own_story() -> None:
    oil, china = newsbench(OIL), newsbench(CHINA)
    assigner = Assigner()
    for other in background(40, exclude={OIL, CHINA, CAMPAIGN}):
        assigner.assign(from_event(other))
    first = assigner.assign(
        from_event(
            event(1, oil.title, oil.paragraphs, domain="a.test", entities=("Donald Trump", "Venezuela"))
        )
    )
    second = assigner.assign(
        from_event(
            event(
                2, china.title, china.paragraphs, domain="b.test", entities=("Donald Trump", "China"), hours=3
            )
        )
    )
    assert second.assignment.story_id != first.assignment.story_id
    assert second.assignment.duplicate_of is None


def test_the_same_stream_gives_the_same_ids_and_a_seen_article_keeps_its_assignment() -> None:
    stream = [
        *syndicated(newsbench(CAMPAIGN), ("Donald Trump",)).values(),
        *syndicated(newsbench(OIL), ("Venezuela",), salt="oil").values(),
    ]
    runs = []
    for _ in range(2):
        assigner = Assigner()
        runs.append([assigner.assign(from_event(e)).assignment for e in stream])
    assert runs[0] == runs[1]
    again = assigner.assign(from_event(stream[3]))
    assert (again.assignment, again.fresh) == (runs[1][3], False)


def test_restored_assignments_rebuild_the_state_that_assigning_built() -> None:
    events = list(syndicated(newsbench(CAMPAIGN), ("Donald Trump",)).values())
    live, restored = Assigner(), Assigner()
    for e in events[:3]:
        outcome = live.assign(from_event(e))
        restored.restore(from_event(e), outcome.assignment.story_id, outcome.assignment.duplicate_of)
    assert restored.assign(from_event(events[3])).assignment == live.assign(from_event(events[3])).assignment
    assert restored.groups == live.groups


def test_the_window_forgets_the_oldest_articles() -> None:
    events = list(syndicated(newsbench(CAMPAIGN), ()).values())
    assigner = Assigner(window_articles=2)
    for e in events[:3]:
        assigner.assign(from_event(e))
    assert len(assigner) == 2
    assert events[0].id not in assigner.assignments
    assert len(assigner.dedup) == 2


def test_a_page_dated_without_a_zone_is_taken_as_utc_and_joins_its_story() -> None:
    events = syndicated(newsbench(CAMPAIGN), ("Kamala Harris", "Donald Trump", "Pennsylvania"))
    rewrite = events["rewrite"]
    assert rewrite.published_at is not None
    naive = rewrite.model_copy(update={"published_at": rewrite.published_at.replace(tzinfo=None)})
    assigner = Assigner()
    for name in ("original", "herald", "metro"):
        assigner.assign(from_event(events[name]))
    outcome = assigner.assign(from_event(naive))
    assert from_event(naive).published_at == rewrite.published_at
    assert outcome.assignment.story_id == events["original"].id
