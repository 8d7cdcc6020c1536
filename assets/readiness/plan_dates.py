"""The plan's own date phrases, read as dates: "February 16 to February 27, 2026" and kin.

A plan states its dates in prose. gonogo keeps that prose verbatim and reads it here, so the
dates it computes with are the plan's, never a re-typed copy. Accepted shapes (month names
full or abbreviated, any case; "to", "through", "until" or a dash between the ends):

- ``February 16, 2026`` · ``16 February 2026`` · ``2026-02-16`` · ``Feb 16``
- ``February 16 to February 27, 2026`` · ``February 16 - 27, 2026`` · ``Feb 16 – Mar 3``
- ``February 16, 2026 to March 17, 2026`` · ``2026-02-16 to 2026-03-17``

A missing year comes from the end of the range, else from ``default_year``; a range whose
start month comes after its end month starts in the year before (``December 28 to January 8,
2027``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTHS = {
    name.lower(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_abbr[i] + ".")
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<{g}>[A-Za-z]{{3,9}}\.?)"
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_DAY = re.compile(
    r"^" + _MONTH.format(g="m") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?$"
)
_DAY_MONTH = re.compile(
    r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format(g="m") + r"(?:,?\s+(?P<y>\d{4}))?$"
)
_DAY_ONLY = re.compile(r"^(?P<d>\d{1,2})(?:,?\s+(?P<y>\d{4}))?$")
# Range separators: words, or a dash with spaces around it (so ISO dates keep their hyphens).
_SEPARATOR = re.compile(r"\s+(?:to|through|until|thru)\s+|\s+[-–—]\s+|\s*[–—]\s*", re.IGNORECASE)


class DateTextError(ValueError):
    """A date phrase gonogo cannot read; the message says what shapes it accepts."""


def _part(text: str) -> tuple[int | None, int | None, int]:
    """(year, month, day) of one end of a phrase; month None when only a day was written."""
    t = " ".join(text.strip().split())
    if m := _ISO.match(t):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    for rx in (_MONTH_DAY, _DAY_MONTH):
        if m := rx.match(t):
            month = _MONTHS.get(m.group("m").lower())
            if month is None:
                raise DateTextError(f"{m.group('m')!r} is not a month name")
            return (int(m.group("y")) if m.group("y") else None), month, int(m.group("d"))
    if m := _DAY_ONLY.match(t):
        return (int(m.group("y")) if m.group("y") else None), None, int(m.group("d"))
    raise DateTextError(
        f"cannot read {text.strip()!r} as a date (write e.g. 'February 16, 2026' or '2026-02-16')"
    )


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateTextError(f"{text.strip()!r}: {exc}") from None


def parse_date(text: str, default_year: int | None = None) -> date:
    """One date: ``March 17, 2026``; the year may be omitted when ``default_year`` is given."""
    year, month, day = _part(text)
    if month is None:
        raise DateTextError(f"{text.strip()!r} names no month")
    year = year if year is not None else default_year
    if year is None:
        raise DateTextError(f"{text.strip()!r} names no year")
    return _make(year, month, day, text)


def parse_date_range(text: str, default_year: int | None = None) -> tuple[date, date]:
    """A start and end date from one phrase; raises `DateTextError` with a readable reason."""
    pieces = _SEPARATOR.split(text.strip(), maxsplit=1)
    if len(pieces) != 2 or not all(p.strip() for p in pieces):
        raise DateTextError(
            f"cannot read {text.strip()!r} as a date range (write e.g. 'February 16 to February 27, 2026')"
        )
    (y1, m1, d1), (y2, m2, d2) = _part(pieces[0]), _part(pieces[1])
    if m1 is None:
        raise DateTextError(f"{pieces[0].strip()!r}: the start of a range needs a month")
    m2 = m2 if m2 is not None else m1
    y2 = y2 if y2 is not None else (y1 if y1 is not None else default_year)
    if y2 is None:
        raise DateTextError(f"{text.strip()!r} names no year")
    y1 = y1 if y1 is not None else (y2 - 1 if m1 > m2 else y2)
    start, end = _make(y1, m1, d1, pieces[0]), _make(y2, m2, d2, pieces[1])
    if end < start:
        raise DateTextError(f"{text.strip()!r} ends before it starts")
    return start, end


def parse_date_range_within(text: str, window: tuple[date, date]) -> tuple[date, date]:
    """A range written without a year ("February 16 to February 22") placed in the plan's
    window: the year that puts its start inside the window (give or take a week) wins."""
    years = dict.fromkeys((window[0].year, window[1].year))
    first: tuple[date, date] | None = None
    for year in years:
        found = parse_date_range(text, default_year=year)
        first = first or found
        if window[0].toordinal() - 7 <= found[0].toordinal() <= window[1].toordinal():
            return found
    assert first is not None
    return first


def days_phrase(days: int) -> str:
    """``days`` = target - today, as a person says it ("in 3 days", "today", "260 days ago")."""
    if days == 0:
        return "today"
    n = abs(days)
    unit = "day" if n == 1 else "days"
    return f"in {n} {unit}" if days > 0 else f"{n} {unit} ago"


def long_date(d: date) -> str:
    """A date as the plan writes one: ``February 27, 2026``."""
    return f"{calendar.month_name[d.month]} {d.day}, {d.year}"
