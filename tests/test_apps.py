"""App behaviour in the kernel, without a browser: widgets are driven through their values."""

from __future__ import annotations

import datetime as dt
import io

import ipywidgets as w
import pytest
from pypdf import PdfReader

from kit import quickscan, reports
from kit.answers import DONT_KNOW, Adaptations, ScanAnswers
from kit.apps.common import Ctx, Status, guarded
from kit.apps.kern_app import build_kern
from kit.apps.quickscan_app import build_quickscan
from kit.content import default_content
from kit.group import Memory


def ctx(lang: str = "nl") -> Ctx:
    return Ctx(default_content(), lang, Status(), Memory())


def find(widget: w.Widget, cls: str) -> w.Widget:
    """The first widget in the tree carrying ``cls`` (its kit-* class)."""
    if cls in getattr(widget, "_dom_classes", ()):
        return widget
    for child in getattr(widget, "children", ()):
        found = find(child, cls)
        if found is not None:
            return found
    return None


def test_guarded_callback_shows_and_logs_errors(caplog: pytest.LogCaptureFixture) -> None:
    status = Status()

    @guarded(status, "Er ging iets mis")
    def boom(_: object) -> None:
        raise ValueError("kapot")

    boom(None)
    assert "Er ging iets mis" in status.value and 'role="alert"' in status.value
    # The exception's own words go to the log only, under the reference the page shows.
    assert "kapot" not in status.value and "ValueError" not in status.value
    ref = status.value.rsplit("ref. ", 1)[1][:4]
    assert f"[ref {ref}] callback boom failed" in caplog.text
    assert "ValueError: kapot" in caplog.text


def test_quickscan_answers_update_chart_and_advice() -> None:
    c = ctx()
    view = build_quickscan(c).view
    view.perspective.value = "organisatie"
    view.case.value = "schuldmaatjes"
    view.show_charts(True)  # the result tab is open
    first_chart, first_advice = view.phase_img.value, view.advice.value
    assert "<img" in first_chart
    ids = [s.id for s in c.content.instrument.statements_for(view.perspective.value)]
    for sid in ids[:6]:
        view.answer(sid, 0)
    assert view.phase_img.value != first_chart and view.advice.value != first_advice
    assert "Begin bij fase 0" in view.advice.value
    # Issue 19: each point and the weak ones together in MIDI's terms; both marks counted.
    assert "MIDI-determinant: Verenigbaarheid met werkwijze en waarden (innovatie)" in (
        view.advice.value
    )
    assert 'class="kit-midi-summary">In MIDI (Fleuren e.a. 2014) meten' in view.advice.value
    view.answer(ids[6], DONT_KNOW)
    assert "Weet niet: 1; niet van toepassing: 0." in view.progress_text.value
    assert view.progress.value == 7
    saved = c.memory.find(ScanAnswers, perspective="organisatie", case="schuldmaatjes")
    assert saved is not None and saved.values[ids[0]] == 0 and len(saved.values) == 7
    assert c.status.value == ""


def test_quickscan_pdf_has_expected_pages() -> None:
    c = ctx("en")
    view = build_quickscan(c).view
    for sid in [s.id for s in c.content.instrument.statements_for(view.perspective.value)][:10]:
        view.answer(sid, 1)
    data = reports.quickscan_pdf(c, view.perspective.value, view.current_case(), view.answers)
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    factor_page = " ".join((reader.pages[1].extract_text() or "").split())
    assert "In MIDI (Fleuren et al. 2014) 5 weak statements measure the determinants" in (
        factor_page
    )
    # Chart, phase x factor view, advice with what it rests on (the factor groups and the
    # case's sentences behind five weak statements: three pages); then the 35 statements at
    # 15 a page (3 pages).
    assert len(c.content.instrument.statements_for(view.perspective.value)) == 35
    assert pages == 8
    assert "What the advice rests on" in (reader.pages[2].extract_text() or "")


def _upload(box: w.Widget, name: str, data: bytes) -> None:
    find(box, "kit-tabs").selected_index = 3  # the files tab is built when opened
    upload = find(box, "kit-load-answers")
    upload.value = (
        {
            "name": name,
            "type": "application/json",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime.now(dt.UTC),
        },
    )


def test_broken_answers_file_overwrites_nothing() -> None:
    c = ctx("en")
    box = build_quickscan(c)
    view = box.view
    sid = next(iter(view._radios))
    view._radios[sid].value = 2
    _upload(box, "old.json", b'{"kind": "implementatiekit-quickscan", "instrument_version": "0.1"}')
    message = find(box, "kit-load-message").value
    assert "old.json was not loaded" in message and "another version" in message
    assert view.answers == {sid: 2}
    _upload(box, "junk.json", b"\x00\x01 nonsense")
    assert "not JSON" in find(box, "kit-load-message").value
    assert view.answers == {sid: 2}


def test_saved_answers_load_again() -> None:
    c = ctx()
    box = build_quickscan(c)
    view = box.view
    inst = c.content.instrument
    scan = ScanAnswers(
        perspective="ontwikkelaar",
        case="sterk-opvoeden",
        values={"ont-1-1": 3, "ont-1-2": DONT_KNOW},
    )
    text = quickscan.dump_answers(inst.version, scan, "x")
    _upload(box, "saved.json", text.encode())
    assert "2 antwoorden teruggezet" in find(box, "kit-load-message").value
    assert view.perspective.value == "ontwikkelaar" and view.case.value == "sterk-opvoeden"
    assert view.answers == {"ont-1-1": 3, "ont-1-2": DONT_KNOW}
    view._accordion.selected_index = 1  # the learner opens phase 1: the radios show the answers
    assert view._radios["ont-1-2"].value == DONT_KNOW and view._radios["ont-1-1"].value == 3
    assert c.memory.find(ScanAnswers, case="sterk-opvoeden") == scan  # saved as loaded


def test_quickscan_offers_three_perspectives_and_every_case_to_professionals() -> None:
    c = ctx()
    view = build_quickscan(c).view
    assert [label for label, _ in view.perspective.options] == [
        "Ontwikkelaar",
        "Uitvoerende organisatie",
        "Professional / uitvoerder",
    ]
    cases = lambda: [v for _, v in view.case.options]  # noqa: E731
    assert cases() == ["sterk-opvoeden", "__own__"]  # the developer's case
    view.perspective.value = "organisatie"
    assert cases() == ["buurtkracht", "schuldmaatjes", "__own__"]
    view.perspective.value = "professional"
    assert cases() == ["buurtkracht", "schuldmaatjes", "sterk-opvoeden", "__own__"]
    assert view.progress.max == 35  # the professional statements


def test_professional_case_is_compared_with_the_professional_reading() -> None:
    c = ctx()
    view = build_quickscan(c).view
    view.perspective.value = "professional"
    view.case.value = "schuldmaatjes"
    view.answer("pro-0-1", 3)  # the reading says 0: the social workers were not involved
    compare = view.compare.value
    assert "Uitvoerders zoals wij hebben meegedacht" in compare
    assert "Referentie: <b>0 · Helemaal niet</b>" in compare and "3 stappen verschil" in compare
    # The phase line sets the learner's 100% against the reading's 7 / 15 = 47%, and the
    # reasoning shown is the professional reading's, not the organisation's.
    assert "Jij: 100% · Referentie: 47%" in compare
    assert "niemand keek hoeveel tijd hun rol vraagt" in compare
    assert "vroegste zwakke fase - de maatschappelijk werkers zien niet" not in compare
    saved = c.memory.find(ScanAnswers, perspective="professional", case="schuldmaatjes")
    assert saved is not None and dict(saved.values) == {"pro-0-1": 3}
    # The same case under the organisation's perspective is a scan of its own.
    view.perspective.value = "organisatie"
    view.case.value = "schuldmaatjes"
    assert view.answers == {} and "org-0-1" in view._radios
    view.perspective.value = "professional"
    view.case.value = "schuldmaatjes"
    assert view.answers == {"pro-0-1": 3}


def test_professional_scan_pdf_has_expected_pages() -> None:
    c = ctx("en")
    view = build_quickscan(c).view
    view.perspective.value = "professional"
    view.case.value = "buurtkracht"
    for sid in ("pro-5-1", "pro-5-2", "pro-0-1"):
        view.answer(sid, 0)
    data = reports.quickscan_pdf(c, view.perspective.value, view.current_case(), view.answers)
    reader = PdfReader(io.BytesIO(data))
    # Chart, phase x factor view, advice with what it rests on and the comparison (two
    # pages); then the 35 professional statements at 15 a page: 15 + 15 + 5, three pages.
    # 2 + 2 + 3 = 7.
    assert len(reader.pages) == 7
    first = reader.pages[0].extract_text()
    assert "perspective Practitioner" in first and "version 3.1" in first
    advice = " ".join(page.extract_text() for page in reader.pages[2:4])
    assert "Compare with the reference" in advice and "Practitioners like us had a say" in advice


def test_a_case_without_a_reading_from_the_file_perspective_loads_as_own_situation() -> None:
    c = ctx()
    box = build_quickscan(c)
    view = box.view
    inst = c.content.instrument
    scan = ScanAnswers(perspective="organisatie", case="sterk-opvoeden", values={"org-0-1": 2})
    _upload(box, "odd.json", quickscan.dump_answers(inst.version, scan, "x").encode())
    assert (view.perspective.value, view.case_id) == ("organisatie", "__own__")
    assert view.answers == {"org-0-1": 2}


def test_kern_red_adaptation_and_summary() -> None:
    c = ctx("en")
    view = build_kern(c).view
    kern = next(e for e in view.item.elements if e.part == "kern" and not e.overrides)
    view.element.value = kern.id
    view.type.value = "remove"
    assert "kit-verdict-red" in view.preview.value
    view.add_proposal()
    assert "1 adaptation: ✓ 0 green" in view.summary.value and "✗ 1 red" in view.summary.value
    assert "kit-verdict-red" in view.listing.children[0].children[0].value
    [saved] = c.memory.records(Adaptations)
    assert saved.intervention == view.item.id
    assert [(p.element, p.type) for p in saved.proposals] == [(kern.id, "remove")]
    view.remove(0)
    assert "0 adaptations" in view.summary.value


def test_kern_verdict_shows_its_sources_and_an_addition_outside_core_time() -> None:
    """Issue 19: the preview folds out where the verdict comes from; an addition outside core
    time is chosen as its own element, saved, and comes back after a reload."""
    c = ctx()
    view = build_kern(c).view
    view.intervention.value = "samen-sterk"
    view.element.value = "theme-sequence"
    view.type.value = "reorder"
    html = view.preview.value
    assert "kit-verdict-red" in html
    assert "kernelement waarvan de volgorde de werking is" in html
    assert "<summary>Waar komt dit oordeel vandaan?</summary>" in html
    assert "Dit oordeel is een eigen afweging van de kit" in html
    assert 'href="https://doi.org/10.1007/s11121-021-01222-x"' in html
    assert "Balis 2021</a>: ! Oranje" in html and "(andere kleur dan de kit)" in html
    # The live region says the verdict, not the folded-away sources (kit-a11y.js: .kit-say).
    said = html.split('<details class="kit-sources">')[0]
    assert said.count('class="kit-say"') == 2 and "Dit oordeel rust op" in said
    assert "Balis" not in said
    assert ("Nieuw, buiten kerntijd (schil)", "new-outside-core") in view.element.options
    view.element.value = "new-outside-core"
    view.type.value = "add"
    assert "kit-verdict-green" in view.preview.value
    view.add_proposal()
    [saved] = c.memory.records(Adaptations)
    assert [(p.element, p.type) for p in saved.proposals] == [("new-outside-core", "add")]
    again = build_kern(Ctx(c.content, "nl", Status(), c.memory)).view
    again.intervention.value = "samen-sterk"
    assert [(p.element, p.type) for p in again.proposals] == [("new-outside-core", "add")]


def test_kern_exercise_tab_ends_with_the_discussion() -> None:
    box = build_kern(ctx("en"))
    tabs = box.children[-1]
    tabs.selected_index = 1
    discussion = find(box, "kit-discussion-box")
    assert "Who decides, on what evidence?" in discussion.value
    assert discussion.value.count("<li>") == 3


def test_kern_log_pdf() -> None:
    c = ctx()
    view = build_kern(c).view
    for element in view.item.elements[:3]:
        view.element.value = element.id
        view.type.value = "tailor"
        view.add_proposal()
    data = reports.kern_pdf(c, view.item, view.proposals)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_language_switch_keeps_answers() -> None:
    from kit.apps.kern_app import kern_app

    frame = kern_app(lang="nl")
    view = frame.body.children[0].view
    view.add_proposal()
    switch = find(frame, "kit-lang")
    switch.value = "en"
    view_en = frame.body.children[0].view
    assert view_en.ctx.lang == "en" and len(view_en.proposals) == 1


def test_phase_answer_feedback_and_memory_survive_language_switch() -> None:
    from kit.apps.phases_app import phases_app

    c = default_content()
    frame = phases_app(lang="nl")
    find(frame, "kit-tabs").selected_index = 1
    scenario = c.scenarios[0]
    right = c.phase(scenario.phase).number
    answer = find(frame, "kit-phase-answer")
    answer.value = (right + 2) % 6
    find(frame, "kit-check").click()
    assert "Niet helemaal" in find(frame, "kit-feedback-box").value
    assert "0 van de 1" in find(frame, "kit-score").value
    find(frame, "kit-lang").value = "en"
    find(frame, "kit-tabs").selected_index = 1
    assert find(frame, "kit-phase-answer").value == (right + 2) % 6
    assert "Not quite" in find(frame, "kit-feedback-box").value
    assert "0 of 1 scenarios" in find(frame, "kit-score").value


def test_language_switch_keeps_case_perspective_tab_and_answers() -> None:
    from kit.apps.quickscan_app import quickscan_app

    c = default_content()
    frame = quickscan_app(lang="nl")
    view = frame.body.children[0].view
    other = next(p.id for p in c.instrument.perspectives if p.id != view.perspective.value)
    view.perspective.value = other
    case = next(k.id for k in c.cases if k.perspective == other)
    view.case.value = case
    first = next(s for s in c.instrument.statements_for(other) if s.phase == c.phases[0].id)
    view.answer(first.id, 2)
    find(frame, "kit-tabs").selected_index = 2  # the comparison tab
    find(frame, "kit-lang").value = "en"
    view_en = frame.body.children[0].view
    assert view_en.ctx.lang == "en"
    assert (view_en.perspective.value, view_en.case_id) == (other, case)
    assert view_en.answers == {first.id: 2}
    assert find(frame, "kit-tabs").selected_index == 2
    assert find(frame, "kit-lang").value == "en"


def test_workshop_page_has_the_three_exercises_and_keeps_the_tab() -> None:
    from kit.apps.workshop import participant_page

    frame = participant_page(lang="nl")
    tabs = find(frame, "kit-workshop-tabs")
    assert [tabs.get_title(i) for i in range(3)] == [
        "1 · Fasen",
        "2 · Quickscan",
        "3 · Kern en schil",
    ]
    tabs.selected_index = 1
    assert find(frame, "kit-app-quickscan") is None  # the exercise sits inside, not framed again
    assert find(frame, "kit-perspective") is not None  # the quickscan was built on opening
    find(frame, "kit-lang").value = "en"
    tabs = find(frame, "kit-workshop-tabs")
    assert tabs.selected_index == 1 and tabs.get_title(2) == "3 · Core and shell"
    assert find(frame, "kit-session-bar") is not None  # the join form is open on this page
