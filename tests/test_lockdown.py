"""Issue #13, part 2: the lock-down. What a visitor can reach, guessing, personal data, exports
and hostile input: each finding of the hostile-input probe has a test here."""

from __future__ import annotations

import asyncio
import csv
import http.client
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kit import formats
from kit.answers import PhaseGuess, ScanAnswers
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard
from kit.content import default_content
from kit.group import SessionClient
from kit.present.group import answers_csv
from kit.present.texts import Texts
from kit.storage import Store
from tests.conftest import NOTEBOOKS, VoilaServer, on_a_thread_of_its_own

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
        # save() answers within 0.3 s (the page's wait) and saves on in the background when the
        # store is slower, as on a loaded machine: wait for that save to settle, then require
        # that nothing is left unsaved.
        client.save(ScanAnswers(perspective="organisatie", case="buurtkracht", values=values))
        client.save(PhaseGuess(scenario=c.scenarios[0].id, first=1, last=2))
        assert client.wait(60), "saving never settled"
        assert not client.pending and client.last_error is None, client.last_error
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
    for lang, delimiter in (("nl", ";"), ("en", ",")):
        data = answers_csv(Texts(default_content(), lang), code, subs).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(data), delimiter=delimiter))
        for row in rows[1:]:
            for cell in row:
                # A spreadsheet runs a cell as a formula when it starts with one of these.
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
        aliases = {row[1] for row in rows[1:]}  # one row per answer, the alias in column 2
        assert len(aliases) == len(FORMULAS)
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
    for name in ("voila.json", "pyproject.toml", "groups.sqlite3", "secret.png", "secret.py"):
        (root / name).write_text(SECRET)
    import nbformat

    probe = nbformat.v4.new_notebook()
    probe.cells = [
        nbformat.v4.new_code_cell(
            "import os; print('client=' + os.environ.get('HTTP_X_KIT_CLIENT', '?'))"
        ),
        nbformat.v4.new_code_cell(
            "from kit.apps.common import guarded, Status\n"
            "guarded(Status(), 'oops')(lambda: 1 / 0)()"
        ),
    ]
    probe.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(probe, root / "client-probe.ipynb")
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
    "/voila/render/secret.py",
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
    # Issue 21, item 14: these answered HTTP 500 with a traceback in the server log.
    "/logout",
    "/login",
    "/voila/templates/kit/conf.json",
    "/voila/templates/kit/index.html.j2",
    "/voila/templates/lab/index.html.j2",
    "/voila/templates/kit",
    "/voila/templates/",
    "/voila/templates/nope/x",
    "/voila/render/index.ipynb?template=../x",
    "/voila/render/index.ipynb?template=lab",  # the page without the kit's own script
]
#: Odd requests that must answer without a server error and leave no traceback in the log.
ODD = [
    *PROBES,
    "/voila/templates/nope/static/x.js",
    "/voila/static/",
    "/voila/static/nope",
    "/voila/api/themes/x",
    "/voila/api/shutdown/",
    "/voila/api/shutdown/not-a-kernel",
    "/api/kernels/00000000-0000-0000-0000-000000000000",
    "/api/kernels/00000000-0000-0000-0000-000000000000/channels",
    "/api/kernels",
    "/api/sessions",
    "/voila/labextensions/x",
    "/voila/render/nope.ipynb",
    "/voila/render/index.ipynb/x",
    "/voila/render/index.ipynb?theme=../x",
    "/voila/static/%ff",
    "/%",
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


def _raw(server: VoilaServer, method: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.putheader("Content-Length", "0")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_odd_requests_get_no_server_error_and_no_traceback(locked_server: VoilaServer) -> None:
    """Issue 21, item 14: every odd URL, with every method, gets an answer that is no server
    error; neither the answer nor the server's log holds a traceback."""
    start = locked_server.log_path.stat().st_size
    for path in ODD:
        for method in ("GET", "POST", "DELETE"):
            status, body = _raw(locked_server, method, path)
            assert status < 500, (method, path, status)
            assert b"Traceback" not in body and b'File "' not in body, (method, path)
    with locked_server.log_path.open() as log:
        log.seek(start)
        written = log.read()
    assert "Traceback" not in written and "Uncaught exception" not in written, written[-3000:]
    assert " 500 " not in written, written[-3000:]


def test_no_traceback_over_the_widget_channels(locked_server: VoilaServer) -> None:
    """A raw client on its own page's websocket sends the widget channels what the page never
    would: what comes back holds no traceback (it went to the server's log instead)."""
    import uuid

    from tests.test_kernel_binding import channels, cookie_header, message, raw_visit, ws_exchange

    client, kernel = raw_visit(locked_server, locked_server.render_url("index.ipynb"))
    cookie = cookie_header(client, f"{locked_server.url}/api/kernels/{kernel}/channels")
    control = uuid.uuid4().hex
    sent = (
        message("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control"}),
        message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}),
        message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget"}),
        message("comm_msg", {"comm_id": uuid.uuid4().hex, "data": None}),
        message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "nope", "data": {}}),
        message("execute_request", {"code": "1/0", "silent": False}),
    )
    received = ws_exchange(channels(locked_server, "/", kernel), cookie, sent, seconds=8)
    assert isinstance(received, list)
    # The kernel did hear them: it closed the comms it could not open.
    assert [m["msg_type"] for m in received].count("comm_close") == 3
    text = json.dumps(received)
    assert "Traceback" not in text and 'File \\"' not in text and "Error" not in text, text
    log = locked_server.log_path.read_text()
    assert "Exception opening comm with target: jupyter.widget.control" in log


def test_root_opens_the_landing_page(locked_server: VoilaServer) -> None:
    status, headers, _ = _raw_get(locked_server, "/?lang=en")
    assert status in (301, 302)
    assert headers["Location"] == "/voila/render/index.ipynb?lang=en"


def test_a_short_join_link_leads_to_the_participant_page(locked_server: VoilaServer) -> None:
    """The projector shows ``host:port/CODE`` for latecomers to type; nothing longer leads on."""
    status, headers, _ = _raw_get(locked_server, "/k7q2mx")
    assert status in (301, 302)
    assert headers["Location"] == "/voila/render/deelnemer.ipynb?session=k7q2mx"
    for path in ("/K7Q2M", "/K7Q2MXA", "/K7Q2MX/x", "/K7Q-MX", "/K7Q2M1"):
        assert _raw_get(locked_server, path)[0] == 404, path


def test_the_kernel_learns_the_client_address_from_the_server(locked_server: VoilaServer) -> None:
    """For limiting guesses per address: set by the server, not by what the browser claims."""
    page = requests.get(
        locked_server.render_url("client-probe.ipynb"),
        headers={"X-Kit-Client": "203.0.113.99"},
        timeout=60,
    )
    assert "client=127.0.0.1" in page.text and "203.0.113.99" not in page.text


def test_the_kits_errors_reach_the_server_log(locked_server: VoilaServer) -> None:
    """A callback's traceback, logged inside a kernel, shows up in the Voila server's log."""
    requests.get(locked_server.render_url("client-probe.ipynb"), timeout=60)
    log = locked_server.log_path.read_text()
    assert "[kit ERROR" in log and "callback <lambda> failed" in log
    assert "ZeroDivisionError" in log


def test_what_a_page_loads_is_served(locked_server: VoilaServer) -> None:
    """The allow-list is not too narrow: every script, style and image the landing page refers
    to on this server comes back."""
    page = requests.get(locked_server.render_url("index.ipynb"), timeout=60)
    assert page.status_code == 200 and "kit-landing" in page.text
    refs = set(re.findall(r'(?:src|href)="(/voila/[^"?#]+)', page.text))
    assert any("kit" in r or "static" in r for r in refs), refs
    for ref in sorted(refs):
        assert requests.get(locked_server.url + ref, timeout=30).status_code == 200, ref


# --------------------------------------------------------------------------- guessing


# Guess limits and facilitator keys: tests/test_storage_guesses.py.


# Retention: tests/test_storage_retention.py.


def _html(widget: object) -> str:
    """All HTML values in a widget tree."""
    out, todo = [], [widget]
    while todo:
        item = todo.pop()
        out.append(str(getattr(item, "value", "")) if hasattr(item, "value") else "")
        todo.extend(getattr(item, "children", ()))
    return "\n".join(out)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ["schuilnaam", "antwoorden", "deze server", "12 dagen"]),
        ("en", ["alias", "answers", "server", "12 days"]),
    ],
)
def test_the_join_form_says_what_is_stored_where_and_how_long(
    lang: str, words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.session_bar import build_session_bar

    monkeypatch.setenv("KIT_RETENTION_DAYS", "12")
    ctx = Ctx(default_content(), lang, Status())
    text = _html(build_session_bar(ctx, lambda: None, open_form=True))
    assert 'class="kit-privacy"' in text
    for word in words:
        assert word in text, word


def test_the_dashboard_shows_when_the_session_is_deleted(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    info, key = store.create_session("Bewaren", keep_days=30)
    dash = Dashboard(Ctx(default_content(), "nl", Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    date = formats.date(info.delete_after.astimezone().date(), "nl")  # "24 december 2026"
    assert "kit-retention" in dash.header.value and date in dash.header.value
    assert "30 dagen" in dash.header.value
    store.dispose()


# --------------------------------------------------------------------------- a closed dashboard


def test_the_dashboard_stops_refreshing_when_nobody_watches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps import group_app

    store = Store(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    info, key = store.create_session("Kijken")
    dash = Dashboard(Ctx(default_content(), "nl", Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    reads: list[str] = []
    real = store.all_submissions
    monkeypatch.setattr(store, "all_submissions", lambda *a: reads.append("read") or real(*a))
    clock = [1000.0]
    monkeypatch.setattr(group_app.time, "monotonic", lambda: clock[0])
    dash._tick()  # no page script has beaten (JupyterLab): it refreshes as before
    assert reads == ["read"] and not dash.paused
    dash.heartbeat.value = "1"  # the page beats: someone watches
    clock[0] += group_app.WATCH_SECONDS - 1
    dash._tick()
    assert len(reads) == 2 and not dash.paused
    clock[0] += 2  # no beat for longer than WATCH_SECONDS: the tab was closed or hidden
    dash._tick()
    assert len(reads) == 2 and dash.paused and dash._timer is None
    dash.heartbeat.value = "2"  # back on the tab: refreshed at once, the timer runs again
    assert len(reads) == 3 and not dash.paused
    dash._timer_on(False)
    store.dispose()


def test_the_page_beats_while_the_dashboard_is_open(page: Page, voila_server: VoilaServer) -> None:
    page.goto(voila_server.render_url("groep.ipynb"))
    page.locator(".kit-new-title input").fill("Hartslag")
    page.locator(".kit-create-session").click()
    beat = page.locator(".kit-heartbeat input")
    expect(beat).to_have_value(re.compile(r"^\d{13}$"), timeout=20_000)
    first = beat.input_value()
    expect(beat).not_to_have_value(first, timeout=20_000)


# --------------------------------------------------------------------------- a locked database


def test_a_locked_database_never_blocks_the_page(tmp_path: Path) -> None:
    """A locked SQLite file made every answer wait 30 s (the busy timeout) inside the kernel.
    Now the page hears "not saved yet" at once and the answer is saved once the lock is gone."""
    # Run as in a kernel: the page's code on a running event loop, the saving on its thread.
    on_a_thread_of_its_own(lambda: asyncio.run(scenario(tmp_path)))


async def scenario(tmp_path: Path) -> None:
    import sqlite3
    import time

    from kit.apps.session_bar import build_session_bar
    from kit.group import SAVE_WAIT, Memory

    path = tmp_path / "locked.sqlite3"
    store = Store(f"sqlite:///{path}")
    info, key = store.create_session("Op slot")
    memory = Memory()
    memory.attach(SessionClient(store, store.join(info.code, "Uil")))
    assert memory.client is not None
    memory.client.retry_seconds = 0.2
    seen: list[bool] = []
    ctx = Ctx(default_content(), "nl", Status(), memory)
    bar = build_session_bar(ctx, lambda: None)
    memory.listeners.append(seen.append)
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        start = time.monotonic()
        memory.save(PhaseGuess(scenario="s", first=1, last=1))
        # Far below the 30 s busy timeout the page used to wait (loose: the machine may be busy).
        assert time.monotonic() - start < SAVE_WAIT + 10
        assert seen == [False] and "nog niet opgeslagen" in bar.value
        assert memory.find(PhaseGuess, scenario="s") is not None  # kept in the kernel
    finally:
        locker.execute("COMMIT")
        locker.close()
    # Waiting on a thread, as the kernel's loop never blocks; the report arrives on the loop.
    assert await asyncio.to_thread(memory.client.wait, 40)
    assert seen == [False, True] and "opgeslagen om" in bar.value and "nog niet" not in bar.value
    assert [s.record.scenario for s in store.all_submissions(info.code, key)] == ["s"]  # type: ignore[attr-defined]
    store.dispose()


# --------------------------------------------------------------------------- hostile content


def test_a_python_yaml_tag_shows_the_content_problem_panel(tmp_path: Path) -> None:
    """A content file with a Python tag: the command never runs, and every app names the file
    and line, as for other broken content."""
    from tests.test_content import copy_content

    root = copy_content(tmp_path)
    marker = tmp_path / "pwned"
    ui = root / "ui.yaml"
    ui.write_text(ui.read_text() + f'\nevil: !!python/object/apply:os.system ["touch {marker}"]\n')
    line = ui.read_text().count("\n")
    server = VoilaServer(NOTEBOOKS, env={"KIT_CONTENT_DIR": str(root)})
    try:
        for notebook in sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")):
            body = requests.get(server.render_url(notebook), timeout=120).text
            assert "There was an error when executing cell" not in body, notebook
            assert "kit-content-error" in body and f"ui.yaml:{line}" in body, notebook
    finally:
        server.stop()
    assert not marker.exists()
