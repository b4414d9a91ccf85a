"""The fine-tuned English NER against the base model under rules that never saw the left-out split.

``bench.ner_folds`` compares both models under today's rules, which were written looking at the errors of
all three development splits, on the base model's output: that comparison leans towards the base model.
Here the pipeline is the code of an older commit, from before a split was studied (held-out was blind up to
the end of session 8, ``a9b303b``; held-out-2 up to the end of session 9, ``0d48f9a``), each fine-tuned on
the other two splits with today's ``bench.ner_training``, scored on today's labels.

Run: ``python -m bench.ner_old_rules --commit a9b303b --folds held-out held-out-2``. The commit's
``ingest``, ``schemas`` and ``bench`` are unpacked with ``git archive`` into a temporary directory (beside a
link to ``../shared``) and run there in a child process. Never reads the blind held-out-3.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from bench import ner_training
from bench.entity_quality import LABELS, LABELS_HELD_OUT_2, REPO, Counts
from bench.ner_folds import FOLDS, bootstrap, f1, rehearsal_texts

CHILD = """
import json, sys
from bench.entity_quality import NER_MODELS, PLACE_LABELS, Tally, _texts, predictions, score
model, files = sys.argv[1], sys.argv[2:]
articles = [a for path in files for a in json.load(open(path, encoding="utf-8"))["articles"]]
models = dict(NER_MODELS) if model == "base" else {**NER_MODELS, "en": model}
found = {}
for kind, outputs in predictions(articles, _texts(articles), models).items():
    rows = []
    for article, predicted in zip(articles, outputs):
        tally = Tally()
        if article.get("scope") == "places":
            predicted = [p for p in predicted if p.label in PLACE_LABELS]
        score(tally, predicted, article["entities"])
        rows.append([article["language"], article.get("split", "tuned"), *vars(tally.strict).values()])
    found[kind] = rows
print(json.dumps(found))
"""
"""Runs inside the old tree: per output kind, per article, (language, split, tp, fp, fn) of name + label."""


def unpack(commit: str, into: Path) -> Path:
    """The commit's code in ``into/repo``, and ``into/shared``: a link to ``../shared``."""
    archive = subprocess.run(
        ["git", "archive", commit, "ingest", "schemas", "bench"], cwd=REPO, check=True, capture_output=True
    ).stdout
    tree = into / "repo"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    (into / "shared").symlink_to(REPO.parent / "shared")
    return tree


def counts(tree: Path, model: str) -> dict[str, list[list]]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, model, str(LABELS), str(LABELS_HELD_OUT_2)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", required=True, help="the rules' commit")
    parser.add_argument("--folds", nargs="+", default=["held-out-2"], choices=FOLDS)
    parser.add_argument(
        "--rehearsal", type=int, default=0, help="corpus texts with base labels, trained beside"
    )
    args = parser.parse_args()
    labelled = ner_training.load_labelled()
    rehearsal = rehearsal_texts(args.rehearsal) if args.rehearsal else []
    print(f"rules of {args.commit}; {vars(args)}\n")
    print("| left out | output | base F1 | fine-tuned F1 | difference (90 % interval) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tree = unpack(args.commit, Path(tmp))
        base = counts(tree, "base")
        for fold in args.folds:
            model = ner_training.train(
                [a for a in labelled if a.split != fold], Path(tmp) / f"ner-{fold}", rehearsal=rehearsal
            )
            tuned = counts(tree, str(model))
            for kind in ("raw", "merged", "final"):
                rows = [i for i, row in enumerate(base[kind]) if row[0] == "en" and row[1] == fold]
                b = [Counts(*base[kind][i][2:]) for i in rows]
                t = [Counts(*tuned[kind][i][2:]) for i in rows]
                low, high = bootstrap(b, t)
                print(
                    f"| {fold} | {kind} | {f1(b):.3f} | {f1(t):.3f} | {f1(t) - f1(b):+.3f} "
                    f"({low:+.3f} to {high:+.3f}) |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
