"""Run a GPU tool so that it can neither hang us nor write to the terminal.

GPUtil's defects (DESIGN.md section 7) are the specification of what not to do: no
timeout, stderr inherited by the terminal, exceptions on a broken driver. Here the tool
runs in its own session with every stream captured; on timeout the whole process group
is killed, so a wrapper script's children die with it and cannot hold our pipes open.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from app.hardware.model import GpuDevice


@dataclass(frozen=True)
class ToolOutput:
    returncode: int
    stdout: str
    stderr: str

    def first_line(self) -> str | None:
        """The first non-empty line of stdout, else of stderr (where tools explain)."""
        for stream in (self.stdout, self.stderr):
            for line in stream.splitlines():
                if line.strip():
                    return line.strip()
        return None


class ToolFailed(Exception):
    """The tool could not give an answer; str() is the reason for a person."""


def _seconds(timeout_s: float) -> str:
    return f"{timeout_s:g} s"


def run_tool(argv: list[str], timeout_s: float) -> ToolOutput:
    """Run `argv` (looked up on PATH) and return what it printed.

    Raises ToolFailed with "<tool> not found" or "<tool> did not answer in N s";
    a non-zero exit is returned, not raised, because each tool words it differently.
    """
    name = argv[0]
    path = shutil.which(name)
    if path is None:
        raise ToolFailed(f"{name} not found")
    try:
        proc = subprocess.Popen(
            [path, *argv[1:]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "LC_ALL": "C"},
        )
    except OSError as exc:
        raise ToolFailed(f"{name} could not be started: {exc.strerror or exc}") from exc
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ToolFailed(f"{name} did not answer in {_seconds(timeout_s)}") from None
    return ToolOutput(
        returncode=proc.returncode,
        stdout=out.decode("utf-8", errors="replace"),
        stderr=err.decode("utf-8", errors="replace"),
    )


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()
    try:
        proc.communicate(timeout=1.0)
    except subprocess.TimeoutExpired:
        # Something outside the group still holds the pipes; do not wait on it.
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        proc.wait()


def probe_with_tool(
    argv: list[str], timeout_s: float, parse: Callable[[str], list[GpuDevice]], vendor: str
) -> tuple[list[GpuDevice], str | None]:
    """(devices, None) on an answer, else ([], the reason nothing was found)."""
    tool = argv[0]
    try:
        result = run_tool(argv, timeout_s)
    except ToolFailed as exc:
        return [], str(exc)
    if result.returncode != 0:
        line = result.first_line()
        if line:
            return [], f"{tool} failed: {line}"
        return [], f"{tool} failed with exit code {result.returncode}"
    try:
        devices = parse(result.stdout)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        return [], f"{tool} gave an answer we cannot read: {exc}"
    if not devices:
        return [], f"{tool} found no {vendor} GPU"
    return devices, None
