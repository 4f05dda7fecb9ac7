"""How much does ``apply`` cost, alone and across a fleet?

1. A no-change ``nunet-onboard apply --json`` (and ``--check``) beside ``status --json``,
   in fresh processes, interleaved so that load on the machine hits all three alike:
   medians, and which heavy modules the no-change path imports.
2. ``ansible-playbook`` with the nunet.onboard.offer module over N local hosts (one
   state directory each) with F forks: first run (onboards every host) and second run
   (changes nothing) wall time, and the per-host cost (wall time / hosts).

Run: .venv/bin/python benchmarks/bench_apply.py [--hosts 20] [--forks 10] [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
HEAVY = ("textual", "eth_account", "pycardano", "pydantic", "pydantic_settings")
OFFER = f'cpu = "50%"\nmemory = "40%"\nchannel = "nunet-team"\naddress = "{ADDRESS}"\n'
PLAY = """---
- hosts: nodes
  gather_facts: false
  tasks:
    - nunet.onboard.offer:
        cpu: "50%"
        memory: "40%"
        channel: nunet-team
        address: "{address}"
        state_dir: "{{{{ state_root }}}}/{{{{ inventory_hostname }}}}"
        executable: {tool}
"""


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr}")
    return elapsed


def single_node(tmp: Path, runs: int) -> None:
    state = tmp / "state"
    offer = tmp / "offer.toml"
    offer.write_text(OFFER)
    cli = [sys.executable, "-m", "app"]
    subprocess.run(
        [*cli, "apply", str(offer), "--state-dir", str(state)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    commands = {
        "apply --json (no change)": [
            *cli,
            "apply",
            str(offer),
            "--json",
            "--state-dir",
            str(state),
        ],
        "apply --check --json": [
            *cli,
            "apply",
            str(offer),
            "--check",
            "--json",
            "--state-dir",
            str(state),
        ],
        "status --json": [*cli, "status", "--json", "--state-dir", str(state)],
    }
    for argv in commands.values():  # warm the page cache and .pyc files
        timed(argv)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(argv))
    status = statistics.median(times["status --json"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:28} median {median:6.1f} ms  ({median / status:.2f}x status)")
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", *commands["apply --json (no change)"][1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {
        line.split("|")[-1].strip().split(".")[0]
        for line in trace.stderr.splitlines()
        if "|" in line
    }
    print(
        "heavy modules a no-change apply imports:",
        sorted(m for m in HEAVY if m in loaded) or "none",
    )


def fleet(tmp: Path, hosts: int, forks: int) -> None:
    playbook_bin = Path(sys.executable).parent / "ansible-playbook"
    if not playbook_bin.exists():
        print("ansible-playbook not installed (pip install -e '.[test]'); fleet figures skipped")
        return
    state_root = tmp / "fleet"
    state_root.mkdir()
    inventory = {
        "all": {
            "children": {
                "nodes": {
                    "hosts": {f"node{i:02d}": {} for i in range(hosts)},
                    "vars": {
                        "ansible_connection": "local",
                        "ansible_python_interpreter": sys.executable,
                        "state_root": str(state_root),
                    },
                }
            }
        }
    }
    (tmp / "inventory.json").write_text(json.dumps(inventory))
    (tmp / "empty-config.toml").write_text("")  # a named config file must exist
    tool = Path(sys.executable).parent / "nunet-onboard"
    (tmp / "play.yml").write_text(PLAY.format(address=ADDRESS, tool=tool))
    home = tmp / "ansible-home"
    env = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(REPO / "ansible"),
        "ANSIBLE_HOME": str(home),
        "ANSIBLE_LOCAL_TEMP": str(home / "tmp"),
        "ANSIBLE_CONFIG": str(home / "none.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "NUNET_ONBOARD_CONFIG": str(tmp / "empty-config.toml"),
    }
    argv = [
        str(playbook_bin),
        "-i",
        str(tmp / "inventory.json"),
        str(tmp / "play.yml"),
        "-f",
        str(forks),
    ]
    for label in ("first run (onboards each)", "second run (no change)"):
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(result.stdout[-2000:] + result.stderr[-2000:])
        changed = sum(
            int(line.split("changed=")[1].split()[0])
            for line in result.stdout.splitlines()
            if "changed=" in line
        )
        print(
            f"playbook, {hosts} local hosts, {forks} forks, {label}: {wall:5.1f} s wall, "
            f"{wall / hosts:4.2f} s per host (wall / hosts), changed={changed}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        single_node(Path(tmp), args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        fleet(Path(tmp), args.hosts, args.forks)


if __name__ == "__main__":
    main()
