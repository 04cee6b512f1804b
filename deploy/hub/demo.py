"""A local JupyterHub with the kit, for trying it out: ``make hub`` runs this script.

It starts a throwaway PostgreSQL (Debian's binaries, as the tests do), copies the app notebooks
and writes the kit's Voila settings the way docs/hosting.md tells a TLJH admin to, then runs
JupyterHub with ``deploy/hub/jupyterhub_config.py`` until Ctrl-C (or SIGTERM), and removes it all
again. The hub test and ``make bench-hub`` start the hub through this same script.

    python deploy/hub/demo.py [--ip 127.0.0.1] [--port 8000] [--room 10[,5]] [--services 1] [--proxy PATH]

The kit runs as hub services (kit/hub_service.py): ``kit`` and, with ``--services 2``, ``kit-2``
..., each with ``--room`` pre-heated participant pages (``--room 30,5``: 30 on ``kit``, 5 on
``kit-2``; the last number for every further service), all on the one PostgreSQL database.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIG = HERE / "jupyterhub_config.py"
#: The demo's user names; any other name works too (the password is shared).
LOGINS = ("trainer", "deelnemer1", "deelnemer2")
DEFAULT_PASSWORD = "kit-demo-2026"
#: The hub answers once every kit service is up (it starts them one after another; ~30 s each
#: on a loaded 2-core machine).
STARTUP_SECONDS = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_proxy() -> str:
    """configurable-http-proxy: from the venv (``make hub`` installs it there with npm), else
    from PATH."""
    local = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    found = shutil.which("configurable-http-proxy")
    if not found:
        sys.exit(
            "configurable-http-proxy not found: `make hub` installs it with npm "
            "(apt-get install nodejs npm), or: npm install -g configurable-http-proxy@4.6.3"
        )
    return found


def descendants(proc: subprocess.Popen[bytes], known: list[Any]) -> None:
    """Add ``proc``'s running descendants to ``known``: the kit services and users' servers run in
    process groups of their own, and outlive a hub that dies."""
    import psutil

    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(proc.pid).children(recursive=True):
            if child not in known:
                known.append(child)


def wait_for(
    url: str, proc: subprocess.Popen[bytes], seconds: float, log: Path, known: list[Any]
) -> None:
    """Wait until ``url`` answers 200, failing with the log's tail if the hub exits or is late."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        descendants(proc, known)
        if proc.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with {proc.returncode}:\n{tail(log)}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as answer:
            if answer.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"the hub did not answer {url} within {seconds:.0f} s:\n{tail(log)}")


def stop_all(processes: list[Any], seconds: float = 15) -> None:
    """SIGTERM what is still running of ``processes``, then SIGKILL what outlives ``seconds``."""
    import psutil

    alive = [p for p in processes if p.is_running()]
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(alive, timeout=seconds)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()


def tail(log: Path, lines: int = 60) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ip", default="127.0.0.1", help="address the hub listens on")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--room", default="10", help="pre-heated pages per kit service (30 or 30,5: per service)"
    )
    parser.add_argument("--services", type=int, default=1, help="kit services (one per room)")
    parser.add_argument("--proxy", default=None, help="configurable-http-proxy command")
    parser.add_argument("--log", type=Path, default=None, help="hub log (default: in /tmp)")
    parser.add_argument(
        "--profile", type=Path, default=None, help="write the hub's cProfile statistics here"
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))  # tests.pg: the same throwaway PostgreSQL as the tests
    from tests.pg import PgServer, pg_bin

    if pg_bin() is None:
        sys.exit("PostgreSQL server binaries missing: apt-get install postgresql")
    proxy = args.proxy or find_proxy()
    state = Path(tempfile.mkdtemp(prefix="kit-hub-"))
    os.chmod(state, 0o755)  # users' servers (and, as root, PostgreSQL) read below it
    log = args.log or Path(tempfile.gettempdir()) / f"kit-hub-{args.port}.log"
    log.unlink(missing_ok=True)
    pg = PgServer(free_port())
    hub: subprocess.Popen[bytes] | None = None
    family: list[Any] = []

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        pg.start()
        db = pg.url.rsplit("/", 1)[0] + "/kit"
        subprocess.run(
            [str(pg.bin / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "kit", "kit"],
            check=True,
        )
        # What docs/hosting.md tells a hub admin to run in the users' environment.
        kit = [sys.executable, "-m", "kit"]
        notebooks = state / "notebooks"
        subprocess.run([*kit, "notebooks", str(notebooks)], check=True, capture_output=True)
        config_dir = state / "etc" / "jupyter"
        config_dir.mkdir(parents=True)
        with (config_dir / "jupyter_server_config.json").open("w") as out:
            subprocess.run([*kit, "voila-config"], check=True, stdout=out)
        from kit.serve import share_dir

        public = f"http://{'127.0.0.1' if args.ip in ('0.0.0.0', '') else args.ip}:{args.port}"
        names = ["kit", *(f"kit-{i}" for i in range(2, args.services + 1))]
        rooms = [int(n) for n in str(args.room).split(",")]
        services = ",".join(
            f"{name}:{free_port()}:{rooms[min(i, len(rooms) - 1)]}" for i, name in enumerate(names)
        )
        (state / "service-home").mkdir()
        env = {
            **os.environ,
            "KIT_HUB_SERVICES": services,
            "KIT_HUB_SERVICE_HOME": str(state / "service-home"),
            "KIT_HUB_STATE": str(state),
            "KIT_HUB_IP": args.ip,
            "KIT_HUB_PORT": str(args.port),
            "KIT_HUB_API_PORT": str(free_port()),
            "KIT_HUB_PROXY_API_PORT": str(free_port()),
            "KIT_HUB_PROXY": proxy,
            "KIT_HUB_NOTEBOOKS": str(notebooks),
            "KIT_HUB_PUBLIC_URL": os.environ.get("KIT_HUB_PUBLIC_URL", public),
            "KIT_HUB_JUPYTER_PATH": str(share_dir()),
            "KIT_DATABASE_URL": db,
        }
        password = env.setdefault("KIT_HUB_PASSWORD", DEFAULT_PASSWORD)
        with log.open("ab") as out:
            # With --profile the hub runs under cProfile (where its CPU goes; written when it stops).
            profile = ["-m", "cProfile", "-o", str(args.profile)] if args.profile else []
            hub = subprocess.Popen(
                [sys.executable, *profile, "-m", "jupyterhub", "-f", str(CONFIG)],
                cwd=state,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script, which stops the hub
            )
        wait_for(f"{public}/hub/health", hub, STARTUP_SECONDS, log, family)
        print(f"\n  Implementatiekit on JupyterHub (demo): {public}/", flush=True)
        for name in names:
            print(f"  Kit service {name}: {public}/services/{name}/")
        print(f"  Log in as {', '.join(LOGINS)} (or any name), password: {password}")
        print(f"  Group data: {db}")
        print(f"  Hub log: {log}\n  Ctrl-C stops the hub and deletes its data.\n", flush=True)
        while hub.poll() is None:
            descendants(hub, family)
            time.sleep(0.5)
        print(f"jupyterhub exited with {hub.returncode}:\n{tail(log)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut cleanup
        if hub is not None and hub.poll() is None:
            descendants(hub, family)
            hub.send_signal(signal.SIGTERM)  # the hub stops the users' servers and the proxy
            try:
                hub.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(hub.pid, signal.SIGKILL)
                hub.wait()
        stop_all(family)  # what the hub left behind (a service it was still starting)
        pg.destroy()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
