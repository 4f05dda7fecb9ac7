"""``apply`` plans with the settings in use: the GPU probe waits ``gpu_timeout_s``.

The check used to run on a controller without settings, so a slow ``nvidia-smi``
that a provider had allowed 8 s (``NUNET_ONBOARD_GPU_TIMEOUT_S``) was cut off at
the default 5 s, and ``apply --check`` said the GPU could not be read while
``apply`` itself would have found it.
"""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import ETH_ADDRESS
from tests.hardware.boundaries import make_fake_pynvml

OFFER = f"""
cpu = "50%"
memory = "50%"
gpus = [0]
channel = "nunet-team"
address = "{ETH_ADDRESS}"
"""
ONE_GPU = "0, NVIDIA GeForce RTX 3090, 24576, 23000, 550.54.14, GPU-aaaa, 3, 41\n"


@pytest.fixture
def slow_nvidia_smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One GPU, named by an nvidia-smi that takes 1.5 s to answer; no NVML library."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "nvidia-smi"
    tool.write_text(f"#!/bin/sh\n/bin/sleep 1.5\n/bin/cat <<'EOF'\n{ONE_GPU}EOF\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir))
    fake = make_fake_pynvml(init_error="NVMLError_LibraryNotFound")
    monkeypatch.setitem(sys.modules, "pynvml", fake)


@pytest.mark.usefixtures("slow_nvidia_smi")
@pytest.mark.parametrize(("timeout", "finds_the_gpu"), [("1", False), ("4", True)])
def test_apply_check_waits_for_the_gpu_tool_as_long_as_configured(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    timeout: str,
    finds_the_gpu: bool,
) -> None:
    monkeypatch.setenv("NUNET_ONBOARD_GPU_TIMEOUT_S", timeout)
    offer = tmp_path / "offer.toml"
    offer.write_text(OFFER)
    state = tmp_path / "state"
    code = main(["apply", str(offer), "--check", "--json", "--state-dir", str(state)])
    out, err = capsys.readouterr()
    if finds_the_gpu:
        assert code == 0, err
        assert json.loads(out)["after"]["gpus"] == [0]
    else:
        assert code != 0  # cut off at the configured second: the default 5 s would wait for it
        assert "gpu 0 cannot be checked: the GPUs could not be read (nvidia-smi" in err
    assert not state.exists()  # a check writes nothing, not even a log
