"""The kit on a real JupyterHub: the hub `make hub` starts (deploy/hub/demo.py with
deploy/hub/jupyterhub_config.py: configurable-http-proxy, the kit as two hub services
(kit/hub_service.py) on one PostgreSQL database, the idle culler), driven through its login page
in Chromium.

A trainer logs in and creates a session on each kit service; a participant follows each join link
(not logged in: the hub's login page, then the service that holds the session), answers, and the
answers reach the trainer's dashboards; an unauthenticated request to a service is sent to the
hub's login, and a participant cannot use another participant's kernel, not even with its
cookie. Who is who follows the hub user: no personal code; her second device is the same
participant, another hub user with her link is not. Every wait has a deadline; a failure shows the hub's log.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import psutil
import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from kit.kernel_fork import is_kernel
from tests.conftest import IN_CI, ROOT, free_port
from tests.pg import pg_bin

pytestmark = pytest.mark.postgres

DEMO = ROOT / "deploy" / "hub" / "demo.py"
PASSWORD = "kit-hub-test"
#: Seconds for the hub (PostgreSQL, proxy, hub) to answer, and for a user's first page (login,
#: spawn, first render) on a busy 2-core machine.
HUB_STARTUP = 300
FIRST_PAGE = 90_000
#: A kernel id of the right form that no page has.
UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"


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
                    "--services",
                    "2",
                    "--room",
                    "1",
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
        return [p for p in self.processes() if is_kernel(p.cmdline(), p.parent().cmdline())]

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


def create_session(page: Page, title: str) -> tuple[str, str]:
    """The trainer creates a session in the group app; returns its code and join link."""
    page.wait_for_selector(".kit-new-title input", timeout=FIRST_PAGE)
    page.locator(".kit-new-title input").fill(title)
    page.locator(".kit-create-session").click()
    code = page.locator(".kit-join-code").inner_text(timeout=30_000).strip()
    return code, page.locator("a.kit-join-link").get_attribute("href") or ""


def kernel_cookie(page: Page) -> dict[str, Any]:
    """The cookie binding the page's kernel to it (kit/voila_server.py): its path names the
    kernel."""
    found = [c for c in page.context.cookies() if c["name"] == "kit_kernel"]
    assert found, page.context.cookies()
    return dict(found[-1])


@pytest.mark.deploy
def test_a_room_on_each_kit_service_behind_the_hub_login(
    page: Page, browser: Browser, hub: Hub
) -> None:
    with hub.explained():
        # Not logged in: a page of a kit service is sent to the hub's login, its API refused.
        answer = requests.get(f"{hub.url}/services/kit/voila/render/groep.ipynb", timeout=30)
        assert answer.url.startswith(f"{hub.url}/hub/login"), answer.url
        assert "/services/kit/" in unquote(unquote(answer.url))  # and back after login
        assert (
            requests.get(f"{hub.url}/services/kit-2/api/kernels/" + UUID, timeout=30).status_code
            == 403
        )

        # The trainer logs in at the hub and lands on the kit's start page, on the first service
        # (no server of her own started), and creates a session there and one on the second.
        page.goto(hub.url + "/", timeout=30_000)
        log_in(page, "trainer")
        page.wait_for_selector(".kit-landing", timeout=FIRST_PAGE)
        assert page.url.startswith(f"{hub.url}/services/kit/voila/render/index.ipynb"), page.url
        page.locator(".kit-landing a.kit-open[href^='groep.ipynb']").click()
        code_a, link_a = create_session(page, "Zaal A")
        second = page.context.new_page()
        second.goto(f"{hub.url}/services/kit-2/voila/render/groep.ipynb", timeout=30_000)
        code_b, link_b = create_session(second, "Zaal B")
        # Each join link pins its session to the service that holds it.
        assert link_a == f"{hub.url}/services/kit/voila/render/deelnemer.ipynb?session={code_a}"
        assert link_b == f"{hub.url}/services/kit-2/voila/render/deelnemer.ipynb?session={code_b}"

        # A participant in each room scans the QR code with a phone that is not logged in: the
        # hub's login page, then the participant page on her room's service, session code kept.
        people = {"deelnemer1": (link_a, "Zaal A"), "deelnemer2": (link_b, "Zaal B")}
        phones = {name: browser.new_context().new_page() for name in people}
        for name, (link, _) in people.items():
            phones[name].goto(link, timeout=30_000)
            log_in(phones[name], name)
        for name, (link, title) in people.items():
            p = phones[name]
            p.wait_for_selector(".kit-app-workshop", timeout=FIRST_PAGE)
            assert p.url.startswith(link), p.url  # (the page adds &lang=)
            expect(p.locator(".kit-workshop-intro")).to_contain_text(title)
            # On the hub she is her hub login: no personal code asked, an alias suggested
            # that does not name her.
            expect(p.locator(".kit-session-alias input")).to_have_value(
                re.compile(r"^Deelnemer \d{4}$")
            )
            expect(p.locator(".kit-session-token")).to_be_hidden()
            p.locator(".kit-session-alias input").fill(name.replace("deelnemer", "Deelnemer "))
            p.locator(".kit-session-join").click()
        for p in phones.values():
            status = p.locator(".kit-session-status")
            expect(status).to_contain_text("als Deelnemer", timeout=30_000)
            p.get_by_role("tab", name="2 · Quickscan").click()
            p.locator(".kit-scale").first.locator("input[type=radio]").nth(2).check()
            expect(status).to_contain_text("opgeslagen om", timeout=30_000)

        # Each dashboard sees its own room's participant, through the one PostgreSQL database.
        for dashboard, alias in ((page, "Deelnemer 1"), (second, "Deelnemer 2")):
            joined = dashboard.locator(".kit-joined")
            expect(joined).to_contain_text(re.compile(r"\b1 deelnemer doet mee"), timeout=30_000)
            expect(joined.locator(".kit-aliases")).to_contain_text(alias)

        # Her second device (a browser that never saw her): she logs in to the hub with the
        # join link and is the same participant at once, her answer there; no code typed.
        tablet = browser.new_context().new_page()
        tablet.goto(link_a, timeout=30_000)
        log_in(tablet, "deelnemer1")
        status = tablet.locator(".kit-session-status")
        expect(status).to_contain_text("als Deelnemer 1", timeout=FIRST_PAGE)
        expect(tablet.locator(".kit-personal-code")).to_have_count(0)
        tablet.get_by_role("tab", name="2 · Quickscan").click()
        expect(tablet.locator(".kit-scale").first.locator("input:checked")).to_have_count(1)
        tablet.context.close()
        # Another hub user with her link is not her: his own form, and her alias is hers.
        other = phones["deelnemer2"]
        other.goto(link_a, timeout=30_000)
        other.wait_for_selector(".kit-session-alias input", timeout=FIRST_PAGE)
        expect(other.locator(".kit-session-status")).to_have_count(0)
        other.locator(".kit-session-alias input").fill("Deelnemer 1")
        other.locator(".kit-session-join").click()
        expect(other.locator(".kit-session-message")).to_contain_text(
            "gebruikt deze schuilnaam al", timeout=30_000
        )
        expect(page.locator(".kit-joined")).to_contain_text(re.compile(r"\b1 deelnemer doet mee"))

        # A participant's kernel serves her page only: another hub user holding its cookie (and
        # his own login to that service) is refused; she herself is not.
        mine = phones["deelnemer1"]
        other.goto(f"{hub.url}/services/kit/", timeout=30_000)  # his login to the service
        other.wait_for_selector(".kit-landing", timeout=FIRST_PAGE)
        stolen = kernel_cookie(mine)
        other.context.add_cookies([stolen])
        kernel_api = f"{hub.url}{stolen['path']}"
        assert mine.context.request.get(kernel_api).status == 200
        assert other.context.request.get(kernel_api).status == 403
        assert other.context.request.delete(kernel_api).status == 403
        # The kernels know the hub user as their client (wrong codes are counted per hub user),
        # and none of them holds the hub's API token.
        kernels = hub.kernels()
        clients = {k.environ().get("HTTP_X_KIT_CLIENT") for k in kernels}
        assert "hub-user:trainer" in clients, clients
        assert not any("JUPYTERHUB_API_TOKEN" in k.environ() for k in kernels)

        # The kit runs in the services, not in servers of the users: no user server started.
        commands = [" ".join(p.cmdline()) for p in hub.processes()]
        assert sum("kit.hub_service" in c for c in commands) == 2, commands
        assert not any("jupyterhub.singleuser" in c for c in commands), commands
        second.close()
        for p in phones.values():
            p.context.close()
    assert requests.get(f"{hub.url}/hub/health", timeout=10).ok


def test_the_examples_install_what_the_hub_test_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """TLJH and Zero to JupyterHub: the kit services of deploy/hub/implementatiekit.py (the
    snippet the hub test loads) and, for users' own servers, the kit's Voila settings; no hub
    started here."""
    import yaml
    from traitlets.config.loader import PyFileConfigLoader

    from kit.serve import hub_voila_config

    for name in ("KIT_HUB_SERVICES", "KIT_DATABASE_URL", "KIT_HUB_PUBLIC_URL", "KIT_HUB_PYTHON"):
        monkeypatch.delenv(name, raising=False)
    hub_dir = ROOT / "deploy" / "hub"
    kit_part = PyFileConfigLoader("implementatiekit.py", path=str(hub_dir)).load_config()
    (kit,) = kit_part.JupyterHub.services.to_dict()["extend"]
    assert kit["command"][1:] == ["-m", "kit.hub_service", "--room", "30"]
    assert kit["oauth_no_confirm"] is True
    assert kit["environment"]["KIT_PUBLIC_URL"] == (
        "https://kit.example.org/services/kit/voila/render"
    )
    (role,) = kit_part.JupyterHub.load_roles.to_dict()["extend"]
    assert role == {"name": "user", "scopes": ["self", "access:services!service=kit"]}
    assert kit_part.JupyterHub.default_url == "/services/kit/"
    spawner = kit_part.Spawner  # users' own servers: JupyterLab self-study
    assert spawner.default_url == "/lab"
    demo = (hub_dir / "demo.py").read_text()
    assert '"jupyter_server_config.json"' in demo and '"voila-config"' in demo
    culler = ["--timeout=2400", "--cull-every=300"]
    assert all(arg in (hub_dir / "jupyterhub_config.py").read_text() for arg in culler)

    # Zero to JupyterHub: every hub.services entry is a Deployment and a Service of the same
    # name in kit-services.yaml, with the environment a hub gives a service it starts itself.
    z2jh = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text())
    manifests = list(
        yaml.safe_load_all((ROOT / "deploy" / "z2jh" / "kit-services.yaml").read_text())
    )
    services = z2jh["hub"]["services"]
    assert set(services) == {"kit-a", "kit-b"}
    scopes = z2jh["hub"]["loadRoles"]["user"]["scopes"]
    assert z2jh["hub"]["config"]["JupyterHub"]["default_url"] == "/services/kit-a/"
    for name, service in services.items():
        assert service["oauth_no_confirm"] is True
        assert f"access:services!service={name}" in scopes
        deployment = next(
            m for m in manifests if m["kind"] == "Deployment" and m["metadata"]["name"] == name
        )
        (k8s_service,) = (
            m for m in manifests if m["kind"] == "Service" and m["metadata"]["name"] == name
        )
        port = k8s_service["spec"]["ports"][0]["port"]
        assert service["url"] == f"http://{name}:{port}"
        assert k8s_service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
        assert deployment["spec"]["replicas"] == 1  # a session's kernels live in one pod
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["command"][:3] == ["python", "-m", "kit.hub_service"]
        env = {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}
        assert env["JUPYTERHUB_SERVICE_PREFIX"] == f"/services/{name}/"
        assert env["JUPYTERHUB_SERVICE_URL"].endswith(f":{container['ports'][0]['containerPort']}")
        assert env["JUPYTERHUB_CLIENT_ID"] == f"service-{name}"
        assert env["JUPYTERHUB_OAUTH_CALLBACK_URL"] == f"/services/{name}/oauth_callback"
        assert env["JUPYTERHUB_API_TOKEN"]["secretKeyRef"]["key"] == f"hub.services.{name}.apiToken"
        assert env["KIT_PUBLIC_URL"].endswith(f"/services/{name}/voila/render")
        assert env["KIT_DATABASE_URL"]["secretKeyRef"]["name"] == "kit-database"
    single = z2jh["singleuser"]
    assert single["notebookDir"] == spawner.notebook_dir
    voila = single["extraFiles"]["voila"]
    assert voila["mountPath"] == "/etc/jupyter/jupyter_server_config.json"
    assert voila["data"] == hub_voila_config()
    assert (z2jh["cull"]["timeout"], z2jh["cull"]["every"]) == (2400, 300)
    dockerfile = (ROOT / "deploy" / "z2jh" / "Dockerfile").read_text()
    assert f"implementatiekit notebooks {spawner.notebook_dir}" in dockerfile

    tljh_text = (ROOT / "deploy" / "tljh" / "config.yaml").read_text()
    tljh = yaml.safe_load(tljh_text)
    assert (tljh["services"]["cull"]["timeout"], tljh["services"]["cull"]["every"]) == (2400, 300)
    assert "cp deploy/hub/implementatiekit.py /opt/tljh/config/jupyterhub_config.d/" in tljh_text
    assert "KIT_HUB_PYTHON" in tljh_text or "/opt/tljh/user/bin/python" in tljh_text
