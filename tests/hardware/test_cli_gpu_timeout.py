"""``capacity`` waits for a hung GPU tool as long as ``gpu_timeout_s`` says, from either place.

`app.cli.main(argv)` in this process; the boundaries are stand-ins: a fake
``nvidia-smi`` that hangs, alone on PATH, and no NVML library (tests/hardware/conftest.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.helpers import main_cli
from tests.conftest import HANG_S


@pytest.mark.parametrize("where", ["environment", "config file"])
def test_capacity_gives_a_hung_nvidia_smi_the_gpu_timeout_setting(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    no_nvml: object,
    fake_bin: Callable[[str, str], Path],
    where: str,
) -> None:
    """It used to wait the default 5 s whatever was set (light_controller ignored it)."""
    fake_bin("nvidia-smi", "exec /bin/sleep 120\n")
    config = tmp_path / "config.toml"
    config.write_text("gpu_timeout_s = 0.4\n" if where == "config file" else "")
    monkeypatch.setenv("NUNET_ONBOARD_CONFIG", str(config))
    if where == "environment":
        monkeypatch.setenv("NUNET_ONBOARD_GPU_TIMEOUT_S", "0.4")
    start = time.monotonic()
    code, out, err = main_cli(capsys, "capacity", "--state-dir", str(tmp_path / "state"))
    took = time.monotonic() - start
    assert (code, err) == (0, "")
    assert "; nvidia-smi did not answer in 0.4 s;" in out
    assert took < HANG_S  # the setting's 0.4 s (said above), not the tool's two minutes
