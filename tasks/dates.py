"""Dates, in one place: the month table and every date parser dossier has.

- ``find_dates``: the date expressions of a text (extraction's DATE mentions), with what ISO date
  or period each stands for, resolved against the publication date ("last month", "on Friday",
  "Dec. 29" without a year);
- ``parse_date``: the first full calendar date written in a line (a byline, a dateline);
- ``parse_published``: a publication date from a metadata value (front matter, feeds, JSON
  exports: ISO 8601, RFC 822, written dates, YAML dates, Unix timestamps);
- ``check_published``: whether such a date can be a publication date at all (not before 1900,
  not after the day of the run): an impossible one is dropped with a note, never let through to
  fail a check at the last step.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
from dataclasses import dataclass
from typing import Any

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MONTH_LONG = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ANY = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"

# Longest, most specific patterns first; a later pattern never overrides an earlier overlapping match.
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")),
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})\b")),
    ("month_day", re.compile(rf"\b(?P<month>{_MONTH_ANY})\s+{_DAY}(?:,?\s+{_YEAR})?\b(?![-\d])")),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTH_ANY})(?:,?\s+{_YEAR})?\b")),
    ("month_year", re.compile(rf"\b(?:(?:early|mid|late)-)?(?P<month>{_MONTH_ANY}),?\s+{_YEAR}\b")),
    ("relative", re.compile(r"\b(?:(?P<rel>last|this|next|past|previous|coming)\s+(?P<unit>week|month|year)|earlier\s+this\s+(?P<unit2>week|month|year)|later\s+this\s+(?P<unit3>week|month|year)|(?P<day_word>yesterday|today|tomorrow))\b", re.I)),
    ("weekday", re.compile(r"\b(?P<rel_day>[Oo]n|[Ll]ast|[Tt]his)\s+(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("decade", re.compile(r"\b(?:the\s+)?(?P<decade>1[89]\d0|20\d0)s\b")),
    ("month", re.compile(rf"\b(?P<month>{_MONTH_LONG})\b")),
    ("year", re.compile(rf"\b(?:mid-|early-|late-)?{_YEAR}\b")),
]

# Words one of which a pattern needs in a paragraph before it is run there (None: a digit). Month
# patterns are case-sensitive, so their cue is a capitalised month prefix; the rest are checked on
# the lower-cased paragraph. Running ten patterns only where they can match is most of their speed.
_MONTH_CUES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CUES = {
    "month_day": _MONTH_CUES, "day_month": _MONTH_CUES, "month_year": _MONTH_CUES, "month": _MONTH_CUES,
    "relative": ("week", "month", "year", "yesterday", "today", "tomorrow"),
    "weekday": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}
CASE_SENSITIVE_CUES = frozenset({"month_day", "day_month", "month_year", "month"})
_DIGIT = re.compile(r"\d")
THE_BEFORE = re.compile(r"\bthe\s+$", re.I)

# 'May' is a month only after these words (else it is the modal verb).
MAY_CUES = frozenset({"in", "since", "until", "till", "by", "early", "late", "mid", "of", "last", "this", "next", "from", "during", "through", "between", "and", "to"})


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    normalized: str | None
    value: dt.date | None  # the first day the expression covers, when known to the month or day


def _month_num(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _guess_year(month: int, day: int | None, published: dt.date | None) -> int | None:
    """A year-less date is the latest such date not (much) after publication."""
    if published is None:
        return None
    year = published.year
    probe = _safe_date(year, month, day or 1)
    if probe is not None and probe > published + dt.timedelta(days=7):
        year -= 1
    return year


def normalize_match(kind: str, m: re.Match, published: dt.date | None) -> tuple[str | None, dt.date | None]:
    g = m.groupdict()
    if kind == "iso":
        d = _safe_date(int(g["year"]), int(g["month"]), int(g["day"]))
        return (d.isoformat(), d) if d else (None, None)
    if kind == "numeric":
        a, b, year = int(g["a"]), int(g["b"]), int(g["year"])
        # '/' is month-first (US), '-' and '.' day-first, unless a part cannot be a month.
        day, month = (b, a) if g["sep"] == "/" else (a, b)
        if month > 12 and day <= 12:
            day, month = month, day
        d = _safe_date(year, month, day)
        return (d.isoformat(), d) if d else (None, None)
    if kind in ("month_day", "day_month"):
        month, day = _month_num(g["month"]), int(g["day"])
        year = int(g["year"]) if g.get("year") else _guess_year(month, day, published)
        if year is None:
            return (f"--{month:02d}-{day:02d}", None)
        d = _safe_date(year, month, day)
        return (d.isoformat(), d) if d else (None, None)
    if kind == "month_year":
        month, year = _month_num(g["month"]), int(g["year"])
        return (f"{year:04d}-{month:02d}", dt.date(year, month, 1))
    if kind == "month":
        month = _month_num(g["month"])
        year = _guess_year(month, None, published)
        if year is None:
            return (f"--{month:02d}", None)
        return (f"{year:04d}-{month:02d}", dt.date(year, month, 1))
    if kind == "year":
        return (g["year"], None)
    if kind == "decade":
        start = int(g["decade"])
        return (f"{start}/{start + 9}", None)
    if kind == "weekday":
        if published is None:
            return (None, None)
        back = (published.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        if back == 0 and g["rel_day"].lower() == "last":
            back = 7  # 'last Friday' in a Friday paper is a week ago; 'on Friday' is the day itself
        d = published - dt.timedelta(days=back)
        return (d.isoformat(), d)
    if kind == "relative":
        if published is None:
            return (None, None)
        if g.get("day_word"):
            shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["day_word"].lower()]
            d = published + dt.timedelta(days=shift)
            return (d.isoformat(), d)
        rel = (g.get("rel") or "this").lower()
        unit = (g.get("unit") or g.get("unit2") or g.get("unit3")).lower()
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
        if unit == "year":
            return (f"{published.year + step:04d}", None)
        if unit == "month":
            month_index = published.year * 12 + published.month - 1 + step
            year, month = divmod(month_index, 12)
            return (f"{year:04d}-{month + 1:02d}", dt.date(year, month + 1, 1))
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
        iso = monday.isocalendar()
        return (f"{iso[0]:04d}-W{iso[1]:02d}", None)
    return (None, None)


def find_dates(text: str, published: dt.date | None) -> list[DateMatch]:
    """Non-overlapping date expressions in ``text`` (first pattern wins, then leftmost)."""
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    paragraphs = []
    pos = 0
    for line in text.split("\n"):
        paragraphs.append((pos, pos + len(line), line, line.lower(), _DIGIT.search(line) is not None))
        pos += len(line) + 1
    for kind, pattern in PATTERNS:
        cue = CUES.get(kind)
        for p_start, p_end, line, lower, has_digit in paragraphs:
            if cue is None:
                if not has_digit:
                    continue
            elif not any(c in (line if kind in CASE_SENSITIVE_CUES else lower) for c in cue):
                continue  # the pattern cannot match in this paragraph
            _collect(kind, pattern, text, p_start, p_end, published, taken, found)
    found.sort(key=lambda d: d.start)
    return found


def _collect(kind, pattern, text, p_start, p_end, published, taken, found) -> None:
    """Matches of one pattern in text[p_start:p_end] that no earlier (more specific) match overlaps."""
    for m in pattern.finditer(text, p_start, p_end):
        start, end = m.span()
        if kind == "decade" and text[start:end].lower().startswith("the "):
            start += 4
        if any(s < end and start < e for s, e in taken):
            continue
        if kind == "relative" and THE_BEFORE.search(text[max(0, start - 5) : start]) \
                and (m.group("rel") or "").lower() in ("last", "past", "previous"):
            continue  # 'over the last year': a span of time, not a calendar year
        if kind == "month" and m.group("month") == "May":
            prev = text[max(0, start - 12) : start].split()
            if not prev or prev[-1].lower().strip("-") not in MAY_CUES:
                continue
        normalized, value = normalize_match(kind, m, published)
        taken.append((start, end))
        found.append(DateMatch(start, end, normalized, value))


# ------------------------------------------------------------------------ dates in metadata


# The earliest publication date dossier accepts; the latest is the day of the run plus a margin
# (``IngestParams.max_days_ahead``): time zones put a fresh article a day ahead of a UTC clock.
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
_FULL_DATE_KINDS = ("iso", "numeric", "month_day", "day_month")
_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_DATE_KEYS = ("$date", "$numberLong", "date", "value", "iso", "datetime", "timestamp")


def parse_date(text: str) -> dt.date | None:
    """The first full calendar date (day, month and year) written in ``text``, or None."""
    found = [d for d in find_dates(text[:2000], None) if d.value is not None and len(d.normalized or "") == 10]
    return found[0].value if found else None


def parse_published(value: Any) -> dt.date | None:
    """A publication date from what a record states: ISO 8601, RFC 822 (feeds), a written date,
    a YAML date, or a Unix timestamp. The calendar date as written, not converted to UTC."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dict):  # {"$date": "..."}, {"$date": {"$numberLong": "..."}} (MongoDB)
        for _ in range(2):
            value = next((value[k] for k in _DATE_KEYS if k in value), None)
            if not isinstance(value, dict):
                return parse_published(value)
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()[:20])  # a compact date or a Unix timestamp written as a string
    if isinstance(value, int) and 19000101 <= value <= 21001231:
        # YYYYMMDD: as a Unix timestamp it would be a day in 1970-1971, no news article's date
        return _safe_date(value // 10000, value // 100 % 100, value % 100)
    if isinstance(value, (int, float)):
        if not (isinstance(value, int) or math.isfinite(value)) or not value > 0:
            return None  # 0 (or less, or NaN) stands for "no date" in exports
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()[:200]
    if not text:
        return None
    match = _ISO_PREFIX.match(text)
    if match:
        return _safe_date(*(int(g) for g in match.groups()))
    parsed = email.utils.parsedate_tz(text)
    if parsed and parsed[0] > 0:
        found = _safe_date(parsed[0], parsed[1], parsed[2])
        if found:
            return found
    return parse_date(text)


def check_published(value: dt.date | None, latest: dt.date) -> tuple[dt.date | None, str | None]:
    """The date if it can be a publication date, else ``(None, note)``: before 1900
    (``published_too_early``) or after ``latest`` (``published_in_future``)."""
    if value is None:
        return None, None
    if value < EARLIEST_PUBLISHED:
        return None, "published_too_early"
    if value > latest:
        return None, "published_in_future"
    return value, None


def resolve_day(month: int, day: int, reference: dt.date | None) -> dt.date | None:
    """A day written without its year ("Dec. 29" in a dateline) as the latest such day not after
    ``reference`` (the crawl or file date) by more than a week."""
    year = _guess_year(month, day, reference)
    return _safe_date(year, month, day) if year is not None else None


def month_number(name: str) -> int | None:
    """1-12 for a month's name or abbreviation ("Dec.", "sept", "January"), else None."""
    return MONTHS.get(name.rstrip(".").lower())


# ------------------------------------------------------------------------ periods of claims

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?|-W(?P<week>\d{2}))?(?P<open>/\.\.)?$")


def period_start(period: str | None) -> dt.date | None:
    """The first day of an ISO date or period a claim is dated by: ``2024-11-29``, ``2023-06``,
    ``2023``, ``2024-W47`` or an open period ``2023-08/..`` (since August 2023); None for what
    names no year (``--06``) or spans a decade."""
    match = _PERIOD.match(period or "")
    if not match:
        return None
    year = int(match["year"])
    if match["week"]:
        try:
            return dt.date.fromisocalendar(year, int(match["week"]), 1)
        except ValueError:
            return None
    return _safe_date(year, int(match["month"] or 1), int(match["day"] or 1))


OPEN_AFTER = frozenset({"since", "after"})  # 'since August 2023': the period runs on from it
BOUND_BEFORE = frozenset({"before", "until", "till", "by", "prior"})  # 'before May 2025' dates nothing


def claim_period(normalized: str | None, word_before: str | None) -> str | None:
    """The period a date mention gives a claim: its ISO form, open-ended after 'since' or 'after'
    ('since August 2023': ``2023-08/..``); None when it names no year, spans a decade, or only bounds
    the claim ('before May 2025', 'by 2030')."""
    word = (word_before or "").lower()
    if period_start(normalized) is None or (normalized or "").endswith("/..") or word in BOUND_BEFORE:
        return None
    return f"{normalized}/.." if word in OPEN_AFTER else normalized
