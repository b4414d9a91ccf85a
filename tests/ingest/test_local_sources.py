import gzip
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.page import Hints
from ingest.sources.local import read_page, scan_html_dir, scan_warc

HTML = "<html><head><title>T</title></head><body><p>Grüße aus Köln.</p></body></html>".encode()


def test_html_dir_maps_files_to_urls_and_reports_unmatched(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(HTML)
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(HTML))
    (tmp_path / "stray.html").write_bytes(HTML)
    (tmp_path / "urls.tsv").write_text(
        "a.html\thttp://x.org/a\nb.html.gz\thttp://x.org/b\ngone.html\thttp://x.org/gone\nbroken line\n"
    )
    candidates, problems = scan_html_dir(tmp_path, Hints(language="de"))
    assert [c.url for c in candidates] == ["http://x.org/a", "http://x.org/b"]
    assert sorted(p.reason for p in problems) == ["bad_url", "missing_file", "no_url"]
    pages = [read_page(c, "local") for c in candidates]
    assert all(p.body == HTML and p.hints.language == "de" for p in pages)


def _warc(path: Path) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, ctype, status, body in [
            ("http://x.org/a", "text/html; charset=utf-8", "200 OK", HTML),
            ("http://x.org/logo.png", "image/png", "200 OK", b"\x89PNG"),
            ("http://x.org/moved", "text/html", "301 Moved", b""),
            ("http://x.org/b", "application/xhtml+xml", "200 OK", HTML),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )


def test_warc_html_responses_become_pages_without_fetching(tmp_path: Path) -> None:
    archive = tmp_path / "news.warc.gz"
    _warc(archive)
    candidates = scan_warc(archive, Hints())
    assert [c.url for c in candidates] == ["http://x.org/a", "http://x.org/b"]
    page = read_page(candidates[1], "warc")
    assert page.body == HTML
    assert page.content_type == "application/xhtml+xml"
    assert page.url == "http://x.org/b"
