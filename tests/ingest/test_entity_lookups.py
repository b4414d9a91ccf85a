"""The cheaper enrichment lookups (session 8 CPU work) give exactly what their plain definitions give:
the gazetteer's name key, the place matcher's candidate spans, and the month-name scans of the dates."""

from __future__ import annotations

import itertools
import re
import unicodedata

from ingest import dates
from ingest.gazetteer import name_key
from ingest.place_matcher import JOINING_WORDS, MAX_NAME_WORDS, NAME_GAP, _run_length, text_words


def _plain_name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(folded.casefold().replace(".", "").split())


def test_name_key_is_the_plain_fold_of_accents_case_and_spaces() -> None:
    names = [
        "Zürich", "ZÜRICH", "São Paulo", "St. Louis", "Côte d’Ivoire", "Straße", "STRASSE", "İstanbul",
        "Łódź", "Ærøskøbing", "ﬁnland", "Kelvin K", "ſtadt", "Ǆemal", "Cafe\u0301", "  New   York ", "U.S.",
        "Québec-City", "Αθήνα", "Москва", "東京", "", "...", "Frankfurt am Main", "x\u0327\u0301y",
    ]  # fmt: skip
    for name in names:
        assert name_key(name) == _plain_name_key(name), name
    every_char = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    for start in range(0, len(every_char), 64):
        chunk = every_char[start : start + 64]
        assert name_key(chunk) == _plain_name_key(chunk)


def _plain_span_end(text: str, words: list[tuple[int, int, str]], start: int, count: int) -> int | None:
    """The per-length definition the run length replaces."""
    span = words[start : start + count]
    if len(span) < count or not span[-1][2][0].isupper():
        return None
    for (_, end, _), (next_start, _, word) in itertools.pairwise(span):
        if not NAME_GAP.fullmatch(text[end:next_start]) or (
            not word[0].isupper() and word not in JOINING_WORDS
        ):
            return None
    return span[-1][1]


def test_run_length_gives_the_spans_of_the_per_length_definition() -> None:
    text = (
        "In Frankfurt am Main und Rio de Janeiro, Bosnia and Herzegovina. New York\nCity am Ende: "
        "Die Stadt Halle an der Saale, von Bad Homburg vor der Höhe; St. Louis, Mo. "
        "Provence-Alpes-Côte d'Azur Sankt  Peter\tOrding am am An"
    )
    words = text_words(text)
    for index in range(len(words)):
        if not words[index][2][0].isupper():
            continue
        length = _run_length(text, words, index)
        ours = {count: words[index + count - 1][1] for count in range(1, length + 1)
                if words[index + count - 1][2][0].isupper()}  # fmt: skip
        plain = {count: end for count in range(1, MAX_NAME_WORDS + 1)
                 if (end := _plain_span_end(text, words, index, count)) is not None}  # fmt: skip
        assert ours == plain, words[index]


def test_month_scans_match_what_the_flat_month_alternation_matches() -> None:
    flat, de = dates._MONTH, dates._DE
    plain = [
        rf"(?<!\w)(\d{{1,2}})(?:\.|er|º)?\s+{de}({flat})\.?,?\s+{de}(\d{{4}})(?!\d)",
        rf"(?<!\w)({flat})\.?\s+(\d{{1,2}}),\s+(\d{{4}})(?!\d)",
        rf"(?<!\w)({flat})\s+(\d{{4}})(?!\d)",
        rf"(?<!\w)(\d{{1,2}})(?:\.|er)?\s+({flat})\b(?!\.?,?\s+{de}\d)",
    ]
    ours = [
        dates._TEXT_DAY_MONTH_YEAR,
        dates._TEXT_MONTH_DAY_YEAR,
        dates._TEXT_MONTH_YEAR,
        dates._TEXT_DAY_MONTH,
    ]
    text = (
        "Am 13. März 2024 und am 1er janvier 2020, le 5 de mayo de 2021; im Mai 2023, September 12, 2024, "
        "Sept. 3, 2022, sept 2021, Sep 2020, JUNI 1999, Juni 19999, 12 décembre, 3 DEC 2001, mar 2024, "
        "Marzo 2019, março 2018, Märzen 2017, xMai 2016, 4 août, 4 aout 2015, 31. Dezember, 7 juin 2014, "
        "2 Mayo, Januar 2024 bis Februar 2025, 1. Jänner 2026, 10 gennaio 2027 e 11 ottobre."
    )
    for pattern, ours_pattern in zip(plain, ours, strict=True):
        expected = [(m.span(), m.groups()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        assert [(m.span(), m.groups()) for m in ours_pattern.finditer(text)] == expected
        assert expected
