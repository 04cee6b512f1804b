"""The trainer's two room pages by keyboard only (issue 23): the projector (presentatie.ipynb)
is opened by its code, and the remote (leiden.ipynb) opens the session with its key, starts the
workshop, moves forward and back, moderates the wall of open answers while answers come in,
closes and opens answering, shows and reveals a poll, jumps to the end and hands the room back.
The projector follows every step; it has no controls of its own (anyone may open it), so moving
through the steps is the remote's work.

One page per app, walked once: only Tab, Shift+Tab, Enter, Space and the arrow keys (and typed
letters in text fields). After each step the test says where focus is and that it can be seen
(``visible``: in view, with an outline or a focus shadow); the remote's tab order is checked
once, round the whole page, so nothing is trapped and nothing is only reachable by mouse."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from kit.content import default_content
from kit.led import Led
from kit.storage import Store
from tests.conftest import VoilaServer
from tests.test_browser_keyboard import focus, focus_on, press, tab_to, visible
from tests.test_browser_phases import open_app

#: What a tab stop of the remote is: the first kit-remote-… class (or kit-lang) on it or around it.
STOP_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  for (let el = e; el; el = el.parentElement) {
    const name = Array.from(el.classList || []).find(
      c => (c.startsWith('kit-remote-') && c !== 'kit-remote-button') || c === 'kit-lang');
    if (name) return name;
  }
  return e.tagName.toLowerCase();
}"""
#: How long the projector may take to follow the remote on a loaded machine.
FOLLOW = 20_000


def stop(page: Page) -> str | None:
    """The remote's control that has focus (None: the page itself, past its last stop)."""
    found: str | None = page.evaluate(STOP_JS)
    return found


def on(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => !!document.activeElement.closest(s)", selector))


def enter_on(page: Page, selector: str, key: str = "Tab") -> dict[str, Any]:
    """Tab (or Shift+Tab) to ``selector`` unless focus is on it, press Enter; focus is still
    there, visibly."""
    if not on(page, selector):
        tab_to(page, selector, key)
    press(page, "Enter")
    assert on(page, selector), f"Enter on {selector} moved focus to {focus(page)}"
    return visible(focus(page))


def test_the_trainer_leads_the_room_by_keyboard(
    page: Page, context: BrowserContext, voila_server: VoilaServer
) -> None:
    content = default_content()
    agenda = content.agenda("workshop")
    store = Store(voila_server.db_url)
    info, key = store.create_session("Toetsenbordkamer", "buurtkracht", "samen-sterk")
    people = [store.join(info.code, alias) for alias in ("Merel", "Daan", "Sam")]
    led = Led(store, content, info.code)
    steps = [s.id for s in agenda.steps]
    plank = agenda.steps[steps.index("plank")]  # the first open poll: a wall to moderate

    # The projector, opened by its code: the code field, "Toon", then the session's title.
    projector = context.new_page()
    projector.set_viewport_size({"width": 1366, "height": 768})
    open_app(projector, voila_server, "presentatie.ipynb")
    tab_to(projector, ".kit-presenter-code input")
    # No wait after typing: a field sends its text once, as Tab leaves it, before the click.
    projector.keyboard.type(info.code.lower())
    found = tab_to(projector, ".kit-presenter-show")
    assert found["text"] == "Toon", found
    press(projector, "Enter")
    found = focus_on(projector, ".kit-presenter-title")
    assert found["text"] == "Toetsenbordkamer", found
    # The join link keeps focus while the count below it changes (the view is drawn anew).
    found = tab_to(projector, "a.kit-join-link")
    assert found["text"].endswith(info.code), found
    store.join(info.code, "Laatkomer")
    expect(projector.locator(".kit-presenter-count")).to_contain_text("4", timeout=FOLLOW)
    focus_on(projector, "a.kit-join-link")

    # The remote: the code is filled in from the link, the key is typed, "Openen". What the
    # page sends its kernel is watched: a list's choice goes as {"index": n}.
    sent: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framesent",
            lambda data: sent.append(
                data if isinstance(data, str) else data.decode("utf-8", "replace")
            ),
        ),
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "leiden.ipynb", f"session={info.code}")
    tab_to(page, ".kit-lead-key input")
    page.keyboard.type(key)
    enter = tab_to(page, ".kit-lead-open")
    assert enter["text"] == "Openen", enter
    press(page, "Enter")
    # Focus on the opened session's heading, not back at the top of the page.
    found = focus_on(page, ".kit-remote .kit-session-title")
    assert found["text"] == f"Toetsenbordkamer · {info.code}", found

    # Choose the workshop (the second agenda) with an arrow key, then "Leid deze sessie".
    tab_to(page, ".kit-lead-agenda select")
    press(page, "ArrowDown")
    expect(page.locator(".kit-lead-agenda select")).to_have_value(
        f"{agenda.name('nl')} ({agenda.minutes} min)"
    )
    tab_to(page, ".kit-lead-start")
    press(page, "Enter")
    expect(page.locator(".kit-remote-title")).to_have_text(agenda.steps[0].title("nl"))
    focus_on(page, ".kit-remote .kit-session-title")
    expect(projector.locator(".kit-room-title")).to_have_text(
        agenda.steps[0].title("nl"), timeout=FOLLOW
    )

    # The tab order, once round the page: the controls in reading order, the language switch,
    # and back to the first; Previous is left out on the first step (there is none before it).
    order: list[str | None] = []
    for _ in range(20):
        press(page, "Tab")
        order.append(stop(page))
        if order[-1] is not None:
            visible(focus(page))
        if len(order) > 1 and order[-1] == order[0]:
            break
    assert [s for s in order if s is not None] == [
        "kit-remote-next",
        "kit-remote-outline",
        "kit-remote-jump",
        "kit-remote-mode",
        "kit-remote-other",
        "kit-remote-projector",
        "kit-lang",
        "kit-lang",
        "kit-remote-next",
    ], order
    assert order.count(None) <= 1, order  # the browser's own stop past the page's last

    # Next: the open poll. Two answers come in and show on the wall.
    enter_on(page, ".kit-remote-next")
    expect(page.locator(".kit-remote-title")).to_have_text(plank.title("nl"))
    expect(projector.locator(".kit-room-title")).to_have_text(plank.title("nl"), timeout=FOLLOW)
    led.vote(people[0].participant, plank.id, "Geen tijd")
    led.vote(people[1].participant, plank.id, "Te weinig geld")
    expect(page.locator(".kit-remote-moderate")).to_have_count(2, timeout=FOLLOW)

    # Hide "Geen tijd": focus stays on that answer's button, which now shows it again.
    found = tab_to(page, ".kit-remote-moderate")
    mine = "() => document.activeElement.getAttribute('title') || ''"
    assert "Geen tijd" in page.evaluate(mine), found
    press(page, "Enter")
    expect(page.locator(".kit-remote-answer.is-hidden")).to_contain_text("Geen tijd")
    found = focus_on(page, ".kit-remote-moderate")
    assert found["text"] == "Weer tonen" and "Geen tijd" in page.evaluate(mine), found
    # A third answer moves "Te weinig geld ×2" to the top: the wall is drawn anew under the
    # trainer's focus, which stays on the same answer's button.
    led.vote(people[2].participant, plank.id, "te weinig  geld")
    expect(page.locator(".kit-remote-wall-row").first).to_contain_text("×2", timeout=FOLLOW)
    found = focus_on(page, ".kit-remote-moderate")
    assert found["text"] == "Weer tonen" and "Geen tijd" in page.evaluate(mine), found

    # On to the poll with a right answer: close answering, open it again, show, reveal.
    fase = agenda.steps[steps.index("fase-poll")]
    for _ in range(steps.index("fase-poll") - steps.index("plank")):
        enter_on(page, ".kit-remote-next", "Shift+Tab")
    expect(page.locator(".kit-remote-title")).to_have_text(fase.title("nl"))
    expect(projector.locator(".kit-room-title")).to_have_text(fase.title("nl"), timeout=FOLLOW)
    answering = page.locator(".kit-remote-answering")
    found = enter_on(page, ".kit-remote-answering")
    expect(answering).to_have_text("Antwoorden openen")
    expect(projector.locator(".kit-room-state.is-closed")).to_be_visible(timeout=FOLLOW)
    press(page, "Enter")
    expect(answering).to_have_text("Antwoorden sluiten")
    expect(projector.locator(".kit-room-state.is-open")).to_be_visible(timeout=FOLLOW)
    enter_on(page, ".kit-remote-results")
    expect(projector.locator(".kit-room-results")).to_be_visible(timeout=FOLLOW)
    expect(projector.locator(".kit-room-answer")).to_have_count(0)
    enter_on(page, ".kit-remote-reveal")
    expect(page.locator(".kit-remote-reveal")).to_have_text("Antwoord weer verbergen")
    expect(projector.locator(".kit-room-answer")).to_be_visible(timeout=FOLLOW)

    # Back to the first step. There Previous is disabled under focus: focus goes to Next,
    # beside it, not to the top of the page.
    for _ in range(steps.index("fase-poll") - 1):
        enter_on(page, ".kit-remote-previous", "Shift+Tab")
    tab_to(page, ".kit-remote-previous", "Shift+Tab")
    press(page, "Enter")
    expect(page.locator(".kit-remote-title")).to_have_text(agenda.steps[0].title("nl"))
    expect(page.locator(".kit-remote-previous")).to_be_disabled()
    focus_on(page, ".kit-remote-next")

    # The outline: arrow keys choose the second-last step, "Ga" jumps there. The choice goes to
    # the kernel once, as the keyboard leaves the list: sent on every arrow key, the last ones
    # were still held back when "Ga" (sent at once) arrived, and the room jumped short.
    def choices() -> int:
        return sum(1 for frame in sent if re.search(r'"index":\s*\d', frame))

    tab_to(page, ".kit-remote-outline select")
    before = choices()
    for _ in range(len(steps) - 2):
        press(page, "ArrowDown")
    expect(page.locator(".kit-remote-outline select")).to_have_value(
        re.compile(rf"^{len(steps) - 1}\. ")
    )
    assert choices() == before, "the list sent its choice before the keyboard left it"
    enter_on(page, ".kit-remote-jump")
    assert choices() == before + 1
    second_last = agenda.steps[-2].title("nl")
    expect(page.locator(".kit-remote-title")).to_have_text(second_last)
    expect(projector.locator(".kit-room-title")).to_have_text(second_last, timeout=FOLLOW)
    # Next to the last step: Next is disabled under focus, focus goes to Previous.
    tab_to(page, ".kit-remote-next", "Shift+Tab")
    press(page, "Enter")
    expect(page.locator(".kit-remote-title")).to_have_text(agenda.steps[-1].title("nl"))
    expect(page.locator(".kit-remote-next")).to_be_disabled()
    focus_on(page, ".kit-remote-previous")

    # The end: the room is handed back; the projector shows the code and the QR code again.
    found = enter_on(page, ".kit-remote-mode")
    expect(page.locator(".kit-remote-mode")).to_have_text("Neem de leiding weer")
    expect(projector.locator(".kit-presenter-qr svg")).to_be_visible(timeout=FOLLOW)
    room = led.room()
    assert room is not None and room.mode == "free" and room.step == len(steps) - 1
    assert room.hidden_of(plank.id) == {"geen tijd"}
    assert fase.id in room.revealed  # what was revealed stays revealed
