"""Build ``ingest/data/de_noun_names.tsv``: German nouns' forms that the place rules can meet (session 13).

Source: the ``nouns.csv`` of the PyPI package ``german-nouns`` 1.2.5 (Wiktionary DE, CC BY-SA 4.0; every
noun's lemma, part-of-speech tags and case forms). A form is kept when it is a one-word gazetteer name or
ends like a German place name (``place_cues.PLACE_SUFFIXES``): only such words reach
``place_context.is_noun_here``. Its flag says whether Wiktionary also has the form as a proper name (a
lemma tagged Toponym, Nachname, Vorname or Eigenname: "Leiden", "Zug").

    pip download --no-deps german-nouns==1.2.5 && unzip german_nouns-1.2.5-py3-none-any.whl
    .venv/bin/python -m bench.de_noun_names german_nouns/nouns.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from ingest.gazetteer import get_gazetteer, name_key
from ingest.place_context import NOUNS_FILE
from ingest.place_cues import PLACE_SUFFIXES, SUFFIX_MIN_CHARS

PROPER_TAGS = frozenset({"Toponym", "Nachname", "Vorname", "Eigenname"})
"""Wiktionary's part-of-speech tags of proper names."""

HEADER = """\
# German common nouns' written forms that are also one-word gazetteer names or end like a German place name,
# read by ingest/place_context.py (session 13): such a word is a town only where the words before it say so.
# Source: Wiktionary DE as compiled in the PyPI package german-nouns 1.2.5 (nouns.csv; CC BY-SA 4.0, by
# Gregor Weichbrodt and the Wiktionary contributors; this adapted list is under the same licence). Built by
# bench/de_noun_names.py against the gazetteer of this repository; re-run it after changing either.
# Columns: form <TAB> "proper" when Wiktionary also has the form as a proper name (toponym, surname, first
# name).
"""


def noun_forms(nouns_csv: Path) -> tuple[set[str], set[str]]:
    """(written forms of common nouns, lemmas of proper names) of the CSV."""
    csv.field_size_limit(sys.maxsize)
    forms: set[str] = set()
    proper: set[str] = set()
    with nouns_csv.open(encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            tags = set(row[1].split(","))
            if "Substantiv" not in tags:
                continue
            if tags & PROPER_TAGS:
                proper.add(row[0])
                continue
            forms.update(
                form.strip()
                for cell in (row[0], *row[2:])  # the lemma too: some rows list no case forms ("Corona")
                for form in cell.split(",")
                if form.strip()[:1].isupper() and " " not in form.strip()
            )
    return forms, proper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nouns_csv", type=Path, help="german-nouns' nouns.csv")
    args = parser.parse_args()
    forms, proper = noun_forms(args.nouns_csv)
    keys = set(get_gazetteer().keys())
    kept = sorted(
        form
        for form in forms
        if name_key(form) in keys
        or (len(form) >= SUFFIX_MIN_CHARS and "-" not in form and form.casefold().endswith(PLACE_SUFFIXES))
    )
    lines = [f"{form}\tproper" if form in proper else form for form in kept]
    NOUNS_FILE.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} forms ({sum(form in proper for form in kept)} also proper names) -> {NOUNS_FILE}")


if __name__ == "__main__":
    main()
