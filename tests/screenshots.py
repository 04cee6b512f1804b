"""Regenerate the README screenshots from real pages: ``make screenshots`` (or
``python -m tests.screenshots OUT_DIR``; ``KIT_LANG=en`` for the English pages). Starts Voila, drives Debian's Chromium, clicks through
each app and saves PNGs."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, PAGE_MS, VoilaServer


def wait_app(page: Page) -> None:
    page.wait_for_selector("#rendered_cells", state="visible", timeout=PAGE_MS)
    page.wait_for_selector(".kit-app, .kit-landing", timeout=PAGE_MS)
    page.wait_for_timeout(600)


def answer_quickscan(page: Page, sections: int, shift: int = 0) -> None:
    """Answer every statement in the first ``sections`` phases, opening each one."""
    titles = page.locator(".kit-phase-accordion .jupyter-widget-Collapse-header")
    for section in range(sections):
        if section:
            titles.nth(section).click()
            page.wait_for_timeout(300)
        scales = page.locator(".kit-scale:visible")
        for i in range(scales.count()):
            scales.nth(i).locator("input[type=radio]").nth((i + section + shift) % 4).check()
            page.wait_for_timeout(120)


def shoot(out: Path, lang: str = "nl") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    db = Path(tempfile.mkdtemp()) / "shots.sqlite3"
    # The address a room server prints (`make serve ROOM=30`), so the pictures show the join link
    # a trainer would see rather than the localhost warning.
    server = VoilaServer(
        NOTEBOOKS,
        env={
            "KIT_DATABASE_URL": f"sqlite:///{db}",
            "KIT_PUBLIC_URL": "http://192.168.1.20:8866/voila/render",
            # The learner's own store of the pictures, not of whoever makes them.
            "KIT_OWN_URL": f"sqlite:///{db.parent / 'own.sqlite3'}",
        },
    )
    saved: list[Path] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1500})

            def snap(name: str, full: bool = True) -> None:
                path = out / f"{name}.png"
                page.screenshot(path=str(path), full_page=full)
                saved.append(path)

            q = f"lang={lang}"
            page.goto(server.render_url("index.ipynb", q))
            wait_app(page)
            snap("landing")

            page.goto(server.render_url("fasen.ipynb", q))
            wait_app(page)
            page.locator(".kit-phase-picker button").nth(4).click()
            page.wait_for_timeout(500)
            snap("phases-explore")
            page.locator(".lm-TabBar-tab").nth(1).click()
            page.locator(".kit-phase-answer input[type=radio]").nth(2).check()
            page.locator(".kit-check").click()
            page.wait_for_selector(".kit-feedback-box .kit-feedback")
            snap("phases-which")
            page.locator(".lm-TabBar-tab").nth(2).click()
            boxes = page.locator(".kit-activity-grid input[type=checkbox]")
            for i in (1, 7, 12, 20):
                boxes.nth(i).check()
            page.locator(".kit-check-fit").click()
            page.wait_for_selector(".kit-fit-result .kit-feedback")
            page.wait_for_timeout(500)
            snap("phases-fit")

            page.goto(server.render_url("quickscan.ipynb", q))
            wait_app(page)
            answer_quickscan(page, sections=2)
            snap("quickscan-answer", full=False)
            page.locator(".lm-TabBar-tab").nth(1).click()
            page.wait_for_selector(".kit-phase-chart img")
            page.wait_for_timeout(300)
            snap("quickscan-result")
            page.locator(".lm-TabBar-tab").nth(2).click()
            page.wait_for_timeout(300)
            snap("quickscan-compare")

            page.goto(server.render_url("kern-en-schil.ipynb", q))
            wait_app(page)
            element = page.locator(".kit-element-choice select")
            kind = page.locator(".kit-type-choice select")
            # Adaptation types by position in content/adaptations.yaml: 0 tailor, 1 translate,
            # 3 remove, 8 format.
            for e, t in ((0, 3), (1, 0), (5, 8), (6, 1)):
                element.select_option(index=e)
                kind.select_option(index=t)
                page.locator(".kit-add-adaptation").click()
                page.wait_for_timeout(400)
            snap("kern-explore")
            page.locator(".lm-TabBar-tab").nth(1).click()
            page.locator(".kit-check-situation").click()
            page.wait_for_selector(".kit-situation-feedback .kit-feedback")
            snap("kern-exercise")
            page.locator(".lm-TabBar-tab").nth(2).click()
            page.wait_for_timeout(300)
            snap("kern-log")

            page.goto(server.render_url("groep.ipynb", q))
            wait_app(page)
            snap("group-start")
            page.locator(".kit-new-title input").fill("Workshop wijkteam Noord")
            page.locator(".kit-create-session").click()
            page.wait_for_selector(".kit-join-code")
            code = page.locator(".kit-join-code").inner_text().strip()
            others = [browser.new_page() for _ in range(3)]
            for n, other in enumerate(others):
                other.goto(server.render_url("quickscan.ipynb", f"session={code}&{q}"))
                wait_app(other)
                other.locator(".kit-session-alias input").fill(["Uil", "Vos", "Das"][n])
                other.locator(".kit-session-join").click()
                other.wait_for_selector(".kit-session-status")
                answer_quickscan(other, sections=3, shift=n)
            page.locator(".kit-key-done").click()
            page.wait_for_timeout(5000)
            snap("group-dashboard")
            presenter = browser.new_page(viewport={"width": 1280, "height": 720})
            presenter.goto(server.render_url("presentatie.ipynb", f"session={code}&{q}"))
            presenter.wait_for_selector(".kit-presenter-qr svg", timeout=PAGE_MS)
            presenter.screenshot(path=str(out / "presenter.png"))
            saved.append(out / "presenter.png")
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
            mobile = phone.new_page()
            mobile.goto(server.render_url("deelnemer.ipynb", f"session={code}&{q}"))
            wait_app(mobile)
            mobile.screenshot(path=str(out / "participant-join.png"))
            saved.append(out / "participant-join.png")
            mobile.locator(".kit-session-alias input").fill("Merel")
            mobile.locator(".kit-session-join").click()
            mobile.wait_for_selector(".kit-session-status")
            mobile.get_by_role("tab", name="2 · Quickscan").click()
            mobile.wait_for_selector(".kit-narrative")
            mobile.wait_for_timeout(600)
            mobile.screenshot(path=str(out / "participant-quickscan.png"))
            saved.append(out / "participant-quickscan.png")
            saved += shoot_small_phone(browser, server, out, q, code)
            saved += shoot_plan(browser, server, out, q)
            saved += shoot_selfstudy(browser, server, out, q)
            saved += shoot_homework(browser, out, q)
            browser.close()
    finally:
        server.stop()
    return saved


def shoot_small_phone(
    browser: Browser, server: VoilaServer, out: Path, q: str, code: str
) -> list[Path]:
    """The participant page's first screen on a 360 x 640 phone, before and after joining."""
    phone = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    page = phone.new_page()
    page.goto(server.render_url("deelnemer.ipynb", f"session={code}&{q}"))
    wait_app(page)
    page.wait_for_selector(".kit-session-alias input")
    paths = [out / "participant-360-join.png", out / "participant-360-joined.png"]
    page.screenshot(path=str(paths[0]))
    page.locator(".kit-session-alias input").fill("Kiekendief")
    page.locator(".kit-session-join").click()
    page.wait_for_selector(".kit-session-status")
    page.wait_for_selector(".kit-phase-picker")
    page.wait_for_timeout(600)
    page.screenshot(path=str(paths[1]))
    phone.close()
    return paths


def shoot_plan(browser: Browser, server: VoilaServer, out: Path, q: str) -> list[Path]:
    """The plan builder: proposals from a case scan, the plan with its warnings, the money tab,
    progress between two saved scans, and the plan tab on a phone; plus the landing page."""
    from kit import quickscan
    from kit.answers import Mark, ScanAnswers
    from kit.content import default_content

    c = default_content()
    saved: list[Path] = []
    folder = Path(tempfile.mkdtemp())
    statements = c.instrument.statements_for("organisatie")
    files = []
    # Before: understanding and wanting weak, the rest mixed. After: understanding strong,
    # wanting mixed, keeping-doing worse.
    moments = (
        ("voor", "2026-09-01T10:00", {"begrijpen": 0, "willen": 0}),
        ("na", "2026-12-01T10:00", {"begrijpen": 3, "willen": 2, "blijven-doen": 1}),
    )
    for name, saved_at, by_phase in moments:
        values: dict[str, int | Mark] = {s.id: by_phase.get(s.phase, 2) for s in statements}
        scan = ScanAnswers(perspective="organisatie", values=values)
        path = folder / f"quickscan-{name}.json"
        path.write_text(quickscan.dump_answers(c.instrument.version, scan, saved_at))
        files.append(path)
    for width, height, suffix in ((1280, 1500, ""), (390, 844, "-phone")):
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=bool(suffix)
        )
        page = context.new_page()

        def snap(name: str, full: bool = True, page: Page = page, suffix: str = suffix) -> None:
            page.locator(".kit-titlebar, .kit-landing").first.scroll_into_view_if_needed()
            path = out / f"{name}{suffix}.png"
            page.screenshot(path=str(path), full_page=full)
            saved.append(path)

        if not suffix:
            page.goto(server.render_url("index.ipynb", q))
            wait_app(page)
            snap("landing")
        page.goto(server.render_url("plan.ipynb", q))
        wait_app(page)
        case = c.case("schuldmaatjes")
        label = c.t("plan.scan.case", q.split("=")[1], title=case.title(q.split("=")[1]))
        page.locator(".kit-plan-source select").select_option(label=label)
        page.locator(".kit-plan-use-scan").click()
        page.wait_for_selector(".kit-proposal-box")
        boxes = page.locator(".kit-proposal-box input[type=checkbox]")
        for i in (0, 1, 6):
            boxes.nth(i).check()
        training = c.activity("training-met-coaching").text(q.split("=")[1])
        page.locator(".kit-plan-other select").select_option(label=f"4 · {training}")
        page.locator(".kit-plan-apply").click()
        page.wait_for_timeout(800)
        if not suffix:
            snap("plan-scan")
        page.locator(".kit-plan-tabs .lm-TabBar-tab").nth(1).click()
        page.wait_for_selector(".kit-step")
        steps = page.locator(".kit-step")
        for i, (when, hours, money) in enumerate(
            (("2026-12-07", "12", "250"), ("2027-W02", "8", "600"), ("2027-01-18", "6", "0"))
        ):
            step = steps.nth(i)
            step.locator(".kit-step-when input").fill(when)
            step.locator(".kit-step-when input").press("Enter")
            amounts = step.locator("input[type=number]")
            amounts.nth(0).fill(hours)
            amounts.nth(0).press("Enter")
            amounts.nth(1).fill(money)
            amounts.nth(1).press("Enter")
            page.wait_for_timeout(300)
        page.locator(".kit-plan-next-scan input").fill("2027-03-01")
        page.locator(".kit-plan-next-scan input").press("Enter")
        page.wait_for_timeout(600)
        snap("plan-plan", full=not suffix)
        if suffix:
            context.close()
            continue
        page.locator(".kit-plan-tabs .lm-TabBar-tab").nth(2).click()
        page.wait_for_selector(".kit-cost-sheet table")
        page.wait_for_timeout(400)
        snap("plan-money")
        page.locator(".kit-plan-tabs .lm-TabBar-tab").nth(4).click()
        for css, path in ((".kit-progress-before", files[0]), (".kit-progress-after", files[1])):
            with page.expect_file_chooser() as chooser:
                page.locator(css).click()
            chooser.value.set_files(str(path))
            page.wait_for_timeout(800)
        page.wait_for_selector(".kit-progress-result img")
        page.wait_for_timeout(400)
        snap("plan-progress")
        page.goto(server.render_url("fasen.ipynb", q))
        wait_app(page)
        page.locator(".kit-phase-picker button").nth(3).click()
        page.locator(".kit-checklist-pdf").click()
        page.wait_for_selector("a.kit-checklist-pdf-link")
        page.wait_for_timeout(300)
        snap("phases-checklist")
        context.close()
    return saved


def shoot_selfstudy(browser: Browser, server: VoilaServer, out: Path, q: str) -> list[Path]:
    """The self-study route (docs/zelfstudie.md) at a desktop and a phone size: a step's page
    with its introduction open (step 1, "Welke fase?" with one team placed), then the start page
    with the route and that progress. The server keeps the learner's work in an own store of
    its own (``KIT_OWN_URL``)."""
    saved: list[Path] = []
    for width, height, suffix in ((1280, 1100, ""), (390, 844, "-phone")):
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=bool(suffix)
        )
        page = context.new_page()

        def snap(name: str, full: bool, page: Page = page, suffix: str = suffix) -> None:
            path = out / f"{name}{suffix}.png"
            page.screenshot(path=str(path), full_page=full)
            saved.append(path)

        page.goto(server.render_url("fasen.ipynb", q))
        wait_app(page)
        page.locator(".kit-step-intro summary").first.click()
        page.locator(".lm-TabBar-tab").nth(1).click()
        page.locator(".kit-phase-answer input[type=radio]").nth(2).check()
        page.locator(".kit-check").click()
        page.wait_for_selector(".kit-feedback-box .kit-feedback")
        page.locator(".kit-step-intro").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        snap("selfstudy-step", full=False)
        page.goto(server.render_url("start.ipynb", q))
        page.wait_for_selector("#rendered_cells", state="visible", timeout=PAGE_MS)
        page.wait_for_selector(".kit-route-step.is-started", timeout=60_000)
        page.wait_for_timeout(600)
        snap("selfstudy-start", full=not suffix)
        context.close()
    return saved


def shoot_homework(browser: Browser, out: Path, q: str) -> list[Path]:
    """A homework session (docs/homework.md) on a server of its own whose clock is a file
    (``KIT_CLOCK_FILE``), moved past the deadline between the students: the teacher sets the
    quickscan and kern en schil on a case and an intervention, the reference after the deadline
    (``homework-set``); Uil hands in on time at a desktop size (``homework-student``), Noor late
    on a phone (``homework-student-phone``), Vos joins and hands in nothing; the teacher's class
    view (``homework-class``)."""
    import datetime as dt
    import re

    from kit.content import default_content

    c = default_content()
    lang = q.split("=")[1]
    folder = Path(tempfile.mkdtemp())
    clock = folder / "clock"
    now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    clock.write_text(now.isoformat())
    server = VoilaServer(
        NOTEBOOKS,
        env={
            "KIT_DATABASE_URL": f"sqlite:///{folder / 'homework.sqlite3'}",
            "KIT_PUBLIC_URL": "https://kit.hogeschool.example/voila/render",
            "KIT_OWN_URL": f"sqlite:///{folder / 'own.sqlite3'}",
            "KIT_CLOCK_FILE": str(clock),
        },
    )
    saved: list[Path] = []
    contexts = []

    def new_page(width: int, height: int) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=width < 600
        )
        contexts.append(context)
        return context.new_page()

    def snap(page: Page, name: str, full: bool = True) -> None:
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        saved.append(path)

    try:
        teacher = new_page(1280, 1100)
        teacher.goto(server.render_url("huiswerk.ipynb", q))
        wait_app(teacher)
        title = {"nl": "Week 50: Schuldmaatjes", "en": "Week 50: Debt buddies"}[lang]
        teacher.locator(".kit-homework-title input").fill(title)
        teacher.locator(".kit-homework-case select").select_option(
            label=c.case("schuldmaatjes").title(lang)
        )
        teacher.locator(".kit-homework-intervention select").select_option(
            label=c.intervention("samen-sterk").name(lang)
        )
        teacher.locator(".kit-homework-pick-quickscan input").check()
        teacher.locator(".kit-homework-pick-kern input").check()
        day = teacher.locator(".kit-homework-day input")
        day.fill("2026-12-14")
        day.press("Tab")
        teacher.locator(".kit-homework-release").get_by_text(
            c.t("homework.release.after-deadline", lang)
        ).click()
        teacher.locator(".kit-homework-create").click()
        teacher.wait_for_selector(".kit-homework-links", timeout=PAGE_MS)
        made = teacher.locator(".kit-homework-set-message").inner_text()
        found = re.search(r"([A-Z0-9]{6})\..*?([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", made, re.S)
        assert found is not None, made
        code, key = found.groups()
        teacher.wait_for_timeout(400)
        snap(teacher, "homework-set")

        link = f"session={code}&case=schuldmaatjes&{q}"
        students = {"Uil": new_page(1280, 1100), "Noor": new_page(390, 844), "Vos": None}
        for alias in students:
            page = students[alias] or new_page(1280, 1100)
            page.goto(server.render_url("quickscan.ipynb", link))
            wait_app(page)
            page.locator(".kit-session-alias input").fill(alias)
            page.locator(".kit-session-join").click()
            page.wait_for_selector(".kit-hand-in", timeout=PAGE_MS)
            students[alias] = page
        uil, noor = students["Uil"], students["Noor"]
        assert uil is not None and noor is not None
        answer_quickscan(uil, sections=2)
        answer_quickscan(noor, sections=1, shift=1)
        clock.write_text((now + dt.timedelta(days=3, hours=6, minutes=12)).isoformat())
        uil.locator(".kit-hand-in").click()
        uil.locator(".kit-homework-message").filter(has_text="✓").wait_for(timeout=PAGE_MS)
        uil.wait_for_timeout(600)
        uil.locator(".kit-homework").scroll_into_view_if_needed()
        snap(uil, "homework-student", full=False)
        # Past the deadline (17:00 on the 14th, the server's time zone): Noor hands in late.
        clock.write_text(dt.datetime(2026, 12, 15, 8, 40).astimezone().isoformat())
        noor.locator(".kit-hand-in").click()
        noor.locator(".kit-homework-message").filter(has_text="✓").wait_for(timeout=PAGE_MS)
        noor.wait_for_timeout(600)
        noor.locator(".kit-homework").scroll_into_view_if_needed()
        snap(noor, "homework-student-phone", full=False)

        teacher.locator(".kit-homework-code input").fill(code)
        teacher.locator(".kit-homework-key input").fill(key)
        teacher.locator(".kit-homework-open").click()
        teacher.wait_for_selector(".kit-homework-table", timeout=PAGE_MS)
        teacher.wait_for_timeout(600)
        # The class view with a margin round it (the form above it is homework-set).
        teacher.locator(".kit-homework-pdf").last.wait_for()
        # The page scrolls inside its own panel: a tall window holds the form and the view.
        teacher.set_viewport_size({"width": 1280, "height": 2000})
        teacher.locator(".kit-homework-open-form").scroll_into_view_if_needed()
        teacher.wait_for_timeout(400)
        top = teacher.locator(".kit-homework-open-form").bounding_box()
        end = teacher.locator(".kit-homework-pdf").last.bounding_box()
        assert top is not None and end is not None
        path = out / "homework-class.png"
        height = end["y"] + end["height"] - top["y"] + 32
        clip = {"x": 0, "y": top["y"] - 16, "width": 1280, "height": height}
        teacher.screenshot(path=str(path), clip=clip)  # type: ignore[arg-type]
        saved.append(path)
    finally:
        for context in contexts:
            context.close()
        server.stop()
    return saved


if __name__ == "__main__":
    # python -m tests.screenshots [OUT] [plan|selfstudy|homework]: every picture, or only the
    # plan builder's, the self-study route's or the homework session's.
    # KIT_LANG=en shoots the English pages, by default into docs/screenshots/en.
    lang = os.environ.get("KIT_LANG", "nl")
    default = "docs/screenshots" if lang == "nl" else f"docs/screenshots/{lang}"
    target = Path(sys.argv[1] if len(sys.argv) > 1 else default)
    if sys.argv[2:] == ["homework"]:
        target.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            chrome = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for path in shoot_homework(chrome, target, f"lang={lang}"):
                print(path)
            chrome.close()
    elif sys.argv[2:] in (["plan"], ["selfstudy"]):
        target.mkdir(parents=True, exist_ok=True)
        own = Path(tempfile.mkdtemp()) / "own.sqlite3"
        shots = VoilaServer(NOTEBOOKS, env={"KIT_OWN_URL": f"sqlite:///{own}"})
        only = shoot_plan if sys.argv[2] == "plan" else shoot_selfstudy
        try:
            with sync_playwright() as pw:
                chrome = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for path in only(chrome, shots, target, f"lang={lang}"):
                    print(path)
                chrome.close()
        finally:
            shots.stop()
    else:
        for path in shoot(target, lang):
            print(path)
