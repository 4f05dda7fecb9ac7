"""Fixtures that fake the hardware boundaries: PATH with fake GPU tools, fake pynvml."""

from __future__ import annotations

import stat
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardware.boundaries import make_fake_pynvml, write


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Path]:
    """Make executables in a fresh directory that is the whole PATH.

    Nothing from the host (a real nvidia-smi or rocm-smi) can answer; scripts must use
    absolute paths (/bin/sleep) for the tools they call.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))

    def make(name: str, body: str) -> Path:
        script = write(bin_dir / name, "#!/bin/sh\n" + body)
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return script

    return make


@pytest.fixture
def fake_nvml(monkeypatch: pytest.MonkeyPatch) -> Callable[..., types.ModuleType]:
    """Install a fake `pynvml` in sys.modules: the probe's `import pynvml` gets it."""

    def install(**kwargs: object) -> types.ModuleType:
        mod = make_fake_pynvml(**kwargs)  # type: ignore[arg-type]
        monkeypatch.setitem(sys.modules, "pynvml", mod)
        return mod

    return install


@pytest.fixture
def no_nvml(fake_nvml: Callable[..., types.ModuleType]) -> types.ModuleType:
    """A machine without the NVML library, whatever the host has."""
    return fake_nvml(init_error="NVMLError_LibraryNotFound")
