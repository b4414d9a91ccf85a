"""Dates mentioned in an article, as ISO values resolved against its publication date.

English: the NER's DATE spans, read by the rules below (common forms, microseconds each), with
dateparser as a fallback only for spans naming a month or a year that the rules do not know.
Languages without DATE spans (French, German, ...): a regex scan of the text for absolute dates
("13. März 2024", "13.03.2024", "12 décembre 2019", "März 2024") and a few relative words.

Relative expressions ("on Tuesday", "last September", "three weeks ago", "yesterday", and month-day
dates without a year) need the publication date; without one they are dropped, never resolved
against the fetch time or today. Durations ("5 Mins Read", "90 days", "two years") are not dates
and are dropped; so are expressions relative to a point in the story rather than to publication
("three days later", "a week earlier"), weeks and weekends (no week granularity in the contract),
decades and ranges.

The date line next to a headline (``ingest/date_line.py``) is read with this module's patterns too
(``written_days``): the forms sites print there, more freely spelt than the body scan accepts ("26, Abril,
2022", "December 29th 2019", "31.10.23").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache

from schemas.article import DateGranularity, MentionedDate

MIN_YEAR = 1000
MAX_YEAR = 2199
"""A bare four-digit number is a year only in this range: it keeps history (1066) and plans (2050)
and rejects most street numbers, phone fragments and model numbers ("3090")."""

MAX_SPAN_CHARS = 60
"""DATE spans longer than this are run-ons of the model (lists, tables): not read."""

MONTHS: dict[str, int] = {
    # en
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # de
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    # fr
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    # es, it, nl, pt
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12, "gennaio": 1, "febbraio": 2,
    "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9, "ottobre": 10, "dicembre": 12,
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "janeiro": 1, "fevereiro": 2,
    "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9, "outubro": 10, "novembro": 11,
    "dezembro": 12, "setiembre": 9,
    # pl (genitive, as dates write them, then nominative)
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
    "sierpnia": 8, "września": 9, "października": 10, "listopada": 11, "grudnia": 12, "styczeń": 1,
    "luty": 2, "marzec": 3, "kwiecień": 4, "maj": 5, "czerwiec": 6, "lipiec": 7, "sierpień": 8,
    "wrzesień": 9, "październik": 10, "listopad": 11, "grudzień": 12,
    # abbreviations that are no word of these languages ("ago", "out", "set" are left out)
    "mär": 3, "mrt": 3, "ene": 1, "abr": 4, "dic": 12, "janv": 1, "févr": 2, "fevr": 2, "avr": 4,
    "juil": 7, "déc": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}  # fmt: skip

RELATIVE_DAY_WORDS: dict[str, int] = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "the day before yesterday": -2, "tomorrow": 1,
}  # fmt: skip
"""English DATE spans that name a day relative to publication."""

TEXT_RELATIVE_DAY_WORDS: dict[str, dict[str, int]] = {
    "de": {"heute": 0, "gestern": -1, "vorgestern": -2, "übermorgen": 2},
    "fr": {"aujourd'hui": 0, "hier": -1, "avant-hier": -2, "demain": 1},
}
"""Relative day words found by the text scan, per language (German "hier" is "here"). German
"morgen" is left out: in "heute Morgen" it is the morning, not tomorrow."""

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2,
}  # fmt: skip

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))


def by_first_letter(alternatives: str) -> str:
    """The same alternation grouped by first letter, each group in the original order: "jan|feb|jun" ->
    "(?:j(?:an|un)|f(?:eb))". It matches exactly what the flat one matches (a letter's group is the flat
    list with the alternatives that cannot match there left out), but the regex engine tries one group
    per position instead of every alternative: the text scan runs over whole articles, and with
    IGNORECASE the flat alternation of ~90 month names costs ~0.7 ms an article per pattern."""
    groups: dict[str, list[str]] = {}
    for word in alternatives.split("|"):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()) + ")"


# Every month name of MONTHS as one alternation grouped by first letter (the body scan and date lines).
MONTH_SCAN = by_first_letter(_MONTH)
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUMBER = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th|er)?"

# Leading words that do not change the date: "on Tuesday", "in March 2024", "since 2019".
_LEADING = re.compile(r"^(?:(?:on|in|by|since|from|until|till|as of|during|around|about|circa|the|of)\s+)+")
_TRAILING = re.compile(r"(?:['’]s|[\s,.;:!?'’\"”)]+)$")

_ON_WEEKDAY = rf"(?:(?:{_WEEKDAY})\.?,?\s+)?"  # "Tuesday, March 12, 2024": the weekday adds nothing
_MONTH_DAY_YEAR = re.compile(rf"^{_ON_WEEKDAY}({_MONTH})\.?\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})$")
_DAY_MONTH_YEAR = re.compile(rf"^{_ON_WEEKDAY}(\d{{1,2}}){_ORD}\.?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})$")
_MONTH_DAY = re.compile(rf"^{_ON_WEEKDAY}({_MONTH})\.?\s+(\d{{1,2}}){_ORD}$")
_DAY_MONTH = re.compile(rf"^{_ON_WEEKDAY}(\d{{1,2}}){_ORD}\.?\s+(?:of\s+)?({_MONTH})\.?$")
_MONTH_PART = r"(?:early|mid|late|mid-|end-|(?:the )?end of|(?:the )?beginning of)"
_MONTH_YEAR = re.compile(rf"^(?:{_MONTH_PART}\s*)?({_MONTH})\.?,?\s+(?:of\s+)?(\d{{4}})$")
_SEASON_YEAR = re.compile(  # after _LEADING dropped "the": "(the) summer of 2015", "mid-2024"
    r"^(?:(?:early|mid|late|end of|beginning of|(?:first|second) half of|"
    r"(?:first|second|third|fourth) quarter of|(?:spring|summer|autumn|fall|winter)(?: of)?|"
    r"fiscal|year)\s*)?(?:-\s*)?(\d{4})$"
)
_BARE_MONTH = re.compile(rf"^(?:(last|next|this|{_MONTH_PART})\s*)?({_MONTH})\.?$")
_WEEKDAY_ONLY = re.compile(
    rf"^(?:(last|next|this|past|coming)\s+)?({_WEEKDAY})\.?(?:\s+(?:morning|afternoon|evening|night))?$"
)
_RELATIVE_PERIOD = re.compile(r"^(?:(?:earlier|later)\s+)?(last|this|next|past|coming)\s+(month|year)$")
_ABOUT = r"(?:about|around|nearly|almost|some|more than|over|just|only)"
_AGO = re.compile(rf"^(?:{_ABOUT}\s+)?({_NUMBER})\s+(day|week|month|year)s?\s+(ago|from now)$")
# Numeric dates, in the body scan and on date lines: dots are always day first ("01.11.2023", and on date
# lines "31.10.23": the body scan reads four-digit years only), slashes day first in the body scan and as
# ``written_days`` is told, ISO "2022-04-26" (also a whole DATE span).
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.])")
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
MONTHS_IN_YEAR = 12  # a slashed part above this is the day
TWO_DIGIT_YEAR_PIVOT = 70
"""A two-digit year below this is 20xx ("31.10.23"), otherwise 19xx."""
# Text scan (languages without DATE spans): "13. März 2024", "1er janvier 2020", "5 de mayo de 2021".
_DE = r"(?:de\s+)?"
_TEXT_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:\.|er|º)?\s+{_DE}({MONTH_SCAN})\.?,?\s+{_DE}(\d{{4}})(?!\d)", re.IGNORECASE
)
_TEXT_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)({MONTH_SCAN})\.?\s+(\d{{1,2}}),\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_TEXT_MONTH_YEAR = re.compile(rf"(?<!\w)({MONTH_SCAN})\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_TEXT_DAY_MONTH = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:\.|er)?\s+({MONTH_SCAN})\b(?!\.?,?\s+{_DE}\d)", re.IGNORECASE
)
# Date lines with month names: "1. November 2023", "26, Abril, 2022", "Viernes 29 de Abril de 2022",
# "Oct 24, 2023", "December 29th 2019".
_LINE_SEP = r"[\s,.]*(?:de\s+|of\s+)?"
_LINE_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w.])(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?{_LINE_SEP}({MONTH_SCAN})\.?{_LINE_SEP}(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_LINE_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)({MONTH_SCAN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_TEXT_RELATIVE = {
    language: re.compile(
        r"(?<![\w-])(" + "|".join(word.replace("'", "['’]") for word in words) + r")(?![\w-])", re.IGNORECASE
    )
    for language, words in TEXT_RELATIVE_DAY_WORDS.items()
}
_DATEPARSER_WORTHY = re.compile(rf"\b(?:{_MONTH})\b")
"""Only spans naming a month go to dateparser: on the corpus' 1,567 English DATE spans, the ones with
digits alone that the rules reject are citations, phone numbers, ranges and model numbers, which
dateparser turns into wrong dates ("2014;4(3):1" -> 2014-04-30)."""
_DIRECTIONLESS_UNIT = re.compile(
    r"\b(?:min|mins|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies))\b"
)


def _day(value: date, granularity: DateGranularity = "day") -> tuple[str, DateGranularity]:
    if granularity == "year":
        return f"{value.year:04d}", "year"
    if granularity == "month":
        return f"{value.year:04d}-{value.month:02d}", "month"
    return value.isoformat(), "day"


def safe_date(year: int, month: int, day: int) -> date | None:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= MONTHS_IN_YEAR):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
    return year


def written_days(text: str, month_first: bool) -> list[tuple[int, int, date]]:
    """(start, end, day) of every full date the text writes in a date line's forms (see the module doc),
    in text order; of overlapping ones the first (at the same place: the month-name form) is read.
    ``month_first``: a slashed date is month first when both parts could be the month ("11/01/2023")."""
    found: list[tuple[int, int, date | None]] = []
    for m in _LINE_DAY_MONTH_YEAR.finditer(text):
        found.append((m.start(), m.end(), safe_date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))))
    for m in _LINE_MONTH_DAY_YEAR.finditer(text):
        found.append((m.start(), m.end(), safe_date(int(m[3]), MONTHS[m[1].casefold()], int(m[2]))))
    for m in _DOTTED.finditer(text):
        found.append((m.start(), m.end(), safe_date(_year(m[3]), int(m[2]), int(m[1]))))
    for m in _SLASHED.finditer(text):
        day, month = int(m[1]), int(m[2])
        if month > MONTHS_IN_YEAR or (month_first and day <= MONTHS_IN_YEAR):
            day, month = month, day
        found.append((m.start(), m.end(), safe_date(int(m[3]), month, day)))
    for m in _ISO.finditer(text):
        found.append((m.start(), m.end(), safe_date(int(m[1]), int(m[2]), int(m[3]))))
    days: list[tuple[int, int, date]] = []
    for start, end, value in sorted(found, key=lambda item: item[0]):
        if value is not None and not any(start < t_end and t_start < end for t_start, t_end, _ in days):
            days.append((start, end, value))
    return days


def _add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(value.day, calendar.monthrange(year, month + 1)[1]))


def _nearest_year(month: int, day: int, published: date) -> date | None:
    """A month-day without a year is the occurrence nearest to publication (news rarely reaches
    further than half a year either way without naming the year)."""
    candidates = [safe_date(published.year + delta, month, day) for delta in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    return min(valid, key=lambda c: abs((c - published).days)) if valid else None


def _month_relative(month: int, modifier: str | None, published: date) -> date:
    """'last September' is the latest September before the publication month, 'next' the first after,
    'this' the one of the publication year, a bare month the nearest one."""
    this_year = date(published.year, month, 1)
    pub_month = date(published.year, published.month, 1)
    if modifier == "last":
        return this_year if this_year < pub_month else date(published.year - 1, month, 1)
    if modifier == "next":
        return this_year if this_year > pub_month else date(published.year + 1, month, 1)
    if modifier == "this":
        return this_year
    return min(
        (date(published.year + delta, month, 1) for delta in (-1, 0, 1)),
        key=lambda c: abs((c.year - pub_month.year) * 12 + c.month - pub_month.month),
    )


def _weekday_relative(weekday: int, modifier: str | None, published: date) -> date:
    """'next'/'this'/'coming' Tuesday: the first on or after (after, for 'next') publication;
    'last' Tuesday: the latest strictly before; a bare 'Tuesday' in news reporting is the latest on
    or before publication ("said on Tuesday" in a Wednesday article)."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if modifier == "next":
        return published + timedelta(days=ahead or 7)
    if modifier in ("this", "coming"):
        return published + timedelta(days=ahead)
    if modifier in ("last", "past"):
        return published - timedelta(days=back or 7)
    return published - timedelta(days=back)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _clean_span(text: str) -> str:
    text = " ".join(text.split()).casefold().replace("’", "'")
    text = _TRAILING.sub("", text)
    return _LEADING.sub("", text).strip()


def _resolve_rules(span: str, published: date | None) -> tuple[str, DateGranularity] | None:
    """The common English forms; None when none applies (then maybe dateparser)."""
    if m := _ISO.fullmatch(span):
        value = safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _day(value) if value else None
    if (m := _MONTH_DAY_YEAR.match(span)) or (m := _DAY_MONTH_YEAR.match(span)):
        month_word, day_text = (m[1], m[2]) if m.re is _MONTH_DAY_YEAR else (m[2], m[1])
        value = safe_date(int(m[3]), MONTHS[month_word], int(day_text))
        return _day(value) if value else None
    if m := _MONTH_YEAR.match(span):
        value = safe_date(int(m[2]), MONTHS[m[1]], 1)
        return _day(value, "month") if value else None
    if m := _SEASON_YEAR.match(span):
        year = int(m[1])
        return (f"{year:04d}", "year") if MIN_YEAR <= year <= MAX_YEAR else None
    if published is None:
        return None
    if span in RELATIVE_DAY_WORDS:
        return _day(published + timedelta(days=RELATIVE_DAY_WORDS[span]))
    if (m := _MONTH_DAY.match(span)) or (m := _DAY_MONTH.match(span)):
        month_word, day_text = (m[1], m[2]) if m.re is _MONTH_DAY else (m[2], m[1])
        value = _nearest_year(MONTHS[month_word], int(day_text), published)
        return _day(value) if value else None
    if m := _BARE_MONTH.match(span):
        modifier = m[1] if m[1] in ("last", "next", "this") else None
        return _day(_month_relative(MONTHS[m[2]], modifier, published), "month")
    if m := _WEEKDAY_ONLY.match(span):
        return _day(_weekday_relative(WEEKDAYS[m[2]], m[1], published))
    if m := _RELATIVE_PERIOD.match(span):
        step = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[m[1]]
        if m[2] == "month":
            return _day(_add_months(published, step), "month")
        return _day(published.replace(year=published.year + step, day=1), "year")
    if m := _AGO.match(span):
        amount = _number(m[1]) * (-1 if m[3] == "ago" else 1)
        unit = m[2]
        if unit in ("day", "week"):
            return _day(published + timedelta(days=amount * (7 if unit == "week" else 1)))
        if unit == "month":
            return _day(_add_months(published, amount), "month")
        return _day(_add_months(published, 12 * amount), "year")
    return None


@lru_cache(maxsize=64)
def _dateparser_for(language: str, base: datetime | None):  # dateparser is untyped
    from dateparser.date import DateDataParser  # slow import (~1 s): only when a fallback is needed

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    return DateDataParser(languages=[language], settings=settings)


def _resolve_dateparser(
    span: str, published: date | None, language: str
) -> tuple[str, DateGranularity] | None:
    """dateparser for the rare span naming a month that the rules do not read. Durations ("two
    months") and ranges are rejected first: dateparser would turn them into a date."""
    if not _DATEPARSER_WORTHY.search(span) or _DIRECTIONLESS_UNIT.search(span):
        return None
    if re.search(r"\b\d{4}s\b|\bbetween\b|\band\b|[-–;]\s*\d|\bto\b", span):
        return None  # decades and ranges
    has_year = re.search(r"\b\d{4}\b", span) is not None
    if published is None and not has_year:
        return None
    base = datetime(published.year, published.month, published.day) if published else None
    data = _dateparser_for(language, base).get_date_data(span)
    if data.date_obj is None or not MIN_YEAR <= data.date_obj.year <= MAX_YEAR:
        return None
    period = {"year": "year", "month": "month"}.get(data.period or "day", "day")
    return _day(data.date_obj.date(), period)  # type: ignore[arg-type]


def resolve_span(text: str, published: date | None, language: str = "en") -> MentionedDate | None:
    """A DATE span as an ISO date, or None when it is a duration, noise or needs a missing date."""
    if "\n" in text or len(text) > MAX_SPAN_CHARS:
        return None
    span = _clean_span(text)
    if not span:
        return None
    resolved = _resolve_rules(span, published) or _resolve_dateparser(span, published, language)
    if resolved is None:
        return None
    value, granularity = resolved
    return MentionedDate(text=" ".join(text.split()), value=value, granularity=granularity)


def _scan(text: str, published: date | None, language: str | None) -> list[MentionedDate]:
    """Dates written with digits or the month names above, in any of their languages, in text order."""
    found = sorted(_scan_unordered(text, published, language), key=lambda pair: pair[0])
    return [item for _start, item in found]


def _scan_unordered(
    text: str, published: date | None, language: str | None
) -> Iterable[tuple[int, MentionedDate]]:
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return False
        taken.append((start, end))
        return True

    def emit(
        match: re.Match[str], value: date | None, granularity: DateGranularity
    ) -> tuple[int, MentionedDate] | None:
        if value is None:
            return None
        iso, granularity = _day(value, granularity)
        return match.start(), MentionedDate(text=match[0], value=iso, granularity=granularity)

    for pattern in (_TEXT_DAY_MONTH_YEAR, _TEXT_MONTH_DAY_YEAR):
        for m in pattern.finditer(text):
            if free(m):
                month_word, day_text = (m[2], m[1]) if pattern is _TEXT_DAY_MONTH_YEAR else (m[1], m[2])
                found = emit(m, safe_date(int(m[3]), MONTHS[month_word.casefold()], int(day_text)), "day")
                if found:
                    yield found
    for pattern in (_DOTTED, _SLASHED):
        for m in pattern.finditer(text):
            if len(m[3]) == 4 and free(m):
                found = emit(m, safe_date(int(m[3]), int(m[2]), int(m[1])), "day")
                if found:
                    yield found
    for m in _TEXT_MONTH_YEAR.finditer(text):
        if free(m):
            found = emit(m, safe_date(int(m[2]), MONTHS[m[1].casefold()], 1), "month")
            if found:
                yield found
    if published is None:
        return
    for m in _TEXT_DAY_MONTH.finditer(text):
        if free(m):
            found = emit(m, _nearest_year(MONTHS[m[2].casefold()], int(m[1]), published), "day")
            if found:
                yield found
    relative = _TEXT_RELATIVE.get(language or "")
    for m in relative.finditer(text) if relative else ():
        if free(m):
            offset = TEXT_RELATIVE_DAY_WORDS[language or ""][m[1].casefold().replace("’", "'")]
            found = emit(m, published + timedelta(days=offset), "day")
            if found:
                yield found


def mentioned_dates(
    text: str, date_spans: Sequence[str] | None, published_at: datetime | None, language: str | None
) -> list[MentionedDate]:
    """Dates of one article, deduplicated by value and text, in order of appearance.

    ``date_spans`` are the NER's DATE spans; None means the language has no DATE tagging, and the
    text is scanned instead.
    """
    published = published_at.date() if published_at is not None else None
    if date_spans is not None:
        found: Iterable[MentionedDate | None] = (
            resolve_span(span, published, language or "en") for span in date_spans
        )
    else:
        found = _scan(text, published, language)
    seen: set[tuple[str, str]] = set()
    dates = []
    for item in found:
        if item is not None and (item.value, item.text) not in seen:
            seen.add((item.value, item.text))
            dates.append(item)
    return dates
