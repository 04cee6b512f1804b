"""The adaptation log loads back from the CSV file the app exports (issue 25 §2), in either
language; a file that is no log, or a word the kit does not know, gets a message and changes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kit.answers import Adaptations, Proposal
from kit.apps.common import Ctx, Status
from kit.content import default_content
from kit.group import Memory
from kit.present.kern import log_csv, to_log
from kit.present.kern_log import LogFileError, read_log_csv
from kit.present.texts import Texts
from tests.test_apps import find


def _proposals() -> tuple[str, tuple[Proposal, ...]]:
    c = default_content()
    item = c.interventions[0]
    types = [t.id for t in c.adaptation_types]
    return item.id, (
        Proposal(
            element=item.elements[0].id, type=types[0], reason="=1+1 kortere sessies; ja",
            goal="meer bereik, \"snel\"", when="pre-implementation", planned=False,
            who="developer", level="organisation", date="2026-11-24",
        ),
        Proposal(element=item.elements[-1].id, type=types[-1], date="2026-12-01"),
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_exported_log_reads_back_as_it_was(lang: str) -> None:
    c = default_content()
    item_id, proposals = _proposals()
    texts = Texts(c, lang)
    data = log_csv(texts, to_log(texts, c.intervention(item_id), list(proposals)))
    item, back = read_log_csv(c, data)
    assert item.id == item_id and back == proposals


def test_a_file_that_is_no_log_or_has_an_unknown_word_is_refused_with_where() -> None:
    c = default_content()
    item_id, proposals = _proposals()
    texts = Texts(c, "nl")
    data = log_csv(texts, to_log(texts, c.intervention(item_id), list(proposals)))
    for bad in (b"naam;score\r\nUil;2\r\n", b"\xff\xfe\x00", b""):
        with pytest.raises(LogFileError) as caught:
            read_log_csv(c, bad)
        assert caught.value.args[0] == "kern.load.not_log"
    level = c.t("kern.frame.level.organisation", "nl")
    with pytest.raises(LogFileError) as caught:
        read_log_csv(c, data.replace(level.encode(), b"heelal"))
    column = c.t("kern.log.col.level", "nl")
    assert caught.value.args == ("kern.load.bad_cell", {"row": 2, "column": column})


def test_the_app_loads_a_log_file_into_the_log_and_keeps_it() -> None:
    from kit.apps.kern_app import build_kern

    c = default_content()
    item_id, proposals = _proposals()
    texts = Texts(c, "en")
    data = log_csv(texts, to_log(texts, c.intervention(item_id), list(proposals)))
    ctx = Ctx(c, "nl", Status(), Memory())
    app = build_kern(ctx)
    find(app, "kit-tabs").selected_index = 2
    upload = find(app, "kit-log-load")
    upload.value = ({"name": "log.csv", "type": "text/csv", "size": len(data),
                     "content": memoryview(data), "last_modified": dt.datetime(2026, 12, 7, tzinfo=dt.UTC)},)  # fmt: skip
    assert ctx.memory.find(Adaptations, intervention=item_id).proposals == proposals
    assert "Logboek ingelezen: 2 aanpassingen" in ctx.status.value
    assert "kortere sessies" in find(app, "kit-log-table").value
    upload.value = ({"name": "x.csv", "type": "text/csv", "size": 3,
                     "content": memoryview(b"a;b"), "last_modified": dt.datetime(2026, 12, 7, tzinfo=dt.UTC)},)  # fmt: skip
    assert "geen logboek van de kit" in ctx.status.value
    assert ctx.memory.find(Adaptations, intervention=item_id).proposals == proposals
