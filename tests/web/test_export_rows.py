"""Export paging and formats (pure, with a stand-in for Elasticsearch): capped, no row twice, CSV safe."""

from __future__ import annotations

import csv
import io
import json

from indexing.search import SearchHit, SearchRequest, SearchResult
from web.export import as_csv, as_jsonl, rows


def fake_search(total: int):
    """Hits 0..total-1 sorted by id, honouring size and search_after like Elasticsearch."""
    requests: list[SearchRequest] = []

    def search(request: SearchRequest) -> SearchResult:
        requests.append(request)
        start = 0 if request.search_after is None else int(request.search_after[0]) + 1
        hits = [
            SearchHit(
                id=f"{i:032x}",
                url=f"https://a.test/{i}",
                title="=HYPERLINK(1)" if i == 0 else f"t{i}",
                published_at=None,
                source={"domain": "a.test"},
                score=None,
                highlight={},
                sort=[i],
                fields={"persons": ["A", "B"]},
            )
            for i in range(start, min(total, start + request.size))
        ]
        return SearchResult(total=total, hits=hits)

    return search, requests


def test_rows_pages_with_search_after_until_the_cap() -> None:
    search, requests = fake_search(2_500)
    got = list(rows(search, SearchRequest(query="x", facets=True), max_rows=2_100))
    assert len(got) == 2_100 and len({r["id"] for r in got}) == 2_100
    assert [r.size for r in requests] == [1_000, 1_000, 100]
    assert not any(r.facets or r.highlight for r in requests)


def test_rows_stop_at_the_end_of_the_results() -> None:
    search, requests = fake_search(1_500)
    assert len(list(rows(search, SearchRequest(), max_rows=50_000))) == 1_500
    assert len(requests) == 2


def test_csv_neutralises_formulas_and_joins_lists_and_jsonl_keeps_them() -> None:
    search, _ = fake_search(2)
    records = list(rows(search, SearchRequest(), 10))
    table = list(csv.DictReader(io.StringIO("".join(as_csv(iter(records))))))
    assert table[0]["title"] == "'=HYPERLINK(1)" and table[0]["persons"] == "A; B"
    lines = b"".join(as_jsonl(iter(records))).decode().splitlines()
    assert json.loads(lines[1])["persons"] == ["A", "B"]
