"""Issue 13.2 and 13.4: the write is synced before the rename, the directory after; memory units."""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

import psutil
import pytest

from app.hardware.memory import read_memory
from app.onboarding.store import StateStore


def test_the_file_is_synced_before_the_rename_and_the_directory_after(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(state_dir)
    store.update(lambda s: None)
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        kind = "dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file"
        events.append(f"fsync-{kind}")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append("replace" if Path(dst).name == "state.json" else "replace-other")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store.update(lambda s: s.__setitem__("note", 1))
    assert events == ["fsync-file", "replace", "fsync-dir"]


GiB = 1024**3


def test_memory_and_swap_are_dms_mb_at_the_kernel_and_psutil_boundaries(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """MemTotal from /proc/meminfo (kB), free memory and swap from psutil (bytes)."""
    (tmp_path / "meminfo").write_text(f"MemTotal:       {16 * GiB // 1024} kB\nMemFree: 1 kB\n")
    vmem = namedtuple("vmem", "total available")
    swap = namedtuple("swap", "total used")
    monkeypatch.setattr(psutil, "virtual_memory", lambda: vmem(8 * GiB, 12 * GiB + 1))
    monkeypatch.setattr(psutil, "swap_memory", lambda: swap(2 * GiB, GiB // 2))
    info, problems = read_memory(tmp_path)
    assert problems == []
    assert (info.total_mb, info.available_mb) == (16384, 12288)
    assert (info.swap_total_mb, info.swap_used_mb) == (2048, 512)
    # Without /proc/meminfo (not Linux) the total is psutil's.
    info, problems = read_memory(tmp_path / "elsewhere")
    assert (info.total_mb, problems) == (8192, [])


def test_the_real_memory_total_is_psutils() -> None:
    """/proc/meminfo read here gives exactly what psutil (and DMS's gopsutil) report."""
    from app.hardware.memory import read_total_mb

    assert read_total_mb() == (psutil.virtual_memory().total // 1024 // 1024, [])
