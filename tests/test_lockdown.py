"""Issue #13, part 2: the lock-down. What a visitor can reach, guessing, personal data, exports
and hostile input: each finding of the hostile-input probe has a test here."""

from __future__ import annotations

import csv
import http.client
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from kit.answers import PhaseGuess, ScanAnswers
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard, raw_csv
from kit.content import default_content
from kit.group import SessionClient
from kit.storage import Store
from tests.conftest import NOTEBOOKS, VoilaServer

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


# --------------------------------------------------------------------------- what a visitor reaches


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """The kit's server over a folder that also holds what must never be served: a config, the
    project file, content and a database (also under names Voila would serve, such as .png)."""
    root = tmp_path_factory.mktemp("served")
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(notebook, root / notebook.name)
    db = root / "groups.sqlite3"
    for name in ("voila.json", "pyproject.toml", "groups.sqlite3", "secret.png", "kit.py"):
        (root / name).write_text(SECRET)
    (root / "content").mkdir()
    (root / "content" / "ui.yaml").write_text(SECRET)
    (root / "content" / "logo.png").write_text(SECRET)
    server = VoilaServer(
        root,
        env={"KIT_DATABASE_URL": f"sqlite:///{db}.real"},
        log_path=tmp_path_factory.mktemp("log") / "voila.log",
    )
    try:
        yield server
    finally:
        server.stop()


SECRET = "kit-lockdown-secret-7c1f"
#: Paths a visitor might try, as sent on the wire (nothing normalised by the client).
PROBES = [
    "/voila/tree",
    "/voila/tree/content",
    "/voila/api/contents",
    "/voila/api/contents/content",
    "/voila.json",
    "/pyproject.toml",
    "/groups.sqlite3",
    "/voila/files/secret.png",
    "/voila/files/content/logo.png",
    "/voila/files/groups.sqlite3",
    "/voila/files/voila.json",
    "/voila/render/pyproject.toml",
    "/voila/render/kit.py",
    "/voila/render/content/ui.yaml",
    "/voila/render/../pyproject.toml",
    "/voila/render/%2e%2e/pyproject.toml",
    "/voila/static/../../../../pyproject.toml",
    "/voila/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/voila/static/%252e%252e/%252e%252e/pyproject.toml",
    "/voila/static/..%5c..%5cpyproject.toml",
    "/voila/templates/kit/static/../conf.json",
    "/voila/templates/kit/static/%2e%2e/index.html.j2",
    "/voila/templates/kit/static/../../../../../../etc/passwd",
    "/voila/labextensions/../../../../etc/passwd",
    "/voila/labextensions/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/api/themes/../../../../etc/passwd",
]


def _raw_get(server: VoilaServer, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", PROBES)
def test_nothing_but_the_pages_is_served(locked_server: VoilaServer, path: str) -> None:
    status, _, body = _raw_get(locked_server, path)
    assert status in (403, 404), (path, status)
    assert SECRET.encode() not in body and b"root:" not in body


def test_root_opens_the_landing_page(locked_server: VoilaServer) -> None:
    status, headers, _ = _raw_get(locked_server, "/?lang=en")
    assert status in (301, 302)
    assert headers["Location"] == "/voila/render/index.ipynb?lang=en"


def test_what_a_page_loads_is_served(locked_server: VoilaServer) -> None:
    """The allow-list is not too narrow: every script, style and image the landing page refers
    to on this server comes back."""
    page = requests.get(locked_server.render_url("index.ipynb"), timeout=60)
    assert page.status_code == 200 and "kit-landing" in page.text
    refs = set(re.findall(r'(?:src|href)="(/voila/[^"?#]+)', page.text))
    assert any("kit" in r or "static" in r for r in refs), refs
    for ref in sorted(refs):
        assert requests.get(locked_server.url + ref, timeout=30).status_code == 200, ref
