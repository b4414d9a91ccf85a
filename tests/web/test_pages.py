"""The search page over HTTP (no browser): read-only, token, caps, security headers, bad parameters."""

from __future__ import annotations

import httpx
import pytest

from schemas.settings import Settings
from tests.web.conftest import serving

pytestmark = pytest.mark.stack


def test_only_get_is_served(base_url: str) -> None:
    assert httpx.post(f"{base_url}/", data={"q": "x"}).status_code == 405
    assert httpx.delete(f"{base_url}/article/{'0' * 32}").status_code == 405


def test_pages_carry_a_content_security_policy(base_url: str) -> None:
    response = httpx.get(f"{base_url}/?q=election")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_malformed_parameters_are_dropped_with_a_note(base_url: str) -> None:
    response = httpx.get(f"{base_url}/", params={"since": "yesterday", "after": "[{", "q": "x" * 5000})
    assert response.status_code == 200
    assert "since must be a day" in response.text and "page link was damaged" in response.text


def test_unknown_article_is_a_404_page(base_url: str) -> None:
    assert httpx.get(f"{base_url}/article/{'0' * 32}").status_code == 404
    assert httpx.get(f"{base_url}/article/..%2f..%2fetc").status_code == 404


def test_token_is_required_when_set_and_then_kept_in_a_cookie(web_settings: Settings) -> None:
    with serving(web_settings.model_copy(update={"web_token": "s3cret"})) as url:
        assert httpx.get(f"{url}/?q=election").status_code == 401
        assert httpx.get(f"{url}/?q=election&token=wrong").status_code == 401
        with httpx.Client(follow_redirects=True) as client:
            response = client.get(f"{url}/?q=election&token=s3cret")
            assert response.status_code == 200 and "token" not in str(response.url)
            assert client.get(f"{url}/export.jsonl").status_code == 200
        headers = {"Authorization": "Bearer s3cret"}
        assert httpx.get(f"{url}/healthz", headers=headers).status_code == 200


def test_missing_index_says_to_run_the_indexer(web_settings: Settings) -> None:
    with serving(web_settings.model_copy(update={"index_alias": "articles-web-none"})) as url:
        response = httpx.get(f"{url}/?q=x")
        assert response.status_code == 503 and "newsflow index" in response.text
