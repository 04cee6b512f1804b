"""What the trainer's dashboard says about the group store: a full disk and since when (not a
fresh "updated at"), failing backups, a failed retention purge, answers that cannot be read
(issue 21 item 7, issue 26 §1 and §3); and the facilitator key's file."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from kit import storage
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard
from kit.content import default_content
from kit.present.store_health import key_file, store_lines, when
from kit.present.texts import Texts
from kit.storage import Store, StoreHealth
from tests.test_storage_health import fill, free_pages, limit_pages, scan, store_unreadable_row

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 7, 14, 30, tzinfo=UTC)


def texts(lang: str) -> Texts:
    return Texts(default_content(), lang)


def local(moment: dt.datetime) -> str:
    return f"{moment.astimezone():%H:%M}"


# --------------------------------------------------------------------------- the wording


@pytest.mark.parametrize(
    ("lang", "full", "updated"),
    [
        ("nl", "De schijf van de groepsopslag is vol sinds", "bijgewerkt om"),
        ("en", "The group store's disk has been full since", "updated at"),
    ],
)
def test_a_full_store_says_since_when_instead_of_updated(
    lang: str, full: str, updated: str
) -> None:
    since = dt.datetime(2026, 12, 7, 14, 2, tzinfo=UTC)
    lines = store_lines(texts(lang), StoreHealth(failing_since=since, failure="full"), NOW)
    [line] = lines
    assert line.alert and line.kind == "store"
    assert full in line.text and local(since) in line.text
    assert updated not in line.text
    healthy = store_lines(texts(lang), StoreHealth(), NOW)
    assert [(x.kind, x.alert) for x in healthy] == [("updated", False)]
    assert updated in healthy[0].text


@pytest.mark.parametrize("failure", ["full", "unreachable", "damaged", "refused"])
def test_every_kind_of_failure_has_its_words(failure: str) -> None:
    since = dt.datetime(2026, 12, 7, 9, 15, tzinfo=UTC)
    for lang in ("nl", "en"):
        health = StoreHealth(failing_since=since, failure=failure)  # type: ignore[arg-type]
        [line] = store_lines(texts(lang), health, NOW)
        assert line.alert and local(since) in line.text


def test_backups_purge_and_unreadable_answers_are_said_problems_first() -> None:
    health = StoreHealth(
        last_backup=dt.datetime(2026, 12, 6, 22, 0, tzinfo=UTC),
        backup_failing_since=dt.datetime(2026, 12, 7, 13, 40, tzinfo=UTC),
        backup_failure="no copy of /srv/groups.sqlite3: [Errno 28] No space left on device\nmore",
        purge_failed="deleting sessions is not allowed here",
    )
    lines = store_lines(texts("en"), health, NOW, unreadable=2)
    kinds = [(x.kind, x.alert) for x in lines]
    assert kinds == [
        ("backup", True),
        ("purge", True),
        ("unreadable", True),
        ("updated", False),
        ("last-backup", False),
    ]
    text = "\n".join(x.text for x in lines)
    assert "Backups of the group store have been failing since 13:40" in text.replace(
        local(health.backup_failing_since),
        "13:40",  # type: ignore[arg-type]
    )
    assert "No space left on device" in text and "more" not in text
    assert "python -m kit purge" in text and "not allowed" in text
    assert "2 answers could not be read; they are in the export." in text
    # Yesterday's copy says its date.
    assert "6 December 2026" in lines[-1].text
    nl = "\n".join(x.text for x in store_lines(texts("nl"), health, NOW, unreadable=1))
    assert "1 antwoord kon niet worden gelezen" in nl and "6 december 2026" in nl


def test_when_gives_the_date_for_another_day() -> None:
    yesterday = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert when(yesterday, NOW, "nl").startswith("6 december 2026 ")


def test_the_key_file_holds_title_code_key_and_links() -> None:
    text = key_file(
        texts("nl"),
        "Werkplaats 12 december",
        "K7Q2MX",
        "KX7P-M3QD-W9HT",
        "http://10.0.0.5:8866/voila/render/groep.ipynb?session=K7Q2MX",
        "http://10.0.0.5:8866/voila/render/deelnemer.ipynb?session=K7Q2MX",
    )
    assert "Sessie: Werkplaats 12 december" in text
    assert "Code: K7Q2MX" in text and "Sleutel: KX7P-M3QD-W9HT" in text
    assert "Overzicht: http://10.0.0.5:8866/voila/render/groep.ipynb?session=K7Q2MX" in text
    assert "Meedoen: http://10.0.0.5:8866/voila/render/deelnemer.ipynb?session=K7Q2MX" in text
    en = key_file(texts("en"), "T", "K7Q2MX", "KX7P-M3QD-W9HT", "d", "j")
    assert "Key: KX7P-M3QD-W9HT" in en and "Sleutel" not in en


# --------------------------------------------------------------------------- the dashboard


def dashboard(store: Store, code: str, key: str) -> Dashboard:
    info = store.session(code)
    assert info is not None
    dash = Dashboard(Ctx(default_content(), "en", Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    return dash


def test_the_dashboard_shows_a_full_disk_and_since_when(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'groups.sqlite3'}"
    room = Store(url)  # the participants' kernels
    info, key = room.create_session("Volle schijf")
    trainer = Store(url)
    dash = dashboard(trainer, info.code, key)
    assert "updated at" in dash.state.value and "kit-error" not in dash.state.value
    limit_pages(room)
    limit_pages(trainer)
    before = dt.datetime.now(UTC).replace(second=0, microsecond=0)
    fill(room, info.code)  # every answer from now on fails
    dash.refresh()
    shown = dash.state.value
    assert "The group store&#x27;s disk has been full since" in shown
    assert "answers are not being saved" in shown and 'role="alert"' in shown
    assert "updated at" not in shown
    since = trainer.health().failing_since
    assert since is not None and since >= before and local(since) in shown
    # The answers read before the disk filled up are still on the dashboard.
    assert "participants taking part" in dash.joined.value
    # Room again: the next refresh says so.
    free_pages(trainer)
    dash.refresh()
    assert "updated at" in dash.state.value and "full" not in dash.state.value
    room.dispose()
    trainer.dispose()


def test_the_dashboard_says_an_unreachable_store_and_since_when(tmp_path: Path) -> None:
    db = tmp_path / "groups.sqlite3"
    store = Store(f"sqlite:///{db}")
    info, key = store.create_session("Weg")
    dash = dashboard(store, info.code, key)
    assert "updated at" in dash.state.value
    db.rename(tmp_path / "elsewhere.sqlite3")
    db.mkdir()  # the file's place is taken: SQLite cannot open it
    store.engine.dispose()
    dash.refresh()
    shown = dash.state.value
    assert "The group store has been unreachable since" in shown and "updated at" not in shown
    since = store.health().failing_since
    assert since is not None and local(since) in shown
    assert "unable to open" not in shown  # the driver's words stay in the log
    store.dispose()


def test_the_dashboard_says_a_damaged_store_and_where_the_good_copy_is(tmp_path: Path) -> None:
    db = tmp_path / "groups.sqlite3"
    store = Store(f"sqlite:///{db}")
    info, key = store.create_session("Kapot")
    store.backup(force=True)
    good = store.backup_path()
    assert good is not None
    dash = dashboard(store, info.code, key)
    store.engine.dispose()
    db.write_bytes(b"this is not a database file " * 200)
    dash.refresh()
    shown = dash.state.value
    assert "The group store&#x27;s file has been damaged since" in shown
    assert good.name in shown  # where the last good copy is
    assert f"python -m kit restore {good.name}" in shown and str(db) in shown
    assert "updated at" not in shown
    store.dispose()


def test_the_dashboard_says_backups_fail_and_since_when(tmp_path: Path) -> None:
    db = tmp_path / "groups.sqlite3"
    store = Store(f"sqlite:///{db}")
    info, key = store.create_session("Kopie")
    copies = db.with_name(db.name + ".backups")
    shutil.rmtree(copies, ignore_errors=True)
    copies.write_text("not a folder")  # no copy can be made there
    dash = dashboard(store, info.code, key)
    shown = dash.state.value
    assert "Backups of the group store have been failing since" in shown
    assert "Last good backup: none yet" in shown
    assert "updated at" in shown  # the answers themselves are saved
    store.dispose()


def test_the_dashboard_says_the_purge_failed(tmp_path: Path) -> None:
    from tests.test_storage_health import _forbid_deleting_sessions

    url = f"sqlite:///{tmp_path / 'groups.sqlite3'}"
    store = Store(url)
    old, _ = store.create_session("Afgelopen", keep_days=0)
    info, key = store.create_session("Vandaag")
    with store.engine.begin() as conn:
        conn.execute(
            storage.sessions.update()
            .where(storage.sessions.c.code == old.code)
            .values(expires_at=storage._now() - dt.timedelta(days=1))
        )
    _forbid_deleting_sessions(store)
    store.dispose()
    kernel = Store(url)
    dash = dashboard(kernel, info.code, key)
    assert "Deleting sessions whose retention period is over failed" in dash.state.value
    assert "python -m kit purge" in dash.state.value
    kernel.dispose()


def test_the_dashboard_counts_answers_it_cannot_read(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'groups.sqlite3'}")
    info, key = store.create_session("Oude rijen", case_id="buurtkracht")
    uil = store.join(info.code, "Uil")
    store.save(info.code, uil.participant, uil.alias, scan(2))
    store_unreadable_row(store, info.code, uil.participant)
    dash = dashboard(store, info.code, key)
    assert "1 answer could not be read; it is in the export." in dash.state.value
    assert "(1 participant)" in dash.scan.value  # the readable one is shown
    # ...and the export has it, as stored, after the readable answers.
    dash.csv.click()
    link = dash.links.value
    data = base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    last = rows[-1]
    assert last[:4] == [info.code, "Uil", "Unreadable answer", "kern · samen-sterk"]
    assert last[5] == '"not a list"' and "as stored" in last[7]
    readable = [r for r in rows[1:] if r[2] == "Quickscan" and not r[4].startswith("Average")]
    assert len(readable) == 1 and readable[0][1] == "Uil"
    store.dispose()
