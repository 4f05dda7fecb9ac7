"""CPU facts from a fake /proc and /sys, and psutil's clock when those say nothing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from app.hardware.cpu import parse_proc_cpuinfo, read_cpu
from tests.hardware.boundaries import cpuinfo_x86, write

ARM64_CPUINFO = """processor\t: 0
BogoMIPS\t: 108.00
CPU implementer\t: 0x41
CPU part\t: 0xd0c

processor\t: 1
BogoMIPS\t: 108.00
CPU implementer\t: 0x41
CPU part\t: 0xd0c
"""


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    proc, sys_root = tmp_path / "proc", tmp_path / "sys"
    proc.mkdir()
    sys_root.mkdir()
    return proc, sys_root


def test_total_mhz_is_the_sum_of_every_logical_cpu(roots: tuple[Path, Path]) -> None:
    proc, sys_root = roots
    write(proc / "cpuinfo", cpuinfo_x86(n=4, mhz=2600.0, cores=2))
    cpu, problems = read_cpu(proc, sys_root)
    assert problems == []
    assert cpu.model == "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz"
    assert (cpu.logical_cores, cpu.physical_cores) == (4, 2)
    assert cpu.mhz_per_core == 2600.0
    assert cpu.total_mhz == 10400
    assert cpu.clock_source == "/proc/cpuinfo"


def test_cpufreq_max_wins_over_the_current_clock_as_in_dms(roots: tuple[Path, Path]) -> None:
    proc, sys_root = roots
    write(proc / "cpuinfo", cpuinfo_x86(n=2, mhz=1200.0, cores=2))
    for i in range(2):
        write(sys_root / f"devices/system/cpu/cpu{i}/cpufreq/cpuinfo_max_freq", "3500000\n")
    cpu, _ = read_cpu(proc, sys_root)
    assert cpu.total_mhz == 7000
    assert cpu.mhz_per_core == 3500.0
    assert cpu.clock_source == "cpufreq max"


def test_mixed_core_clocks_are_summed_per_core(roots: tuple[Path, Path]) -> None:
    proc, sys_root = roots
    write(proc / "cpuinfo", cpuinfo_x86(n=2, mhz=2000.0, cores=2))
    write(sys_root / "devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "3000000")
    cpu, _ = read_cpu(proc, sys_root)
    assert cpu.total_mhz == 5000  # 3000 from cpufreq + 2000 from /proc/cpuinfo
    assert cpu.mhz_per_core == 2500.0


def test_arm_without_any_clock_and_cpu_freq_none_reports_why(
    roots: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    proc, sys_root = roots
    write(proc / "cpuinfo", ARM64_CPUINFO)
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: None)
    cpu, problems = read_cpu(proc, sys_root)
    assert cpu.logical_cores == 2
    assert cpu.model == "ARM CPU (implementer 0x41, part 0xd0c)"
    assert cpu.total_mhz == 0
    assert cpu.clock_source == "unknown"
    assert any("CPU clock unknown" in p for p in problems)


def test_psutil_max_zero_in_a_vm_falls_back_to_its_current_clock(
    roots: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    proc, sys_root = roots
    write(proc / "cpuinfo", ARM64_CPUINFO)
    freq = SimpleNamespace(current=1800.0, min=0.0, max=0.0)
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: freq)
    cpu, problems = read_cpu(proc, sys_root)
    assert problems == []
    assert (cpu.mhz_per_core, cpu.total_mhz, cpu.clock_source) == (1800.0, 3600, "psutil current")


def test_unreadable_cpuinfo_is_a_problem_not_an_exception(
    roots: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    proc, sys_root = roots
    monkeypatch.setattr(psutil, "cpu_freq", lambda *a, **k: None)
    cpu, problems = read_cpu(proc, sys_root)
    assert cpu.logical_cores >= 1
    assert any("could not be read" in p for p in problems)
    assert any("CPU clock unknown" in p for p in problems)


def test_parse_keeps_arm_shared_fields_for_every_processor() -> None:
    text = "processor : 0\ncpu MHz : 1000\n\nprocessor : 1\ncpu MHz : 1000\n\nHardware : BCM2835\n"
    procs = parse_proc_cpuinfo(text)
    assert [p.number for p in procs] == [0, 1]
    assert all(p.fields["Hardware"] == "BCM2835" for p in procs)


def test_the_real_machine_is_read_without_problems_on_linux() -> None:
    cpu, _ = read_cpu(Path("/proc"), Path("/sys"))
    assert cpu.logical_cores >= 1
    assert cpu.model
