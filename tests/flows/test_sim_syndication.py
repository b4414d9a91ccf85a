"""The simulated site's syndication is opt-in, and its copies stay copies after real extraction."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flows.sim_site import SimSite, load_pages
from flows.sim_site.corpus import OUTLETS
from flows.sim_site.syndicate import COPY_OUTLETS, REWRITE_OUTLET, WIRE_OUTLET, load_syndicated
from indexing.stories.assigner import Assigner
from indexing.stories.features import from_event
from ingest.extract import Extracted, extract_article
from tests.indexing.factory import make_event

BASE = "http://127.0.0.1:8765"


def test_without_syndication_the_site_serves_only_the_corpus_outlets(corpus_dir: Path) -> None:
    with SimSite(load_pages(24)) as site:
        assert site.outlets == OUTLETS
        assert {p.outlet for p in site.pages} <= set(OUTLETS)


def test_syndication_adds_an_original_two_copies_and_a_rewrite_per_article(corpus_dir: Path) -> None:
    pages = load_syndicated(3)
    assert len(pages) == 3 * 4
    with SimSite(load_pages(24) + pages) as site:
        assert site.outlets == (*OUTLETS, WIRE_OUTLET, *COPY_OUTLETS, REWRITE_OUTLET)
    assert {p.outlet for p in pages} == {WIRE_OUTLET, *COPY_OUTLETS, REWRITE_OUTLET}


def _event(page_html: bytes, url: str, n: int) -> object:
    extracted = extract_article(page_html.decode(), url)
    assert isinstance(extracted, Extracted), extracted
    return make_event(
        n,
        salt=url,
        title=extracted.title,
        text=extracted.text,
        content_hash=hashlib.sha256(extracted.text.encode()).hexdigest(),
        entities=[],
    )


def test_extracted_copies_collapse_and_the_rewrite_is_not_a_copy(corpus_dir: Path) -> None:
    pages = load_syndicated(1)
    events = [_event(p.body(BASE), BASE + p.path, n) for n, p in enumerate(pages)]
    assigner = Assigner()
    outcomes = {p.outlet: assigner.assign(from_event(e)) for p, e in zip(pages, events, strict=True)}
    original = outcomes[WIRE_OUTLET].assignment.article_id
    assert [outcomes[o].assignment.duplicate_of for o in COPY_OUTLETS] == [original, original]
    assert outcomes[REWRITE_OUTLET].assignment.duplicate_of is None
    assert outcomes[REWRITE_OUTLET].assignment.story_id == original
