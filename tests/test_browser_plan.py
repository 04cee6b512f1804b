"""The plan builder in a real browser, on a phone (390 x 844) and on a desktop: build a plan from
a case scan, see the warnings, download the Word file and the PDF and open both."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kit.content import default_content
from tests.conftest import ANSWER_MS, VoilaServer
from tests.phone import layout_problems, offscreen_tabs
from tests.test_browser_phases import open_app

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def fits(page: Page, where: str, phone: bool) -> None:
    if not phone:
        return
    page.wait_for_timeout(250)
    problems = layout_problems(page)
    assert problems == [], f"{where}:\n" + "\n".join(problems)
    assert offscreen_tabs(page) == [], f"{where}: tabs out of reach"


def tab(page: Page, index: int) -> None:
    t = page.locator(".kit-plan-tabs .lm-TabBar-tab").nth(index)
    t.scroll_into_view_if_needed()
    t.click()


def download(page: Page, link: str) -> bytes:
    anchor = page.locator(link)
    expect(anchor).to_be_visible(timeout=ANSWER_MS)
    with page.expect_download() as done:
        anchor.click()
    return Path(done.value.path()).read_bytes()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_plan_from_a_case_scan_and_download_both_files(
    page: Page, voila_server: VoilaServer, size: str
) -> None:
    c = default_content()
    phone = size == "phone"
    page.set_viewport_size(SIZES[size])
    open_app(page, voila_server, "plan.ipynb")
    # 1. Scan: a case's reference reading; the kit proposes what fits its earliest weak phase.
    title = c.case("schuldmaatjes").title("nl")
    page.locator(".kit-plan-source select").select_option(
        label=f"Casus: {title} (referentielezing)"
    )
    page.locator(".kit-plan-use-scan").click()
    expect(page.locator(".kit-plan-where")).to_contain_text("fase 2 · Begrijpen")
    boxes = page.locator(".kit-proposal-box input[type=checkbox]")
    expect(boxes).to_have_count(12)
    expect(page.locator(".kit-proposal-box").first).to_contain_text("✓ Past")
    boxes.nth(0).check()
    boxes.nth(1).check()
    # A training (phase 4) added by hand comes too early for this team.
    training = c.activity("training-met-coaching").text("nl")
    page.locator(".kit-plan-other select").select_option(label=f"4 · {training}")
    page.locator(".kit-plan-apply").click()
    expect(page.locator(".kit-plan-scan-message")).to_contain_text("3 activiteiten")
    fits(page, "plan / scan", phone)
    # 2. Plan: warnings and the steps to fill in.
    tab(page, 1)
    expect(page.locator(".kit-plan-findings .kit-plan-warning").first).to_contain_text(
        "komt te vroeg"
    )
    expect(page.locator(".kit-step")).to_have_count(3)
    first = page.locator(".kit-step").first
    first.locator(".kit-step-when input").fill("volgende week")
    first.locator(".kit-step-when input").press("Enter")
    expect(first).to_contain_text("geen datum of week")
    first.locator(".kit-step-when input").fill("2026-W50")
    first.locator(".kit-step-when input").press("Enter")
    expect(first).not_to_contain_text("geen datum of week")
    page.locator(".kit-plan-next-scan input").fill("2027-03-01")
    page.locator(".kit-plan-next-scan input").press("Enter")
    expect(page.locator(".kit-plan-findings")).not_to_contain_text("volgende scan in het plan")
    fits(page, "plan / plan", phone)
    # 3. Money.
    tab(page, 2)
    expect(page.locator(".kit-cost-sheet")).to_contain_text("Eenmalig")
    expect(page.locator(".kit-route").first).to_be_visible()
    fits(page, "plan / money", phone)
    # 4. Files: Word and PDF, both opened.
    tab(page, 3)
    page.locator(".kit-plan-make-docx").click()
    doc = Document(io.BytesIO(download(page, "a.kit-plan-docx-link")))
    text = "\n".join(p.text for p in doc.paragraphs)
    for activity in ("informatiebijeenkomst", "praktijkverhalen", "training-met-coaching"):
        assert c.activity(activity).text("nl") in text
    assert "week 50 van 2026" in "\n".join(
        cell.text for t in doc.tables for row in t.rows for cell in row.cells
    )
    page.locator(".kit-plan-make-pdf").click()
    pdf = PdfReader(io.BytesIO(download(page, "a.kit-plan-pdf-link")))
    # Overview, the steps, money; the funding routes run on to the pages after it.
    texts = [p.extract_text() for p in pdf.pages]
    assert len(texts) >= 4 and "Kostenblad" in texts[2]
    assert "Van scan naar plan" in texts[0]  # page 0 read once, above
    fits(page, "plan / files", phone)
    # A broken plan file changes nothing.
    with page.expect_file_chooser() as chooser:
        page.locator(".kit-plan-load").click()
    chooser.value.set_files(
        files=[{"name": "kapot.json", "mimeType": "application/json", "buffer": b"{kapot"}]
    )
    expect(page.locator(".kit-plan-load-message")).to_contain_text("kapot.json is niet geladen")
    tab(page, 1)
    expect(page.locator(".kit-step")).to_have_count(3)
    expect(page.locator(".kit-status .kit-error")).to_have_count(0)
