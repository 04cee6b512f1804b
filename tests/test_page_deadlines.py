"""No endless spinner and no silent blank page: the kit's page template gives every wait a
deadline and then says so in words, with a reload button. Playwright's clock stands in for the
minutes a participant would otherwise wait."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import VoilaServer

# Fake clocks (page.clock) are installed on the whole context: a fresh one per test.
pytestmark = [pytest.mark.voila, pytest.mark.fresh_context]


def notebook(source: str) -> str:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "c1",
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    return json.dumps(
        {
            "cells": [cell],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


@pytest.fixture(scope="module")
def odd_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    root: Path = tmp_path_factory.mktemp("odd-pages")
    (root / "slow.ipynb").write_text(notebook("import time\ntime.sleep(25)"))
    (root / "blank.ipynb").write_text(notebook("x = 1  # renders, but no app appears"))
    server = VoilaServer(root)
    try:
        yield server
    finally:
        server.stop()


def test_a_page_that_never_finishes_says_so(page: Page, odd_pages: VoilaServer) -> None:
    page.clock.install()
    page.goto(odd_pages.render_url("slow.ipynb", "lang=en"), wait_until="commit")
    page.wait_for_selector("#loading", timeout=30_000)
    page.clock.fast_forward(91_000)
    alert = page.locator(".kit-page-slow")
    expect(alert).to_contain_text("still not ready after a minute and a half")
    expect(alert.get_by_role("button", name="Reload the page")).to_be_focused()
    expect(page.locator("#loading")).to_be_hidden()  # no spinner under the message


def test_a_page_without_its_app_says_so(page: Page, odd_pages: VoilaServer) -> None:
    page.clock.install()
    page.goto(odd_pages.render_url("blank.ipynb"))
    page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    # The page script looks every half second; let it see the rendered page first, so the
    # deadline runs from the render, as it does for a participant.
    page.clock.fast_forward(1_000)
    expect(page.locator(".kit-page-blank")).to_have_count(0)  # not before the deadline
    page.clock.fast_forward(31_000)
    expect(page.locator(".kit-page-blank")).to_contain_text("niet volledig geladen")
    expect(page.get_by_role("button", name="Pagina opnieuw laden")).to_be_visible()
