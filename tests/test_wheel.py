"""Install like a user: build the wheel, install it into a fresh virtual environment outside the
repository, and use it from a folder that has nothing of the kit in it — check the content and
serve an app, as a TLJH or Docker set-up would after ``pip install implementatiekit``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, VOILA_ERROR_MARKERS, free_port
from tests.wheel_env import WheelEnv, user_env

pytestmark = [pytest.mark.voila, pytest.mark.deploy]


@pytest.fixture(scope="module")
def installed(wheel_env: WheelEnv) -> Path:
    """A fresh virtual environment with the kit installed from its wheel (built in the
    background since collection, see tests/wheel_env.py); its bin folder."""
    return wheel_env.wait()


def test_installed_kit_checks_its_own_content(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(installed / "implementatiekit"), "check"],
        cwd=tmp_path,
        env=user_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: 6 phases")
    where = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "import kit, kit.locations as l; print(l.notebooks_dir())",
        ],
        cwd=tmp_path,
        env=user_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert str(ROOT) not in where and "site-packages/kit/bundled/notebooks" in where


def test_installed_kit_sets_up_a_jupyterhub_user_environment(
    installed: Path, tmp_path: Path
) -> None:
    """What docs/hosting.md tells TLJH and Zero to JupyterHub users to run after pip install."""
    copied = subprocess.run(
        [str(installed / "implementatiekit"), "notebooks", str(tmp_path / "shared")],
        cwd=tmp_path,
        env=user_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(Path(p).name for p in copied) == sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    config = json.loads(
        subprocess.run(
            [str(installed / "implementatiekit"), "voila-config"],
            cwd=tmp_path,
            env=user_env(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert config["VoilaConfiguration"]["template"] == "kit"
    assert config["KernelManager"]["transport"] == "ipc"
    # The template is where Voila in a Jupyter server looks: {prefix}/share/jupyter.
    template = installed.parent / "share/jupyter/voila/templates/kit"
    assert (template / "index.html.j2").is_file() and (template / "static/kit-page.js").is_file()


def test_installed_kit_serves_the_participant_page(installed: Path, tmp_path: Path) -> None:
    port = free_port()
    env = user_env()
    env["KIT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'groups.sqlite3'}"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(installed / "implementatiekit"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/voila/render/deelnemer.ipynb?lang=en"
        deadline = time.monotonic() + 120
        body = ""
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                body = requests.get(url, timeout=60).text
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        assert "application/vnd.jupyter.widget-view+json" in body, "the app did not render"
        for marker in VOILA_ERROR_MARKERS:
            assert marker not in body
        assert "kit-page-alert" in body  # the kit's page template, found in the installed package
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        log.close()
