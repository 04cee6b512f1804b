"""Group sessions: saving through a participant's memory, outages, aggregation, the dashboard."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit import group
from kit.answers import Adaptations, PhaseGuess, Proposal, ScanAnswers
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard
from kit.content import default_content
from kit.group import Memory, SessionClient
from kit.present.group import answers_csv
from kit.storage import Store
from tests.conftest import free_port, on_a_thread_of_its_own

XSS = "<img src=x onerror=alert(1)>"


def join(store: Store, code: str, alias: str, token: str = "") -> SessionClient:
    return SessionClient(store, store.join(code, alias, token))


def guess(scenario: str, first: int, last: int | None = None) -> PhaseGuess:
    return PhaseGuess(scenario=scenario, first=first, last=first if last is None else last)


def test_memory_saves_and_restores_after_reload(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.sqlite3'}")
    info, _ = store.create_session("S")
    before = Memory()
    scan = ScanAnswers(perspective="organisatie", case="buurtkracht", values={"org-0-1": 1})
    before.save(scan)  # answered before joining
    before.attach(join(store, info.code, "Uil"))
    before.save(guess("wijk", 2, 3))
    assert before.client is not None
    # A new kernel (page reload) with the same alias and personal code gets everything back.
    after = Memory()
    after.attach(join(store, info.code, "uil", before.client.token))
    assert after.records(PhaseGuess) == [guess("wijk", 2, 3)]
    assert after.find(ScanAnswers, case="buurtkracht") == scan
    store.dispose()


@pytest.mark.postgres
def test_nothing_is_lost_while_postgres_is_down() -> None:
    from tests.pg import pg_bin

    if pg_bin() is None:
        pytest.skip("no PostgreSQL binaries")
    # Plain Python, outside any event loop, where saving reports back at once (a browser test
    # earlier in this worker leaves its loop marked as running on the main thread).
    on_a_thread_of_its_own(_nothing_is_lost_while_postgres_is_down, timeout=120)


def _nothing_is_lost_while_postgres_is_down() -> None:
    from tests.pg import PgServer

    server = PgServer(free_port())
    server.start()
    try:
        store = Store(server.url + "?connect_timeout=2")
        info, key = store.create_session("Storing")
        memory = Memory()
        memory.attach(join(store, info.code, "Vos"))
        seen: list[bool] = []
        memory.listeners.append(seen.append)
        memory.save(guess("a", 1))
        # Saved in the background; on a busy machine the save may return before the store
        # answered, and the outcome is reported when it did.
        assert memory.client is not None and memory.client.wait(30)
        assert seen[-1] is True
        before = len(seen)
        server.stop()
        memory.save(guess("b", 2))
        memory.save(guess("b", 3))
        assert len(seen) >= before + 2 and not any(seen[before:])
        assert memory.client is not None and set(memory.client.pending) == {("phases", "b")}
        assert memory.find(PhaseGuess, scenario="b") == guess("b", 3)  # still in the kernel
        # The participant is told, in the app, that answers are kept but not yet saved.
        from kit.apps.session_bar import build_session_bar

        ctx = Ctx(default_content(), "nl", Status(), memory)
        bar = build_session_bar(ctx, lambda: None)
        assert "1 antwoord is nog niet opgeslagen" in bar.value and 'role="alert"' in bar.value
        server.start()
        assert memory.client.flush()
        memory.save(guess("c", 4))  # the next answer reports success again
        assert "opgeslagen om" in bar.value and "nog niet" not in bar.value
        stored = [s.record for s in store.all_submissions(info.code, key)]
        assert stored == [guess("a", 1), guess("b", 3), guess("c", 4)]
        store.dispose()
    finally:
        server.destroy()


def _subs(tmp_path: Path) -> tuple[Store, str, str]:
    c = default_content()
    store = Store(f"sqlite:///{tmp_path / 'agg.sqlite3'}")
    info, key = store.create_session("Agg", case_id="buurtkracht", intervention_id="samen-sterk")
    statements = [s.id for s in c.instrument.statements_for("organisatie")]
    scenario = c.scenarios[0]
    right = c.phase(scenario.phase).number
    for n, alias in enumerate(["Uil", XSS, "C"]):
        client = join(store, info.code, alias)
        answers = {sid: (i + n * 2) % 4 for i, sid in enumerate(statements)}
        client.save(ScanAnswers(perspective="organisatie", case="buurtkracht", values=answers))
        client.save(guess(scenario.id, right if n < 2 else (right + 1) % 6, right))
        kern = next(e for e in c.intervention("samen-sterk").elements if e.part == "kern")
        proposals = (Proposal(element=kern.id, type="remove"), Proposal(element=kern.id, type="x"))
        client.save(Adaptations(intervention="samen-sterk", proposals=proposals))
    return store, info.code, key


def test_aggregation(tmp_path: Path) -> None:
    c = default_content()
    store, code, key = _subs(tmp_path)
    subs = store.all_submissions(code, key)
    assert len(group.participants(subs)) == 3
    g = group.quickscan_group(subs, c, "organisatie", "buurtkracht")
    assert len(g.answers) == 3 and all(len(v) == 3 for v in g.points.values())
    assert set(g.reference) == {p.id for p in c.phases}
    d = group.disagreements(g.answers, [s.id for s in c.instrument.statements_for("organisatie")])
    assert d and d[0].spread >= d[-1].spread and d[0].n == 3
    [tally] = group.phase_tally(subs, c)
    assert (tally.correct, tally.total) == (2, 3)
    at = group.adaptation_tally(subs, c, "samen-sterk")
    assert at.verdicts == {"green": 0, "amber": 0, "red": 3}  # the unknown type is ignored
    store.dispose()


def test_dashboard_escapes_aliases_and_exports(tmp_path: Path) -> None:
    store, code, key = _subs(tmp_path)
    info = store.session(code)
    assert info is not None
    ctx = Ctx(default_content(), "en", Status())
    dash = Dashboard(ctx, store, info, key, new_key=False)
    dash._timer_on(False)
    assert "Uil" in dash.joined.value  # with the key, the same participant is listed
    assert "&lt;img src=x onerror=alert(1)&gt;" in dash.joined.value
    assert XSS not in dash.joined.value
    assert "3 participants" in dash.joined.value
    assert "<img" in dash.scan.value and 'alt="' in dash.scan.value
    from kit import reports

    pdf = reports.group_pdf(ctx, info, dash.subs)
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    csv_text = answers_csv(ctx, code, dash.subs).decode("utf-8-sig")
    assert csv_text.splitlines()[0].split(",")[:3] == ["Session", "Alias", "Exercise"]
    store.dispose()


def _mixed_scans(tmp_path: Path, case_id: str | None = "schuldmaatjes") -> tuple[Store, str, str]:
    """Two participants scan from the professionals' seat, one from the organisation's."""
    c = default_content()
    store = Store(f"sqlite:///{tmp_path / 'mixed.sqlite3'}")
    info, key = store.create_session("Mixed", case_id=case_id)
    for alias, perspective, value in (("Uil", "professional", 0), ("Vos", "professional", 3)):
        values = {s.id: value for s in c.instrument.statements_for(perspective)}
        join(store, info.code, alias).save(
            ScanAnswers(perspective=perspective, case=case_id, values=values)
        )
    org = {s.id: 2 for s in c.instrument.statements_for("organisatie")}
    join(store, info.code, "Das").save(
        ScanAnswers(perspective="organisatie", case=case_id, values=org)
    )
    return store, info.code, key


def test_dashboard_shows_the_perspective_most_participants_used(tmp_path: Path) -> None:
    c = default_content()
    store, code, key = _mixed_scans(tmp_path)
    subs = store.all_submissions(code, key)
    counts = group.quickscan_counts(c, "schuldmaatjes", subs)
    assert counts == {"organisatie": 1, "professional": 2}
    assert group.quickscan_target(c, "schuldmaatjes", subs) == ("professional", "schuldmaatjes")
    # The trainer's pick wins; a perspective the case has no reading from does not.
    assert group.quickscan_target(c, "schuldmaatjes", subs, "organisatie")[0] == "organisatie"
    assert group.quickscan_target(c, "schuldmaatjes", subs, "ontwikkelaar")[0] == "professional"
    # No scans yet, or a tie: the perspective the case is told from.
    assert group.quickscan_target(c, "schuldmaatjes", [])[0] == "organisatie"
    tie = [next(s for s in subs if getattr(s.record, "perspective", "") == p) for p in counts]
    assert group.quickscan_target(c, "schuldmaatjes", tie)[0] == "organisatie"  # 1 : 1
    g = group.quickscan_group(subs, c, "professional", "schuldmaatjes")
    assert len(g.answers) == 2 and all(len(v) == 2 for v in g.points.values())
    assert sorted(g.points["weten"].values()) == [0.0, 1.0]
    # The reference is the professional reading: phase 0 is 7 of 15 points (see test_quickscan).
    assert g.reference["ontwikkelen"] == pytest.approx(7 / 15)
    assert g.reference["weten"] == pytest.approx(13 / 15)
    [spread] = group.disagreements(g.answers, ["pro-0-1"])
    assert dict(spread.counts) == {0: 1, 3: 1}
    # Without a session case, the "own situation" scans of every perspective are counted.
    store.dispose()
    (tmp_path / "own").mkdir()
    store, code, key = _mixed_scans(tmp_path / "own", case_id=None)
    subs = store.all_submissions(code, key)
    assert group.quickscan_counts(c, None, subs) == {
        "ontwikkelaar": 0,
        "organisatie": 1,
        "professional": 2,
    }
    assert group.quickscan_target(c, None, subs) == ("professional", None)
    assert group.quickscan_group(subs, c, "professional", None).reference == {}
    store.dispose()


def test_trainer_switches_the_dashboard_perspective(tmp_path: Path) -> None:
    from kit import reports

    store, code, key = _mixed_scans(tmp_path)
    info = store.session(code)
    assert info is not None
    ctx = Ctx(default_content(), "en", Status())
    dash = Dashboard(ctx, store, info, key, new_key=False)
    dash._timer_on(False)
    toggle = dash.scan_perspective
    assert toggle.options == (
        ("Most used", ""),
        ("Implementing organisation", "organisatie"),
        ("Practitioner", "professional"),
    )
    assert toggle.layout.display is None  # two readings of the case: the trainer may switch
    shown = "Filled in per perspective: Implementing organisation: 1 · Practitioner: 2"
    assert "Perspective: Practitioner. " + shown in dash.scan.value
    assert "(2 participants)" in dash.scan.value
    pdf = reports.group_pdf(ctx, info, dash.subs, toggle.value or None)
    assert "Perspective: Practitioner." in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    toggle.value = "organisatie"
    assert "Perspective: Implementing organisation. " + shown in dash.scan.value
    assert "(1 participant)" in dash.scan.value
    dash._on_pdf(None)  # the report follows the trainer's pick
    pdf = reports.group_pdf(ctx, info, dash.subs, "organisatie")
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Perspective: Implementing organisation." in first and "(1 participant)" in first
    assert "kit-pdf-link" in dash.links.value
    store.dispose()


def test_wrong_key_shows_nothing(tmp_path: Path) -> None:
    store, code, _ = _subs(tmp_path)
    info = store.session(code)
    assert info is not None
    ctx = Ctx(default_content(), "nl", Status())
    dash = Dashboard(ctx, store, info, "not-the-key", new_key=False)
    dash._timer_on(False)
    assert dash.subs == [] and "Uil" not in dash.joined.value and dash.scan.value == ""
    assert "sleutel" in dash.state.value
    store.dispose()


def test_closing_a_session_stops_saving_but_keeps_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.session_bar import build_session_bar

    # On a busy machine save() returns before the background save is done (it once failed
    # here so): say so at once, and wait for the saving the way the client offers.
    monkeypatch.setattr(group, "SAVE_WAIT", 0.0)
    store = Store(f"sqlite:///{tmp_path / 'closed.sqlite3'}")
    info, key = store.create_session("S")
    memory = Memory()
    memory.attach(join(store, info.code, "Das"))
    memory.save(guess("a", 1))
    assert memory.client is not None and memory.client.wait(30)
    assert not memory.client.pending
    store.close_session(info.code, key)
    memory.save(guess("b", 2))  # no exception, nothing retried
    assert memory.client.wait(30)
    assert memory.client.closed and not memory.client.pending
    assert memory.find(PhaseGuess, scenario="b") == guess("b", 2)
    assert [s.record for s in store.all_submissions(info.code, key)] == [guess("a", 1)]
    bar = build_session_bar(Ctx(default_content(), "en", Status(), memory), lambda: None)
    assert "closed this session" in bar.value
    store.dispose()


#: What a hostile room may type as an alias, and what the kit must do with it.
HOSTILE_ALIASES = {
    "x" * 10_000: "long-alias",
    "   \t ": "empty-alias",
    "\u202eevil\u202c": "bad-alias",  # right-to-left override: spoofing
    "Uil\u200b": "bad-alias",  # zero-width space: a look-alike of "Uil"
    "\u200b\u200b": "bad-alias",
}
SHOWN_ESCAPED = [
    "<script>alert(1)</script>",
    "x');DROP TABLE kit_sessions;--",
    "🦉 Uil 👩🏽‍🏫",
]


@pytest.mark.parametrize(("alias", "reason"), HOSTILE_ALIASES.items(), ids=lambda x: repr(x)[:20])
def test_hostile_aliases_are_refused(tmp_path: Path, alias: str, reason: str) -> None:
    from kit.sessions import InputError

    store = Store(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    info, key = store.create_session("S")
    with pytest.raises(InputError) as raised:
        store.join(info.code, alias)
    assert raised.value.code == reason
    assert store.participants(info.code, key) == []
    assert default_content().t(f"session.error.{reason}", "nl")  # the participant is told why
    store.dispose()


def test_trainer_views_show_hostile_aliases_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.presenter import _Presenter

    monkeypatch.setenv("KIT_PUBLIC_URL", "https://kit.example.org/voila/render")
    store = Store(f"sqlite:///{tmp_path / 'e.sqlite3'}")
    monkeypatch.setattr("kit.storage._stores", {store.url: store})
    monkeypatch.setenv("KIT_DATABASE_URL", store.url)
    info, key = store.create_session("<b>Sessie</b>")
    for alias in SHOWN_ESCAPED:
        store.join(info.code, alias)
    ctx = Ctx(default_content(), "en", Status())
    dash = Dashboard(ctx, store, info, key, new_key=True)
    dash._timer_on(False)
    shown = dash.joined.value
    assert "3 participants" in shown
    assert "&lt;script&gt;" in shown and "<script>" not in shown
    assert "x&#x27;);DROP TABLE" in shown and "🦉 Uil 👩🏽‍🏫" in shown
    assert shown.count("nothing entered yet") == 3  # joined, not answered: listed all the same
    assert "&lt;b&gt;Sessie&lt;/b&gt;" in dash.header.value
    # With KIT_PUBLIC_URL the join link is public: no localhost warning, and the key is shown
    # once, above the header, with a button to hide it.
    assert "https://kit.example.org/voila/render/deelnemer.ipynb?session=" in dash.header.value
    assert "kit-local-warning" not in dash.header.value
    assert key in dash.key_note.value and key not in dash.header.value
    dash._hide_key(None)
    assert dash.key_note.value == ""
    # The presenter view: title escaped, a count, no names and no key.
    view = _Presenter(ctx, info.code)
    ctx.memory.view.pop("presenter.timer").stop()
    assert "3 participants have joined" in view.widget.value
    assert "&lt;b&gt;Sessie&lt;/b&gt;" in view.widget.value
    assert key not in view.widget.value
    assert not any(alias in view.widget.value for alias in ("DROP", "🦉", "script"))
    store.dispose()


def test_localhost_join_link_warns_the_trainer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIT_PUBLIC_URL", raising=False)
    monkeypatch.setenv("SERVER_NAME", "localhost")
    monkeypatch.setenv("SERVER_PORT", "8866")
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/groep.ipynb")
    store = Store(f"sqlite:///{tmp_path / 'l.sqlite3'}")
    info, key = store.create_session("S")
    dash = Dashboard(Ctx(default_content(), "nl", Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    assert "http://localhost:8866/voila/render/deelnemer.ipynb" in dash.header.value
    assert "kit-local-warning" in dash.header.value
    assert "make serve ROOM=30" in dash.header.value
    store.dispose()


def test_an_answer_too_large_to_store_stays_and_the_others_are_saved(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'big.sqlite3'}")
    info, key = store.create_session("S")
    memory = Memory()
    memory.attach(join(store, info.code, "Das"))
    seen: list[bool] = []
    memory.listeners.append(seen.append)
    huge = tuple(Proposal(element=f"e{i}", type="t", reason="x" * 500) for i in range(250))
    memory.save(Adaptations(intervention="samen-sterk", proposals=huge))
    memory.save(guess("a", 1))
    assert seen == [False, False]  # the participant is told it is not saved
    assert memory.client is not None and set(memory.client.pending) == {("kern", "samen-sterk")}
    assert [s.record for s in store.all_submissions(info.code, key)] == [guess("a", 1)]
    assert len(memory.records(Adaptations)[0].proposals) == 250  # nothing lost in the kernel
    store.dispose()
