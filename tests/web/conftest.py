"""Fixtures for the search page tests: an index of test articles on the shared Elasticsearch, the app
served by uvicorn on a port of the web page's range, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from elasticsearch import Elasticsearch, NotFoundError, helpers

from indexing import templates
from indexing.documents import to_index_document
from schemas.settings import Settings
from tests.indexing.helpers import wait_for
from tests.web.fixtures import all_events
from web.app import create_app

REPO = Path(__file__).resolve().parents[2]
# The web page's port range (8000 is `newsflow web`'s default, left to the demo).
TEST_PORTS = range(8001, 8100)


@pytest.fixture(scope="module")
def salt() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="module")
def web_settings(stack: Settings, salt: str) -> Iterator[Settings]:
    """Settings on this module's own alias, holding all_events(salt); the index is deleted afterwards."""
    settings = stack.model_copy(update={"index_alias": f"articles-web-{salt}", "web_export_max_rows": 40})
    es = Elasticsearch(settings.es_url)
    templates.ensure_index(es, settings.index_alias)
    actions = (
        {"_index": settings.index_alias, "_id": e.id, "_source": to_index_document(e)}
        for e in all_events(salt)
    )
    helpers.bulk(es, actions, refresh="wait_for")
    yield settings
    indices = es.indices.get(index=f"{settings.index_alias}-v*", allow_no_indices=True).body
    if indices:
        es.indices.delete(index=",".join(indices))
    with contextlib.suppress(NotFoundError):
        es.indices.delete_index_template(name=templates.template_name(settings.index_alias))
    es.close()


def free_port() -> int:
    for port in TEST_PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {TEST_PORTS}")


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app on a free port in a thread; yields its base URL, stops it on exit."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, 30, "the web server to start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture(scope="module")
def base_url(web_settings: Settings) -> Iterator[str]:
    with serving(web_settings) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed by the project's script when missing (quick when present)."""
    if shutil.which("chromium") is None:
        subprocess.run(["bash", str(REPO / "infra" / "install-chromium.sh")], check=True, timeout=900)
    path = shutil.which("chromium")
    assert path, "infra/install-chromium.sh did not install chromium"
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
