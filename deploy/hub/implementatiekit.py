# What every JupyterHub serving the Implementatiekit needs: a JupyterHub config snippet.
#
# `make hub` (deploy/hub/jupyterhub_config.py) and the hub test load exactly this file. On The
# Littlest JupyterHub copy it to /opt/tljh/config/jupyterhub_config.d/ (deploy/tljh/); Zero to
# JupyterHub sets the same traits in deploy/z2jh/values.yaml. Edit the three values below for your
# hub (the demo sets them through the environment).
#
# Each user's Jupyter server opens the kit in Voila. The kit's Voila settings are NOT set here:
# they are the Jupyter server's config file in the users' environment,
#   implementatiekit voila-config > {prefix}/etc/jupyter/jupyter_server_config.json
# Not a `voila.json`: Voila inside a Jupyter server reads only its VoilaConfiguration from that,
# while the kernel transport, culling and output wait are the server's own settings. Not a file in
# `jupyter_server_config.d/` either: the server reads only extension switches from there.
import os

c = get_config()  # noqa: F821 - defined by JupyterHub when it loads this file

# The app notebooks, copied for everyone with `implementatiekit notebooks /srv/implementatiekit`.
NOTEBOOKS = os.environ.get("KIT_HUB_NOTEBOOKS", "/srv/implementatiekit")
# One PostgreSQL database for every user's server, so a trainer sees the answers of participants
# whose kernels run in other servers (a per-server SQLite file would split the group).
DATABASE_URL = os.environ.get(
    "KIT_DATABASE_URL", "postgresql+psycopg://kit:CHANGE-ME@127.0.0.1:5432/kit"
)
# The hub's public address: join links and QR codes carry it.
PUBLIC_URL = os.environ.get("KIT_HUB_PUBLIC_URL", "https://kit.example.org").rstrip("/")

# Voila is every user's start page; the kit's notebooks are the server's root folder, so Voila's
# /voila/render/<name>.ipynb finds them (JupyterLab stays available at /user/<name>/lab).
c.Spawner.notebook_dir = NOTEBOOKS
c.Spawner.default_url = "/voila/render/index.ipynb"
c.Spawner.environment.update(
    {
        "KIT_DATABASE_URL": DATABASE_URL,
        # A join link goes through the hub: each participant logs in and lands on the participant
        # page in their own server (started if needed), query string (?session=...) kept.
        "KIT_PUBLIC_URL": f"{PUBLIC_URL}/hub/user-redirect/voila/render",
    }
)
# The kit's kernels talk over Unix sockets in the Jupyter runtime folder, and a socket's path may
# be at most 107 characters: ~/.local/share/jupyter/runtime/kernel-<uuid>-ipc-1 fails (the kernel
# never starts, the page never comes) once the home folder is longer than ~21 characters, e.g.
# TLJH's /home/jupyter-<name> for a name of more than 14. A short runtime folder per user (the
# hub's user id). TLJH and Kubernetes give each user server a /tmp of its own; where separate
# accounts share /tmp, pick a folder only that user can create.
c.Spawner.environment.update(
    {"JUPYTER_RUNTIME_DIR": lambda spawner: f"/tmp/kit-jupyter-{spawner.user.id}"}
)
# A user's first page waits for their server and then for its first kernel; on a busy machine
# (a room logging in at once) both take longer than JupyterHub's defaults allow.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
