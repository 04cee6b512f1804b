"""Numbers, dates and CSV cells exactly as a reader sees them, in Dutch and English (kit.formats)."""

from __future__ import annotations

import datetime as dt

import pytest

from kit.adaptations import safe_cell
from kit.formats import clock, csv_bytes, csv_cell, date, date_time, locale, number, percent

BOM = b"\xef\xbb\xbf"


def test_an_unknown_language_is_written_the_dutch_way() -> None:
    assert str(locale("en")) == "en_GB" and str(locale("nl")) == "nl_NL"
    assert str(locale("fr")) == "nl_NL"
    assert number(1234.5, "de") == "1.234,5"
    assert percent(0.5, "xx") == "50%"


def test_numbers_have_exactly_the_asked_decimals_and_group_thousands() -> None:
    assert number(2.6, "nl", digits=0) == "3"  # no decimal sign without decimals
    assert number(2.0, "en", digits=0) == "2"
    assert number(1234567.25, "en", digits=2) == "1,234,567.25"
    assert number(1234567.25, "nl", digits=2) == "1.234.567,25"
    assert number(1234.5, "en", grouping=False) == "1234.5"
    assert number(3, "nl") == "3,0"
    assert number(None, "en") == "–" and number(None, "nl", digits=0) == "–"


def test_percentages_are_whole_and_grouped() -> None:
    assert percent(0.125, "nl") == "12%"
    assert percent(0.456, "en") == "46%"
    assert percent(12.345, "en") == "1,234%"
    assert percent(12.345, "nl") == "1.234%"
    assert percent(None, "nl") == "–"


def test_dates_are_written_out_in_the_readers_language() -> None:
    assert date(dt.date(2026, 3, 1), "en") == "1 March 2026"
    assert date("2026-03-01", "nl") == "1 maart 2026"
    assert date(dt.datetime(2026, 3, 1, 5, 0), "nl") == "1 maart 2026"
    assert date("2026-13-01", "en") == "2026-13-01"  # unreadable: shown as it is
    assert date("", "nl") == ""


def test_date_and_time_to_the_minute_and_the_clock_to_the_second() -> None:
    moment = dt.datetime(2026, 11, 24, 9, 3, 59)
    assert date_time(moment, "nl") == "24 november 2026, 09:03"
    assert date_time(moment, "en") == "24 November 2026, 09:03"
    assert clock(moment, "nl") == "09:03:59"
    assert clock(dt.time(23, 0, 1), "en") == "23:00:01"


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (True, "True", "True"),
        (False, "False", "False"),
        (1234, "1234", "1234"),
        (0, "0", "0"),
        (1234.56, "1234,6", "1234.6"),  # one decimal, never a thousands separator
        (2.0, "2,0", "2.0"),
        (dt.datetime(2026, 11, 24, 14, 3, 5), "2026-11-24 14:03", "2026-11-24 14:03"),
        (dt.date(2026, 1, 2), "2026-01-02", "2026-01-02"),
        ("+31 6", "'+31 6", "'+31 6"),
        ("Uil", "Uil", "Uil"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_csv_cells(value: object, nl: str, en: str) -> None:
    assert csv_cell(value, "nl") == nl  # type: ignore[arg-type]
    assert csv_cell(value, "en") == en  # type: ignore[arg-type]


def test_csv_files_for_dutch_and_english_excel() -> None:
    header = ["=Naam", "Score", "Leeg"]
    rows = [["a;b", 1.5, None], ['zei "ja"', True, dt.date(2026, 1, 2)]]
    assert csv_bytes(header, rows, "nl") == (
        BOM + b"'=Naam;Score;Leeg\r\n" + b'"a;b";1,5;\r\n' + b'"zei ""ja""";True;2026-01-02\r\n'
    )
    assert csv_bytes(header, [["a,b", 1.5, None]], "en") == (
        BOM + b"'=Naam,Score,Leeg\r\n" + b'"a,b",1.5,\r\n'
    )
    # Another language: the Dutch file.
    assert csv_bytes(["x", "y"], [[1, 2]], "de") == BOM + b"x;y\r\n1;2\r\n"
    assert csv_bytes(["Naam"], [["Uiltje ë"]], "nl").decode("utf-8-sig") == "Naam\r\nUiltje ë\r\n"


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(first: str) -> None:
    assert safe_cell(first + "1") == "'" + first + "1"
    assert safe_cell("a" + first) == "a" + first  # only the first character counts
    assert safe_cell("") == ""
