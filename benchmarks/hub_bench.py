"""The kit on JupyterHub, measured: ``make bench-hub`` (a few minutes on 2 cores).

Starts the hub ``make hub`` starts (deploy/hub/demo.py: configurable-http-proxy, the kit as a hub
service with a pool of ``HUB_BENCH_SERVICE_ROOM`` pre-heated participant pages (default 30), users'
own servers, the idle culler, one PostgreSQL database) and measures both designs over HTTP, as a
participant's browser would see it. ``HUB_BENCH_DESIGNS`` picks them (``service,per-user``).

The service design (kit/hub_service.py):

* **a room logging in at once**: ``HUB_BENCH_SERVICE_ROOM`` participants who are not logged in
  open the join link of a session on the kit service at the same moment, once the pool is full:
  the login (form submitted until the hub's redirect) and the page (the OAuth redirects and the
  participant page, until its last byte) timed apart;
* **where the time goes**: the CPU time (user + system, which unlike the wall clock does not grow
  with other work on the machine) that the hub, the proxy, the kit services and PostgreSQL spent
  during the burst, per login; and each of the hub's requests of a login (the form, the OAuth
  authorize, the token and user look-ups from the service) as the hub's log times them;
  ``HUB_BENCH_PROFILE=1`` runs the hub under cProfile and prints its busiest functions;
* **memory per participant**: the kit service with its kernels, divided by the participants, and
  the hub's own share;
* **nothing lost**: a second room of ``HUB_BENCH_SECOND_ROOM`` (default 5) logs in to a session on
  the second kit service (``kit-2``); then every participant of both rooms joins (the session code
  from the link, the alias the page suggests, no personal code on a hub) and answers a phase
  scenario, driving her page's widgets over its kernel's websocket as the browser does
  (:class:`PageWidgets`), and every answer must be in the one database, counted per service.

The per-user design (each participant's own Jupyter server, the design before the service):

* **first page**: a participant who is not logged in opens the join link, logs in and waits for
  the participant page: login, their server starting (spawn) and the first render, until the
  page's last byte. ``HUB_BENCH_SOLO`` participants one after another (default 3).
* **a room logging in at once**: ``HUB_BENCH_ROOM`` participants (default 10) do the same at the
  same moment.
* **memory per user server**: the RSS (and private USS) of each user's Jupyter server and of the
  kernel behind their open page, and what the hub itself holds (hub, proxy, culler).

Every user server starts with an empty home folder, so caches are cold, as on a real hub. Every
step has a deadline; a page that misses it counts as hung and the run fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import psutil
import requests

from kit.kernel_fork import is_kernel

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "deploy" / "hub" / "demo.py"
SOLO = int(os.environ.get("HUB_BENCH_SOLO", "3"))
ROOM = int(os.environ.get("HUB_BENCH_ROOM", "10"))
SERVICE_ROOM = int(os.environ.get("HUB_BENCH_SERVICE_ROOM", "30"))
#: The participants of the second room, on the second kit service (``kit-2``).
SECOND_ROOM = int(os.environ.get("HUB_BENCH_SECOND_ROOM", "5"))
DESIGNS = os.environ.get("HUB_BENCH_DESIGNS", "service,per-user").split(",")
#: Seconds for the hub to start, and for one participant's login + spawn + first page.
STARTUP_DEADLINE = 300
PAGE_DEADLINE = float(os.environ.get("HUB_BENCH_PAGE_DEADLINE", "240"))
#: Seconds for a participant's kernel to answer a step (joining rebuilds her page).
ANSWER_DEADLINE = 180
#: HUB_BENCH_PROFILE=1: the hub runs under cProfile; its busiest functions are printed at the end
#: (profiling slows it: take the times from a run without).
PROFILE = os.environ.get("HUB_BENCH_PROFILE", "") not in ("", "0")
PASSWORD = "kit-hub-bench"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MIB = 1024 * 1024


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Hub:
    """deploy/hub/demo.py in a subprocess, stopped the way Ctrl-C stops it."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.out = log.with_suffix(".out")
        self.profile = log.with_name("jupyterhub.prof")
        env = {
            k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "KIT_CHART_CACHE")
        }
        env["KIT_HUB_PASSWORD"] = PASSWORD
        with self.out.open("wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    str(DEMO),
                    "--port",
                    str(self.port),
                    "--log",
                    str(log),
                    "--services",
                    "2",
                    "--room",
                    f"{SERVICE_ROOM},{SECOND_ROOM}",
                    *(["--profile", str(self.profile)] if PROFILE else []),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_DEADLINE
        while time.monotonic() < deadline:
            text = self.out.read_text(errors="replace")
            if self.proc.poll() is not None:
                raise SystemExit(f"deploy/hub/demo.py exited with {self.proc.returncode}:\n{text}")
            found = re.search(r"Group data: (\S+)", text)
            if found:
                self.db_url = found.group(1)
                return
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"the hub did not start within {STARTUP_DEADLINE} s; see {self.out}")

    def servers(self) -> dict[str, psutil.Process]:
        """Each user's Jupyter server process, by user name (from its home folder)."""
        found = {}
        for p in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if "jupyterhub.singleuser" in " ".join(p.cmdline()):
                    found[Path(p.environ()["HOME"]).name] = p
            except (psutil.NoSuchProcess, KeyError):
                continue
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@dataclass
class Visit:
    """One participant's way in: the login (the form submitted until the hub's redirect) and the
    page after it (on the service the OAuth redirects and the page; on a user server the spawn
    and the first render), until the page's last byte."""

    user: str
    login: float = 0.0
    page: float = 0.0
    ok: bool = False
    error: str = ""
    browser: requests.Session | None = field(default=None, repr=False)
    answered: str = ""  # the participant's answer went through her page ("" while not)

    @property
    def seconds(self) -> float:
        return self.login + self.page


def log_in(hub: Hub, visit: Visit, join_path: str) -> str | None:
    """The hub's login form, filled in as a browser does with the join link as ``next``: the
    address the hub sends her on to (None, and ``visit.error``, if it does not)."""
    s = visit.browser = requests.Session()
    form = s.get(f"{hub.url}/hub/login", params={"next": join_path}, timeout=60)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
    start = time.monotonic()
    r = s.post(
        form.url,
        data={
            "username": visit.user,
            "password": PASSWORD,
            **({"_xsrf": xsrf.group(1)} if xsrf else {}),
        },
        timeout=(5, PAGE_DEADLINE),
        allow_redirects=False,
    )
    visit.login = time.monotonic() - start
    if r.status_code != 302:
        visit.error = f"login: HTTP {r.status_code}"
        return None
    return urljoin(hub.url + "/", r.headers["Location"])


def user_server_page(hub: Hub, join_path: str, visit: Visit) -> None:
    """The per-user design: after the login the hub starts her server (its spawn-pending page is
    asked again as the browser's would) and the server renders the participant page."""
    following = log_in(hub, visit, join_path)
    if following is None or visit.browser is None:
        return
    start = time.monotonic()
    r = visit.browser.get(following, timeout=(5, PAGE_DEADLINE))
    target = f"{hub.url}/user/{visit.user}{join_path.removeprefix('/hub/user-redirect')}"
    while time.monotonic() - start < PAGE_DEADLINE:
        if r.status_code == 200 and f"/user/{visit.user}/voila/render/" in r.url:
            visit.page = time.monotonic() - start
            visit.ok = WIDGET_MIME in r.text and "There was an error" not in r.text
            visit.error = "" if visit.ok else "page without widgets"
            return
        if r.status_code >= 500 and "spawn" not in r.url:
            visit.error = f"HTTP {r.status_code} at {r.url}"
            return
        time.sleep(0.25)  # spawn pending: ask again, as the pending page does
        r = visit.browser.get(target, timeout=(5, PAGE_DEADLINE))
    visit.error = "hung"


def service_page(hub: Hub, join_path: str, visit: Visit) -> None:
    """The service design: after the login the OAuth round trip to the kit service (its
    cookie for the hub user) and the participant page from the service's pool."""
    following = log_in(hub, visit, join_path)
    if following is None or visit.browser is None:
        return
    start = time.monotonic()
    page = visit.browser.get(following, timeout=(5, PAGE_DEADLINE))
    visit.page = time.monotonic() - start
    visit.ok = (
        page.status_code == 200
        and join_path.split("?")[0] in page.url
        and WIDGET_MIME in page.text
        and "There was an error" not in page.text
    )
    visit.error = "" if visit.ok else f"HTTP {page.status_code} at {page.url}, no widgets?"


def at_once(
    one: Callable[[Hub, str, Visit], None], hub: Hub, join_path: str, visits: list[Visit]
) -> list[Visit]:
    """``one`` for every visit at the same moment, each with the page deadline."""
    with ThreadPoolExecutor(max_workers=len(visits)) as pool:
        futures = [pool.submit(one, hub, join_path, v) for v in visits]
        done, not_done = wait(futures, timeout=PAGE_DEADLINE + 30)
        for f in done:
            if f.exception():
                raise f.exception()  # type: ignore[misc]
        if not_done:
            raise SystemExit(f"{len(not_done)} visit(s) hung past {PAGE_DEADLINE} s")
    return visits


class PageWidgets:
    """A participant page's widgets, driven over its kernel's websocket as the page's widget
    manager drives them (Jupyter's JSON messages on ``/api/kernels/<id>/channels``, with the
    browser's cookies): the bench joins and answers without a browser, through the same
    routes, the same hub login and the same kernel binding as a phone."""

    def __init__(self, hub: Hub, browser: requests.Session) -> None:
        import websockets.sync.client

        kernel = next(c for c in browser.cookies if c.name == "kit_kernel")
        http = f"{hub.url}{kernel.path}/channels"
        cookie = browser.prepare_request(requests.Request("GET", http)).headers.get("Cookie", "")
        self.closing = contextlib.ExitStack()
        self.socket = self.closing.enter_context(
            websockets.sync.client.connect(
                http.replace("http://", "ws://") + f"?session_id={uuid.uuid4()}",
                additional_headers={"Cookie": cookie},
                open_timeout=60,
                max_size=None,
            )
        )
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict[str, Any]] = {}
        self.replies: dict[str, dict[str, Any]] = {}
        asked = self.send("comm_info_request", {"target_name": "jupyter.widget"})
        self.pump(lambda: asked in self.replies, ANSWER_DEADLINE)
        comms = list(self.replies[asked]["content"]["comms"])
        for comm in comms:
            self.send("comm_msg", {"comm_id": comm, "data": {"method": "request_state"}})
        self.pump(lambda: all(c in self.models for c in comms), ANSWER_DEADLINE)

    def send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "username": "bench",
            "session": self.session,
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        }
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        self.socket.send(json.dumps({**message, "channel": "shell", "buffers": []}))
        return msg_id

    def pump(self, until: Callable[[], bool], seconds: float) -> None:
        """Take the kernel's messages until ``until()`` holds (or fail after ``seconds``)."""
        deadline = time.monotonic() + seconds
        while not until():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the page's kernel did not answer in time")
            try:
                raw = self.socket.recv(timeout=min(left, 5))
            except TimeoutError:
                continue
            self.take(json_part(raw))

    def take(self, message: dict[str, Any]) -> None:
        kind, content = message["header"]["msg_type"], message["content"]
        parent = message.get("parent_header", {}).get("msg_id")
        if parent and kind.endswith("_reply"):
            self.replies[parent] = message
        comm = content.get("comm_id", "")
        data = content.get("data", {})
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.models[comm] = dict(data.get("state", {}))
        elif kind == "comm_msg" and data.get("method") in ("update", "echo_update"):
            self.models.setdefault(comm, {}).update(data.get("state", {}))
        elif kind == "comm_close":
            self.models.pop(comm, None)

    def find(self, css: str, but: str = "") -> str:
        """The newest widget with class ``css`` (a rebuilt screen's, not the old one's), and
        without class ``but``."""
        found = [
            c
            for c, m in self.models.items()
            if css in m.get("_dom_classes", ()) and but not in m.get("_dom_classes", (but,))
        ]
        if not found:
            raise LookupError(f"no widget .{css} on the page")
        return found[-1]

    def value(self, css: str) -> str:
        try:
            return str(self.models[self.find(css)].get("value", ""))
        except LookupError:
            return ""

    def click(self, css: str) -> None:
        data = {"method": "custom", "content": {"event": "click"}}
        self.send("comm_msg", {"comm_id": self.find(css), "data": data})

    def set(self, comm: str, **state: Any) -> None:
        data = {"method": "update", "state": state, "buffer_paths": []}
        self.send("comm_msg", {"comm_id": comm, "data": data})

    def close(self) -> None:
        self.closing.close()


def json_part(raw: str | bytes) -> dict[str, Any]:
    """A kernel message from the websocket: JSON text, or Jupyter's binary frame (a message with
    buffers: the count, the offsets, the JSON, then the buffers, which the bench ignores)."""
    if isinstance(raw, str):
        return dict(json.loads(raw))
    count = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(raw)
    return dict(json.loads(raw[offsets[0] : end]))


def saves(page: PageWidgets) -> int:
    """How many saving reports the session bar has shown (``data-saves``, kit/apps/session_bar.py)."""
    found = re.search(r'data-saves="(\d+)"', page.value("kit-session-status"))
    return int(found.group(1)) if found else 0


def has(page: PageWidgets, css: str) -> bool:
    try:
        return bool(page.find(css))
    except LookupError:
        return False


def join_and_answer(hub: Hub, visit: Visit) -> None:
    """What a participant does next, over her page's kernel: join with the code from the link
    and the alias the page suggests (no personal code on a hub), then answer the first
    scenario of the phase exercise and check it; done when the bar reports it saved."""
    assert visit.browser is not None
    page = PageWidgets(hub, visit.browser)
    try:
        page.click("kit-session-join")
        page.pump(lambda: "kit-session-who" in page.value("kit-session-status"), ANSWER_DEADLINE)
        before = saves(page)
        # The phase exercise's second tab, "which phase?" (built when opened): an answer, checked.
        page.set(page.find("kit-tabs", but="kit-workshop-tabs"), selected_index=1)
        page.pump(lambda: has(page, "kit-check"), ANSWER_DEADLINE)  # (after the answer's)
        page.set(page.find("kit-phase-answer"), index=2)
        page.click("kit-check")
        page.pump(lambda: saves(page) > before, ANSWER_DEADLINE)
        visit.answered = re.sub(r"<[^>]+>", "", page.value("kit-session-status"))[:80]
    finally:
        page.close()


def everyone_answers(hub: Hub, visits: list[Visit]) -> None:
    """Every participant whose page arrived joins and answers, all at the same time."""
    arrived = [v for v in visits if v.ok]
    with ThreadPoolExecutor(max_workers=max(1, len(arrived))) as pool:
        futures = {pool.submit(join_and_answer, hub, v): v for v in arrived}
        done, not_done = wait(futures, timeout=ANSWER_DEADLINE * 3)
        for f in done:
            if f.exception():
                futures[f].error = f"answering: {f.exception()!r}"
        for f in not_done:
            futures[f].error = "answering hung"


def stored_answers(db_url: str, sessions: dict[str, tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Per service: participants who joined its session, and how many of them have their
    phase answer in the one database (waiting a while for saves still under way)."""
    from kit.answers import PhaseGuess
    from kit.storage import Store

    store = Store(db_url)
    try:
        deadline = time.monotonic() + 60
        while True:
            found = {}
            for service, (code, key) in sessions.items():
                joined = {p.participant for p in store.participants(code, key)}
                answered = {
                    s.participant
                    for s in store.all_submissions(code, key)
                    if isinstance(s.record, PhaseGuess)
                }
                found[service] = (len(joined), len(answered & joined))
            if all(j == a for j, a in found.values()) or time.monotonic() > deadline:
                return found
            time.sleep(2)
    finally:
        store.dispose()


def service_processes(hub: Hub, name: str = "") -> list[psutil.Process]:
    """The kit services (or only the one called ``name``) and their kernels."""
    found: list[psutil.Process] = []
    for p in psutil.Process(hub.proc.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "kit.hub_service" in " ".join(p.cmdline()) and (
                not name or p.environ().get("JUPYTERHUB_SERVICE_NAME") == name
            ):
                found += [p, *p.children(recursive=True)]
    return found


def own_cpu() -> float:
    """This process's CPU time: the bench's own clients (the participants' browsers)."""
    times = psutil.Process().cpu_times()
    return times.user + times.system


def part_of(cmdline: str) -> str:
    """Which part of the hub a process is, for CPU accounting."""
    for needle, part in PARTS:
        if needle in cmdline:
            return part
    return "other"


#: The hub's parts, as their command lines name them (the first that matches).
PARTS = (
    ("ipykernel", "kernels"),
    ("kit.kernel_fork", "kernels"),  # forked kernels keep their fork server's command line
    ("kit.hub_service", "kit services"),
    ("configurable-http-proxy", "proxy"),
    ("postgres", "PostgreSQL"),
    ("jupyterhub_idle_culler", "other"),
    ("jupyterhub.singleuser", "other"),
    ("jupyterhub", "JupyterHub"),
)


def cpu_seconds(hub: Hub) -> dict[str, float]:
    """CPU time (user + system) used so far by each part of the hub (:data:`PARTS`): CPU time,
    unlike the wall clock, does not grow with other work on the machine."""
    used: dict[str, float] = defaultdict(float)
    for p in psutil.Process(hub.proc.pid).children(recursive=True):
        try:
            times = p.cpu_times()
            used[part_of(" ".join(p.cmdline()))] += times.user + times.system
        except psutil.Error:
            continue
    return used


def request_times(log: Path, since: int) -> dict[str, list[float]]:
    """Each step of a login as the hub logs it (its own time per request, without the wait
    for its turn), from byte ``since`` of the hub's log on."""
    with log.open("rb") as f:
        f.seek(since)
        text = f.read().decode(errors="replace")
    steps: dict[str, list[float]] = defaultdict(list)
    for method, path, ms in re.findall(r"\] \d{3} (GET|POST) (\S+) .*?([\d.]+)ms", text):
        for name, (want_method, needle) in STEPS.items():
            if method == want_method and needle in path:
                steps[name].append(float(ms) / 1000)
    return steps


#: The hub's requests of one participant's way in, in order (the kit services log none).
STEPS = {
    "hub: login form sent": ("POST", "/hub/login"),
    "hub: OAuth authorize": ("GET", "/hub/api/oauth2/authorize"),
    "hub: OAuth token (from the service)": ("POST", "/hub/api/oauth2/token"),
    "hub: who is this (from the service)": ("GET", "/hub/api/user"),
}


def wait_for_pool(log: Path, size: int) -> None:
    """Until the services' pools hold ``size`` ready pages (the kit's server logs each)."""
    deadline = time.monotonic() + 60 + 20 * size
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count("is ready, waiting for its visitor") >= size:
            return
        time.sleep(1)
    raise SystemExit(f"the services' pools did not fill ({size}) in time; see {log}")


def row(label: str, values: list[float], digits: int = 2) -> str:
    return (
        f"| {label}: p50 / p95 / max | {quantile(values, 0.5):.{digits}f} / "
        f"{quantile(values, 0.95):.{digits}f} / {max(values):.{digits}f} s |"
    )


def heading(title: str) -> None:
    print(f"\n## {title} (make bench-hub)\n")
    print(
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 1024**3:.0f} GiB; load average at the end: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (other work on the machine slows every wall-clock figure; CPU times do not)\n"
    )
    print("| measure | value |\n|---|---|")


def service_design(hub: Hub, log: Path, sessions: dict[str, tuple[str, str]]) -> bool:
    """The service design: a room logging in at once (and where its time goes), the memory it
    takes, and every participant's answer from both services in the one database."""
    wait_for_pool(log, SERVICE_ROOM + SECOND_ROOM)
    time.sleep(3)
    idle = sum(p.memory_info().rss for p in service_processes(hub, "kit"))
    hub_only = overhead(hub)
    join = {
        s: f"/services/{s}/voila/render/deelnemer.ipynb?session={c}"
        for s, (c, _) in sessions.items()
    }
    visits = [Visit(f"zaal{i + 1:02d}") for i in range(SERVICE_ROOM)]
    since = log.stat().st_size
    cpu_before, own_before = cpu_seconds(hub), own_cpu()
    at_once(service_page, hub, join["kit"], visits)
    cpu_after, own_after = cpu_seconds(hub), own_cpu()
    steps = request_times(log, since)
    time.sleep(3)
    procs = service_processes(hub, "kit")
    rss = sum(p.memory_info().rss for p in procs)
    uss = sum(p.memory_full_info().uss for p in procs)
    # The second room on the second service, then everyone joins and answers.
    second = [Visit(f"zaalb{i + 1:02d}") for i in range(SECOND_ROOM)]
    at_once(service_page, hub, join["kit-2"], second)
    everyone_answers(hub, visits + second)
    stored = stored_answers(hub.db_url, sessions)

    ok = [v for v in visits if v.ok]
    heading("JupyterHub, the kit as a hub service")
    if ok:
        print(row(f"{SERVICE_ROOM} logging in at once, login + page", [v.seconds for v in ok]))
        print(row("of which the login", [v.login for v in ok]))
        print(row("of which the page (OAuth + render)", [v.page for v in ok]))
    used = {part: cpu_after[part] - cpu_before.get(part, 0.0) for part in cpu_after}
    server = ("JupyterHub", "proxy", "kit services", "PostgreSQL")
    per_login = " + ".join(
        f"{part} {used.get(part, 0) / SERVICE_ROOM * 1000:.0f}" for part in server
    )
    total = sum(used.get(part, 0) for part in server) / SERVICE_ROOM * 1000
    print(f"| CPU per login (user + system), {per_login} | {total:.0f} ms |")
    print(
        f"| CPU in the same time: the kernels (pages taken, the pool refilling) / the bench's "
        f"own {SERVICE_ROOM} clients | {used.get('kernels', 0):.1f} / {own_after - own_before:.1f} s |"
    )
    for name, times in steps.items():
        print(row(f"time in the server per request, {name} ({len(times)})", times, 3))
    print(f"| pages with widgets | {len(ok)}/{len(visits)} |")
    for service, (joined, answered) in stored.items():
        print(
            f"| participants of the session on {service}: joined / answer stored | {joined} / {answered} |"
        )
    print(
        f"| the kit service with {len(procs) - 1} kernels after the room arrived, "
        f"RSS / USS | {rss / MIB:.0f} / {uss / MIB:.0f} MiB |"
    )
    print(
        f"| per participant (the service's RSS / {SERVICE_ROOM}) | {rss / MIB / SERVICE_ROOM:.0f} MiB |"
    )
    print(f"| the kit service with its full idle pool, RSS | {idle / MIB:.0f} MiB |")
    print(f"| the hub itself (JupyterHub, proxy, culler), RSS | {hub_only / MIB:.0f} MiB |")
    everyone = visits + second
    lost = [
        f"{service}: {joined - answered} of {joined} answers missing"
        for service, (joined, answered) in stored.items()
        if answered != joined
    ]
    if sum(j for j, _ in stored.values()) != sum(v.ok for v in everyone):
        lost.append("participants who joined != pages that arrived")
    for v in everyone:
        if not v.ok or not v.answered:
            print(f"FAILED {v.user}: {v.error or 'no answer'}", file=sys.stderr)
    for line in lost:
        print(f"LOST {line}", file=sys.stderr)
    return not lost and all(v.ok and v.answered for v in everyone)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def memory(hub: Hub) -> list[tuple[str, float, float, float, float]]:
    """Per user: server RSS, server USS, kernel RSS, kernel USS (MiB)."""
    rows = []
    for user, server in sorted(hub.servers().items()):
        kernels = [
            k
            for k in server.children(recursive=True)
            if is_kernel(k.cmdline(), k.parent().cmdline())
        ]
        s_info = server.memory_full_info()
        k_rss = sum(k.memory_info().rss for k in kernels)
        k_uss = sum(k.memory_full_info().uss for k in kernels)
        rows.append((user, s_info.rss / MIB, s_info.uss / MIB, k_rss / MIB, k_uss / MIB))
    return rows


def breakdown(log: Path, users: list[str]) -> tuple[float, float]:
    """Median spawn time (JupyterHub's "took N seconds to start") and median first render
    (the user server's log of the participant page) for ``users``, from the hub's log."""
    text = log.read_text(errors="replace")
    spawn = {u: float(t) for u, t in re.findall(r"User (\S+) took ([\d.]+) seconds to start", text)}
    render: dict[str, float] = {}
    for u, ms in re.findall(
        r"200 GET /user/([^/]+)/voila/render/deelnemer\.ipynb\S* .*?([\d.]+)ms", text
    ):
        render.setdefault(u, float(ms) / 1000)
    return (
        statistics.median(spawn[u] for u in users if u in spawn),
        statistics.median(render[u] for u in users if u in render),
    )


def warm_kernel(hub: Hub, user: str) -> int:
    """RSS of the newest kernel of ``user``'s server (a page opened with warm caches)."""
    kernels = [
        k
        for k in hub.servers()[user].children(recursive=True)
        if is_kernel(k.cmdline(), k.parent().cmdline())
    ]
    return max(kernels, key=lambda k: k.create_time()).memory_info().rss if kernels else 0


def overhead(hub: Hub) -> int:
    """RSS of the hub's own processes: JupyterHub, configurable-http-proxy, the idle culler
    (everything under the launcher but the users' servers, the kit service and their kernels)."""
    users = {p.pid for s in hub.servers().values() for p in [s, *s.children(recursive=True)]}
    users |= {p.pid for p in service_processes(hub)}
    return sum(
        p.memory_info().rss
        for p in psutil.Process(hub.proc.pid).children(recursive=True)
        if p.pid not in users
    )


def main() -> int:
    import tempfile

    sys.path.insert(0, str(ROOT))
    from kit.storage import Store

    folder = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    log = folder / "jupyterhub.log"
    hub = Hub(log)
    try:
        store = Store(hub.db_url)
        sessions = {}
        for service in ("kit", "kit-2"):
            info, key = store.create_session(f"Hub benchmark ({service})")
            sessions[service] = (info.code, key)
        store.dispose()
        print(f"hub {hub.url}, sessions {sessions}, log {folder}", flush=True)
        service_ok = "service" not in DESIGNS or service_design(hub, log, sessions)
        if "per-user" not in DESIGNS:
            return 0 if service_ok else 1
        return 0 if per_user_design(hub, log, sessions["kit"][0]) and service_ok else 1
    finally:
        hub.stop()
        if PROFILE and hub.profile.exists():
            import pstats

            print(f"\n## Where the hub's CPU went (cProfile, {hub.profile})\n")
            pstats.Stats(str(hub.profile)).sort_stats("cumulative").print_stats(40)


def per_user_design(hub: Hub, log: Path, code: str) -> bool:
    """The design before the service: a Jupyter server per participant."""
    join_path = f"/hub/user-redirect/voila/render/deelnemer.ipynb?session={code}"
    solo = []
    for i in range(SOLO):
        (visit,) = at_once(user_server_page, hub, join_path, [Visit(f"solo{i + 1}")])
        print(f"  first page alone, {visit.user}: {visit.seconds:.1f} s {visit.error}", flush=True)
        solo.append(visit)
    room = at_once(
        user_server_page, hub, join_path, [Visit(f"room{i + 1:02d}") for i in range(ROOM)]
    )
    print(f"  {ROOM} at once: " + ", ".join(f"{v.seconds:.1f}" for v in room), flush=True)
    # The same participant again (another device): the server runs, the caches are warm.
    (again,) = at_once(user_server_page, hub, join_path, [Visit("solo1")])
    print(f"  a second page, server running: {again.seconds:.1f} s", flush=True)
    time.sleep(3)  # let the pages' kernels settle before measuring memory
    mem = memory(hub)
    hub_rss = overhead(hub) / MIB
    warm = warm_kernel(hub, "solo1") / MIB
    solo_parts = breakdown(log, [v.user for v in solo])
    room_parts = breakdown(log, [v.user for v in room])
    everyone = [*solo, *room, again]
    failed = [v for v in everyone if not v.ok]

    heading("JupyterHub, a Jupyter server per participant")
    print(
        f"| first page alone (login + spawn + render), {SOLO} runs | "
        f"{', '.join(f'{v.seconds:.1f}' for v in solo)} s "
        f"(median {statistics.median(v.seconds for v in solo):.1f} s) |"
    )
    times = [v.seconds for v in room if v.ok]
    if times:
        print(row(f"{ROOM} logging in at once", times, 1))
    for label, (spawn, render) in (("alone", solo_parts), (f"{ROOM} at once", room_parts)):
        print(
            f"| of which spawn / first render ({label}), medians | {spawn:.1f} / {render:.1f} s |"
        )
    print(f"| a second page, server already running | {again.seconds:.1f} s |")
    print(f"| pages with widgets | {len(everyone) - len(failed)}/{len(everyone)} |")
    if mem:
        srv = statistics.median(m[1] for m in mem)
        srv_uss = statistics.median(m[2] for m in mem)
        ker = [m[3] for m in mem if m[3]]
        print(
            f"| user server (Jupyter server + Voila), RSS / USS | "
            f"{srv:.0f} / {srv_uss:.0f} MiB (median of {len(mem)}) |"
        )
        if ker:
            print(
                f"| its participant-page kernel, RSS: first page (cold caches) / a later page "
                f"| {statistics.median(ker):.0f} / {warm:.0f} MiB |"
            )
            print(
                f"| per participant (server + page), RSS | {srv + statistics.median(ker):.0f} MiB |"
            )
        print(f"| the hub itself (JupyterHub, proxy, culler), RSS | {hub_rss:.0f} MiB |")
    for v in failed:
        print(f"FAILED {v.user}: {v.error}", file=sys.stderr)
    return not failed


if __name__ == "__main__":
    sys.exit(main())
