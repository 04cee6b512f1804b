"""The apps put who made a file in its name and its text (issue 25 §3): the name a learner
alone types, or her alias and session when she joined one."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit.content import default_content
from kit.storage import Store
from tests.test_apps import find

C = default_content()


def downloaded(html: str) -> tuple[str, bytes]:
    """The file name and the bytes of a download link."""
    name = re.search(r'download="([^"]+)"', html)
    data = re.search(r"base64,([^\"]+)\"", html)
    assert name and data, html[:200]
    return name.group(1), base64.b64decode(data.group(1))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'names.sqlite3'}")
    monkeypatch.setattr("kit.storage.get_store", lambda url=None: s)
    monkeypatch.setenv("QUERY_STRING", "")
    yield s
    s.dispose()


def test_alone_the_typed_name_goes_on_the_log(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.kern_app import kern_app

    monkeypatch.setenv("QUERY_STRING", "intervention=samen-sterk&tab=log")
    page = kern_app()
    page.body.children[0].view.add_proposal()  # the element and kind the composer shows
    find(page, "kit-maker-name").value = "  Noor\x00 Bakker "
    find(page, "kit-log-csv").click()
    name, data = downloaded(find(page, "kit-log-links").value)
    assert re.fullmatch(r"aanpassingen-noor-bakker-samen-sterk-\d{4}-\d\d-\d\d-\d{4}\.csv", name)
    assert "Noor Bakker" in data.decode("utf-8-sig")
    find(page, "kit-log-pdf").click()
    name, data = downloaded(find(page, "kit-log-links").value)
    assert name.startswith("aanpassingen-noor-bakker-samen-sterk-") and name.endswith(".pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Noor Bakker" in text and C.intervention("samen-sterk").name("nl") in text


def test_in_a_session_the_alias_and_code_go_on_the_report(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.quickscan_app import quickscan_app

    info, _ = store.create_session("Huiswerk", case_id="buurtkracht")
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}&lang=en")
    page = quickscan_app()
    find(page, "kit-session-alias").value = "Uil"
    find(page, "kit-session-join").click()
    find(page, "kit-tabs").selected_index = 3
    assert "Uil" in find(page, "kit-maker-joined").value
    assert find(page, "kit-maker-name") is None
    find(page, "kit-make-pdf").click()
    name, data = downloaded(find(page, "kit-downloads").value)
    assert name.startswith(f"quickscan-uil-{info.code}-buurtkracht-")
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Made by Uil" in first and f"session {info.code}" in first
    assert C.case("buurtkracht").title("en") in first
