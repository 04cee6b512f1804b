"""What can be tested of hosting here: the Voila config loads with the settings we rely on, and
the example deployment files parse and say what docs/hosting.md says they say."""

from __future__ import annotations

from pathlib import Path

import yaml
from traitlets.config.loader import JSONFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def test_voila_config_loads_with_the_settings_the_room_needs() -> None:
    from kit.serve import prepare

    launch = prepare(room=30, ip="0.0.0.0", port=8870)
    config = JSONFileConfigLoader("voila.json", path=str(launch.cwd)).load_config()
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.VoilaConfiguration.template == "kit"
    assert config.VoilaConfiguration.preheat_kernel is True
    pools = config.VoilaKernelManager.kernel_pools_config
    assert pools["deelnemer.ipynb"] == {"pool_size": 30} and pools["default"] == {"pool_size": 0}
    assert config.KernelManager.transport == "ipc"  # no TCP port race in a burst
    assert config.VoilaExecutor.iopub_timeout >= 30  # no blank pages under load
    kernels = config.MappingKernelManager
    # Closed pages are freed within 10 minutes; open pages keep their kernel.
    assert kernels.cull_idle_timeout + kernels.cull_interval <= 600
    assert kernels.cull_connected is False
    assert (config.Voila.ip, config.Voila.port) == ("0.0.0.0", 8870)
    # The template is found through JUPYTER_PATH, from the installed package.
    template = Path(launch.env["JUPYTER_PATH"].split(":")[0]) / "voila/templates/kit"
    assert (template / "index.html.j2").is_file() and (template / "static/kit-page.js").is_file()
    # Without a room: no pool (no memory held for nobody), same safety settings.
    alone = JSONFileConfigLoader("voila.json", path=str(prepare().cwd)).load_config()
    assert alone.VoilaConfiguration.preheat_kernel is False
    assert alone.KernelManager.transport == "ipc"


def test_make_serve_goes_through_the_kit() -> None:
    # One configuration: `make serve` runs `python -m kit serve`, as the test server does.
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile[makefile.index("\nserve:") :].split("\n\n")[0]
    assert "-m kit serve --room $(ROOM)" in serve
    assert not (ROOT / "voila.json").exists(), "the configuration lives in kit/serve.py"


def test_serve_command_refuses_a_silly_room(capsys: object) -> None:
    import pytest

    from kit.__main__ import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--room", "-3"])
    assert exited.value.code == 2


def test_z2jh_values() -> None:
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    single = values["singleuser"]
    # Users' own servers are for JupyterLab self-study; workshops run on the kit services.
    assert single["defaultUrl"] == "/lab"
    assert values["hub"]["config"]["JupyterHub"]["default_url"].startswith("/services/")
    assert "KIT_DATABASE_URL" in single["extraEnv"]
    voila = single["extraFiles"]["voila"]["data"]
    from kit.serve import voila_config

    same = voila_config()
    for section in ("MappingKernelManager", "KernelManager", "VoilaExecutor"):
        assert voila[section] == same[section], f"values.yaml {section} differs from kit.serve"


def test_tljh_config() -> None:
    config = yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text())
    # Not a TLJH setting: deploy/hub/implementatiekit.py sets the start page (tests/test_hub.py).
    assert "hub" not in config
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


def test_every_kit_package_goes_into_the_wheel() -> None:
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "kit").rglob("__init__.py")
    }
    assert found and found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
