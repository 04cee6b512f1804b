"""Quickscan, Kern en schil and group sessions in a real browser."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from kit.content import default_content
from tests.conftest import ANSWER_MS, PAGE_MS, VoilaServer
from tests.test_browser_phases import open_app


def answer_visible(page: Page, n: int, choice: int) -> None:
    """Answer the first ``n`` visible statements; each answer is counted before the next."""
    progress = page.locator(".kit-progress-text")
    done = int(re.search(r"\d+", progress.inner_text()).group())  # type: ignore[union-attr]
    scales = page.locator(".kit-scale:visible")
    for i in range(n):
        scales.nth(i).locator("input[type=radio]").nth(choice).check()
        expect(progress).to_contain_text(re.compile(rf"\b{done + i + 1} (van|of) "))


def test_quickscan_case_chart_advice_pdf_and_bad_file(
    page: Page, voila_server: VoilaServer
) -> None:
    open_app(page, voila_server, "quickscan.ipynb")
    page.locator(".kit-perspective").get_by_role("button", name="Uitvoerende organisatie").click()
    expect(page.locator(".kit-narrative")).to_contain_text("Buurtkracht")
    tabs = page.locator(".kit-app-quickscan .lm-TabBar-tab")
    tabs.nth(1).click()
    chart = page.locator(".kit-phase-chart img")
    before = chart.get_attribute("src")
    expect(page.locator(".kit-advice")).to_contain_text("Beantwoord eerst")
    tabs.nth(0).click()
    answer_visible(page, 5, 0)  # phase 0, all "not at all"
    expect(page.locator(".kit-progress-text")).to_contain_text("5 van 37")
    tabs.nth(1).click()
    expect(page.locator(".kit-advice")).to_contain_text("Begin bij fase 0 · Ontwikkelen")
    # Issue 19: the weak statements in MIDI's terms (Fleuren et al. 2014).
    expect(page.locator(".kit-midi-summary")).to_contain_text("In MIDI (Fleuren e.a. 2014) meten")
    expect(chart).not_to_have_attribute("src", before or "")
    expect(chart).to_have_attribute("alt", re.compile("0 Ontwikkelen: 0% ✗ zwak"))
    # Compare with the reference.
    tabs.nth(2).click()
    expect(page.locator(".kit-compare .kit-diff").first).to_be_visible()
    # PDF report.
    tabs.nth(3).click()
    page.locator(".kit-make-pdf").click()
    link = page.locator("a.kit-pdf-link")
    expect(link).to_be_visible(timeout=ANSWER_MS)
    with page.expect_download() as download:
        link.click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    # Chart, grid, advice with what it rests on (three pages), 37 statements (15 a page).
    assert len(PdfReader(io.BytesIO(data)).pages) == 8
    # A broken answers file gets a message and changes nothing.
    with page.expect_file_chooser() as chooser:
        page.locator(".kit-load-answers").click()
    chooser.value.set_files(
        files=[{"name": "kapot.json", "mimeType": "application/json", "buffer": b"{niet goed"}]
    )
    message = page.locator(".kit-load-message")
    expect(message).to_contain_text("kapot.json is niet geladen")
    expect(message).to_contain_text("Je huidige antwoorden zijn niet veranderd")
    # A file far larger than the websocket's default 10 MiB (a video picked by mistake) gets
    # the kit's own message too, and the page keeps working: the next file is read.
    with page.expect_file_chooser() as chooser:
        page.locator(".kit-load-answers").click()
    big = b"{" + b" " * 11_000_000 + b"}"
    chooser.value.set_files(files=[{"name": "film.json", "mimeType": "video/mp4", "buffer": big}])
    expect(message).to_contain_text("film.json is niet geladen", timeout=ANSWER_MS)
    expect(message).to_contain_text("veel groter dan een antwoordbestand")
    with page.expect_file_chooser() as chooser:
        page.locator(".kit-load-answers").click()
    chooser.value.set_files(
        files=[{"name": "weer-kapot.json", "mimeType": "application/json", "buffer": b"[1]"}]
    )
    expect(message).to_contain_text("weer-kapot.json is niet geladen")
    expect(page.locator(".kit-page-lost")).to_have_count(0)
    tabs.nth(0).click()
    expect(page.locator(".kit-progress-text")).to_contain_text("5 van 37")


def test_kern_red_adaptation(page: Page, voila_server: VoilaServer) -> None:
    c = default_content()
    item = c.interventions[0]
    kern_index = next(
        i for i, e in enumerate(item.elements) if e.part == "kern" and not e.overrides
    )
    remove_index = [t.id for t in c.adaptation_types].index("remove")
    open_app(page, voila_server, "kern-en-schil.ipynb", "lang=en")
    summary = page.locator(".kit-kern-summary")
    expect(summary).to_contain_text("0 adaptations")
    page.locator(".kit-element-choice select").select_option(index=kern_index)
    page.locator(".kit-type-choice select").select_option(index=remove_index)
    expect(page.locator(".kit-preview")).to_contain_text("✗ Red: touches the core")
    page.locator(".kit-add-adaptation").click()
    red = page.locator(".kit-adaptation.kit-verdict-red")
    expect(red).to_be_visible()
    expect(red).to_contain_text("✗ Red: touches the core")
    expect(red).to_contain_text(c.adaptation_types[remove_index].on_kern.reason("en")[:40])
    expect(summary).to_contain_text("✗ 1 red")
    # Issue 19: where the verdict comes from, folded out by the learner.
    red.locator("summary", has_text="Where does this verdict come from?").click()
    expect(red).to_contain_text("This verdict is the kit's own judgement")
    expect(red.get_by_role("link", name="Balis 2021")).to_be_visible()
    expect(page.locator(".kit-kern-diagram img")).to_have_attribute(
        "alt", re.compile("Red: touches the core")
    )


def test_group_session(page: Page, browser: Browser, voila_server: VoilaServer) -> None:
    open_app(page, voila_server, "groep.ipynb", "lang=en")
    page.locator(".kit-new-title input").fill("Browser workshop")
    page.locator(".kit-create-session").click()
    code = page.locator(".kit-join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    expect(page.locator(".kit-dashboard svg").first).to_be_visible()  # the QR code
    link = page.locator("a.kit-join-link").get_attribute("href")
    assert link and link.endswith(f"deelnemer.ipynb?session={code}&lang=en")

    for alias in ("Uil", "<img src=x onerror=alert(1)>"):
        # Each participant on a device of their own: on one device the page remembers who
        # joined and brings them back (tests/test_room.py).
        p = browser.new_context().new_page()
        # From the landing page with the session: the quickscan link carries the session.
        p.goto(voila_server.render_url("index.ipynb", f"session={code}&lang=en"))
        p.wait_for_selector(".kit-landing a.kit-open", timeout=PAGE_MS)
        p.locator("a.kit-open").nth(2).click()  # workshop, phases, quickscan
        p.wait_for_selector(".kit-app-quickscan .kit-session-code", timeout=PAGE_MS)
        expect(p.locator(".kit-session-code input")).to_have_value(code)
        p.locator(".kit-session-alias input").fill(alias)
        p.locator(".kit-session-join").click()
        expect(p.locator(".kit-session-status")).to_contain_text("saved at", timeout=ANSWER_MS)
        answer_visible(p, 3, 1)
        expect(p.locator(".kit-session-status")).to_contain_text("saved at")
        p.context.close()

    joined = page.locator(".kit-joined")
    expect(joined).to_contain_text("2 participants", timeout=20_000)
    expect(joined.locator(".kit-aliases")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(joined.locator("img")).to_have_count(0)
    expect(page.locator(".kit-group-scan")).to_contain_text("2 participants")

    # A wrong facilitator key shows no data.
    other = page.context.new_page()
    open_app(other, voila_server, "groep.ipynb", "lang=en")
    other.locator(".kit-open-code input").fill(code)
    other.locator(".kit-open-key input").fill("wrong-key")
    other.locator(".kit-open-session").click()
    expect(other.locator(".kit-group-message")).to_contain_text("Code or key is not right")
    expect(other.locator(".kit-dashboard")).to_have_count(0)


def test_accessible_names_and_keyboard(page: Page, voila_server: VoilaServer) -> None:
    # With a session code in the link the join bar is open: its inputs carry their labels.
    open_app(page, voila_server, "quickscan.ipynb", "session=ABCDEF")
    expect(page.get_by_role("textbox", name="Code", exact=True)).to_have_value("ABCDEF")
    alias = page.get_by_role("textbox", name="Schuilnaam")
    expect(alias).to_be_visible()
    # An unknown code gets a clear message, not a traceback.
    alias.fill("Uil")
    page.locator(".kit-session-join").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".kit-session-message")).to_contain_text("Er is geen sessie met die code")
    # Answer options are radios named by their text.
    expect(page.get_by_role("radio", name="0 · Helemaal niet")).to_have_count(5)
    page.get_by_role("radio", name="2 · Grotendeels").first.check()
    page.get_by_role("tab", name="2. Resultaat en advies").click()
    chart = page.locator(".kit-phase-chart img")
    expect(chart).to_have_attribute("alt", re.compile("Staafdiagram met de score per fase"))
    expect(page.locator(".kit-grid-chart table th[scope=col]")).to_have_count(5)
