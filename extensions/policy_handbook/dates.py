"""ISO dates in the policy files, shown as Japanese era dates (和暦) or English dates.

Era boundaries are the first day of each era in the Gregorian calendar. 明治 is
taken from 1868-10-23 (the day of the proclamation, 明治元年9月8日); Japan used
the lunar calendar until 1872, so earlier dates are refused rather than guessed.
"""

from __future__ import annotations

import datetime as _dt
import re

# (era, first day), newest first.
ERAS: tuple[tuple[str, _dt.date], ...] = (
    ("令和", _dt.date(2019, 5, 1)),
    ("平成", _dt.date(1989, 1, 8)),
    ("昭和", _dt.date(1926, 12, 25)),
    ("大正", _dt.date(1912, 7, 30)),
    ("明治", _dt.date(1868, 10, 23)),
)

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def parse_iso(iso: str) -> _dt.date:
    """'2022-04-01' -> date. ValueError with a readable reason for anything else."""
    m = _ISO.match(iso) if isinstance(iso, str) else None
    if not m:
        raise ValueError(f"'{iso}' is not a date in the form YYYY-MM-DD")
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValueError(f"'{iso}' is not a calendar date ({exc})") from None


def to_era(iso: str) -> tuple[str, int, int, int]:
    """'2022-04-01' -> ('令和', 4, 4, 1)."""
    date = parse_iso(iso)
    for era, start in ERAS:
        if date >= start:
            return era, date.year - start.year + 1, date.month, date.day
    raise ValueError(f"'{iso}' is before the Meiji era (1868-10-23)")


def _era_year(year: int) -> str:
    return "元" if year == 1 else str(year)


def format_date(iso: str, lang: str) -> str:
    """'2022-04-01' -> '令和4年4月1日' (ja) or '1 April 2022' (en)."""
    if lang == "ja":
        era, year, month, day = to_era(iso)
        return f"{era}{_era_year(year)}年{month}月{day}日"
    date = parse_iso(iso)
    return f"{date.day} {_MONTHS_EN[date.month - 1]} {date.year}"


def format_printed(iso: str) -> str:
    """The spaced form printed in the published texts: '令和 4年 4月 1日'."""
    era, year, month, day = to_era(iso)
    return f"{era} {_era_year(year)}年 {month}月 {day}日"
