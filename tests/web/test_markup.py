"""Untrusted text to HTML (pure): only the page's own <mark> tags survive; links only for http(s)."""

from __future__ import annotations

from web.markup import NamedEntity, highlight, mark_entities, safe_href


def test_highlight_keeps_only_em_as_mark_and_escapes_everything_else() -> None:
    # What Elasticsearch's html encoder returns for a hostile text: already escaped, <em> around matches.
    fragment = "&lt;script&gt;alert(1)&lt;/script&gt; <em>bank</em> &quot;x&quot; <b>raw</b>"
    html = str(highlight(fragment))
    assert html.startswith("&lt;script&gt;alert(1)&lt;/script&gt; <mark>bank</mark>")
    assert "<b>" not in html and "&lt;b&gt;raw&lt;/b&gt;" in html
    assert "<script" not in str(highlight("<script>alert(1)</script>"))


def test_only_absolute_http_urls_become_links() -> None:
    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in (
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "/relative",
        "http://",
        "",
        None,
    ):
        assert safe_href(bad) is None, bad
    assert safe_href("https://example.org/\nx") is None


def test_entities_are_marked_as_whole_words_longest_first_and_text_is_escaped() -> None:
    entities = [
        NamedEntity("Angela Merkel", "persons", ("Merkel",)),
        NamedEntity('<img onerror="x">', "persons", ()),
        NamedEntity("EU", "organisations", ()),
    ]
    text = 'Angela Merkel met <img onerror="x"> in the EU.\n\nMerkelism is not Merkel; NEUE EU.'
    first, second = (str(p) for p in mark_entities(text, entities))
    assert first.count('<mark class="ent ent-persons" title="Angela Merkel">Angela Merkel</mark>') == 1
    assert "&lt;img onerror=&#34;x&#34;&gt;</mark>" in first and "<img" not in first
    assert second.count("<mark") == 2  # "Merkel" and the last "EU", not "Merkelism" nor "NEUE"
