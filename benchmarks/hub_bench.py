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
* **memory per participant**: the kit service with its kernels, divided by the participants, and
  the hub's own share.

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

import os
import re
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "deploy" / "hub" / "demo.py"
SOLO = int(os.environ.get("HUB_BENCH_SOLO", "3"))
ROOM = int(os.environ.get("HUB_BENCH_ROOM", "10"))
SERVICE_ROOM = int(os.environ.get("HUB_BENCH_SERVICE_ROOM", "30"))
DESIGNS = os.environ.get("HUB_BENCH_DESIGNS", "service,per-user").split(",")
#: Seconds for the hub to start, and for one participant's login + spawn + first page.
STARTUP_DEADLINE = 300
PAGE_DEADLINE = float(os.environ.get("HUB_BENCH_PAGE_DEADLINE", "240"))
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
                    "--room",
                    str(SERVICE_ROOM),
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
    user: str
    seconds: float = 0.0
    ok: bool = False
    error: str = ""


def first_page(hub: Hub, user: str, join_path: str, visit: Visit) -> None:
    """Log in with the join link as ``next`` and follow the hub until the participant page has
    arrived: login, spawn (the hub's spawn-pending page is polled as the browser's would be) and
    the first render. Times from the login form's submission to the page's last byte."""
    s = requests.Session()
    login = s.get(f"{hub.url}/hub/login", params={"next": join_path}, timeout=30)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login.text)
    start = time.monotonic()
    r = s.post(
        login.url,
        data={"username": user, "password": PASSWORD, **({"_xsrf": xsrf.group(1)} if xsrf else {})},
        timeout=(5, PAGE_DEADLINE),
    )
    target = f"{hub.url}/user/{user}{join_path.removeprefix('/hub/user-redirect')}"
    while time.monotonic() - start < PAGE_DEADLINE:
        if r.status_code == 200 and f"/user/{user}/voila/render/" in r.url:
            visit.seconds = time.monotonic() - start
            visit.ok = WIDGET_MIME in r.text and "There was an error" not in r.text
            visit.error = "" if visit.ok else "page without widgets"
            return
        if r.status_code >= 500 and "spawn" not in r.url:
            visit.error = f"HTTP {r.status_code} at {r.url}"
            return
        time.sleep(0.25)  # spawn pending: ask again, as the pending page does
        r = s.get(target, timeout=(5, PAGE_DEADLINE))
    visit.error = "hung"


@dataclass
class ServiceVisit:
    user: str
    login: float = 0.0
    page: float = 0.0
    ok: bool = False
    error: str = ""


def service_page(hub: Hub, user: str, join_path: str, visit: ServiceVisit) -> None:
    """Log in with the service's join link as ``next``: the login (until the hub redirects back
    to the service) and the page (the OAuth round trip and the participant page, until its last
    byte) timed apart."""
    s = requests.Session()
    login = s.get(f"{hub.url}/hub/login", params={"next": join_path}, timeout=60)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login.text)
    start = time.monotonic()
    r = s.post(
        login.url,
        data={"username": user, "password": PASSWORD, **({"_xsrf": xsrf.group(1)} if xsrf else {})},
        timeout=(5, PAGE_DEADLINE),
        allow_redirects=False,
    )
    visit.login = time.monotonic() - start
    if r.status_code != 302:
        visit.error = f"login: HTTP {r.status_code}"
        return
    start = time.monotonic()
    page = s.get(hub.url + r.headers["Location"], timeout=(5, PAGE_DEADLINE))
    visit.page = time.monotonic() - start
    visit.ok = (
        page.status_code == 200
        and "/services/kit/voila/render/deelnemer.ipynb" in page.url
        and WIDGET_MIME in page.text
    )
    visit.error = "" if visit.ok else f"HTTP {page.status_code} at {page.url}, no widgets?"


def service_processes(hub: Hub) -> list[psutil.Process]:
    """The kit service and its kernels."""
    for p in psutil.Process(hub.proc.pid).children(recursive=True):
        if "kit.hub_service" in " ".join(p.cmdline()):
            return [p, *p.children(recursive=True)]
    return []


def wait_for_pool(hub: Hub, log: Path, size: int) -> None:
    """Until the service's pool holds ``size`` ready pages (the kit's server logs each)."""
    deadline = time.monotonic() + 60 + 20 * size
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count("is ready, waiting for its visitor") >= size:
            return
        time.sleep(1)
    raise SystemExit(f"the service's pool did not fill ({size}) in time; see {log}")


def service_design(hub: Hub, log: Path, code: str) -> list[ServiceVisit]:
    """The service design: a room logging in at once, and the memory it takes."""
    wait_for_pool(hub, log, SERVICE_ROOM)
    time.sleep(3)
    idle = sum(p.memory_info().rss for p in service_processes(hub))
    hub_only = overhead(hub)
    join_path = f"/services/kit/voila/render/deelnemer.ipynb?session={code}"
    visits = [ServiceVisit(f"zaal{i + 1:02d}") for i in range(SERVICE_ROOM)]
    with ThreadPoolExecutor(max_workers=len(visits)) as pool:
        futures = [pool.submit(service_page, hub, v.user, join_path, v) for v in visits]
        done, not_done = wait(futures, timeout=PAGE_DEADLINE + 30)
        for f in done:
            if f.exception():
                raise f.exception()  # type: ignore[misc]
        if not_done:
            raise SystemExit(f"{len(not_done)} visit(s) hung past {PAGE_DEADLINE} s")
    time.sleep(3)
    procs = service_processes(hub)
    rss = sum(p.memory_info().rss for p in procs)
    uss = sum(p.memory_full_info().uss for p in procs)
    ok = [v for v in visits if v.ok]
    total = [v.login + v.page for v in ok]
    print("\n## JupyterHub, the kit as a hub service (make bench-hub)\n")
    print(
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 1024**3:.0f} GiB; load average at the end: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + "\n"
    )
    print("| measure | value |\n|---|---|")
    if ok:
        for label, values in (
            ("login + page", total),
            ("of which the login", [v.login for v in ok]),
            ("of which the page (OAuth + render)", [v.page for v in ok]),
        ):
            print(
                f"| {SERVICE_ROOM} logging in at once, {label}: p50 / p95 / max | "
                f"{quantile(values, 0.5):.2f} / {quantile(values, 0.95):.2f} / {max(values):.2f} s |"
            )
    print(f"| pages with widgets | {len(ok)}/{len(visits)} |")
    print(
        f"| the kit service with {len(procs) - 1} kernels after the room arrived, RSS / USS | "
        f"{rss / MIB:.0f} / {uss / MIB:.0f} MiB |"
    )
    print(
        f"| per participant (service RSS / {SERVICE_ROOM}) | {rss / MIB / SERVICE_ROOM:.0f} MiB |"
    )
    print(f"| the service with its full idle pool, RSS | {idle / MIB:.0f} MiB |")
    print(f"| the hub itself (JupyterHub, proxy, culler), RSS | {hub_only / MIB:.0f} MiB |")
    for v in visits:
        if not v.ok:
            print(f"FAILED {v.user}: {v.error}", file=sys.stderr)
    return visits


def run(hub: Hub, users: list[str], join_path: str) -> list[Visit]:
    """All ``users`` at once; each visit has the page deadline (plus a margin for the pool)."""
    visits = [Visit(u) for u in users]
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        futures = [pool.submit(first_page, hub, v.user, join_path, v) for v in visits]
        done, not_done = wait(futures, timeout=PAGE_DEADLINE + 30)
        for f in done:
            if f.exception():
                raise f.exception()  # type: ignore[misc]
        if not_done:
            raise SystemExit(f"{len(not_done)} visit(s) hung past {PAGE_DEADLINE} s")
    return visits


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def memory(hub: Hub) -> list[tuple[str, float, float, float, float]]:
    """Per user: server RSS, server USS, kernel RSS, kernel USS (MiB)."""
    rows = []
    for user, server in sorted(hub.servers().items()):
        kernels = [
            k for k in server.children(recursive=True) if "ipykernel" in " ".join(k.cmdline())
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
        if "ipykernel" in " ".join(k.cmdline())
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
    hub = Hub(folder / "jupyterhub.log")
    try:
        store = Store(hub.db_url)
        info, _ = store.create_session("Hub benchmark")
        store.dispose()
        join_path = f"/hub/user-redirect/voila/render/deelnemer.ipynb?session={info.code}"
        print(f"hub {hub.url}, session {info.code}, log {folder}", flush=True)
        service_failed = 0
        if "service" in DESIGNS:
            visits = service_design(hub, folder / "jupyterhub.log", info.code)
            service_failed = sum(not v.ok for v in visits)
        if "per-user" not in DESIGNS:
            return 1 if service_failed else 0

        solo = []
        for i in range(SOLO):
            (visit,) = run(hub, [f"solo{i + 1}"], join_path)
            print(
                f"  first page alone, {visit.user}: {visit.seconds:.1f} s {visit.error}", flush=True
            )
            solo.append(visit)
        room = run(hub, [f"room{i + 1:02d}" for i in range(ROOM)], join_path)
        times = [v.seconds for v in room if v.ok]
        print(f"  {ROOM} at once: " + ", ".join(f"{v.seconds:.1f}" for v in room), flush=True)
        # The same participant again (another device): the server runs, the caches are warm.
        (again,) = run(hub, ["solo1"], join_path)
        print(f"  a second page, server running: {again.seconds:.1f} s", flush=True)
        time.sleep(3)  # let the pages' kernels settle before measuring memory
        mem = memory(hub)
        hub_rss = overhead(hub) / MIB
        warm = warm_kernel(hub, "solo1") / MIB
        solo_parts = breakdown(folder / "jupyterhub.log", [v.user for v in solo])
        room_parts = breakdown(folder / "jupyterhub.log", [v.user for v in room])
        failed = [v for v in [*solo, *room, again] if not v.ok]

        print("\n## JupyterHub, a Jupyter server per participant (make bench-hub)\n")
        print(
            f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 1024**3:.0f} GiB\n"
        )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"Load average at the end: {load} (other work on the machine slows every figure).\n")
        print("| measure | value |\n|---|---|")
        print(
            f"| first page alone (login + spawn + render), {SOLO} runs | "
            f"{', '.join(f'{v.seconds:.1f}' for v in solo)} s (median {statistics.median(v.seconds for v in solo):.1f} s) |"
        )
        if times:
            print(
                f"| {ROOM} logging in at once: p50 / p95 / max | "
                f"{quantile(times, 0.5):.1f} / {quantile(times, 0.95):.1f} / {max(times):.1f} s |"
            )
        for label, (spawn, render) in (("alone", solo_parts), (f"{ROOM} at once", room_parts)):
            print(
                f"| of which spawn / first render ({label}), medians | {spawn:.1f} / {render:.1f} s |"
            )
        print(f"| a second page, server already running | {again.seconds:.1f} s |")
        print(
            f"| pages with widgets | {len(solo) + len(room) + 1 - len(failed)}/{len(solo) + len(room) + 1} |"
        )
        if mem:
            srv = [m[1] for m in mem]
            srv_uss = [m[2] for m in mem]
            ker = [m[3] for m in mem if m[3]]
            print(
                f"| user server (Jupyter server + Voila), RSS / USS | "
                f"{statistics.median(srv):.0f} / {statistics.median(srv_uss):.0f} MiB (median of {len(mem)}) |"
            )
            if ker:
                print(
                    f"| its participant-page kernel, RSS: first page (cold caches) / a later page "
                    f"| {statistics.median(ker):.0f} / {warm:.0f} MiB |"
                )
                print(
                    f"| per participant (server + page), RSS | {statistics.median(srv) + statistics.median(ker):.0f} MiB |"
                )
            print(f"| the hub itself (JupyterHub, proxy, culler), RSS | {hub_rss:.0f} MiB |")
        for v in failed:
            print(f"FAILED {v.user}: {v.error}", file=sys.stderr)
        return 1 if failed or service_failed else 0
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
