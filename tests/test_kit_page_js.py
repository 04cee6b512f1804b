"""kit-page.js on its own (issue 21, foundations): the real script in headless Chromium on small
static pages served by a local http.server, with the Voila page, the widgets and the kernel's
websocket replaced by fakes. Its deadlines, its identity handling (remembering the participant on
the device, ``?forget=1``, what is handed to the kernel), noticing a lost server, and putting kept
answers back after the reload. Playwright's clock stands in for the minutes."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, WebSocketRoute, expect

from tests.conftest import ROOT

# Fake clocks (page.clock) are installed on the whole context: a fresh one per test.
pytestmark = pytest.mark.fresh_context

SCRIPT = ROOT / "kit" / "share" / "voila" / "templates" / "kit" / "static" / "kit-page.js"

#: A Voila page as kit-page.js sees it: the script in the head, the config, the spinner, and the
#: cells that the page shows once the kernel ran the notebook ("render" below).
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  .kit-page-alert {{ position: fixed; left: 0; right: 0; top: 0; background: #FBE3D6; }}
  .lm-mod-hidden {{ display: none; }}
  .kit-identity, .kit-identity-in, .kit-heartbeat {{ display: none; }}
</style>
<script src="/voila/templates/kit/static/kit-page.js"></script>
</head><body>
<script id="jupyter-config-data" type="application/json">{{"baseUrl": "/"}}</script>
<div id="loading">Loading …</div>
<div id="rendered_cells" style="display: none">{cells}</div>
<script>{fake}</script>
</body></html>
"""

#: The fake kernel of the app page: it renders at once, counts the reports of the session bar
#: (data-saves) and keeps "stored" answers in localStorage (the group store), builds the second
#: tab and the accordion's second section only when they are first opened (as the kit's lazy
#: tabs do), and opens the kernel's websocket.
FAKE = r"""
(function () {
  var q = new URLSearchParams(location.search);
  var joined = !!q.get("p");
  var store = JSON.parse(localStorage.getItem("fake-store") || "{}");
  window.kernelGot = [];  /* what the identity field handed to the kernel */
  window.beats = [];
  function root(el) { while (el && !el.classList.contains("lm-Widget")) el = el.parentElement; return el; }
  function radios(id, options) {
    return '<div class="lm-Widget widget-radio kit-scale kit-statement-' + id + '">' +
      '<label class="widget-label" style="display: none"></label><div class="widget-radio-box">' +
      options.map(function (o) { return '<label>' + o + '<input type="radio" name="' + id + '"' +
        (store[id] === o ? " checked" : "") + '></label>'; }).join("") + '</div></div>';
  }
  function statement(id, text) {
    return '<div class="lm-Widget widget-html"><div class="kit-statement">' + text + '</div></div>' +
      radios(id, ["0 · Helemaal niet", "1 · Een beetje", "2 · Grotendeels"]);
  }
  function section(i) {
    return '<div class="lm-Widget jupyter-widget-Collapse' + (i === 0 ? ' jupyter-widget-Collapse-open' : '') + '">' +
      '<div class="lm-Widget jupyter-widget-Collapse-header"><span>' + i + ' · Fase ' + i + ' (0/1)</span></div>' +
      '<div class="lm-Widget jupyter-widget-Collapse-contents">' + (i === 0 ? statement("a", "Stelling A") : '') + '</div></div>';
  }
  var secondTab =
    '<div class="lm-Widget widget-dropdown kit-choice"><label class="widget-label">Casus</label>' +
    '<select><option value="Eerste">Eerste</option><option value="Tweede">Tweede</option></select></div>' +
    '<div class="lm-Widget widget-text"><label class="widget-label">Naam</label><input type="text"></div>' +
    '<div class="lm-Widget widget-checkbox kit-agree"><label class="widget-label-basic"><input type="checkbox"><span>Akkoord</span></label></div>' +
    '<div class="lm-Widget widget-accordion kit-acc">' + section(0) + section(1) + '</div>';
  var app =
    (joined ? '<div class="lm-Widget widget-html kit-session-status"><div class="kit-session-line" role="status" data-saves="1">als Vos ' +
      '<span class="kit-saved">✓ opgeslagen</span></div></div>' : '') +
    '<div class="lm-Widget widget-tab kit-tabs kit-fake-tabs">' +
    '<div class="lm-Widget lm-TabBar"><ul class="lm-TabBar-content">' +
    '<li class="lm-TabBar-tab lm-mod-current">1 · Start</li><li class="lm-TabBar-tab">2 · Scan</li></ul></div>' +
    '<div class="lm-Widget widget-tab-contents"><div class="lm-Widget widget-vbox">' + statement("z", "Stelling Z") + '</div>' +
    '<div class="lm-Widget widget-vbox lm-mod-hidden"></div></div></div>' +
    '<div class="lm-Widget widget-text kit-identity-in"><input type="text"></div>' +
    '<div class="lm-Widget widget-text kit-heartbeat"><input type="text"></div>';
  function render() {
    document.getElementById("loading").remove();
    var cells = document.getElementById("rendered_cells");
    cells.innerHTML = '<div class="lm-Widget kit-app">' + app + '</div>';
    cells.style.display = "";
    var tabs = cells.querySelectorAll(".lm-TabBar-tab");
    var panels = cells.querySelectorAll(".widget-tab-contents > div");
    Array.prototype.forEach.call(tabs, function (tab, i) {
      tab.addEventListener("pointerdown", function () {
        tabs.forEach(function (t) { t.classList.remove("lm-mod-current"); });
        panels.forEach(function (p) { p.classList.add("lm-mod-hidden"); });
        tab.classList.add("lm-mod-current");
        panels[i].classList.remove("lm-mod-hidden");
        if (i === 1 && !panels[1].children.length) {
          setTimeout(function () { panels[1].innerHTML = secondTab; }, 300);  /* a round trip */
        }
      });
    });
    cells.addEventListener("click", function (ev) {
      var header = ev.target.closest(".jupyter-widget-Collapse-header");
      if (!header) return;
      var part = header.parentElement;
      part.classList.add("jupyter-widget-Collapse-open");
      var contents = part.querySelector(".jupyter-widget-Collapse-contents");
      if (!contents.children.length) setTimeout(function () { contents.innerHTML = statement("b", "Stelling B"); }, 300);
    });
    cells.addEventListener("change", function (ev) {
      var el = ev.target;
      if (el.closest(".kit-identity-in")) {
        window.kernelGot.push(el.value);
        return;
      }
      if (el.closest(".kit-heartbeat")) {
        window.beats.push(el.value);
        return;
      }
      if (!window.kernelAlive) return;  /* the kernel is gone: nothing reaches the store */
      var id = (root(el).className.match(/kit-statement-(\S+)/) || [])[1];
      if (id) store[id] = el.closest("label").textContent;
      localStorage.setItem("fake-store", JSON.stringify(store));
      var line = document.querySelector(".kit-session-line");
      if (line) {
        setTimeout(function () {
          line.setAttribute("data-saves", String(Number(line.getAttribute("data-saves")) + 1));
        }, 100);
      }
    });
    window.kernelAlive = true;
    window.socket = new WebSocket("ws://" + location.host + "/api/kernels/k1/channels?session_id=s");
  }
  if (!q.get("norender")) setTimeout(render, 50);
})();
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("kit-page-site")
    static = root / "voila" / "templates" / "kit" / "static"
    static.mkdir(parents=True)
    (static / "kit-page.js").write_text(SCRIPT.read_text())  # the real script, as served
    (root / "app.html").write_text(PAGE.format(cells="", fake=FAKE))
    (root / "blank.html").write_text(
        PAGE.format(
            cells="<p>No app</p>",
            fake="setTimeout(function () { document.getElementById('loading').remove();"
            " document.getElementById('rendered_cells').style.display = ''; }, 50);",
        )
    )
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class Kernel:
    """The fake kernel's websocket (every page of the device gets one, open until the test
    closes it as a dying server would)."""

    def __init__(self, ctx: BrowserContext) -> None:
        self.sockets: list[WebSocketRoute] = []
        ctx.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), self.opened)

    def opened(self, ws: WebSocketRoute) -> None:
        self.sockets.append(ws)  # not connected to any server: open until closed here

    def close(self) -> None:
        for ws in self.sockets:
            ws.close(code=1006, reason="gone")


class Pings:
    """The pings on their way: a test moves the clock on only once they have been answered."""

    def __init__(self, ctx: BrowserContext) -> None:
        self.waiting = self.missed = 0
        self.held: set[str] = set()  # pings a silent server took and never answered
        ctx.on("request", lambda r: self.count(r.url, 1))
        ctx.on("requestfinished", lambda r: self.count(r.url, -1))
        ctx.on("requestfailed", lambda r: self.count(r.url, -1))

    def count(self, url: str, step: int) -> None:
        if "alive=" in url:
            self.waiting += step
            # (Chromium reports an answered HEAD request as failed too: only held ones count.)
            self.missed += step < 0 and url in self.held


@pytest.fixture
def device(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 360, "height": 640})
    ctx.kernel = Kernel(ctx)  # type: ignore[attr-defined]
    ctx.pings = Pings(ctx)  # type: ignore[attr-defined]
    yield ctx
    ctx.close()


def kernel_of(page: Page) -> Kernel:
    kernel: Kernel = page.context.kernel  # type: ignore[attr-defined]
    return kernel


def paused_clock(page: Page) -> None:
    """Fake time that moves only when the test moves it. An installed clock also runs on by
    itself, as real time passes: on a loaded machine the seconds between two steps pushed a
    deadline test past its deadline (an alert 'before' 30 s)."""
    page.clock.install()
    page.clock.pause_at(time.time() + 60)  # ahead of the clock, however slow this step


def advance(page: Page, ms: int, answered: bool = True) -> None:
    """Move the page's clock on in half-second steps. With ``answered``, each step waits for the
    pings on their way to be answered by the local server first: in fake time a busy machine's
    real answer would otherwise come after the ping's deadline and count as a miss."""
    pings: Pings = page.context.pings  # type: ignore[attr-defined]
    for _ in range(ms // 500):
        # No cap of a few seconds: on a loaded machine the local server answered later than
        # that, the clock moved on and the page rightly counted a missed ping (and said so).
        deadline = time.monotonic() + 60
        while answered and pings.waiting > 0:
            assert time.monotonic() < deadline, "a ping went unanswered for 60 s"
            page.wait_for_timeout(10)  # lets Playwright deliver the request events
        page.clock.run_for(500)


def until_missed(page: Page, pings: Pings, n: int) -> None:
    """Move the clock on until the page gave up ``n`` pings the silent server held (each after
    its deadline; at most 10 s)."""
    for _ in range(20):
        if pings.missed >= n:
            return
        page.clock.run_for(500)
        page.wait_for_timeout(25)  # lets Playwright deliver the failed request's event
    raise AssertionError(f"{pings.missed} pings missed, not {n}")


def server_down(page: Page, hang: bool = False) -> None:
    """The pings find no server (refused), or one that never answers (``hang``)."""

    def no_answer(route: Route) -> None:
        if hang:
            page.context.pings.held.add(route.request.url)  # type: ignore[attr-defined]
        else:
            route.abort("connectionrefused")

    page.route(lambda url: "alive=" in url, no_answer)


def server_up(page: Page) -> None:
    """The pings are answered again (a later route wins over earlier ones)."""
    page.route(lambda url: "alive=" in url, lambda route: route.continue_())


def open_app(page: Page, site: str, query: str = "") -> None:
    page.goto(f"{site}/app.html" + (f"?{query}" if query else ""))
    expect(page.locator(".kit-app")).to_be_visible()


# ----------------------------------------------------------------------------- deadlines


def test_a_page_that_never_renders_says_so_after_ninety_seconds(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    paused_clock(page)
    page.goto(f"{site}/app.html?norender=1&lang=en")
    page.clock.run_for(89_000)
    expect(page.locator(".kit-page-alert")).to_have_count(0)
    page.clock.run_for(2_000)
    alert = page.locator(".kit-page-slow")
    expect(alert).to_contain_text("still not ready after a minute and a half")
    assert alert.get_attribute("role") == "alert" and alert.get_attribute("lang") == "en"
    expect(alert.get_by_role("button", name="Reload the page")).to_be_focused()
    expect(page.locator("#loading")).to_be_hidden()


def test_a_page_without_its_app_says_so_after_thirty_seconds(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    paused_clock(page)
    page.goto(f"{site}/blank.html")
    advance(page, 1_000)  # the page renders, the script sees it: the deadline runs from here
    expect(page.locator("#rendered_cells")).to_be_visible()
    advance(page, 28_000)
    expect(page.locator(".kit-page-alert")).to_have_count(0)
    advance(page, 2_500)
    expect(page.locator(".kit-page-blank")).to_contain_text("niet volledig geladen")
    with page.expect_navigation():
        page.get_by_role("button", name="Pagina opnieuw laden").click()


def test_a_dead_kernel_is_said_and_the_page_stops_taking_clicks(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    open_app(page, site)
    page.evaluate(
        "document.querySelector('.kit-scale').classList.add('jupyter-widgets-disconnected')"
    )
    expect(page.locator(".kit-page-lost")).to_contain_text("verbinding met de server is verbroken")
    assert page.evaluate("document.body.classList.contains('kit-lost')")
    expect(page.get_by_role("button", name="Pagina opnieuw laden")).to_be_focused()


def test_the_dashboard_heartbeat_beats_only_while_visible(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    page.clock.install()
    open_app(page, site)
    advance(page, 6_000)
    beats = page.evaluate("window.beats.length")
    assert beats >= 1
    advance(page, 10_000)
    assert page.evaluate("window.beats.length") >= beats + 2
    page.evaluate("Object.defineProperty(document, 'visibilityState', {get: () => 'hidden'})")
    quiet = page.evaluate("window.beats.length")
    advance(page, 20_000)
    assert page.evaluate("window.beats.length") == quiet


def test_a_message_for_the_learner_shows_at_the_bottom(device: BrowserContext, site: str) -> None:
    page = device.new_page()
    open_app(page, site)
    page.evaluate(
        "document.querySelector('.kit-app').insertAdjacentHTML('beforeend',"
        ' \'<div class="kit-toast"><p class="kit-error">Sessie gesloten</p></div>\')'
    )
    expect(page.locator("#kit-page-toast")).to_have_text("Sessie gesloten")
    page.evaluate("document.querySelector('.kit-app .kit-toast').remove()")
    expect(page.locator("#kit-page-toast")).to_have_count(0)


# ----------------------------------------------------------------------------- identity


def test_a_joined_participant_is_remembered_and_written_into_the_url(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    open_app(page, site, "session=k7q2mx&lang=nl")
    page.evaluate(
        "document.querySelector('.kit-app').insertAdjacentHTML('beforeend',"
        ' \'<span class="kit-identity" data-session="K7Q2MX" data-token="ABCDEFGH"'
        ' data-lang="en"></span>\')'
    )
    expect(page).to_have_url(re.compile(r"session=K7Q2MX&lang=en&p=ABCDEFGH$"))
    assert page.evaluate("localStorage.getItem('implementatiekit:K7Q2MX')") == "ABCDEFGH"
    assert page.evaluate("window.kernelGot") == []  # the URL carried no token: nothing handed


def test_a_remembered_participant_is_handed_to_the_kernel_once(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    page.goto(f"{site}/app.html?norender=1")
    page.evaluate("localStorage.setItem('implementatiekit:K7Q2MX', 'ABCDEFGH')")
    open_app(page, site, "session=k7q2-mx")  # the code as typed or scanned
    page.wait_for_function("window.kernelGot.length > 0")
    page.wait_for_timeout(1_200)  # two more ticks of the script: no second hand-over
    assert page.evaluate("window.kernelGot") == ["K7Q2MX:ABCDEFGH"]
    # A link that carries the personal code already: nothing from the device.
    page.goto(f"{site}/app.html?session=K7Q2MX&p=ZZZZZZZZ")
    expect(page.locator(".kit-app")).to_be_visible()
    page.wait_for_timeout(1_200)
    assert page.evaluate("window.kernelGot") == []


def test_forget_drops_the_participant_before_anything_is_handed_over(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    page.goto(f"{site}/app.html?norender=1")
    page.evaluate("localStorage.setItem('implementatiekit:K7Q2MX', 'ABCDEFGH')")
    page.evaluate("localStorage.setItem('implementatiekit:OTHER1', 'KEEPKEEP')")
    open_app(page, site, "session=K7Q2MX&p=ABCDEFGH&lang=en&forget=1")
    expect(page).to_have_url(re.compile(r"/app\.html\?session=K7Q2MX&lang=en$"))
    assert page.evaluate("localStorage.getItem('implementatiekit:K7Q2MX')") is None
    assert page.evaluate("localStorage.getItem('implementatiekit:OTHER1')") == "KEEPKEEP"
    page.wait_for_timeout(1_200)
    assert page.evaluate("window.kernelGot") == []
    # A reload does not forget again, and a participant joining now is remembered.
    page.evaluate("localStorage.setItem('implementatiekit:K7Q2MX', 'NEWTOKEN')")
    page.reload()
    page.wait_for_function("window.kernelGot.length > 0")
    assert page.evaluate("window.kernelGot") == ["K7Q2MX:NEWTOKEN"]


# ----------------------------------------------------------------------------- a lost server


def test_a_silent_server_is_noticed_after_two_missed_pings(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    page.clock.install()
    open_app(page, site, "session=K7Q2MX&p=ABCDEFGH&lang=en")
    advance(page, 5_000)  # pings answered: all well
    expect(page.locator(".kit-page-alert")).to_have_count(0)
    server_down(page, hang=True)  # a server that takes requests but never answers
    pings: Pings = device.pings  # type: ignore[attr-defined]
    until_missed(page, pings, 1)  # one ping missed its deadline: could be a busy moment
    expect(page.locator(".kit-page-offline")).to_have_count(0)
    until_missed(page, pings, 2)  # the next one too
    offline = page.locator(".kit-page-offline")
    expect(offline).to_contain_text("No connection to the server")
    assert offline.get_attribute("role") == "alert"
    expect(page.locator(".kit-saved")).to_be_hidden()
    expect(offline).to_be_in_viewport()


def test_a_slow_server_with_the_websocket_open_costs_no_reload(
    device: BrowserContext, site: str
) -> None:
    """Thirty kernels building at once on a loaded laptop: two pings miss their deadline, the
    page says the connection is lost; the kernel's websocket never closed, so when the server
    answers again the page carries on (seen in the 30-phone bench on PostgreSQL: a phone that
    reloaded cost itself its kernel and the busy server another one to start)."""
    page = device.new_page()
    page.clock.install()
    open_app(page, site, "session=K7Q2MX&p=ABCDEFGH&lang=en")
    page.wait_for_function("window.socket && window.socket.readyState === 1")
    page.evaluate("window.notReloaded = true")  # gone after any reload
    server_down(page, hang=True)
    pings: Pings = device.pings  # type: ignore[attr-defined]
    until_missed(page, pings, 2)
    expect(page.locator(".kit-page-offline")).to_contain_text("No connection to the server")
    page.locator(".kit-statement-z input").nth(1).check()  # answered meanwhile
    server_up(page)
    advance(page, 3_000)
    again = page.locator(".kit-page-again")
    expect(again).to_have_text(
        "The connection is back. What you answered meanwhile has been sent.OK"
    )
    assert again.get_attribute("role") == "status"
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator(".kit-page-offline")).to_have_count(0)
    expect(page.locator(".kit-saved")).to_be_visible()  # the bar may say "saved" again
    expect(page.locator(".kit-statement-z input").nth(1)).to_be_checked()
    page.get_by_role("button", name="OK").click()
    expect(page.locator(".kit-page-alert")).to_have_count(0)
    # Lost again later, this time with the kernel gone: the reload still comes.
    server_down(page)
    kernel_of(page).close()
    expect(page.locator(".kit-page-offline")).to_be_visible()
    with page.expect_navigation(timeout=10_000):
        server_up(page)
        advance(page, 3_000, answered=False)


def test_a_closed_websocket_and_one_refused_ping_are_enough(
    device: BrowserContext, site: str
) -> None:
    page = device.new_page()
    # Time stands still: no ping comes by itself, so only the closing socket can ask. (A real
    # clock and a 1.5 s deadline stood for this, and a run at load 19 took longer to draw.)
    page.clock.install()  # runs on as real time does, until it is paused below
    kernel = kernel_of(page)
    open_app(page, site, "session=K7Q2MX&p=ABCDEFGH")
    page.wait_for_function("window.socket && window.socket.readyState === 1")
    page.clock.pause_at(page.evaluate("Date.now()") + 10)
    # A ping already on its way would hold the urgent one back (one at a time), and in paused
    # time its deadline never comes: wait until the live server has answered it.
    pings: Pings = device.pings  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while pings.waiting > 0:
        assert time.monotonic() < deadline, "a ping went unanswered for 60 s"
        page.wait_for_timeout(10)
    server_down(page)
    kernel.close()
    # No waiting for the next ping: the closing socket asks at once.
    expect(page.locator(".kit-page-offline")).to_contain_text("Geen verbinding met de server")


def test_a_server_that_answers_with_an_error_is_there(device: BrowserContext, site: str) -> None:
    page = device.new_page()
    page.clock.install()
    open_app(page, site)
    page.route(lambda url: "alive=" in url, lambda route: route.fulfill(status=404, body="no"))
    advance(page, 12_000)
    expect(page.locator(".kit-page-alert")).to_have_count(0)


def test_kept_answers_come_back_after_the_server(device: BrowserContext, site: str) -> None:
    page = device.new_page()
    open_app(page, site, "session=K7Q2MX&p=ABCDEFGH")
    page.wait_for_function("window.socket && window.socket.readyState === 1")
    page.locator(".kit-statement-z input").nth(1).check()  # saved before the loss
    server_down(page)
    kernel_of(page).close()
    expect(page.locator(".kit-page-offline")).to_be_visible()
    expect(page.locator(".kit-saved")).to_be_hidden()
    page.evaluate("window.kernelAlive = false")  # what is answered now reaches no kernel
    page.locator(".lm-TabBar-tab").nth(1).dispatch_event("pointerdown")
    page.locator(".kit-choice select").select_option("Tweede")
    page.locator(".kit-agree input").check()
    page.locator(".kit-acc .jupyter-widget-Collapse-header").nth(1).click()
    page.locator(".kit-statement-b input").nth(2).check()
    name = page.locator(".widget-text:not(.kit-identity-in):not(.kit-heartbeat) input")
    name.fill("Merel")  # still typing (no "change" yet) when the server comes back
    kept = page.locator(".kit-page-kept")
    expect(kept).to_have_text("5 antwoorden wachten op dit toestel.")
    # The server is back: the page reloads by itself, and puts back what the store lacks.
    with page.expect_navigation(timeout=10_000):
        server_up(page)
    restored = page.locator(".kit-page-restored")
    expect(restored).to_contain_text("4 antwoorden teruggezet en opgeslagen.", timeout=20_000)
    assert restored.get_attribute("role") == "status"
    expect(page.locator(".kit-statement-b input").nth(2)).to_be_checked()
    expect(page.locator(".kit-agree input")).to_be_checked()
    expect(page.locator(".kit-choice select")).to_have_value("Tweede")
    expect(name).to_have_value("Merel")
    page.locator(".lm-TabBar-tab").nth(0).dispatch_event("pointerdown")
    expect(page.locator(".kit-statement-z input").nth(1)).to_be_checked()
    stored = page.evaluate("JSON.parse(localStorage.getItem('fake-store'))")
    assert stored == {"z": "1 · Een beetje", "b": "2 · Grotendeels"}
    page.get_by_role("button", name="OK").click()
    expect(page.locator(".kit-page-alert")).to_have_count(0)
    # Nothing is put back twice: the kept answers are gone once restored, and an answer given
    # since (the server answering) is not put back by a reload of the participant's own.
    page.locator(".kit-statement-z input").nth(0).check()
    page.reload()
    expect(page.locator(".kit-app")).to_be_visible()
    page.wait_for_timeout(1_000)
    expect(page.locator(".kit-page-alert")).to_have_count(0)


def test_what_cannot_be_put_back_is_named(device: BrowserContext, site: str) -> None:
    page = device.new_page()
    kernel = kernel_of(page)
    open_app(page, site, "lang=en")  # self-study: no session bar
    page.wait_for_function("window.socket && window.socket.readyState === 1")
    server_down(page)
    kernel.close()
    expect(page.locator(".kit-page-offline")).to_be_visible()
    page.locator(".kit-statement-z input").nth(1).check()
    # The new page has no such option any more (the content changed meanwhile).
    page.route(
        re.compile(r"/app\.html"),
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body=PAGE.format(cells="", fake=FAKE.replace("1 · Een beetje", "1 · Enigszins")),
        ),
    )
    with page.expect_navigation(timeout=10_000):
        server_up(page)
    redo = page.locator(".kit-page-redo")
    expect(redo).to_contain_text(
        "This could not be put back. Please answer it again:", timeout=20_000
    )
    expect(redo.locator("li")).to_have_text(["1 · Start › Stelling Z: 1 · Een beetje"])
    assert redo.get_attribute("role") == "alert"


# ----------------------------------------------------------------------------- the page for AT


def test_lang_title_and_main_follow_the_app(device: BrowserContext, site: str) -> None:
    """<html lang> from ?lang= before the app renders, then from the app's language switch
    (data-lang), with the title (data-title); the rendered app is the one main landmark; the
    language buttons carry their own language."""
    page = device.new_page()
    page.goto(f"{site}/app.html?lang=en&norender=1")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_app(page, site)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#rendered_cells")).to_have_attribute("role", "main")
    expect(page.locator("main, [role=main]")).to_have_count(1)
    page.evaluate(
        "document.querySelector('.kit-app').insertAdjacentHTML('beforeend',"
        ' \'<div class="kit-lang"><button>NL</button><button>EN</button></div>'
        '<span class="kit-identity" data-session="" data-token="" data-lang="en"'
        ' data-title="Core and shell · Implementation kit"></span>\')'
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title("Core and shell · Implementation kit")
    expect(page.locator(".kit-lang button").nth(0)).to_have_attribute("lang", "nl")
    expect(page.locator(".kit-lang button").nth(1)).to_have_attribute("lang", "en")
    page.evaluate(
        "var s = document.querySelector('.kit-identity'); s.setAttribute('data-lang', 'nl');"
        " s.setAttribute('data-title', 'Kern en schil · Implementatiekit');"
    )
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page).to_have_title("Kern en schil · Implementatiekit")


def test_a_scrolling_text_gets_a_tab_stop(device: BrowserContext, site: str) -> None:
    """A box that scrolls and holds no control can be scrolled by keyboard: it gets a tab stop.
    A scrolling box with a control in it (reached by Tab already) and a box that does not
    scroll get none."""
    page = device.new_page()
    open_app(page, site)
    page.evaluate(
        """document.querySelector('.kit-app').insertAdjacentHTML('beforeend',
          '<div class="kit-narrative" style="max-height: 60px; overflow: auto">' +
          '<p style="height: 400px">Een lange casus</p></div>' +
          '<div class="kit-with-button" style="max-height: 60px; overflow: auto">' +
          '<p style="height: 400px"><button>Knop</button></p></div>' +
          '<div class="kit-short" style="max-height: 60px; overflow: auto"><p>Kort</p></div>')"""
    )
    expect(page.locator(".kit-narrative")).to_have_attribute("tabindex", "0")
    page.locator(".kit-app button").first.focus()
    page.wait_for_timeout(2500)  # two checks of the scrolling boxes
    assert page.locator(".kit-with-button").get_attribute("tabindex") is None
    assert page.locator(".kit-short").get_attribute("tabindex") is None


def test_a_lang_set_by_another_script_is_put_back(device: BrowserContext, site: str) -> None:
    """Voila's script sets <html lang> to JupyterLab's locale ("en") once loaded: the page's
    language wins."""
    page = device.new_page()
    open_app(page, site, "lang=nl")
    page.evaluate("document.documentElement.lang = 'en'")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
