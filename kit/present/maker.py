"""Who made an export, as its reader reads it: one line for the documents (PDF, Word) and
columns for the spreadsheets (CSV), in the document's language (issue 25: every hand-in names
its student, session, case or intervention and date)."""

from __future__ import annotations

from kit import formats
from kit.formats import Cell, Maker
from kit.present.texts import Texts

#: The columns a spreadsheet starts with, before its own.
MAKER_FIELDS = ("name", "session", "subject", "made")


def subject_text(ctx: Texts, maker: Maker) -> str:
    """ "case Debt buddies in Dijkwaarden", "own situation", or "" for nothing in particular."""
    if maker.subject in ("case", "intervention"):
        return ctx.t(f"export.{maker.subject}", title=maker.title)
    return ctx.t("export.own") if maker.subject == "own" else ""


def byline(ctx: Texts, maker: Maker) -> str:
    """The line every document carries: who, the session, about what, when.

    >>> import datetime as dt
    >>> from kit.content import default_content
    >>> m = Maker("Merel", "K7Q2MX", "case", "Schuldmaatjes", "schuldmaatjes", dt.datetime(2026, 12, 7, 14, 3))
    >>> byline(Texts(default_content(), "nl"), m)
    'Gemaakt door Merel · sessie K7Q2MX · casus Schuldmaatjes · 7 december 2026, 14:03'
    >>> byline(Texts(default_content(), "en"), Maker(made=dt.datetime(2026, 12, 7, 14, 3)))
    'Made by (no name given) · 7 December 2026, 14:03'
    """
    name = maker.name or ctx.t("export.no_name")
    parts = [ctx.t("export.by", name=name)]
    if maker.session:
        parts.append(ctx.t("export.session", code=maker.session))
    if subject := subject_text(ctx, maker):
        parts.append(subject)
    parts.append(formats.date_time(maker.made, ctx.lang))
    return " · ".join(parts)


def maker_header(ctx: Texts) -> list[str]:
    return [ctx.t(f"export.col.{k}") for k in MAKER_FIELDS]


def maker_cells(ctx: Texts, maker: Maker) -> list[Cell]:
    """The maker's columns of one row: the name, the session, the subject, when (a date and
    time a spreadsheet reads as one)."""
    return [maker.name, maker.session, subject_text(ctx, maker), maker.made]
