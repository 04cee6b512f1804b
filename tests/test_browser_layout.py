"""Every app, tab and sub-tab on the screens participants have (issue 18 item 4, issue 23 item
11): nothing past the right edge at 320 (400 % zoom), 360 and 390 px; the participant page
starts the exercise on the first screen of a 360 x 640 phone after joining, with the personal
code behind a tap; the page's ``lang``, title, one ``main`` and one ``h1`` in each app.

Each screen state is visited once and measured at every width by resizing the same page (each
page load starts a kernel; a resize only lays the page out again). The walk over the tabs is
shared with tests/test_axe.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import ANSWER_MS, PAGE_MS, VoilaServer
from tests.test_browser_phases import open_app

#: 320: reflow at 400 % zoom of a 1280 px screen (WCAG 1.4.10); 360 and 390: common phones.
WIDTHS = (320, 360, 390)
SMALL_PHONE = {"width": 360, "height": 640}

#: What sticks out past the right edge of the window, and how wide the document is. A widget box
#: clips what does not fit (the document does not get wider), so every element's own box counts;
#: only what is inside a kit-scroll-x box (scrolls sideways on purpose) and screen-reader-only
#: text do not.
_OVERFLOW_JS = r"""
() => {
  const vw = window.innerWidth;
  const out = [];
  // The kit's own sideways scrollers (a wide table, kit-scroll-x) and screen-reader-only text.
  const scrollsAside = (el) => {
    if (el.parentElement && el.parentElement.closest('.kit-scroll-x')) return true;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.clipPath !== 'none' && s.clipPath !== '') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.right <= vw + 1) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.position === 'fixed' || el.closest('#loading')) continue;
    if (s.clipPath !== 'none' && s.clipPath !== '') continue;
    if (scrollsAside(el)) continue;
    const cls = String(el.className || '').split(/\s+/).filter((c) => c.startsWith('kit-') ||
      c.startsWith('lm-TabBar') || c.startsWith('widget-')).slice(0, 2).join('.');
    out.push(`<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}> ` +
      `"${(el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 30)}" right=${Math.round(r.right)}`);
  }
  return {width: document.documentElement.scrollWidth, viewport: vw, past: out.slice(0, 8)};
}
"""


def overflow(page: Page) -> list[str]:
    """What runs past the right edge now (empty: nothing)."""
    found = page.evaluate(_OVERFLOW_JS)
    problems = list(found["past"])
    if found["width"] > found["viewport"]:
        problems.insert(0, f"document {found['width']} px wide in a {found['viewport']} px window")
    return problems


def settle(page: Page) -> None:
    """Widgets lay themselves out a moment after a click or resize (lumino measures in an
    animation frame): two frames and a short pause, no fixed long sleep."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(150)


def _tabs(tabset: Locator) -> Locator:
    return tabset.locator(":scope > .lm-TabBar .lm-TabBar-tab")


def walk_tabs(page: Page, visit: Callable[[str], None], where: str) -> None:
    """Call ``visit(name)`` on the page as it is, then on every tab of the app's outer tab bar
    and every sub-tab inside each (clicked in order; each tab waits for its content)."""
    visit(where)
    outer = page.locator(".kit-app .widget-tab:visible").first
    if not outer.count():
        return
    tabs = _tabs(outer)
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        tab.click()
        expect(tab).to_have_class(re.compile("lm-mod-current"))
        panel = outer.locator(":scope > .jupyter-widget-TabPanel-tabContents > .lm-Widget").nth(i)
        expect(panel.locator(".lm-Widget").first).to_be_visible(timeout=ANSWER_MS)  # built
        name = f"{where} / {tab.inner_text().strip()}"
        settle(page)
        visit(name)
        inner = panel.locator(".widget-tab:visible")
        for k in range(inner.count()):
            subtabs = _tabs(inner.nth(k))
            for j in range(subtabs.count()):
                if j:  # the first is open already: seen with its outer tab
                    subtabs.nth(j).click()
                    expect(subtabs.nth(j)).to_have_class(re.compile("lm-mod-current"))
                    settle(page)
                    visit(f"{name} / {subtabs.nth(j).inner_text().strip()}")


class Widths:
    """Measures a state at every width and collects what runs past the edge."""

    def __init__(self, page: Page, height: int = 800) -> None:
        self.page, self.height = page, height
        self.problems: list[str] = []
        self.seen: list[str] = []

    def __call__(self, where: str) -> None:
        self.seen.append(where)
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": self.height})
            settle(self.page)
            for problem in overflow(self.page):
                self.problems.append(f"{where} at {width} px: {problem}")
        self.page.set_viewport_size({"width": WIDTHS[1], "height": self.height})


@pytest.fixture(scope="module")
def session_code(voila_server: VoilaServer) -> Iterator[tuple[str, str]]:
    """A session with a case and an intervention, and its trainer key."""
    from kit.storage import Store

    store = Store(voila_server.db_url)
    info, key = store.create_session(
        "Smalle schermen", case_id="buurtkracht", intervention_id="samen-sterk"
    )
    store.dispose()
    yield info.code, key


def join(page: Page, alias: str) -> None:
    page.locator(".kit-session-alias input").fill(alias)
    page.locator(".kit-session-join").click()
    expect(page.locator(".kit-session-status")).to_be_visible(timeout=ANSWER_MS)


def test_the_participant_page_fits_every_phone_in_every_tab(
    page: Page, voila_server: VoilaServer, session_code: tuple[str, str]
) -> None:
    """The page as opened without a link (join form above the exercises): every exercise and
    every sub-tab at 320, 360 and 390 px; then joined, with the code typed in."""
    code, _ = session_code
    page.set_viewport_size(SMALL_PHONE)
    open_app(page, voila_server, "deelnemer.ipynb")
    check = Widths(page)
    walk_tabs(page, check, "participant")
    # every exercise (4) and every sub-tab of each (4, 4, 3 and 5, the first seen with its tab)
    assert len(check.seen) == 1 + 4 + 3 + 3 + 2 + 4, check.seen
    page.locator(".kit-session-code input").fill(code)
    join(page, "Uil op een smalle telefoon")
    check("participant (joined)")
    assert check.problems == [], "\n".join(check.problems)


#: The exercises' standalone pages build the same screens as the participant page's tabs (the
#: walk above); the plan builder is walked again in English, whose labels are longer.
@pytest.mark.parametrize(
    ("notebook", "query"),
    [
        ("index.ipynb", ""),
        ("plan.ipynb", "lang=en"),
        ("groep.ipynb", ""),
        ("leiden.ipynb", "session={code}"),
        ("presentatie.ipynb", "session={code}"),
    ],
)
def test_every_app_fits_every_phone(
    page: Page,
    voila_server: VoilaServer,
    session_code: tuple[str, str],
    notebook: str,
    query: str,
) -> None:
    page.set_viewport_size(SMALL_PHONE)
    page.goto(voila_server.render_url(notebook, query.format(code=session_code[0])))
    page.wait_for_selector(".kit-app, .kit-landing", timeout=PAGE_MS)
    check = Widths(page)
    walk_tabs(page, check, notebook)
    assert check.problems == [], "\n".join(check.problems)


def test_after_joining_the_exercise_starts_on_the_first_screen(
    page: Page, voila_server: VoilaServer, session_code: tuple[str, str]
) -> None:
    """On a 360 x 640 phone: the bar is one compact block with the alias; the personal code
    opens with a tap; the first exercise's own controls are on the first screen."""
    page.set_viewport_size(SMALL_PHONE)
    open_app(page, voila_server, "deelnemer.ipynb", f"session={session_code[0]}")
    join(page, "Kiekendief")
    bar = page.locator(".kit-session-status")
    expect(bar).to_contain_text("Je doet mee als Kiekendief")
    code = page.locator(".kit-personal-code")
    expect(code).to_be_hidden()
    box = bar.bounding_box()
    assert box and box["height"] <= 140, f"the joined bar is {box} tall"
    # The first exercise (Fasen / Verkennen): its phase buttons start within the first screen.
    picker = page.locator(".kit-phase-picker")
    expect(picker).to_be_visible(timeout=ANSWER_MS)
    top = picker.bounding_box()
    assert top and top["y"] < 640 - 44, f"the exercise starts at {top} on a 640 px screen"
    assert page.evaluate("window.scrollY") == 0
    # The personal code, behind one tap, and closed again with another.
    summary = page.locator(".kit-token-details > summary")
    summary_box = summary.bounding_box()
    assert summary_box and summary_box["height"] >= 44  # a finger's target on a phone
    summary.click()
    expect(code).to_be_visible()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code.inner_text().strip())
    expect(page.locator(".kit-session-about")).to_contain_text("Smalle schermen")
    summary.click()
    expect(code).to_be_hidden()


def test_lang_title_main_and_h1_follow_the_page(page: Page, voila_server: VoilaServer) -> None:
    """<html lang> and the title in the page's language, also after switching; one main
    landmark and one h1; a language button is marked with its own language."""
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "kern-en-schil.ipynb")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    expect(page).to_have_title("Kern en schil · Implementatiekit")
    expect(page.locator("main, [role=main]")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Kern en schil")
    expect(page.locator(".kit-lang button", has_text="EN")).to_have_attribute("lang", "en")
    page.locator(".kit-lang button", has_text="EN").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_title("Core and shell · Implementation kit")
    expect(page.locator("h1")).to_have_text("Core and shell")
    expect(page.locator("h1")).to_have_count(1)
    # The landing page, opened in English, is English from the start.
    page.goto(voila_server.render_url("index.ipynb", "lang=en"))
    expect(page.locator(".kit-landing")).to_be_visible(timeout=PAGE_MS)
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_title("Implementation kit")
    expect(page.locator("main, [role=main]")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator(".kit-landing a[lang=nl]")).to_have_text("Nederlands")


def test_focus_is_visible_on_every_kind_of_control(page: Page, voila_server: VoilaServer) -> None:
    """Focus by keyboard on a primary button, a text field, a select, a tab, a radio and a
    link: a ring of at least 2 px whose colour has >= 3:1 against the white page."""
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "kern-en-schil.ipynb")
    rings = page.evaluate(
        r"""() => {
          const lum = (c) => { const m = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]; };
          const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
            return (x + 0.05) / (y + 0.05); };
          const picks = {
            button: '.kit-app button.mod-primary, .kit-app .kit-add-adaptation',
            field: '.kit-app textarea, .kit-app input[type=text]',
            select: '.kit-app select',
            tab: '.kit-app .lm-TabBar-tab',
            toggle: '.kit-app .kit-lang button',
          };
          const out = {};
          for (const [kind, sel] of Object.entries(picks)) {
            const el = Array.from(document.querySelectorAll(sel)).find((e) => e.offsetParent);
            if (!el) { out[kind] = 'missing'; continue; }
            el.focus({focusVisible: true});
            const s = getComputedStyle(el);
            const width = parseFloat(s.outlineWidth) || 0;
            out[kind] = s.outlineStyle !== 'none' && width >= 2 &&
              ratio(s.outlineColor, 'rgb(255, 255, 255)') >= 3 ? 'ok' :
              `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
          }
          return out;
        }"""
    )
    assert rings == dict.fromkeys(rings, "ok"), rings
    # By keyboard (Tab), the focused element shows the ring too: :focus-visible, not only focus().
    page.locator(".kit-lang button").first.focus()
    page.keyboard.press("Tab")
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style[0] != "none" and style[1] >= 2, style
