"""The retry policy of newsflow's raw Prefect API calls (pure: a fake transport, no server, no sleeping)."""

from __future__ import annotations

import httpx
import pytest

from flows.prefect_http import BACKOFF_S, MAX_RETRIES, MAX_WAIT_S, prefect_request, retry_wait

URL = "http://prefect.test/api/deployments/d1/create_flow_run"


def _client(statuses: list[int], headers: dict[str, str] | None = None) -> tuple[httpx.Client, list[int]]:
    answers = iter(statuses)
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        seen.append(status)
        return httpx.Response(status, json={"id": "run-1"}, headers=headers or {})

    return httpx.Client(transport=httpx.MockTransport(handler)), seen


def test_a_busy_server_is_asked_again_with_growing_waits() -> None:
    client, seen = _client([503, 429, 503, 201])
    waits: list[float] = []
    response = prefect_request("POST", URL, json={}, timeout=5, client=client, sleep=waits.append)
    assert response.json() == {"id": "run-1"} and seen == [503, 429, 503, 201]
    assert waits == [BACKOFF_S, 2 * BACKOFF_S, 4 * BACKOFF_S]


def test_other_errors_are_raised_at_once_and_busy_ones_after_the_last_retry() -> None:
    client, seen = _client([404])
    with pytest.raises(httpx.HTTPStatusError):
        prefect_request("GET", URL, timeout=5, client=client, sleep=lambda _s: None)
    assert seen == [404]
    client, seen = _client([503] * (MAX_RETRIES + 1))
    with pytest.raises(httpx.HTTPStatusError, match="503"):
        prefect_request("GET", URL, timeout=5, client=client, sleep=lambda _s: None)
    assert len(seen) == MAX_RETRIES + 1


def test_the_servers_retry_after_is_honoured_up_to_the_cap() -> None:
    assert retry_wait(httpx.Response(503, headers={"Retry-After": "3"}), 0) == 3.0
    assert retry_wait(httpx.Response(503, headers={"Retry-After": "600"}), 0) == MAX_WAIT_S
    assert (
        retry_wait(httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}), 2)
        == 4 * BACKOFF_S
    )
