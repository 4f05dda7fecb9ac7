"""The nunet.onboard.nunet_onboard role driven by the real ansible-playbook on local hosts.

Each "node" is the local machine with its own venv, state directory and temporary
directory, so the tests see everything the role writes. The cheap tests stop before any
install (a bad argument, an old Python); one long test installs a wheel of this checkout:
a check-mode preview on new nodes (from a temporary install), the real run, and a second
run that must run no pip and change nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.onboarding.controller import OnboardingController
from tests.ansible.helpers import (
    ETH_ADDRESS,
    ansible_env,
    nunet_onboard,
    playbook,
    task_results,
)

pytestmark = pytest.mark.slow

PLAYBOOKS = Path(__file__).parent / "playbooks"
ROLE = "nunet.onboard.nunet_onboard"
PIP_TASK = f"{ROLE} : Install nunet-onboard (and what it needs) in the virtualenv"
# The Python that makes each node's venv: the base interpreter, not this test venv.
NODE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def node(tmp: Path, name: str, **extra: Any) -> dict[str, Any]:
    """A local host with its own venv and state directory under ``tmp/name``."""
    return {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "nunet_onboard_python": NODE_PYTHON,
        "nunet_onboard_venv": str(tmp / name / "venv"),
        "nunet_onboard_state_dir": str(tmp / name / "state"),
        "nunet_onboard_cpu": "30%",
        "nunet_onboard_memory": "30%",
        "nunet_onboard_channel": "nunet-team",
        "nunet_onboard_address": ETH_ADDRESS,
        **extra,
    }


def inventory(tmp: Path, hosts: dict[str, dict[str, Any]]) -> Path:
    path = tmp / "inventory.json"
    path.write_text(json.dumps({"all": {"children": {"nodes": {"hosts": hosts}}}}))
    return path


def env_with_tmpdir(tmp: Path) -> dict[str, str]:
    """Ansible's environment with the node's TMPDIR inside the test (to see it left empty)."""
    node_tmp = tmp / "node-tmp"
    node_tmp.mkdir()
    return ansible_env(tmp, TMPDIR=str(node_tmp))


def written(tmp: Path, *hosts: str) -> list[str]:
    """Every file under each host's folder and the node's TMPDIR (nothing, after a preview)."""
    found = []
    for folder in [*(tmp / h for h in hosts), tmp / "node-tmp"]:
        found += [str(p) for p in folder.rglob("*")] if folder.exists() else []
    return found


def fake_python_310(tmp: Path) -> str:
    """A Python older than 3.11 for the node: a real one if this machine has one, else a
    stand-in that runs the given code with ``sys.version_info`` of 3.10.12."""
    for name in ("python3.10", "python3.9", "python3.8"):
        found = shutil.which(name)
        old = found and subprocess.run(
            [found, "-c", "import sys; sys.exit(sys.version_info >= (3, 11))"], capture_output=True
        )
        if old and old.returncode == 0:
            return str(found)
    fake = tmp / "python3.10"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "sys.version_info = (3, 10, 12, 'final', 0)\n"
        "code = sys.argv[2]\n"
        "sys.argv = ['-c'] + sys.argv[3:]\n"
        "exec(compile(code, '<string>', 'exec'))\n"
    )
    fake.chmod(0o755)
    return str(fake)


def test_a_bad_state_fails_before_anything_is_installed(tmp_path: Path) -> None:
    hosts = {"n1": node(tmp_path, "n1", nunet_onboard_state="offboard")}
    code, out, run = playbook(
        PLAYBOOKS / "role.yml", inventory(tmp_path, hosts), ansible_env(tmp_path)
    )
    assert code == 2, out
    (failed,) = [
        r for p in run["plays"] for t in p["tasks"] for r in t["hosts"].values() if r.get("failed")
    ]
    assert (
        "nunet_onboard_state must be one of: onboarded, offboarded, got: offboard"
        in (failed["msg"])
    )
    assert len(run["plays"][0]["tasks"]) == 1  # the argument check, nothing after it
    assert written(tmp_path, "n1") == []


def test_an_old_python_is_refused_first_with_what_to_do(tmp_path: Path) -> None:
    old = fake_python_310(tmp_path)
    hosts = {"n1": node(tmp_path, "n1", nunet_onboard_python=old)}
    code, out, run = playbook(
        PLAYBOOKS / "role.yml", inventory(tmp_path, hosts), ansible_env(tmp_path), "--check"
    )
    assert code == 2, out
    result = task_results(run, f"{ROLE} : Check that the node's Python is 3.11 or newer")["n1"]
    assert result["failed"]
    assert "needs Python 3.11 or newer" in result["msg"] and "is Python 3." in result["msg"]
    assert "set nunet_onboard_python" in result["msg"]
    assert written(tmp_path, "n1") == []


def test_a_missing_python_is_named(tmp_path: Path) -> None:
    hosts = {"n1": node(tmp_path, "n1", nunet_onboard_python=str(tmp_path / "no-python"))}
    code, out, run = playbook(
        PLAYBOOKS / "role.yml", inventory(tmp_path, hosts), ansible_env(tmp_path)
    )
    assert code == 2, out
    result = task_results(run, f"{ROLE} : Check that the node can run the Python it is given")
    assert "could not run on this node" in result["n1"]["msg"]
    assert str(tmp_path / "no-python") in result["n1"]["msg"]


def test_an_unquoted_0x_address_is_refused_with_quote_it(tmp_path: Path) -> None:
    """YAML reads an unquoted 0x... as a number; the module says so instead of 'not valid'."""
    state = tmp_path / "states"
    inventory_yaml = tmp_path / "inventory.yml"
    inventory_yaml.write_text(
        "all:\n  hosts:\n    n1:\n"
        "      ansible_connection: local\n"
        f"      ansible_python_interpreter: {sys.executable}\n"
        "      offer_cpu: 30%\n      offer_memory: 30%\n"
        f"      offer_address: {ETH_ADDRESS}\n"  # unquoted, as a person might write it
        f"      state_root: {state}\n"
        f"      nunet_onboard: {nunet_onboard()}\n"
        "  children:\n    nodes:\n      hosts:\n        n1: {}\n"
    )
    code, out, run = playbook(PLAYBOOKS / "offer.yml", inventory_yaml, ansible_env(tmp_path))
    assert code == 2, out
    result = task_results(run, "Apply the offer")["n1"]
    assert "YAML reads an unquoted 0x... address as a number, so quote it" in result["msg"]
    assert not (state / "n1" / "state.json").exists()


def test_preview_checks_new_nodes_then_a_second_run_runs_no_pip(
    tmp_path: Path, wheel: Path
) -> None:
    hosts = {
        "fresh": node(tmp_path, "fresh", nunet_onboard_wheel=str(wheel)),
        "greedy": node(
            tmp_path, "greedy", nunet_onboard_wheel=str(wheel), nunet_onboard_memory="95%"
        ),
    }
    inv, env = inventory(tmp_path, hosts), env_with_tmpdir(tmp_path)

    # 1. Preview of two new nodes: greedy fails as the real run would, fresh shows its diff;
    #    nothing is left anywhere (no venv, no state, the trial install removed).
    code, out, _ = playbook(
        PLAYBOOKS / "role.yml", inv, env, "--check", "--diff", json_output=False
    )
    assert code == 2, out
    assert "memory 95% = " in out and "allowed " in out
    assert '+    "payment_addr": "' + ETH_ADDRESS + '",' in out
    assert "offer before" in out and "offer after" in out
    assert written(tmp_path, "fresh", "greedy") == []

    # 2. The real run on the good node: installs, onboards.
    code, out, run = playbook(PLAYBOOKS / "role.yml", inv, env, "--limit", "fresh")
    assert code == 0, out[-3000:]
    assert task_results(run, PIP_TASK)["fresh"]["changed"]
    applied = task_results(run, f"{ROLE} : Apply the offer")["fresh"]
    assert (applied["changed"], applied["action"]) == (True, "onboard")
    status = OnboardingController(tmp_path / "fresh" / "state").status()
    assert status.onboarded and status.problems == ()
    assert applied["metadata"]["node_id"] == status.node_id

    # 3. Again, unchanged: no pip, no copy, nothing changed.
    code, out, run = playbook(PLAYBOOKS / "role.yml", inv, env, "--limit", "fresh")
    assert code == 0, out[-3000:]
    assert run["stats"]["fresh"]["changed"] == 0
    assert task_results(run, PIP_TASK)["fresh"].get("skipped")
    copy = task_results(run, f"{ROLE} : Copy the nunet-onboard wheel from the control machine")
    assert copy["fresh"].get("skipped")

    # 4. The deprecated role name still works (same variables), and says so; --tags offer
    #    runs the offer alone.
    deprecated = tmp_path / "deprecated.yml"
    deprecated.write_text(
        "- name: The old role name\n  hosts: nodes\n  gather_facts: false\n"
        "  roles: [nunet.onboard.node]\n"
    )
    code, out, run = playbook(deprecated, inv, env, "--limit", "fresh", "--tags", "offer")
    assert code == 0, out[-3000:]
    assert run["stats"]["fresh"]["changed"] == 0
    said = task_results(
        run, "nunet.onboard.node : Say that the role nunet.onboard.node is deprecated"
    )
    assert "nunet.onboard.nunet_onboard" in said["fresh"]["msg"]
    assert task_results(run, f"{ROLE} : Apply the offer")["fresh"]["action"] == "none"
    with pytest.raises(AssertionError, match="no task"):
        task_results(run, PIP_TASK)

    # 5. The same version rebuilt (other bytes): the preview says pip would run and writes
    #    nothing; the run reinstalls it without its dependencies; then nothing changes again.
    rebuilt = tmp_path / "rebuilt" / wheel.name
    restamp(wheel, rebuilt)
    hosts["fresh"]["nunet_onboard_wheel"] = str(rebuilt)
    inv = inventory(tmp_path, hosts)
    node_copy = tmp_path / "fresh" / "venv" / wheel.name
    assert node_copy.read_bytes() == wheel.read_bytes()
    code, out, run = playbook(PLAYBOOKS / "role.yml", inv, env, "--limit", "fresh", "--check")
    assert code == 0, out[-3000:]
    assert task_results(run, f"{ROLE} : Say what pip would install")["fresh"]["changed"]
    assert node_copy.read_bytes() == wheel.read_bytes()
    code, out, run = playbook(PLAYBOOKS / "role.yml", inv, env, "--limit", "fresh")
    assert code == 0, out[-3000:]
    pip = task_results(run, PIP_TASK)["fresh"]
    assert pip["changed"] and "--force-reinstall" in pip["cmd"]
    assert node_copy.read_bytes() == rebuilt.read_bytes()
    code, out, run = playbook(PLAYBOOKS / "role.yml", inv, env, "--limit", "fresh")
    assert code == 0 and run["stats"]["fresh"]["changed"] == 0, out[-3000:]


def restamp(wheel: Path, to: Path) -> None:
    """The same wheel with other file times: the same files and version, other bytes."""
    to.parent.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as old, zipfile.ZipFile(to, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 2, 3, 4, 6))
            stamped.external_attr = info.external_attr
            new.writestr(stamped, old.read(info.filename))
