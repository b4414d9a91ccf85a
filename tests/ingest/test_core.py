from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from ingest.core import ArticleBuilder, Rejection
from ingest.enrich import EnrichInput, Enrichment
from ingest.fingerprint import content_hash, simhash
from ingest.identity import article_id
from ingest.page import Hints, RawPage
from schemas.article import ArticleEvent, parse_event
from tests.ingest.corpus import FETCHED_AT, GERMAN_ARTICLES, garbage_page, raw_page


class FakeEnricher:
    """Stands in for the spaCy-backed Enricher: fast, and fails on texts containing ``poison``."""

    def __init__(self, poison: str | None = None) -> None:
        self.poison = poison
        self.batches: list[int] = []

    def enrich_batch(self, docs: Sequence[EnrichInput]) -> list[Enrichment]:
        self.batches.append(len(docs))
        if self.poison and any(self.poison in d.text for d in docs):
            raise RuntimeError("poisoned document")
        return [
            Enrichment(
                d.language_hint or "de", [], [], len(d.text.split()), content_hash(d.text), simhash(d.text)
            )
            for d in docs
        ]


def test_build_batch_returns_valid_events_in_input_order(corpus_dir: Path) -> None:
    pages = [raw_page(corpus_dir, f) for f in GERMAN_ARTICLES]
    results = ArticleBuilder(FakeEnricher()).build_batch(pages)
    assert [r.url for r in results] == [p.url for p in pages]
    for result in results:
        assert isinstance(result, ArticleEvent)
        assert parse_event(result.model_dump_json()) == result
        assert result.id == article_id(result.canonical_url)
        assert result.revision == 1 and result.fetched_at == FETCHED_AT
        assert result.source.name == "Corpus" and not result.source.domain.startswith("www.")


def test_build_batch_enriches_all_pages_in_one_batch(corpus_dir: Path) -> None:
    enricher = FakeEnricher()
    ArticleBuilder(enricher).build_batch([raw_page(corpus_dir, f) for f in GERMAN_ARTICLES])
    assert enricher.batches == [len(GERMAN_ARTICLES)]


def test_batch_with_one_bad_page_still_returns_the_rest(corpus_dir: Path) -> None:
    pages = [
        raw_page(corpus_dir, GERMAN_ARTICLES[0]),
        garbage_page(),
        raw_page(corpus_dir, GERMAN_ARTICLES[1]),
    ]
    results = ArticleBuilder(FakeEnricher()).build_batch(pages)
    assert isinstance(results[0], ArticleEvent) and isinstance(results[2], ArticleEvent)
    assert isinstance(results[1], Rejection)
    assert results[1].stage == "extract" and results[1].url == "https://example.org/garbage"


def test_enrich_failure_rejects_only_the_failing_page(corpus_dir: Path) -> None:
    pages = [raw_page(corpus_dir, f) for f in GERMAN_ARTICLES]
    results = ArticleBuilder(FakeEnricher(poison="Jede Menge Spaß")).build_batch(pages)
    assert isinstance(results[0], Rejection)
    assert results[0].stage == "enrich" and results[0].reason == "enrich_error:RuntimeError"
    assert all(isinstance(r, ArticleEvent) for r in results[1:])


def test_invalid_event_becomes_a_validate_rejection(corpus_dir: Path) -> None:
    page = replace(raw_page(corpus_dir, GERMAN_ARTICLES[0]), fetched_at="not a date")  # type: ignore[arg-type]
    [result] = ArticleBuilder(FakeEnricher()).build_batch([page])
    assert isinstance(result, Rejection)
    assert result.stage == "validate" and "fetched_at" in result.detail


def test_hints_fill_gaps_but_page_metadata_wins(corpus_dir: Path) -> None:
    page = raw_page(corpus_dir, GERMAN_ARTICLES[0])
    hinted = replace(
        page,
        hints=Hints(
            title="Feed title",
            author="Feed Author",
            published_at=datetime(2020, 1, 27, 14, 5, tzinfo=UTC),
            tags=("feed-tag",),
        ),
    )
    [event] = ArticleBuilder(FakeEnricher()).build_batch([hinted])
    assert isinstance(event, ArticleEvent)
    assert event.title == "Reparaturcafé am 31. Januar"  # the page's own title (og:title)
    assert event.authors == ["Feed Author"]  # the page names no author
    assert event.published_at == datetime(2020, 1, 27, 14, 5, tzinfo=UTC)  # same day, more precise
    assert "feed-tag" in event.tags


def test_published_at_comes_from_the_page_never_the_fetch_time(corpus_dir: Path) -> None:
    [event] = ArticleBuilder(FakeEnricher()).build_batch([raw_page(corpus_dir, GERMAN_ARTICLES[0])])
    assert isinstance(event, ArticleEvent)
    assert event.published_at is not None and event.published_at.date().isoformat() == "2020-01-27"


def test_empty_batch_returns_empty_list() -> None:
    assert ArticleBuilder(FakeEnricher()).build_batch([]) == []


def test_page_whose_declared_language_is_a_region_code_gets_iso_639_1() -> None:
    sentence = "<p>Der Gemeinderat hat am Montag den Haushalt Nummer {} beschlossen.</p>"
    paragraphs = "".join(sentence.format(i) for i in range(9))
    html = f"<html><body><article>{paragraphs}</article></body></html>"
    page = RawPage("https://example.de/a", html.encode(), FETCHED_AT, "X", hints=Hints(language="de-AT"))

    class NoLanguage(FakeEnricher):
        def enrich_batch(self, docs: Sequence[EnrichInput]) -> list[Enrichment]:
            return [replace(e, language=None) for e in super().enrich_batch(docs)]

    [event] = ArticleBuilder(NoLanguage()).build_batch([page])
    assert isinstance(event, ArticleEvent) and event.language == "de"
