"""What nvidia-smi's and rocm-smi's answers become: the cards shown and each refusal.

The tools' output is the machine boundary: here it is given as text to the parsers, or
printed by a fake tool on PATH, and the tests pin the cards a user is shown (name,
vendor, VRAM as whole MB, missing readings as None) and the words of each refusal.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from app.hardware import probe_gpus
from app.hardware.gpus.nvidia_smi import parse_csv
from app.hardware.gpus.rocm_smi import parse_json
from tests.conftest import HANG_S
from tests.hardware.boundaries import make_fake_pynvml, write

MakeTool = Callable[[str, str], Path]
MakeNvml = Callable[..., types.ModuleType]
MiB = 1024**2
GiB = 1024**3


def smi_line(index: int = 0, name: str = "NVIDIA L4", rest: str = "23034, 22000") -> str:
    return f"{index}, {name}, {rest}, 550.54.14, GPU-{index:04d}, 5, 40"


def rocm(cards: dict[str, object]) -> str:
    return json.dumps(cards)


# --- nvidia-smi -------------------------------------------------------------------


def test_missing_driver_uuid_and_memory_readings() -> None:
    (gpu,) = parse_csv("0, , [N/A], [N/A], [N/A], , [N/A], [N/A]\n")
    assert (gpu.name, gpu.vendor) == ("NVIDIA GPU", "nvidia")
    assert (gpu.total_vram_mb, gpu.free_vram_mb) == (0, 0)
    assert (gpu.driver, gpu.uuid, gpu.utilisation_pct, gpu.temperature_c) == (
        None,
        None,
        None,
        None,
    )


def test_blank_lines_between_cards_are_skipped() -> None:
    text = smi_line(0) + "\n\n  \n" + smi_line(1) + "\n"
    assert [gpu.index for gpu in parse_csv(text)] == [0, 1]


def test_sixty_four_cards_are_read_and_sixty_five_refused() -> None:
    lines = [smi_line(i) for i in range(65)]
    assert len(parse_csv("\n".join(lines[:64]))) == 64
    with pytest.raises(ValueError) as caught:
        parse_csv("\n".join(lines))
    assert str(caught.value) == "it listed more than 64 GPUs"


def test_a_line_with_too_few_cells_is_quoted_cut_to_sixty_characters() -> None:
    line = "No devices were found on this machine, " + "x" * 80
    with pytest.raises(ValueError) as caught:
        parse_csv(line + "\n")
    shown = line[:57] + "..."
    assert str(caught.value) == f"unexpected line {shown!r}"


# --- rocm-smi ---------------------------------------------------------------------


def test_an_answer_that_is_only_the_json_object() -> None:
    text = rocm({"card0": {"Card Series": "Radeon Pro W7800", "VRAM Total Memory (B)": str(GiB)}})
    (gpu,) = parse_json(text)
    assert (gpu.index, gpu.name, gpu.vendor, gpu.total_vram_mb, gpu.free_vram_mb) == (
        0,
        "Radeon Pro W7800",
        "amd",
        1024,
        1024,
    )


def test_vram_is_whole_mb_rounded_down() -> None:
    total = 16 * GiB + MiB // 2  # half a MB more than 16 GiB
    used = 2 * GiB + MiB // 2
    (gpu,) = parse_json(
        rocm(
            {
                "card0": {
                    "VRAM Total Memory (B)": str(total),
                    "VRAM Total Used Memory (B)": str(used),
                }
            }
        )
    )
    assert f"{gpu.total_vram_mb} MB, {gpu.free_vram_mb} MB free" == "16384 MB, 14336 MB free"


def test_unreadable_or_impossible_vram_figures() -> None:
    cards = {
        "card0": {"VRAM Total Memory (B)": "lots", "VRAM Total Used Memory (B)": "0"},
        "card1": {"VRAM Total Memory (B)": str(GiB), "VRAM Total Used Memory (B)": str(2 * GiB)},
    }
    first, second = parse_json(rocm(cards))
    assert (first.total_vram_mb, first.free_vram_mb) == (0, 0)
    assert (second.total_vram_mb, second.free_vram_mb) == (1024, 0)  # used > total: none free


def test_an_empty_or_unknown_name_falls_through_to_the_next_key() -> None:
    cards = {
        "card0": {"Card Series": "", "Card SKU": "Radeon RX 6800"},
        "card1": {"Card Series": "N/A", "Card model": "Instinct MI300X"},
        "card2": {"Card Series": "N/A"},
    }
    assert [gpu.name for gpu in parse_json(rocm(cards))] == [
        "Radeon RX 6800",
        "Instinct MI300X",
        "AMD GPU",
    ]


def test_entries_that_are_not_cards_are_skipped_not_the_end() -> None:
    cards = {
        "system": {"Driver version": "6.7.0"},
        "card0": {"Card Series": "Radeon RX 7600"},
        "card1": "not an object",
        "card2": {"Card Series": "Radeon RX 7700"},
    }
    assert [(gpu.index, gpu.name) for gpu in parse_json(rocm(cards))] == [
        (0, "Radeon RX 7600"),
        (2, "Radeon RX 7700"),
    ]


def test_at_most_four_entries_a_gpu_are_read() -> None:
    padding = {f"note{i}": i for i in range(255)}
    cards = {**padding, "card0": {"Card Series": "Radeon RX 7600"}}
    assert len(cards) == 256
    assert [gpu.name for gpu in parse_json(rocm(cards))] == ["Radeon RX 7600"]
    with pytest.raises(ValueError) as caught:
        parse_json(rocm({**cards, "note255": 0}))
    assert str(caught.value) == "its JSON has 257 entries, far more than any machine's GPUs"


def test_rocm_smi_without_json_or_without_cards(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("rocm-smi", "echo 'WARNING: No AMD GPUs specified'\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[-1] == (
        "rocm-smi gave an answer we cannot read: no JSON object in its output"
    )
    fake_bin("rocm-smi", 'echo \'{"system": {"Driver version": "6.7.0"}}\'\n')
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[-1] == "rocm-smi found no AMD GPU"
    assert report.faults == ()  # no card is not a broken tool


# --- NVML -------------------------------------------------------------------------


def test_nvml_names_in_bytes_are_decoded_leniently_up_to_400_bytes(
    fake_nvml: MakeNvml, fake_bin: MakeTool
) -> None:
    card = {"uuid": "GPU-1", "total": GiB, "free": GiB, "util": 1, "temp": 30}
    fake_nvml(
        devices=[
            {**card, "name": b"Tesla \xff"},
            {**card, "name": ("\U0001f642" * 100).encode() + b"!"},
        ]
    )
    report = probe_gpus(timeout_s=HANG_S)
    assert [gpu.name for gpu in report.devices] == ["Tesla \ufffd", "\U0001f642" * 100]


def _nvml_card(**change: object) -> dict[str, object]:
    card: dict[str, object] = {
        "name": "NVIDIA L4",
        "uuid": "GPU-1",
        "total": 16 * GiB + MiB // 2,
        "free": 15 * GiB + MiB // 2,
        "util": 5,
        "temp": 40,
    }
    card.update(change)
    return card


def test_nvml_readings_a_card_does_not_support_are_none(
    fake_nvml: MakeNvml, fake_bin: MakeTool
) -> None:
    nvml = fake_nvml(devices=[_nvml_card(uuid=None, temp=None)])

    def unsupported() -> str:
        raise nvml.NVMLError_NotSupported()  # type: ignore[attr-defined]

    nvml.nvmlSystemGetDriverVersion = unsupported  # type: ignore[attr-defined]
    (gpu,) = probe_gpus(timeout_s=HANG_S).devices
    assert (gpu.driver, gpu.uuid, gpu.temperature_c, gpu.utilisation_pct) == (
        None,
        None,
        None,
        5.0,
    )
    assert f"{gpu.total_vram_mb} MB, {gpu.free_vram_mb} MB free" == "16384 MB, 15360 MB free"


def test_nvml_is_asked_for_the_gpu_temperature_sensor(
    fake_nvml: MakeNvml, fake_bin: MakeTool
) -> None:
    nvml = fake_nvml(devices=[_nvml_card()])

    def temperature(handle: int, sensor: object) -> int:
        if sensor != nvml.NVML_TEMPERATURE_GPU:  # type: ignore[attr-defined]
            raise nvml.NVMLError_NotSupported()  # type: ignore[attr-defined]
        return 40

    nvml.nvmlDeviceGetTemperature = temperature  # type: ignore[attr-defined]
    (gpu,) = probe_gpus(timeout_s=HANG_S).devices
    assert gpu.temperature_c == 40.0


def test_a_failed_nvml_shutdown_does_not_lose_the_cards(
    fake_nvml: MakeNvml, fake_bin: MakeTool
) -> None:
    nvml = fake_nvml(devices=[_nvml_card()])

    def shutdown() -> None:
        raise nvml.NVMLError_Unknown()  # type: ignore[attr-defined]

    nvml.nvmlShutdown = shutdown  # type: ignore[attr-defined]
    report = probe_gpus(timeout_s=HANG_S)
    assert [gpu.name for gpu in report.devices] == ["NVIDIA L4"]
    assert report.problems == ()


def test_nvml_with_64_and_with_65_cards(fake_nvml: MakeNvml, fake_bin: MakeTool) -> None:
    fake_nvml(devices=[_nvml_card() for _ in range(64)])
    assert len(probe_gpus(timeout_s=HANG_S).devices) == 64
    fake_nvml(devices=[_nvml_card() for _ in range(65)])
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[0] == (
        "NVML failed: ValueError: NVML reported 65 GPUs, more than the 64 we accept"
    )


def test_nvml_not_installed_is_said(monkeypatch: pytest.MonkeyPatch, fake_bin: MakeTool) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", None)  # `import pynvml` raises ImportError
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[0] == "NVML unavailable: nvidia-ml-py is not installed"
    assert report.faults == ()


def test_the_nvml_module_given_is_the_one_asked(no_nvml: object, fake_bin: MakeTool) -> None:
    given = make_fake_pynvml(devices=[_nvml_card()])
    report = probe_gpus(timeout_s=HANG_S, nvml=given)
    assert [gpu.name for gpu in report.devices] == ["NVIDIA L4"]
    assert given.state["init"] == 1  # type: ignore[attr-defined]


def test_nvml_that_blocks_is_given_up_after_the_probes_timeout(fake_bin: MakeTool) -> None:
    release = threading.Event()
    nvml = make_fake_pynvml(devices=[_nvml_card()])
    nvml.nvmlInit = lambda: release.wait(HANG_S * 2)  # type: ignore[attr-defined]
    started = time.monotonic()
    try:
        report = probe_gpus(timeout_s=0.3, nvml=nvml)
        elapsed = time.monotonic() - started
        # The stuck call is left in a daemon thread: it can never hold up the exit.
        stuck = [t for t in threading.enumerate() if t.name == "nvml-probe" and t.is_alive()]
        assert stuck and all(t.daemon for t in stuck)
    finally:
        release.set()
    assert report.problems[0] == "NVML did not answer in 0.3 s"
    assert elapsed < HANG_S  # given up on: the call itself would block until released


def test_an_nvml_binding_that_fails_to_load_is_a_fault_with_its_reason(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fake_bin: MakeTool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A broken pynvml install: importing it raises something other than ImportError.
    write(tmp_path / "site" / "pynvml.py", f"raise RuntimeError({'libnvidia-ml ' * 20!r})\n")
    monkeypatch.delitem(sys.modules, "pynvml", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with caplog.at_level(logging.DEBUG, logger="app.hardware.gpus"):
        report = probe_gpus(timeout_s=HANG_S)
    reason = "GPU probe failed: RuntimeError: " + ("libnvidia-ml " * 20)[:120]
    assert (report.devices, report.problems, report.faults) == ((), (reason,), (reason,))
    (record,) = [r for r in caplog.records if r.name == "app.hardware.gpus"]
    assert (record.levelno, record.getMessage()) == (logging.DEBUG, "GPU probe failed")
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError


@pytest.mark.parametrize(
    ("error", "problem", "fault"),
    [
        ("NVMLError(9)", "NVIDIA driver not loaded", False),
        ("NVMLError(12)", "NVML library not found", False),
        ("NVMLError_NoPermission()", "NVML: no permission to read the GPUs", True),
        ("NVMLError(999)", "NVML failed: NVML error 999", True),
    ],
)
def test_nvml_errors_by_code_say_whether_a_tool_broke(
    fake_nvml: MakeNvml, fake_bin: MakeTool, error: str, problem: str, fault: bool
) -> None:
    nvml = fake_nvml(devices=[_nvml_card()])
    name, _, code = error.partition("(")
    cls = getattr(nvml, name)

    def init() -> None:
        raise cls(int(code.rstrip(")"))) if code.rstrip(")") else cls()

    nvml.nvmlInit = init  # type: ignore[attr-defined]
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[0] == problem
    assert (problem in report.faults) == fault


def test_an_unexpected_nvml_failure_is_quoted(fake_nvml: MakeNvml, fake_bin: MakeTool) -> None:
    nvml = fake_nvml(devices=[_nvml_card()])
    nvml.nvmlDeviceGetCount = lambda: "two"  # type: ignore[attr-defined]
    report = probe_gpus(timeout_s=HANG_S)
    problem = "NVML failed: ValueError: invalid literal for int() with base 10: 'two'"
    assert report.problems[0] == problem
    assert problem in report.faults


def test_an_nvml_error_without_a_code(fake_nvml: MakeNvml, fake_bin: MakeTool) -> None:
    nvml = fake_nvml(devices=[_nvml_card()])

    class Odd(nvml.NVMLError):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            Exception.__init__(self)

        def __str__(self) -> str:
            return "odd"

    def init() -> None:
        raise Odd()

    nvml.nvmlInit = init  # type: ignore[attr-defined]
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[0] == "NVML failed: odd"
    assert report.problems[0] in report.faults
