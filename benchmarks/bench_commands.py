"""The headless commands' speed as ratios against their floors, the way a user runs them.

Each command runs through the installed console script in a fresh process,
alternating with its floor in the same run so that a busy moment hits both:

- ``nunet-onboard status --json`` (onboarded, nothing configured: the default state
  directory under a fresh HOME) against ``python -c pass``
  with the same interpreter: target <= 2.5x, moonshot 2x;
- ``nunet-onboard apply FILE --check``, a no-change plan, as TOML (a person's file) and
  as JSON (what the Ansible module sends), against ``status --json``: target <= 1.5x;
- ``nunet-onboard wallet new --chain cardano`` against ``python -c "import pycardano"``
  (the card's library sets the floor): target <= 1.3x.

It also lists the heavy modules ``status`` loads (there must be none). Beside
the wall-clock medians it prints the median ratio of CPU time (user + system of
the child): on a shared, busy machine that one moves much less than wall time.
Where valgrind is installed it also counts the instructions each command
executes (callgrind; the median of five runs each, since hash randomisation moves a
count by about half a per cent): a figure that a busy machine does not move, for
telling a real change from noise.

    .venv/bin/python benchmarks/bench_commands.py [--runs 15] [--venv DIR]

For the README's figures measure a non-editable install (what a user runs; an
editable one adds ~20 ms of import finder to every start):

    python3 -m venv /tmp/perfvenv && /tmp/perfvenv/bin/pip install .
    .venv/bin/python benchmarks/bench_commands.py --venv /tmp/perfvenv
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PYTHON = sys.executable
CLI = str(Path(sys.executable).parent / "nunet-onboard")
ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
HEAVY = ("textual", "eth_account", "pycardano", "pydantic", "pydantic_settings", "cryptography")


CWD = tempfile.gettempdir()
"""Where commands run: an empty directory, since ``python -c`` imports from its cwd."""


def timed(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        list(command), capture_output=True, check=False, env=env, stdin=subprocess.DEVNULL, cwd=CWD
    )
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stderr.decode()[-400:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return took, cpu


def pairs(a: Sequence[str], b: Sequence[str], runs: int, env: dict[str, str]) -> tuple[float, ...]:
    """Medians of a and b, the median of the per-pair ratios a/b (wall), alternating
    order, and the median ratio of their CPU times."""
    ta: list[tuple[float, float]] = []
    tb: list[tuple[float, float]] = []
    for _ in range(2):
        timed(a, env), timed(b, env)  # warm the page cache and .pyc files
    for i in range(runs):
        if i % 2:
            tb.append(timed(b, env))
            ta.append(timed(a, env))
        else:
            ta.append(timed(a, env))
            tb.append(timed(b, env))
    ratios = [x[0] / y[0] for x, y in zip(ta, tb, strict=True)]
    cpu_ratios = [x[1] / y[1] for x, y in zip(ta, tb, strict=True) if y[1] > 0]
    return (
        statistics.median(x[0] for x in ta),
        statistics.median(y[0] for y in tb),
        statistics.median(ratios),
        statistics.median(cpu_ratios) if cpu_ratios else float("nan"),
    )


def onboard(state: Path, env: dict[str, str]) -> dict[str, int]:
    cap = json.loads(
        subprocess.run([CLI, "capacity", "--json"], capture_output=True, check=True, env=env).stdout
    )
    cpu, memory = cap["cpu"] // 10 + 1, cap["memory"] // 10 + 1
    subprocess.run(
        [CLI, "onboard", "--yes", "-c", str(cpu), "-m", str(memory), "-n", "nunet-team",
         "-a", ADDRESS, "-x", "0.25"],  # a price: metadataV2.json then holds a float
        capture_output=True, check=True, env=env,
    )  # fmt: skip
    return {"cpu": cpu, "memory": memory}


def instructions(command: Sequence[str], env: dict[str, str], runs: int = 5) -> int | None:
    """Instructions a run of ``command`` executes (valgrind's callgrind), the median of
    ``runs`` runs, or None."""
    if shutil.which("valgrind") is None:
        return None
    counts = []
    for _ in range(runs):
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
            capture_output=True, text=True, check=False, env=env, cwd=CWD,
        )  # fmt: skip
        found = re.search(r"Collected : (\d+)", result.stderr)
        if found is None:
            return None
        counts.append(int(found.group(1)))
    return int(statistics.median(counts))


def print_instructions(plans: dict[str, Path], env: dict[str, str]) -> None:
    bare = instructions([PYTHON, "-c", "pass"], env)
    status = instructions([CLI, "status", "--json"], env)
    if bare is None or status is None:
        print("instructions: valgrind not installed")
        return
    line = f"instructions (callgrind): status --json {status / bare:.2f}x python -c pass"
    for form, plan in plans.items():
        apply = instructions([CLI, "apply", str(plan), "--check"], env)
        line += f", apply --check ({form}) {(apply or 0) / status:.2f}x status"
    print(line)


def write_plans(directory: Path, offer: dict[str, int]) -> dict[str, Path]:
    """The offer ``onboard`` made, as a TOML file (a person's) and a JSON one (what the
    Ansible module sends): plans that change nothing. server_mode is onboard's default
    (DMS's -l true)."""
    fields = {
        "state": "onboarded", "cpu": offer["cpu"], "memory": offer["memory"],
        "channel": "nunet-team", "address": ADDRESS, "ntx_price": 0.25, "server_mode": True,
    }  # fmt: skip
    toml = "".join(
        f"{key} = {json.dumps(value)}\n" for key, value in fields.items()
    )  # str, int, float and bool are written alike in both
    (directory / "offer.toml").write_text(toml)
    (directory / "offer.json").write_text(json.dumps(fields))
    return {"toml": directory / "offer.toml", "json": directory / "offer.json"}


def heavy_modules(env: dict[str, str]) -> list[str]:
    trace = subprocess.run(
        [PYTHON, "-X", "importtime", CLI, "status", "--json"],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    loaded = {
        line.split("|")[-1].strip().split(".")[0]
        for line in trace.stderr.splitlines()
        if "|" in line
    }
    return sorted(m for m in HEAVY if m in loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--wallet-runs", type=int, default=5)
    parser.add_argument(
        "--venv",
        type=Path,
        default=Path(sys.executable).parent.parent,
        help="the venv whose console script and interpreter to measure (default: this one)",
    )
    args = parser.parse_args()
    global PYTHON, CLI, CWD
    PYTHON, CLI = str(args.venv / "bin" / "python"), str(args.venv / "bin" / "nunet-onboard")
    with tempfile.TemporaryDirectory() as tmp:
        CWD = tempfile.mkdtemp(dir=tmp)
        # As a provider runs it with nothing configured: the state in the default
        # directory (~/.local/share/nunet-onboard) under a fresh HOME, and no PYTHON*
        # variable (a developer's PYTHONUNBUFFERED would make every print a system call).
        prefixes = ("NUNET_ONBOARD_", "XDG_", "PYTHON")
        env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
        env["HOME"] = str(Path(tmp) / "home")
        state = Path(env["HOME"]) / ".local" / "share" / "nunet-onboard"
        offer = onboard(state, env)
        print(
            f"{time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
        )
        print(f"console script: {CLI}")
        s, floor, r, c = pairs([CLI, "status", "--json"], [PYTHON, "-c", "pass"], args.runs, env)
        print(
            f"status --json      {s * 1000:6.0f} ms  python -c pass {floor * 1000:5.0f} ms  "
            f"{r:.2f}x, CPU {c:.2f}x (target <= 2.5x, moonshot 2x)"
        )
        print("  heavy modules status imports:", heavy_modules(env) or "none")
        plans = write_plans(Path(tmp), offer)
        for form, plan in plans.items():
            said = subprocess.run(
                [CLI, "apply", str(plan), "--check"], capture_output=True, text=True, env=env
            ).stdout
            if not said.startswith("No change"):
                raise RuntimeError(f"the {form} plan is not a no-change plan: {said}")
            a, st, r, c = pairs(
                [CLI, "apply", str(plan), "--check"], [CLI, "status", "--json"], args.runs, env
            )
            print(
                f"apply --check {form:4} {a * 1000:6.0f} ms  status --json  {st * 1000:5.0f} ms  "
                f"{r:.2f}x, CPU {c:.2f}x (target <= 1.5x)"
            )
        print_instructions(plans, env)
        w, floor, r, c = pairs(
            [CLI, "wallet", "new", "--chain", "cardano"],
            [PYTHON, "-c", "import pycardano"],
            args.wallet_runs,
            env,
        )
        print(
            f"wallet new cardano {w * 1000:6.0f} ms  import pycardano {floor * 1000:5.0f} ms  "
            f"{r:.2f}x, CPU {c:.2f}x (target <= 1.3x)"
        )


if __name__ == "__main__":
    main()
