"""Machine facts as a person is shown them: CPU, memory, usage, the package.

Faked only at the machine boundary: /proc and /sys files under tmp_path, the values
psutil and the platform module report, and the NVML module.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

import app.hardware
from app.hardware import sample_usage
from app.hardware.cpu import read_cpu
from app.hardware.gpus.sampler import GpuSampler
from tests.conftest import HANG_S
from tests.hardware.boundaries import make_fake_pynvml, write

GiB = 1024**3
MiB = 1024**2

# Two logical CPUs that name neither a model nor a clock (a VM's ARM, say).
NAMELESS = "processor\t: 0\nBogoMIPS\t: 50.00\n\nprocessor\t: 1\nBogoMIPS\t: 50.00\n"


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    proc, sys_root = tmp_path / "proc", tmp_path / "sys"
    write(proc / "cpuinfo", NAMELESS)
    sys_root.mkdir()
    return proc, sys_root


def _os(
    monkeypatch: pytest.MonkeyPatch, system: str, processor: str, machine: str = "x86_64"
) -> None:
    monkeypatch.setattr(sys, "platform", system)
    monkeypatch.setattr(platform, "processor", lambda: processor)
    monkeypatch.setattr(platform, "machine", lambda: machine)


@pytest.mark.parametrize(
    ("system", "processor", "machine", "model"),
    [
        (
            "win32",
            "  Intel64 Family 6 Model 85 Stepping 7  ",
            "AMD64",
            "Intel64 Family 6 Model 85 Stepping 7",
        ),
        ("darwin", "arm", "arm64", "arm"),
        ("darwin", "arm64", "arm64", "unknown"),  # only the architecture again
        ("win32", "", "AMD64", "unknown"),
        ("linux", "Intel Xeon", "x86_64", "unknown"),  # Linux's uname -p is not asked
    ],
)
def test_off_linux_the_cpu_model_comes_from_the_os(
    roots: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    system: str,
    processor: str,
    machine: str,
    model: str,
) -> None:
    _os(monkeypatch, system, processor, machine)
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: None)
    cpu, problems = read_cpu(*roots)
    assert cpu.model == model
    named = "CPU model unknown: the kernel does not name it" in problems
    assert named == (model == "unknown")


@pytest.mark.parametrize(
    ("maximum", "current", "clock"),
    [
        (3000.0, 1200.0, (3000.0, 6000, "psutil max")),
        (0.5, 0.0, (0.5, 1, "psutil max")),
        (-1.0, 1800.0, (1800.0, 3600, "psutil current")),
        (0.0, 0.5, (0.5, 1, "psutil current")),
        (0.0, -5.0, (0.0, 0, "unknown")),
    ],
)
def test_psutils_clock_counts_only_when_positive(
    roots: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    maximum: float,
    current: float,
    clock: tuple[float, int, str],
) -> None:
    freq = SimpleNamespace(current=current, min=0.0, max=maximum)
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: freq)
    cpu, problems = read_cpu(*roots)
    assert (cpu.mhz_per_core, cpu.total_mhz, cpu.clock_source) == clock
    unknown = "CPU clock unknown: neither cpufreq, /proc/cpuinfo nor psutil give it"
    assert (unknown in problems) == (clock[2] == "unknown")


# --- live usage -------------------------------------------------------------------


def test_usage_in_whole_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    vm = SimpleNamespace(percent=37.5, used=3 * GiB + MiB // 2, total=8 * GiB)
    monkeypatch.setattr(psutil, "virtual_memory", lambda: vm)
    monkeypatch.setattr(psutil, "cpu_percent", lambda interval=None: 12.5)
    usage = sample_usage()
    assert (usage.cpu_percent, usage.memory_percent, usage.memory_used_mb) == (12.5, 37.5, 3072)
    assert f"{usage.memory_used_mb} MB" == "3072 MB"


def test_usage_that_psutil_cannot_read_is_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(psutil, "virtual_memory", denied)
    monkeypatch.setattr(psutil, "cpu_percent", denied)
    usage = sample_usage()
    assert (usage.cpu_percent, usage.memory_percent, usage.memory_used_mb) == (0.0, 0.0, 0)


def test_usage_says_why_there_are_no_gpu_figures() -> None:
    sampler = GpuSampler(0.01, nvml=make_fake_pynvml(init_error="NVMLError_DriverNotLoaded"))
    try:
        deadline = time.monotonic() + HANG_S
        usage = sample_usage(sampler)
        while usage.gpu_note is None and time.monotonic() < deadline:
            time.sleep(0.01)
            usage = sample_usage(sampler)
        assert (usage.gpus, usage.gpu_note) == ((), "NVIDIA driver not loaded")
    finally:
        sampler.close()


# --- the package ------------------------------------------------------------------


def test_the_lazy_names_of_the_package() -> None:
    from app.hardware.gpus import probe_gpus
    from app.hardware.usage import sample_usage as real_sample_usage

    assert app.hardware.probe_gpus is probe_gpus
    assert app.hardware.sample_usage is real_sample_usage
    with pytest.raises(AttributeError) as caught:
        _ = app.hardware.probe_cpus  # type: ignore[attr-defined]
    assert str(caught.value) == "module 'app.hardware' has no attribute 'probe_cpus'"


# --- the whole probe: a fact that fails in an unforeseen way ----------------------


@pytest.fixture
def fake_roots(tmp_path: Path) -> dict[str, Path]:
    """Two logical CPUs without a clock of their own, outside any cgroup."""
    proc, sys_root = tmp_path / "proc", tmp_path / "sys"
    write(proc / "cpuinfo", NAMELESS)
    write(proc / "self/cgroup", "0::/\n")
    sys_root.mkdir()
    return {"proc_root": proc, "sys_root": sys_root, "cgroup_root": tmp_path / "cgroup"}


def _exploding(kind: type[Exception], text: str) -> object:
    def explode(*args: object, **kwargs: object) -> object:
        raise kind(text)

    return explode


@pytest.mark.parametrize(
    ("machine", "cpu_count", "arch", "logical"),
    [("aarch64", 6, "aarch64", 6), ("", None, "unknown", 1)],
)
def test_a_cpu_reading_that_fails_unforeseen_costs_only_the_cpu(
    fake_roots: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    machine: str,
    cpu_count: int | None,
    arch: str,
    logical: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(psutil, "cpu_freq", _exploding(RuntimeError, "cpufreq went away"))
    _arch_is(monkeypatch, machine)
    monkeypatch.setattr(os, "cpu_count", lambda: cpu_count)
    with caplog.at_level(logging.DEBUG, logger="app.hardware.probe"):
        info = app.hardware.probe_machine(tmp_path / "state", gpus=False, **fake_roots)
    assert info.cpu == app.hardware.CpuInfo(
        model="unknown",
        arch=arch,
        physical_cores=None,
        logical_cores=logical,
        mhz_per_core=0.0,
        total_mhz=0,
        clock_source="unknown",
    )
    assert "CPU unknown: RuntimeError: cpufreq went away" in info.problems
    (record,) = [r for r in caplog.records if r.name == "app.hardware.probe"]
    assert record.getMessage() == "probing CPU failed"
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert info.memory.total_mb > 0  # the other facts are still read


def test_memory_and_os_readings_that_fail_unforeseen(
    fake_roots: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(psutil, "virtual_memory", _exploding(TypeError, "bad struct"))
    monkeypatch.setattr(platform, "system", _exploding(RuntimeError, "uname failed"))
    monkeypatch.setattr(os, "statvfs", _exploding(RuntimeError, "statvfs broke"))
    freq = SimpleNamespace(current=1000.0, min=0.0, max=0.0)
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: freq)
    info = app.hardware.probe_machine(tmp_path / "state", gpus=False, **fake_roots)
    assert info.disk == app.hardware.DiskInfo(path=str(tmp_path / "state"), total_gb=0, free_gb=0)
    assert info.problems == (
        "CPU model unknown: the kernel does not name it",
        "memory unknown: TypeError: bad struct",
        "disk unknown: RuntimeError: statvfs broke",
        "operating system unknown: RuntimeError: uname failed",
    )
    assert info.memory == app.hardware.MemoryInfo(
        total_mb=0, available_mb=0, swap_total_mb=0, swap_used_mb=0
    )
    assert info.os == app.hardware.OsInfo(
        system="unknown", kernel="unknown", distribution="unknown", hostname="unknown"
    )
    assert info.cpu.logical_cores == 2


def test_the_probe_passes_its_gpu_timeout_to_the_tools(
    fake_roots: dict[str, Path],
    tmp_path: Path,
    no_nvml: object,
    fake_bin: Callable[[str, str], Path],
) -> None:
    fake_bin("nvidia-smi", "echo '0, NVIDIA L4, 23034, 22000, 550.54.14, GPU-0, 5, 40'\n")
    info = app.hardware.probe_machine(tmp_path, gpus=True, gpu_timeout_s=HANG_S, **fake_roots)
    assert [gpu.name for gpu in info.gpus.devices] == ["NVIDIA L4"]
    assert info.gpus.problems == ()


# --- /proc/cpuinfo and cpufreq in detail -------------------------------------------


def _cpu_with(
    tmp_path: Path, cpuinfo: str, max_freq: dict[int, str] | None = None
) -> tuple[app.hardware.CpuInfo, list[str]]:
    proc, sys_root = tmp_path / "proc", tmp_path / "sys"
    write(proc / "cpuinfo", cpuinfo)
    sys_root.mkdir()
    for number, text in (max_freq or {}).items():
        write(sys_root / f"devices/system/cpu/cpu{number}/cpufreq/cpuinfo_max_freq", text)
    return read_cpu(proc, sys_root)


def test_cpufreq_in_khz_and_values_that_do_not_count(tmp_path: Path) -> None:
    text = "".join(f"processor\t: {i}\nmodel name : X\ncpu MHz\t\t: 1000.000\n\n" for i in range(4))
    cpu, problems = _cpu_with(tmp_path, text, {0: "3500400\n", 1: "0\n", 2: "-5\n", 3: "fast\n"})
    assert problems == []
    # The float total DMS sums (3500.4 + 3 x 1000), not rounded: DMS's bounds are taken on it.
    assert (cpu.total_mhz, cpu.mhz_per_core) == (6500.4, 1625.1)
    assert cpu.clock_source == "/proc/cpuinfo + cpufreq max"


def test_cpuinfo_clocks_that_do_not_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: None)
    text = (
        "processor : 0\ncpu MHz : 2000.0\n\nprocessor : 1\ncpu MHz : 0\n\n"
        "processor : 2\ncpu MHz : n/a\n\nprocessor : 3\n"
    )
    cpu, problems = _cpu_with(tmp_path, text)
    # Only one of four CPUs has a clock: the others are assumed to run at the same.
    assert (cpu.mhz_per_core, cpu.total_mhz, cpu.clock_source) == (2000.0, 8000, "/proc/cpuinfo")
    assert problems == ["CPU model unknown: the kernel does not name it"]


def test_a_cpuinfo_that_lists_no_processor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    freq = SimpleNamespace(current=1500.0, min=0.0, max=0.0)
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: freq)
    cpu, problems = _cpu_with(tmp_path, "Hardware : BCM2711\n")
    assert (cpu.logical_cores, cpu.total_mhz, cpu.clock_source) == (3, 4500, "psutil current")
    assert problems == [
        f"CPU details unknown: {tmp_path / 'proc' / 'cpuinfo'} lists no processor",
        "CPU model unknown: the kernel does not name it",
    ]


@pytest.mark.parametrize(
    ("fields", "model"),
    [
        ("model name : Xeon\nProcessor : ARMv7\n", "Xeon"),
        (
            "Processor : ARMv7 Processor rev 4 (v7l)\nHardware : BCM2835\n",
            "ARMv7 Processor rev 4 (v7l)",
        ),
        ("cpu : POWER9 (raw), altivec supported\n", "POWER9 (raw), altivec supported"),
        ("cpu : 1.0\ncpu model : Loongson-3A4000\n", "Loongson-3A4000"),
        ("uarch : sifive,u74-mc\n", "sifive,u74-mc"),
        ("model name : AMD EPYC: 7763\n", "AMD EPYC: 7763"),
        ("machine : 3906\n", "unknown"),
        ("cpu : 1.0\nuarch : sifive,u74\n", "sifive,u74"),
        ("CPU implementer : 0x41\n", "unknown"),
        ("CPU part : 0xd0c\n", "unknown"),
    ],
)
def test_the_model_name_by_architecture(tmp_path: Path, fields: str, model: str) -> None:
    text = f"processor : 0\ncpu MHz : 1000\n{fields}\n"
    cpu, problems = _cpu_with(tmp_path, text)
    assert cpu.model == model
    assert ("CPU model unknown: the kernel does not name it" in problems) == (model == "unknown")


def test_processor_blocks_with_bad_numbers_share_their_fields(tmp_path: Path) -> None:
    text = (
        "processor : 0\ncpu MHz : 1000\nno colon here\n\n"
        "processor : x\nmodel name : Shared Name\n\n"
        "processor : 1\ncpu MHz : 1000\n"
    )
    cpu, _ = _cpu_with(tmp_path, text)
    assert (cpu.logical_cores, cpu.model, cpu.total_mhz) == (2, "Shared Name", 2000)


def test_physical_cores_from_psutil_when_cpuinfo_has_no_core_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def cpu_count(logical: bool = True) -> int:
        calls.append(logical)
        return 1 if logical is False else 99

    monkeypatch.setattr(psutil, "cpu_count", cpu_count)
    cpu, _ = _cpu_with(tmp_path, "processor : 0\ncpu MHz : 1000\n\nprocessor : 1\ncpu MHz : 1000\n")
    assert cpu.physical_cores == 1
    monkeypatch.setattr(psutil, "cpu_count", _exploding(OSError, "no sysfs"))
    cpu, problems = _cpu_with(tmp_path / "again", "processor : 0\ncpu MHz : 1000\n")
    assert (cpu.physical_cores, problems[-1:]) == (
        None,
        ["CPU model unknown: the kernel does not name it"],
    )


def test_core_ids_on_two_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(psutil, "cpu_count", lambda logical=True: 99)  # must not be asked
    blocks = [
        f"processor : {n}\ncpu MHz : 1000\nphysical id : {n // 3}\ncore id : {n % 3}\n\n"
        for n in range(6)
    ]
    cpu, _ = _cpu_with(tmp_path, "".join(blocks))
    assert (cpu.logical_cores, cpu.physical_cores) == (6, 6)
    hyper = [
        f"processor : {n}\ncpu MHz : 1000\nphysical id : 0\ncore id : {n % 3}\n\n" for n in range(6)
    ]
    cpu, _ = _cpu_with(tmp_path / "ht", "".join(hyper))
    assert (cpu.logical_cores, cpu.physical_cores) == (6, 3)


@pytest.mark.parametrize(
    "failure", [OSError, psutil.Error, ValueError, NotImplementedError, AttributeError]
)
def test_psutil_clock_failures_leave_the_clock_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: type[Exception]
) -> None:
    monkeypatch.setattr(psutil, "cpu_freq", _exploding(failure, "no clock"))
    cpu, problems = _cpu_with(tmp_path, NAMELESS)
    assert (cpu.total_mhz, cpu.clock_source) == (0, "unknown")
    assert "CPU clock unknown: neither cpufreq, /proc/cpuinfo nor psutil give it" in problems


def _arch_is(monkeypatch: pytest.MonkeyPatch, machine: str) -> None:
    """The kernel's machine name (uname -m), as os.uname reports it."""
    real = os.uname()
    fake = os.uname_result((real.sysname, real.nodename, real.release, real.version, machine))
    monkeypatch.setattr(os, "uname", lambda: fake)


def test_the_arch_is_the_machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _arch_is(monkeypatch, "riscv64")
    cpu, _ = _cpu_with(tmp_path, "processor : 0\ncpu MHz : 1000\n")
    assert cpu.arch == "riscv64"
    _arch_is(monkeypatch, "")
    cpu, _ = _cpu_with(tmp_path / "again", "processor : 0\ncpu MHz : 1000\n")
    assert cpu.arch == "unknown"


def test_an_unreadable_cpuinfo_on_a_machine_that_counts_no_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: None)
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: None)
    cpu, problems = read_cpu(tmp_path / "no-proc", tmp_path)
    assert (cpu.logical_cores, cpu.physical_cores is None or cpu.physical_cores >= 1) == (1, True)
    assert (
        problems[0] == f"CPU details unknown: {tmp_path / 'no-proc' / 'cpuinfo'} could not be read"
    )


def test_a_gpu_probe_that_breaks_beyond_its_own_net_costs_only_the_gpus(
    fake_roots: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_bin: Callable[[str, str], Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A broken pynvml whose import raises an exception that cannot even be printed:
    # probe_gpus's own net fails to word it, and probe_machine's net catches that.
    write(
        tmp_path / "site" / "pynvml.py",
        "class Unprintable(Exception):\n"
        "    def __str__(self):\n"
        "        raise RuntimeError('cannot say')\n"
        "raise Unprintable()\n",
    )
    monkeypatch.delitem(sys.modules, "pynvml", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with caplog.at_level(logging.DEBUG, logger="app.hardware.probe"):
        info = app.hardware.probe_machine(tmp_path, gpus=True, gpu_timeout_s=HANG_S, **fake_roots)
    assert info.gpus == app.hardware.GpuReport(
        problems=("GPU probe failed",), faults=("GPU probe failed",)
    )
    assert info.cpu.logical_cores == 2  # the other facts are still read
    messages = [r.getMessage() for r in caplog.records if r.name == "app.hardware.probe"]
    assert messages == ["probing GPUs failed"]


def test_a_cpufreq_of_one_khz_still_counts(tmp_path: Path) -> None:
    cpu, _ = _cpu_with(tmp_path, "processor : 0\nmodel name : X\ncpu MHz : 1000\n", {0: "1\n"})
    assert (cpu.mhz_per_core, cpu.clock_source) == (0.001, "cpufreq max")


def test_half_a_mhz_in_cpuinfo_still_counts(tmp_path: Path) -> None:
    cpu, _ = _cpu_with(tmp_path, "processor : 0\nmodel name : X\ncpu MHz : 0.5\n")
    assert (cpu.mhz_per_core, cpu.clock_source) == (0.5, "/proc/cpuinfo")


def test_the_fastest_known_clock_names_every_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: None)
    text = "".join(
        f"processor : {i}\nmodel name : X\n" + ("cpu MHz : 1200\n" if i == 1 else "") + "\n"
        for i in range(3)
    )
    cpu, _ = _cpu_with(tmp_path, text, {0: "2400000\n"})
    assert (cpu.mhz_per_core, cpu.total_mhz) == (2400.0, 7200)
    assert cpu.clock_source == "/proc/cpuinfo + cpufreq max"


def test_cpuinfo_that_is_not_utf8_is_read_leniently(tmp_path: Path) -> None:
    proc, sys_root = tmp_path / "proc", tmp_path / "sys"
    (proc).mkdir()
    sys_root.mkdir()
    (proc / "cpuinfo").write_bytes(b"processor : 0\nmodel name : Xeon \xff\ncpu MHz : 1234.5678\n")
    cpu, problems = read_cpu(proc, sys_root)
    assert (cpu.model, cpu.mhz_per_core, problems) == ("Xeon \ufffd", 1234.568, [])


def test_the_probe_looks_for_gpus_unless_told_not_to(
    fake_roots: dict[str, Path],
    tmp_path: Path,
    no_nvml: object,
    fake_bin: Callable[[str, str], Path],
) -> None:
    info = app.hardware.probe_machine(tmp_path, **fake_roots)
    assert info.gpus.probed
    assert info.gpus.problems == (
        "NVML library not found",
        "nvidia-smi not found",
        "rocm-smi not found",
    )


@pytest.mark.parametrize("second", ["0", "-5"])
def test_a_cpu_whose_clock_reads_zero_or_less_takes_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second: str
) -> None:
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: None)
    text = f"processor : 0\ncpu MHz : 2000\n\nprocessor : 1\ncpu MHz : {second}\n"
    cpu, _ = _cpu_with(tmp_path, text)
    assert (cpu.mhz_per_core, cpu.total_mhz) == (2000.0, 4000)


def test_the_controller_probes_the_gpus_with_its_own_timeout(
    tmp_path: Path, no_nvml: object, fake_bin: Callable[[str, str], Path]
) -> None:
    """The app's gpu_timeout_s setting reaches the GPU tools through the controller."""
    from app.onboarding.controller import OnboardingController

    fake_bin("nvidia-smi", "exec /bin/sleep 30\n")
    report = OnboardingController(tmp_path / "state", gpu_timeout_s=0.3).machine().gpus
    assert "nvidia-smi did not answer in 0.3 s" in report.problems


def test_an_offer_of_a_gpu_is_checked_against_the_gpus_the_tools_find(
    tmp_path: Path, no_nvml: object, fake_bin: Callable[[str, str], Path]
) -> None:
    """Checking and onboarding an offer with a GPU probes the GPUs (a first probe may have
    skipped them): the GPU nvidia-smi reports is offered, not refused as missing."""
    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet
    from tests.conftest import ETH_ADDRESS

    fake_bin("nvidia-smi", "echo '0, NVIDIA L4, 23034, 22000, 550.54.14, GPU-0, 5, 40'\n")
    limits = OnboardingController(tmp_path / "probe").limits()
    offer = CapacityForNunet(
        cpu=limits.cpu_min,
        memory=limits.memory_min,
        channel="nunet-team",
        payment_addr=ETH_ADDRESS,
        gpus=(0,),
    )
    assert OnboardingController(tmp_path / "check").validate(offer) == []
    metadata = OnboardingController(tmp_path / "node").onboard(offer)
    assert [gpu.name for gpu in metadata.gpu_info] == ["NVIDIA L4"]
