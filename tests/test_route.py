"""The self-study route (issue 25 §1): progress per step from a learner's records, the next
step, the order of a sequence exercise, and the start page that shows them."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit import route
from kit.answers import Adaptations, PhaseGuess, Plan, PlanStep, Proposal, ScanAnswers
from kit.content import default_content
from kit.present.route import route_view
from kit.present.texts import Texts


def test_the_route_has_five_steps_with_times_goals_and_takeaways_in_both_languages() -> None:
    c = default_content()
    assert [s.id for s in c.route] == [
        "fasen",
        "quickscan-casus",
        "kern-en-schil",
        "plan",
        "eigen-situatie",
    ]
    for step in c.route:
        assert step.minutes >= 5 and step.goal("nl") != step.goal("en")
        assert len(step.takeaways) >= 2
        assert (Path(c.root).parent / "notebooks" / step.notebook).is_file()


def test_nothing_done_then_each_step_by_its_own_rule() -> None:
    c = default_content()
    steps = route.progress(c, [])
    assert [s.done for s in steps] == [False] * 5 and route.next_step(steps) is steps[0]
    scenarios = [s.id for s in c.scenarios]
    perspective = c.instrument.perspectives[0].id
    statements = [s.id for s in c.instrument.statements_for(perspective)]
    records = [PhaseGuess(scenario=i, first=0, last=0) for i in scenarios[:-1]]
    first = route.progress(c, records)[0]
    assert (first.count, first.needed, first.done) == (len(scenarios) - 1, len(scenarios), False)
    records.append(PhaseGuess(scenario=scenarios[-1], first=1, last=1))
    # A case's scan, complete but for one statement; the own situation's half.
    case_scan = ScanAnswers(
        perspective=perspective, case=c.cases[0].id, values={i: 1 for i in statements[:-1]}
    )
    own_scan = ScanAnswers(perspective=perspective, values={i: 2 for i in statements[:5]})
    records += [case_scan, own_scan]
    kern = Adaptations(
        intervention="x", proposals=tuple(Proposal(element="e", type=f"t{i}") for i in range(2))
    )
    records += [kern, Plan(perspective=perspective)]
    steps = route.progress(c, records)
    assert [s.done for s in steps] == [True, False, False, False, False]
    assert (steps[1].count, steps[1].needed) == (len(statements) - 1, len(statements))
    assert (steps[2].count, steps[2].needed) == (2, 3)
    assert steps[3].count == 0  # a plan without an activity is not a plan yet
    assert steps[4].count == 5
    records += [
        case_scan.answer(statements[-1], 3),
        kern.model_copy(update={"proposals": (*kern.proposals, Proposal(element="f", type="t"))}),
        Plan(perspective=perspective, steps=(PlanStep(activity="a"),)),
    ]
    steps = route.progress(c, records)
    assert [s.done for s in steps] == [True, True, True, True, False]
    assert route.next_step(steps) is steps[4]
    assert route.minutes(steps, done=False) == c.route[4].minutes


def test_progress_in_words_and_the_summary() -> None:
    c = default_content()
    records = [PhaseGuess(scenario=s.id, first=0, last=0) for s in c.scenarios[:4]]
    view = route_view(Texts(c, "nl"), records)
    assert view.steps[0].progress == f"4 van {len(c.scenarios)} teams geplaatst"
    assert view.steps[0].state == "started" and view.steps[1].state == "todo"
    total = sum(s.minutes for s in c.route)
    assert view.summary == f"0 van 5 stappen klaar · nog {total} minuten te gaan"
    assert view.next is view.steps[0]
    en = route_view(Texts(c, "en"), records)
    assert en.steps[0].progress == f"4 of {len(c.scenarios)} teams placed"
    assert en.steps[0].minutes == f"about {c.route[0].minutes} minutes"


def test_a_shuffled_order_is_the_learners_own_and_not_the_contents() -> None:
    ids = [s.id for s in default_content().scenarios]
    mine = route.shuffled(ids, "local:phases.which")
    assert mine == route.shuffled(ids, "local:phases.which")  # the same tomorrow
    assert sorted(mine) == sorted(ids) and mine != ids
    others = {tuple(route.shuffled(ids, f"hub-user:{n}:phases.which")) for n in range(20)}
    assert len(others) > 15  # another learner, another order


def test_the_start_page_shows_the_route_progress_and_the_trainer_pages_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.landing import start_page
    from kit.storage import own

    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    monkeypatch.setenv("KIT_OWN_STORE", "on")
    monkeypatch.setenv("KIT_OWN_URL", url)
    c = default_content()
    for s in c.scenarios:
        own.get_own_store(url).save("local", PhaseGuess(scenario=s.id, first=0, last=0))
    page = start_page(lang="nl")
    html = page.children[0].value
    assert "1 van 5 stappen klaar" in html and "✓ Klaar" in html
    assert "Volgende stap: 2. De quickscan op een casus" in html
    assert 'href="quickscan.ipynb"' in html  # in JupyterLab: the notebook next to it
    assert "Run All Cells" in html and 'href="../README.md"' in html
    route_part, trainer_part = html.split("Voor trainers en docenten")
    assert "groep.ipynb" not in route_part and "groep.ipynb" in trainer_part
    assert "leiden.ipynb" in trainer_part and "deelnemer.ipynb" in trainer_part
    assert "huiswerk.ipynb" in trainer_part and "huiswerk.ipynb" not in route_part
    # The completion summary: her name first, then a PDF that names her and her steps.
    form = page.children[-1]  # after the self-check
    button = next(c for c in form.children if "kit-completion-pdf" in c._dom_classes)
    link = next(c for c in form.children if "kit-completion-link" in c._dom_classes)
    button.click()
    assert "Vul eerst je naam in" in link.value
    next(c for c in form.children if "kit-completion-name" in c._dom_classes).value = " Merel  Uil "
    button.click()
    own._stores.pop(url).dispose()
    assert 'download="zelfstudie-merel-uil-' in link.value
    data = base64.b64decode(link.value.split("base64,", 1)[1].split('"', 1)[0])
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Samenvatting zelfstudie" in text and "Merel Uil" in text
    assert f"{len(c.scenarios)} van {len(c.scenarios)} teams geplaatst" in text
    assert "1 van 5 stappen klaar" in text


def test_group_prompts_become_questions_for_one_person_without_a_session() -> None:
    from kit.apps.common import Ctx, Status
    from kit.apps.quickscan_app import compare_html
    from kit.group import Memory
    from kit.storage import SessionInfo

    c = default_content()
    alone = Ctx(c, "nl", Status(), Memory())
    own = compare_html(alone, None, c.instrument.perspectives[0].id, {})
    assert "de drie stellingen waarover je het minst zeker bent" in own
    assert "meld dit aan de trainer" not in alone.t("error.callback")
    assert "tell the trainer" not in Ctx(c, "en", Status(), Memory()).t("error.callback")
    in_session = Memory(session=SessionInfo.__new__(SessionInfo))  # a session in the URL
    group = Ctx(c, "nl", Status(), in_session)
    assert "Vergelijk je antwoorden met die van collega&#x27;s" in compare_html(
        group, None, c.instrument.perspectives[0].id, {}
    )
    assert "meld dit aan de trainer" in group.t("error.callback")


def test_the_completion_summary_names_her_steps_results_scan_and_plan() -> None:
    import datetime as dt

    from kit.present.route import completion_summary

    c = default_content()
    perspective = c.instrument.perspectives[0].id
    statements = [s.id for s in c.instrument.statements_for(perspective)]
    guesses = [
        PhaseGuess(scenario=s.id, first=c.phase(s.phase).number if i < 7 else 5, last=0)
        for i, s in enumerate(c.scenarios)
    ]
    right = sum(
        c.phase(s.phase).number == g.first for s, g in zip(c.scenarios, guesses, strict=True)
    )
    activity = c.phases[1].activities[0]
    records = [
        *guesses,
        ScanAnswers(perspective=perspective, values={i: 0 for i in statements}),
        Plan(perspective=perspective, steps=(PlanStep(activity=activity.id),)),
    ]
    summary = completion_summary(Texts(c, "nl"), records, "Merel de Vries", dt.date(2026, 12, 7))
    assert (summary.name, summary.date) == ("Merel de Vries", "7 december 2026")
    first = summary.steps[0]
    assert first.done and first.result == (
        f"{len(c.scenarios)} van {len(c.scenarios)} teams geplaatst · {right} in één keer goed"
    )
    assert [s.done for s in summary.steps] == [True, False, False, True, True]
    minutes = c.route[0].minutes + c.route[3].minutes + c.route[4].minutes
    assert summary.done == f"3 van 5 stappen klaar, samen ongeveer {minutes} minuten"
    assert len(summary.own_scan) == len(c.phases)
    assert all("zwak" in level.lower() for _, level in summary.own_scan)
    assert summary.plan == (activity.text("nl"),)


def test_the_landing_page_offers_homework_to_a_teacher_not_to_a_participant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A teacher finds the homework page on the landing page; someone who came with a session's
    link sees the exercises, not the teachers' pages."""
    from kit.apps import landing

    monkeypatch.setattr(landing, "wait_for_request", lambda: None)
    monkeypatch.setattr(landing, "query_params", lambda: {})
    html = landing.landing_page(lang="en").value
    assert 'href="huiswerk.ipynb?lang=en"' in html and "set an exercise as homework" in html
    monkeypatch.setattr(landing, "query_params", lambda: {"session": "K7Q2MX"})
    html = landing.landing_page(lang="nl").value
    assert "huiswerk.ipynb" not in html and "groep.ipynb" not in html
    assert 'href="quickscan.ipynb?lang=nl&amp;session=K7Q2MX"' in html
