"""A program in a real pseudo-terminal (stdlib ``pty``): what it writes, how it ends.

For the tests that need a terminal: the app's clean exit on signals, and a CLI
command sitting on its confirmation prompt.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class PtyChild:
    """``python -m app ARGS`` in an 80x24 pty, everything it writes kept."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        full_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        full_env.pop("NO_COLOR", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: never returns
            try:
                os.chdir(REPO)
                os.execve(sys.executable, [sys.executable, "-m", "app", *args], full_env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = bytearray()
        self.status: int | None = None
        self.pos = 0
        """Where the next ``expect`` starts looking."""

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.output.extend(data)
        return bool(data)

    def read_until(self, marker: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.output:
            if time.monotonic() > deadline or not self._read(0.05):
                raise AssertionError(f"{marker!r} not seen; got {bytes(self.output[-600:])!r}")

    def expect(self, pattern: bytes, timeout: float = 30.0) -> re.Match[bytes]:
        """The next match of ``pattern`` after the previous one, waiting for it to be written."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while (match := regex.search(self.output, self.pos)) is None:
            if time.monotonic() > deadline or not self._read(0.05):
                raise AssertionError(f"{pattern!r} not seen; got {bytes(self.output[-600:])!r}")
        self.pos = match.end()
        return match

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait(self, timeout: float = 30.0) -> int:
        """The exit code (128 + n when killed by signal n), reading all output meanwhile."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            self._read(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = os.waitstatus_to_exitcode(status)
                if self.status < 0:
                    self.status = 128 - self.status
            elif time.monotonic() > deadline:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                raise AssertionError(f"still running; got {bytes(self.output[-600:])!r}")
        while self._read(0.05) and select.select([self.fd], [], [], 0)[0]:
            pass
        return self.status

    def close(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)
