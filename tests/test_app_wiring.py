"""Wiring that only a test of the app shows: what reaches the store from the pages, what a
failure says to the user, and that destructive buttons wait for their confirmation."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest

from kit.apps.common import REF_ALPHABET, Ctx, Status
from kit.apps.group_app import Dashboard
from kit.content import default_content
from kit.storage import Joined, SessionInfo, StorageError, Store
from tests.test_apps import find

#: What a database driver says: never for the user's eyes.
DRIVER_TEXT = "(sqlite3.OperationalError) disk I/O error [SQL: UPDATE kit_sessions SET closed_at]"


class RecordingStore(Store):
    """The real store, noting which client address each guarded call was given."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.clients: list[tuple[str, str]] = []

    def join(self, code: str, alias: str, token: str = "", client: str = "") -> Joined:
        self.clients.append(("join", client))
        return super().join(code, alias, token, client)

    def rejoin(self, code: str, token: str, client: str = "") -> Joined:
        self.clients.append(("rejoin", client))
        return super().rejoin(code, token, client)

    def open_session(self, code: str, key: str, client: str = "") -> SessionInfo:
        self.clients.append(("open", client))
        return super().open_session(code, key, client)

    def reopen_session(self, code: str, key: str, client: str = "") -> SessionInfo:
        self.clients.append(("reopen", client))
        return super().reopen_session(code, key, client)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingStore]:
    s = RecordingStore(f"sqlite:///{tmp_path / 'wiring.sqlite3'}")
    monkeypatch.setattr("kit.storage.get_store", lambda url=None: s)
    yield s
    s.dispose()


def dashboard(store: Store, info: SessionInfo, key: str, lang: str = "en") -> Dashboard:
    dash = Dashboard(Ctx(default_content(), lang, Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    return dash


# --------------------------------------------------------------------------- errors in words


def test_a_failing_callback_shows_the_kits_words_and_a_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ctx = Ctx(default_content(), "nl", Status())

    def boom(_: object) -> None:
        raise ValueError(DRIVER_TEXT)

    button = w.Button()
    button.on_click(ctx.guard(boom))
    button.click()
    shown = ctx.status.value
    assert "Er ging iets mis bij deze handeling" in shown and 'role="alert"' in shown
    assert "ValueError" not in shown and "disk I/O" not in shown and "SQL" not in shown
    found = re.search(rf"\(kenmerk ([{REF_ALPHABET}]{{4}})\)", shown)
    assert found, shown
    # The details are in the server's log, under the same reference.
    ref = found.group(1)
    record = next(r for r in caplog.records if f"[ref {ref}]" in r.getMessage())
    assert "callback boom failed" in record.getMessage()
    assert record.exc_info is not None and "disk I/O error" in str(record.exc_info[1])
    # English page, English words; every failure its own reference.
    ctx_en = Ctx(default_content(), "en", Status())
    other = w.Button()
    other.on_click(ctx_en.guard(boom))
    other.click()
    assert "Something went wrong with this action" in ctx_en.status.value
    again = re.search(rf"\(ref\. ([{REF_ALPHABET}]{{4}})\)", ctx_en.status.value)
    assert again and "kenmerk" not in ctx_en.status.value


@pytest.mark.parametrize("action", ["close", "delete"])
def test_closing_and_deleting_on_a_failing_store_give_the_kits_advice(
    store: RecordingStore, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    info, key = store.create_session("Storing")
    dash = dashboard(store, info, key)

    def failing(*_: Any) -> Any:
        raise StorageError(DRIVER_TEXT)

    monkeypatch.setattr(store, f"{action}_session", failing)
    confirm = dash.confirm_close if action == "close" else dash.confirm
    confirm.value = True
    (dash.close if action == "close" else dash.delete).click()
    said = dash.action_message.value
    assert "The group store cannot be reached" in said and 'role="alert"' in said
    assert "disk I/O" not in said and "sqlite3" not in said
    assert dash.ctx.status.value == ""  # no "something went wrong" with driver text
    assert dash.widget.children[0] is dash.key_note  # the dashboard is still there
    monkeypatch.undo()
    assert store.session(info.code) is not None and store.session(info.code).open


def test_closing_and_deleting_with_the_session_gone_say_so(store: RecordingStore) -> None:
    info, key = store.create_session("Weg")
    dash = dashboard(store, info, key)
    store.delete_session(info.code, key)  # deleted from another dashboard
    dash.confirm_close.value = True
    dash.close.click()
    assert "Code or key is not right" in dash.action_message.value
    dash.confirm.value = True
    dash.delete.click()
    assert "Code or key is not right" in dash.action_message.value
    assert dash.ctx.status.value == ""


# --------------------------------------------------------------------------- confirmation


def test_delete_and_close_do_nothing_without_their_confirmation(store: RecordingStore) -> None:
    from kit.answers import PhaseGuess

    info, key = store.create_session("Bevestig")
    joined = store.join(info.code, "Uil")
    store.save(
        info.code, joined.participant, joined.alias, PhaseGuess(scenario="a", first=1, last=1)
    )
    dash = dashboard(store, info, key, "nl")
    assert not dash.confirm.value and not dash.confirm_close.value
    dash.delete.click()
    assert "Vink eerst aan dat je alles wilt verwijderen" in dash.action_message.value
    dash.close.click()
    assert "Vink eerst aan dat je de sessie wilt sluiten" in dash.action_message.value
    kept = store.session(info.code)
    assert kept is not None and kept.open
    assert len(store.all_submissions(info.code, key)) == 1
    assert "kit-deleted" not in str([getattr(c, "value", "") for c in dash.widget.children])
    # Ticked, each does what it says.
    dash.confirm_close.value = True
    dash.close.click()
    closed = store.session(info.code)
    assert closed is not None and not closed.open
    dash.confirm.value = True
    dash.delete.click()
    assert store.session(info.code) is None
    assert "kit-deleted" in dash.widget.children[0].value
    assert "1 antwoord" in dash.widget.children[0].value


# --------------------------------------------------------------------------- client address


def test_the_apps_hand_the_client_address_to_the_store(
    store: RecordingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Joining, coming back and reopening pass the visitor's address: without it the store's
    per-address guess limit is off."""
    from kit.apps.group_app import group_app
    from kit.apps.quickscan_app import quickscan_app

    info, key = store.create_session("Adres")
    monkeypatch.setenv("HTTP_X_KIT_CLIENT", "192.0.2.7")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    # A participant joins through the join form of an app opened from the session's link.
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}")
    page = quickscan_app()
    find(page, "kit-session-alias").value = "Uil"
    find(page, "kit-session-join").click()
    assert ("join", "192.0.2.7") in store.clients
    status = find(page, "kit-session-status")
    assert status is not None and "Uil" in status.value
    token = re.search(r'kit-personal-code">([^<]+)<', status.value)
    assert token
    # Back with the personal code in the link (a reload).
    store.clients.clear()
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}&p={token.group(1).replace('-', '')}")
    again = quickscan_app()
    assert ("rejoin", "192.0.2.7") in store.clients
    assert "Uil" in find(again, "kit-session-status").value
    # The trainer reopens the dashboard.
    monkeypatch.setenv("QUERY_STRING", "")
    trainer = group_app(lang="en")
    find(trainer, "kit-open-code").value = info.code
    find(trainer, "kit-open-key").value = key
    find(trainer, "kit-open-session").click()
    assert ("open", "192.0.2.7") in store.clients
    assert find(trainer, "kit-dashboard") is not None
    # ...closes the session and reopens it.
    find(trainer, "kit-confirm-close").value = True
    find(trainer, "kit-close-session").click()
    find(trainer, "kit-reopen-session").click()
    assert ("reopen", "192.0.2.7") in store.clients


def test_a_closed_session_is_reopened_from_the_dashboard(store: RecordingStore) -> None:
    info, key = store.create_session("Heropen")
    dash = dashboard(store, info, key, "nl")
    assert dash.reopen.layout.display == "none"  # open: nothing to reopen
    dash.confirm_close.value = True
    dash.close.click()
    closed = store.session(info.code)
    assert closed is not None and not closed.open
    assert dash.reopen.layout.display is None and dash.close.layout.display == "none"
    assert "kit-join-code" not in dash.header.value  # no QR code for a closed session
    dash.reopen.click()
    again = store.session(info.code)
    assert again is not None and again.open
    assert "De sessie is weer open" in dash.action_message.value
    assert "kit-join-code" in dash.header.value and dash.reopen.layout.display == "none"
    # Participants can join again.
    assert store.join(info.code, "Uil").alias == "Uil"


def test_a_session_past_its_retention_period_says_so_when_reopened(
    store: RecordingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from kit import storage

    info, key = store.create_session("Te laat", keep_days=0)
    dash = dashboard(store, info, key, "en")
    store.close_session(info.code, key)
    later = storage._now() + dt.timedelta(days=1)
    monkeypatch.setattr(store, "clock", lambda: later)
    dash.reopen.click()
    assert "can no longer be reopened" in dash.action_message.value
    assert dash.ctx.status.value == ""


# --------------------------------------------------------------------------- the plan builder


def test_the_plan_builder_draws_its_proposals_once_per_change() -> None:
    """Choosing a scan draws the proposals once: a second drawing replaced the boxes a
    participant had just ticked (the browser test lost a tick so, now and then)."""
    from kit.apps.plan_app import build_plan

    ctx = Ctx(default_content(), "nl", Status())
    box = build_plan(ctx)
    proposals = find(box, "kit-proposals")
    drawn: list[int] = []
    proposals.observe(lambda ch: drawn.append(len(ch["new"])), names="children")
    chooser = find(box, "kit-plan-source")
    chooser.value = next(v for _, v in chooser.options if v.startswith("case:"))
    find(box, "kit-plan-use-scan").click()
    assert len(drawn) == 1 and drawn[0] > 0
    ticks = [c for c in proposals.children if isinstance(c, w.Checkbox)]
    ticks[0].value = True
    ticks[1].value = True
    find(box, "kit-plan-apply").click()
    assert len(box.builder.plan.steps) == 2
    assert len(drawn) == 2  # redrawn once, with the two chosen ticked
    assert [c.value for c in proposals.children if isinstance(c, w.Checkbox)][:2] == [True, True]
    # A handed-over scan is drawn when the builder is built: no "Kies eerst een scan."
    from kit.answers import ScanAnswers

    p = box.builder.plan
    median = ScanAnswers(perspective=p.perspective, case=p.case, values=p.scan)
    other = build_plan(ctx, (median, "group", "2026-12-07"))
    assert "Kies eerst een scan" not in find(other, "kit-plan-where").value


#: Text fields the page script fills (never typed, never read by a button): every change counts.
SCRIPT_FILLED = {
    ("session_bar.py", "handover"),
    ("group_app.py", "heartbeat"),
    ("homework_bar.py", "beat"),  # the student's page notices the deadline (kit-page.js)
    ("homework_app.py", "beat"),  # ... and the teacher's class view
}


def _text_fields() -> Iterator[tuple[str, str, ast.Call]]:
    for path in sorted((Path(__file__).parents[1] / "kit" / "apps").glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            call = node.value
            if not (
                isinstance(call.func, ast.Attribute)
                and call.func.attr in {"Text", "Password", "Textarea"}
            ):
                continue
            target = node.targets[0]
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            yield path.name, name, call


def test_typed_fields_reach_the_kernel_before_the_button_press() -> None:
    """A field that sends every keystroke is throttled per widget by ipywidgets (one message in
    flight per model), while the button's click goes at once: typed fast and then Enter, the
    kernel read a key of one character and answered "code or key wrong", counting a guess (seen
    in the homework class view). A field sent once, when it loses focus, arrives before the click."""
    fields = list(_text_fields())
    assert len(fields) >= 20  # the walk finds the apps' fields
    continuous = sorted(
        f"{file}:{name}"
        for file, name, call in fields
        if (file, name) not in SCRIPT_FILLED
        and not any(
            k.arg == "continuous_update"
            and isinstance(k.value, ast.Constant)
            and k.value.value is False
            for k in call.keywords
        )
    )
    assert continuous == []
