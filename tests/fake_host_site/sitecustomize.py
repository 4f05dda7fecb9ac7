"""The boundaries of a fake host in a child process (tests only; see tests/fakes.py).

A command the tests run in a subprocess reads the fake host's /proc, /sys and cgroup
tree through NUNET_ONBOARD_HARDWARE_ROOT. Two boundaries cannot be pointed at a
directory: the kernel's statvfs of the data partition, and the NVML library. Python
imports this module at start-up when its directory is on PYTHONPATH; it stands in for
those two only where the test set the variables below.
"""

from __future__ import annotations

import os
import sys

_STATVFS = os.environ.get("NUNET_TEST_FAKE_STATVFS")
if _STATVFS:
    _figures = tuple(int(n) for n in _STATVFS.split(","))

    def _fake_statvfs(path: object) -> os.statvfs_result:
        return os.statvfs_result(_figures)

    os.statvfs = _fake_statvfs

if os.environ.get("NUNET_TEST_NO_NVML") == "1":
    sys.modules["pynvml"] = None  # type: ignore[assignment]  # `import pynvml` fails: no NVML
