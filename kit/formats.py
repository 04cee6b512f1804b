"""Numbers, dates and CSV files in the reader's language, formatted by Babel (CLDR data).

Dutch gets a decimal comma ("2,5"), Dutch month names ("24 november 2026") and CSV files that
Dutch Excel opens as columns (``;``, decimal comma, a UTF-8 byte order mark); English gets
"2.5", "24 November 2026" (British English, as the kit's texts are written) and comma-separated
CSV. Plural forms of UI texts are chosen in :mod:`kit.content.models` by the same CLDR rules.

>>> number(2.0, "nl"), number(2.0, "en"), number(1.25, "nl", digits=2)
('2,0', '2.0', '1,25')
>>> percent(0.456, "nl"), percent(None, "en")
('46%', '–')
>>> import datetime as dt
>>> date(dt.date(2026, 11, 24), "nl"), date("2026-11-24", "en")
('24 november 2026', '24 November 2026')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from kit.adaptations import safe_cell
from kit.text import printable

#: The Babel locale per UI language: the kit's English is British ("organisation", "colour").
LOCALES = {"nl": "nl_NL", "en": "en_GB"}

#: What a missing number shows.
NONE = "–"


@cache
def locale(lang: str) -> Locale:
    """The Babel locale for a UI language (Dutch for anything unknown)."""
    return Locale.parse(LOCALES.get(lang, LOCALES["nl"]))


def number(value: float | None, lang: str, digits: int = 1, grouping: bool = True) -> str:
    """``value`` with exactly ``digits`` decimals and the language's separators.

    >>> number(1234.5, "nl"), number(1234.5, "en"), number(1234.5, "nl", grouping=False)
    ('1.234,5', '1,234.5', '1234,5')
    """
    if value is None:
        return NONE
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


def percent(share: float | None, lang: str) -> str:
    """A share 0..1 as a whole percentage ("46%").

    >>> percent(1.0, "nl"), percent(0.0, "en")
    ('100%', '0%')
    """
    if share is None:
        return NONE
    return format_percent(share, format="#,##0%", locale=locale(lang))


def _as_date(value: dt.date | str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def date(value: dt.date | str, lang: str) -> str:
    """A date written out ("24 november 2026"); an ISO string is read first, anything else
    unreadable is shown as it is.

    >>> date("not a date", "nl")
    'not a date'
    """
    day = _as_date(value)
    return str(value) if day is None else format_date(day, format="long", locale=locale(lang))


def date_time(value: dt.datetime, lang: str) -> str:
    """A date and time to the minute, joined as the language joins them.

    >>> date_time(dt.datetime(2026, 11, 24, 14, 3), "nl")
    '24 november 2026, 14:03'
    """
    loc = locale(lang)
    joined = str(loc.datetime_formats["long"])
    return joined.format(
        format_time(value, format="short", locale=loc), format_date(value, "long", locale=loc)
    )


def clock(value: dt.datetime | dt.time, lang: str) -> str:
    """A time of day to the second ("14:03:05").

    >>> clock(dt.time(14, 3, 5), "nl"), clock(dt.time(14, 3, 5), "en")
    ('14:03:05', '14:03:05')
    """
    return format_time(value, format="medium", locale=locale(lang))


# --------------------------------------------------------------------------- CSV

#: Cell separator per language: Dutch Excel splits on ";" (its list separator, because the comma
#: is the decimal sign); English Excel on ",".
CSV_DELIMITER = {"nl": ";", "en": ","}

Cell = str | int | float | bool | dt.date | dt.datetime | None


def csv_cell(value: Cell, lang: str) -> str:
    """One value as a spreadsheet reads it in ``lang``: a decimal comma in Dutch, dates in ISO
    (every Excel reads 2026-11-24 as a date, whatever its language), free text made printable
    (:func:`kit.text.printable`: no control characters, no lone surrogates) and guarded against
    formulas by :func:`kit.adaptations.safe_cell`.

    >>> [csv_cell(v, "nl") for v in (2.5, 3, None, "=1+1", dt.date(2026, 11, 24))]
    ['2,5', '3', '', "'=1+1", '2026-11-24']
    >>> csv_cell(2.5, "en"), csv_cell("\\x00=1\\ud800", "en")
    ('2.5', "'=1\\ufffd")
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number(value, lang, digits=1, grouping=False)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_cell(printable(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], lang: str) -> bytes:
    """A CSV file for a spreadsheet in ``lang``: Dutch with ``;`` and decimal commas, English
    with commas and decimal points; both with a UTF-8 byte order mark (without it Excel reads
    UTF-8 as Windows-1252: "Ã«" for the "ë" of an alias). Every cell goes through
    :func:`csv_cell`.

    >>> csv_bytes(["Naam", "Score"], [["Uil", 2.5]], "nl")
    b'\\xef\\xbb\\xbfNaam;Score\\r\\nUil;2,5\\r\\n'
    >>> csv_bytes(["Name", "Score"], [["Owl", 2.5]], "en")
    b'\\xef\\xbb\\xbfName,Score\\r\\nOwl,2.5\\r\\n'
    """
    buf = io.StringIO()
    # CRLF line ends, as RFC 4180 and Excel expect; quoting only where a cell needs it.
    writer = csv.writer(buf, delimiter=CSV_DELIMITER.get(lang, ";"), lineterminator="\r\n")
    writer.writerow([safe_cell(printable(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v, lang) for v in row])
    return buf.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- who made a file


@dataclass(frozen=True)
class Maker:
    """Who made an exported file and about what, for its text and its name (issue 25: 25
    students handing in 25 files must not send 25 files of the same name).

    ``name``: the alias in a session, else the name the learner typed ("" when none);
    ``session``: the join code ("" outside a session); ``subject``: what the work is about,
    a ``case``, an ``intervention``, the learner's ``own`` situation, or ``""`` (nothing in
    particular); ``title``: the case's or intervention's title in the document's language,
    ``subject_id`` its id (for the file name); ``made``: when the file was made."""

    name: str = ""
    session: str = ""
    subject: Literal["case", "intervention", "own", ""] = ""
    title: str = ""
    subject_id: str = ""
    made: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))


#: The longest a part of a file name made from typed text may be.
SLUG_MAX = 30


def slug(text: str, limit: int = SLUG_MAX) -> str:
    """Typed text as part of a file name: letters and digits without accents, lower case, words
    joined by ``-``; nothing that a file system or a zip reads as a path (``/``, ``..``, ``\\``).

    >>> slug("Merel de Vriés"), slug("../../etc/passwd"), slug("  "), slug("Ｕｉｌ 7")
    ('merel-de-vries', 'etc-passwd', '', 'uil-7')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def file_name(kind: str, maker: Maker, ext: str) -> str:
    """An export's file name: what it is, who made it, the session, the case or intervention
    and when (to the minute); a part that is unknown is left out.

    >>> when = dt.datetime(2026, 12, 7, 14, 3)
    >>> file_name("quickscan", Maker("Merel", "K7Q2MX", "case", "", "schuldmaatjes", when), "pdf")
    'quickscan-merel-K7Q2MX-schuldmaatjes-2026-12-07-1403.pdf'
    >>> file_name("plan", Maker(made=when), "docx")
    'plan-2026-12-07-1403.docx'
    """
    parts = [kind, slug(maker.name), slug(maker.session).upper(), slug(maker.subject_id)]
    stamp = maker.made.strftime("%Y-%m-%d-%H%M")
    return "-".join(p for p in [*parts, stamp] if p) + f".{ext}"
