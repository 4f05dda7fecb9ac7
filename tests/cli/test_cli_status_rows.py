"""status, info, capacity and offboard in this process, row by row as a person reads them.

`app.cli.main(argv)` on a real state directory and this machine's real hardware; a
terminal on stdin (tests.cli.helpers.Terminal) stands in for the person who answers.
Every label, unit and exit code of these commands is checked.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.onboarding.identity import KEY_FILE
from tests.cli.helpers import Terminal, main_cli, main_json, smallest_offer
from tests.conftest import ETH_ADDRESS
from tests.fakes import FakeHost
from tests.hardware.boundaries import make_fake_pynvml

Capsys = pytest.CaptureFixture[str]


def table(title: str | None, width: int, rows: list[tuple[str, object]]) -> str:
    """The text of a two-column table: the labels padded to ``width``, two spaces each side."""
    head = f"{title}\n" if title else ""
    return head + "".join(f"  {label:<{width}}  {value}\n" for label, value in rows)


def no_nvml() -> object:
    """The NVML library, missing: whatever the host has, only the tools on PATH answer."""
    return make_fake_pynvml(init_error="NVMLError_LibraryNotFound")


def onboard(capsys: Capsys, machine: dict[str, Any], state: str, *extra: str) -> dict[str, Any]:
    """Onboard with the smallest offer this machine allows; DMS's metadata back."""
    metadata: dict[str, Any] = main_json(capsys, *smallest_offer(machine, state, "--yes", *extra))
    return metadata


def uuid_of(out: str) -> str:
    found = re.search(r"^  Machine UUID       (\S+)$", out, re.M)
    assert found, out
    assert found[1] == "unknown" or re.fullmatch(
        r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", found[1]
    )
    return found[1]


# -- status ------------------------------------------------------------------------


def test_status_of_a_machine_not_onboarded(capsys: Capsys, state: str) -> None:
    code, out, err = main_cli(capsys, "status", "--state-dir", state)
    assert (code, err) == (0, "")
    assert out == table(
        "Onboarding status",
        17,
        [
            ("Onboarded", "no"),
            ("Available to jobs", "no"),
            ("Channel", "-"),
            ("Node id", "-"),
            ("Payment address", "-"),
            ("Reserved", "-"),
            ("Machine UUID", uuid_of(out)),
            ("State file", f"{state}/state.json"),
            ("Metadata file", f"{state}/metadataV2.json"),
        ],
    )
    # --check: not onboarded is not all well, in the table and in JSON alike
    assert main_cli(capsys, "status", "--check", "--state-dir", state)[0] == 1
    code, out, _ = main_cli(capsys, "status", "--check", "--json", "--state-dir", state)
    assert code == 1 and '"onboarded": false' in out
    # the same line through argparse (an option before the command is argparse's)
    code, out, _ = main_cli(capsys, "--state-dir", state, "status", "--check", "--json")
    assert code == 1 and '"onboarded": false' in out


def test_status_of_an_onboarded_machine(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    metadata = onboard(capsys, machine, state)
    last = json.loads(Path(state, "state.json").read_text())["history"][-1]
    code, out, err = main_cli(capsys, "status", "--check", "--state-dir", state)
    assert (code, err) == (0, "")
    assert out == table(
        "Onboarding status",
        17,
        [
            ("Onboarded", "yes"),
            ("Available to jobs", "yes"),
            ("Channel", "nunet-team"),
            ("Node id", metadata["node_id"]),
            ("Payment address", ETH_ADDRESS),
            ("Reserved", f"{machine['cpu_min']} MHz, {machine['mem_min']} MB"),
            ("Machine UUID", uuid_of(out)),
            ("Last change", f"onboard: {last['detail']} ({last['time'][:19]})"),
            ("State file", f"{state}/state.json"),
            ("Metadata file", f"{state}/metadataV2.json"),
        ],
    )
    data = main_json(capsys, "status", "--check", "--state-dir", state)
    assert data["onboarded"] is True and data["is_available"] is True
    assert data["reserved_cpu"] == machine["cpu_min"] and data["problems"] == []


def test_status_of_a_machine_that_takes_no_jobs(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state, "--unavailable")
    code, out, _ = main_cli(capsys, "status", "--state-dir", state)
    assert code == 0
    assert "  Onboarded          yes\n  Available to jobs  no\n" in out


def test_a_problem_is_shown_with_its_fix_and_fails_the_check(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    (Path(state) / "metadataV2.json").unlink()
    code, out, err = main_cli(capsys, "status", "--state-dir", state)
    assert (code, err) == (0, "")  # without --check, a problem is reported, not an exit code
    assert "  Onboarded          yes\n" in out
    assert out.endswith(
        f"  problem: {state}/metadataV2.json is missing; it is derived from {state}/state.json, "
        "which is what counts\n"
        "    fix: it is rewritten by the next onboard, resource-config or apply; "
        "'nunet-onboard offboard --force' moves a directory in its place aside\n"
    )
    # onboarded, but with a problem: --check fails, in the table and in JSON
    assert main_cli(capsys, "status", "--check", "--state-dir", state)[0] == 1
    code, out, _ = main_cli(capsys, "status", "--check", "--json", "--state-dir", state)
    assert code == 1 and '"kind": "metadata_file"' in out
    assert main_cli(capsys, "status", "--json", "--state-dir", state)[0] == 0


def test_a_missing_identity_is_a_problem_and_not_onboarded(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    (Path(state) / KEY_FILE).unlink()
    code, out, _ = main_cli(capsys, "status", "--check", "--state-dir", state)
    assert code == 1
    assert "  Onboarded          no\n  Available to jobs  no\n" in out
    assert (
        f"  problem: the metadata is present but the node identity {state}/{KEY_FILE} is missing\n"
        "    fix: run 'nunet-onboard offboard --force', then onboard again\n"
    ) in out


def test_a_note_is_shown_and_does_not_fail_the_check(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    leftover = Path(state) / ".state.json.abc.tmp"
    leftover.write_text("{}")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    code, out, _ = main_cli(capsys, "status", "--check", "--state-dir", state)
    assert code == 0  # a note is worth knowing, not a problem
    assert out.endswith(
        "  note: 1 temporary file(s) left by an interrupted write, e.g. .state.json.abc.tmp; "
        "the next change removes them (or remove them by hand)\n"
    )
    assert "problem:" not in out


# -- info ---------------------------------------------------------------------------


def test_info_shows_the_metadata_with_units(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    md = onboard(capsys, machine, state, "--cardano=false")
    code, out, err = main_cli(capsys, "info", "--state-dir", state)
    assert (code, err) == (0, "")
    stamp = md["update_timestamp"]
    moment = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert out == table(
        "Metadata",
        19,
        [
            ("Name", md["name"]),
            ("Node id", md["node_id"]),
            ("Channel", "nunet-team"),
            ("Payment address", ETH_ADDRESS),
            ("Reserved CPU", f"{machine['cpu_min']} MHz of {machine['cpu']} MHz"),
            ("Reserved memory", f"{machine['mem_min']} MB of {machine['memory']} MB"),
            (
                "Left for the host",
                f"{machine['cpu'] - machine['cpu_min']} MHz, "
                f"{machine['memory'] - machine['mem_min']} MB",
            ),
            ("Cores", machine["total_cores"]),
            ("GPUs of the machine", ", ".join(g["name"] for g in machine["gpus"]) or "none"),
            ("Cardano", "no"),
            ("NTX price", "0.25 NTX/min"),
            ("Updated", f"{moment} UTC ({stamp})"),
        ],
    )
    assert main_json(capsys, "info", "--state-dir", state) == md


def test_info_says_yes_for_a_cardano_node(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state, "--cardano", "--cpu", str(machine["cpu_max"]),
            "--memory", str(machine["mem_max"]))  # fmt: skip
    code, out, err = main_cli(capsys, "info", "--state-dir", state)
    assert (code, err) == (0, "")
    assert "\n  Cardano              yes\n" in out


# -- capacity -----------------------------------------------------------------------


def test_capacity_json_gives_the_ranges_a_script_needs(machine: dict[str, Any]) -> None:
    assert set(machine["allowed"]) == {"cpu", "memory", "cores", "disk", "gpus"}
    assert machine["allowed"]["cpu"]["unit"] == "MHz"
    assert machine["allowed"]["memory"]["unit"] == "MB"
    assert machine["allowed"]["cores"] == {"min": 1, "max": machine["total_cores"]}
    assert machine["allowed"]["disk"] == {"min": 0, "max": machine["disk_free_gb"], "unit": "GB"}
    assert machine["allowed"]["gpus"] == [g["index"] for g in machine["gpus"]]
    for gpu in machine["gpus"]:
        assert set(gpu) == {"index", "name", "tot_vram"}


def test_capacity_table_row_by_row(capsys: Capsys, state: str, machine: dict[str, Any]) -> None:
    code, out, _ = main_cli(capsys, "capacity", "--full", "--state-dir", state)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Machine capacity (Provisioned)"
    cores = machine["total_cores"]
    per_core = re.escape(f"{machine['cpu']} MHz ({cores} cores x ")
    assert re.fullmatch(rf"  CPU {{19}}{per_core}\d+ MHz\)", lines[1]), lines[1]
    mem = machine["memory"]
    assert lines[2:5] == [
        f"  CPU you can offer     {machine['cpu_min']}-{machine['cpu_max']} MHz",
        f"  Memory                {mem} MB ({mem / 1024:.1f} GiB)",
        f"  Memory you can offer  {machine['mem_min']}-{machine['mem_max']} MB",
    ]
    assert lines[5] == f"  Cores you can offer   1-{cores}"
    assert re.fullmatch(
        rf"  Disk free {{13}}{machine['disk_free_gb']} GB of \d+ GB \(/.*\)", lines[6]
    )
    assert lines[7] == f"  Disk you can offer    0-{machine['disk_free_gb']} GB"
    assert lines[8].startswith("  GPUs                  ")
    assert lines[9:] == ["  Container limits      apply"]  # the fake host's quota and limit


@pytest.mark.parametrize(
    "fake_host",
    [FakeHost(cpu_quota=None, cpuset=None, memory_max=None)],
    indirect=True,
    ids=["no-limits"],
)
def test_capacity_of_a_machine_without_container_limits_has_no_such_row(
    capsys: Capsys, state: str
) -> None:
    code, out, _ = main_cli(capsys, "capacity", "--full", "--state-dir", state)
    assert code == 0 and "Container limits" not in out


def test_capacity_names_each_gpu(
    capsys: Capsys, state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two GPUs from a fake nvidia-smi on PATH (the machine's boundary), no NVML library."""
    monkeypatch.setitem(sys.modules, "pynvml", no_nvml())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "nvidia-smi"
    line = "{i}, NVIDIA GeForce RTX 3090, 24576, 23000, 550.54.14, GPU-{i}, 3, 41\n"
    tool.write_text(f"#!/bin/sh\n/bin/cat <<'EOF'\n{line.format(i=0)}{line.format(i=1)}EOF\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    code, out, _ = main_cli(capsys, "capacity", "--state-dir", state)
    assert code == 0
    assert (
        "  GPUs                  0: NVIDIA GeForce RTX 3090 (24576 MiB), "
        "1: NVIDIA GeForce RTX 3090 (24576 MiB)\n"
    ) in out
    data = main_json(capsys, "capacity", "--state-dir", state)
    assert data["gpus"] == [
        {"index": 0, "name": "NVIDIA GeForce RTX 3090", "tot_vram": 24576},
        {"index": 1, "name": "NVIDIA GeForce RTX 3090", "tot_vram": 24576},
    ]
    assert data["allowed"]["gpus"] == [0, 1]


def test_capacity_without_gpu_tools_says_why_there_are_none(
    capsys: Capsys, state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", no_nvml())
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, out, _ = main_cli(capsys, "capacity", "--state-dir", state)
    assert code == 0
    assert re.search(r"^  GPUs {18}none \(.*nvidia-smi not found; .*\)$", out, re.M), out


@pytest.mark.parametrize(
    ("fake_host", "clock"),
    [(FakeHost(), "2596.14 MHz"), (FakeHost(mhz=2100.0), "2100 MHz")],
    indirect=["fake_host"],
    ids=["fractional-clock", "whole-clock"],
)
def test_available_capacity_with_units(
    capsys: Capsys, state: str, fake_host: FakeHost, machine: dict[str, Any], clock: str
) -> None:
    onboard(capsys, machine, state)
    data = main_json(capsys, "capacity", "--available", "--state-dir", state)
    code, out, err = main_cli(capsys, "capacity", "--available", "--state-dir", state)
    assert (code, err) == (0, "")
    assert out == table(
        "Available capacity (what the node offers to jobs)",
        14,
        [
            ("CPU offered", f"{data['tot_cpu_hz']} MHz"),
            ("Cores", data["cpu_no"]),
            ("Clock per core", f"{data['cpu_hz']:g} MHz"),
            ("Virtual CPUs", data["vcpu"]),
            ("Memory offered", f"{data['ram']} MB"),
            ("Disk offered", f"{data['disk']} GB"),
            ("NTX price", "0.25 NTX/min"),
        ],
    )
    assert out.splitlines()[3] == f"  Clock per core  {clock}"  # as measured: not 2596, not 2100.0


def test_onboarded_capacity(capsys: Capsys, state: str, machine: dict[str, Any]) -> None:
    onboard(capsys, machine, state)
    code, out, _ = main_cli(capsys, "capacity", "--onboarded", "--state-dir", state)
    mem = machine["mem_min"]
    assert code == 0
    assert out == table(
        "Onboarded capacity (reserved for NuNet)",
        6,
        [("CPU", f"{machine['cpu_min']} MHz"), ("Memory", f"{mem} MB ({mem / 1024:.1f} GiB)")],
    )


@pytest.mark.parametrize(
    ("flag", "what"), [("--available", "available"), ("--onboarded", "onboarded")]
)
def test_capacity_of_a_machine_not_onboarded_says_which(
    capsys: Capsys, state: str, flag: str, what: str
) -> None:
    code, out, err = main_cli(capsys, "capacity", flag, "--state-dir", state)
    assert (code, out) == (1, "")
    assert err == (
        f"nunet-onboard: error: this machine is not onboarded, so showing the {what} capacity "
        "is not possible; onboard first\n"
    )


# -- offboard -----------------------------------------------------------------------


def test_offboard_tells_what_goes_and_what_stays(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    code, out, err = main_cli(capsys, "offboard", "--yes", "--state-dir", state)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Offboarded."
    assert "  removed: the offer, metadata and available resources" in lines
    assert f"  removed: the node identity {state}/{KEY_FILE}" in lines
    assert any(line.startswith("  kept: ") for line in lines)
    assert all(line.startswith(("  removed: ", "  kept: ")) for line in lines[1:])
    assert not (Path(state) / KEY_FILE).exists()


def test_offboard_json(capsys: Capsys, state: str, machine: dict[str, Any]) -> None:
    onboard(capsys, machine, state)
    data = main_json(capsys, "offboard", "--yes", "--state-dir", state)
    assert set(data) == {"removed", "kept", "failed"}
    assert data["failed"] == [] and len(data["removed"]) >= 2 and data["kept"]


def ask_offboard(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    answer: str,
    before: Callable[[], None] | None = None,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", Terminal(answer, before))
    return main_cli(capsys, "offboard", "--state-dir", state)


def test_offboard_asks_and_a_no_keeps_everything(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    code, out, err = ask_offboard(capsys, monkeypatch, state, "n\n")
    assert code == 1
    assert err == "nunet-onboard: not offboarded: cancelled\n"
    lines = out.splitlines()
    assert lines[0] == "Offboarding will remove:"
    assert lines[1].startswith("  - the offer and metadata (cpu ")
    assert lines[lines.index("and keep:") + 1] == "  - the history of actions"
    assert lines[-2].startswith("  - ") and lines[-1] == "Offboard this machine? [y/N] "
    assert (Path(state) / KEY_FILE).exists()
    assert main_json(capsys, "status", "--state-dir", state)["onboarded"] is True


@pytest.mark.parametrize("answer", ["y\n", " YES \n"])
def test_offboard_asks_and_a_yes_offboards(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    machine: dict[str, Any],
    answer: str,
) -> None:
    onboard(capsys, machine, state)
    code, out, _ = ask_offboard(capsys, monkeypatch, state, answer)
    assert code == 0 and "Offboard this machine? [y/N] Offboarded.\n" in out
    assert not (Path(state) / KEY_FILE).exists()


def test_offboard_with_nothing_onboarded_says_so_before_asking(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    code, out, _ = ask_offboard(capsys, monkeypatch, state, "")  # no answer: end of input
    assert code == 1
    assert out.startswith("Offboarding will remove:\n  - nothing (not onboarded)\nand keep:\n")


def test_offboard_refuses_when_the_state_changed_while_asking(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    from app.cli import main

    def another_user_changes_the_price() -> None:
        assert main(["resource-config", "-x", "0.5", "--state-dir", state]) == 0

    code, _, err = ask_offboard(capsys, monkeypatch, state, "y\n", another_user_changes_the_price)
    assert code == 1 and "nunet-onboard: error: " in err
    assert (Path(state) / KEY_FILE).exists()  # nothing was offboarded
    assert main_json(capsys, "capacity", "--available", "--state-dir", state)["ntx_price"] == 0.5


def test_offboard_with_force_does_not_ask_about_a_change(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    """--force without --yes still asks, but takes no revision: a change meanwhile is offboarded."""
    onboard(capsys, machine, state)
    from app.cli import main

    def another_user_changes_the_price() -> None:
        assert main(["resource-config", "-x", "0.5", "--state-dir", state]) == 0

    monkeypatch.setattr(sys, "stdin", Terminal("y\n", another_user_changes_the_price))
    code, out, _ = main_cli(capsys, "offboard", "--force", "--state-dir", state)
    assert code == 0 and "\nOffboarded.\n" in out
    assert not (Path(state) / KEY_FILE).exists()


def test_offboard_without_the_lock_keeps_the_onboarding_and_status_says_how_to_mend_it(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    """No state can be written without the lock, so even a forced offboard keeps the key
    and the metadata file (the state still names them), and status's check fails with
    the one fix that works."""
    onboard(capsys, machine, state)
    lock = Path(state) / ".state.lock"
    lock.unlink()
    lock.mkdir()  # the lock file cannot be opened: no lock can be taken
    said = (
        f"the lock file {lock} is a directory, so no command can write the state "
        "(offboard --force included)"
    )
    fix = f"remove that directory (rm -r {lock}); the next write makes a new lock file"
    code, out, err = main_cli(capsys, "offboard", "--yes", "--state-dir", state)
    assert (code, out, err) == (1, "", f"nunet-onboard: error: {said}\n")
    assert (Path(state) / KEY_FILE).exists()

    code, out, err = main_cli(capsys, "offboard", "--yes", "--force", "--state-dir", state)
    assert code == 1  # nothing could be offboarded
    lines = out.splitlines()
    assert lines[0] == "Offboarded, with problems:"
    assert not [line for line in lines if line.startswith("  removed: ")]
    assert lines[-2:] == [
        f"  failed: worked without the state lock: {said}",
        "  failed: the node identity and DMS's metadata file were kept: the state file could "
        "not be written, and it may still name them",
    ]
    assert (Path(state) / KEY_FILE).exists() and (Path(state) / "metadataV2.json").exists()

    code, out, _ = main_cli(capsys, "status", "--check", "--state-dir", state)
    assert code == 1 and "  Onboarded          yes\n" in out
    assert out.endswith(f"  problem: {said}\n    fix: {fix}\n")
    lock.rmdir()
    assert main_cli(capsys, "offboard", "--yes", "--state-dir", state)[0] == 0
    assert not (Path(state) / KEY_FILE).exists()


def test_offboard_json_with_problems_exits_1(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    lock = Path(state) / ".state.lock"
    lock.unlink()
    lock.mkdir()
    code, out, _ = main_cli(capsys, "offboard", "--yes", "--force", "--json", "--state-dir", state)
    assert code == 1
    assert '"failed": [\n    "worked without the state lock: ' in out


def test_available_capacity_shows_the_price_as_given(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state, "-x", "0.1234567")
    code, out, _ = main_cli(capsys, "capacity", "--available", "--state-dir", state)
    assert code == 0 and out.endswith("  NTX price       0.1234567 NTX/min\n")


@pytest.mark.parametrize(
    "argv",
    [["status"], ["capacity"], ["info"], ["capacity", "--available"], ["offboard", "--yes"]],
)
def test_json_is_indented_by_two(
    capsys: Capsys, state: str, machine: dict[str, Any], argv: list[str]
) -> None:
    import json

    onboard(capsys, machine, state)
    code, out, _ = main_cli(capsys, *argv, "--json", "--state-dir", state)
    assert code == 0 and out == json.dumps(json.loads(out), indent=2) + "\n"


def test_status_says_what_the_last_change_changed_and_only_that(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    onboard(capsys, machine, state)
    code, out, err = main_cli(capsys, "resource-config", "-x", "0.5", "--state-dir", state)
    assert code == 0, (out, err)
    out = main_cli(capsys, "status", "--state-dir", state)[1]
    line = next(x for x in out.splitlines() if x.startswith("  Last change"))
    assert "resource-config: ntx_price 0.25 → 0.5 NTX/min (" in line
    assert "cpu" not in line and "memory" not in line
