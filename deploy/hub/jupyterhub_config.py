# A local JupyterHub for trying the kit out: `make hub` (through deploy/hub/demo.py, which starts
# PostgreSQL, copies the notebooks, writes the Voila settings and sets the variables read below).
# The hub test (tests/test_hub.py) and `make bench-hub` run this same file.
#
# DEMO ONLY: everyone logs in with one shared password and every user's server runs as the
# account that started the hub. For a real hub use your organisation's login and a spawner that
# separates users (TLJH, Zero to JupyterHub: see docs/hosting.md); the kit's own part,
# implementatiekit.py next to this file, stays the same.
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - defined by JupyterHub when it loads this file

STATE = Path(os.environ["KIT_HUB_STATE"])  # a folder of this run's hub (demo.py makes it)
IP = os.environ.get("KIT_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("KIT_HUB_PORT", "8000"))

# The kit's part: the kit services behind the hub's login, the shared database, users' own
# servers for JupyterLab self-study.
load_subconfig(str(Path(__file__).with_name("implementatiekit.py")))  # noqa: F821

# --- The hub: configurable-http-proxy in front, the hub's own state in STATE.
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('KIT_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('KIT_HUB_PROXY_API_PORT', '8001')}"
)
c.ConfigurableHTTPProxy.command = [os.environ.get("KIT_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- Demo login: any user name with the shared password (trainer, deelnemer1, ...).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("KIT_HUB_PASSWORD", "kit-demo-2026")
c.Authenticator.allow_all = True

# --- Users' servers: local processes of this account, each with a home folder in STATE.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.environment.update(
    {
        # The kit's Voila settings (jupyter_server_config.d/implementatiekit.json, written by
        # `implementatiekit voila-config`), and its page template when the kit is an editable
        # install (a wheel puts the template in {prefix}/share/jupyter, where Voila looks anyway).
        "JUPYTER_CONFIG_PATH": str(STATE / "etc" / "jupyter"),
        "JUPYTER_PATH": os.environ["KIT_HUB_JUPYTER_PATH"],
    }
)
# Kept from the hub's environment when set (the tests share one cache for content and charts).
c.Spawner.env_keep.extend(["XDG_CACHE_HOME", "KIT_CHART_CACHE"])
if os.geteuid() == 0:  # CI runs as root; a Jupyter server refuses to unless told
    c.Spawner.args = ["--ServerApp.allow_root=True"]

# --- Idle culler as a hub service: stop users' own servers (JupyterLab self-study) idle for 40
# minutes (longer than a coffee break). The kit services' kernels are culled after 8 idle minutes
# by the kit's Voila settings.
c.JupyterHub.services.extend(
    [
        {
            "name": "idle-culler",
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                "--timeout=2400",
                "--cull-every=300",
            ],
        }
    ]
)
c.JupyterHub.load_roles.append(
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
)
