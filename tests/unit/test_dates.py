"""Era dates (和暦) and English dates as readers see them."""

from __future__ import annotations

import pytest

from policy_handbook.dates import format_date, format_printed, parse_iso, to_era


@pytest.mark.parametrize(
    ("iso", "era"),
    [
        ("2019-04-30", ("平成", 31, 4, 30)),
        ("2019-05-01", ("令和", 1, 5, 1)),
        ("2022-04-01", ("令和", 4, 4, 1)),
        ("1989-01-07", ("昭和", 64, 1, 7)),
        ("1989-01-08", ("平成", 1, 1, 8)),
        ("1926-12-24", ("大正", 15, 12, 24)),
        ("1926-12-25", ("昭和", 1, 12, 25)),
        ("1912-07-29", ("明治", 45, 7, 29)),
        ("1912-07-30", ("大正", 1, 7, 30)),
        ("1868-10-23", ("明治", 1, 10, 23)),
    ],
)
def test_era_boundaries(iso, era):
    assert to_era(iso) == era


def test_japanese_format_uses_gannen_for_year_one():
    assert format_date("2022-04-01", "ja") == "令和4年4月1日"
    assert format_date("2019-05-01", "ja") == "令和元年5月1日"
    assert format_date("2019-04-30", "ja") == "平成31年4月30日"


def test_english_format():
    assert format_date("2022-04-01", "en") == "1 April 2022"
    assert format_date("2019-12-31", "en") == "31 December 2019"


def test_printed_form_matches_the_published_text():
    assert format_printed("2022-04-01") == "令和 4年 4月 1日"


@pytest.mark.parametrize(
    ("iso", "message"),
    [
        ("2022-02-30", "'2022-02-30' is not a calendar date (day is out of range for month)"),
        ("2022-13-01", "'2022-13-01' is not a calendar date (month must be in 1..12)"),
        ("2022-4-1", "'2022-4-1' is not a date in the form YYYY-MM-DD"),
        ("令和4年4月1日", "'令和4年4月1日' is not a date in the form YYYY-MM-DD"),
    ],
)
def test_invalid_dates_are_refused(iso, message):
    with pytest.raises(ValueError) as info:
        parse_iso(iso)
    assert str(info.value) == message
    with pytest.raises(ValueError):
        format_date(iso, "ja")


def test_dates_before_meiji_are_refused():
    with pytest.raises(ValueError, match="before the Meiji era"):
        to_era("1868-10-22")
