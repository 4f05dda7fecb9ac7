"""Size and free space of the partition that will hold the node's data.

The state directory may not exist yet before the first onboarding, so we measure the
nearest existing parent: it lives on the same partition the directory will be made on.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.hardware.model import DiskInfo

_GIB = 1024**3


def nearest_existing(path: Path) -> Path:
    """`path` itself or its closest ancestor that exists (the root always does)."""
    candidate = path.expanduser().absolute()
    for p in (candidate, *candidate.parents):
        if p.exists():
            return p
    return Path(candidate.anchor or "/")


def mount_point(path: Path) -> Path:
    """The mount point holding `path`: the last ancestor on the same device."""
    try:
        device = path.stat().st_dev
        for parent in path.parents:
            if parent.stat().st_dev != device:
                return path
            path = parent
    except OSError:
        pass
    return path


def read_disk(data_path: Path) -> tuple[DiskInfo, list[str]]:
    """Total and free GB (bytes // 1024**3) of the data partition."""
    try:
        existing = nearest_existing(data_path)
    except (OSError, ValueError, RuntimeError) as exc:
        return DiskInfo(path=str(data_path), total_gb=0, free_gb=0), [
            f"disk size unknown: {data_path} cannot be resolved ({exc})"
        ]
    target = existing if existing.is_dir() else existing.parent
    try:
        # shutil.disk_usage's own arithmetic, without importing shutil (and with it
        # bz2, lzma and fnmatch) on status's path.
        vfs = os.statvfs(target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return DiskInfo(path=str(target), total_gb=0, free_gb=0), [
            f"disk size unknown: {target}: {reason}"
        ]
    return (
        DiskInfo(
            path=os.fspath(mount_point(target)),
            total_gb=vfs.f_blocks * vfs.f_frsize // _GIB,
            free_gb=vfs.f_bavail * vfs.f_frsize // _GIB,
        ),
        [],
    )
