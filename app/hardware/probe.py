"""Put the whole machine together: probe_machine().

Each fact is read on its own and guarded on its own, so one unreadable file costs one
fact (with its reason in ``problems``), never the whole probe: the overview and the
rules still work on a half-known machine, and a controller never has to catch.
``typing`` is for mypy only and paths are ``str`` (see ``_files``): ``status`` calls
``probe_capacity`` and must import neither typing nor pathlib (each, with what it
pulls in, is ~0.4x of a bare interpreter start).
"""

from __future__ import annotations

import os

from app.hardware._files import clean
from app.hardware.cgroups import read_cgroup_limits
from app.hardware.cpu import machine_arch, read_cpu
from app.hardware.disk import read_disk
from app.hardware.memory import read_memory, read_total_mb
from app.hardware.model import (
    CgroupLimits,
    CpuInfo,
    DiskInfo,
    GpuReport,
    MachineInfo,
    MemoryInfo,
    OsInfo,
)
from app.hardware.usable import usable_totals
from app.light_record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    from app.hardware._files import StrPath

    T = TypeVar("T")


def _guarded(
    what: str, read: Callable[[], tuple[T, list[str]]], fallback: Callable[[], T]
) -> tuple[T, list[str]]:
    """Run one reader; an exception it did not foresee becomes a problem line.

    The readers catch the failures they expect (OSError, bad numbers). This net is for
    the rest (a psutil or platform quirk on an odd kernel): ``probe_machine`` promises
    never to raise, and the caller is usually a screen that must keep working. The
    traceback goes to the log at debug level only, never to the terminal.
    """
    try:
        return read()
    except Exception as exc:
        import logging  # only when a reader failed: status must not pay for logging

        logging.getLogger(__name__).debug("probing %s failed", what, exc_info=True)
        return fallback(), [f"{what} unknown: {type(exc).__name__}: {exc}"]


def _unknown_cpu() -> CpuInfo:
    return CpuInfo(
        model="unknown",
        arch=machine_arch(),
        physical_cores=None,
        logical_cores=os.cpu_count() or 1,
        mhz_per_core=0.0,
        total_mhz=0.0,
        clock_source="unknown",
    )


def _unknown_memory(total_mb: int) -> MemoryInfo:
    return MemoryInfo(total_mb=total_mb, available_mb=0, swap_total_mb=0, swap_used_mb=0)


def _unknown_os() -> OsInfo:
    return OsInfo(system="unknown", kernel="unknown", distribution="unknown", hostname="unknown")


def _gpu_report(timeout_s: float) -> GpuReport:
    """The GPUs, their problems in the report itself (``probe_gpus`` never raises).

    The GPU modules (subprocess, NVML bindings) are imported here, not at the top:
    ``status`` probes without GPUs and must not pay for them.
    """
    from app.hardware.gpus import probe_gpus

    report, _ = _guarded(
        "GPUs",
        lambda: (probe_gpus(timeout_s), []),
        lambda: GpuReport(problems=("GPU probe failed",), faults=("GPU probe failed",)),
    )
    return report


HARDWARE_ROOT_ENV = "NUNET_HARDWARE_ROOT"
"""A directory that stands for ``/``: the probe reads its ``proc``, ``sys`` and
``sys/fs/cgroup`` instead of the machine's own. It lets the whole program, run as a
command, describe another machine from a copy of that machine's files (how the tests
run the command line on a machine with known figures); unset, the real ones are read.
Not ``NUNET_ONBOARD_*``: it is no setting (those are validated, and cost a start-up)."""


def _roots(
    cgroup_root: StrPath | None, proc_root: StrPath | None, sys_root: StrPath | None
) -> tuple[StrPath, StrPath, StrPath]:
    """The cgroup, /proc and /sys roots: those given, else under ``HARDWARE_ROOT_ENV``."""
    base = os.environ.get(HARDWARE_ROOT_ENV) or "/"
    return (
        cgroup_root if cgroup_root is not None else os.path.join(base, "sys", "fs", "cgroup"),
        proc_root if proc_root is not None else os.path.join(base, "proc"),
        sys_root if sys_root is not None else os.path.join(base, "sys"),
    )


class Capacity(Record):
    """What may be offered: the part of the probe that the rules need (no GPUs).

    ``status`` checks the stored offer against this on every call, so it is read
    without psutil, ``platform`` or the GPU tools, in about a millisecond;
    ``probe_machine`` builds the whole MachineInfo on top of it.
    """

    cpu: CpuInfo
    memory_total_mb: int
    disk: DiskInfo
    limits: CgroupLimits
    usable_cores: int
    usable_cpu_mhz: float
    usable_memory_mb: int
    problems: tuple[str, ...] = ()
    gpus: GpuReport = GpuReport(probed=False)
    """Never probed here; present so that a Capacity answers where a MachineInfo does."""


def probe_capacity(
    data_path: StrPath,
    *,
    cgroup_root: StrPath | None = None,
    proc_root: StrPath | None = None,
    sys_root: StrPath | None = None,
) -> Capacity:
    """The CPU, memory total, disk and container limits, and what a container may use.

    Never raises, never prints: each fact is guarded on its own (see ``_guarded``).
    A root left out is the machine's own (see ``HARDWARE_ROOT_ENV``).
    """
    cgroup_root, proc_root, sys_root = _roots(cgroup_root, proc_root, sys_root)
    problems: list[str] = []
    cpu, found = _guarded("CPU", lambda: read_cpu(proc_root, sys_root), _unknown_cpu)
    problems += found
    memory_mb, found = _guarded("memory", lambda: read_total_mb(proc_root), lambda: 0)
    problems += found
    disk, found = _guarded(
        "disk",
        lambda: read_disk(data_path),
        lambda: DiskInfo(path=clean(data_path), total_gb=0, free_gb=0),
    )
    problems += found
    limits, found = _guarded(
        "container limits",
        lambda: read_cgroup_limits(
            cgroup_root,
            proc_root,
            host_cores=cpu.logical_cores,
            host_memory_mb=memory_mb,
        ),
        CgroupLimits,
    )
    problems += found
    usable = usable_totals(cpu, memory_mb, limits)
    return Capacity(
        cpu=cpu,
        memory_total_mb=memory_mb,
        disk=disk,
        limits=limits,
        usable_cores=usable.cores,
        usable_cpu_mhz=usable.cpu_mhz,
        usable_memory_mb=usable.memory_mb,
        problems=tuple(problems),
    )


def probe_machine(
    data_path: StrPath,
    *,
    gpus: bool = True,
    gpu_timeout_s: float = 5.0,
    cgroup_root: StrPath | None = None,
    proc_root: StrPath | None = None,
    sys_root: StrPath | None = None,
) -> MachineInfo:
    """What this machine has and what a container on it may use.

    `data_path` is the state directory (it need not exist yet): its partition is the
    disk offered. With ``gpus=False`` no GPU is probed (``gpus.probed`` is False) and
    the probe takes a few milliseconds; with GPUs each external tool may take up to
    `gpu_timeout_s`. GPU problems stay in ``gpus.problems``; ``problems`` holds the
    rest. `cgroup_root`, `proc_root` and `sys_root` exist so tests can point the probe
    at a fake tree. Never raises, never prints.
    """
    from app.hardware.osinfo import read_os  # platform, socket, shlex: not for status

    cgroup_root, proc_root, sys_root = _roots(cgroup_root, proc_root, sys_root)
    capacity = probe_capacity(
        data_path, cgroup_root=cgroup_root, proc_root=proc_root, sys_root=sys_root
    )
    problems = list(capacity.problems)
    memory, found = _guarded(
        "memory",
        lambda: read_memory(proc_root, total_mb=capacity.memory_total_mb),
        lambda: _unknown_memory(capacity.memory_total_mb),
    )
    problems += found
    os_info, found = _guarded("operating system", read_os, _unknown_os)
    problems += found
    gpu_report = _gpu_report(gpu_timeout_s) if gpus else GpuReport(probed=False)
    return MachineInfo(
        cpu=capacity.cpu,
        memory=memory,
        disk=capacity.disk,
        gpus=gpu_report,
        limits=capacity.limits,
        os=os_info,
        usable_cores=capacity.usable_cores,
        usable_cpu_mhz=capacity.usable_cpu_mhz,
        usable_memory_mb=capacity.usable_memory_mb,
        # Once each: psutil failing the same way for the total and for what is free is
        # one problem, not two lines saying the same thing.
        problems=tuple(dict.fromkeys(problems)),
    )
