"""A log file the kern-en-schil app exported loads back with the situations she checked (issue 25
§2, "the adaptation log loads back from its exported file"): her first and last choice per
situation return to the exercise and the log tab, and the page says how many adaptations and
situations it loaded. A file from before the situations were in the log still loads.

The files are real exports: made by the app's own "Exporteer CSV" button in a page, and two
kept in tests/fixtures (exported by the app, so an older file's format stays readable)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest

from kit.answers import Adaptations, Proposal, SituationAnswer
from kit.apps.common import Ctx, Status
from kit.group import Memory
from kit.present.kern_log import LogFileError, read_log_file
from tests.test_apps import find
from tests.test_exports_read import ITEM, C, proposals
from tests.test_selfstudy_log import answers, good_choice, red_choice

FIXTURES = Path(__file__).parent / "fixtures"
#: Exported by the app (Dutch) with two adaptations (one the new element outside core time)
#: and three situations checked, the second one twice.
WITH_SITUATIONS = FIXTURES / "kern-log-situations-nl.csv"
#: Exported by the app (English) before situations were in the log: adaptations only.
BEFORE_SITUATIONS = FIXTURES / "kern-log-before-situations-en.csv"


def worked() -> list[object]:
    """What a learner did: two adaptations (the second the new element), the second situation
    checked red then good, the first checked good (tests/test_selfstudy_log.py's)."""
    new = ITEM.new_element
    assert new is not None
    extra = Proposal(
        element=new.id, type="add", reason="Extra avond voor vaders", date="2026-12-07"
    )
    mine = [r for r in answers() if isinstance(r, SituationAnswer) and r.intervention == ITEM.id]
    return [Adaptations(intervention=ITEM.id, proposals=(*proposals()[:1], extra)), *mine]


def app_with(lang: str, records: list[object]) -> tuple[Ctx, object]:
    from kit.apps.kern_app import build_kern

    memory = Memory()
    for record in records:
        memory.save(record)  # type: ignore[arg-type]
    ctx = Ctx(C, lang, Status(), memory)
    app = build_kern(ctx)
    app.view.intervention.value = ITEM.id  # type: ignore[attr-defined]
    find(app, "kit-tabs").selected_index = 2
    return ctx, app


def exported(lang: str, records: list[object]) -> bytes:
    """The CSV the app's export button makes of ``records``."""
    _, app = app_with(lang, records)
    find(app, "kit-log-csv").click()
    link = find(app, "kit-log-links").value
    return base64.b64decode(re.search(r"base64,([^\"]+)", link).group(1))


def load(app: object, data: bytes) -> None:
    find(app, "kit-log-load").value = (
        {
            "name": "logboek.csv",
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
        },
    )


def situations(ctx: Ctx) -> dict[str, SituationAnswer]:
    return {r.situation: r for r in ctx.memory.records(SituationAnswer)}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_exported_log_brings_the_situations_back_into_a_new_page(lang: str) -> None:
    data = exported(lang, worked())
    ctx, app = app_with("nl", [])  # a new page (another day), in Dutch
    load(app, data)
    wanted = {r.situation: r for r in worked() if isinstance(r, SituationAnswer)}
    assert situations(ctx) == wanted
    adaptations = ctx.memory.find(Adaptations, intervention=ITEM.id)
    assert adaptations is not None and adaptations.proposals == worked()[0].proposals  # type: ignore[attr-defined]
    # The page says what it loaded.
    said = ctx.status.value
    assert "Logboek ingelezen: 2 aanpassingen" in said
    assert "En 2 gecontroleerde situaties" in said
    # The log tab and the exercise show them at once: the first choice counts for the score.
    log = find(app, "kit-log-situations").value
    assert ITEM.situations[1].text("nl")[:40] in log and "Goede keuze" in log
    find(app, "kit-tabs").selected_index = 1
    assert "1 van 2" in find(app, "kit-situation-score").value
    # Her own situation choice shows when she opens a loaded situation.
    find(app, "kit-situation-choice").value = ITEM.situations[1].id
    assert find(app, "kit-situation-element").value == good_choice(ITEM, 1).element
    assert "Goede keuze" in find(app, "kit-situation-feedback").value


def test_a_loaded_file_replaces_a_situation_it_holds_and_keeps_the_others() -> None:
    other = SituationAnswer(
        intervention=ITEM.id,
        situation=ITEM.situations[2].id,
        first=red_choice(ITEM, 2),
        last=red_choice(ITEM, 2),
    )
    redone = SituationAnswer(
        intervention=ITEM.id,
        situation=ITEM.situations[0].id,
        first=red_choice(ITEM, 0),
        last=red_choice(ITEM, 0),
    )
    ctx, app = app_with("nl", [other, redone])
    load(app, exported("nl", worked()))
    got = situations(ctx)
    assert got[other.situation] == other  # not in the file: kept
    assert got[redone.situation].first == good_choice(ITEM, 0)  # the file's
    assert len(got) == 3


def test_the_kept_real_exports_load() -> None:
    """The fixture files, exported by the app: one with situations, one from before."""
    loaded = read_log_file(C, WITH_SITUATIONS.read_bytes())
    assert loaded.item.id == ITEM.id
    assert [p.element for p in loaded.proposals][-1] == ITEM.new_element.id  # type: ignore[union-attr]
    assert len(loaded.proposals) == 2 and loaded.passed_over == 0
    assert {s.situation: (s.first, s.last) for s in loaded.situations} == {
        ITEM.situations[1].id: (red_choice(ITEM, 1), good_choice(ITEM, 1)),
        ITEM.situations[0].id: (good_choice(ITEM, 0), good_choice(ITEM, 0)),
        ITEM.situations[2].id: (red_choice(ITEM, 2), red_choice(ITEM, 2)),
    }
    old = read_log_file(C, BEFORE_SITUATIONS.read_bytes())
    assert old.item.id == ITEM.id and old.situations == () and old.proposals == tuple(proposals())
    ctx, app = app_with("en", [])
    load(app, BEFORE_SITUATIONS.read_bytes())
    assert "Log loaded: 2 adaptations" in ctx.status.value
    assert "And 0 checked situations" in ctx.status.value
    assert ctx.memory.records(SituationAnswer) == []


def test_a_situation_the_kit_no_longer_has_is_counted_and_a_bad_choice_refused() -> None:
    data = WITH_SITUATIONS.read_bytes().decode("utf-8-sig")
    text = ITEM.situations[2].text("nl")[:30]
    assert text in data
    changed = data.replace(text, "Een situatie die er niet meer is")
    loaded = read_log_file(C, changed.encode())
    assert loaded.passed_over == 1 and len(loaded.situations) == 2
    ctx, app = app_with("nl", [])
    load(app, changed.encode())
    assert "1 situatie uit het bestand bestaat niet meer" in ctx.status.value
    # A choice whose words the kit does not know: the row and column, nothing loaded.
    kind = C.adaptation_type(red_choice(ITEM, 2).type).name("nl")
    bad = data.replace(f"{kind} → ", "Toveren → ")
    with pytest.raises(LogFileError) as caught:
        read_log_file(C, bad.encode())
    key, where = caught.value.args
    assert key == "kern.load.bad_cell" and where["column"] in ("Eerste keuze", "Laatste keuze")
    row = bad.splitlines()[where["row"] - 1]
    assert "Toveren" in row
    ctx, app = app_with("nl", [])
    load(app, bad.encode())
    assert "Er is niets ingelezen" in ctx.status.value
    assert ctx.memory.records(SituationAnswer) == []


def test_a_file_with_situations_and_no_adaptations_loads() -> None:
    only = [r for r in worked() if isinstance(r, SituationAnswer)]
    loaded = read_log_file(C, exported("en", only))
    assert loaded.proposals == () and len(loaded.situations) == 2


def write_fixtures() -> None:  # pragma: no cover - run by hand: python -m tests.test_kern_log_load
    third = SituationAnswer(
        intervention=ITEM.id,
        situation=ITEM.situations[2].id,
        first=red_choice(ITEM, 2),
        last=red_choice(ITEM, 2),
    )
    WITH_SITUATIONS.write_bytes(exported("nl", [*worked(), third]))
    BEFORE_SITUATIONS.write_bytes(
        exported("en", [Adaptations(intervention=ITEM.id, proposals=tuple(proposals()))])
    )


if __name__ == "__main__":  # pragma: no cover
    write_fixtures()
