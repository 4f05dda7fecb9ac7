"""The nunet.onboard collection driven by the real ansible-playbook over four local hosts,
each with its own state directory: preview, converge, re-run, fleet report, offboard.

Four playbook runs in one test (each costs seconds), asserting everything each run shows.
``node1`` starts onboarded with a smaller offer; ``greedy`` asks for more memory than the
machine allows and must fail alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.offer_file import load_target
from tests.ansible.helpers import (
    ETH_ADDRESS,
    ansible_env,
    nunet_onboard,
    playbook,
    task_results,
)

pytestmark = pytest.mark.slow

PLAYBOOK = Path(__file__).parent / "playbooks" / "offer.yml"
HOSTS = ("node1", "node2", "node3", "greedy")
GOOD = HOSTS[:3]


def write_inventory(tmp: Path, state_root: Path) -> Path:
    hosts = {name: {} for name in HOSTS}
    hosts["greedy"] = {"offer_memory": "95%"}
    inventory = {
        "all": {
            "children": {
                "nodes": {
                    "hosts": hosts,
                    "vars": {
                        "ansible_connection": "local",
                        "ansible_python_interpreter": sys.executable,
                        "offer_cpu": "50%",
                        "offer_memory": "40%",
                        "offer_address": ETH_ADDRESS,
                        "state_root": str(state_root),
                        "nunet_onboard": nunet_onboard(),
                    },
                }
            }
        }
    }
    path = tmp / "inventory.json"
    path.write_text(json.dumps(inventory))
    return path


def snapshot(state_root: Path) -> dict[str, dict[str, bytes]]:
    return {
        host.name: {f.name: f.read_bytes() for f in sorted(host.iterdir()) if f.is_file()}
        for host in sorted(state_root.iterdir())
    }


def test_a_fleet_converges_idempotently_and_offboards(tmp_path: Path) -> None:
    state_root = tmp_path / "states"
    state_root.mkdir()
    inventory = write_inventory(tmp_path, state_root)
    env = ansible_env(tmp_path)
    node1 = OnboardingController(state_root / "node1")
    first = load_target(
        f'cpu = "20%"\nmemory = "20%"\nchannel = "nunet-team"\naddress = "{ETH_ADDRESS}"\n'
    )
    node1.apply(first)
    before_cpu = node1.current_offer().cpu  # type: ignore[union-attr]

    # 1. Preview: --check --diff writes nothing anywhere and shows before -> after.
    written = snapshot(state_root)
    code, out, _ = playbook(PLAYBOOK, inventory, env, "--check", "--diff", json_output=False)
    assert code == 2, out  # greedy fails
    assert snapshot(state_root) == written
    assert f'-    "cpu": {before_cpu},' in out
    wanted_cpu = int(node1.limits().cpu_total // 2)  # the CPU total is a float, as DMS
    assert f'+    "cpu": {wanted_cpu},' in out
    assert "offer before" in out and "offer after" in out
    assert "memory 95% = " in out and "allowed " in out
    for host in GOOD:
        assert f"{host}" in out
    assert _recap(out, "node1") == {"ok": 1, "changed": 1, "failed": 0}
    assert _recap(out, "greedy")["failed"] == 1

    # 2. Converge: each good host changes, greedy fails alone.
    code, out, run = playbook(PLAYBOOK, inventory, env)
    assert code == 2, out
    results = task_results(run, "Apply the offer")
    assert {h: results[h]["action"] for h in GOOD} == {
        "node1": "resource-config",
        "node2": "onboard",
        "node3": "onboard",
    }
    assert all(results[h]["changed"] for h in GOOD)
    assert results["greedy"]["failed"] and "memory 95% = " in results["greedy"]["msg"]
    assert results["node2"]["metadata"]["reserved"]["cpu"] == wanted_cpu
    assert run["stats"]["greedy"]["failures"] == 1
    for host in GOOD:
        ctl = OnboardingController(state_root / host)
        assert ctl.status().onboarded and ctl.status().problems == ()
    assert not (state_root / "greedy" / "state.json").exists()

    # 3. Re-run with the fleet report: nothing changes, nothing is written.
    written = snapshot(state_root)
    code, _, run = playbook(PLAYBOOK, inventory, env, "-e", "report=true")
    assert code == 2
    assert snapshot(state_root) == written
    assert all(run["stats"][h]["changed"] == 0 for h in HOSTS)
    results = task_results(run, "Apply the offer")
    assert {results[h]["action"] for h in GOOD} == {"none"}
    report = task_results(run, "Read the node")
    limits = node1.limits()
    for host in GOOD:
        assert report[host]["status"]["onboarded"] is True
        assert report[host]["allowed"]["cpu"] == {"min": limits.cpu_min, "max": limits.cpu_max}
        assert report[host]["allowed"]["memory"] == {
            "min": limits.memory_min,
            "max": limits.memory_max,
        }
        assert report[host]["metadata"]["reserved"]["cpu"] == wanted_cpu

    # 4. Offboard them all (greedy, never onboarded, has nothing to do).
    code, _, run = playbook(PLAYBOOK, inventory, env, "-e", "offer_state=offboarded")
    assert code == 0
    results = task_results(run, "Apply the offer")
    assert {h: results[h]["action"] for h in HOSTS} == {
        "node1": "offboard",
        "node2": "offboard",
        "node3": "offboard",
        "greedy": "none",
    }
    for host in GOOD:
        ctl = OnboardingController(state_root / host)
        assert not ctl.status().onboarded and not ctl.key_path.exists()


def _recap(out: str, host: str) -> dict[str, int]:
    """The PLAY RECAP counts of one host, from the default callback's text."""
    for line in out.splitlines():
        if line.startswith(host) and "ok=" in line:
            pairs = dict(part.split("=") for part in line.split(":", 1)[1].split())
            return {k: int(pairs[k]) for k in ("ok", "changed", "failed")}
    raise AssertionError(f"no recap line for {host}")
