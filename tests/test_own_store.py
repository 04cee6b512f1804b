"""Work kept on the learner's own machine (issue 25 §2): the own store, an app that puts her work
back when it is opened again (a new kernel the next day), and forgetting it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.__main__ import main
from kit.answers import Adaptations, PhaseGuess, Plan, Proposal, ScanAnswers
from kit.content import default_content
from kit.storage import own
from kit.storage.own import OwnStore, StorageError
from tests.test_apps import find


@pytest.fixture
def own_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The own store switched on, in a file of the test's own."""
    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    monkeypatch.setenv("KIT_OWN_STORE", "on")
    monkeypatch.setenv("KIT_OWN_URL", url)
    monkeypatch.delenv("HTTP_X_KIT_CLIENT", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    yield url
    store = own._stores.pop(url, None)
    if store is not None:
        store.dispose()


def test_every_kind_of_record_comes_back_per_learner(own_url: str) -> None:
    store = OwnStore(own_url)
    scan = ScanAnswers(perspective="organisatie", case="schuldmaatjes", values={"org-0-1": 2})
    records = [
        scan,
        PhaseGuess(scenario="s1", first=2, last=3),
        Adaptations(intervention="samen-sterk", proposals=(Proposal(element="e", type="t"),)),
        Plan(perspective="organisatie", adjust="eerst de wijk"),
    ]
    for record in records:
        store.save("local", record)
    store.save("hub-user:merel", PhaseGuess(scenario="s1", first=0, last=0))
    store.save("local", scan.answer("org-0-2", 3))  # the newer answer replaces the older
    store.dispose()

    kept = OwnStore(own_url).kept("local")  # a new process: a new engine on the same file
    assert set(kept.records) == {r.key for r in records}
    assert kept.records[scan.key] == scan.answer("org-0-2", 3)
    assert kept.saved_at is not None
    assert OwnStore(own_url).kept("hub-user:merel").records[("phases", "s1")].first == 0


def test_a_row_that_is_no_record_is_counted_and_kept(own_url: str, tmp_path: Path) -> None:
    store = OwnStore(own_url)
    store.save("local", PhaseGuess(scenario="s1", first=1, last=1))
    with sqlite3.connect(tmp_path / "own.sqlite3") as db:
        db.execute('UPDATE own_answers SET answers = \'{"v": 2, "kind": "nonsense"}\'')
    kept = store.kept("local")
    assert (kept.records, kept.unreadable) == ({}, 1)
    with sqlite3.connect(tmp_path / "own.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM own_answers").fetchone() == (1,)


def test_a_damaged_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "own.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(StorageError) as caught:
        OwnStore(f"sqlite:///{path}").kept("local")
    assert caught.value.failure == "damaged"


def _answer_a_phase(frame: object, value: int) -> None:
    find(frame, "kit-tabs").selected_index = 1
    find(frame, "kit-phase-answer").value = value
    find(frame, "kit-check").click()


def test_an_app_opened_again_carries_on_where_she_was(own_url: str) -> None:
    from kit.apps.phases_app import phases_app

    c = default_content()
    frame = phases_app(lang="nl")
    assert "bewaard op deze computer" in find(frame, "kit-own-bar").children[0].children[0].value
    scenario = c.scenarios[0]
    wrong = (c.phase(scenario.phase).number + 2) % 6
    _answer_a_phase(frame, wrong)
    assert "0 van de 1" in find(frame, "kit-score").value

    # The next day: a new kernel (the store's engine is made again from the file).
    own._stores.pop(own_url).dispose()
    again = phases_app(lang="en")
    note = find(again, "kit-own-bar").children[0].children[0].value
    assert "Carry on where you were: 1 answer from" in note
    find(again, "kit-tabs").selected_index = 1
    assert find(again, "kit-phase-answer").value == wrong
    assert "0 of 1 scenarios" in find(again, "kit-score").value


def test_the_forget_button_asks_then_deletes_everything_kept(own_url: str) -> None:
    from kit.apps.phases_app import phases_app

    frame = phases_app(lang="nl")
    _answer_a_phase(frame, 0)
    assert own.get_own_store().kept("local").records
    bar = find(frame, "kit-own-bar")
    find(bar, "kit-own-forget").click()
    assert own.get_own_store().kept("local").records  # not before she confirms
    find(bar, "kit-own-forget-sure").click()
    assert own.get_own_store().kept("local").records == {}
    assert "Gewist" in find(frame, "kit-status").value
    find(frame, "kit-tabs").selected_index = 1
    assert "0 van de 0 casussen" in find(frame, "kit-score").value  # the screen forgot it too
    line = find(frame, "kit-own-bar").children[0].children[0].value
    assert "bewaard op deze computer" in line  # what she does next is kept again
    _answer_a_phase(frame, 1)
    assert len(own.get_own_store().kept("local").records) == 1


def test_nothing_is_kept_for_a_visitor_of_a_served_room(
    own_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.phases_app import phases_app

    monkeypatch.setenv("KIT_OWN_STORE", "")
    monkeypatch.setenv("HTTP_X_KIT_CLIENT", "192.0.2.7")
    frame = phases_app(lang="nl")
    assert find(frame, "kit-own-bar") is None
    _answer_a_phase(frame, 0)
    assert OwnStore(own_url).kept("local").records == {}


def test_a_store_that_fails_says_so_and_the_answer_stays_on_screen(
    own_url: str, tmp_path: Path
) -> None:
    from kit.apps.phases_app import phases_app

    frame = phases_app(lang="nl")
    own._stores.pop(own_url).dispose()
    for path in tmp_path.glob("own.sqlite3*"):
        path.unlink()
    (tmp_path / "own.sqlite3").mkdir()  # the file cannot be opened any more
    _answer_a_phase(frame, 0)
    line = find(frame, "kit-own-bar").children[0].children[0].value
    assert 'role="alert"' in line and "niet worden bewaard" in line
    assert "van de 1" in find(frame, "kit-score").value


def test_python_m_kit_forget(own_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = OwnStore(own_url)
    store.save("local", PhaseGuess(scenario="s1", first=1, last=1))
    store.save("local", PhaseGuess(scenario="s2", first=1, last=1))
    store.save("hub-user:merel", PhaseGuess(scenario="s1", first=1, last=1))
    assert main(["forget"]) == 0
    assert "deleted 2 kept answer(s)" in capsys.readouterr().out
    assert store.kept("local").records == {}
    assert store.kept("hub-user:merel").records  # another learner's work is hers to delete
    assert main(["forget", "--everyone"]) == 0
    assert store.kept("hub-user:merel").records == {}


def test_which_phase_alone_shuffles_the_teams_and_ends_with_the_next_step(own_url: str) -> None:
    from kit.apps.phases_app import phases_app

    c = default_content()
    frame = phases_app(lang="nl")
    find(frame, "kit-tabs").selected_index = 1
    chooser = find(frame, "kit-scenario-choice")
    order = [value for _, value in chooser.options]
    assert sorted(order) == sorted(s.id for s in c.scenarios)
    assert order != [s.id for s in c.scenarios]  # not by phase: that gives the answers away
    labels = [label for label, _ in chooser.options]
    assert labels[0].startswith("1. ") and labels[-1].startswith(f"{len(order)}. ")
    right = 0
    for n, scenario_id in enumerate(order):
        assert chooser.value == scenario_id  # "next" goes on to the next team not placed yet
        phase = c.phase(next(s for s in c.scenarios if s.id == scenario_id).phase).number
        find(frame, "kit-phase-answer").value = phase if n % 3 else (phase + 3) % 6
        right += bool(n % 3)
        find(frame, "kit-check").click()
        find(frame, "kit-next-scenario").click()
    score = find(frame, "kit-score").value
    assert (
        f"{len(order)} van {len(order)} teams geplaatst, {right} in één keer goed. "
        "Volgende stap: De quickscan op een casus." in score
    )
    assert chooser.value == order[-1]  # no silent start from the top
    assert "alle teams geplaatst" in find(frame, "kit-status").value
    again = phases_app(lang="en")  # the next day: the same order
    find(again, "kit-tabs").selected_index = 1
    assert [v for _, v in find(again, "kit-scenario-choice").options] == order
    assert "Next step: The quickscan on a case." in find(again, "kit-score").value


def test_each_step_opens_with_its_introduction_and_ends_with_takeaways() -> None:
    from kit.apps.kern_app import kern_app
    from kit.apps.quickscan_app import quickscan_app

    c = default_content()
    frame = kern_app(lang="nl")
    intro = find(frame, "kit-step-intro-holder").value
    step = next(s for s in c.route if s.app == "kern")
    assert f"Stap 3 van 5: {step.title('nl')} (ongeveer {step.minutes} minuten)" in intro
    assert step.goal("nl") in intro and step.todo("nl") in intro
    end = find(frame, "kit-step-takeaways-holder").value
    assert all(t("nl") in end for t in step.takeaways)
    # The quickscan is two steps of the route: the case and her own situation.
    scan = find(quickscan_app(lang="en"), "kit-step-intro-holder").value
    assert (
        "Step 2 of 5: The quickscan on a case" in scan and "Step 5 of 5: Your own situation" in scan
    )
