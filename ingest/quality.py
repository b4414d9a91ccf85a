"""How an article was extracted, how good the result looks, and whether the page is an article at all.

``text_quality`` is a cheap score (microseconds, no model) from the shape of the extracted text: a
news article has at least a few hundred words in paragraphs of sentence length, a title and a date.
Calibrated on ../shared/corpus and ../shared/newsbench (docs/extraction.md): every hand-checked
article scores >= 0.5, teaser lists and stubs score below MIN_QUALITY.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

ExtractionMethod = Literal["trafilatura", "trafilatura+recall", "trafilatura+chunks", "fundus"]
"""trafilatura's default cascade, or its recall-favouring rerun on a short first text (ingest/extract.py), or
its rerun on a body split into containers of one kind, joined (ingest/body_chunks.py), or a fundus publisher
parser (optional, off by default: ingest/publisher_parsers.py)."""

# A text this long is a full-length article as far as length goes (the score saturates there).
FULL_ARTICLE_CHARS = 1500
# Median paragraph length of running text; teaser lists and link rows have ~60 chars.
SENTENCE_PARAGRAPH_CHARS = 120
# Weights of the three parts of the score: length matters most, then paragraph shape, then metadata.
LENGTH_WEIGHT, SHAPE_WEIGHT, METADATA_WEIGHT = 0.5, 0.3, 0.2
# Below this score a page is dead-lettered as not_article:low_quality. A 200-char text of one short
# paragraph with title and date scores ~0.33; a teaser list without metadata ~0.25.
MIN_QUALITY = 0.3

# A page declaring itself a video with less text than this is a video page, not an article.
MIN_VIDEO_PAGE_TEXT_CHARS = 1000
# A live blog with less text than this is a ticker without text.
MIN_LIVE_BLOG_TEXT_CHARS = 500

_VIDEO_TYPES = frozenset({"VideoObject", "video", "video.other", "video.episode", "video.movie"})
_LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"})


@dataclass(frozen=True)
class ExtractionInfo:
    """Recorded in the event (schema v2, ``extraction``)."""

    method: ExtractionMethod
    quality: float  # 0..1, see text_quality


def text_quality(paragraphs: Sequence[str], has_title: bool, has_date: bool) -> float:
    """0..1 from text length, median paragraph length and whether title and date were found."""
    if not paragraphs:
        return 0.0
    chars = sum(len(p) for p in paragraphs)
    median = sorted(len(p) for p in paragraphs)[len(paragraphs) // 2]
    length = min(1.0, chars / FULL_ARTICLE_CHARS)
    shape = min(1.0, median / SENTENCE_PARAGRAPH_CHARS)
    metadata = (has_title + has_date) / 2
    return round(LENGTH_WEIGHT * length + SHAPE_WEIGHT * shape + METADATA_WEIGHT * metadata, 3)


def page_type_rejection(
    page_types: frozenset[str], article_type: str | None, text_chars: int
) -> tuple[str, str] | None:
    """(reason, detail) when the page declares it is no article and has too little text to be one."""
    if article_type == "LiveBlogPosting" and text_chars < MIN_LIVE_BLOG_TEXT_CHARS:
        return "not_article:live_ticker", f"live blog with {text_chars} chars of text"
    if article_type is not None:
        return None
    if page_types & _VIDEO_TYPES and text_chars < MIN_VIDEO_PAGE_TEXT_CHARS:
        return (
            "not_article:video_page",
            f"declares a video ({sorted(page_types & _VIDEO_TYPES)[0]}), no article",
        )
    if page_types & _LISTING_TYPES:
        return "not_article:listing_page", f"declares {sorted(page_types & _LISTING_TYPES)[0]}, no article"
    return None
