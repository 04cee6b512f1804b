"""The teacher's homework page (issue 25 §3), built as Voila builds it with a clock the test
moves: a deadline in the past is refused with a clear message and nothing is made; a homework
session gives its code, key and links; the class view lists every student with her status and
gives the zip of named PDFs."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kit import homework
from kit.answers import PhaseGuess
from kit.content import default_content
from kit.homework import Assignment
from kit.storage import Store
from tests.test_apps import find

C = default_content()
NOW = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)


def find_all(widget: Any, cls: str) -> Iterator[Any]:
    """Every widget in the tree carrying ``cls``, in order."""
    if cls in getattr(widget, "_dom_classes", ()):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from find_all(child, cls)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'teacher.sqlite3'}")
    monkeypatch.setattr("kit.storage.get_store", lambda url=None: s)
    clock = tmp_path / "clock"
    clock.write_text(NOW.isoformat())
    monkeypatch.setenv("KIT_CLOCK_FILE", str(clock))
    monkeypatch.setenv("QUERY_STRING", "")
    yield s
    s.dispose()


def test_set_homework_and_see_the_class(store: Store) -> None:
    from kit.apps.homework_app import homework_app

    page = homework_app()
    find(page, "kit-homework-title").value = "Week 50"
    find(page, "kit-homework-case").value = "buurtkracht"
    find(page, "kit-homework-pick-phases").value = True
    find(page, "kit-homework-pick-quickscan").value = True
    find(page, "kit-homework-day").value = dt.date(2026, 12, 1)  # in the past
    find(page, "kit-homework-create").click()
    message = find(page, "kit-homework-set-message").value
    assert C.t("homework.error.deadline-past", "nl")[:40] in message
    find(page, "kit-homework-day").value = dt.date(2026, 12, 14)
    find(page, "kit-homework-create").click()
    message = find(page, "kit-homework-set-message").value
    code = re.search(r"code ([A-Z0-9]{6})", message).group(1)  # type: ignore[union-attr]
    key = re.search(r"sleutel is ([A-Z0-9-]{14})", message).group(1)  # type: ignore[union-attr]
    assert f"fasen.ipynb?session={code}" in message
    assert f"quickscan.ipynb?session={code}&amp;case=buurtkracht" in message
    work = Assignment.load(store.homework(code) or "")
    assert work.exercises == ("phases", "quickscan") and work.release == "after-hand-in"
    # Two students: one hands in, one does not.
    uil = store.join(code, "Uil").participant
    store.join(code, "Noor")
    store.save(code, uil, "Uil", PhaseGuess(scenario=C.scenarios[0].id, first=1, last=1))
    verdict = homework.hand_in_rule(work, NOW + dt.timedelta(days=1), None)
    store.hand_in(code, uil, "Uil", NOW + dt.timedelta(days=1), verdict.late, 1, work.exercises)
    find(page, "kit-homework-code").value = code
    find(page, "kit-homework-key").value = key
    find(page, "kit-homework-open").click()
    table = find(page, "kit-homework-class").children[0].children[0].value
    assert "Uil" in table and "Noor" in table
    assert C.t("homework.status.on_time", "nl") in table
    assert C.t("homework.status.not_yet", "nl") in table
    find(page, "kit-homework-zip").click()
    link = find(page, "kit-homework-files").value
    data = base64.b64decode(re.search(r"base64,([^\"]+)\"", link).group(1))  # type: ignore[union-attr]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.startswith(f"huiswerk-uil-{code}-buurtkracht-") for n in names)
    assert not any("noor" in n for n in names)
    # Her own PDF from the class view; none for a student who has not handed in.
    buttons = list(find_all(page, "kit-homework-pdf"))
    assert [b.description for b in buttons] == ["PDF van Uil"]
    buttons[0].click()
    link = find(page, "kit-homework-files").value
    assert "kit-homework-pdf-link" in link and f'download="huiswerk-uil-{code}-buurtkracht-' in link
    pdf = base64.b64decode(re.search(r"base64,([^\"]+)\"", link).group(1))  # type: ignore[union-attr]
    assert pdf.startswith(b"%PDF")
