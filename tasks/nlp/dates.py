"""DATE expressions: where they are and what ISO date they stand for, given the publication date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
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
