"""Feeds and sitemaps of the simulated site, rendered from its pages (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from flows.sim_site.corpus import SimPage


def rss(outlet: str, base_url: str, pages: Iterable[SimPage], language: str | None) -> bytes:
    items = "".join(
        f"<item><title>{escape(p.slug)}</title><link>{escape(base_url + p.path)}</link>"
        f"<description>version {p.version}</description>"
        f"<guid>{escape(base_url + p.path)}</guid><pubDate>{format_datetime(p.published_at)}</pubDate>"
        f"<author>desk@{outlet}.example (Desk {outlet})</author><category>news</category></item>"
        for p in pages
    )
    lang = f"<language>{language}</language>" if language else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{outlet}</title>'
        f"<link>{base_url}/{outlet}/</link><description>{outlet} news</description>{lang}"
        f"{items}</channel></rss>"
    ).encode()


def atom(outlet: str, base_url: str, pages: list[SimPage]) -> bytes:
    updated = max((p.modified_at for p in pages), default=None)
    entries = "".join(
        f'<entry><title>{escape(p.slug)}</title><link rel="alternate" href="{escape(base_url + p.path)}"/>'
        f"<id>{escape(base_url + p.path)}</id><published>{p.published_at.isoformat()}</published>"
        f"<updated>{p.modified_at.isoformat()}</updated><author><name>Desk {outlet}</name></author></entry>"
        for p in pages
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{outlet}</title><id>{base_url}/{outlet}/</id>"
        f"<updated>{updated.isoformat() if updated else ''}</updated>{entries}</feed>"
    ).encode()


def news_sitemap(base_url: str, pages: Iterable[SimPage], language_of: dict[str, str | None]) -> bytes:
    urls = "".join(
        f"<url><loc>{escape(base_url + p.path)}</loc><lastmod>{p.modified_at.isoformat()}</lastmod>"
        f"<news:news><news:publication>"
        f"<news:name>{p.outlet}</news:name>"
        f"<news:language>{language_of.get(p.outlet) or 'und'}</news:language>"
        f"</news:publication><news:publication_date>{p.published_at.isoformat()}</news:publication_date>"
        f"<news:title>{escape(p.slug)}</news:title></news:news></url>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def plain_sitemap(base_url: str, pages: Iterable[SimPage]) -> bytes:
    urls = "".join(
        f"<url><loc>{escape(base_url + p.path)}</loc><lastmod>{p.modified_at.isoformat()}</lastmod></url>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def sitemap_index(base_url: str, children: Iterable[tuple[str, datetime | None]]) -> bytes:
    items = "".join(
        f"<sitemap><loc>{escape(base_url + path)}</loc>"
        + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
        + "</sitemap>"
        for path, lastmod in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    ).encode()
