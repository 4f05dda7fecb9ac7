"""What the GPU sparklines cost at rest: the Overview idle with and without GPUs.

The same measure as ``bench_tui.py``'s idle figure (the console script in a raw
80x24 pty, every byte it writes counted, its CPU time read by psutil), run three
ways so the cost of the NVML sampler thread and of the GPU lines shows:

- ``no NVML``: this machine as it is (no NVIDIA library: the sampler gives up once);
- ``2 GPUs idle``: a fake ``pynvml`` on PYTHONPATH with two cards at 0 %;
- ``2 GPUs busy``: the same cards at a random utilisation every reading and 18 GiB
  in use give or take 50 MB, as a training job looks: every GPU line changes each
  second (the worst case for the sparklines).

Budget (issue 10): under 2 % of one core and under 2 KB/s written at 80x24.

    .venv/bin/python benchmarks/bench_gpu_idle.py [--idle 10] [--settle 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil
from bench_tui import CONSOLE_SCRIPT, PtyChild

FAKE_PYNVML = '''
"""A stand-in for nvidia-ml-py with two RTX 3090s (benchmarks only)."""
import os, random, types

BUSY = os.environ.get("FAKE_NVML_BUSY") == "1"
GiB = 1024 ** 3
NVML_TEMPERATURE_GPU = 0


class NVMLError(Exception):
    value = 999


def nvmlInit(): pass
def nvmlShutdown(): pass
def nvmlSystemGetDriverVersion(): return "550.54.14"
def nvmlDeviceGetCount(): return 2
def nvmlDeviceGetHandleByIndex(i): return i
def nvmlDeviceGetName(h): return "NVIDIA GeForce RTX 3090"
def nvmlDeviceGetUUID(h): return f"GPU-{h}"
def nvmlDeviceGetTemperature(h, sensor): return 40


def nvmlDeviceGetMemoryInfo(h):
    used = 18 * GiB + random.randint(-50, 50) * 2**20 if BUSY else GiB
    return types.SimpleNamespace(total=24 * GiB, free=24 * GiB - used, used=used)


def nvmlDeviceGetUtilizationRates(h):
    return types.SimpleNamespace(gpu=random.randint(0, 100) if BUSY else 0, memory=0)
'''


def idle(seconds: float, settle: float, state: str) -> tuple[float, float, float, int]:
    """CPU % of one core, bytes/s and RSS (MB) at rest, and the bytes of the settling.

    Unlike ``bench_tui.idle`` (2 s), this lets ``settle`` seconds pass first: the GPU
    probe's answer and the first GPU readings (which add lines to the Usage panel, a
    layout of the whole screen) land 2-3 s after the start, once, and are start-up,
    not rest. Their bytes are reported apart.
    """
    child = PtyChild([str(CONSOLE_SCRIPT), "--state-dir", state])
    try:
        child.read_until(b"logical")
        settling = child.drain(settle)
        proc = psutil.Process(child.pid)
        cpu0 = sum(proc.cpu_times()[:2])
        t0 = time.perf_counter()
        written = child.drain(seconds)
        elapsed = time.perf_counter() - t0
        cpu = (sum(proc.cpu_times()[:2]) - cpu0) / elapsed * 100
        rss = proc.memory_info().rss / 2**20
    finally:
        child.close()
    return cpu, written / elapsed, rss, settling


def run(
    label: str, args: argparse.Namespace, state: str, env: dict[str, str]
) -> tuple[float, float]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        cpu, rate, rss, settling = idle(args.idle, args.settle, state)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    ok = "ok" if cpu < 2.0 and rate < 2048 else "OVER BUDGET"
    print(
        f"{label:<12} cpu {cpu:5.2f} % of a core  {rate:7.0f} B/s  rss {rss:5.1f} MB  {ok}"
        f"  (first {args.settle:g} s: {settling} B)"
    )
    return cpu, rate


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--settle", type=float, default=5.0)
    args = parser.parse_args()
    if not CONSOLE_SCRIPT.exists():
        print(f"{CONSOLE_SCRIPT} is missing; pip install -e . first")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="nunet-bench-gpu-"))
    try:
        fake = tmp / "fake"
        fake.mkdir()
        (fake / "pynvml.py").write_text(FAKE_PYNVML)
        with_fake = {"PYTHONPATH": str(fake)}
        results = [
            run("no NVML", args, str(tmp / "s1"), {}),
            run("2 GPUs idle", args, str(tmp / "s2"), with_fake),
            run("2 GPUs busy", args, str(tmp / "s3"), {**with_fake, "FAKE_NVML_BUSY": "1"}),
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(cpu < 2.0 and rate < 2048 for cpu, rate in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
