"""``kit serve``: what a trainer is told and what the join links carry (issue 21, item 5), and
the small address checks the server relies on (issue 26, section 4)."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from kit import serve
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard
from kit.content import default_content
from kit.storage import Store


def run_main(monkeypatch: pytest.MonkeyPatch, host: str | None, lan: list[str]) -> dict[str, str]:
    """``kit serve --room 3 [--host host]`` on a machine with network addresses ``lan``,
    without starting Voila: the environment Voila would have been started with."""
    started: list[dict[str, Any]] = []
    monkeypatch.delenv("KIT_PUBLIC_URL", raising=False)
    with monkeypatch.context() as m:  # undone before anything else runs a subprocess
        m.setattr(serve, "lan_addresses", lambda: lan)
        m.setattr(
            subprocess,
            "run",
            lambda argv, **kw: started.append(kw) or subprocess.CompletedProcess(argv, 0),
        )
        assert serve.main(room=3, host=host, port=8866) == 0
    assert len(started) == 1
    env: dict[str, str] = started[0]["env"]
    return env


def test_a_room_on_loopback_warns_and_links_where_it_listens(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    """``--room 3 --host 127.0.0.1``: the QR code carried the LAN address, where nothing
    listened, without a word. Now the links carry the address it listens on, the console says
    that phones cannot reach it and what to do, and the trainer's dashboard warns next to the
    QR code."""
    env = run_main(monkeypatch, "127.0.0.1", ["192.168.1.20"])
    out = capsys.readouterr().out
    assert env["KIT_PUBLIC_URL"] == "http://127.0.0.1:8866/voila/render"
    assert "Phones open: http://127.0.0.1:8866/voila/render/deelnemer.ipynb" in out
    assert "192.168.1.20:8866" not in out
    assert "phones cannot reach it" in out and "0.0.0.0" in out and "--host 192.168.1.20" in out
    # The dashboard a trainer opens on that server shows the QR code with a warning.
    monkeypatch.setenv("KIT_PUBLIC_URL", env["KIT_PUBLIC_URL"])
    store = Store(f"sqlite:///{tmp_path / 'g.sqlite3'}")
    info, key = store.create_session("Lus")
    for lang, words in (("nl", "Telefoons kunnen deze link niet openen"), ("en", "Phones cannot")):
        dash = Dashboard(Ctx(default_content(), lang, Status()), store, info, key, new_key=False)
        dash._timer_on(False)
        assert "kit-local-warning" in dash.header.value and words in dash.header.value
        assert "127.0.0.1" in dash.header.value and "192.168.1.20" not in dash.header.value
    store.dispose()


def test_a_room_on_the_network_links_its_address_without_a_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = run_main(monkeypatch, None, ["192.168.1.20"])
    out = capsys.readouterr().out
    assert env["KIT_PUBLIC_URL"] == "http://192.168.1.20:8866/voila/render"
    assert "WARNING" not in out
    env = run_main(monkeypatch, "192.168.1.21", ["192.168.1.20", "192.168.1.21"])
    assert env["KIT_PUBLIC_URL"] == "http://192.168.1.21:8866/voila/render"
    assert "WARNING" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://0.0.0.0:8866/voila/render/deelnemer.ipynb", True),
        ("http://[::]:8866/", True),
        ("http://[::1]:8866/", True),
        ("http://127.0.0.2:8866/", True),
        ("http://LOCALHOST:8866/", True),
        ("http://kit.localhost/", True),
        ("http://192.168.1.20:8866/", False),
        ("http://[fd00::1]:8866/", False),
        ("https://kit.example.org/", False),
    ],
)
def test_local_addresses(url: str, local: bool) -> None:
    """Issue 26, section 4: a join link to 0.0.0.0 (every interface, reachable by nobody as an
    address) is as useless to a phone as one to localhost."""
    assert serve.is_local_url(url) is local


@pytest.mark.parametrize(
    ("path", "hostile"),
    [
        ("/voila/static/%252e%252e/%252e%252e/pyproject.toml", True),  # decoded twice
        ("/voila/static/%255c..%255cx", True),
        ("/voila/static/%2500x.js", True),
        ("/voila/static/%2e%2e/x", True),
        ("/voila/static/a..b/c.js", False),
        ("/voila/templates/kit/static/kit-page.js", False),
        ("/voila/static/%2525/x.js", False),
    ],
)
def test_the_path_check_decodes_twice(path: str, hostile: bool) -> None:
    """Issue 26, section 4: ``%252e%252e`` is ``..`` after two decodings; a handler that
    decodes once more than the check would climb out of its folder."""
    from kit.voila_server import hostile_path

    assert hostile_path(path) is hostile
