"""What can be tested of hosting here: the Voila config loads with the settings we rely on, and
the example deployment files parse and say what docs/hosting.md says they say."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from traitlets.config.loader import JSONFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def test_voila_config_loads_with_culling_and_no_tracebacks() -> None:
    config = JSONFileConfigLoader("voila.json", path=str(ROOT)).load_config()
    assert config.VoilaConfiguration.show_tracebacks is False
    kernels = config.MappingKernelManager
    assert kernels.cull_interval > 0
    assert kernels.cull_idle_timeout >= 1800  # longer than a coffee break
    assert kernels.cull_connected is False  # an open page keeps its kernel
    assert config.Voila.port == 8866
    # Preheated kernels are off on purpose (docs/hosting.md explains the measurement).
    assert "preheat_kernel" not in json.dumps(json.loads((ROOT / "voila.json").read_text()))


def test_make_serve_uses_the_repo_config() -> None:
    # Voila reads voila.json from its working directory: `make serve` must start it from the
    # repository root, as the test server in conftest.py does.
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile[makefile.index("serve:") :].split("\n\n")[0]
    assert "$(BIN)/voila notebooks" in serve and "cd " not in serve


def test_z2jh_values() -> None:
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    single = values["singleuser"]
    assert single["defaultUrl"].startswith("/voila/render/")
    assert "KIT_DATABASE_URL" in single["extraEnv"]
    voila = single["extraFiles"]["voila"]["data"]
    assert voila["MappingKernelManager"]["cull_connected"] is False


def test_tljh_config() -> None:
    config = yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text())
    assert config["hub"]["default_url"].startswith("/voila/render/")
    assert config["services"]["cull"]["enabled"] is True


def test_nginx_example_proxies_websockets() -> None:
    text = (DEPLOY / "nginx" / "implementatiekit.conf").read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "proxy_pass http://127.0.0.1:8866;" in text
    assert "ssl_certificate" in text
    assert text.count("{") == text.count("}")


def test_binder_environment_installs_from_pyproject() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert pip == ["-e ."]
