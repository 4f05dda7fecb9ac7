"""Issue 7.8 and 7.9: a hostile GPU tool costs bounded time and memory, and is not drift."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.hardware.gpus import probe_gpus
from app.hardware.gpus._run import MAX_GPUS, MAX_TEXT
from app.onboarding.controller import OnboardingController
from tests.conftest import HANG_S
from tests.fakes import fake_machine
from tests.tui.conftest import offer

MakeTool = Callable[[str, str], Path]
LINE = "{i}, NVIDIA GeForce RTX 3090, 24576, 23000, 550.54.14, GPU-{i}, 3, 41\n"


def _probe(timeout_s: float = HANG_S) -> Any:
    """The GPUs, with a timeout that only a hang reaches: a tool that is cut short says so
    ("printed more than"), one that ran into the timeout says "did not answer"."""
    return probe_gpus(timeout_s=timeout_s)


def test_endless_output_is_cut_and_the_tool_stopped(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", "exec /usr/bin/yes '0, GPU, 1, 1, d, u, 1, 1'\n")
    report = _probe()
    assert report.devices == ()  # type: ignore[attr-defined]
    assert "printed more than 1024 KB of output; it was stopped" in " ".join(report.problems)  # type: ignore[attr-defined]
    assert not report.readable  # type: ignore[attr-defined]


def test_one_huge_line_is_cut(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", "/usr/bin/head -c 10000000 /dev/zero | /usr/bin/tr '\\0' x\n")
    report = _probe()
    assert all(len(p) < 400 for p in report.problems)  # type: ignore[attr-defined]
    assert "printed more than" in " ".join(report.problems)  # type: ignore[attr-defined]


def test_endless_error_output_is_cut(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", "exec /usr/bin/yes oops >&2\n")
    report = _probe()
    assert "of error output" in " ".join(report.problems)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("indices", "says"),
    [((0, 1, 1), "a GPU index twice"), ((0, -1), "a negative GPU index")],
)
def test_repeated_or_negative_indices_are_a_tool_fault(
    no_nvml: object, fake_bin: MakeTool, indices: tuple[int, ...], says: str
) -> None:
    body = "".join(LINE.format(i=i) for i in indices)
    fake_bin("nvidia-smi", f"/bin/cat <<'EOF'\n{body}EOF\n")
    report = _probe()
    assert report.devices == ()  # type: ignore[attr-defined]
    assert says in " ".join(report.problems) and report.faults  # type: ignore[attr-defined]


def test_too_many_gpus_and_long_names_are_bounded(no_nvml: object, fake_bin: MakeTool) -> None:
    body = "".join(LINE.format(i=i) for i in range(MAX_GPUS + 1))
    fake_bin("nvidia-smi", f"/bin/cat <<'EOF'\n{body}EOF\n")
    report = _probe()
    assert report.devices == () and report.faults  # type: ignore[attr-defined]
    long = "0, " + "N" * 5000 + ", 1, 1, " + "d" * 5000 + ", u, 1, 1\n"
    fake_bin("nvidia-smi", f"/bin/cat <<'EOF'\n{long}EOF\n")
    report = _probe()
    (gpu,) = report.devices  # type: ignore[attr-defined]
    assert len(gpu.name) <= MAX_TEXT and len(gpu.driver) <= MAX_TEXT


def test_a_missing_tool_is_absence_not_a_fault(no_nvml: object, fake_bin: MakeTool) -> None:
    report = _probe()
    assert report.faults == () and report.readable  # type: ignore[attr-defined]


# -- 7.9: a broken GPU tool is not drift ------------------------------------------------
def _hung_probe_controller(state_dir: Path) -> OnboardingController:
    """Onboarded with GPU 0, then the GPU tool hangs: the probe reports a fault."""
    from app.hardware.model import GpuReport

    machine = fake_machine(gpus=1)
    ctl = OnboardingController(state_dir, probe=lambda: machine)
    ctl.onboard(offer(gpus=(0,)))
    hung = GpuReport(
        problems=("nvidia-smi did not answer in 5 s",), faults=("nvidia-smi did not answer in 5 s",)
    )
    broken = machine._replace(gpus=hung)
    return OnboardingController(state_dir, probe=lambda: broken)


def test_status_with_unreadable_gpus_says_so_and_keeps_them(state_dir: Path) -> None:
    ctl = _hung_probe_controller(state_dir)
    status = ctl.status()
    assert status.onboarded and status.problems == ()
    assert any("could not be read (nvidia-smi did not answer" in n for n in status.notes)


def test_a_cpu_change_goes_through_when_the_gpus_cannot_be_read(state_dir: Path) -> None:
    ctl = _hung_probe_controller(state_dir)
    metadata = ctl.change_offer({"cpu": 6000})
    assert metadata.reserved.cpu == 6000
    assert [g.index for g in metadata.gpu_info] == [0]  # the offered GPU is kept
    stored = ctl.current_offer()
    assert stored is not None and stored.gpus == (0,)
    with pytest.raises(Exception, match="gpu"):
        ctl.change_offer({"gpus": (0, 1)})  # a change of the GPUs needs them readable


def test_status_does_not_run_the_gpu_tools(state_dir: Path, fake_bin: MakeTool) -> None:
    ctl = OnboardingController(state_dir, probe=lambda: fake_machine(gpus=1))
    ctl.onboard(offer(gpus=(0,)))
    fresh = OnboardingController(state_dir)  # the real probe: GPUs only when asked
    ran = state_dir.parent / "nvidia-smi-ran"
    fake_bin("nvidia-smi", f"/usr/bin/touch {ran}\n/bin/sleep 30\n")
    status = fresh.status()
    assert not ran.exists()  # the tool was never started, however long status took
    assert any("were not checked" in n for n in status.notes)
