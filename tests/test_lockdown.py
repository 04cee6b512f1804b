"""Issue #13, part 2: the lock-down. What a visitor can reach, guessing, personal data, exports
and hostile input: each finding of the hostile-input probe has a test here."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pypdf import PdfReader

from kit.answers import PhaseGuess, ScanAnswers
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard, raw_csv
from kit.content import default_content
from kit.group import SessionClient
from kit.storage import Store

#: Aliases a participant can type (all within 30 characters) that matplotlib would read as
#: mathtext, or a spreadsheet as a formula.
MATH = ["$\\frac{a}{$", "$x^2$ en $", "\\$ $\\alpha$", "$$"]
FORMULAS = ['=HYPERLINK("http://x","a")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def _session_with(tmp_path: Path, aliases: list[str]) -> tuple[Store, str, str]:
    c = default_content()
    store = Store(f"sqlite:///{tmp_path / 'hostile.sqlite3'}")
    info, key = store.create_session("Hostile $x$", case_id="buurtkracht")
    statements = [s.id for s in c.instrument.statements_for("organisatie")]
    for n, alias in enumerate(aliases):
        client = SessionClient(store, store.join(info.code, alias))
        values = {sid: (i + n) % 4 for i, sid in enumerate(statements)}
        assert client.save(
            ScanAnswers(perspective="organisatie", case="buurtkracht", values=values)
        )
        assert client.save(PhaseGuess(scenario=c.scenarios[0].id, first=1, last=2))
    return store, info.code, key


def test_mathtext_aliases_are_drawn_as_plain_text(tmp_path: Path) -> None:
    """One participant's alias cannot break the group report: it is printed as typed."""
    from kit import reports

    store, code, key = _session_with(tmp_path, MATH)
    info = store.session(code)
    assert info is not None
    ctx = Ctx(default_content(), "nl", Status())
    dash = Dashboard(ctx, store, info, key, new_key=False)
    dash._timer_on(False)
    pdf = reports.group_pdf(ctx, info, dash.subs)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for alias in MATH:
        assert alias in text
    assert "Hostile $x$" in text
    store.dispose()


def test_every_chart_draws_dollar_signs_as_typed() -> None:
    """The chart functions themselves, with mathtext in every label they take."""
    from kit import charts

    label = "$\\frac{a}{$"
    fig = charts.group_phases(
        [(label, [0.5], 0.4)], xlabel=label, median_label=label, reference_label=label
    )
    assert charts.to_png(fig).startswith(b"\x89PNG")
    png = charts.png(
        charts.group_phases,
        rows=[(label, [], None)],
        xlabel=label,
        median_label=label,
        reference_label=label,
    )
    assert png.startswith(b"\x89PNG")


def test_csv_export_is_safe_against_formulas(tmp_path: Path) -> None:
    store, code, key = _session_with(tmp_path, FORMULAS)
    subs = store.all_submissions(code, key)
    rows = list(csv.reader(io.StringIO(raw_csv(code, subs))))
    assert len(rows) == 1 + 2 * len(FORMULAS)
    for row in rows[1:]:
        for cell in row:
            # A spreadsheet runs a cell as a formula when it starts with one of these.
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
    aliases = {row[2] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x","a")' in aliases and "'@SUM(A1)" in aliases
    store.dispose()
