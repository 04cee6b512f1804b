"""The kit's JupyterHub snippet (deploy/hub/implementatiekit.py) without a hub: the runtime
folder each user's server gets keeps the kernels' Unix sockets within the length a socket path
may have, whatever the user's name (issue 26, section 4). The real hub runs in test_hub.py."""

from __future__ import annotations

import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from traitlets.config import Config

from tests.conftest import ROOT

SNIPPET = ROOT / "deploy" / "hub" / "implementatiekit.py"
#: sun_path holds 108 bytes on Linux, the last one the terminating NUL.
SOCKET_PATH_MAX = 107


def hub_config() -> Config:
    c = Config()
    exec(compile(SNIPPET.read_text(), str(SNIPPET), "exec"), {"get_config": lambda: c})
    return c


def kernel_socket(runtime_dir: str) -> str:
    """The longest IPC socket path jupyter_client makes for a kernel there: the connection
    file's name with ``-ipc`` and the channel's number (1-5)."""
    from jupyter_client.manager import KernelManager

    connection_file = str(Path(runtime_dir) / f"kernel-{uuid.uuid4()}.json")
    km = KernelManager(transport="ipc", connection_file=connection_file)
    return f"{km.ip}-5"


@pytest.mark.parametrize(
    ("name", "user_id"),
    [
        ("merel", 1),
        ("a-very-long-participant-name-from-an-organisations-login-2026", 123_456),
        ("x" * 200, 10**9),
    ],
)
def test_a_users_runtime_folder_fits_a_kernel_socket(name: str, user_id: int) -> None:
    """TLJH's home folder (/home/jupyter-<name>) made the default runtime folder too long for a
    kernel's socket once a name had more than 14 characters: the kernel never started."""
    environment = hub_config().Spawner.environment.get_value({})  # what .update() built
    runtime = environment["JUPYTER_RUNTIME_DIR"]
    spawner: Any = SimpleNamespace(user=SimpleNamespace(name=name, id=user_id))
    folder = runtime(spawner) if callable(runtime) else runtime
    assert Path(folder).is_absolute()
    assert len(kernel_socket(folder)) <= SOCKET_PATH_MAX, folder
    # One folder per user: two users never share their kernels' sockets.
    other: Any = SimpleNamespace(user=SimpleNamespace(name=name + "2", id=user_id + 1))
    assert (runtime(other) if callable(runtime) else runtime) != folder


def test_the_default_runtime_folder_would_not_fit() -> None:
    """Why the snippet sets it: the default under a TLJH home of a 20-character name is too long
    (so the check above measures the real limit)."""
    home = "/home/jupyter-" + "n" * 20
    assert len(kernel_socket(f"{home}/.local/share/jupyter/runtime")) > SOCKET_PATH_MAX


def tljh_check() -> Any:
    """deploy/tljh/check.py, the pre-flight check for a TLJH admin (not a package: by path)."""
    import importlib.util

    path = ROOT / "deploy" / "tljh" / "check.py"
    spec = importlib.util.spec_from_file_location("tljh_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def as_tljh_builds_it(monkeypatch: pytest.MonkeyPatch, **env: str) -> Config:
    """The hub configuration TLJH's jupyterhub_config.py makes with config.yaml (its culler, the
    768M limit) before it loads the kit's snippet from jupyterhub_config.d/."""
    for key in (
        "KIT_HUB_SERVICES",
        "KIT_HUB_PUBLIC_URL",
        "KIT_DATABASE_URL",
        "KIT_HUB_SERVICE_USER",
    ):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    c = Config()
    c.JupyterHub.services = [
        {"name": "cull-idle", "command": ["python", "-m", "jupyterhub_idle_culler"]}
    ]
    c.Spawner.mem_limit = "768M"
    exec(compile(SNIPPET.read_text(), str(SNIPPET), "exec"), {"get_config": lambda: c})
    return c


def test_the_tljh_check_passes_an_edited_copy_and_names_what_is_left_to_edit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = tljh_check()
    edited = as_tljh_builds_it(
        monkeypatch,
        KIT_HUB_SERVICES="kit:10101:30,kit-2:10102:30",
        KIT_HUB_PUBLIC_URL="https://hub.example.net",
        KIT_DATABASE_URL="postgresql+psycopg://kit:secret@127.0.0.1:5432/kit",
        KIT_HUB_SERVICE_USER="kit",
    )
    assert check.problems(edited) == []
    unedited = check.problems(as_tljh_builds_it(monkeypatch))
    assert any("set PUBLIC_URL" in p for p in unedited)
    assert any("set DATABASE_URL" in p for p in unedited)
    # Without the snippet in jupyterhub_config.d/: no kit, and the admin is told where it goes.
    bare = Config()
    bare.JupyterHub.services = []
    bare.Spawner.mem_limit = "768M"
    assert any("jupyterhub_config.d" in p for p in check.problems(bare))


def test_the_hubs_sqlite_commits_without_waiting_for_the_disk(tmp_path: Path) -> None:
    """The hub's own database file gets a write-ahead log with synchronous=NORMAL (its commits
    held up every login on the hub's one event loop); no other SQLite file is touched (the kit's
    own store keeps its settings, even in a process that loaded the snippet)."""
    import sqlalchemy as sa

    hub_config()  # registers the snippet's connect hook
    found = {}
    for name in ("jupyterhub.sqlite", "kit.sqlite3"):
        engine = sa.create_engine(f"sqlite:///{tmp_path / name}")
        with engine.connect() as conn:
            found[name] = (
                conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
                conn.exec_driver_sql("PRAGMA synchronous").scalar(),
            )
        engine.dispose()
    assert found == {"jupyterhub.sqlite": ("wal", 1), "kit.sqlite3": ("delete", 2)}
