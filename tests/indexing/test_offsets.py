from indexing.offsets import OffsetTracker

TP = ("articles", 0)
TP1 = ("articles", 1)


def test_commit_position_waits_for_the_oldest_record_in_flight() -> None:
    tracker = OffsetTracker()
    for offset in (0, 1, 2):
        tracker.add(TP, offset)
    tracker.done(TP, 1)
    tracker.done(TP, 2)
    assert tracker.committable() == {}
    tracker.done(TP, 0)
    assert tracker.committable() == {TP: 3}


def test_gaps_in_offsets_follow_arrival_order() -> None:
    tracker = OffsetTracker()
    for offset in (5, 9, 12):
        tracker.add(TP, offset)
    tracker.done(TP, 5)
    assert tracker.committable() == {TP: 6}
    tracker.done(TP, 12)
    assert tracker.committable() == {TP: 6}
    tracker.done(TP, 9)
    assert tracker.committable() == {TP: 13}


def test_partitions_are_independent() -> None:
    tracker = OffsetTracker()
    tracker.add(TP, 0)
    tracker.add(TP1, 0)
    tracker.done(TP1, 0)
    assert tracker.committable() == {TP1: 1}
    assert tracker.pending() == 1
    assert tracker.pending([TP1]) == 0


def test_committed_positions_are_not_offered_again() -> None:
    tracker = OffsetTracker()
    tracker.add(TP, 0)
    tracker.done(TP, 0)
    tracker.mark_committed(tracker.committable())
    assert tracker.committable() == {}
    assert tracker.safe_offsets() == {TP: 1}
    tracker.add(TP, 1)
    tracker.done(TP, 1)
    assert tracker.committable() == {TP: 2}


def test_revoked_partitions_are_forgotten_and_late_acks_ignored() -> None:
    tracker = OffsetTracker()
    tracker.add(TP, 0)
    tracker.add(TP, 1)
    tracker.done(TP, 0)
    tracker.drop([TP])
    tracker.done(TP, 1)
    assert tracker.committable() == {}
    assert tracker.pending() == 0


def test_a_dead_lettered_record_counts_like_an_indexed_one() -> None:
    tracker = OffsetTracker()
    tracker.add(TP, 0)  # indexed
    tracker.add(TP, 1)  # dead-lettered once its letter is delivered
    tracker.done(TP, 1)
    tracker.done(TP, 0)
    assert tracker.committable() == {TP: 2}
