"""The kit in a real JupyterLab, as ``make lab`` starts it (issue 25 §1-2): a notebook saved with
a widget showing comes back without it (no "model not found" the next day), and a learner who
answers in an app, closes everything and starts JupyterLab again finds her work back."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ANSWER_MS, NOTEBOOKS, PAGE_MS, ROOT, free_port

TOKEN = "kit-test-token"
CONFIG = ROOT / "kit" / "share" / "lab" / "jupyter_server_config.py"

#: A real JupyterLab server: `make test-deploy` (CI runs it after `make test`).
pytestmark = pytest.mark.deploy


class Lab:
    """JupyterLab started the way the Makefile's ``lab`` target starts it, on a free port."""

    def __init__(self, root: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("a")
        argv = [
            sys.executable, "-m", "jupyterlab", f"--config={CONFIG}", "--no-browser",
            f"--port={self.port}", "--ip=127.0.0.1", f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={TOKEN}", "--allow-root",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            argv, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **env},
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"jupyter lab exited; see {log}"
            try:
                if requests.get(self.api("status"), timeout=5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter lab did not start; see {log}")

    def api(self, path: str) -> str:
        return f"{self.url}/api/{path}?token={TOKEN}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture
def lab_root(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    root = tmp_path / "lab"
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    env = {
        "KIT_OWN_STORE": "on",
        "KIT_OWN_URL": f"sqlite:///{tmp_path / 'own.sqlite3'}",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
    }
    yield root, env


def test_a_notebook_is_saved_without_its_widget_outputs(
    lab_root: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, env = lab_root
    lab = Lab(root, env, tmp_path / "lab.log")
    try:
        path = "notebooks/fasen.ipynb"
        model = requests.get(lab.api(f"contents/{path}"), timeout=30).json()
        cell = model["content"]["cells"][0]
        cell["execution_count"] = 1
        cell["outputs"] = [
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {
                    "text/plain": "VBox(...)",
                    "application/vnd.jupyter.widget-view+json": {
                        "version_major": 2,
                        "version_minor": 0,
                        "model_id": "0f3c",
                    },
                },
            }
        ]
        model["content"]["metadata"]["widgets"] = {"state": {}}
        saved = requests.put(
            lab.api(f"contents/{path}"),
            data=json.dumps({"type": "notebook", "format": "json", "content": model["content"]}),
            timeout=30,
        )
        assert saved.ok, saved.text
        on_disk = json.loads((root / path).read_text("utf-8"))
        assert on_disk["cells"][0]["outputs"] == []
        assert on_disk["cells"][0]["execution_count"] is None
        assert "widgets" not in on_disk["metadata"]
    finally:
        lab.stop()


def _run_notebook(page: Page, lab: Lab, notebook: str) -> Locator:
    """Open a notebook in JupyterLab and run its cell; returns the notebook's panel."""
    # reset: only this notebook open (the workspace would bring back the one opened before,
    # whose hidden panel the locators below would also find)
    page.goto(f"{lab.url}/lab/tree/notebooks/{notebook}?reset&token={TOKEN}", timeout=PAGE_MS)
    panel = page.locator(".jp-NotebookPanel:visible")
    expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=PAGE_MS)
    # The kernel is up (the status bar says so), so running does not ask for one.
    expect(page.get_by_role("button", name=re.compile(r"\| Idle"))).to_be_visible(timeout=PAGE_MS)
    panel.locator(".jp-Cell .cm-content").first.click()
    page.keyboard.press("Shift+Enter")
    select = page.get_by_role("button", name="Select", exact=True)
    with contextlib.suppress(PlaywrightTimeout):  # a slow kernel: JupyterLab asks which
        select.click(timeout=3_000)
    expect(panel.locator(".jp-OutputArea .kit-app, .jp-OutputArea .kit-start").first).to_be_visible(
        timeout=PAGE_MS
    )
    return panel


def test_work_done_in_lab_is_back_after_a_restart_without_model_not_found(
    page: Page, lab_root: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, env = lab_root
    lab = Lab(root, env, tmp_path / "lab.log")
    try:
        page.set_viewport_size({"width": 1366, "height": 900})
        app = _run_notebook(page, lab, "fasen.ipynb").locator(".jp-OutputArea .kit-app").first
        app.get_by_role("tab", name="2. Welke fase?").click()
        app.locator(".kit-phase-answer input[type=radio]").nth(1).check()
        app.locator(".kit-check").click()
        expect(app.locator(".kit-score")).to_contain_text("van de 1")
        page.keyboard.press("Control+s")  # saved with the widget showing
        expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=ANSWER_MS)
    finally:
        page.goto("about:blank")
        lab.stop()

    lab = Lab(root, env, tmp_path / "lab.log")  # the next day
    try:
        page.goto(f"{lab.url}/lab/tree/notebooks/fasen.ipynb?token={TOKEN}", timeout=PAGE_MS)
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=PAGE_MS)
        page.wait_for_timeout(1500)
        assert "model not found" not in page.locator(".jp-Notebook").inner_text()
        app = _run_notebook(page, lab, "fasen.ipynb").locator(".jp-OutputArea .kit-app").first
        expect(app.locator(".kit-own-bar")).to_contain_text("Verder waar je was: 1 antwoord")
        app.get_by_role("tab", name="2. Welke fase?").click()
        expect(app.locator(".kit-score")).to_contain_text("van de 1")
        # The start page counts the step as started.
        start = _run_notebook(page, lab, "start.ipynb")
        expect(start.locator(".jp-OutputArea .kit-route-step").first).to_contain_text(
            "1 van 10 teams geplaatst"
        )
    finally:
        lab.stop()
