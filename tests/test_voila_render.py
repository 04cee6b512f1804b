"""Render every notebook through a real Voila server and read the page, not just the status."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.conftest import NOTEBOOKS, VOILA_ERROR_MARKERS, VoilaServer

PAGES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
#: A class each app puts on its root widget: proof the app itself was built (tests/test_wire.py
#: opens every notebook in the browser and looks for it).
APP_MARKER = {
    "index.ipynb": "kit-landing",
    "fasen.ipynb": "kit-app-phases",
    "quickscan.ipynb": "kit-app-quickscan",
    "kern-en-schil.ipynb": "kit-app-kern",
    "groep.ipynb": "kit-app-group",
    "deelnemer.ipynb": "kit-app-workshop",
    "presentatie.ipynb": "kit-app-presenter",
    "plan.ipynb": "kit-app-plan",
    "huiswerk.ipynb": "kit-app-homework",
    "leiden.ipynb": "kit-app-led",
    "start.ipynb": "kit-start",
}

pytestmark = pytest.mark.voila


def test_every_notebook_has_a_marker() -> None:
    assert PAGES, "no notebooks found"
    assert set(PAGES) <= set(APP_MARKER), "add the new notebook's root class to APP_MARKER"


@pytest.mark.parametrize("notebook", PAGES)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_renders_without_error(voila_server: VoilaServer, notebook: str, lang: str) -> None:
    response = requests.get(voila_server.render_url(notebook, f"lang={lang}"), timeout=120)
    assert response.status_code == 200
    body = response.text
    for marker in VOILA_ERROR_MARKERS:
        assert marker not in body, f"{notebook}: page shows {marker!r}"
    # Voila renders widgets in the browser: the page carries a widget view for the app (the
    # browser test below checks the app itself); a content error would be plain HTML instead.
    assert "application/vnd.jupyter.widget-view+json" in body
    assert "import kit" not in body, "code cells must be hidden"


def test_broken_content_shows_file_and_line(tmp_path: Path) -> None:
    """An app on broken content names the file and line instead of showing a traceback."""
    from tests.test_content import copy_content

    root = copy_content(tmp_path)
    phases = root / "phases.yaml"
    phases.write_text(phases.read_text().replace("stage: invoeren", "stage: invoren", 1))
    server = VoilaServer(NOTEBOOKS, env={"KIT_CONTENT_DIR": str(root)})
    try:
        body = requests.get(server.render_url("fasen.ipynb"), timeout=120).text
    finally:
        server.stop()
    assert "There was an error when executing cell" not in body
    assert "phases.yaml:" in body and "unknown stage" in body and "invoren" in body
