"""Publication dates of session 9 on small hand-made pages: the date line next to the headline
(``ingest/date_line.py``) in the forms metadata and trafilatura miss, day-first numeric dates, and the
shown day over a different metadata day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from ingest.date_line import dates_near, month_first
from ingest.extract import Extracted, extract_article
from ingest.html_tree import load_html
from ingest.near_headline import NearHeadline

BODY = "".join(
    f"<p>Paragraph {i} of the report says that the council met and agreed on a new plan for the river "
    f"banks, which will be rebuilt over the next three years at a cost of several million.</p>"
    for i in range(6)
)
URL = "https://news.example/local/council-river-plan"


def _page(date_line: str, lang: str = "de", head: str = "", above: str = "", aside: str = "") -> str:
    return (
        f'<html lang="{lang}"><head><title>Council agrees river plan</title>{head}</head><body>'
        f"<header><nav>Home News</nav></header><article>{above}<h1>Council agrees river plan</h1>"
        f"<div class='meta'>{date_line}</div><div class='body'>{BODY}</div></article>"
        f"<aside>{aside}</aside></body></html>"
    )


def _published(html: str) -> datetime | None:
    result = extract_article(html, URL)
    assert isinstance(result, Extracted), result
    return result.published_at


def _day(html: str) -> date | None:
    published = _published(html)
    return published.date() if published else None


def _linked(published: str) -> str:
    node = {"@type": "NewsArticle", "headline": "Council agrees river plan", "datePublished": published}
    return f'<script type="application/ld+json">{json.dumps(node)}</script>'


def test_date_lines_with_month_names_of_other_languages_are_read_when_metadata_has_no_date():
    assert _day(_page("Por Redacción | 26, Abril, 2022", lang="es")) == date(2022, 4, 26)
    assert _day(_page("opublikowano: 7 kwietnia 2021", lang="pl")) == date(2021, 4, 7)
    assert _day(_page("Viernes 29 de Abril de 2022", lang="es")) == date(2022, 4, 29)
    assert _day(_page("Von Anna Beispiel | 1. November 2023")) == date(2023, 11, 1)


def test_the_date_line_beats_another_date_of_the_page_when_metadata_has_none():
    related = "<ul><li>Older story <span>03.02.2019</span></li></ul>"

    assert _day(_page("Datum: 18.10.2021", aside=related)) == date(2021, 10, 18)


def test_a_date_above_the_headline_is_read():
    assert _day(_page("", above="<div class='date'>12.12.2022 12:22</div>")) == date(2022, 12, 12)


def test_numeric_slashed_dates_are_day_first_unless_the_page_is_us_english():
    assert _day(_page("11/01/2023")) == date(2023, 1, 11)
    assert _day(_page("11/01/2023", lang="en-GB")) == date(2023, 1, 11)
    assert _day(_page("11/01/2023", lang="en-US")) == date(2023, 11, 1)
    # a part above 12 decides, whatever the page's language
    assert _day(_page("04/25/2023")) == date(2023, 4, 25)
    assert _day(_page("25/04/2023", lang="en-US")) == date(2023, 4, 25)


def test_month_first_only_for_english_without_a_region_or_the_us_one():
    assert month_first("en", None)
    assert month_first("en-US", None)
    assert month_first("de", "en_US")
    assert not month_first("en-GB", None)
    assert not month_first("en", "en_GB")
    assert not month_first("fr", None)
    assert not month_first(None, None)


def test_two_digit_years_are_read():
    assert _day(_page("Von: Anna Beispiel | 31.10.23")) == date(2023, 10, 31)


def test_the_shown_day_wins_over_a_different_metadata_day():
    html = _page("Erschienen am: 13.10.2021", head=_linked("2021-10-15"))

    assert _day(html) == date(2021, 10, 13)


def test_metadata_is_kept_when_its_day_is_among_the_dates_shown_near_the_headline():
    """A photo caption or the standfirst may name another date before the byline's date."""
    html = _page("Photo: archive, 15 novembre 2019. Jeanne Dupont 19 février 2020", lang="fr",
                 head=_linked("2020-02-19T00:00:00-05:00"))  # fmt: skip

    assert _published(html) == datetime(2020, 2, 19, tzinfo=timezone(timedelta(hours=-5)))


def test_metadata_sources_that_disagree_are_settled_by_the_day_shown_after_the_headline():
    html = _page(
        "Von Anna Beispiel, 6. November 2023, 15:25 Uhr",
        head=_linked("2023-11-03T10:25:56+00:00")
        + '<meta property="article:published_time" content="2023-11-06T14:25:00+00:00">',
    )

    assert _published(html) == datetime(2023, 11, 6, 14, 25, tzinfo=UTC)


def test_a_date_in_a_caption_or_a_sentence_does_not_overrule_metadata():
    caption = "Photo: the river banks on 3 May 2023, seen from the old bridge, before the council met again."
    html = _page(caption, lang="en-GB", head=_linked("2023-06-01T09:00:00+01:00"))

    assert _day(html) == date(2023, 6, 1)


def test_a_date_above_the_headline_or_the_modified_day_does_not_overrule_metadata():
    head = (
        _linked("2024-04-25T19:30:00+02:00")
        + '<meta property="article:modified_time" content="2024-07-18T11:08:00+02:00">'
    )
    assert _day(_page("", above="<div class='edition'>26.04.2024</div>", head=head)) == date(2024, 4, 25)
    assert _day(_page("Redaktion 18.07.2024, 11.08 Uhr", head=head)) == date(2024, 4, 25)


def test_the_local_day_is_kept_when_metadata_gives_the_utc_instant():
    html = _page("15. Januar 2022, 00:48 Uhr", head=_linked("2022-01-14T23:48:00Z"))

    assert _day(html) == date(2022, 1, 15)


def test_an_update_date_is_not_the_publication_date():
    html = _page("Von Jan Beispiel | Oct 24, 2023 | Zuletzt geändert: Nov 7, 2023")
    tree = load_html(html)

    assert [near.day for near in dates_near(NearHeadline(tree.find(".//h1")))] == [date(2023, 10, 24)]
    assert dates_near(NearHeadline(load_html(_page("Aktualisiert am 07.11.2023")).find(".//h1"))) == []
    assert dates_near(NearHeadline(load_html(_page("Aus: Ausgabe vom 26.04.2024")).find(".//h1"))) == []
