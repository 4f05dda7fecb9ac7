"""How fast and how light the TUI is, measured from outside in a real pseudo-terminal.

Figures (targets from issue 4):
- time to first frame of the Overview vs a bare Textual app (Header, Static,
  Footer) started the same way in the same run: within 1.5x;
- time until the hardware facts appear: within 0.5 s of launch;
- idle on the Overview for ~10 s: CPU under 2 % of one core and under 2 KB/s
  written to the terminal;
- resident memory before any wallet is made: under 90 MB.

Each program runs in a pty of 80x24 (``pty.fork``); a frame is "there" when its
marker text has been written to the terminal. The nunet app uses the real
hardware probe on a throwaway state directory.

    .venv/bin/python benchmarks/bench_tui.py [--runs 5] [--idle 10]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BARE = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("bare-ready")
        yield Footer()
Bare().run()
"""

NUNET = """
import sys
from pathlib import Path
from app.onboarding.controller import OnboardingController
from app.tui import run
sys.exit(run(OnboardingController(Path(sys.argv[1]))))
"""

FIRST_FRAME = {"bare": b"bare-ready", "nunet": b"Onboarding"}
FACTS = b"logical"  # the CPU panel's "N physical, M logical" row, written once probed


class Child:
    """A program in a pty, with everything it writes timestamped."""

    def __init__(self, code: str, *args: str) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", PYTHONPATH=str(ROOT))
        env.pop("NO_COLOR", None)
        self.start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child
            os.chdir(ROOT)
            os.execve(PYTHON, [PYTHON, "-c", code, *args], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = bytearray()

    def read_until(self, marker: bytes, timeout: float = 15.0) -> float:
        """Seconds from launch until ``marker`` was written."""
        deadline = time.perf_counter() + timeout
        while marker not in self.output:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} not seen; got {bytes(self.output[-400:])!r}")
            self._read(0.05)
        return time.perf_counter() - self.start

    def _read(self, wait: float) -> int:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return 0
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return 0
        self.output.extend(data)
        return len(data)

    def drain(self, seconds: float) -> int:
        """Bytes written during ``seconds``."""
        total = 0
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            total += self._read(min(left, 0.1))
        return total

    def close(self) -> None:
        try:
            os.write(self.fd, b"q")
            deadline = time.perf_counter() + 3
            while time.perf_counter() < deadline:
                self._read(0.05)
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def first_frame(kind: str) -> tuple[float, float | None]:
    state = tempfile.mkdtemp(prefix="nunet-bench-")
    child = Child(BARE) if kind == "bare" else Child(NUNET, state)
    try:
        frame = child.read_until(FIRST_FRAME[kind])
        facts = child.read_until(FACTS) if kind == "nunet" else None
    finally:
        child.close()
        shutil.rmtree(state, ignore_errors=True)
    return frame, facts


def idle(seconds: float) -> tuple[float, float, float]:
    """CPU % of one core, bytes/s and RSS (MB) of the Overview left alone."""
    state = tempfile.mkdtemp(prefix="nunet-bench-")
    child = Child(NUNET, state)
    try:
        child.read_until(FACTS)
        child.drain(1.5)  # let the GPU probe and the first usage samples land
        proc = psutil.Process(child.pid)
        cpu0 = sum(proc.cpu_times()[:2])
        t0 = time.perf_counter()
        written = child.drain(seconds)
        elapsed = time.perf_counter() - t0
        cpu = (sum(proc.cpu_times()[:2]) - cpu0) / elapsed * 100
        rss = proc.memory_info().rss / 2**20
    finally:
        child.close()
        shutil.rmtree(state, ignore_errors=True)
    return cpu, written / elapsed, rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=10.0)
    args = parser.parse_args()

    bare: list[float] = []
    nunet: list[float] = []
    facts: list[float] = []
    for _ in range(args.runs):  # interleaved, so that a busy moment hits both
        bare.append(first_frame("bare")[0])
        frame, fact = first_frame("nunet")
        nunet.append(frame)
        facts.append(fact or 0.0)
    b, n, f = (statistics.median(x) for x in (bare, nunet, facts))
    cpu, rate, rss = idle(args.idle)

    ok = {
        "first frame": n <= 1.5 * b,
        "facts": f <= 0.5,
        "idle cpu": cpu < 2.0,
        "idle output": rate < 2048,
        "rss": rss < 90,
    }
    print(
        f"runs: {args.runs} (median), idle window: {args.idle:.0f} s, python {sys.version.split()[0]}"
    )
    print(f"first frame, bare Textual  {b * 1000:7.0f} ms")
    print(
        f"first frame, overview      {n * 1000:7.0f} ms  ({n / b:.2f}x bare; target <= 1.5x)  {'ok' if ok['first frame'] else 'MISSED'}"
    )
    print(
        f"hardware facts shown       {f * 1000:7.0f} ms  (target <= 500 ms)  {'ok' if ok['facts'] else 'MISSED'}"
    )
    print(
        f"idle CPU                   {cpu:7.2f} %   (target < 2 % of a core)  {'ok' if ok['idle cpu'] else 'MISSED'}"
    )
    print(
        f"idle terminal output       {rate:7.0f} B/s (target < 2048 B/s)  {'ok' if ok['idle output'] else 'MISSED'}"
    )
    print(
        f"resident memory, no wallet {rss:7.1f} MB  (target < 90 MB)  {'ok' if ok['rss'] else 'MISSED'}"
    )
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
