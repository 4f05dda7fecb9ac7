"""Run the real command line in a subprocess, the way a script or a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
