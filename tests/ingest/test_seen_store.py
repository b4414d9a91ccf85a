import multiprocessing
import os
import signal
import subprocess
import sys
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from ingest.seen_store import PENDING_LEASE_S, SeenStore

HASH_A = "a" * 64
HASH_B = "b" * 64


def test_new_then_unchanged_after_confirm_then_changed(tmp_path: Path) -> None:
    store = SeenStore(tmp_path / "seen.sqlite")
    first = store.classify_and_reserve("1" * 32, HASH_A)
    assert (first.status, first.revision) == ("new", 1)
    store.confirm("1" * 32, 1, HASH_A)
    assert store.classify_and_reserve("1" * 32, HASH_A).status == "unchanged"
    changed = store.classify_and_reserve("1" * 32, HASH_B)
    assert (changed.status, changed.revision) == ("changed", 2)


def test_nothing_is_recorded_until_delivery_is_confirmed(tmp_path: Path) -> None:
    store = SeenStore(tmp_path / "seen.sqlite")
    store.classify_and_reserve("1" * 32, HASH_A)
    assert store.confirmed("1" * 32) == (0, None)
    store.release("1" * 32, 1)  # delivery failed
    assert store.classify_and_reserve("1" * 32, HASH_A).status == "new"


def test_a_crashed_runs_reservation_expires(tmp_path: Path) -> None:
    now = [1000.0]
    crashed = SeenStore(tmp_path / "seen.sqlite", clock=lambda: now[0])
    crashed.classify_and_reserve("1" * 32, HASH_A)  # ... and the process dies before delivery
    later = SeenStore(tmp_path / "seen.sqlite", clock=lambda: now[0])
    assert later.classify_and_reserve("1" * 32, HASH_A).status == "unchanged"  # in flight elsewhere
    now[0] += PENDING_LEASE_S + 1
    assert later.classify_and_reserve("1" * 32, HASH_A).status == "new"


def test_survives_restart(tmp_path: Path) -> None:
    store = SeenStore(tmp_path / "seen.sqlite")
    store.classify_and_reserve("1" * 32, HASH_A)
    store.confirm("1" * 32, 1, HASH_A)
    store.close()
    assert SeenStore(tmp_path / "seen.sqlite").confirmed("1" * 32) == (1, HASH_A)


def _race(path: str, ids: list[str], start: Barrier, out: Queue) -> None:
    store = SeenStore(Path(path))
    won = []
    half = len(ids) // 2
    # Two rounds, both processes released together each time: in the second round each one
    # goes over the ids the other has just claimed, so both win some and both meet the other's
    # writes, however the machine schedules them.
    for part in (ids[:half], ids[half:]):
        start.wait()
        for article_id in part:
            decision = store.classify_and_reserve(article_id, HASH_A)
            if decision.status == "new":
                store.confirm(article_id, decision.revision, HASH_A)
                won.append(article_id)
    out.put(won)


def test_two_processes_at_once_publish_each_article_exactly_once(tmp_path: Path) -> None:
    ids = [f"{i:032x}" for i in range(1000)]
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    path = str(tmp_path / "seen.sqlite")
    SeenStore(Path(path)).close()  # schema + WAL mode before the race
    procs = [ctx.Process(target=_race, args=(path, order, start, out)) for order in (ids, ids[::-1])]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert sorted(results[0] + results[1]) == ids  # every id won by exactly one process
    assert all(results)  # and both really raced


def test_a_url_is_unchanged_until_its_source_date_moves_past_the_remembered_one(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta, timezone

    store = SeenStore(tmp_path / "seen.sqlite")
    may = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    url = "https://example.org/a"
    assert not store.unchanged_since(url, may)
    store.remember_url(url, may)
    assert store.unchanged_since(url, may)
    assert store.unchanged_since(url, may.astimezone(timezone(timedelta(hours=2))))  # same instant
    assert store.unchanged_since(url, may - timedelta(days=1))
    assert not store.unchanged_since(url, may + timedelta(seconds=1))
    store.remember_url(url, may - timedelta(days=3))  # never moves the date back
    assert store.unchanged_since(url, may)


def test_a_killed_processs_reservation_is_void_at_once(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite"
    reserve_then_die = (
        "import os, signal, sys; from pathlib import Path; from ingest.seen_store import SeenStore; "
        "SeenStore(Path(sys.argv[1])).classify_and_reserve('1' * 32, 'a' * 64); "
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    repo = Path(__file__).resolve().parents[2]
    child = subprocess.run(
        [sys.executable, "-c", reserve_then_die, str(path)], env=os.environ | {"PYTHONPATH": str(repo)}
    )
    assert child.returncode == -signal.SIGKILL
    assert SeenStore(path).classify_and_reserve("1" * 32, HASH_A).status == "new"  # not "in flight"
