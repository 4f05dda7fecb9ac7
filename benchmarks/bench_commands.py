"""The headless commands' speed as ratios against their floors, the way a user runs them.

Each command runs through the installed console script in a fresh process,
alternating with its floor in the same run so that a busy moment hits both:

- ``nunet-onboard status --json`` (onboarded tmp state) against ``python -c pass``
  with the same interpreter: target <= 2.5x, moonshot 2x;
- ``nunet-onboard apply FILE --check`` (when the command exists), a no-change plan,
  against ``status --json``: target <= 1.5x;
- ``nunet-onboard wallet new --chain cardano`` against ``python -c "import pycardano"``
  (the card's library sets the floor): target <= 1.3x.

It also lists the heavy modules ``status`` loads (there must be none).

    .venv/bin/python benchmarks/bench_commands.py [--runs 15]
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
from collections.abc import Sequence
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = str(BIN / "nunet-onboard")
ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
HEAVY = ("textual", "eth_account", "pycardano", "pydantic", "pydantic_settings", "cryptography")


def timed(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        list(command), capture_output=True, check=False, env=env, stdin=subprocess.DEVNULL
    )
    took = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stderr.decode()[-400:]}")
    return took


def pairs(a: Sequence[str], b: Sequence[str], runs: int, env: dict[str, str]) -> tuple[float, ...]:
    """Medians of a and b, and the median of the per-pair ratios a/b, alternating order."""
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(2):
        timed(a, env), timed(b, env)  # warm the page cache and .pyc files
    for i in range(runs):
        if i % 2:
            tb.append(timed(b, env))
            ta.append(timed(a, env))
        else:
            ta.append(timed(a, env))
            tb.append(timed(b, env))
    ratios = [x / y for x, y in zip(ta, tb, strict=True)]
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def onboard(state: Path, env: dict[str, str]) -> dict[str, int]:
    cap = json.loads(
        subprocess.run([CLI, "capacity", "--json"], capture_output=True, check=True, env=env).stdout
    )
    cpu, memory = cap["cpu"] // 10 + 1, cap["memory"] // 10 + 1
    subprocess.run(
        [CLI, "onboard", "--yes", "-c", str(cpu), "-m", str(memory), "-n", "nunet-team",
         "-a", ADDRESS],
        capture_output=True, check=True, env=env,
    )  # fmt: skip
    return {"cpu": cpu, "memory": memory}


def heavy_modules(env: dict[str, str]) -> list[str]:
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", CLI, "status", "--json"],
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        env = dict(os.environ, NUNET_ONBOARD_STATE_DIR=str(state))
        offer = onboard(state, env)
        print(
            f"{time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
        )
        s, floor, r = pairs(
            [CLI, "status", "--json"], [sys.executable, "-c", "pass"], args.runs, env
        )
        print(
            f"status --json      {s * 1000:6.0f} ms  python -c pass {floor * 1000:5.0f} ms  "
            f"{r:.2f}x (target <= 2.5x, moonshot 2x)"
        )
        print("  heavy modules status imports:", heavy_modules(env) or "none")
        help_text = subprocess.run([CLI, "--help"], capture_output=True, text=True, env=env).stdout
        if " apply" in help_text:
            plan = Path(tmp) / "offer.toml"
            plan.write_text(
                f'state = "onboarded"\ncpu = {offer["cpu"]}\nmemory = {offer["memory"]}\n'
                f'channel = "nunet-team"\naddress = "{ADDRESS}"\n'
            )
            a, st, r = pairs(
                [CLI, "apply", str(plan), "--check"], [CLI, "status", "--json"], args.runs, env
            )
            print(
                f"apply --check      {a * 1000:6.0f} ms  status --json  {st * 1000:5.0f} ms  "
                f"{r:.2f}x (target <= 1.5x)"
            )
        w, floor, r = pairs(
            [CLI, "wallet", "new", "--chain", "cardano"],
            [sys.executable, "-c", "import pycardano"],
            args.wallet_runs,
            env,
        )
        print(
            f"wallet new cardano {w * 1000:6.0f} ms  import pycardano {floor * 1000:5.0f} ms  "
            f"{r:.2f}x (target <= 1.3x)"
        )


if __name__ == "__main__":
    main()
