import asyncio
import itertools
import time

from ingest.fetch.politeness import HostGate, parse_retry_after
from ingest.fetch.retry import backoff_s, is_retryable_status


async def starts(gate: HostGate, host: str, n: int, hold_s: float = 0.0) -> list[float]:
    stamps: list[float] = []

    async def one() -> None:
        async with gate.slot(host):
            stamps.append(time.monotonic())
            await asyncio.sleep(hold_s)

    await asyncio.gather(*(one() for _ in range(n)))
    return sorted(stamps)


def test_min_delay_between_request_starts_per_host() -> None:
    stamps = asyncio.run(starts(HostGate(4, 0.05, 10), "h", 4))
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.045


def test_per_host_concurrency_bound() -> None:
    gate = HostGate(2, 0.0, 10)
    active = peak = 0

    async def one() -> None:
        nonlocal active, peak
        async with gate.slot("h"):
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(0.01)
            active -= 1

    async def main() -> None:
        await asyncio.gather(*(one() for _ in range(10)))

    asyncio.run(main())
    assert peak == 2


def test_hosts_do_not_wait_for_each_other() -> None:
    gate = HostGate(1, 0.2, 10)

    async def main() -> float:
        began = time.monotonic()
        await asyncio.gather(*(starts(gate, f"h{i}", 1) for i in range(5)))
        return time.monotonic() - began

    assert asyncio.run(main()) < 0.15


def test_crawl_delay_raises_the_gap_and_is_capped() -> None:
    gate = HostGate(4, 0.01, max_delay_s=0.08)
    gate.set_crawl_delay("h", 30)
    assert gate.gap_s("h") == 0.08
    stamps = asyncio.run(starts(gate, "h", 2))
    assert stamps[1] - stamps[0] >= 0.075


def test_retry_after_delays_the_next_start() -> None:
    gate = HostGate(1, 0.0, 10)

    async def main() -> float:
        gate.retry_after("h", 0.1)
        began = time.monotonic()
        await starts(gate, "h", 1)
        return time.monotonic() - began

    assert asyncio.run(main()) >= 0.09


def test_retry_after_parses_seconds_and_dates() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now_s=1445412470.0) == 10
    assert parse_retry_after("soon") is None


def test_retry_policy_and_full_jitter_bounds() -> None:
    assert all(is_retryable_status(s) for s in (429, 500, 502, 503, 504))
    assert not any(is_retryable_status(s) for s in (400, 401, 403, 404, 410))
    for attempt in range(6):
        assert 0 <= backoff_s(attempt, 500, 4000) <= min(4.0, 0.5 * 2**attempt)
