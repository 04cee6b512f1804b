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
    """The background build: started once, waited for by whoever needs it first."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="kit-wheel-"))
        self.log_path = self.base / "build.log"
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.wheel_env", str(self.base)],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait(self) -> Path:
        """The environment's bin folder; fails with pip's output if the build failed or hung."""
        try:
            code = self.proc.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise RuntimeError(f"no wheel environment after {DEADLINE_S} s") from None
        if code != 0:
            raise RuntimeError(
                f"building the wheel environment failed:\n{self.log_path.read_text()}"
            )
        return self.base / "venv" / "bin"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.base, ignore_errors=True)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
