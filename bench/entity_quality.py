"""Entity quality on hand-labelled corpus articles: raw model output vs document-level merged output.

Run: ``.venv/bin/python -m bench.entity_quality``. Labels: ``tests/ingest/labels/entities.json``.
Texts come from plain ``trafilatura.extract`` (as when labelling), so extraction changes do not move
these numbers. A predicted entity is correct when its name is the gold canonical name or an alias
(case and apostrophe style ignored); each gold entity is matched at most once, so a second entity
for the same person ("Merkel" beside "Angela Merkel") is a false positive.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from ingest.entities import EntityRecognizer
from ingest.entity_merge import Mention, merge_mentions

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "ingest" / "labels" / "entities.json"
CORPUS = REPO.parent / "shared" / "corpus"


@dataclass
class Score:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    label_correct: int = 0

    def add(self, other: Score) -> None:
        self.predicted += other.predicted
        self.gold += other.gold
        self.matched += other.matched
        self.label_correct += other.label_correct

    def row(self, name: str) -> str:
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        label_accuracy = self.label_correct / self.matched if self.matched else 0.0
        strict_f1 = (
            2 * self.label_correct / (self.predicted + self.gold) if self.predicted + self.gold else 0.0
        )
        return (
            f"| {name} | {self.predicted} | {precision:.3f} | {recall:.3f} | {f1:.3f} | "
            f"{label_accuracy:.3f} | {strict_f1:.3f} |"
        )


def _norm(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def score(predicted: list[tuple[str, str]], gold: list[dict[str, object]]) -> Score:
    """One-to-one matching of (name, label) predictions against gold entities by name."""
    by_name: dict[str, int] = {}
    for index, entity in enumerate(gold):
        for name in [entity["text"], *entity.get("aliases", [])]:  # type: ignore[misc]
            by_name.setdefault(_norm(str(name)), index)
    used: set[int] = set()
    result = Score(predicted=len(predicted), gold=len(gold))
    for name, label in predicted:
        index = by_name.get(_norm(name))
        if index is None or index in used:
            continue
        used.add(index)
        result.matched += 1
        result.label_correct += label == gold[index]["label"]
    return result


def raw_entities(mentions: tuple[Mention, ...]) -> list[tuple[str, str]]:
    """What indexing the model's output as-is gives: each distinct mention text, majority label."""
    votes: dict[str, Counter[str]] = {}
    for mention in mentions:
        votes.setdefault(mention.text, Counter())[mention.label] += 1
    return [(text, counter.most_common(1)[0][0]) for text, counter in votes.items()]


def main() -> None:
    articles = json.loads(LABELS.read_text(encoding="utf-8"))["articles"]
    texts = []
    for article in articles:
        html = gzip.decompress((CORPUS / article["file"]).read_bytes())
        texts.append(trafilatura.extract(html, url=article["url"]) or "")
    results = EntityRecognizer().recognise_batch(texts, [a["language"] for a in articles])

    totals = {(lang, kind): Score() for lang in ("en", "fr") for kind in ("raw", "merged")}
    for article, result in zip(articles, results, strict=True):
        gold = article["entities"]
        merged = [(e.text, e.label) for e in merge_mentions(result.mentions)]
        totals[(article["language"], "raw")].add(score(raw_entities(result.mentions), gold))
        totals[(article["language"], "merged")].add(score(merged, gold))

    counts = Counter(a["language"] for a in articles)
    print(f"articles: {dict(counts)}; gold entities: {sum(len(a['entities']) for a in articles)}")
    print("| output | entities | precision | recall | F1 | label accuracy | strict F1 (name+label) |")
    print("|---|---|---|---|---|---|---|")
    for (lang, kind), total in totals.items():
        print(total.row(f"{lang} {kind}"))


if __name__ == "__main__":
    main()
