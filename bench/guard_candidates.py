"""The guard set's candidate order, and the strings a labeller looks at first (issue 14, session 9).

Candidates are ../shared/corpus pages whose host is not a newsbench host (nor a subdomain or parent
of one, "www." ignored), in the order of the MD5 of their URL. The labeller walks this list, skips
pages that are not single articles and keeps at most ``MAX_PAGES_PER_HOST`` per host
(bench/data/guard_meta.jsonl, docs/extraction-log.md "Guard set (session 9)"). The hints printed here
(h1, <title>, og/meta, JSON-LD, <time>, byline-like elements) only speed up reading the page: the
labels are what the rendered page shows, decided by hand.

    .venv/bin/python -m bench.guard_candidates [--start N] [--count N]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

from bench.newsbench import load_pages
from ingest.decode import decode_html

CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# At most this many pages of one host, so that no site's template dominates the guard set.
MAX_PAGES_PER_HOST = 2
# Byline/date-like elements shown per class name: archive widgets and comment lists repeat one class.
MAX_HINTS_PER_CLASS = 2
# Visible lines shown before and after the first <h1> (the headline's neighbourhood holds the
# kicker, byline and date line on nearly every template).
LINES_BEFORE_H1, LINES_AFTER_H1 = 6, 14
_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "br",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "time",
    "span",
}

_BYLINE_CLASS = re.compile(r"author|byline|autor|writer|credit|verfasser", re.IGNORECASE)
_DATE_CLASS = re.compile(r"date|datum|time|publish|posted|meta", re.IGNORECASE)


# Some corpus pages carry a made-up name instead of a URL ("hard::jamaicaobserver.com-attacks.html"):
# their host is the leading domain of the name.
_NAMED_PAGE = re.compile(r"^(?:hard|recall)::([a-z0-9-]+(?:\.[a-z]{2,3}(?![a-z]))+)")
_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(.+)$")


def host(url: str) -> str:
    """The site a page belongs to: "www." ignored, an archived page counted as its original site."""
    if named := _NAMED_PAGE.match(url):
        return named.group(1)
    if archived := _ARCHIVED.match(url):
        url = archived.group(1)
    if url.startswith("xhttp"):  # one corpus URL carries a stray leading "x"
        url = url[1:]
    return urlsplit(url).netloc.lower().removeprefix("www.")


def _related(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def candidates() -> list[dict]:
    """Corpus pages from non-newsbench hosts, ordered by the MD5 of the URL."""
    excluded = {host(p["url"]) for p in load_pages()}
    pages = json.loads((CORPUS_DIR / "pages.json").read_text())
    kept = [p for p in pages if not any(_related(host(p["url"]), h) for h in excluded)]
    return sorted(kept, key=lambda p: hashlib.md5(p["url"].encode()).hexdigest())


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def read_html(page: dict) -> str:
    """The decoded page, its XML declaration dropped (lxml refuses one in a str)."""
    html = decode_html(gzip.decompress((CORPUS_DIR / page["file"]).read_bytes()), None)
    return _XML_DECLARATION.sub("", html)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def hints(page: dict) -> list[str]:
    tree = lxml_html.fromstring(read_html(page))
    lines = []
    for tag in ("title", "h1", "h2"):
        lines += [f"{tag}: {_text(e)[:160]}" for e in tree.iter(tag)][: 3 if tag != "h2" else 2]
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or ""
        if re.search(r"og:title|author|date|published|modified|og:type|lang", key, re.IGNORECASE):
            lines.append(f"meta {key}: {(meta.get('content') or '')[:120]}")
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json":
            blob = " ".join((script.text or "").split())
            for key in ("@type", "headline", "author", "datePublished", "dateModified"):
                for match in re.finditer(
                    rf'"{re.escape(key)}"\s*:\s*("[^"]*"|\[[^\]]{{0,300}}\]|\{{[^}}]{{0,200}}\}})', blob
                ):
                    lines.append(f"ld {key}: {match.group(1)[:200]}")
    for element in tree.iter("time"):
        lines.append(f"time {element.get('datetime')}: {_text(element)[:80]}")
    seen: set[str] = set()
    per_class: dict[str, int] = {}
    for element in tree.iter():
        cls = f"{element.get('class') or ''} {element.get('itemprop') or ''} {element.get('rel') or ''}"
        if not isinstance(element.tag, str) or element.tag in (
            "script",
            "style",
            "meta",
            "link",
            "body",
            "html",
        ):
            continue
        for kind, pattern in (("byline", _BYLINE_CLASS), ("date", _DATE_CLASS)):
            text = _text(element)
            if pattern.search(cls) and 0 < len(text) < 160 and text not in seen:
                seen.add(text)
                per_class[cls] = per_class.get(cls, 0) + 1
                if per_class[cls] > MAX_HINTS_PER_CLASS:
                    continue
                lines.append(f"{kind} <{element.tag} {cls.strip()[:40]}>: {text}")
    return lines


def visible_lines(page: dict) -> list[str]:
    """The page's text with one line per block element, scripts and styles dropped, around the h1."""
    tree = lxml_html.fromstring(read_html(page))
    for element in tree.xpath("//head|//script|//style|//noscript|//template"):
        element.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    lines = [" ".join(line.split()) for line in tree.text_content().split("\n")]
    lines = [line for line in lines if line]
    h1 = [_text(e) for e in tree.iter("h1") if _text(e)]
    exact = [i for i, line in enumerate(lines) if h1 and line == h1[0]]
    at = exact[0] if exact else next((i for i, line in enumerate(lines) if h1 and h1[0][:40] in line), None)
    if at is None:
        return ["(no h1 in the visible lines)", *lines[:20]]
    return lines[max(0, at - LINES_BEFORE_H1) : at + LINES_AFTER_H1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    for rank, page in enumerate(candidates()[args.start : args.start + args.count], args.start):
        print(f"=== {rank} {page['file']} {page['url']}")
        for line in hints(page)[:45]:
            print("   ", line)
        print("    --- visible around h1")
        for line in visible_lines(page):
            print("    |", line[:200])


if __name__ == "__main__":
    main()
