"""Kernels forked from the kit's warm fork server (kit/kernel_fork.py): a forked kernel is the
kernel Jupyter asked for (its folder, its environment, its own process group, ipywidgets' comm
targets, its command line in ``ps``), its exit is reported, and a server whose fork server died
starts the next page's kernel the usual way. The pages themselves run on forked kernels in every
other browser test."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

from kit import kernel_fork
from kit.kernel_output import KERNEL_ARGUMENT
from tests.conftest import NOTEBOOKS, VoilaServer, on_a_thread_of_its_own

pytestmark = pytest.mark.voila


def _run(code: str, client: BlockingKernelClient) -> object:
    """The value of the expression ``code`` in the kernel."""
    reply = client.execute_interactive(
        f"import json as _j, os; print(_j.dumps({code}))", timeout=60, output_hook=_collect
    )
    assert reply["content"]["status"] == "ok", reply["content"]
    return json.loads(_collected.pop())


_collected: list[str] = []


def _collect(msg: dict[str, object]) -> None:
    content = msg["content"]
    if msg["msg_type"] == "stream" and isinstance(content, dict):
        _collected.append(str(content["text"]))


def test_a_forked_kernel_is_the_kernel_jupyter_asked_for(tmp_path: Path) -> None:
    connection = tmp_path / "kernel-0f0e0d0c.json"
    write_connection_file(str(connection))
    folder = tmp_path / "pages"
    folder.mkdir()
    env = {**os.environ, "KIT_PAGE_MARK": "page-7", "QUERY_STRING": "session=K7Q2MX"}
    fork = kernel_fork.ForkServer()

    async def start() -> kernel_fork.ForkedKernel:
        return await fork.spawn(["-f", str(connection), KERNEL_ARGUMENT], env, str(folder))

    kernel = on_a_thread_of_its_own(lambda: asyncio.run(start()))
    client = BlockingKernelClient(connection_file=str(connection))
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        assert _run("os.getcwd()", client) == str(folder)
        assert _run("os.environ['KIT_PAGE_MARK']", client) == "page-7"
        assert _run("'KIT_FORK_ROOM' in os.environ", client) is False
        assert _run("os.getpgid(0) == os.getpid() == os.getsid(0)", client) is True
        # ipywidgets was imported before there was a kernel: its comm targets are there anyway.
        targets = "sorted(get_ipython().kernel.comm_manager.targets)"
        assert {"jupyter.widget", "jupyter.widget.control"} <= set(_run(targets, client))  # type: ignore[call-overload]
        # ps and the tests see the kernel's own command and environment.
        proc = psutil.Process(kernel.pid)
        assert proc.cmdline()[:5] == [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            str(connection),
        ]
        assert proc.environ()["QUERY_STRING"] == "session=K7Q2MX"
        assert kernel_fork.is_kernel(proc.cmdline(), proc.parent().cmdline())
        assert kernel.poll() is None
        # An interrupt reaches the kernel as Jupyter sends it (to its process group).
        client.execute("import time; time.sleep(60)")
        time.sleep(1)
        kernel.send_signal(signal.SIGINT)
        reply = client.get_shell_msg(timeout=30)
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
    finally:
        client.stop_channels()
        kernel.kill()
    # Its end is reported with the signal that ended it.
    deadline = time.monotonic() + 30
    while kernel.poll() is None:
        assert time.monotonic() < deadline, "the killed kernel's end was never reported"
        time.sleep(0.1)
    assert kernel.poll() == -signal.SIGKILL
    fork.stop()


def test_a_server_whose_fork_server_died_starts_kernels_the_usual_way(tmp_path: Path) -> None:
    server = VoilaServer(NOTEBOOKS, env={"KIT_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"})
    try:
        assert requests.get(server.render_url("index.ipynb"), timeout=120).status_code == 200
        forks = [
            p
            for p in psutil.Process(server.proc.pid).children()
            if "kit.kernel_fork" in p.cmdline()
        ]
        assert len(forks) == 1, "the first page started no fork server"
        forked = [k for k in server.kernels() if k.parent().pid == forks[0].pid]
        assert forked, "the first page's kernel was not forked"
        forks[0].kill()
        start = server.log_size()
        page = requests.get(server.render_url("index.ipynb"), timeout=120)
        assert page.status_code == 200 and "kit-content-error" not in page.text
        usual = [k for k in server.kernels() if k.parent().pid == server.proc.pid]
        assert usual, "no kernel was started the usual way"
        log = server.log_since(start)
        assert "kernels start the usual way from now on: the fork server failed" in log, log
        assert "Traceback" not in log, log
    finally:
        server.stop()


def test_forking_can_be_switched_off(tmp_path: Path) -> None:
    server = VoilaServer(
        NOTEBOOKS,
        env={"KIT_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}", "KIT_FORK_KERNELS": "off"},
    )
    try:
        assert requests.get(server.render_url("index.ipynb"), timeout=120).status_code == 200
        children = psutil.Process(server.proc.pid).children()
        assert not [p for p in children if "kit.kernel_fork" in p.cmdline()]
        assert [k for k in server.kernels() if k.parent().pid == server.proc.pid]
    finally:
        server.stop()
