"""Serving the kit with Voila: one configuration for ``make serve``, ``implementatiekit serve`` and
the tests, so what the tests run is what a trainer runs.

Why these settings (measured on the 2-core reference machine, see ``docs/hosting.md``):

* **IPC transport.** Thirty kernels starting at once raced for TCP ports
  (``ZMQError: Address already in use``) and a burst could hang; Unix sockets cannot collide.
* **IOPub wait of 60 s.** Voila's executor waits 4 s for a cell's output by default; under a
  room's load the output arrived later and the page was sent blank (HTTP 200, no error).
* **Culling after 8 minutes idle.** A closed tab does not stop its kernel (voila#1458): idle,
  unconnected kernels are freed within 10 minutes (8 + the 1-minute check). Answers live in the
  group store, so a phone that slept longer gets them back on reload.
* **Pre-heated kernels for a room.** With ``room=N`` the participant page keeps N kernels that
  have already run the notebook, so a room scanning the QR code at once gets pages in well under
  a second. Each pooled kernel holds ~65 MB whether used or not.
* **The kit's page template** (``kit/share/voila/templates/kit``): deadlines instead of endless
  spinners, a message when the kernel is gone, and the participant's identity across reloads.
* **Only the kit's routes** (``kit/voila_server.py``): no folder listing, no file route; ``/``
  opens the landing page.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from kit.pool_policy import kernel_pools

#: The page a participant opens from the QR code: the whole workshop in one kernel.
PARTICIPANT_PAGE = "deelnemer.ipynb"
DEFAULT_PORT = 8866
IOPUB_TIMEOUT = 60
CULL_IDLE_SECONDS = 480
#: Largest widget message (an uploaded file) the server accepts. Tornado's default of 10 MiB
#: dropped the page's connection without a word when a larger file was chosen; with room to
#: spare, the app itself refuses anything that is not an answers file, with its own message.
WEBSOCKET_MAX_BYTES = 100 * 1024 * 1024
CULL_INTERVAL_SECONDS = 60
#: Seconds before a pool considers refilling after a page is taken. The kit's pools hand out
#: only ready kernels and start refills two at a time once no page was asked for during a few
#: seconds (kit/voila_server.py), so refills do not compete with a room that is arriving.
FILL_DELAY = 5


def share_dir() -> Path:
    """The folder holding ``voila/templates/kit`` (put on ``JUPYTER_PATH``)."""
    return Path(str(files("kit") / "share"))


def default_notebooks() -> Path:
    """The app notebooks: packaged in a wheel, ``notebooks/`` in a checkout."""
    from kit.locations import notebooks_dir

    return notebooks_dir()


def voila_config(room: int = 0, ip: str = "localhost", port: int = DEFAULT_PORT) -> dict[str, Any]:
    """The Voila configuration (the content of a ``voila.json``) for a server of this size.

    >>> cfg = voila_config(room=30)
    >>> cfg["VoilaKernelManager"]["kernel_pools_config"]["deelnemer.ipynb"]
    {'pool_size': 30}
    >>> voila_config()["VoilaConfiguration"]["preheat_kernel"]
    False
    """
    pools = kernel_pools(room, PARTICIPANT_PAGE)
    return {
        "VoilaConfiguration": {
            "template": "kit",
            "show_tracebacks": False,
            "strip_sources": True,
            # X-Kit-Client: the visitor's address, set by kit/voila_server.py (never the
            # browser's own header), for limiting guesses per client.
            "http_header_envs": ["Accept-Language", "X-Kit-Client"],
            "preheat_kernel": room > 0,
            # Syntax colours for code cells: the kit's pages show no code (strip_sources), and
            # every phone loaded its three files for nothing (#18).
            "extension_denylist": ["jupyterlab_pygments"],
        },
        "Voila": {
            "ip": ip,
            "port": port,
            "open_browser": False,
            "tornado_settings": {"websocket_max_message_size": WEBSOCKET_MAX_BYTES},
        },
        "VoilaExecutor": {"iopub_timeout": IOPUB_TIMEOUT},
        "KernelManager": {"transport": "ipc"},
        "MappingKernelManager": {
            "cull_interval": CULL_INTERVAL_SECONDS,
            "cull_idle_timeout": CULL_IDLE_SECONDS,
            "cull_connected": False,
            "cull_busy": False,
        },
        "VoilaKernelManager": {"kernel_pools_config": pools, "fill_delay": FILL_DELAY},
    }


def hub_voila_config() -> dict[str, Any]:
    """The settings for Voila running inside each user's Jupyter server (JupyterHub, TLJH): the
    same as :func:`voila_config` without address, port and pools (the hub decides those).

    >>> cfg = hub_voila_config()
    >>> cfg["VoilaConfiguration"]["template"], "Voila" in cfg, "VoilaKernelManager" in cfg
    ('kit', False, False)
    """
    cfg = voila_config()
    del cfg["Voila"], cfg["VoilaKernelManager"]
    del cfg["VoilaConfiguration"]["preheat_kernel"]
    return cfg


def copy_notebooks(destination: Path) -> list[Path]:
    """Copy the app notebooks into ``destination`` (created if missing); returns the copies."""
    import shutil

    destination.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in sorted(default_notebooks().glob("*.ipynb")):
        copied.append(Path(shutil.copy2(notebook, destination / notebook.name)))
    return copied


@dataclass(frozen=True)
class Launch:
    """Everything needed to start Voila: the command, its environment and working folder."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path


def prepare(
    notebooks: Path | None = None,
    *,
    room: int = 0,
    ip: str = "localhost",
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Launch:
    """Write the configuration to a fresh folder and return how to start Voila with it.

    Voila reads ``voila.json`` from its working folder, so the server is started there: no
    ``voila.json`` lying around elsewhere can change it.
    """
    folder = Path(tempfile.mkdtemp(prefix="kit-voila-"))
    (folder / "voila.json").write_text(json.dumps(voila_config(room, ip, port), indent=2))
    environ = {**os.environ, **(env or {})}
    jupyter_path = [str(share_dir())]
    if environ.get("JUPYTER_PATH"):
        jupyter_path.append(environ["JUPYTER_PATH"])
    environ["JUPYTER_PATH"] = os.pathsep.join(jupyter_path)
    if public_url:
        environ["KIT_PUBLIC_URL"] = public_url
    root = (notebooks or default_notebooks()).resolve()
    # Voila with only the routes the pages need (kit/voila_server.py); same options as `voila`.
    argv = [sys.executable, "-m", "kit.voila_server", str(root), "--no-browser", *(extra or [])]
    return Launch(argv, environ, folder)


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine that phones on the same network can reach (no loopback,
    no link-local), private ranges first."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dependency
        return []
    found: list[ipaddress.IPv4Address] = []
    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            try:
                ip = ipaddress.IPv4Address(a.address)
            except ValueError:
                continue
            if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
                found.append(ip)
    found.sort(key=lambda ip: (not ip.is_private, str(ip)))
    return [str(ip) for ip in found]


def is_local_url(url: str) -> bool:
    """Whether a join link points at this machine only, so phones cannot open it.

    >>> is_local_url("http://localhost:8866/voila/render/deelnemer.ipynb?session=K7Q2MX")
    True
    >>> is_local_url("http://127.0.0.1:8866/")
    True
    >>> is_local_url("https://kit.example.org/voila/render/deelnemer.ipynb")
    False
    >>> is_local_url("deelnemer.ipynb?session=K7Q2MX")
    True
    """
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return True  # a relative link: only valid in the trainer's own browser
    if host in ("localhost", "ip6-localhost") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


#: Said on the console when a room server listens on this machine only.
LOOPBACK_WARNING = (
    "  WARNING: this server listens on {host} only: phones cannot reach it, and the QR code\n"
    "  carries that address so that nobody is sent to an address that does not answer.\n"
    "  For a room, leave out --host (HOST=) to listen on 0.0.0.0, or give this machine's\n"
    "  network address{example}. Behind a proxy, set KIT_PUBLIC_URL to its address."
)


def room_address(
    host: str, port: int, lan: list[str], public: str | None
) -> tuple[str | None, str]:
    """The address a room's join links and QR code carry (up to ``/voila/render``), and a
    warning for the trainer ("" when none): the address the server listens on, so that a phone
    is never sent where nothing answers.

    A server on every interface (``0.0.0.0``) is reached at the first network address; on one
    address, at that address. On a loopback address phones cannot reach it: the links carry that
    address (the trainer's dashboard then warns next to the QR code) and the console says why.
    ``KIT_PUBLIC_URL`` (``public``; a proxy, a hub) is taken as given.

    >>> room_address("0.0.0.0", 8866, ["192.168.1.20"], None)
    ('http://192.168.1.20:8866/voila/render', '')
    >>> room_address("192.168.1.21", 8866, ["192.168.1.20", "192.168.1.21"], None)[0]
    'http://192.168.1.21:8866/voila/render'
    >>> url, warning = room_address("127.0.0.1", 8866, ["192.168.1.20"], None)
    >>> url, "phones cannot reach" in warning, "--host 192.168.1.20" in warning
    ('http://127.0.0.1:8866/voila/render', True, True)
    >>> room_address("localhost", 8866, [], None)[0], room_address("::1", 80, [], None)[0]
    ('http://localhost:8866/voila/render', 'http://[::1]:80/voila/render')
    >>> room_address("127.0.0.1", 8866, ["192.168.1.20"], "https://kit.example.org/voila/render")
    ('https://kit.example.org/voila/render', '')
    >>> room_address("0.0.0.0", 8866, [], None)[0] is None
    True
    """
    if public:
        return public, ""
    if host in ("0.0.0.0", "::", ""):
        return (f"http://{lan[0]}:{port}/voila/render" if lan else None), ""
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/voila/render"
    if not is_local_url(url):
        return url, ""
    example = f" (--host {lan[0]})" if lan else ""
    return url, LOOPBACK_WARNING.format(host=host, example=example)


def main(room: int = 0, host: str | None = None, port: int = DEFAULT_PORT) -> int:
    """Serve the kit; with ``room`` > 0 on the local network, sized for that many participants."""
    import subprocess

    public = os.environ.get("KIT_PUBLIC_URL") or None
    if room > 0:
        ip = host or "0.0.0.0"
        public, warning = room_address(ip, port, lan_addresses(), public)
        print(f"\n  Implementatiekit for a room of {room} (pre-heating {room} participant pages).")
        if public:
            print(f"  Phones open: {public}/{PARTICIPANT_PAGE}")
            print(f"  Trainer:     {public}/groep.ipynb   (the QR code carries this address)")
        else:
            print("  No network address found: connect this machine to the room's network,")
            print("  or set KIT_PUBLIC_URL to the address phones can reach.")
        if warning:
            print(f"\n{warning}\n")
        print(f"  Memory: about {0.3 + 0.07 * room:.1f} GB ")
        print("  before anyone arrives, plus ~65 MB per open page.\n")
    else:
        ip = host or "localhost"
        print(f"\n  Implementatiekit: http://{ip}:{port}/voila/render/index.ipynb")
        print("  (for a workshop where phones join: make serve ROOM=30)\n")
    launch = prepare(room=room, ip=ip, port=port, public_url=public)
    try:
        return subprocess.run(launch.argv, env=launch.env, cwd=launch.cwd, check=False).returncode
    except KeyboardInterrupt:
        return 0
