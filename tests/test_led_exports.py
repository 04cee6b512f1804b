"""A led session's polls in the group's report (PDF) and spreadsheet (CSV), made from the
dashboard as the trainer does: counts and the kit's answer on paper, one row per vote in the
spreadsheet, hidden open answers left out of the report, nothing of a session never led."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit.agenda import Action
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard
from kit.content import default_content
from kit.led import Led
from kit.storage import SessionInfo, Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'polls.sqlite3'}")
    yield s
    s.dispose()


def _dashboard(store: Store, info: SessionInfo, key: str, lang: str) -> Dashboard:
    dash = Dashboard(Ctx(default_content(), lang, Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    return dash


def _download(dash: Dashboard) -> bytes:
    link = dash.links.value
    assert "base64," in link, link
    return base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0])


def _led_session(store: Store) -> tuple[SessionInfo, str]:
    content = default_content()
    info, key = store.create_session("Geleid")
    merel = store.join(info.code, "Merel").participant
    bas = store.join(info.code, "Bas").participant
    store.join(info.code, "Kim")  # joined, never voted
    led = Led(store, content, info.code)
    led.start(key, "kort")
    steps = [s.id for s in content.agenda("kort").steps]
    led.act(key, Action.GOTO, to=steps.index("fase-poll"))
    led.vote(merel, "fase-poll", "weten")
    led.vote(bas, "fase-poll", "doen")
    led.act(key, Action.GOTO, to=steps.index("meenemen"))
    led.vote(merel, "meenemen", "Eerst luisteren")
    led.vote(bas, "meenemen", "Onzinwoord")
    led.act(key, Action.HIDE_ANSWER, answer="Onzinwoord")
    return info, key


def test_the_group_report_counts_the_polls_with_the_kits_answer(store: Store) -> None:
    info, key = _led_session(store)
    dash = _dashboard(store, info, key, "nl")
    dash._on_pdf(None)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(_download(dash))).pages)
    text = " ".join(text.split())
    assert "Polls van de geleide sessie" in text
    assert "In welke fase zit dit team?" in text
    assert "1. Weten: 1" in text and "4. Doen: 1" in text
    assert "2 van 3 hebben geantwoord" in text and "Het antwoord: 1. Weten" in text
    assert "Eerst luisteren (1)" in text
    assert "Onzinwoord" not in text  # hidden from the wall, so not in the report either
    assert "Merel" not in text and "Bas" not in text  # counts, not who voted what


def test_the_spreadsheet_has_every_vote_with_its_alias(store: Store) -> None:
    info, key = _led_session(store)
    dash = _dashboard(store, info, key, "en")
    dash._on_csv(None)
    rows = list(csv.reader(io.StringIO(_download(dash).decode("utf-8-sig"))))
    polls = [r for r in rows if len(r) > 2 and r[2] == "Poll"]
    assert [(r[1], r[4], r[5], r[6]) for r in polls] == [
        ("Merel", "Which phase is this team in?", "1. Know", "weten"),
        ("Bas", "Which phase is this team in?", "4. Do", "doen"),
        ("Merel", "What do you take away?", "Eerst luisteren", "Eerst luisteren"),
        ("Bas", "What do you take away?", "Onzinwoord", "Onzinwoord"),  # the trainer's data: kept
    ]
    assert all(r[0] == info.code for r in polls)


def test_a_session_never_led_has_no_polls_in_its_exports(store: Store) -> None:
    info, key = store.create_session("Vrij")
    store.join(info.code, "Merel")
    dash = _dashboard(store, info, key, "nl")
    dash._on_pdf(None)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_download(dash))).pages)
    assert "Polls van de geleide sessie" not in text
    dash._on_csv(None)
    assert ";Poll;" not in _download(dash).decode("utf-8-sig")
