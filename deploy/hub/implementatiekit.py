# What every JupyterHub serving the Implementatiekit needs: a JupyterHub config snippet.
#
# `make hub` (deploy/hub/jupyterhub_config.py) and the hub test load exactly this file. On The
# Littlest JupyterHub copy it to /opt/tljh/config/jupyterhub_config.d/ (deploy/tljh/); Zero to
# JupyterHub sets the same in deploy/z2jh/values.yaml. Edit the values below for your hub (the
# demo sets them through the environment).
#
# The workshop pages run in ONE kit server per room, started by the hub as a service behind the
# hub's login (kit/hub_service.py: the Voila of `make serve` with its pool of pre-heated
# participant pages, authenticated with JupyterHub's HubOAuth). Trainers and participants log in
# to the hub and land on the kit at /services/kit/; nobody needs a Jupyter server of their own
# for a workshop (~80 MiB per participant instead of ~300, a page from the pool in well under a
# second instead of a server spawn). Users who want JupyterLab for self-study can still start
# their own server (/hub/home), with the kit installed: its settings are further below.
import os
import sys

c = get_config()  # noqa: F821 - defined by JupyterHub when it loads this file

# One PostgreSQL database for every kit service (and every user's own server), so a trainer's
# dashboard sees every participant's answers whichever server holds their page.
DATABASE_URL = os.environ.get(
    "KIT_DATABASE_URL", "postgresql+psycopg://kit:CHANGE-ME@127.0.0.1:5432/kit"
)
# The hub's public address: join links and QR codes carry it.
PUBLIC_URL = os.environ.get("KIT_HUB_PUBLIC_URL", "https://kit.example.org").rstrip("/")
# The kit services: name:port:room, one per room (or a few per machine). A session's join link
# carries the service it was created on (/services/<name>/...), so its participants reach the
# server that holds their kernels. `room` pre-heats that many participant pages (~80 MiB each).
SERVICES = os.environ.get("KIT_HUB_SERVICES", "kit:10101:30")
# The Python of the environment the kit is installed in: TLJH's user environment when there is
# one (the hub itself runs in /opt/tljh/hub), else the hub's own.
TLJH_PYTHON = "/opt/tljh/user/bin/python"
PYTHON = os.environ.get("KIT_HUB_PYTHON") or (
    TLJH_PYTHON if os.path.exists(TLJH_PYTHON) else sys.executable
)
# The system account the kit services run as when the hub runs as root (TLJH): one without
# rights elsewhere, e.g. `useradd --system --create-home kit`. Empty: the hub's own account.
SERVICE_USER = os.environ.get("KIT_HUB_SERVICE_USER", "")
# The app notebooks for users' own servers (JupyterLab self-study), copied for everyone with
# `implementatiekit notebooks /srv/implementatiekit`.
NOTEBOOKS = os.environ.get("KIT_HUB_NOTEBOOKS", "/srv/implementatiekit")

kit_services = []
for entry in SERVICES.split(","):
    name, port, room = entry.strip().split(":")
    kit_services.append(
        {
            "name": name,
            "url": f"http://127.0.0.1:{port}",
            "command": [PYTHON, "-m", "kit.hub_service", "--room", room],
            # Logging in to the hub is enough: no "authorize this service" page in between.
            **({"user": SERVICE_USER} if SERVICE_USER else {}),
            "oauth_no_confirm": True,
            "display": True,
            # The hub waits for each kit service before it answers; starting Voila and the
            # first pre-heated page takes ~30 s on a busy machine (JupyterHub's default: 10).
            "timeout": 180,
            "environment": {
                "KIT_DATABASE_URL": DATABASE_URL,
                "KIT_PUBLIC_URL": f"{PUBLIC_URL}/services/{name}/voila/render",
                # The kernels' Unix sockets: a short folder of this service's own (a socket's
                # path may be at most 107 characters).
                "JUPYTER_RUNTIME_DIR": f"/tmp/kit-service-{name}",
                # A service gets no home folder from the hub: the kit's caches need one (the
                # hub's own, unless KIT_HUB_SERVICE_HOME names another).
                "HOME": os.environ.get("KIT_HUB_SERVICE_HOME") or os.environ.get("HOME", "/tmp"),
                **{
                    key: os.environ[key]
                    for key in ("XDG_CACHE_HOME", "KIT_CHART_CACHE", "JUPYTER_PATH")
                    if key in os.environ
                },
            },
        }
    )
c.JupyterHub.services.extend(kit_services)
# Every hub user may use the kit services (a user's default role has only "self").
c.JupyterHub.load_roles.append(
    {
        "name": "user",
        "scopes": ["self", *(f"access:services!service={s['name']}" for s in kit_services)],
    }
)
# After logging in, the first kit service's start page (the trainer opens Groepssessie there).
c.JupyterHub.default_url = f"/services/{kit_services[0]['name']}/"

# --- The hub's own SQLite database (TLJH's and the demo's; a hub on PostgreSQL is not touched):
# write-ahead log with synchronous=NORMAL, so that a commit no longer waits for the disk. The hub
# commits ~11 times per login (user, roles, cookie, OAuth code and token) and SQLite is called on
# the hub's one event loop: with the default (a disk flush per commit) 30 participants logging in
# at once queued behind 330 flushes, 23 ms each on a busy machine (cProfile of `make bench-hub`).
# A power cut may lose the last logins (they log in again); the kit's data is not in this file.
FAST_HUB_SQLITE = True


def _fast_sqlite_commits(connection, _record):
    """On every new connection to the hub's database file (jupyterhub.sqlite) and no other."""
    if not type(connection).__module__.startswith("sqlite3"):
        return
    cursor = connection.cursor()
    files = [row[2] or "" for row in cursor.execute("PRAGMA database_list")]
    if files and files[0].endswith("jupyterhub.sqlite"):
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


if FAST_HUB_SQLITE:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _fast_sqlite_commits):
        event.listen(Engine, "connect", _fast_sqlite_commits)

# --- Users' own servers: JupyterLab for self-study, with the kit installed. The kit's Voila
# settings are the Jupyter server's config file in the users' environment,
#   implementatiekit voila-config > {prefix}/etc/jupyter/jupyter_server_config.json
# (not a voila.json: Voila inside a Jupyter server reads only its VoilaConfiguration from that).
c.Spawner.notebook_dir = NOTEBOOKS
c.Spawner.default_url = "/lab"
c.Spawner.environment.update({"KIT_DATABASE_URL": DATABASE_URL})
# IPC kernels and the 107-character limit on socket paths (TLJH's /home/jupyter-<name>): a short
# runtime folder per user.
c.Spawner.environment.update(
    {"JUPYTER_RUNTIME_DIR": lambda spawner: f"/tmp/kit-jupyter-{spawner.user.id}"}
)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
