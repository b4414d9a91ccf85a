"""Local sources: a folder of saved HTML pages, and WARC archives. No fetching, no politeness.

**html_dir:** the folder holds the pages (``*.html``, ``*.htm``, optionally gzip-compressed as
``*.gz``) and a sidecar ``urls.tsv``: one line ``<file name><TAB><URL>`` per page. A sidecar is
explicit, works for any file naming, and is what ``wget``/browser "save as" scripts easily write;
a base URL + file name would invent URLs that were never served. A page without a line in
``urls.tsv`` (or a line without its file) is dead-lettered (stage ``discover``, reason ``no_url`` /
``missing_file``), never dropped silently.

**warc:** one ``.warc``/``.warc.gz`` file or a folder of them. Every ``response`` record with
HTTP status 200 and an HTML content type is a page (URL = ``WARC-Target-URI``, time =
``WARC-Date``); other records (requests, metadata, images, redirects) are not article candidates.
Discovery only notes (file, record offset); the bytes are read by ``read_page`` a chunk at a time.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from ingest.page import Hints, RawPage
from ingest.sources.candidate import Candidate
from ingest.sources.errors import SourceBroken

URLS_SIDECAR = "urls.tsv"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def scan_html_dir(folder: Path, hints: Hints) -> tuple[list[Candidate], list[SourceBroken]]:
    """Candidates for the pages listed in ``urls.tsv``, and a problem for each unmatched file/line."""
    sidecar = folder / URLS_SIDECAR
    try:
        lines = sidecar.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourceBroken("no_url_mapping", f"{sidecar}: {exc}") from exc
    problems: list[SourceBroken] = []
    mapping: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, url = line.partition("\t")
        if not sep or not url.strip().startswith(("http://", "https://")):
            problems.append(SourceBroken("bad_url", f"{sidecar} line {number}: expected <file>TAB<URL>"))
            continue
        mapping[name.strip()] = url.strip()
    candidates: list[Candidate] = []
    for name, url in mapping.items():
        path = folder / name
        if path.is_file():
            candidates.append(Candidate(url, hints, file=path))
        else:
            problems.append(SourceBroken("missing_file", f"{path} is listed in {sidecar} but absent ({url})"))
    for path in sorted(folder.iterdir()):
        if path.name.lower().endswith(HTML_SUFFIXES) and path.name not in mapping:
            problems.append(SourceBroken("no_url", f"{path}: no line in {sidecar}"))
    return candidates, problems


def _warc_files(location: Path) -> list[Path]:
    if location.is_dir():
        return sorted(p for p in location.iterdir() if p.name.lower().endswith(WARC_SUFFIXES))
    return [location]


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    ctype = (record.http_headers.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return record.http_headers.get_statuscode() == "200" and ctype in HTML_TYPES


def scan_warc(location: Path, hints: Hints) -> list[Candidate]:
    """Candidates (file, record offset) for the HTML responses of one WARC file or a folder of them."""
    candidates: list[Candidate] = []
    for path in _warc_files(location):
        try:
            with path.open("rb") as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    if _is_html_response(record):
                        url = record.rec_headers.get_header("WARC-Target-URI")
                        candidates.append(
                            Candidate(url, hints, file=path, offset=records.get_record_offset())
                        )
        except Exception as exc:  # warcio raises assorted errors on corrupt archives
            raise SourceBroken("malformed_warc", f"{path}: {exc!r}") from exc
    return candidates


def _warc_date(record: ArcWarcRecord) -> datetime:
    value = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.now(UTC)


def read_page(candidate: Candidate, source_name: str) -> RawPage:
    """The bytes of a local candidate; ``OSError``/``SourceBroken`` when the file went bad."""
    if candidate.file is None:
        raise ValueError(f"{candidate.url} is not a local candidate")
    if candidate.offset is None:
        raw = candidate.file.read_bytes()
        body = gzip.decompress(raw) if candidate.file.name.endswith(".gz") else raw
        fetched_at = datetime.fromtimestamp(candidate.file.stat().st_mtime, UTC)
        return RawPage(candidate.url, body, fetched_at, source_name, "text/html", candidate.hints)
    with candidate.file.open("rb") as stream:
        stream.seek(candidate.offset)
        record = next(iter(ArchiveIterator(stream)), None)
        if record is None or not _is_html_response(record):
            raise SourceBroken("malformed_warc", f"{candidate.file}@{candidate.offset}: record not readable")
        body = record.content_stream().read()
        ctype = record.http_headers.get_header("Content-Type")
        return RawPage(candidate.url, body, _warc_date(record), source_name, ctype, candidate.hints)
