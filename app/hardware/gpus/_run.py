"""Run a GPU tool so that it can neither hang us nor write to the terminal.

GPUtil's defects (docs/hardware.md) are the specification of what not to do: no
timeout, stderr inherited by the terminal, exceptions on a broken driver. Here the tool
runs in its own session with every stream captured; on timeout the whole process group
is killed, so a wrapper script's children die with it and cannot hold our pipes open.
Its output is read as it comes, up to a bound (an ``nvidia-smi`` that printed forever
took 4 GB): past the bound the tool is stopped and the reason given.

A problem that means the tool broke (it hung, failed, printed too much or nonsense)
is a ``Fault``: it says nothing about the GPUs, so status and resource-config keep
the offered GPUs rather than call them missing. "Not found" is not a fault.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import time
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


MAX_STDOUT = 1024 * 1024
MAX_STDERR = 64 * 1024
MAX_GPUS = 64
"""More cards than any one machine has: a tool that lists more is broken."""
MAX_TEXT = 120
"""The longest name, driver or UUID we keep; the rest is cut."""
MAX_VRAM_MB = 1 << 24
"""16 TiB, about a hundred times the largest GPU's memory: a tool that reports more is broken."""


class Fault(str):
    """A problem string that means the tool broke, not that there is no GPU."""

    __slots__ = ()


class ToolFailed(Exception):
    """The tool could not give an answer; str() is the reason for a person."""

    def __init__(self, reason: str, *, fault: bool = True) -> None:
        super().__init__(reason)
        self.fault = fault


def cut(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` without control characters, at most ``limit`` characters long; "..." ends
    it when anything but blanks was dropped (even where the cut falls on a space)."""
    clean = "".join(c if c.isprintable() else " " for c in text[: limit + 1]).strip()
    dropped = any(c.isprintable() and not c.isspace() for c in text[limit + 1 :])
    if len(clean) <= limit and not dropped:
        return clean
    return clean[: limit - 3] + "..."


def vram_mb(value: float, said: str) -> int:
    """A GPU's memory in MB as a tool reported it (``said``: its words), made whole.

    A value no GPU has (negative, NaN, infinite, ``1e30``) is the tool's fault, raised
    as ValueError; kept, it would be a state no write accepts, stopping every write.
    """
    if not 0 <= value <= MAX_VRAM_MB:  # NaN fails this too
        raise ValueError(f"it reported {cut(said, 40)} MB of GPU memory, which no GPU has")
    return int(value)


def check_indices(indices: list[int], tool: str) -> None:
    """Raise ValueError when the tool's GPU indices repeat, are negative or too many."""
    if len(indices) > MAX_GPUS:
        raise ValueError(f"it listed {len(indices)} GPUs, more than the {MAX_GPUS} we accept")
    if any(i < 0 for i in indices):
        raise ValueError(f"it gave a negative GPU index ({min(indices)})")
    if len(set(indices)) != len(indices):
        raise ValueError(f"it gave a GPU index twice ({sorted(indices)[:8]})")


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
        raise ToolFailed(f"{name} not found", fault=False)
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
        out, err = _read_bounded(proc, name, timeout_s)
    except BaseException:
        _kill_group(proc)
        raise
    finally:
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    return ToolOutput(
        returncode=proc.returncode,
        stdout=out.decode("utf-8", errors="replace"),
        stderr=err.decode("utf-8", errors="replace"),
    )


def _read_bounded(
    proc: subprocess.Popen[bytes], name: str, timeout_s: float
) -> tuple[bytes, bytes]:
    """Both streams, read as they come until EOF, the deadline or the size bound."""
    assert proc.stdout is not None and proc.stderr is not None
    deadline = time.monotonic() + timeout_s
    limits = {proc.stdout.fileno(): MAX_STDOUT, proc.stderr.fileno(): MAX_STDERR}
    chunks: dict[int, list[bytes]] = {fd: [] for fd in limits}
    sizes = dict.fromkeys(limits, 0)
    with selectors.DefaultSelector() as sel:
        for fd in limits:
            sel.register(fd, selectors.EVENT_READ)
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise ToolFailed(f"{name} did not answer in {_seconds(timeout_s)}")
            for key, _ in sel.select(left):
                fd = int(key.fd)
                data = os.read(fd, 65536)
                if not data:
                    sel.unregister(fd)
                    continue
                sizes[fd] += len(data)
                if sizes[fd] > limits[fd]:
                    what = "output" if limits[fd] == MAX_STDOUT else "error output"
                    raise ToolFailed(
                        f"{name} printed more than {limits[fd] // 1024} KB of {what}; "
                        "it was stopped"
                    )
                chunks[fd].append(data)
    try:
        proc.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise ToolFailed(f"{name} did not answer in {_seconds(timeout_s)}") from None
    return b"".join(chunks[proc.stdout.fileno()]), b"".join(chunks[proc.stderr.fileno()])


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the tool without reading another byte: the pipes are closed first (a child
    that left the group, ``setsid yes &``, then dies of SIGPIPE rather than fill our
    memory, as draining the pipes for a second once let it do: 2 GB), then the group
    is killed and the tool reaped, waiting at most a second (a process stuck in the
    driver cannot be killed; it is reaped later)."""
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        with contextlib.suppress(OSError):
            proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=1.0)


def probe_with_tool(
    argv: list[str], timeout_s: float, parse: Callable[[str], list[GpuDevice]], vendor: str
) -> tuple[list[GpuDevice], str | None]:
    """(devices, None) on an answer, else ([], the reason nothing was found)."""
    tool = argv[0]
    try:
        result = run_tool(argv, timeout_s)
    except ToolFailed as exc:
        return [], Fault(exc) if exc.fault else str(exc)
    if result.returncode != 0:
        line = result.first_line()
        if line:
            return [], Fault(f"{tool} failed: {cut(line, 300)}")
        return [], Fault(f"{tool} failed with exit code {result.returncode}")
    try:
        devices = parse(result.stdout)
        check_indices([d.index for d in devices], tool)
    except (ValueError, RecursionError) as exc:  # json.JSONDecodeError is a ValueError too
        return [], Fault(f"{tool} gave an answer we cannot read: {cut(str(exc))}")
    if not devices:
        return [], f"{tool} found no {vendor} GPU"
    return devices, None
