from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError

from indexing import bulk
from indexing.bulk_pipeline import BulkPipeline
from indexing.documents import to_index_document
from indexing.failure_policy import Backoff
from tests.indexing.factory import make_event

NO_WAIT = Backoff(initial_ms=0, max_ms=0)


def _record(i: int, revision: int = 1) -> bulk.IndexRecord:
    doc = to_index_document(make_event(i, revision=revision))
    return bulk.IndexRecord.build(("articles", 0), i, doc, "articles", require_alias=True)


class FakeES:
    """Answers bulk calls from a script: a list of item statuses, or an exception to raise."""

    def __init__(self, script: list[Any]) -> None:
        self.script = script
        self.calls: list[int] = []

    def options(self, **_: Any) -> "FakeES":
        return self

    def bulk(self, operations: bytes) -> dict[str, Any]:
        self.calls.append(operations.count(b"\n") // 2)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        items = []
        for status in step:
            item: dict[str, Any] = {"status": status}
            if status >= 300:
                item["error"] = {"type": "document_parsing_exception", "reason": "bad date"}
            items.append({"index": item})
        return {"items": items}


def test_action_line_uses_article_id_and_revision_as_external_version() -> None:
    record = _record(1, revision=4)
    action = record.lines.split(b"\n")[0]
    assert b'"version":4' in action and b'"version_type":"external"' in action
    assert f'"_id":"{record.article_id}"'.encode() in action and b'"require_alias":true' in action


def test_batch_is_bounded_by_count_bytes_and_linger() -> None:
    by_count = bulk.Batch(bulk.BatchLimits(max_docs=2, max_bytes=10**9, linger_ms=10**6))
    by_count.add(_record(1), now=0)
    assert by_count.fits(_record(2)) and not by_count.is_due(now=0)
    by_count.add(_record(2), now=0)
    assert by_count.is_full() and not by_count.fits(_record(3))

    size = len(_record(1).lines)
    by_bytes = bulk.Batch(bulk.BatchLimits(max_docs=100, max_bytes=int(size * 1.5), linger_ms=10**6))
    by_bytes.add(_record(1), now=0)
    assert not by_bytes.fits(_record(2))

    by_time = bulk.Batch(bulk.BatchLimits(max_docs=100, max_bytes=10**9, linger_ms=1000))
    by_time.add(_record(1), now=10.0)
    assert not by_time.is_due(now=10.5)
    assert by_time.is_due(now=11.0)


def test_batch_drops_records_of_revoked_partitions() -> None:
    batch = bulk.Batch(bulk.BatchLimits(10, 10**9, 1000))
    batch.add(_record(1))
    other = _record(2)
    other.tp = ("articles", 1)
    batch.add(other)
    batch.drop([("articles", 0)])
    assert [r.tp for r in batch.records] == [("articles", 1)]
    assert batch.nbytes == len(other.lines)


def test_version_conflict_counts_as_indexed_and_4xx_is_rejected_with_reason() -> None:
    es = FakeES([[201, 409, 400]])
    records = [_record(i) for i in range(3)]
    answer = bulk.attempt(es, records)  # type: ignore[arg-type]
    assert answer.indexed == records[:2] and answer.retry == []
    assert [(r.record, r.reason) for r in answer.rejected] == [(records[2], "es:document_parsing_exception")]
    assert "bad date" in answer.rejected[0].detail


def _pipeline(es: FakeES) -> BulkPipeline:
    return BulkPipeline(es, bulk.BatchLimits(10, 10**9, 1000), NO_WAIT)  # type: ignore[arg-type]


def test_unavailable_elasticsearch_is_retried_when_due_until_it_answers() -> None:
    es = FakeES([TransportConnectionError("refused"), [503, 201], [201]])
    pipeline = _pipeline(es)
    records = [_record(i) for i in range(2)]
    for record in records:
        pipeline.batch.add(record)
    pipeline.send()
    answers = [pipeline.wait()]
    assert answers[0].retry_in_s is not None and pipeline.backing_off and pipeline.busy
    while pipeline.busy:  # the pipeline says when; the caller polls, pauses and steps meanwhile
        pipeline.step(now=10**9)
        answers.append(pipeline.wait())
    pipeline.close()
    assert es.calls == [2, 2, 1]  # the whole batch, then only the item that got 503
    assert sorted(r.offset for a in answers for r in a.indexed) == [0, 1]
    assert [a.attempt for a in answers if a.retry_in_s is not None] == [1, 2]


def test_a_last_attempt_while_es_is_unavailable_leaves_the_batch_unsettled() -> None:
    es = FakeES([TransportConnectionError("refused")] * 2)
    pipeline = _pipeline(es)
    pipeline.batch.add(_record(1))
    pipeline.send()
    settled = pipeline.finish_once()
    pipeline.close()
    assert settled.indexed == [] and settled.retry_in_s is not None
    assert pipeline.leftover() == 1 and len(es.calls) == 2


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    backoff = Backoff(initial_ms=100, max_ms=1000)
    assert 0.05 <= backoff.delay_s(0) <= 0.1
    assert 0.2 <= backoff.delay_s(2) <= 0.4
    assert 0.5 <= backoff.delay_s(20) <= 1.0
