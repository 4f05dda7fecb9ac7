"""How fast the app starts the way a user starts it, and how light it is at rest.

A user types ``nunet-onboard`` in a terminal, often inside tmux over SSH. So this
runs the installed console script in a real terminal emulator (tmux, 80x24) and
polls ``tmux capture-pane`` until the Overview's text is on the screen; a bare
Textual app (Header, Static, Footer) is started the same way, in the same run,
alternating with it, so that a busy moment of this shared machine hits both.

Figures (targets from issue 12):
- first frame of the Overview: <= 1.3x the bare app (moonshot 1.1x), as the
  median of the per-pair ratios;
- the hardware facts (CPU model, cores, memory) are in that first frame;
- idle on the Overview: CPU under 2 % of one core, under 2 KB/s written to the
  terminal (read from a raw pty, which sees every byte the app writes);
- resident memory before any wallet is made.

    .venv/bin/python benchmarks/bench_tui.py [--pairs 7] [--idle 10] [--venv DIR]

Measure what a user runs: the README installs with a non-editable ``pip install .``,
while a development venv's editable install adds an import finder that costs
~20 ms on every start. So for the README's figures, install into a separate venv
and point ``--venv`` at it (both apps then run with that venv's interpreter):

    python3 -m venv /tmp/perfvenv && /tmp/perfvenv/bin/pip install .
    .venv/bin/python benchmarks/bench_tui.py --venv /tmp/perfvenv
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
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent

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

MARKERS = {"bare": ("bare-ready",), "nunet": ("Onboarding", "System")}
"""The first frame: the app's own text is on the screen. For the Overview, its first
and its last panel: tmux can show a frame half drawn, which would hide the facts."""
FOOTERS = {"bare": "palette", "nunet": "Quit"}
"""The footer's keys, which both apps' footers draw a frame or more later: the time
until they show too is printed beside the first frame's, for the record."""
FACTS = ("logical", "MB")  # the CPU panel's "N physical, M logical" row and a memory figure


_RUNS = iter(range(1_000_000))


def _tmux(server: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", server, *args], capture_output=True, text=True, check=False
    ).stdout


def tmux_first_frame(
    command: list[str], markers: tuple[str, ...], footer: str = ""
) -> tuple[float, str, float]:
    """Seconds from the launch until every marker is on tmux's screen, that screen, and
    the seconds until ``footer`` shows too.

    Each run has a tmux server of its own: a new session on a server still
    shutting down from the last run could be lost with it.
    """
    server = f"nunet-bench-{os.getpid()}-{next(_RUNS)}"
    env = {"TERM": "tmux-256color", "COLORTERM": "truecolor"}
    shell = " ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(command)
    start = time.perf_counter()
    _tmux(server, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24", shell)
    screen = first = ""
    seconds = 0.0
    try:
        while time.perf_counter() - start < 20:
            screen = _tmux(server, "capture-pane", "-p", "-t", "b")
            if not first and all(m in screen for m in markers):
                seconds, first = time.perf_counter() - start, screen
            if first and footer in screen:
                return seconds, first, time.perf_counter() - start
            time.sleep(0.005)
        raise TimeoutError(f"{markers} and {footer!r} not seen; screen:\n{screen}")
    finally:
        _tmux(server, "kill-server")


class PtyChild:
    """The console script in a raw pty of 80x24, every byte it writes counted."""

    def __init__(self, command: list[str]) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        env.pop("NO_COLOR", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child
            os.execve(command[0], command, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = bytearray()

    def read_until(self, marker: bytes, timeout: float = 20.0) -> None:
        deadline = time.perf_counter() + timeout
        while marker not in self.output:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} not seen")
            self._read(0.05)

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
        total = 0
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            total += self._read(min(left, 0.1))
        return total

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.perf_counter() + 3
            while time.perf_counter() < deadline:
                self._read(0.05)
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass
        os.close(self.fd)


def idle(seconds: float, state: str, script: Path) -> tuple[float, float, float]:
    """CPU % of one core, bytes/s and RSS (MB) of the Overview left alone."""
    child = PtyChild([str(script), "--state-dir", state])
    try:
        child.read_until(b"logical")
        child.drain(2.0)  # let the GPU probe and the first usage samples land
        proc = psutil.Process(child.pid)
        cpu0 = sum(proc.cpu_times()[:2])
        t0 = time.perf_counter()
        written = child.drain(seconds)
        elapsed = time.perf_counter() - t0
        cpu = (sum(proc.cpu_times()[:2]) - cpu0) / elapsed * 100
        rss = proc.memory_info().rss / 2**20
    finally:
        child.close()
    return cpu, written / elapsed, rss


def _editable(python: Path) -> bool:
    """Whether that venv holds an editable install of the app (it starts slower)."""
    code = "import app, sys; print(app.__file__)"
    where = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd="/", check=False
    ).stdout
    return where.strip().startswith(str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument(
        "--venv",
        type=Path,
        default=Path(sys.executable).parent.parent,
        help="the venv whose console script and interpreter to measure (default: this one)",
    )
    args = parser.parse_args()
    python, script = args.venv / "bin" / "python", args.venv / "bin" / "nunet-onboard"
    if not shutil.which("tmux"):
        print("tmux is not installed; apt-get install tmux")
        return 2
    if not script.exists():
        print(f"{script} is missing; pip install . into {args.venv} first")
        return 2
    editable = "editable" if _editable(python) else "non-editable"

    tmp = Path(tempfile.mkdtemp(prefix="nunet-bench-"))
    bare_py = tmp / "bare.py"
    bare_py.write_text(BARE)
    state = str(tmp / "state")
    bare_cmd = [str(python), str(bare_py)]
    nunet_cmd = [str(script), "--state-dir", state]
    try:
        for _ in range(2):  # warm the page cache and the .pyc files of both
            tmux_first_frame(bare_cmd, MARKERS["bare"])
            tmux_first_frame(nunet_cmd, MARKERS["nunet"])
        bare: list[float] = []
        nunet: list[float] = []
        feet: dict[str, list[float]] = {"bare": [], "nunet": []}
        facts_in_first_frame = 0
        for i in range(args.pairs):  # alternate which goes first
            order = ("bare", "nunet") if i % 2 == 0 else ("nunet", "bare")
            for kind in order:
                command = bare_cmd if kind == "bare" else nunet_cmd
                seconds, screen, footed = tmux_first_frame(command, MARKERS[kind], FOOTERS[kind])
                (bare if kind == "bare" else nunet).append(seconds)
                feet[kind].append(footed)
                if kind == "nunet":
                    facts_in_first_frame += all(f in screen for f in FACTS)
        ratios = [n / b for n, b in zip(nunet, bare, strict=True)]
        foot_ratios = [n / b for n, b in zip(feet["nunet"], feet["bare"], strict=True)]
        cpu, rate, rss = idle(args.idle, state, script)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    b, n, r = statistics.median(bare), statistics.median(nunet), statistics.median(ratios)
    ok = {
        "first frame": r <= 1.3,
        "facts": facts_in_first_frame == args.pairs,
        "idle cpu": cpu < 2.0,
        "idle output": rate < 2048,
    }
    print(
        f"{time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"tmux 80x24, console script ({editable} install), {args.pairs} alternating pairs (median)"
    )
    print(f"first frame, bare Textual app  {b * 1000:6.0f} ms")
    print(f"first frame, Overview          {n * 1000:6.0f} ms")
    print(
        f"ratio (median of pairs)        {r:6.2f}x  (target <= 1.3x, moonshot 1.1x)  "
        f"{'ok' if ok['first frame'] else 'MISSED'}"
    )
    print(
        f"footer keys drawn, bare / ours {statistics.median(feet['bare']) * 1000:6.0f} / "
        f"{statistics.median(feet['nunet']) * 1000:.0f} ms, {statistics.median(foot_ratios):.2f}x "
        "(no target; for the record)"
    )
    print(
        f"facts in the first frame       {facts_in_first_frame}/{args.pairs}  "
        f"{'ok' if ok['facts'] else 'MISSED'}"
    )
    print(
        f"idle CPU                       {cpu:6.2f} %   (target < 2 % of a core)  "
        f"{'ok' if ok['idle cpu'] else 'MISSED'}"
    )
    print(
        f"idle terminal output           {rate:6.0f} B/s (target < 2048 B/s)  "
        f"{'ok' if ok['idle output'] else 'MISSED'}"
    )
    print(f"resident memory, no wallet     {rss:6.1f} MB")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
