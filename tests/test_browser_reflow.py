"""Every app at 320 CSS px, at 200 % zoom and with 200 % text (issue 18 item 5; WCAG 2.2 SC
1.4.10 Reflow and 1.4.4 Resize Text): nothing past the right edge (a wide table or chart may
scroll inside its own kit-scroll-x box), no text cut off by its box, sideways or at the bottom,
and every control on the page.

Three conditions, each applied to the page that is already loaded (a resize or a setting, no
reload: each page load starts a kernel):

- **320 px**: a 320 x 640 viewport, what 1.4.10 asks (1280 px at 400 %).
- **200 % zoom**: Chromium's page zoom (Ctrl +) at 200 % in a 1280 x 800 window gives the page
  a 640 x 400 CSS px viewport with two device pixels per CSS pixel. Layout and media queries see
  only the CSS px, so a 640 x 400 viewport lays the page out exactly as the zoomed one (the
  device pixel ratio changes sharpness, not layout). CDP's Emulation.setPageScaleFactor is
  pinch zoom: it magnifies without reflowing, which is not what a reader's zoom does.
- **200 % text**: Chromium's own text-size setting (Settings > Appearance > Font size, the
  ``webkit.webprefs.default_font_size`` preference) set to 32 px instead of 16 px, through CDP
  ``Page.setFontSizes``: the text grows, the window (1280 x 800) does not. This is the setting
  a reader with low vision changes; it changes the ``rem`` and what inherits from it, not sizes
  in px, so the test first checks that the kit's text and its controls' text did grow (a page
  in px would pass the layout checks by ignoring the reader). Injecting ``html { font-size:
  200% }`` would be the same for rem but is not a reader's setting; Chromium's minimum font size
  is not reachable from CDP and only lifts small text to a floor.

The participant page is checked before and after joining on one page; the apps with tabs are
walked tab by tab (the walk of tests/test_browser_layout.py) and each tab is measured in all
three conditions before the next is opened.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import CDPSession, Page

from tests.conftest import PAGE_MS, VoilaServer
from tests.phone import layout_problems
from tests.test_browser_layout import join, overflow, settle, walk_tabs
from tests.test_browser_phases import open_app

# Changes the page's text size through the DevTools protocol: a fresh context per test.
pytestmark = pytest.mark.fresh_context

WINDOW = {"width": 1280, "height": 800}
#: The default text size of every browser, and the reader's 200 %.
DEFAULT_TEXT, LARGE_TEXT = 16, 32

#: Text cut off at the bottom or overlapping what is below it: a box with text of its own whose
#: content is taller than the box (a fixed widget height with a larger font). A box that
#: scrolls (overflow auto or scroll) keeps its text in reach and does not count.
_CUT_BELOW_JS = r"""
() => {
  const out = [];
  const own = (el) => Array.from(el.childNodes).some(
    (n) => n.nodeType === 3 && n.textContent.trim() !== '');
  for (const root of document.querySelectorAll('.kit-app, .kit-landing')) {
    for (const el of root.querySelectorAll('*')) {
      if (!own(el) || ['SCRIPT', 'STYLE', 'OPTION', 'TEXTAREA'].includes(el.tagName)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || (s.clipPath !== 'none' && s.clipPath !== '')) continue;
      if (['auto', 'scroll'].includes(s.overflowY) || el.closest('.kit-scroll-x')) continue;
      if (r.width <= 1 || r.height <= 1) continue;  // screen-reader-only text
      if (el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0) {
        const cls = String(el.className || '').split(/\s+/).filter((c) => c.startsWith('kit-') ||
          c.startsWith('lm-') || c.startsWith('widget-') || c.startsWith('jupyter-')).slice(0, 2).join('.');
        out.push(`text cut off below (${el.scrollHeight} > ${el.clientHeight} px): ` +
          `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}> "` +
          `${(el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 30)}"`);
      }
    }
  }
  return out.slice(0, 8);
}
"""

#: The font sizes a reader sees: the app's own text and every visible control's (JupyterLab sets
#: widget text in px), to check that the text-size setting reached them. ``again``: the same
#: elements as the last time (the larger text may hide some in the one-column layout).
_SIZES_JS = r"""
(again) => {
  if (!again) {
    const controls = Array.from(document.querySelectorAll(
      '.kit-app :is(button, select, input, textarea, label, summary, .lm-TabBar-tab)'))
      .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');
    window.kitReflowMeasured = [
      document.querySelector('.kit-app') || document.querySelector('.kit-landing'), ...controls];
  }
  return window.kitReflowMeasured.map((e) => [
    `<${e.tagName.toLowerCase()}> "${(e.innerText || e.value || e.placeholder || '').trim().slice(0, 25)}"`,
    parseFloat(getComputedStyle(e).fontSize)]);
}
"""


def problems_here(page: Page) -> list[str]:
    """Past the right edge, clipped sideways, a select's value cut off, or cut off below."""
    sideways = [p for p in layout_problems(page) if not p.startswith("tap target")]
    return list(dict.fromkeys(overflow(page) + sideways + page.evaluate(_CUT_BELOW_JS)))


class Conditions:
    """Measures a screen state at 320 px, at 200 % zoom and with 200 % text; collects what is
    wrong in each and leaves the page in its 1280 px window at the default text size."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.cdp: CDPSession = page.context.new_cdp_session(page)
        self.problems: list[str] = []
        self.seen: list[str] = []
        self.growth: list[str] = []

    def text_size(self, px: int) -> None:
        self.cdp.send("Page.setFontSizes", {"fontSizes": {"standard": px, "fixed": px * 13 // 16}})

    def __call__(self, where: str) -> None:
        self.seen.append(where)
        page = self.page
        for name, size in (("320 px", (320, 640)), ("200 % zoom", (640, 400))):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            settle(page)
            self.problems += [f"{where}, {name}: {p}" for p in problems_here(page)]
        page.set_viewport_size(WINDOW)
        settle(page)
        before = page.evaluate(_SIZES_JS, False)
        self.text_size(LARGE_TEXT)
        settle(page)
        after = page.evaluate(_SIZES_JS, True)
        self.problems += [f"{where}, 200 % text: {p}" for p in problems_here(page)]
        self.text_size(DEFAULT_TEXT)
        settle(page)
        self.growth += [
            f"{where}: {what} {size} -> {grown} px"
            for (what, size), (_, grown) in zip(before, after, strict=True)
            if size and grown < 1.9 * size
        ]

    def check(self) -> None:
        assert self.growth == [], "text did not follow the reader's text size:\n" + "\n".join(
            self.growth
        )
        assert self.problems == [], "\n".join(self.problems)


@pytest.fixture(scope="module")
def session_code(voila_server: VoilaServer) -> Iterator[str]:
    from kit.storage import Store

    store = Store(voila_server.db_url)
    info, _ = store.create_session(
        "Groot en smal", case_id="buurtkracht", intervention_id="samen-sterk"
    )
    store.dispose()
    yield info.code


def test_the_participant_page_before_and_after_joining(
    page: Page, voila_server: VoilaServer, session_code: str
) -> None:
    """Opened from the QR code (join form above the exercises), every exercise tab and sub-tab;
    then joined on the same page: the compact bar and the first exercise."""
    page.set_viewport_size(WINDOW)
    open_app(page, voila_server, "deelnemer.ipynb", f"session={session_code}")
    check = Conditions(page)
    walk_tabs(page, check, "participant")
    assert len(check.seen) == 1 + 4 + 3 + 3 + 2 + 4, check.seen
    join(page, "Uil met een grote letter")
    check("participant (joined)")
    page.locator(".kit-token-details > summary").click()
    check("participant (joined, personal code open)")
    check.check()


#: The exercises' own pages: their tabs are the participant page's (walked above), so only what
#: is their own (title bar, session fold, where her work is kept) and their first tab are
#: measured; the pages that are not on the participant page are walked tab by tab.
@pytest.mark.parametrize(
    ("notebook", "query", "walk"),
    [
        ("index.ipynb", "", True),
        ("start.ipynb", "", True),
        ("fasen.ipynb", "", False),
        ("quickscan.ipynb", "", False),
        ("kern-en-schil.ipynb", "", False),
        ("plan.ipynb", "lang=en", False),
        ("groep.ipynb", "", True),
        ("leiden.ipynb", "session={code}", True),
        ("presentatie.ipynb", "session={code}", True),
        ("huiswerk.ipynb", "", True),
    ],
)
def test_every_app_reflows_and_takes_large_text(
    page: Page,
    voila_server: VoilaServer,
    session_code: str,
    notebook: str,
    query: str,
    walk: bool,
) -> None:
    page.set_viewport_size(WINDOW)
    page.goto(voila_server.render_url(notebook, query.format(code=session_code)), timeout=PAGE_MS)
    page.wait_for_selector(".kit-app, .kit-landing", timeout=PAGE_MS)
    check = Conditions(page)
    if walk:
        walk_tabs(page, check, notebook)
    else:
        check(notebook)
    check.check()
