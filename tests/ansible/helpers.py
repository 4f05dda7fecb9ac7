"""Running the real ansible-core (ansible-playbook, ansible-doc, ansible-galaxy) from tests.

Nothing of Ansible is mocked: the commands run as a person would run them, with
``ANSIBLE_COLLECTIONS_PATH`` pointing at this checkout's ``ansible/`` folder and
every temporary directory inside the test's tmp dir.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / "ansible"
COLLECTION = COLLECTIONS / "ansible_collections" / "nunet" / "onboard"
ETH_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def tool(name: str) -> str:
    """An ansible-core command from this virtualenv (or PATH); skip, saying why, if absent.

    ``NUNET_ANSIBLE_BIN`` names another ansible-core's bin folder: ``.ci/run`` runs these
    tests again with the oldest ansible-core the collection supports.
    """
    other = os.environ.get("NUNET_ANSIBLE_BIN")
    beside = Path(other or Path(sys.executable).parent) / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: install the test extras (pip install -e '.[test]')")
    return found


def nunet_onboard() -> str:
    """The nunet-onboard of this checkout's virtualenv (installed by pip install -e .)."""
    beside = Path(sys.executable).parent / "nunet-onboard"
    if not beside.exists():
        pytest.skip("nunet-onboard is not installed in this virtualenv (pip install -e .)")
    return str(beside)


def ansible_env(tmp: Path, **extra: str) -> dict[str, str]:
    home = tmp / "ansible-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_HOME": str(home),
        "ANSIBLE_LOCAL_TEMP": str(home / "local"),
        "ANSIBLE_REMOTE_TEMP": str(home / "remote"),
        "ANSIBLE_CONFIG": str(home / "none.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "ANSIBLE_SYSTEM_WARNINGS": "0",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.update(extra)
    return env


def playbook(
    playbook_path: Path,
    inventory: Path,
    env: dict[str, str],
    *args: str,
    json_output: bool = True,
    timeout: int = 600,
) -> tuple[int, str, Any]:
    """Run ansible-playbook; returns its exit code, its stdout and (JSON callback) the parsed run."""
    run_env = dict(env)
    if json_output:
        run_env["ANSIBLE_STDOUT_CALLBACK"] = "json_results"
        run_env["ANSIBLE_CALLBACK_PLUGINS"] = str(Path(__file__).parent / "callback_plugins")
    result = subprocess.run(
        [tool("ansible-playbook"), "-i", str(inventory), str(playbook_path), *args],
        capture_output=True,
        text=True,
        env=run_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    parsed = json.loads(result.stdout) if json_output and result.stdout.strip() else None
    if "Traceback" in result.stderr:
        raise AssertionError(result.stderr)
    return result.returncode, result.stdout + result.stderr, parsed


def task_results(run: Any, task_name: str) -> dict[str, Any]:
    """Each host's result of the task called ``task_name`` (JSON callback output)."""
    for play in run["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"] == task_name:
                return dict(task["hosts"])
    raise AssertionError(f"no task {task_name!r} in the run")
