"""GPU discovery with faked boundaries: a fake `pynvml` module and fake tools on PATH."""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from app.hardware import probe_gpus
from app.hardware.gpus.nvidia_smi import parse_csv
from app.hardware.gpus.nvml import probe_nvml
from app.hardware.gpus.rocm_smi import parse_json
from tests.conftest import HANG_S
from tests.hardware.boundaries import make_fake_pynvml, pid_alive

MakeTool = Callable[[str, str], Path]
MakeNvml = Callable[..., types.ModuleType]

SMI_ANSWER = (
    "0, NVIDIA GeForce RTX 3090, 24576, 23000, 550.54.14, GPU-aaaa, 3, 41\n"
    "1, NVIDIA A100-SXM4-80GB, 81920, 81000, 550.54.14, GPU-bbbb, [N/A], [Not Supported]\n"
)
DRIVER_ERROR = (
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
    "Make sure that the latest NVIDIA driver is installed and running."
)
CARD = {
    "name": "NVIDIA H100 80GB HBM3",
    "uuid": "GPU-1234",
    "total": 80 * 1024**3,
    "free": 79 * 1024**3,
    "util": 7,
    "temp": 33,
}


# --- NVML -------------------------------------------------------------------------


def test_nvml_lists_devices_and_shuts_down(fake_nvml: MakeNvml, fake_bin: MakeTool) -> None:
    nvml = fake_nvml(devices=[CARD, {**CARD, "name": b"Old bytes name", "util": None}])
    report = probe_gpus(timeout_s=HANG_S)
    assert report.source == "nvml"
    assert report.problems == ()
    first, second = report.devices
    assert (first.index, first.name, first.vendor) == (0, "NVIDIA H100 80GB HBM3", "nvidia")
    assert (first.total_vram_mb, first.free_vram_mb) == (81920, 80896)
    assert (first.driver, first.uuid, first.utilisation_pct, first.temperature_c) == (
        "550.54.14",
        "GPU-1234",
        7.0,
        33.0,
    )
    assert second.name == "Old bytes name"
    assert second.utilisation_pct is None  # not supported by that card: not a failure
    assert nvml.state == {"init": 1, "shutdown": 1}


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("NVMLError_LibraryNotFound", "NVML library not found"),
        ("NVMLError_DriverNotLoaded", "NVIDIA driver not loaded"),
        ("NVMLError_NoPermission", "NVML: no permission to read the GPUs"),
        ("NVMLError_Unknown", "NVML failed: NVML error 999"),
    ],
)
def test_nvml_failures_are_explained(error: str, reason: str) -> None:
    devices, problem = probe_nvml(HANG_S, make_fake_pynvml(init_error=error))
    assert (devices, problem) == ([], reason)


def test_nvml_with_no_card() -> None:
    assert probe_nvml(HANG_S, make_fake_pynvml(devices=[])) == ([], "NVML found no NVIDIA GPU")


def test_nvml_that_blocks_is_abandoned_after_the_timeout() -> None:
    nvml = make_fake_pynvml(devices=[CARD])
    release = threading.Event()
    nvml.nvmlInit = lambda: release.wait(HANG_S * 2)  # type: ignore[attr-defined]
    started = time.monotonic()
    try:
        devices, problem = probe_nvml(0.2, nvml)
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert elapsed < HANG_S  # abandoned: the call itself blocks until released
    assert (devices, problem) == ([], "NVML did not answer in 0.2 s")


def test_nvml_unexpected_exception_becomes_a_problem(capfd: pytest.CaptureFixture[str]) -> None:
    nvml = make_fake_pynvml(devices=[CARD])
    nvml.nvmlDeviceGetCount = lambda: "two"  # type: ignore[attr-defined]
    devices, problem = probe_nvml(HANG_S, nvml)
    assert devices == []
    assert problem is not None and problem.startswith("NVML failed: ValueError")
    assert capfd.readouterr() == ("", "")


# --- nvidia-smi -------------------------------------------------------------------


def test_nvidia_smi_answers_when_nvml_is_missing(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", f"/bin/cat <<'EOF'\n{SMI_ANSWER}EOF\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert report.source == "nvidia-smi"
    assert report.problems == ()  # NVML's absence was made good by nvidia-smi
    first, second = report.devices
    assert (first.index, first.name, first.total_vram_mb, first.free_vram_mb) == (
        0,
        "NVIDIA GeForce RTX 3090",
        24576,
        23000,
    )
    assert (first.driver, first.uuid, first.utilisation_pct, first.temperature_c) == (
        "550.54.14",
        "GPU-aaaa",
        3.0,
        41.0,
    )
    assert (second.utilisation_pct, second.temperature_c) == (None, None)


def test_nvidia_smi_driver_error_exit_9(
    no_nvml: object, fake_bin: MakeTool, capfd: pytest.CaptureFixture[str]
) -> None:
    fake_bin("nvidia-smi", f"/bin/cat >&2 <<'EOF'\n{DRIVER_ERROR}\nEOF\nexit 9\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert report.devices == ()
    assert report.source is None
    assert report.problems == (
        "NVML library not found",
        f"nvidia-smi failed: {DRIVER_ERROR}",
        "rocm-smi not found",
    )
    assert capfd.readouterr() == ("", "")  # the tool's stderr never reaches the terminal


def test_nvidia_smi_that_hangs_is_killed_after_the_timeout(
    no_nvml: object, fake_bin: MakeTool, tmp_path: Path
) -> None:
    pid_file = tmp_path / "child.pid"
    # The wrapper's child must die too, or it would keep our pipes open.
    fake_bin("nvidia-smi", f"/bin/sleep 120 &\necho $! > {pid_file}\nwait\n")
    started = time.monotonic()
    report = probe_gpus(timeout_s=0.5)
    elapsed = time.monotonic() - started
    assert elapsed < HANG_S  # not the child's two minutes
    assert "nvidia-smi did not answer in 0.5 s" in report.problems
    assert report.devices == ()
    child = int(pid_file.read_text())
    deadline = time.monotonic() + HANG_S
    while pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not pid_alive(child)


def test_nothing_installed_says_so(no_nvml: object, fake_bin: MakeTool) -> None:
    report = probe_gpus(timeout_s=HANG_S)
    assert report.probed
    assert report.problems == (
        "NVML library not found",
        "nvidia-smi not found",
        "rocm-smi not found",
    )


def test_nvidia_smi_answer_we_cannot_read(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", "echo 'No devices were found'\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert any(p.startswith("nvidia-smi gave an answer we cannot read") for p in report.problems)


def test_parse_csv_glues_a_name_with_a_comma() -> None:
    (gpu,) = parse_csv("3, Tesla K80, rev 2, 11441, 11000, 470.1, GPU-x, 0, 30\n")
    assert (gpu.index, gpu.name, gpu.total_vram_mb) == (3, "Tesla K80, rev 2", 11441)


# --- rocm-smi ---------------------------------------------------------------------

ROCM_JSON = """WARNING: AMD GPU device(s) is/are in a low-power state. Check power control/runtime_status
{"card0": {"Card Series": "Radeon RX 7900 XTX", "Card Vendor": "Advanced Micro Devices, Inc.",
"VRAM Total Memory (B)": "25753026560", "VRAM Total Used Memory (B)": "1073741824"},
"card1": {"Card series": "Instinct MI210", "VRAM Total Memory (B)": "68702699520",
"VRAM Total Used Memory (B)": "0"}, "system": {"Driver version": "6.7.0"}}
"""


def test_rocm_smi_devices(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("rocm-smi", f"/bin/cat <<'EOF'\n{ROCM_JSON}EOF\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert report.source == "rocm-smi"
    assert report.problems == ()  # an AMD machine has no use for NVIDIA's tools
    names = [(d.index, d.name, d.vendor, d.total_vram_mb, d.free_vram_mb) for d in report.devices]
    assert names == [
        (0, "Radeon RX 7900 XTX", "amd", 24560, 23536),
        (1, "Instinct MI210", "amd", 65520, 65520),
    ]


def test_rocm_smi_that_hangs(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("rocm-smi", "exec /bin/sleep 120\n")
    started = time.monotonic()
    report = probe_gpus(timeout_s=0.3)
    assert time.monotonic() - started < HANG_S  # not the tool's two minutes
    assert report.problems[-1] == "rocm-smi did not answer in 0.3 s"


def test_rocm_smi_failure_is_kept_beside_nvidia_cards(
    fake_nvml: MakeNvml, fake_bin: MakeTool
) -> None:
    fake_nvml(devices=[CARD])
    fake_bin("rocm-smi", "echo 'ERROR: GPU[0] : Unable to open device' >&2\nexit 2\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert report.source == "nvml"
    assert report.problems == ("rocm-smi failed: ERROR: GPU[0] : Unable to open device",)


def test_parse_json_rejects_non_json() -> None:
    with pytest.raises(ValueError):
        parse_json("rocm-smi: command failed")


def test_probe_gpus_never_raises(monkeypatch: pytest.MonkeyPatch, fake_bin: MakeTool) -> None:
    import app.hardware.gpus.nvml as nvml_module

    def explode(timeout_s: float, nvml: object = None) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(nvml_module, "probe_nvml", explode)
    report = probe_gpus(timeout_s=HANG_S)
    assert report.devices == ()
    assert report.problems == ("GPU probe failed: RuntimeError: boom",)


def test_amd_cards_follow_nvidia_cards_in_one_index_space(
    fake_nvml: MakeNvml, fake_bin: MakeTool
) -> None:
    fake_nvml(devices=[CARD])
    fake_bin("rocm-smi", f"/bin/cat <<'EOF'\n{ROCM_JSON}EOF\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert [(d.index, d.vendor) for d in report.devices] == [(0, "nvidia"), (1, "amd"), (2, "amd")]
    assert report.source == "nvml+rocm-smi"
