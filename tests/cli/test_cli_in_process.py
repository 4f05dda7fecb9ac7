"""The command line in this process: `app.cli.main(argv)` on real hardware and a tmp state.

The subprocess tests (test_cli_onboarding.py) are the user's view; these run the same
entry point in-process, so that mutation testing (benchmarks/mutation.py) sees which
CLI code a test reaches. They check what a script or a person relies on:
exit codes, DMS field names in --json, the labels and units of the tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.onboarding.rules import total_text
from tests.cli.helpers import main_cli, main_json, smallest_offer
from tests.conftest import ETH_ADDRESS

cli = main_cli
"""Run one command in this process (argparse's own exits become their exit code)."""
cli_json = main_json


def onboard_argv(machine: dict[str, Any], state: str, *extra: str) -> list[str]:
    return smallest_offer(machine, state, "--yes", *extra)


def test_capacity_json_has_the_machine_totals(machine: dict[str, Any]) -> None:
    assert set(machine) >= {"cpu", "memory", "total_cores", "disk_free_gb", "gpus"}
    assert machine["cpu"] > 0 and machine["memory"] > 0 and machine["total_cores"] >= 1
    assert isinstance(machine["gpus"], list)


def test_capacity_table_shows_what_can_be_offered(
    capsys: pytest.CaptureFixture[str], state: str, machine: dict[str, Any]
) -> None:
    code, out, _ = cli(capsys, "capacity", "--state-dir", state)
    assert code == 0
    assert out.startswith("Machine capacity (Provisioned)\n")
    assert f"{machine['cpu_min']}-{machine['cpu_max']} MHz" in out
    assert f"{machine['mem_min']}-{machine['mem_max']} MB" in out
    assert f"{machine['memory']} MB ({machine['memory'] / 1024:.1f} GiB)" in out
    assert f"{machine['disk_free_gb']} GB of " in out
    for label in ("CPU you can offer", "Memory you can offer", "Disk free", "GPUs"):
        assert f"  {label}" in out


@pytest.mark.parametrize("argv", [["capacity", "--available"], ["capacity", "--onboarded"]])
def test_capacity_of_a_machine_not_onboarded_is_refused(
    capsys: pytest.CaptureFixture[str], state: str, argv: list[str]
) -> None:
    code, out, err = cli(capsys, *argv, "--state-dir", state)
    assert code == 1 and out == ""
    assert err.startswith("nunet-onboard: error: ") and err.count("\n") == 1


def test_the_whole_cycle_in_process(
    capsys: pytest.CaptureFixture[str], state: str, machine: dict[str, Any]
) -> None:
    metadata = cli_json(capsys, *onboard_argv(machine, state))
    assert metadata["reserved"] == {"cpu": machine["cpu_min"], "memory": machine["mem_min"]}
    assert metadata["network"] == "nunet-team" and metadata["public_key"] == ETH_ADDRESS

    assert cli_json(capsys, "capacity", "--onboarded", "--state-dir", state) == {
        "cpu": machine["cpu_min"],
        "memory": machine["mem_min"],
    }
    available = cli_json(capsys, "capacity", "--available", "--state-dir", state)
    assert available["tot_cpu_hz"] == machine["cpu_min"] and available["ram"] == machine["mem_min"]
    assert available["ntx_price"] == 0.25

    code, out, _ = cli(capsys, "capacity", "--onboarded", "--state-dir", state)
    assert code == 0 and out.startswith("Onboarded capacity (reserved for NuNet)\n")
    assert f"{machine['cpu_min']} MHz" in out and f"{machine['mem_min']} MB" in out

    code, out, _ = cli(capsys, "info", "--state-dir", state)
    assert code == 0 and out.startswith("Metadata\n")
    assert f"{machine['cpu_min']} MHz of {machine['cpu']} MHz" in out
    assert f"{machine['mem_min']} MB of {machine['memory']} MB" in out
    assert "0.25 NTX/min" in out and ETH_ADDRESS in out and " UTC (" in out

    status = cli_json(capsys, "status", "--state-dir", state)
    assert status["onboarded"] is True and status["channel"] == "nunet-team"
    code, out, _ = cli(capsys, "status", "--state-dir", state)
    assert code == 0 and "  Onboarded" in out and "yes" in out
    assert f"{machine['cpu_min']} MHz, {machine['mem_min']} MB" in out

    cpu, mem = str(machine["cpu_max"]), str(machine["mem_max"])
    changed = cli_json(capsys, "resource-config", "-c", cpu, "-m", mem, "--state-dir", state)
    assert changed["reserved"] == {"cpu": machine["cpu_max"], "memory": machine["mem_max"]}
    assert changed["network"] == "nunet-team"  # kept from the offer
    assert changed["available"]["cpu"] == machine["cpu"] - machine["cpu_max"]

    code, _, err = cli(capsys, *onboard_argv(machine, state))
    assert code == 1 and "already onboarded" in err and "resource-config" in err

    done = cli_json(capsys, "offboard", "--yes", "--state-dir", state)
    assert done["removed"] and done["failed"] == []
    assert cli_json(capsys, "status", "--state-dir", state)["onboarded"] is False


def test_offboard_table_says_what_was_removed(
    capsys: pytest.CaptureFixture[str], state: str, machine: dict[str, Any]
) -> None:
    assert cli(capsys, *onboard_argv(machine, state))[0] == 0
    code, out, _ = cli(capsys, "offboard", "--yes", "--state-dir", state)
    assert code == 0 and out.startswith("Offboarded.\n") and "  removed: " in out


def test_offboard_without_yes_and_without_a_terminal_is_bad_usage(
    capsys: pytest.CaptureFixture[str], state: str
) -> None:
    code, _, err = cli(capsys, "offboard", "--state-dir", state)
    assert code == 2 and "--yes" in err and err.count("\n") == 1


def test_a_rule_violation_exits_1_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], state: str, machine: dict[str, Any]
) -> None:
    argv = onboard_argv(machine, state)
    argv[argv.index("-c") + 1] = str(machine["cpu_min"] - 1)
    code, out, err = cli(capsys, *argv)
    assert code == 1 and out == ""
    low, high = machine["cpu_min"], machine["cpu_max"]
    total = total_text(machine["cpu_exact"])  # the float total the bounds are taken on
    assert err == (  # the flag typed, not the field's name
        f"nunet-onboard: error: -c/--cpu: {low - 1} MHz is below the minimum {low} MHz "
        f"(10 % of {total} MHz); allowed {low}-{high} MHz\n"
    )
    assert not (Path(state) / "state.json").exists()


@pytest.mark.parametrize("command", [["info"], ["resource-config", "-c", "1", "-m", "1"]])
def test_commands_that_need_an_onboarded_machine(
    capsys: pytest.CaptureFixture[str], state: str, command: list[str]
) -> None:
    code, _, err = cli(capsys, *command, "--state-dir", state)
    assert code == 1 and "not onboarded" in err


GIVE_CPU = 'give MHz (5200 or "5200MHz") or GHz ("2.6GHz")'


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("-c", "abc", "argument -c/--cpu: 'abc' is not a CPU amount; " + GIVE_CPU),
        ("-c", "-5", "argument -c/--cpu: '-5' is not a CPU amount; " + GIVE_CPU),
        ("-x", "abc", "argument -x/--ntx-price: 'abc' is not a number"),
        ("-x", "-1", "argument -x/--ntx-price: '-1' is negative; it must be 0 or more"),
        ("-x", "inf", "argument -x/--ntx-price: 'inf' is not a number"),
        (
            "--gpus",
            "a,b",
            "argument --gpus: 'a,b' is not a list of GPU indices; write e.g. 0 or 0,1",
        ),
        ("--gpus", "-1", "argument --gpus: '-1' is not a list of GPU indices; write e.g. 0 or 0,1"),
    ],
)
def test_bad_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], state: str, flag: str, value: str, message: str
) -> None:
    argv = ["onboard", "-c", "10", "-m", "10", "-n", "x", "-a", "y", "--state-dir", state]
    code, _, err = cli(capsys, *argv, f"{flag}={value}")
    assert code == 2
    assert err == (
        f"nunet-onboard onboard: error: {message} (see 'nunet-onboard onboard --help')\n"
    )


def test_no_gpus_is_an_empty_list(
    capsys: pytest.CaptureFixture[str], state: str, machine: dict[str, Any]
) -> None:
    metadata = cli_json(capsys, *onboard_argv(machine, state, "--gpus", ""))
    assert metadata.get("gpu_info", []) == []


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "--version")
    shown = (out + err).strip()  # argparse's exit writes to stderr
    assert code == 0 and shown.startswith("nunet-onboard ") and shown != "nunet-onboard"


def test_cpu_may_be_given_in_ghz_and_is_stored_in_mhz(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str
) -> None:
    """A clock is quoted in GHz; DMS's MHz are what is stored and shown."""
    mhz = machine["cpu_min"] + 1
    argv = smallest_offer(machine, state)
    argv[argv.index("-c") + 1] = f"{mhz // 1000}.{mhz % 1000:03d}GHz"
    assert main_cli(capsys, *argv, "--yes")[0] == 0
    assert main_json(capsys, "status", "--state-dir", state, "--json")["reserved_cpu"] == mhz
