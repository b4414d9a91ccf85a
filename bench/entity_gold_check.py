"""Consistency of the hand labels: gold names of one article left unlabelled in another.

Prints each multi-word gold name (or alias) of an article that occurs in another article's text of the
same language, capitalised as labelled and between word boundaries, outside every gold name of that
article, while that article's gold has no entity of that name: a labelling omission, or a different
referent to be checked by hand. One-word names are left out (too often another referent or a common
word: "Black", "House").

Run: ``.venv/bin/python -m bench.entity_gold_check``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bench.entity_quality import _norm, _texts, load_articles, split_of


def _names(entity: dict) -> list[str]:
    return [entity["text"], *entity.get("aliases", [])]


def omissions(articles: list[dict], texts: list[str]) -> list[tuple[dict, str, set[str], str]]:
    """(article, name, labels the name has elsewhere, context) per gold name missing from an article."""
    labelled: dict[tuple[str, str], set[str]] = defaultdict(set)
    for article in articles:
        if article.get("scope") == "places":
            continue
        for entity in article["entities"]:
            for name in _names(entity):
                if len(name.split()) >= 2:
                    labelled[(article["language"], name)].add(entity["label"])
    found = []
    for article, text in zip(articles, texts, strict=True):
        if article.get("scope") == "places":
            continue
        own = [name for entity in article["entities"] for name in _names(entity)]
        own_keys = {_norm(name) for name in own}
        for (language, name), labels in labelled.items():
            if language != article["language"] or _norm(name) in own_keys:
                continue
            for hit in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
                around = text[max(0, hit.start() - 100) : hit.end() + 100]
                if not any(name in longer and name != longer and longer in around for longer in own):
                    context = text[max(0, hit.start() - 40) : hit.end() + 30].replace("\n", " ")
                    found.append((article, name, labels, context))
                    break
    return found


def main() -> None:
    articles = load_articles()
    for article, name, labels, context in omissions(articles, _texts(articles)):
        page = article.get("page") or article["url"]
        print(f"{split_of(article)} {page}: {name!r} (gold {sorted(labels)} elsewhere) ... {context} ...")


if __name__ == "__main__":
    main()
