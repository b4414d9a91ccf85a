from __future__ import annotations

from ingest.identity import article_id, canonical_url, normalize, source_domain


def test_normalize_drops_tracking_parameters_fragment_and_default_port() -> None:
    url = "HTTPS://www.Example.com:443/a/b.html?utm_source=rss&b=2&a=1&fbclid=x#comments"
    assert normalize(url) == "https://www.example.com/a/b.html?a=1&b=2"


def test_normalize_resolves_dot_segments() -> None:
    assert normalize("https://example.com/a/../b/c.html") == "https://example.com/b/c.html"


def test_canonical_url_prefers_the_declared_canonical() -> None:
    page = "https://m.example.com/story?id=1&utm_medium=social"
    assert canonical_url(page, "https://example.com/story?id=1") == "https://example.com/story?id=1"


def test_canonical_url_resolves_a_relative_declaration() -> None:
    assert canonical_url("https://example.com/x/y.html", "/x/y") == "https://example.com/x/y"


def test_canonical_url_ignores_a_front_page_canonical_on_an_article() -> None:
    page = "https://example.com/2024/03/story.html"
    assert canonical_url(page, "https://example.com/") == page


def test_canonical_url_ignores_non_http_declarations() -> None:
    assert canonical_url("https://example.com/a", "javascript:void(0)") == "https://example.com/a"


def test_article_id_is_32_hex_and_stable_across_tracking_variants() -> None:
    a = article_id(canonical_url("https://example.com/a?utm_source=x"))
    b = article_id(canonical_url("https://example.com/a#top"))
    assert a == b and len(a) == 32 and int(a, 16) >= 0


def test_source_domain_strips_www_and_port() -> None:
    assert source_domain("https://WWW.Spiegel.de:8443/politik") == "spiegel.de"
    assert source_domain("https://blog.example.org/") == "blog.example.org"
