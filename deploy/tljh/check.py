"""Check the kit's TLJH set-up the way TLJH's hub will read it, before `tljh-config reload`.

On the TLJH machine, as root, after copying the files (see config.yaml next to this file)::

    /opt/tljh/hub/bin/python deploy/tljh/check.py

Elsewhere, with a checkout of TLJH's source and its Python packages installed (jupyterhub,
jupyterhub-systemdspawner, ruamel.yaml, pluggy, filelock, jsonschema), against a throwaway
prefix holding this folder's config.yaml and deploy/hub/implementatiekit.py::

    python deploy/tljh/check.py --tljh-source ../the-littlest-jupyterhub --try-here

It validates config.yaml against TLJH's own schema, loads TLJH's jupyterhub_config.py (which
loads the kit's snippet from jupyterhub_config.d/) and checks that the kit services, the users'
access to them, the landing page, the users' own servers and TLJH's idle culler come out as
docs/hosting.md describes. It starts nothing: no hub, no proxy, no systemd unit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SNIPPET = HERE.parent / "hub" / "implementatiekit.py"


def problems(c: Any) -> list[str]:
    """What is wrong with the hub configuration ``c`` that TLJH built (empty: nothing)."""
    found = []
    services = list(c.JupyterHub.services)
    kits = [s for s in services if "kit.hub_service" in " ".join(s.get("command", []))]
    if not kits:
        found.append("no kit service: is implementatiekit.py in jupyterhub_config.d/?")
    roles = c.JupyterHub.load_roles
    roles = roles.to_dict().get("extend", []) if hasattr(roles, "to_dict") else list(roles)
    scopes = {s for r in roles if r.get("name") == "user" for s in r.get("scopes", [])}
    for kit in kits:
        name = kit["name"]
        if not kit.get("oauth_no_confirm"):
            found.append(f"{name}: oauth_no_confirm is not set (users would see a confirm page)")
        if f"access:services!service={name}" not in scopes:
            found.append(f"{name}: the user role lacks access:services!service={name}")
        public = kit.get("environment", {}).get("KIT_PUBLIC_URL", "")
        if not public.endswith(f"/services/{name}/voila/render"):
            found.append(f"{name}: KIT_PUBLIC_URL {public!r} does not name this service")
        if "example.org" in public:
            found.append(f"{name}: set PUBLIC_URL to the hub's address (join links, QR codes)")
        if "CHANGE-ME" in kit.get("environment", {}).get("KIT_DATABASE_URL", ""):
            found.append(f"{name}: set DATABASE_URL (the one PostgreSQL database)")
        if os.geteuid() == 0 and not kit.get("user"):
            found.append(f"{name}: set SERVICE_USER: as root the service would run as root")
    if kits and c.JupyterHub.default_url != f"/services/{kits[0]['name']}/":
        found.append(f"users land on {c.JupyterHub.default_url!r}, not on the kit")
    if not any("jupyterhub_idle_culler" in " ".join(s.get("command", [])) for s in services):
        found.append("no idle culler for users' own servers (services.cull in config.yaml)")
    if str(c.Spawner.mem_limit) != "768M":
        found.append(f"users' own servers get {c.Spawner.mem_limit!r}, not 768M (limits.memory)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tljh-source", type=Path, help="a checkout of TLJH (when not on TLJH)")
    parser.add_argument(
        "--try-here",
        action="store_true",
        help="a throwaway TLJH prefix with this folder's files, as an admin would edit them",
    )
    args = parser.parse_args(argv)
    if args.tljh_source:
        sys.path.insert(0, str(args.tljh_source.resolve()))
    if args.try_here:
        prefix = Path(tempfile.mkdtemp(prefix="tljh-check-"))
        os.environ["TLJH_INSTALL_PREFIX"] = str(prefix)
        (prefix / "config" / "jupyterhub_config.d").mkdir(parents=True)
        (prefix / "state").mkdir()
        shutil.copy(HERE / "config.yaml", prefix / "config" / "config.yaml")
        shutil.copy(SNIPPET, prefix / "config" / "jupyterhub_config.d" / SNIPPET.name)
        # What an admin sets at the top of the copy (the snippet also reads them from here).
        os.environ.update(
            KIT_HUB_PUBLIC_URL="https://hub.example.net",
            KIT_DATABASE_URL="postgresql+psycopg://kit:secret@127.0.0.1:5432/kit",
            KIT_HUB_SERVICE_USER="kit",
        )
    import tljh  # type: ignore[import-not-found]
    from tljh import config as tljh_config  # type: ignore[import-not-found]
    from tljh.yaml import yaml  # type: ignore[import-not-found]
    from traitlets.config.loader import PyFileConfigLoader

    config_file = Path(tljh_config.CONFIG_FILE)
    tljh_config.validate_config(yaml.load(config_file.read_text()), True)
    print(f"{config_file}: valid for TLJH")
    c = PyFileConfigLoader(
        "jupyterhub_config.py", path=str(Path(tljh.__file__).parent)
    ).load_config()
    found = problems(c)
    for problem in found:
        print(f"PROBLEM {problem}", file=sys.stderr)
    if not found:
        kits = [s["name"] for s in c.JupyterHub.services if "kit.hub_service" in str(s)]
        print(f"kit services {', '.join(kits)}; users land on {c.JupyterHub.default_url}: OK")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
