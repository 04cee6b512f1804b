"""A homework session played in the browser with a clock the test moves (issue 25 §3, its
"Tests" list): the teacher sets the quickscan on a case, the reference shown only after the
deadline; Uil hands in on time, changes her work and hands in again before the deadline (she
sees both hand-ins); Noor hands in after the deadline (late). The reference stays hidden for
both until the deadline and shows after it. Both pages, left open across the deadline, say by
themselves (their heartbeat) that it passed: Noor's that a hand-in is now late, Uil's that hers
stands (the button off), with the reference, without a reload. The class view lists Uil on
time (twice, her newest counts) and Noor late, each with her own PDF; the zip holds one PDF per
student named after her, and each PDF's text names its student, the session and the case.

One server (its own: ``KIT_CLOCK_FILE`` moves the clock of its kernels), three browser contexts
(the teacher's page stays open from setting the homework to the class view)."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from pypdf import PdfReader

from kit.content import default_content
from tests.conftest import (
    ACTION_TIMEOUT_MS,
    ANSWER_MS,
    NAVIGATION_TIMEOUT_MS,
    NOTEBOOKS,
    VoilaServer,
)
from tests.test_browser_apps import answer_visible
from tests.test_browser_phases import open_app

C = default_content()
CASE = "schuldmaatjes"
TITLE = C.case(CASE).title("nl")


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[tuple[VoilaServer, Path]]:
    """A server whose clock is the time in a file the test writes."""
    clock = tmp_path / "clock"
    clock.write_text(dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())
    env = {
        "KIT_DATABASE_URL": f"sqlite:///{tmp_path / 'groups.sqlite3'}",
        "KIT_CLOCK_FILE": str(clock),
    }
    server = VoilaServer(NOTEBOOKS, env=env, log_path=tmp_path / "voila.log")
    try:
        yield server, clock
    finally:
        server.stop()


def made_code_and_key(teacher: Page) -> tuple[str, str]:
    """The new homework session's code and the teacher's key, as her page says them."""
    made = teacher.locator(".kit-homework-set-message")
    expect(made).to_contain_text("Huiswerk aangemaakt", timeout=ANSWER_MS)
    found = re.search(r"code ([A-Z0-9]{6}).*sleutel is ([A-Z0-9-]{14})", made.inner_text(), re.S)
    assert found is not None, made.inner_text()
    return found.group(1), found.group(2)


def new_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context()
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    contexts.append(context)
    return context.new_page()


def tabs(page: Page) -> Locator:
    return page.locator(".kit-app-quickscan .lm-TabBar-tab")


def join(page: Page, server: VoilaServer, code: str, alias: str) -> None:
    open_app(page, server, "quickscan.ipynb", f"session={code}&case={CASE}")
    page.locator(".kit-session-alias input").fill(alias)
    page.locator(".kit-session-join").click()
    expect(page.locator(".kit-hand-in")).to_be_visible(timeout=ANSWER_MS)
    expect(page.locator(".kit-homework-status")).to_contain_text(
        C.t("homework.status.not_yet", "nl")
    )


def reference_held(page: Page) -> None:
    tabs(page).nth(2).click()
    expect(page.locator(".kit-reference-wait")).to_be_visible()
    expect(page.locator(".kit-compare .kit-diff")).to_have_count(0)
    tabs(page).nth(0).click()


def hand_in(page: Page, words: str) -> None:
    page.locator(".kit-hand-in").click()
    expect(page.locator(".kit-homework-message")).to_contain_text(words, timeout=ANSWER_MS)


def download(page: Page, button: str, link: str) -> bytes:
    """What a download link made by ``button`` holds (a data: address)."""
    page.locator(button).click()
    href = page.locator(link).get_attribute("href", timeout=60_000) or ""
    return base64.b64decode(href.split("base64,", 1)[1])


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_two_students_on_time_again_and_late(
    browser: Browser, clocked: tuple[VoilaServer, Path]
) -> None:
    server, clock = clocked
    contexts: list[BrowserContext] = []
    try:
        teacher = new_page(browser, contexts)
        open_app(teacher, server, "huiswerk.ipynb")
        teacher.locator(".kit-homework-title input").fill("Week 50")
        teacher.locator(".kit-homework-pick-quickscan input").check()
        teacher.locator(".kit-homework-case select").select_option(label=TITLE)
        now = dt.datetime.fromisoformat(clock.read_text())
        day = now.astimezone().date() + dt.timedelta(days=2)
        teacher.locator(".kit-homework-day input").fill(str(day))
        teacher.locator(".kit-homework-day input").press("Tab")
        teacher.locator(".kit-homework-release").get_by_text(
            C.t("homework.release.after-deadline", "nl")
        ).click()
        teacher.locator(".kit-homework-create").click()
        code, key = made_code_and_key(teacher)
        # The teacher means her own clock (the server's time zone): 17:00 on that day.
        deadline = dt.datetime.combine(day, dt.time(17)).astimezone()

        # Uil: on time, then changes her work and hands in again, still before the deadline.
        uil = new_page(browser, contexts)
        join(uil, server, code, "Uil")
        answer_visible(uil, 1, 0)
        clock.write_text((deadline - dt.timedelta(days=1)).isoformat())
        hand_in(uil, "Ingeleverd op")
        expect(uil.locator(".kit-homework-status")).to_contain_text("inlevering 1")
        reference_held(uil)  # released after the deadline: handing in does not show it
        # She changes her first answer and answers one more.
        scales = uil.locator(".kit-scale:visible")
        scales.nth(0).locator("input[type=radio]").nth(1).check()
        scales.nth(1).locator("input[type=radio]").nth(1).check()
        expect(uil.locator(".kit-progress-text")).to_contain_text("2 van 37")
        clock.write_text((deadline - dt.timedelta(minutes=5)).isoformat())
        hand_in(uil, "Ingeleverd op")
        status = uil.locator(".kit-homework-status")
        expect(status).to_contain_text("inlevering 2")
        expect(status).to_contain_text("inlevering 1")  # she sees both hand-ins
        reference_held(uil)

        # Noor: works before the deadline (the reference held), hands in after it: late, and
        # the reference shows at once.
        noor = new_page(browser, contexts)
        join(noor, server, code, "Noor")
        answer_visible(noor, 3, 0)
        reference_held(noor)
        clock.write_text((deadline + dt.timedelta(hours=1)).isoformat())
        # Her page, open across the deadline, says so by itself (its heartbeat), no reload.
        expect(noor.locator(".kit-homework-status")).to_contain_text(
            C.t("homework.passed.late", "nl"), timeout=ANSWER_MS
        )
        hand_in(noor, "na de inleverdatum")
        expect(noor.locator(".kit-homework-status")).to_contain_text(
            C.t("homework.status.late", "nl")
        )
        tabs(noor).nth(2).click()
        expect(noor.locator(".kit-compare .kit-diff").first).to_be_visible()
        expect(noor.locator(".kit-reference-wait")).to_have_count(0)

        # Uil's page, open since before the deadline, changed by itself (no reload, no click):
        # what she handed in stands, handing in is over, and the reference shows.
        expect(uil.locator(".kit-homework-status")).to_contain_text(
            C.t("homework.passed.stands", "nl"), timeout=ANSWER_MS
        )
        expect(uil.locator(".kit-homework-status")).to_contain_text("inlevering 2")
        expect(uil.locator(".kit-hand-in")).to_be_disabled()
        tabs(uil).nth(2).click()
        expect(uil.locator(".kit-compare .kit-diff").first).to_be_visible()
        expect(uil.locator(".kit-reference-wait")).to_have_count(0)

        # The teacher's class view: Uil on time (twice, the newest counts), Noor late.
        teacher.locator(".kit-homework-code input").fill(code)
        teacher.locator(".kit-homework-key input").fill(key)
        teacher.locator(".kit-homework-open").click()
        table = teacher.locator(".kit-homework-table")
        expect(table).to_contain_text("Noor", timeout=ANSWER_MS)
        row = {a: table.locator("tbody tr").filter(has_text=a) for a in ("Uil", "Noor")}
        expect(row["Uil"]).to_contain_text(C.t("homework.status.on_time", "nl"))
        expect(row["Uil"].locator("td").nth(2)).to_have_text("2")
        expect(row["Uil"]).to_contain_text("Quickscan: 2 van")
        expect(row["Noor"]).to_contain_text(C.t("homework.status.late", "nl"))
        expect(row["Noor"].locator("td").nth(2)).to_have_text("1")
        expect(row["Noor"]).to_contain_text("Quickscan: 3 van")
        expect(teacher.locator(".kit-homework-class")).to_contain_text(
            "2 van 2 studenten hebben ingeleverd, 1 te laat"
        )
        # Each student's own PDF from her row.
        for alias in ("Uil", "Noor"):
            teacher.get_by_role("button", name=f"PDF van {alias}").click()
            link = teacher.locator("a.kit-homework-pdf-link")
            expect(link).to_contain_text(alias, timeout=60_000)
            with teacher.expect_download() as got:
                link.click()
            assert got.value.suggested_filename.startswith(
                f"huiswerk-{alias.lower()}-{code}-{CASE}-"
            )
            words = pdf_text(Path(got.value.path()).read_bytes())
            assert alias in words and code in words and TITLE in words

        # The zip: one PDF per student, named after her, the session and the case.
        archive = zipfile.ZipFile(
            io.BytesIO(download(teacher, ".kit-homework-zip", "a.kit-zip-link"))
        )
        pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
        assert len(pdfs) == 2, archive.namelist()
        assert pdfs[0].startswith(f"huiswerk-noor-{code}-{CASE}-")
        assert pdfs[1].startswith(f"huiswerk-uil-{code}-{CASE}-")
        for name, alias, status_key, number in (
            (pdfs[0], "Noor", "homework.status.late", 1),
            (pdfs[1], "Uil", "homework.status.on_time", 2),
        ):
            words = pdf_text(archive.read(name))
            assert alias in words and code in words and TITLE in words, (name, words[:400])
            other = "Uil" if alias == "Noor" else "Noor"
            assert other not in words
            assert f"(inlevering {number})" in words
            assert C.t(status_key, "nl").lower() in words.lower()
        # ...and the spreadsheet of every hand-in (not only the newest), each row named.
        (sheet,) = [n for n in archive.namelist() if n.endswith(".csv")]
        rows = list(csv.reader(io.StringIO(archive.read(sheet).decode("utf-8-sig")), delimiter=";"))
        handed = {(r[0], r[4], r[5]) for r in rows[1:]}
        on_time, late = (C.t(f"homework.status.{k}", "nl") for k in ("on_time", "late"))
        assert handed == {("Uil", "1", on_time), ("Uil", "2", on_time), ("Noor", "1", late)}
        assert {r[1] for r in rows[1:]} == {code}
        assert all(TITLE in r[2] for r in rows[1:])
    finally:
        for context in contexts:
            context.close()
