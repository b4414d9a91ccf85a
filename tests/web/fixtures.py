"""The articles the search page tests index: the indexing tests' synthetic events plus hostile ones."""

from __future__ import annotations

from schemas.article import ArticleEvent, Entity, IngestRun, Source
from tests.indexing.factory import article_id, make_event

REGULAR_ARTICLES = 45
FLOW_RUN_ID = "0b8f3a52-3c4e-4d0f-9a57-2a0d5c1f7e11"
HOSTILE_MARKER = "xsswitness"
# Each payload would set window.__xss if it ever ran; the tests read that variable.
HOSTILE_TITLE = (
    f'<script>window.__xss="title"</script><img src=x onerror="window.__xss=1"> {HOSTILE_MARKER} "quoted"'
)
HOSTILE_TEXT = (
    f'{HOSTILE_MARKER} starts here <script>window.__xss="text"</script> and '
    '<img src=x onerror="window.__xss=2"> then "><svg onload="window.__xss=3"> Evil Person speaks.'
    "\n\nA second paragraph about the election with &lt;escaped&gt; entities and a budget."
)
HOSTILE_PERSON = '"><img src=x onerror="window.__xss=4">Evil Person'
HOSTILE_URL = 'javascript:window.__xss="url"'
DUPLICATE_TEXT = (
    "The budget vote passed in parliament after a long night of debate about the election budget."
)


def regular_events(salt: str) -> list[ArticleEvent]:
    """Factory articles naming their entities in the text; every third one carries the flow run that
    ingested it (event v4)."""
    events = []
    for i in range(REGULAR_ARTICLES):
        run = IngestRun(flow_run_id=FLOW_RUN_ID, flow_run_name=f"ingest test {i}") if i % 3 == 0 else None
        event = make_event(i, salt=salt, ingest_run=run)
        names = [e.text for e in event.entities if e.label != "NORP"]
        text = f"{event.text}\n\n{', '.join(names)} were named in this report."
        events.append(event.model_copy(update={"text": text}))
    return events


def hostile_event(salt: str) -> ArticleEvent:
    base = make_event(1000, salt=salt)
    return base.model_copy(
        update={
            "title": HOSTILE_TITLE,
            "text": HOSTILE_TEXT,
            "description": f'<b onmouseover="window.__xss=5">{HOSTILE_MARKER}</b>',
            "url": HOSTILE_URL,
            "canonical_url": HOSTILE_URL,
            "source": Source(domain='evil.test"><script>window.__xss=6</script>', name="<i>Evil</i>"),
            "entities": [Entity(text=HOSTILE_PERSON, label="PERSON", mentions=3, forms=["Evil Person"])],
        }
    )


def duplicate_events(salt: str) -> list[ArticleEvent]:
    """Two articles with the same text on two sites: each page links to the other."""
    return [
        make_event(
            2000 + k,
            salt=salt,
            text=DUPLICATE_TEXT,
            title=f"Budget vote copy {k}",
            content_hash="d" * 64,
        )
        for k in range(2)
    ]


def all_events(salt: str) -> list[ArticleEvent]:
    return [*regular_events(salt), hostile_event(salt), *duplicate_events(salt)]


def hostile_id(salt: str) -> str:
    return article_id(1000, salt)
