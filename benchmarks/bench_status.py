"""How fast is `nunet-onboard status --json`, and what does it import?

Prints the median and p90 wall time of the real command in fresh processes on an
onboarded tmp state, and the heavy modules it loads (there must be none of
textual, eth_account, pycardano, pydantic). Run: .venv/bin/python benchmarks/bench_status.py
"""

from __future__ import annotations

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
HEAVY = ("textual", "eth_account", "pycardano", "pydantic", "pydantic_settings", "cryptography")


def run(args: list[str], state: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args, "--state-dir", str(state)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        cap = json.loads(run(["-m", "app", "capacity", "--json"], state).stdout)
        onboard = run(
            [
                "-m",
                "app",
                "onboard",
                "--yes",
                "-c",
                str(-(-cap["cpu"] // 10)),
                "-m",
                str(-(-cap["memory"] // 10)),
                "-n",
                "nunet-team",
                "-a",
                ADDRESS,
            ],
            state,
        )
        assert onboard.returncode == 0, onboard.stderr
        times = []
        for _ in range(3):
            run(["-m", "app", "status", "--json"], state)  # warm the page cache and .pyc files
        for _ in range(30):
            start = time.perf_counter()
            result = run(["-m", "app", "status", "--json"], state)
            times.append((time.perf_counter() - start) * 1000)
            assert result.returncode == 0 and json.loads(result.stdout)["onboarded"]
        baseline = []
        for _ in range(15):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            baseline.append((time.perf_counter() - start) * 1000)
        trace = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                "-m",
                "app",
                "status",
                "--json",
                "--state-dir",
                str(state),
            ],
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
        times.sort()
        print(
            f"status --json: median {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms "
            f"(python -c pass: median {statistics.median(baseline):.1f} ms; {os.cpu_count()} CPUs)"
        )
        print("heavy modules imported:", sorted(m for m in HEAVY if m in loaded) or "none")


if __name__ == "__main__":
    main()
