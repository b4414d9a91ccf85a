import gzip
from datetime import UTC, datetime

import pytest

from ingest.page import Hints
from ingest.sources.errors import SourceBroken
from ingest.sources.feeds import parse_feed
from ingest.sources.sitemaps import SitemapEntry, newest_first, parse_sitemap
from ingest.sources.urllist import parse_url_list

RSS2 = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>de-DE</language>
<item><title>One</title><link>/a/1.html</link><pubDate>Sat, 01 Jun 2024 12:00:00 +0200</pubDate>
<author>ed@x.org (Ed)</author><category>politik</category></item>
<item><title>Dup</title><link>http://x.org/a/1.html</link></item>
<item><title>No link</title></item>
<item><title>Mail</title><link>mailto:a@b</link></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://x.org/"><title>t</title><link>http://x.org/</link><description>d</description></channel>
<item rdf:about="http://x.org/r1"><title>R1</title><link>http://x.org/r1</link><dc:date>2024-06-01T10:00:00Z</dc:date>
<dc:creator>Ann</dc:creator></item></rdf:RDF>"""

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>t</title><link>http://x.org/</link>
<description>d</description><language>en</language><item><title>Old</title><link>http://x.org/old</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>t</title><id>x</id><updated>2024-06-01T00:00:00Z</updated>
<entry><title>A1</title><link rel="alternate" href="http://x.org/atom1"/><id>1</id>
<published>2024-05-31T08:00:00Z</published><updated>2024-06-01T00:00:00Z</updated><author><name>Zoe</name></author>
</entry></feed>"""


def test_rss2_entries_give_url_title_date_author_language_tags() -> None:
    candidates = parse_feed(RSS2, "http://x.org/feed.xml", language="en", tags=("demo",))
    assert [c.url for c in candidates] == ["http://x.org/a/1.html"]
    hints = candidates[0].hints
    assert hints.title == "One"
    assert hints.published_at == datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
    assert hints.author and "Ed" in hints.author
    assert hints.language == "de"  # the feed's own language beats the sources.yaml hint
    assert hints.tags == ("demo", "politik")


def test_rss1_rss091_and_atom_are_read() -> None:
    assert parse_feed(RSS1, "http://x.org/")[0].hints.author == "Ann"
    assert parse_feed(RSS091, "http://x.org/")[0].hints.language == "en"
    atom = parse_feed(ATOM, "http://x.org/")[0]
    assert (atom.url, atom.hints.author) == ("http://x.org/atom1", "Zoe")
    assert atom.hints.published_at == datetime(2024, 5, 31, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("body", [b"<?xml version='1.0'?><rss><channel><item><title>oops</ti", b"hello", b""])
def test_broken_feed_is_a_source_error_not_a_crash(body: bytes) -> None:
    with pytest.raises(SourceBroken):
        parse_feed(body, "http://x.org/feed")


NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://x.org/n1</loc><news:news><news:publication><news:name>X</news:name><news:language>fr</news:language>
</news:publication><news:publication_date>2024-06-01T09:00:00+02:00</news:publication_date>
<news:title>N1</news:title><news:keywords>eco, bourse</news:keywords></news:news></url>
<url><loc>http://x.org/n2</loc><lastmod>2024-05-01</lastmod></url></urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://x.org/s1.xml</loc></sitemap><sitemap><loc>/s2.xml.gz</loc></sitemap></sitemapindex>"""


def test_news_sitemap_gives_publication_date_title_language_keywords() -> None:
    page = parse_sitemap(NEWS, "http://x.org/sitemap.xml")
    first, second = page.entries
    assert first.candidate.hints.published_at == datetime(2024, 6, 1, 7, 0, tzinfo=UTC)
    assert (first.candidate.hints.title, first.candidate.hints.language) == ("N1", "fr")
    assert first.candidate.hints.tags == ("eco", "bourse")
    assert second.lastmod == datetime(2024, 5, 1, tzinfo=UTC)


def test_index_lists_children_and_gzip_is_inflated() -> None:
    page = parse_sitemap(gzip.compress(INDEX), "http://x.org/sitemap_index.xml")
    assert page.children == ["http://x.org/s1.xml", "http://x.org/s2.xml.gz"]
    assert page.entries == []


def test_broken_sitemaps_are_source_errors() -> None:
    with pytest.raises(SourceBroken, match="malformed_sitemap"):
        parse_sitemap(b"<urlset><url>", "http://x.org/s")
    with pytest.raises(SourceBroken, match="not_a_sitemap"):
        parse_sitemap(b"<html/>", "http://x.org/s")
    with pytest.raises(SourceBroken, match="malformed_sitemap"):
        parse_sitemap(b"\x1f\x8bnot gzip", "http://x.org/s")


def test_entities_are_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x.org/&b;</loc></url></urlset>"""
    page = parse_sitemap(bomb, "http://x.org/")
    assert "aaaaaaaaaa" not in "".join(e.candidate.url for e in page.entries)


def test_url_bound_keeps_the_newest() -> None:
    entries = [
        SitemapEntry(parse_sitemap(NEWS, "http://x.org/").entries[0].candidate, None),
        *parse_sitemap(NEWS, "http://x.org/").entries[1:],
    ]
    assert [e.candidate.url for e in newest_first(entries, 1)] == ["http://x.org/n1"]


def test_url_list_skips_comments_dedupes_and_reports_bad_lines() -> None:
    text = "# news\nhttp://x.org/a\n\nhttp://x.org/a\nftp://x.org/b\nhttps://x.org/c\n"
    candidates, problems = parse_url_list(text, "list.txt", Hints(language="en"))
    assert [c.url for c in candidates] == ["http://x.org/a", "https://x.org/c"]
    assert candidates[0].hints.language == "en"
    assert len(problems) == 1 and "line 5" in problems[0].detail


def test_only_a_real_updated_date_is_a_modification_date() -> None:
    from ingest.sources.feeds import parse_feed

    rss = (
        b'<rss version="2.0"><channel><title>t</title><item><link>http://a.test/1</link>'
        b"<pubDate>Mon, 06 Sep 2021 16:45:00 +0000</pubDate></item></channel></rss>"
    )
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title>'
        b'<link href="http://a.test/2"/><updated>2024-05-01T10:00:00Z</updated></entry></feed>'
    )
    (from_rss,) = parse_feed(rss, "http://a.test/rss.xml")
    (from_atom,) = parse_feed(atom, "http://a.test/atom.xml")
    assert from_rss.hints.published_at is not None and from_rss.hints.modified_at is None
    assert from_atom.hints.modified_at is not None and from_atom.hints.modified_at.year == 2024


def test_an_rss_author_with_a_long_top_level_domain_keeps_its_whole_name() -> None:
    rss = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>http://x.org/a</link>"
        b"<author>desk@outlet.example (Desk outlet)</author></item>"
        b"<item><title>b</title><link>http://x.org/b</link><author>Ann Author</author></item>"
        b"</channel></rss>"
    )
    first, second = parse_feed(rss, "http://x.org/")
    assert first.hints.author == "Desk outlet"  # feedparser alone gives "ple (Desk outlet"
    assert second.hints.author == "Ann Author"
