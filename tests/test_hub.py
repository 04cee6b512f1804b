"""The kit on a real JupyterHub: the hub `make hub` starts (deploy/hub/demo.py with
deploy/hub/jupyterhub_config.py: configurable-http-proxy, local user servers, the idle culler,
one PostgreSQL database), driven through its login page in Chromium.

A trainer and two participants log in, each into a server of their own; the trainer creates a
session, the participants follow its join link (through the hub, to their own server), answer,
and their answers reach the trainer's dashboard; after the trainer closes the session a
participant's next answer is refused. Every wait has a deadline; a failure shows the hub's log.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.conftest import IN_CI, ROOT, free_port
from tests.pg import pg_bin

pytestmark = pytest.mark.postgres

DEMO = ROOT / "deploy" / "hub" / "demo.py"
PASSWORD = "kit-hub-test"
#: Seconds for the hub (PostgreSQL, proxy, hub) to answer, and for a user's first page (login,
#: spawn, first render) on a busy 2-core machine.
HUB_STARTUP = 90
FIRST_PAGE = 90_000


def proxy_command() -> str | None:
    """configurable-http-proxy as `make hub` / `make test` install it (npm, into the venv)."""
    local = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    import shutil

    return shutil.which("configurable-http-proxy")


class Hub:
    """``deploy/hub/demo.py`` in a subprocess on a free port; its log for failure messages."""

    def __init__(self, log: Path) -> None:
        proxy = proxy_command()
        missing = [
            what
            for what, ok in (("configurable-http-proxy (npm)", proxy), ("postgresql", pg_bin()))
            if not ok
        ]
        if missing:
            if IN_CI:
                pytest.fail(
                    f"missing in CI: {', '.join(missing)} (.ci/run and make test install them)"
                )
            pytest.skip(f"missing: {', '.join(missing)} (see `make hub` in README.md)")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.out = log.with_suffix(".out")
        env = {**os.environ, "KIT_HUB_PASSWORD": PASSWORD}
        with self.out.open("wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    str(DEMO),
                    "--port",
                    str(self.port),
                    "--log",
                    str(log),
                    "--proxy",
                    str(proxy),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + HUB_STARTUP
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"deploy/hub/demo.py exited with {self.proc.returncode}\n{self.tail()}")
            if b"Log in as" in self.out.read_bytes():  # printed once /hub/health answered
                return
            time.sleep(0.3)
        self.stop()
        pytest.fail(f"the hub did not come up within {HUB_STARTUP} s\n{self.tail()}")

    def tail(self, lines: int = 80) -> str:
        text = ""
        for path in (self.out, self.log):
            with contextlib.suppress(OSError):
                got = path.read_text(errors="replace").splitlines()[-lines:]
                text += f"--- {path.name} ---\n" + "\n".join(got) + "\n"
        return text

    def processes(self) -> list[psutil.Process]:
        with contextlib.suppress(psutil.NoSuchProcess):
            return psutil.Process(self.proc.pid).children(recursive=True)
        return []

    def kernels(self) -> list[psutil.Process]:
        return [p for p in self.processes() if "ipykernel" in " ".join(p.cmdline())]

    @contextlib.contextmanager
    def explained(self) -> Iterator[None]:
        """Re-raise a failure with the hub's log attached."""
        try:
            yield
        except Exception as error:
            raise AssertionError(f"{error}\n{self.tail()}") from error

    def stop(self) -> list[psutil.Process]:
        """Stop the hub the way Ctrl-C does; returns processes that outlived it (then killed)."""
        family = self.processes()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=45)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        _, alive = psutil.wait_procs(family, timeout=5)
        for p in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        return alive


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    hub = Hub(tmp_path_factory.mktemp("hub") / "jupyterhub.log")
    try:
        yield hub
    finally:
        left = hub.stop()
        assert not left, f"still running after the hub stopped: {[p.pid for p in left]}"


def log_in(page: Page, name: str) -> None:
    """The hub's login page, as a person fills it in."""
    page.wait_for_selector("#username_input", timeout=30_000)
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_trainer_and_participants_on_their_own_servers(
    page: Page, browser: Browser, hub: Hub
) -> None:
    with hub.explained():
        # The trainer and two participants log in at the start of the workshop; their servers
        # start side by side, and each lands on the kit's start page in Voila (in Dutch).
        laptops = {"trainer": page}
        for name in ("deelnemer1", "deelnemer2"):
            laptops[name] = browser.new_context().new_page()
        for name, p in laptops.items():
            p.goto(hub.url + "/", timeout=30_000)
            log_in(p, name)
        for name, p in laptops.items():
            p.wait_for_selector(".kit-landing", timeout=FIRST_PAGE)
            assert f"/user/{name}/voila/render/index.ipynb" in p.url
        assert "kit-page-toast" in page.content()  # the kit's page template

        # The trainer opens the group app from the start page and creates a session.
        page.locator(".kit-landing a.kit-open[href^='groep.ipynb']").click()
        page.wait_for_selector(".kit-new-title input", timeout=FIRST_PAGE)
        page.locator(".kit-new-title input").fill("Hub-workshop")
        page.locator(".kit-create-session").click()
        code = page.locator(".kit-join-code").inner_text(timeout=30_000).strip()
        link = page.locator("a.kit-join-link").get_attribute("href") or ""
        # The join link goes through the hub to each participant's own server.
        assert link == f"{hub.url}/hub/user-redirect/voila/render/deelnemer.ipynb?session={code}"

        # Deelnemer 1 follows it on her laptop (logged in); deelnemer 2 scans it with her phone,
        # which is not logged in: the hub's login page, then her own server, session code kept.
        people = {
            "deelnemer1": laptops["deelnemer1"],
            "deelnemer2": browser.new_context().new_page(),
        }
        people["deelnemer1"].goto(link, wait_until="commit", timeout=30_000)
        people["deelnemer2"].goto(link, timeout=30_000)
        log_in(people["deelnemer2"], "deelnemer2")
        for name, p in people.items():
            p.wait_for_selector(".kit-app-workshop", timeout=FIRST_PAGE)
            assert f"/user/{name}/voila/render/deelnemer.ipynb?session={code}" in p.url
            expect(p.locator(".kit-workshop-intro")).to_contain_text("Hub-workshop")
            p.locator(".kit-session-alias input").fill(name.replace("deelnemer", "Deelnemer "))
            p.locator(".kit-session-join").click()
        for p in people.values():
            status = p.locator(".kit-session-status")
            expect(status).to_contain_text("als Deelnemer", timeout=30_000)
            p.get_by_role("tab", name="2 · Quickscan").click()
            p.locator(".kit-scale").first.locator("input[type=radio]").nth(2).check()
            expect(status).to_contain_text("opgeslagen om", timeout=30_000)

        # Their answers, written by kernels in other servers, reach the trainer's dashboard
        # through the one PostgreSQL database.
        joined = page.locator(".kit-joined")
        expect(joined).to_contain_text(re.compile(r"\b2 deelnemers doen mee"), timeout=30_000)
        expect(joined.locator(".kit-aliases")).to_contain_text("Deelnemer 2")
        expect(page.locator(".kit-group-scan")).to_contain_text(re.compile(r"\b2 deelnemers\b"))

        # Each user has a server of their own, and its kernels run with the kit's settings.
        kernels = hub.kernels()
        homes = {Path(k.environ().get("HOME", "")) for k in kernels}
        assert {h.name for h in homes} >= {"trainer", "deelnemer1", "deelnemer2"}, homes
        for k in kernels:
            connection = json.loads(Path(k.cmdline()[k.cmdline().index("-f") + 1]).read_text())
            assert connection["transport"] == "ipc"  # jupyter_server_config.json was read
        assert any("jupyterhub_idle_culler" in " ".join(p.cmdline()) for p in hub.processes())

        # The trainer closes the session; a participant's next answer is refused.
        page.locator(".kit-close-session").click()
        page.locator(".kit-confirm-close input").check()
        page.locator(".kit-close-session").click()
        expect(page.locator(".kit-action-message")).to_contain_text("De sessie is gesloten")
        p = people["deelnemer1"]
        p.locator(".kit-scale").first.locator("input[type=radio]").nth(0).check()
        expect(p.locator(".kit-session-status")).to_contain_text(
            "De trainer heeft deze sessie gesloten", timeout=30_000
        )
        for p in {*laptops.values(), *people.values()} - {page}:
            p.context.close()
    assert requests.get(f"{hub.url}/hub/health", timeout=10).ok


def test_the_examples_install_what_the_hub_test_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """TLJH and Zero to JupyterHub: the settings of deploy/hub/implementatiekit.py and the kit's
    Voila settings, in the place the test's hub reads them from (no hub started here)."""
    import yaml
    from traitlets.config.loader import PyFileConfigLoader

    from kit.serve import hub_voila_config

    for name in ("KIT_HUB_NOTEBOOKS", "KIT_DATABASE_URL", "KIT_HUB_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    hub_dir = ROOT / "deploy" / "hub"
    kit_part = PyFileConfigLoader("implementatiekit.py", path=str(hub_dir)).load_config()
    spawner = kit_part.Spawner
    assert spawner.default_url == "/voila/render/index.ipynb"
    demo = (hub_dir / "demo.py").read_text()
    assert '"jupyter_server_config.json"' in demo and '"voila-config"' in demo
    culler = ["--timeout=2400", "--cull-every=300"]
    assert all(arg in (hub_dir / "jupyterhub_config.py").read_text() for arg in culler)

    z2jh = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text())
    single = z2jh["singleuser"]
    assert single["defaultUrl"] == spawner.default_url
    assert single["notebookDir"] == spawner.notebook_dir
    voila = single["extraFiles"]["voila"]
    assert voila["mountPath"] == "/etc/jupyter/jupyter_server_config.json"
    assert voila["data"] == hub_voila_config()
    assert single["extraEnv"]["KIT_PUBLIC_URL"].endswith("/hub/user-redirect/voila/render")
    assert "KIT_DATABASE_URL" in single["extraEnv"]
    assert (z2jh["cull"]["timeout"], z2jh["cull"]["every"]) == (2400, 300)
    dockerfile = (ROOT / "deploy" / "z2jh" / "Dockerfile").read_text()
    assert f"implementatiekit notebooks {spawner.notebook_dir}" in dockerfile

    tljh_text = (ROOT / "deploy" / "tljh" / "config.yaml").read_text()
    tljh = yaml.safe_load(tljh_text)
    assert "hub" not in tljh  # not a TLJH setting: the copied snippet sets the start page
    assert (tljh["services"]["cull"]["timeout"], tljh["services"]["cull"]["every"]) == (2400, 300)
    assert "voila-config > /opt/tljh/user/etc/jupyter/jupyter_server_config.json" in tljh_text
    assert "cp deploy/hub/implementatiekit.py /opt/tljh/config/jupyterhub_config.d/" in tljh_text
    assert f"implementatiekit notebooks {spawner.notebook_dir}" in tljh_text
