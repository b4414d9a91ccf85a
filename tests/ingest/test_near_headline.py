"""The page next to its headline (``ingest/near_headline.py``) on a small hand-made page: a headline with a
byline row under it, a date line above it and one below, a script and the text after them."""

from __future__ import annotations

from datetime import date

from ingest.bylines import by_line
from ingest.date_line import NearDate, dates_near
from ingest.html_tree import load_html
from ingest.near_headline import NearHeadline

PARAGRAPH = (
    "The council met on Monday and agreed on a new plan for the river banks, to be rebuilt over three years."
)
PAGE = (
    "<html><body><header><nav>Home</nav></header><article>"
    "<div class='kicker'>Politics</div><div class='top'>12.03.2024</div>"
    "<header><h1>Council <b>agrees</b> river plan</h1><p class='row'>By Jane Doe, in News</p></header>"
    "<script>var shown = '01.01.2020';</script>"
    f"<div class='meta'>Posted 14 March 2024 <span>10:00</span></div><p>{PARAGRAPH}</p>"
    "</article><footer>Imprint</footer></body></html>"
)


def _near() -> NearHeadline:
    tree = load_html(PAGE)
    assert tree is not None
    return NearHeadline(tree.find(".//h1"))


def test_text_after_the_headline_is_the_byline_row_and_the_date_line_in_page_order_without_scripts() -> None:
    assert _near().text_after(400).split("\n") == [
        "By Jane Doe, in News",
        "Posted 14 March 2024",
        "10:00",
        PARAGRAPH,
        "Imprint",
    ]
    # the budget counts visible characters: the walk stops at the node that fills it
    assert _near().text_after(25) == "By Jane Doe, in News\nPost"


def test_text_before_the_headline_is_read_nearest_first_up_to_its_budget() -> None:
    assert _near().text_before(120) == "Home\nPolitics\n12.03.2024"
    assert _near().text_before(12) == "s\n12.03.2024"


def test_elements_after_the_headline_are_those_of_xpaths_following_axis() -> None:
    near = _near()
    assert near.headline is not None
    assert list(near.elements_after()) == near.headline.xpath("following::*")
    assert [element.tag for element in near.elements_after()][:3] == ["p", "script", "div"]


def test_the_by_line_and_the_date_lines_are_read_from_one_walk() -> None:
    near = _near()

    assert by_line(near) == "Jane Doe"
    assert dates_near(near) == [  # the nearest first: 10 characters above, 28 below
        NearDate(date(2024, 3, 12), date_line=True, after=False),
        NearDate(date(2024, 3, 14), date_line=True, after=True),
    ]
    assert dates_near(NearHeadline(None)) == []
