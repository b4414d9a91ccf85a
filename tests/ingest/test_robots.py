import asyncio

from ingest.fetch.robots import RobotsCache, user_agent_token

UA = "newsflow/0.1 (+mailto:x@example.org)"
ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n\nUser-agent: newsflow\nDisallow: /nobots/\n"


class FakeSite:
    def __init__(self, answers: list[tuple[int | None, bytes]]) -> None:
        self.answers = answers
        self.calls = 0

    async def fetch(self, url: str) -> tuple[int | None, bytes]:
        assert url.endswith("/robots.txt")
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return answer


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make(answers: list[tuple[int | None, bytes]], clock: Clock | None = None) -> tuple[RobotsCache, FakeSite]:
    site = FakeSite(answers)
    return RobotsCache(site.fetch, UA, ttl_s=100, error_retry_s=10, clock=clock or Clock()), site


def test_user_agent_token_is_the_product_name() -> None:
    assert user_agent_token(UA) == "newsflow"


def test_our_group_is_obeyed_and_crawl_delay_exposed() -> None:
    cache, _ = make([(200, ROBOTS)])
    assert not asyncio.run(cache.check("http://h/nobots/a.html")).allowed
    verdict = asyncio.run(cache.check("http://h/news/a.html"))
    assert verdict.allowed


def test_star_group_applies_when_no_group_names_us() -> None:
    cache, _ = make([(200, b"User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n")])
    verdict = asyncio.run(cache.check("http://h/private/x"))
    assert (verdict.allowed, verdict.reason, verdict.crawl_delay_s) == (False, "disallowed", 3.0)


def test_cached_per_host_until_ttl() -> None:
    clock = Clock()
    cache, site = make([(200, ROBOTS)], clock)

    async def many() -> None:
        await asyncio.gather(*(cache.check(f"http://h/p{i}") for i in range(20)))

    asyncio.run(many())
    assert site.calls == 1
    clock.now = 101
    asyncio.run(cache.check("http://h/p"))
    assert site.calls == 2
    asyncio.run(cache.check("http://other/p"))
    assert site.calls == 3


def test_4xx_allows_everything() -> None:
    cache, _ = make([(404, b"")])
    assert asyncio.run(cache.check("http://h/private/x")).allowed


def test_5xx_or_timeout_disallows_for_a_while_then_asks_again() -> None:
    clock = Clock()
    cache, site = make([(503, b""), (None, b""), (200, b"")], clock)
    verdict = asyncio.run(cache.check("http://h/a"))
    assert (verdict.allowed, verdict.reason) == (False, "robots_unavailable")
    assert "503" in cache.detail("http://h/a")
    clock.now = 11
    assert asyncio.run(cache.check("http://h/a")).reason == "robots_unavailable"
    clock.now = 22
    assert asyncio.run(cache.check("http://h/a")).allowed
    assert site.calls == 3
