"""MemTotal read from /proc/meminfo (status's path), and psutil where that says nothing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from app.hardware.memory import read_memory, read_total_mb

GiB = 1024**3


@pytest.fixture
def psutil_says_8_gib(monkeypatch: pytest.MonkeyPatch) -> None:
    vm = SimpleNamespace(total=8 * GiB, available=GiB)
    monkeypatch.setattr(psutil, "virtual_memory", lambda: vm)


@pytest.mark.usefixtures("psutil_says_8_gib")
@pytest.mark.parametrize(
    ("meminfo", "total_mb"),
    [
        ("MemTotal:       16777216 kB\nMemFree: 1 kB\n", 16384),  # the kernel's form
        ("MemFree: 1 kB\nMemTotal:  16777216  kB\n", 16384),  # spaces either side
        ("MemTotal: 17179869184\n", 16384),  # no unit: bytes
        ("MemTotal: 16777216 MB\n", 8192),  # a unit the kernel never writes: psutil's
        ("MemTotal: 16x77216 kB\n", 8192),  # not a number: psutil's
        ("MemTotal: ١٦٧٧٧٢١٦ kB\n", 8192),  # digits, but not ASCII ones: psutil's
        ("MemTotal: 0 kB\n", 8192),  # nothing: psutil's
        ("MemFree: 1 kB\n", 8192),  # no MemTotal line: psutil's
    ],
)
def test_memtotal_in_its_forms(tmp_path: Path, meminfo: str, total_mb: int) -> None:
    (tmp_path / "meminfo").write_text(meminfo)
    assert read_total_mb(tmp_path) == (total_mb, [])


@pytest.mark.usefixtures("psutil_says_8_gib")
def test_a_total_already_read_is_not_read_again(tmp_path: Path) -> None:
    (tmp_path / "meminfo").write_text("MemTotal: 16777216 kB\n")
    info, problems = read_memory(tmp_path, total_mb=1234)
    assert (info.total_mb, info.available_mb, problems) == (1234, 1024, [])
    assert read_memory(tmp_path)[0].total_mb == 16384
