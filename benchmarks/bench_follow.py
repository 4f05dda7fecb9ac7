"""What following the state costs the open app, and how soon it shows a change.

Figures (issue 9, point 2):
- the watcher's own cost: one poll (two ``os.stat`` calls) in microseconds, and
  what that makes of a core at the poll period;
- idle on the Overview, the watcher running, in a real 80x24 pty for ``--idle``
  seconds: CPU % of one core (target < 2 %) and bytes a second written to the
  terminal (target < 2 KB/s);
- latency: another process (this script, through the controller, as the CLI
  does) onboards or offboards; seconds until the Overview shows it (target ~2 s).

    .venv/bin/python benchmarks/bench_follow.py [--idle 10] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from bench_tui import FACTS, NUNET, Child  # noqa: E402

from app.onboarding.controller import OnboardingController  # noqa: E402
from app.tui.state_watch import WATCH_INTERVAL_S, StateWatcher  # noqa: E402

ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def poll_cost(state: Path) -> float:
    """Microseconds for one poll of state.json and node.key."""
    controller = OnboardingController(state)
    watcher = StateWatcher((controller.state_path, controller.key_path))
    runs = 20000
    return min(timeit.repeat(watcher.changed, number=runs, repeat=5)) / runs * 1e6


def idle(child: Child, seconds: float) -> tuple[float, float]:
    proc = psutil.Process(child.pid)
    cpu0 = sum(proc.cpu_times()[:2])
    t0 = time.perf_counter()
    written = child.drain(seconds)
    elapsed = time.perf_counter() - t0
    return (sum(proc.cpu_times()[:2]) - cpu0) / elapsed * 100, written / elapsed


def latency(child: Child, controller: OnboardingController, rounds: int) -> list[float]:
    """Seconds from a write by another process until the Overview shows it."""
    from app.onboarding.models import CapacityForNunet

    limits = controller.limits()
    offer = CapacityForNunet(
        cpu=limits.cpu_min, memory=limits.memory_min, channel="nunet-test", payment_addr=ADDRESS
    )
    times = []
    for _ in range(rounds):
        for write, marker in (
            (lambda: controller.onboard(offer), b"nunet-test"),
            (lambda: controller.offboard(), b"press a to start"),
        ):
            child.output.clear()
            start = time.perf_counter()
            write()
            child.read_until(marker, timeout=10)
            times.append(time.perf_counter() - start)
            child.drain(0.3)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    state = Path(tempfile.mkdtemp(prefix="nunet-bench-follow-"))
    try:
        poll_us = poll_cost(state)
        child = Child(NUNET, str(state))
        try:
            child.read_until(FACTS)
            child.drain(1.5)  # the GPU probe and the first usage samples land
            cpu, rate = idle(child, args.idle)
            waits = latency(child, OnboardingController(state), args.rounds)
        finally:
            child.close()
    finally:
        shutil.rmtree(state, ignore_errors=True)

    share = poll_us / 1e6 / WATCH_INTERVAL_S * 100
    ok = {"cpu": cpu < 2.0, "output": rate < 2048, "latency": max(waits) <= 2.0}
    print(f"poll every {WATCH_INTERVAL_S} s, idle window {args.idle:.0f} s, {len(waits)} changes")
    print(f"one poll (2 stats)         {poll_us:7.1f} us  ({share:.4f} % of a core)")
    print(
        f"idle CPU, watcher on       {cpu:7.2f} %   (target < 2 % of a core)  {'ok' if ok['cpu'] else 'MISSED'}"
    )
    print(
        f"idle terminal output       {rate:7.0f} B/s (target < 2048 B/s)  {'ok' if ok['output'] else 'MISSED'}"
    )
    print(
        f"change shown after         median {statistics.median(waits):.2f} s, max {max(waits):.2f} s "
        f"(target ~2 s)  {'ok' if ok['latency'] else 'MISSED'}"
    )
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
