"""Issue 21 item 13: the presenter view answered unlimited code guesses. Driven through the
presenter app with the client address the kit's server hands the kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import storage
from kit.apps.common import Ctx, Status
from kit.apps.presenter import _Presenter
from kit.content import default_content
from kit.sessions import CODE_ALPHABET, InputError
from kit.storage import Store


def show(code: str, address: str, monkeypatch: pytest.MonkeyPatch) -> _Presenter:
    monkeypatch.setenv("HTTP_X_KIT_CLIENT", address)
    ctx = Ctx(default_content(), "en", Status())
    view = _Presenter(ctx, code)
    timer = ctx.memory.view.pop("presenter.timer", None)
    if timer is not None:
        timer.stop()
    return view


def the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store of its own that the presenter view finds, outside a hub."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    store = Store(f"sqlite:///{tmp_path / 'groups.sqlite3'}")
    monkeypatch.setattr(storage, "_stores", {store.url: store})
    monkeypatch.setenv("KIT_DATABASE_URL", store.url)
    return store


def test_the_presenter_view_limits_code_guesses_like_joining(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = the_store(tmp_path, monkeypatch)
    info, _ = store.create_session("Echte sessie")
    store.join(info.code, "Uil")
    t = default_content().t
    guesses = [f"ZZZ{a}{b}{c}" for a in CODE_ALPHABET for b in CODE_ALPHABET for c in "AB"]
    for code in guesses[: storage.LIMITS["code"]]:
        view = show(code, "198.51.100.7", monkeypatch)
        assert t("presenter.unknown", "en") in view.widget.value
    # Over the limit: the real session's title, count and QR code are not shown.
    view = show(info.code, "198.51.100.7", monkeypatch)
    said = view.widget.value
    assert "Too many attempts" in said and "Echte sessie" not in said
    assert "<svg" not in said and "joined" not in said and info.code not in said
    # The count is the one joining uses: this address cannot join with a guess either...
    with pytest.raises(InputError, match="too-many-tries"):
        store.join(info.code, "Gok", client="198.51.100.7")
    # ...and another address (the trainer's laptop) shows the session.
    shown = show(info.code, "192.0.2.20", monkeypatch).widget.value
    assert "Echte sessie" in shown and "<svg" in shown and "1 participant" in shown
    store.dispose()


def test_an_address_over_its_join_limit_gets_nothing_from_the_presenter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe's order: first wrong join codes, then the presenter view."""
    store = the_store(tmp_path, monkeypatch)
    info, _ = store.create_session("Echte sessie")
    for n in range(storage.LIMITS["code"]):
        with pytest.raises(InputError, match="unknown-code"):
            store.join(
                f"YYYY{CODE_ALPHABET[n // 31]}{CODE_ALPHABET[n % 31]}", "Gok", client="203.0.113.4"
            )
    for code in ("YYYYZZ", info.code):
        said = show(code, "203.0.113.4", monkeypatch).widget.value
        assert "Too many attempts" in said and "Echte sessie" not in said
    store.dispose()
