"""Issue 14 body rules (session 10) on small hand-made pages: an article body split into several containers
of one kind (docs/extraction-log.md, "Session 10: body text")."""

from __future__ import annotations

from ingest.body_chunks import body_chunks, joined_body
from ingest.extract import Extracted, extract_article
from ingest.html_tree import load_html
from ingest.text_cleanup import clean_paragraphs

PARAGRAPHS = [
    f"Paragraph {n} of the report: the council met again on Monday and argued for a long time about the "
    f"plan for the river banks, the new footpath number {n} and what the works will cost the town."
    for n in range(1, 9)
]


def _chunked_page(between: str, kind: str = "article-body") -> str:
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4])
    second = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[4:])
    return (
        "<html><head><title>River plan</title></head><body><main><article>"
        "<h1>River plan approved after long debate</h1>"
        f'<div class="row"><div class="{kind}">{first}</div></div>'
        f'<div class="row">{between}</div>'
        f'<div class="row"><div class="{kind}">{second}</div></div>'
        "</article></main></body></html>"
    )


AD_SLOT = '<div class="ad-slot"><span>Advertisement</span></div>'


def test_a_body_split_around_an_ad_slot_is_read_whole() -> None:
    """trafilatura takes the first div.article-body only; the second chunk after the ad slot is the
    article's second half."""
    result = extract_article(_chunked_page(AD_SLOT), "https://news.example.org/2024/05/river-plan")
    assert isinstance(result, Extracted)
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    assert result.text.index(PARAGRAPHS[3]) < result.text.index(PARAGRAPHS[4])  # page order kept
    assert result.extraction.method == "trafilatura+chunks"


def test_chunks_are_found_only_when_the_text_lacks_them() -> None:
    tree = load_html(_chunked_page(AD_SLOT))
    first_half = "\n".join(PARAGRAPHS[:4])
    chunks = body_chunks(tree, first_half)
    assert [c.get("class") for c in chunks] == ["article-body", "article-body"]
    assert body_chunks(tree, "\n".join(PARAGRAPHS)) == []  # nothing missing: no second extraction
    joined = joined_body(tree, chunks)
    assert len(joined.xpath('//div[@class="article-body"]')) == 2  # the second moved into the first
    assert len(joined.xpath('//div[@class="article-body"]/div[@class="article-body"]')) == 1
    assert len(tree.xpath('//div[@class="article-body"]/div[@class="article-body"]')) == 0  # page untouched


def test_posts_under_linked_titles_are_not_joined() -> None:
    """A blog's front page repeats the body container once per post, each under a heading linking to
    the post: those are other articles, not chunks of this one."""
    title = '<h2><a href="https://news.example.org/2024/05/other-post">Another post from the archive</a></h2>'
    tree = load_html(_chunked_page(title, kind="entry-content"))
    assert body_chunks(tree, "\n".join(PARAGRAPHS[:4])) == []


def test_a_container_of_another_depth_is_no_chunk() -> None:
    """An element of the same class elsewhere in the layout (a sidebar box) is not a chunk of the body."""
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4])
    box = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[4:])
    page = (
        "<html><body><main><article><h1>River plan</h1>"
        f'<div class="row"><div class="article-body">{first}</div></div>'
        f'</article></main><aside><div class="box"><div class="x"><div class="y">'
        f'<div class="article-body">{box}</div></div></div></div></aside></body></html>'
    )
    assert body_chunks(load_html(page), "\n".join(PARAGRAPHS[:4])) == []


def test_an_author_note_followed_by_closing_lines_is_dropped() -> None:
    """The note about the author may sit up to four lines from the end (a syndication line and a comment
    prompt after it), never in the text's first half."""
    story = PARAGRAPHS[:4]
    note = "Jane Roe is a senior researcher at the City Observatory. John Doe is a lecturer at the college."
    closing = ["The council meets again in June.", "Share your thoughts below."]
    assert clean_paragraphs([*story, note, *closing], ["Jane Roe", "John Doe"]) == [*story, *closing]
    assert clean_paragraphs([*story, note, *closing, "One more line."], ["Jane Roe"]) == [
        *story,
        *closing,
        "One more line.",
    ]
    short = [note, PARAGRAPHS[0], PARAGRAPHS[1]]  # a short text opening with its author: kept
    assert clean_paragraphs(short, ["Jane Roe"]) == short
