"""The functional core: raw pages -> article events (or rejections saying why not).

decode -> extract -> enrich (one batch for all pages, so NER runs as ``nlp.pipe``) -> event.
Pure: no Kafka, HTTP or Elasticsearch. One bad page never fails the batch: it becomes a
``Rejection`` with its stage and reason, in the same position as its page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import ValidationError

from ingest.decode import decode_html
from ingest.enrich import Enricher, EnrichInput, Enrichment
from ingest.extract import Extracted, Rejection, extract_article, warm_up_extraction
from ingest.identity import article_id, canonical_url, source_domain
from ingest.language import normalise_language
from ingest.page import RawPage
from schemas.article import ArticleEvent, Extraction, Source

__all__ = ["ArticleBuilder", "BuildResult", "Rejection"]

BuildResult = ArticleEvent | Rejection


class ArticleBuilder:
    """Builds events from pages; holds the Enricher (its models load once, on first use)."""

    def __init__(self, enricher: Enricher | None = None) -> None:
        self._enricher = enricher if enricher is not None else Enricher()

    def warm_up(self) -> None:
        """Load the models and fill the extraction caches now, so the first batch does not pay for them."""
        warm_up_extraction()
        self._enricher.warm_up()

    def build_batch(self, pages: Sequence[RawPage]) -> list[BuildResult]:
        """One result per page, in input order."""
        extracted = [_extract(page) for page in pages]
        articles = [(i, a) for i, a in enumerate(extracted) if isinstance(a, Extracted)]
        enriched = self._enrich(
            [_enrich_input(pages[i], a) for i, a in articles], [pages[i].url for i, _ in articles]
        )
        built: dict[int, BuildResult] = {
            i: e if isinstance(e, Rejection) else _event(pages[i], a, e)
            for (i, a), e in zip(articles, enriched, strict=True)
        }
        return [built.get(i, result) for i, result in enumerate(extracted)]

    def _enrich(self, inputs: list[EnrichInput], urls: list[str]) -> list[Enrichment | Rejection]:
        """The whole batch at once; if it fails, document by document to isolate the culprit."""
        if not inputs:
            return []
        try:
            return list(self._enricher.enrich_batch(inputs))
        except Exception:  # a batch-level failure is retried per document below, so none is lost
            pass
        results: list[Enrichment | Rejection] = []
        for doc, url in zip(inputs, urls, strict=True):
            try:
                results.append(self._enricher.enrich_batch([doc])[0])
            except Exception as error:  # recorded as this page's enrich rejection
                reason = f"enrich_error:{type(error).__name__}"
                results.append(Rejection(url, "enrich", reason, str(error)[:300]))
        return results


def _extract(page: RawPage) -> Extracted | Rejection:
    try:
        html = decode_html(page.body, page.content_type)
    except Exception as error:  # decoding is part of extraction for the failure policy
        return Rejection(page.url, "extract", f"extract_error:{type(error).__name__}", str(error)[:300])
    return extract_article(html, page.url)


def _enrich_input(page: RawPage, article: Extracted) -> EnrichInput:
    return EnrichInput(
        text=article.text,
        published_at=_published_at(page, article),
        language_hint=page.hints.language or article.language,
        source_domain=source_domain(page.url),
    )


def _published_at(page: RawPage, article: Extracted) -> datetime | None:
    """The page's own date; the feed's when the page has none, or when it is the same day but
    the feed's is more precise (htmldate often gives only the day)."""
    ours, hint = article.published_at, page.hints.published_at
    if ours is None:
        return hint
    if hint is not None and hint.date() == ours.date() and ours.time() == datetime.min.time():
        return hint
    return ours


def _event(page: RawPage, article: Extracted, enrichment: Enrichment) -> BuildResult:
    canonical = canonical_url(page.url, article.declared_canonical_url)
    hints = page.hints
    try:
        return ArticleEvent(
            id=article_id(canonical),
            revision=1,
            url=page.url,
            canonical_url=canonical,
            source=Source(domain=source_domain(canonical), name=page.source_name or article.sitename or ""),
            title=article.title or hints.title,
            authors=list(article.authors) or ([hints.author] if hints.author else []),
            published_at=_published_at(page, article),
            modified_at=article.modified_at,
            language=enrichment.language or normalise_language(hints.language),
            text=article.text,
            description=article.description,
            tags=list(dict.fromkeys([*article.tags, *hints.tags])),
            categories=list(article.categories),
            image=article.image,
            entities=enrichment.entities,
            dates=enrichment.dates,
            word_count=enrichment.word_count,
            content_hash=enrichment.content_hash,
            simhash=enrichment.simhash,
            fetched_at=page.fetched_at,
            extraction=Extraction(method=article.extraction.method, quality=article.extraction.quality),
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = "/".join(str(part) for part in first["loc"])
        return Rejection(page.url, "validate", "schema_invalid", f"{where}: {first['msg']}")
