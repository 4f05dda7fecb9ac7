"""Size and free space of the partition that will hold the node's data.

The state directory may not exist yet before the first onboarding, so we measure the
nearest existing parent: it lives on the same partition the directory will be made on.
Paths are ``str`` (see ``_files``): status must not import pathlib.
"""

from __future__ import annotations

import os

from app.hardware._files import clean, exists, is_dir, parents
from app.hardware.model import DiskInfo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.hardware._files import StrPath

_GIB = 1024**3


def _absolute(path: StrPath) -> str:
    """``Path(path).expanduser().absolute()``: the home directory put in, no ".." taken
    out (after a symbolic link it is not the parent), relative to the working directory."""
    text = os.path.expanduser(clean(path))
    if text.startswith("~"):  # os.path leaves an unknown user's "~name" as it is
        raise RuntimeError("Could not determine home directory.")
    return clean(text if os.path.isabs(text) else os.path.join(os.getcwd(), text))


def nearest_existing(path: StrPath) -> str:
    """`path` itself or its closest ancestor that exists (the root always does)."""
    candidate = _absolute(path)
    for p in (candidate, *parents(candidate)):
        if exists(p):
            return p
    return "/"


def mount_point(path: StrPath) -> str:
    """The mount point holding `path`: the last ancestor on the same device."""
    path = clean(path)
    try:
        device = os.stat(path).st_dev
        for parent in parents(path):
            if os.stat(parent).st_dev != device:
                return path
            path = parent
    except OSError:
        pass
    return path


def read_disk(data_path: StrPath) -> tuple[DiskInfo, list[str]]:
    """Total and free GB (bytes // 1024**3) of the data partition."""
    path = clean(data_path)
    try:
        existing = nearest_existing(path)
    except (OSError, ValueError, RuntimeError) as exc:
        return DiskInfo(path=path, total_gb=0, free_gb=0), [
            f"disk size unknown: {path} cannot be resolved ({exc})"
        ]
    target = existing if is_dir(existing) else os.path.dirname(existing)
    try:
        # shutil.disk_usage's own arithmetic, without importing shutil (and with it
        # bz2, lzma and fnmatch) on status's path.
        vfs = os.statvfs(target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return DiskInfo(path=target, total_gb=0, free_gb=0), [
            f"disk size unknown: {target}: {reason}"
        ]
    return (
        DiskInfo(
            path=mount_point(target),
            total_gb=vfs.f_blocks * vfs.f_frsize // _GIB,
            free_gb=vfs.f_bavail * vfs.f_frsize // _GIB,
        ),
        [],
    )
