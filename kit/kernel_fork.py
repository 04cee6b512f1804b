"""Kernels forked from a warm process: a page's kernel starts without importing Python's world.

Every page the kit serves runs in a kernel of its own. Started the usual way (``python -m
ipykernel_launcher``), each kernel spends about a second of processor time importing ipykernel,
ipywidgets, SQLAlchemy, pydantic and the kit's apps before it runs a line of the notebook:
measured here, 1.4 CPU-s per page, two thirds of it imports. A room of thirty phones pays that
thirty times on the trainer's laptop at the moment everyone scans the QR code.

Here the server starts one *fork server* (``python -m kit.kernel_fork``) that imports all of
that once and then waits. For each kernel the server sends it the command, environment and
folder Jupyter would have started the kernel with; the fork server forks, and the child becomes
that kernel: its own session and process group, the page's environment, the page's folder, the
same ``ipykernel_launcher`` run as ``python -m`` runs it. The parent hands back the pid; the
kernel's exit code comes back when it ends. Forked kernels also share the imported code's
memory with the fork server until they change it.

Nothing is imported that reads the environment or the content when imported (the kit reads both
when a page asks), so a forked kernel sees exactly what a freshly started one would. When the
fork server cannot be started or stops answering, the kernel starts the usual way and the log
says why: a page never waits on this.

Switched off with ``KIT_FORK_KERNELS=off`` (then every kernel starts the usual way).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
from typing import Any

log = logging.getLogger("kit.kernel_fork")

#: Imported once by the fork server; every kernel forked from it starts with them in memory.
#: Only modules that neither read the environment nor start threads when imported.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.iostream",
    "ipykernel_launcher",
    "ipywidgets",
    "comm",
    "sqlalchemy",
    "pydantic",
    "babel.numbers",
    "babel.dates",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_pdf",
    "kit.kernel_output",
    "kit.charts",
    "kit.storage",
    "kit.present.group",
    "kit.present.room",
    "kit.apps.common",
    "kit.apps.frame",
    "kit.apps.workshop",
    "kit.apps.quickscan_app",
    "kit.apps.phases_app",
    "kit.apps.kern_app",
    "kit.apps.plan_app",
    "kit.apps.group_app",
    "kit.apps.room_app",
    "kit.apps.presenter",
    "kit.apps.landing",
    "kit.apps.homework_app",
)

#: Loads ipywidgets' IPython extension in a forked kernel (see :func:`_child`).
WIDGETS_EXTENSION = "--IPKernelApp.extra_extensions=ipywidgets"

#: Bytes of command line and of environment the fork server starts with, as room for each
#: forked kernel's own (:func:`_show_as`): a kernel's command is about 250 bytes, its
#: environment the server's plus what Voila adds for the page.
ROOM = {"args": 2048, "env": 32768}

#: How long the server waits for the fork server's answer before starting the kernel itself.
ANSWER_SECONDS = 30.0


def enabled(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    """Whether kernels are forked (``KIT_FORK_KERNELS`` is not ``off``), on systems that fork.

    >>> enabled({}), enabled({"KIT_FORK_KERNELS": "off"}), enabled({"KIT_FORK_KERNELS": "on"})
    (True, False, True)
    """
    env = os.environ if environ is None else environ
    return hasattr(os, "fork") and env.get("KIT_FORK_KERNELS", "on").lower() != "off"


def launcher_args(cmd: list[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` in a kernel command, or None for a command
    the fork server does not run (another kernel, another Python).

    >>> launcher_args([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    ['-f', 'k.json']
    >>> launcher_args(["/usr/bin/python3", "-m", "ipykernel_launcher"]) is None
    True
    >>> launcher_args([sys.executable, "-m", "other_kernel"]) is None
    True
    """
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    if os.path.realpath(cmd[0]) != os.path.realpath(sys.executable):
        return None
    return list(cmd[3:])


def is_kernel(cmdline: list[str], parent_cmdline: list[str]) -> bool:
    """Whether a process with this command line (and its parent's) is a kernel: started the
    usual way, or forked by the fork server (whose command line its children keep).

    >>> is_kernel(["python", "-m", "ipykernel_launcher", "-f", "k.json"], ["voila"])
    True
    >>> fork = ["python", "-m", "kit.kernel_fork", "5"]
    >>> is_kernel(fork, fork), is_kernel(fork, ["python", "-m", "kit.voila_server"])
    (True, False)
    """
    if "ipykernel_launcher" in cmdline or any("ipykernel" in part for part in cmdline):
        return True
    return _FORK_MODULE in cmdline and _FORK_MODULE in parent_cmdline


_FORK_MODULE = "kit.kernel_fork"


# --------------------------------------------------------------------------- the server's side


class ForkedKernel:
    """A forked kernel, to Jupyter's provisioner as a ``subprocess.Popen`` is: ``pid``,
    ``poll``, ``wait``, ``send_signal``, ``terminate``, ``kill``. The fork server is its parent
    and reports its exit code."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, server: ForkServer) -> None:
        self.pid = pid
        self._server = server
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._server.exit_code(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        # Jupyter calls this only once poll() said the kernel ended.
        code = self.poll()
        if code is None:
            raise subprocess.TimeoutExpired(["kernel", str(self.pid)], timeout or 0)
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkServer:
    """The server's end of the fork server: started at the first kernel, asked for each."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._lock: asyncio.Lock | None = None
        self._waiting: collections.deque[asyncio.Future[dict[str, Any]]] = collections.deque()
        self._exits: dict[int, int] = {}
        self._listener: asyncio.Task[None] | None = None
        self.broken = ""  # why it is not used any more, once it failed
        self.reported = False  # whether the server's log said so

    async def _start(self) -> None:
        ours, theirs = socket.socketpair()
        # Blank room in its command line and environment: each forked kernel writes its own
        # command and environment there (_show_as).
        self._proc = subprocess.Popen(
            [sys.executable, "-m", _FORK_MODULE, str(theirs.fileno()), " " * ROOM["args"]],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env={**os.environ, "KIT_FORK_ROOM": " " * ROOM["env"]},
        )
        theirs.close()
        reader, self._writer = await asyncio.open_unix_connection(sock=ours)
        ready = await asyncio.wait_for(reader.readline(), ANSWER_SECONDS)
        if json.loads(ready or b"{}").get("ready") is not True:
            raise RuntimeError(f"the fork server did not start: {ready!r}")
        self._listener = asyncio.get_running_loop().create_task(self._listen(reader))

    async def _listen(self, reader: asyncio.StreamReader) -> None:
        """Answers to requests, in order, and exit reports whenever a kernel ends."""
        try:
            while line := await reader.readline():
                answer = json.loads(line)
                if "exit" in answer:
                    self._exits[int(answer["exit"])] = int(answer["code"])
                elif self._waiting:
                    waiting = self._waiting.popleft()
                    if not waiting.done():
                        waiting.set_result(answer)
        except (OSError, ValueError) as exc:
            self.broken = f"{type(exc).__name__}: {exc}"
        self.broken = self.broken or "the fork server ended"
        while self._waiting:
            waiting = self._waiting.popleft()
            if not waiting.done():
                waiting.set_exception(RuntimeError(self.broken))

    async def spawn(self, args: list[str], env: dict[str, str], cwd: str) -> ForkedKernel:
        """Fork a kernel running ``python -m ipykernel_launcher *args`` in ``cwd`` with
        ``env``. Raises when the fork server cannot do it (the caller starts it the usual way)."""
        if self.broken:
            raise RuntimeError(self.broken)
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            try:
                if self._proc is None:
                    await self._start()
                assert self._writer is not None
                answered = asyncio.get_running_loop().create_future()
                self._waiting.append(answered)
                request = {"args": args, "env": env, "cwd": cwd}
                self._writer.write(json.dumps(request).encode() + b"\n")
                await self._writer.drain()
                answer = await asyncio.wait_for(answered, ANSWER_SECONDS)
                if "error" in answer:
                    raise RuntimeError(answer["error"])
                return ForkedKernel(int(answer["pid"]), self)
            except (TimeoutError, OSError, RuntimeError, ValueError, KeyError) as exc:
                self.broken = self.broken or f"{type(exc).__name__}: {exc}"
                self.stop()
                raise RuntimeError(self.broken) from exc

    def exit_code(self, pid: int) -> int | None:
        """The kernel's exit code once it ended, else None."""
        if pid in self._exits:
            return self._exits.pop(pid)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:  # ended, its report not read yet (or the fork server gone)
            return -signal.SIGKILL
        except PermissionError:
            pass
        # Alive. (Once the fork server is gone its kernels are the init process's, which reaps
        # them: a kernel that ends then is no longer there.)
        return None

    def stop(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(5)


_server: ForkServer | None = None


def server() -> ForkServer:
    """This process's fork server (started at its first kernel)."""
    global _server
    if _server is None:
        _server = ForkServer()
    return _server


# --------------------------------------------------------------------------- the fork server


def _show_as(argv: list[str], env: dict[str, str]) -> None:
    """Make ``/proc/<pid>/cmdline`` and ``environ`` say what this kernel is (``ps``, the
    tests, an administrator looking for the kernel of page X), not the fork server it was
    forked from: both are read live from the regions of memory the process started with, so the
    kernel writes its own command and environment there, in the room the fork server reserved
    (:data:`ROOM`). Where that is refused, they keep the fork server's."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        # Fields 48-51 of proc(5): arg_start, arg_end, env_start, env_end; index 0 is field 3.
        arg_start, arg_end, env_start, env_end = (int(fields[n - 3]) for n in (48, 49, 50, 51))
        args = b"".join(a.encode(errors="replace") + b"\0" for a in argv)
        block = b"".join(f"{k}={v}".encode(errors="replace") + b"\0" for k, v in env.items())
        with open("/proc/self/mem", "r+b", buffering=0) as mem:
            for start, end, data in ((arg_start, arg_end, args), (env_start, env_end, block)):
                if len(data) <= end - start:
                    mem.seek(start)
                    mem.write(data.ljust(end - start, b"\0"))
    except (OSError, ValueError, IndexError):
        pass


def _child(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become the kernel Jupyter asked for. Never returns."""
    code = 1
    try:
        os.setsid()  # its own session and process group, as Jupyter starts kernels
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.set_wakeup_fd(-1)
        for fd in fds:  # the fork server's: its socket, wake-up pipe and selector
            os.close(fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = os.getcwd()  # as `python -m` puts the working folder first
        # ipywidgets registers its comm targets when it is imported inside a kernel; here it
        # was imported before there was one: its IPython extension registers them instead
        # (without them a page that reconnects gets "No such comm target").
        sys.argv = ["ipykernel_launcher", *request["args"], WIDGETS_EXTENSION]
        _show_as([sys.executable, "-m", *sys.argv], request["env"])
        import runpy

        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve(fd: int) -> None:
    """The fork server: import :data:`PRELOAD`, then fork a kernel for each request on ``fd``
    and report each kernel's exit; end when the server's end closes."""
    os.environ.pop("KIT_FORK_ROOM", None)  # room for the kernels' environments, not a setting
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on `make serve` ends the server
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a missing extra: that module is imported per kernel
            print(f"kit.kernel_fork: not preloaded {name}: {exc}", file=sys.stderr)
    # What was imported stays as it is: the collector would otherwise write to every object's
    # header in each kernel, copying the shared pages it could have kept (as Python's gc docs
    # advise before forking).
    gc.freeze()
    read_wakeup, write_wakeup = os.pipe()
    os.set_blocking(read_wakeup, False)
    os.set_blocking(write_wakeup, False)
    signal.set_wakeup_fd(write_wakeup)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the selector through the pipe
    out = sock.makefile("wb", buffering=0)
    inbox = sock.makefile("rb", buffering=0)
    out.write(b'{"ready": true}\n')
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    selector.register(read_wakeup, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is sock:
                line = inbox.readline()
                if not line:
                    return  # the server is gone
                try:
                    request = json.loads(line)
                    pid = os.fork()
                except (OSError, ValueError) as exc:
                    out.write(
                        json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode() + b"\n"
                    )
                    continue
                if pid == 0:
                    _child(request, [fd, read_wakeup, write_wakeup, selector.fileno()])
                out.write(json.dumps({"pid": pid}).encode() + b"\n")
            else:
                with contextlib.suppress(BlockingIOError):
                    os.read(read_wakeup, 512)
                while True:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    code = os.waitstatus_to_exitcode(status)
                    out.write(json.dumps({"exit": pid, "code": code}).encode() + b"\n")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
