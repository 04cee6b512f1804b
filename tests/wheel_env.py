"""Build the kit's wheel and install it, with its dependencies from the package index, into a fresh
virtual environment outside the repository: what a user does with ``pip install implementatiekit``.

Run as ``python -m tests.wheel_env BASE``. The test session starts it in the background as soon as
the wheel tests are collected (most of its minute is waiting for pip), and tests/test_wheel.py
waits for it; see :class:`WheelEnv`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Building and installing takes about a minute here; far longer means something hangs.
DEADLINE_S = 600


def user_env() -> dict[str, str]:
    """The environment as a user's shell has it: nothing of this repository on the path (a
    PYTHONPATH pointing at a checkout makes pip think the kit is installed already) and no
    content or template folder of the test session."""
    drop = {"PYTHONPATH", "KIT_CONTENT_DIR", "JUPYTER_PATH"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def build(base: Path) -> Path:
    """The bin folder of a fresh environment with the kit installed from its wheel."""
    dist = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        cwd=base,
        timeout=300,
    )
    [wheel] = dist.glob("implementatiekit-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        cwd=base,
        env=user_env(),
        timeout=DEADLINE_S,
    )
    return bin_dir


class WheelEnv:
    """The background build, once per test run: the first process of the run (with pytest-xdist,
    the first worker) to claim the run's folder starts it; every process waits for its result.
    The folder is named after ``KIT_TEST_RUN``, which the first pytest process sets and its
    workers inherit; that process removes it at the end (:func:`remove`)."""

    def __init__(self) -> None:
        self.base = run_folder()
        self.result = self.base / "result"
        self.log_path = self.base / "build.log"
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            self.base.mkdir(parents=True)
        except FileExistsError:
            return  # another worker of this run builds it
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.wheel_env", str(self.base)],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait(self) -> Path:
        """The environment's bin folder; fails with pip's output if the build failed or hung."""
        deadline = time.monotonic() + DEADLINE_S
        while not self.result.exists():
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"no wheel environment after {DEADLINE_S} s")
            if self.proc is not None and self.proc.poll() not in (None, 0):
                break  # the build died without writing its result
            time.sleep(0.5)
        outcome = self.result.read_text() if self.result.exists() else "no result"
        if outcome != "ok":
            log = self.log_path.read_text() if self.log_path.exists() else ""
            raise RuntimeError(f"building the wheel environment failed: {outcome}\n{log}")
        return self.base / "venv" / "bin"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


def run_folder() -> Path:
    run = os.environ.setdefault("KIT_TEST_RUN", uuid.uuid4().hex)
    return Path(tempfile.gettempdir()) / f"kit-wheel-{run}"


def remove() -> None:
    """Remove this run's wheel environment (by the process that started the run)."""
    shutil.rmtree(run_folder(), ignore_errors=True)


def main(base: Path) -> None:
    try:
        build(base)
    except Exception as exc:  # reported to the waiting tests with the log
        (base / "result").write_text(f"{type(exc).__name__}: {exc}")
        raise
    (base / "result").write_text("ok")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
