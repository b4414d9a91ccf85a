"""Duplicates and stories: B-cubed quality on the labelled set, assignment throughput and state memory.

Run: ``.venv/bin/python -m bench.stories [--window 100000] [--timed 5000] [--skip-quality]``. Results go to
``bench/results/stories.json``; the table is in docs/benchmarks.md ("Stories").

Quality: the labelled set (``bench.stories_labels``) in stream order through the stage's pure core
(``features.from_event`` + ``Assigner.assign``), against a baseline in the same run: exact title match
(casefolded, whitespace collapsed), for duplicates and for stories alike. B-cubed (Bagga & Baldwin
1998): per article, precision = share of its predicted cluster that shares its gold label, recall =
share of its gold cluster in its predicted cluster; averaged over articles.

Throughput and memory: the window is filled with ``--window`` synthetic articles (vocabulary, entities
and stories drawn like news: a Zipf vocabulary, a few thousand live stories), then ``--timed`` more
are assigned and their CPU time measured (one core: the stage is single-threaded). Memory: RSS growth
of the process while filling the window (the state only; the inputs are dropped after each article).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import os
import random
import sys
import time
import types
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

from bench import stories_reference as reference
from bench.stories_labels import REAL_GROUPS, Labelled, build
from indexing.stories.assigner import Assigner
from indexing.stories.clusterer import StoryClusterer
from indexing.stories.features import MAX_TERMS, StoryInput, from_event, words

RESULTS = Path(__file__).resolve().parent / "results" / "stories.json"


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (one label per item, in the same order)."""
    pred_members: dict[Hashable, list[int]] = defaultdict(list)
    gold_members: dict[Hashable, list[int]] = defaultdict(list)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        pred_members[p].append(i)
        gold_members[g].append(i)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        same_pred = pred_members[p]
        correct = sum(1 for j in same_pred if gold[j] == g)
        precision += correct / len(same_pred)
        recall += correct / len(gold_members[g])
    n = len(gold)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _title_key(title: str | None, fallback: str) -> str:
    return " ".join((title or "").casefold().split()) or fallback


def _run(items: Sequence[Labelled]) -> tuple[list[str], list[str]]:
    """Predicted duplicate groups and stories of a stream through a fresh stage core."""
    assigner = Assigner()
    dup_pred, story_pred = [], []
    for item in items:
        outcome = assigner.assign(from_event(item.event))
        dup_pred.append(outcome.assignment.duplicate_of or item.event.id)
        story_pred.append(outcome.assignment.story_id)
    return dup_pred, story_pred


def _scores(
    gold_dup: list[str],
    gold_story: list[str],
    pred: tuple[list[str], list[str]],
    titles: list[str],
    kept: list[int],
) -> dict[str, dict[str, tuple[float, float, float]]]:
    """B-cubed of newsflow and of the exact-title baseline over the articles ``kept``, for both tasks, over
    all of them and over the articles of gold groups of 2 or more only (the singletons, which every
    method mostly gets right, otherwise dominate the averages)."""
    rows = {}
    for task, gold, predicted in (("duplicates", gold_dup, pred[0]), ("stories", gold_story, pred[1])):
        sizes = Counter(gold[i] for i in kept)
        grouped = [i for i in kept if sizes[gold[i]] > 1]
        for suffix, chosen in (("", kept), (", grouped articles only", grouped)):
            pick = lambda labels, chosen=chosen: [labels[i] for i in chosen]  # noqa: E731
            rows[f"{task}{suffix}"] = {
                "newsflow": bcubed(pick(gold), pick(predicted)),
                "exact title": bcubed(pick(gold), pick(titles)),
            }
    return rows


def quality() -> dict[str, object]:
    """B-cubed on three parts of the labelled set: the real pages alone (their own stream: the hand-read
    groups and the distractors), the simulated syndication groups (scored within the whole stream) and
    the whole stream."""
    items = build()
    real = [item for item in items if item.key]
    result: dict[str, object] = {"articles": len(items), "real pages": len(real)}
    for part, stream in (("all", items), ("real", real)):
        titles = [_title_key(i.event.title, i.event.id) for i in stream]
        gold_dup = [i.duplicate_group for i in stream]
        gold_story = [i.story_group for i in stream]
        pred = _run(stream)
        result[f"bcubed {part}"] = _scores(gold_dup, gold_story, pred, titles, list(range(len(stream))))
        sizes = Counter(Counter(gold_story).values())
        result[f"{part}: gold story groups >1"] = sum(1 for c in Counter(gold_story).values() if c > 1)
        result[f"{part}: gold duplicate groups >1"] = sum(1 for c in Counter(gold_dup).values() if c > 1)
        result[f"{part}: gold story sizes"] = dict(sorted(sizes.items()))
        if part == "all":
            simulated = {i.story_group for i in stream if not i.key} - set(REAL_GROUPS)
            kept = [n for n, i in enumerate(stream) if i.story_group in simulated]
            result["bcubed simulated"] = _scores(gold_dup, gold_story, pred, titles, kept)
            result["simulated: articles"] = len(kept)
        if part == "real":
            result["real: split or merged groups"] = _errors(stream, pred[1])
    return result


def _errors(stream: Sequence[Labelled], predicted: list[str]) -> list[str]:
    """The real groups the clusterer split, and the predicted stories that mix gold groups."""
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for item, story in zip(stream, predicted, strict=True):
        by_gold[item.story_group].add(story)
        by_pred[story].add(item.story_group)
    errors = [f"split: {gold} in {len(stories)}" for gold, stories in by_gold.items() if len(stories) > 1]
    errors += [f"merged: {sorted(golds)}" for golds in by_pred.values() if len(golds) > 1]
    return sorted(errors)


# ---------------------------------------------------------------------- synthetic stream

VOCABULARY = 40_000
ENTITY_POOL = 20_000
STORY_EVERY = 4  # one article in 4 starts a new story; the others follow a recent one


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(4, 10))) for _ in range(VOCABULARY)]


SPACING_S = 20.0
"""Seconds between two synthetic articles: 100k articles span ~23 days, so most live stories were last
fed days before the article and their time decay rules them out (``StoryClusterer.score_bound``)."""
DENSE_SPACING_S = 2.6
"""The dense stream: 100k articles in ~3 days (a few hundred sources), every live story within the time
decay's reach, so every candidate is scored: the worst case of the same window."""


DECISION_ARTICLES = 10_000
"""Synthetic articles run through the live and the reference assigner (window: half of them, so
articles leave it), sparse enough (600 s apart) for the time-decay bound to skip candidates."""


def synthetic(count: int, seed: int = 7, spacing_s: float = SPACING_S) -> Iterator[StoryInput]:
    """News-like article records, built without text (generating and parsing 100k texts would cost more
    than assigning them; ``features_cost`` measures that part on real articles): 25 random sentence
    hashes, ~450 Zipf-drawn words of which a quarter are the story's own topic words, 4 of the story's 6
    entities; each article continues one of the 2,000 most recent stories (mostly a recent one), one
    in STORY_EVERY founds a new story."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(VOCABULARY)))
    stories: list[tuple[list[str], list[str]]] = []
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(count):
        if n % STORY_EVERY == 0 or not stories:
            topic = rng.sample(vocab[500:], 25)
            entities = [f"entity {rng.randrange(ENTITY_POOL)}" for _ in range(6)]
            stories = [*stories[-1999:], (topic, entities)]
        topic, entities = stories[-1 - min(len(stories) - 1, int(rng.expovariate(1 / 40)))]
        drawn = rng.choices(vocab, cum_weights=cumulative, k=300) + rng.choices(topic, k=150)
        counts = Counter(drawn).most_common(MAX_TERMS)
        title = " ".join(rng.sample(topic, 6))
        display = {e: e for e in rng.sample(entities, 4)}
        yield StoryInput(
            id=f"{n:032x}",
            revision=1,
            source=f"source{rng.randrange(300)}.test",
            title=title,
            language="en",
            published_at=start + timedelta(seconds=spacing_s * n),
            content_hash=f"{n:064x}",
            sentence_hashes=frozenset(rng.getrandbits(64) for _ in range(25)),
            terms={sys.intern(t): 1.0 + math.log(c) for t, c in counts},
            title_terms=frozenset(words(title)),
            entities=frozenset(display),
            entity_display=display,
            lead=title,
        )


def state_bytes(root: object) -> int:
    """sys.getsizeof summed over every object reachable from ``root`` (each counted once; classes,
    functions and modules left out): the state's own estimate, beside the process' RSS growth."""
    seen: set[int] = set()
    stack, total = [root], 0
    skip = (type, types.FunctionType, types.ModuleType)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


def _swap(assigner: Assigner, to_reference: bool) -> None:
    """Run the same state with the reference code (171544a) or the live code: the data layout is the
    same, only the methods differ; a same-run baseline without filling a second window."""
    assigner.__class__ = reference.Assigner if to_reference else Assigner  # type: ignore[assignment]
    clusterer = reference.StoryClusterer if to_reference else StoryClusterer
    assigner.clusterer.__class__ = clusterer  # type: ignore[assignment]


def throughput(window: int, timed: int, spacing_s: float = SPACING_S) -> dict[str, float]:
    """Fill the window with ``window`` synthetic articles, then time ``timed`` more with the live code,
    ``timed`` with the reference (171544a) and ``timed`` with the live code again on the same state (CPU
    seconds of this process: one core; wall seconds and the load average beside them, the machine being
    shared). Memory: RSS growth while filling, and :func:`state_bytes`."""
    gc.collect()
    process = psutil.Process()
    rss_before = process.memory_info().rss
    assigner = Assigner(window_articles=window)
    stream = synthetic(window + 3 * timed, spacing_s=spacing_s)
    fill_started = time.process_time()
    for _ in range(window):
        assigner.assign(next(stream))
    fill_cpu = time.process_time() - fill_started
    gc.collect()
    rss_state = process.memory_info().rss - rss_before
    estimate = state_bytes(assigner)
    load = [os.getloadavg()[0]]
    cpu, wall = {"live": 0.0, "reference": 0.0}, {"live": 0.0, "reference": 0.0}
    for code in ("live", "reference", "live"):
        inputs = list(itertools.islice(stream, timed))
        _swap(assigner, code == "reference")
        started, wall_started = time.process_time(), time.perf_counter()
        for article in inputs:
            assigner.assign(article)
        cpu[code] += time.process_time() - started
        wall[code] += time.perf_counter() - wall_started
        load.append(os.getloadavg()[0])
    _swap(assigner, False)
    live_rate, reference_rate = 2 * timed / cpu["live"], timed / cpu["reference"]
    return {
        "window_articles": window,
        "spacing_s": spacing_s,
        "live_stories": len(assigner.clusterer.stories),
        "fill_articles_per_s": round(window / fill_cpu, 1),
        "timed_articles": 2 * timed,
        "assign_cpu_s": round(cpu["live"], 3),
        "assign_wall_s": round(wall["live"], 3),
        "assign_articles_per_s": round(live_rate, 1),
        "assign_wall_articles_per_s": round(2 * timed / wall["live"], 1),
        "reference_articles_per_s": round(reference_rate, 1),
        "speedup_vs_reference": round(live_rate / reference_rate, 2),
        "load_average_1m": round(sum(load) / len(load), 2),
        "state_mb": round(rss_state / 1e6, 1),
        "state_mb_per_100k": round(rss_state / 1e6 * 100_000 / window, 1),
        "state_getsizeof_mb_per_100k": round(estimate / 1e6 * 100_000 / window, 1),
    }


def same_decisions(articles: list[StoryInput], window: int) -> dict[str, int]:
    """The live and the reference assigner over the same stream, from empty: how many articles got
    another story or another original (0: the speed work changed no decision)."""
    live, ref = Assigner(window_articles=window), reference.Assigner(window_articles=window)
    differing = 0
    for article in articles:
        differing += live.assign(article).assignment != ref.assign(article).assignment
    return {"articles": len(articles), "window": window, "differing": differing}


def features_cost(sample: int = 300) -> dict[str, float]:
    """CPU per article of ``from_event`` (sentence hashes, term weights) on real labelled articles."""
    events = [item.event for item in build()[:sample]]
    started = time.process_time()
    for event in events:
        from_event(event)
    cpu = time.process_time() - started
    return {"articles": len(events), "features_articles_per_s": round(len(events) / cpu, 1)}


def _table(result: dict[str, object]) -> str:
    lines = ["| part | task | method | B-cubed P | R | F1 |", "|---|---|---|---:|---:|---:|"]
    for part in ("real", "simulated", "all"):
        for task, methods in result[f"bcubed {part}"].items():  # type: ignore[union-attr]
            for method, (p, r, f) in methods.items():
                lines.append(f"| {part} | {task} | {method} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--window", type=int, default=100_000)
    parser.add_argument("--timed", type=int, default=3_000, help="articles per timed segment (x3)")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-quality", action="store_true", help="throughput and memory only")
    args = parser.parse_args()
    result: dict[str, object] = {}
    if not args.skip_quality:
        result = quality()
        print(_table(result))
        print({k: v for k, v in result.items() if not k.startswith("bcubed")})
        result["features"] = features_cost()
        print(result["features"])
    if not args.skip_throughput:
        result["decisions"] = {
            f"synthetic, {name}": same_decisions(
                list(synthetic(DECISION_ARTICLES, seed=11, spacing_s=spacing)), DECISION_ARTICLES // 2
            )
            for name, spacing in (("spacing 600 s", 600.0), ("dense", DENSE_SPACING_S))
        }
        print(result["decisions"])
        result["throughput"] = throughput(args.window, args.timed)
        print(result["throughput"])
        result["throughput_dense"] = throughput(args.window, args.timed, DENSE_SPACING_S)
        print(result["throughput_dense"])
    # Keep what this run did not measure (and bench.run's "end_to_end", from its part "stories").
    last = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    result = last | result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
