"""On a hub the hub user is the participant: no personal code, the same participant on every
device, and nobody else can act as her (kit.sessions.hub_identity, Store.join_hub, the join bar).
The same through a real hub: tests/test_hub.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as w
import pytest

from kit.apps.common import Ctx, Status
from kit.apps.session_bar import build_session_bar
from kit.content import default_content
from kit.group import Memory
from kit.sessions import InputError, hub_hash
from kit.storage import Store
from tests.test_apps import find

MEREL, JOOST = "hub-user:merel", "hub-user:joost"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    monkeypatch.setattr("kit.storage._stores", {s.url: s})
    monkeypatch.setenv("KIT_DATABASE_URL", s.url)
    yield s
    s.dispose()


def test_a_hub_user_joins_once_and_is_the_same_participant_again(store: Store) -> None:
    info, key = store.create_session("Hub")
    first = store.join_hub(info.code, "Uil", MEREL)
    assert first.new and first.token == ""  # no personal code on a hub
    # A reload or another device: her participant and her alias, whatever the form said.
    again = store.join_hub(info.code, "Anders", MEREL)
    assert (again.participant, again.alias, again.new) == (first.participant, "Uil", False)
    back = store.hub_participant(info.code, MEREL)
    assert back is not None and back.participant == first.participant
    # Another hub user is another participant, never hers, and cannot take her alias.
    assert store.hub_participant(info.code, JOOST) is None
    with pytest.raises(InputError) as taken:
        store.join_hub(info.code, " uil ", JOOST)
    assert taken.value.code == "alias-taken"
    joost = store.join_hub(info.code, "Vos", JOOST)
    assert joost.participant != first.participant
    assert [p.alias for p in store.participants(info.code, key)] == ["Uil", "Vos"]
    # In another session she is a new participant.
    other, _ = store.create_session("Andere")
    assert store.hub_participant(other.code, MEREL) is None
    # What the store keeps of her: a hash per session, not the hub name.
    dumped = "\n".join(store.engine.raw_connection().iterdump())
    assert "merel" not in dumped and hub_hash(info.code, MEREL) in dumped


def test_no_personal_code_reaches_a_hub_users_participant(store: Store) -> None:
    info, _ = store.create_session("Hub")
    store.join_hub(info.code, "Uil", MEREL)
    # Alias plus any personal code, or a personal code alone, is refused: she has none.
    for token in ("ABCDEFGH", "hub-user:merel"):
        with pytest.raises(InputError):
            store.join(info.code, "Uil", token, "192.0.2.7")
        with pytest.raises(InputError):
            store.rejoin(info.code, token, "192.0.2.7")
    # Off the hub the plain join still hands out personal codes.
    plain = store.join(info.code, "Das", "", "192.0.2.7")
    assert len(plain.token) == 8


def test_closed_sessions_take_no_new_hub_user_but_give_hers_back(store: Store) -> None:
    info, key = store.create_session("Hub")
    joined = store.join_hub(info.code, "Uil", MEREL)
    store.close_session(info.code, key)
    with pytest.raises(InputError) as closed:
        store.join_hub(info.code, "Vos", JOOST)
    assert closed.value.code == "closed"
    back = store.hub_participant(info.code, MEREL)
    assert back is not None and back.participant == joined.participant
    with pytest.raises(InputError) as unknown:
        store.join_hub("ABCDEF", "Uil", MEREL)
    assert unknown.value.code == "unknown-code"


def on_page(monkeypatch: pytest.MonkeyPatch, client: str, query: str, hub: bool = True) -> None:
    """The environment of a page's kernel after its visitor's request."""
    monkeypatch.setenv("HTTP_X_KIT_CLIENT", client)
    monkeypatch.setenv("QUERY_STRING", query)
    if hub:
        monkeypatch.setenv("JUPYTERHUB_SERVICE_NAME", "kit")
    else:
        monkeypatch.delenv("JUPYTERHUB_SERVICE_NAME", raising=False)


def bar_for(lang: str = "nl") -> tuple[w.Widget, Ctx, list[int]]:
    """The session bar of a fresh page; ``rerenders`` counts joins."""
    ctx = Ctx(default_content(), lang, Status(), Memory())
    rerenders: list[int] = []
    return build_session_bar(ctx, lambda: rerenders.append(1)), ctx, rerenders


def test_the_join_bar_on_a_hub_asks_no_personal_code(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    info, key = store.create_session("Zaal A")
    on_page(monkeypatch, MEREL, f"session={info.code}")
    bar, ctx, rerenders = bar_for()
    # The form: the code from the link, a suggested alias that is not her hub name, no
    # personal-code field, and the privacy note says what the hub login means.
    assert find(bar, "kit-session-code").value == info.code
    alias = find(bar, "kit-session-alias").value
    assert re.fullmatch(r"Deelnemer \d{4}", alias) and "merel" not in alias.lower()
    assert find(bar, "kit-session-token").layout.display == "none"
    hint = find(bar, "kit-session-bar").children[-2].value
    assert "ga je verder als dezelfde deelnemer" in hint and "persoonlijke code" not in hint
    assert "alleen per sessie een onherkenbaar gemaakte (gehashte) vorm" in hint
    find(bar, "kit-session-join").click()
    assert rerenders and ctx.memory.client is not None
    assert ctx.memory.client.alias == alias and ctx.memory.client.token == ""
    joined = build_session_bar(ctx, lambda: None).value
    assert f"als {alias}" in joined and "kit-personal-code" not in joined
    assert "Een code is niet nodig" in joined and "kit-not-me" not in joined

    # Her phone (a new page, the same hub user): joined at once, as the same participant.
    phone, phone_ctx, _ = bar_for()
    assert phone_ctx.memory.client is not None
    assert phone_ctx.memory.client.participant == ctx.memory.client.participant
    assert f"als {alias}" in phone.value

    # Another hub user with her link, even with a ?p= and her alias: his own form.
    on_page(monkeypatch, JOOST, f"session={info.code}&p=ABCDEFGH")
    his, his_ctx, _ = bar_for("en")
    assert his_ctx.memory.client is None
    find(his, "kit-session-alias").value = alias
    find(his, "kit-session-join").click()
    assert his_ctx.memory.client is None
    assert "already uses this alias. Choose another one." in find(his, "kit-session-message").value
    find(his, "kit-session-alias").value = "Vos"
    find(his, "kit-session-join").click()
    assert his_ctx.memory.client is not None
    assert his_ctx.memory.client.participant != ctx.memory.client.participant
    assert [p.alias for p in store.participants(info.code, key)] == [alias, "Vos"]


def test_a_taken_suggestion_gives_way_to_the_next(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    info, key = store.create_session("Zaal A")
    on_page(monkeypatch, MEREL, f"session={info.code}")
    bar, _, _ = bar_for("en")
    suggested = find(bar, "kit-session-alias").value
    assert re.fullmatch(r"Participant \d{4}", suggested)
    store.join_hub(info.code, suggested, JOOST)  # someone already has it
    find(bar, "kit-session-join").click()
    aliases = [p.alias for p in store.participants(info.code, key)]
    assert aliases[0] == suggested and re.fullmatch(r"Participant \d{4}", aliases[1])
    assert aliases[1] != suggested  # a new suggestion, not the one taken


def test_off_the_hub_a_hub_name_from_the_browser_counts_for_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the kit's own server the client is the visitor's address; one that looks like a hub
    user (a header through a proxy) does not make anyone a hub participant."""
    info, _ = store.create_session("Zaal A")
    store.join_hub(info.code, "Uil", MEREL)
    on_page(monkeypatch, MEREL, f"session={info.code}", hub=False)
    bar, ctx, _ = bar_for()
    assert ctx.memory.client is None
    assert find(bar, "kit-session-token").layout.display != "none"
    assert find(bar, "kit-session-alias").value == ""
    find(bar, "kit-session-alias").value = "Das"
    find(bar, "kit-session-join").click()
    assert ctx.memory.client is not None and len(ctx.memory.client.token) == 8
