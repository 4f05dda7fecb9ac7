"""Time the hardware probe without GPUs, and the cost of importing app.hardware.

Prints figures; it asserts nothing (timings belong in the README, not in tests).
Run: .venv/bin/python benchmarks/bench_probe.py [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


FLOOR = "psutil, shutil, dataclasses, pathlib, platform, socket, shlex"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def import_time_ms(runs: int) -> tuple[float, float]:
    """Median wall time of `import app.hardware` in a fresh interpreter, and of the
    standard library and psutil modules it cannot do without (the floor)."""
    code = "import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"

    def once(stmt: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", code.format(stmt=stmt)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout) * 1000

    hardware = [once("import app.hardware") for _ in range(runs)]
    floor = [once(f"import {FLOOR}") for _ in range(runs)]
    return statistics.median(hardware), statistics.median(floor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--import-runs", type=int, default=10)
    args = parser.parse_args()

    started = time.perf_counter()
    from app.hardware import probe_machine

    first_import_ms = (time.perf_counter() - started) * 1000
    heavy = {"textual", "pydantic", "eth_account", "pycardano", "cpuinfo", "pynvml"}
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "state"
        started = time.perf_counter()
        probe_machine(data, gpus=False)
        cold_ms = (time.perf_counter() - started) * 1000
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            probe_machine(data, gpus=False)
            samples.append((time.perf_counter() - started) * 1000)

    imp_median, floor_median = import_time_ms(args.import_runs)
    print(f"probe_machine(gpus=False), {args.runs} runs:")
    print(f"  first call {cold_ms:.2f} ms")
    print(f"  median     {statistics.median(samples):.2f} ms")
    print(f"  p90        {percentile(samples, 90):.2f} ms")
    print(f"  max        {max(samples):.2f} ms")
    print(f"import app.hardware (this process, first import): {first_import_ms:.1f} ms")
    print(
        f"import app.hardware (fresh interpreter, median of {args.import_runs}): "
        f"{imp_median:.1f} ms (floor: import {FLOOR}: {floor_median:.1f} ms)"
    )
    print(f"heavy modules loaded by the import: {loaded or 'none'}")


if __name__ == "__main__":
    main()
