"""Run the real command line: in a subprocess, as a script or a person would, or in this process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str,
    state_dir: Path | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "app", *args]
    if state_dir is not None:
        argv += ["--state-dir", str(state_dir)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        argv,
        cwd=REPO,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )


def run_json(*args: str, state_dir: Path) -> Any:
    result = run_cli(*args, "--json", state_dir=state_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def main_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """``app.cli.main(argv)`` in this process: exit code, stdout, stderr.

    argparse's own exits (usage, --help, --version) become their exit code.
    """
    from app.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def main_json(capsys: Any, *argv: str) -> Any:
    code, out, err = main_cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


class Terminal(io.StringIO):
    """stdin as a terminal that a person answers: ``isatty()`` is true and each read
    takes the next line typed. ``before_read`` runs once, just before the first
    answer is read: what another user (or a hang-up) does while the question waits."""

    def __init__(self, typed: str = "", before_read: Callable[[], None] | None = None) -> None:
        super().__init__(typed)
        self.before_read = before_read

    def isatty(self) -> bool:
        return True

    def readline(self, size: int | None = -1, /) -> str:
        action, self.before_read = self.before_read, None
        if action is not None:
            action()
        return super().readline(size)

    def read(self, size: int | None = -1, /) -> str:
        action, self.before_read = self.before_read, None
        if action is not None:
            action()
        return super().read(size)


def smallest_offer(machine: dict[str, Any], state: str, *extra: str) -> list[str]:
    """``onboard`` with the smallest offer this machine allows (``machine`` is the
    fixture of tests/cli/conftest.py), on ``state``; ``extra`` goes at the end."""
    from tests.conftest import ETH_ADDRESS

    cpu, memory = str(machine["cpu_min"]), str(machine["mem_min"])
    return [
        "onboard", "-c", cpu, "-m", memory, "-n", "nunet-team", "-a", ETH_ADDRESS,
        "-x", "0.25", "--state-dir", state, *extra,
    ]  # fmt: skip
