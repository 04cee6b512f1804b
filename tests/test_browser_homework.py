"""Homework in a real browser (issue 25 §3): the teacher sets homework on its page, a student
opens the link (not joined: the lasting notice), joins and hands in; the teacher's class view
shows her. axe-core checks the teacher's page and the student's page; the hand-in and the class
view's form are used by keyboard."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from kit.content import default_content
from kit.homework import Assignment
from kit.storage import Store
from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_axe import Axe, axe_script
from tests.test_browser_keyboard import focus, matches, press, tab_to, visible
from tests.test_browser_keyboard_selfstudy import download_by_keys
from tests.test_browser_phases import open_app

C = default_content()

#: The order of a date input's fields in the browser's locale: ["day", "month", "year"], …
DATE_ORDER = """() => new Intl.DateTimeFormat(navigator.language)
  .formatToParts(new Date(2026, 11, 17))
  .map((p) => p.type).filter((t) => t === "day" || t === "month" || t === "year")"""


def test_set_join_hand_in_and_see_the_class(page: Page, voila_server: VoilaServer) -> None:
    axe = Axe(page, axe_script())
    open_app(page, voila_server, "huiswerk.ipynb")
    axe("homework: the teacher's page")
    # The whole form by keyboard (issue 23): the title typed, the case chosen with the arrow
    # keys, the exercise ticked with Space; each stop with a visible focus.
    tab_to(page, ".kit-homework-title input")
    page.keyboard.type("Week 50")
    tab_to(page, ".kit-homework-case select")
    case = page.locator(".kit-homework-case select")
    wanted = C.case("schuldmaatjes").title("nl")
    chosen = r"s => s.options[s.selectedIndex].text.replace(/\s+/g, ' ').trim()"
    for _ in range(len(C.cases) + 1):
        if case.evaluate(chosen) == wanted:
            break
        press(page, "ArrowDown")
    assert case.evaluate(chosen) == wanted
    tab_to(page, ".kit-homework-pick-quickscan input")
    press(page, "Space")
    expect(page.locator(".kit-homework-pick-quickscan input")).to_be_checked()
    # The deadline's date by keyboard (issue 23): Tab to the field, type the digits in the order
    # the browser's locale shows (day-month-year in Dutch), Tab on.
    due = dt.date.today() + dt.timedelta(days=10)
    tab_to(page, ".kit-homework-day input")
    order = page.evaluate(DATE_ORDER)
    digits = {"day": f"{due.day:02d}", "month": f"{due.month:02d}", "year": str(due.year)}
    page.keyboard.type("".join(digits[part] for part in order))
    press(page, "Tab")
    expect(page.locator(".kit-homework-day input")).to_have_value(due.isoformat())
    # When the reference shows: the group's second option, by an arrow key.
    found = tab_to(page, ".kit-homework-release input[type=radio]")
    assert found["text"] == C.t("homework.release.after-hand-in", "nl"), found
    found = visible(press(page, "ArrowDown"))
    assert found["text"] == C.t("homework.release.after-deadline", "nl"), found
    tab_to(page, ".kit-homework-create")
    press(page, "Enter")
    made = page.locator(".kit-homework-set-message")
    expect(made).to_contain_text("Huiswerk aangemaakt", timeout=ANSWER_MS)
    text = made.inner_text()
    code = re.search(r"code ([A-Z0-9]{6})", text).group(1)  # type: ignore[union-attr]
    key = re.search(r"sleutel is ([A-Z0-9-]{14})", text).group(1)  # type: ignore[union-attr]
    expect(made).to_contain_text(f"quickscan.ipynb?session={code}&case=schuldmaatjes")
    # The whole address, ready to paste: the server's own address before the notebook.
    expect(made.locator(".kit-homework-links a")).to_have_attribute(
        "href", f"{voila_server.url}/voila/render/quickscan.ipynb?session={code}&case=schuldmaatjes"
    )
    # Focus stays on "Aanmaken"; the next Tab stop is the students' link.
    visible(focus(page))
    assert matches(page, ".kit-homework-create")
    tab_to(page, ".kit-homework-links a")
    stored = Assignment.load(Store(voila_server.db_url).homework(code) or "")
    assert stored.exercises == ("quickscan",) and stored.release == "after-deadline"

    open_app(page, voila_server, "quickscan.ipynb", f"session={code}&case=schuldmaatjes")
    expect(page.locator(".kit-homework-alone")).to_contain_text(C.t("homework.alone.title", "nl"))
    axe("homework: a student not joined")
    tab_to(page, ".kit-session-alias input")
    page.keyboard.type("Uil")
    tab_to(page, ".kit-session-join")
    press(page, "Enter")
    expect(page.locator(".kit-hand-in")).to_be_visible(timeout=ANSWER_MS)
    visible(focus(page))  # focus on the page after joining, not dropped to <body>
    expect(page.locator(".kit-homework-alone")).to_have_count(0)
    # By keyboard (issue 23): Tab reaches "Inleveren" with a visible focus, Enter hands in.
    tab_to(page, ".kit-hand-in")
    press(page, "Enter")
    expect(page.locator(".kit-homework-message")).to_contain_text(
        "Ingeleverd op", timeout=ANSWER_MS
    )
    expect(page.locator(".kit-homework-status")).to_contain_text("inlevering 1")
    axe("homework: handed in")

    open_app(page, voila_server, "huiswerk.ipynb")
    # The class view opened by keyboard: code, key, then Enter on "Openen".
    tab_to(page, ".kit-homework-code input")
    page.keyboard.type(code)
    tab_to(page, ".kit-homework-key input")
    page.keyboard.type(key)
    tab_to(page, ".kit-homework-open")
    press(page, "Enter")
    table = page.locator(".kit-homework-table")
    expect(table).to_contain_text("Uil", timeout=ANSWER_MS)
    expect(table).to_contain_text(C.t("homework.status.on_time", "nl"))
    visible(focus(page))  # focus kept on the page as the class view is drawn
    axe("homework: the class view")
    # The class view's downloads by keyboard: Enter on a button, then Enter on its link.
    archive = download_by_keys(page, ".kit-homework-zip", "a.kit-zip-link")
    with zipfile.ZipFile(archive.path()) as files:
        assert any("uil" in name.lower() for name in files.namelist()), files.namelist()
    # Back to "CSV", its link; the Tab to it passes the one PDF per student.
    table_csv = download_by_keys(page, ".kit-homework-csv", "a.kit-csv-link", back=True)
    found = tab_to(page, ".kit-homework-pdf", "Shift+Tab")
    assert "Uil" in found["text"], found
    # Uil handed in without answers: the table's header, no rows.
    assert table_csv.suggested_filename.endswith(f"-{code}.csv")
    assert Path(table_csv.path()).read_text(encoding="utf-8-sig").startswith("Naam;Sessie;")
    axe.assert_clean()
