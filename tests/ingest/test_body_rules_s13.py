"""Issue 14 body rules (session 13) on small hand-made pages: the lead from og:description, standfirsts
behind a menu of teaser links and before a first paragraph split by inline markup
(docs/extraction-log.md, "Session 13: body")."""

from __future__ import annotations

from ingest.extract import Extracted, _lead_paragraph, _standfirst, extract_article
from ingest.html_tree import load_html

PARAGRAPHS = [
    f"Paragraph {n} of the report: the council met again on Monday and argued for a long time about the "
    f"plan for the river banks, the new footpath number {n} and what the works will cost the town."
    for n in range(1, 9)
]
URL = "https://times.example/news/river-plan"
STANDFIRST = "The town will rebuild its river banks over three years, the council decided on Monday."


def _page(head: str, header: str, first: str = PARAGRAPHS[0], menu: str = "") -> str:
    body = f"<p>{first}</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    return (
        f'<html lang="en"><head><title>River plan</title>{head}</head><body>{menu}'
        "<div class='container'><article><h1>River plan</h1>"
        f"{header}<div class='text'>{body}</div></article></div></body></html>"
    )


def test_og_description_is_the_lead_when_the_meta_description_renders_the_first_paragraph() -> None:
    """The meta description repeats the body's first paragraph (already in the text); og:description is the
    lead the page shows above it, in an element trafilatura leaves out."""
    head = (
        f'<meta name="description" content="{PARAGRAPHS[0]}">'
        f'<meta property="og:description" content="{STANDFIRST}">'
    )
    page = _page(head, f'<h2 class="hero">{STANDFIRST}</h2>')
    assert _lead_paragraph(load_html(page)) == PARAGRAPHS[0]  # without the text: the first found, as before
    assert _lead_paragraph(load_html(page), [PARAGRAPHS[0]]) == STANDFIRST
    result = extract_article(page, URL)
    assert isinstance(result, Extracted), result
    assert result.text.split("\n\n")[:2] == [STANDFIRST, PARAGRAPHS[0]]


def test_og_description_is_tried_when_the_meta_description_is_not_on_the_page() -> None:
    head = (
        '<meta name="description" content="A different summary written for search engines and feeds.">'
        f'<meta property="og:description" content="{STANDFIRST}">'
    )
    tree = load_html(_page(head, f'<h2 class="hero">{STANDFIRST}</h2>'))
    assert _lead_paragraph(tree) == STANDFIRST


def test_a_menu_of_teaser_links_does_not_use_up_the_standfirst_candidates() -> None:
    menu = (
        "<nav><ul>"
        + "".join(
            f'<li class="menu-teaser"><a class="teaser-link" href="/s/{n}">Podcast number {n}</a></li>'
            for n in range(20)
        )
        + "</ul></nav>"
    )
    page = _page("", f'<div class="intro">{STANDFIRST}</div>', menu=menu)
    result = extract_article(page, URL)
    assert isinstance(result, Extracted), result
    assert result.text.split("\n\n")[0] == STANDFIRST


def test_a_standfirst_is_found_before_a_first_paragraph_split_by_bold_and_links() -> None:
    """The first paragraph's opening words are split over text nodes ("... of the <b>report</b>: ..."): the
    block's whole text is compared."""
    first = PARAGRAPHS[0].replace("report", "<b>report</b>").replace("council", '<a href="/c">council</a>')
    page = _page("", f'<div class="article__standfirst">{STANDFIRST}</div>', first=first)
    result = extract_article(page, URL)
    assert isinstance(result, Extracted), result
    assert result.text.split("\n\n")[:2] == [STANDFIRST, PARAGRAPHS[0]]


def test_a_marked_block_after_the_first_paragraph_is_still_no_standfirst() -> None:
    page = _page("", "").replace(
        "</div></article>", f'</div><div class="teaser">Another story: {STANDFIRST}</div></article>'
    )
    result = extract_article(page, URL)
    assert isinstance(result, Extracted), result
    assert result.text.startswith(PARAGRAPHS[0])


def test_a_label_opening_the_description_is_left_out_of_the_lead_probe() -> None:
    head = f'<meta name="description" content="Town News: {STANDFIRST}">'
    tree = load_html(_page(head, f'<div class="hero"><p>{STANDFIRST}</p></div>'))
    assert _lead_paragraph(tree) == STANDFIRST
    short = (
        '<meta name="description" content="Town News: The river plan.">'  # too short once the label is off
    )
    assert _lead_paragraph(load_html(_page(short, "<div class='hero'><p>The river plan.</p></div>"))) is None


def test_the_lead_is_found_when_inline_markup_splits_its_opening_words() -> None:
    head = f'<meta name="description" content="{STANDFIRST}">'
    split = STANDFIRST.replace("river banks", "<b>river</b> banks")
    assert _lead_paragraph(load_html(_page(head, f'<div class="hero"><p>{split}</p></div>'))) == STANDFIRST
    teaser = (
        f'<div class="hero"><p><a href="/other">{split}</a></p></div>'  # a link is a teaser, not the lead
    )
    assert _lead_paragraph(load_html(_page(head, teaser))) is None


DEK = "Council backs three-year plan for the river banks despite the cost and the protests"  # no final stop


def _lead_in_text_page(header: str) -> str:
    """The description renders the body's first paragraph, so the lead is in the text already."""
    return _page(f'<meta name="description" content="{PARAGRAPHS[0]}">', header)


def test_a_dek_subheading_without_a_stop_above_a_lead_already_in_the_text_is_the_standfirst() -> None:
    result = extract_article(_lead_in_text_page(f'<h2 class="epigraph">{DEK}</h2>'), URL)
    assert isinstance(result, Extracted), result
    assert result.text.split("\n\n")[:2] == [DEK, PARAGRAPHS[0]]


def test_a_header_block_or_a_wrapper_above_a_lead_already_in_the_text_is_no_standfirst() -> None:
    header = f'<h2 class="intro__title">News | 12.05.2024 River plan: {DEK}</h2>'  # holds the title
    wrapper = f'<div class="intro">{STANDFIRST}</div>'  # a marked wrapper: only p or h2 above a lead
    for block in (header, wrapper):
        tree = load_html(_lead_in_text_page(block))
        assert _standfirst(tree, PARAGRAPHS, lead_in_text_titles=["River plan"]) is None
    assert _standfirst(load_html(_lead_in_text_page(wrapper)), PARAGRAPHS) == STANDFIRST  # no lead: taken


def test_a_hidden_box_is_no_standfirst() -> None:
    box = f'<div class="intro-body hidden"><p class="intro">{STANDFIRST}</p></div>'
    result = extract_article(_page("", box), URL)
    assert isinstance(result, Extracted), result
    assert result.text.startswith(PARAGRAPHS[0])
