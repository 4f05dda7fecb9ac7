"""The command line end to end in a subprocess, on the fake host (tests/cli/conftest.py), a tmp state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run_cli, run_json
from tests.conftest import CARDANO_TESTNET, DMS_METADATA_KEYS, ETH_ADDRESS


def onboard_args(machine: dict[str, Any], **kw: str) -> list[str]:
    values = {
        "-c": str(machine["cpu_min"]),
        "-m": str(machine["mem_min"]),
        "-n": "nunet-team",
        "-a": ETH_ADDRESS,
        "-x": "0.25",
    }
    values.update(kw)
    args = ["onboard", "--yes"]
    for flag, value in values.items():
        args += [flag, value]
    return args


def test_full_cycle(tmp_path: Path, machine: dict[str, Any]) -> None:
    state = tmp_path / "state"
    status = run_json("status", state_dir=state)
    assert status["onboarded"] is False and status["problems"] == []

    done = run_cli(*onboard_args(machine), "--json", state_dir=state)
    assert done.returncode == 0, done.stderr
    metadata = json.loads(done.stdout)
    assert metadata["reserved"] == {"cpu": machine["cpu_min"], "memory": machine["mem_min"]}

    info = run_json("info", state_dir=state)
    assert list(info) == DMS_METADATA_KEYS
    assert list(info["resource"]) == ["memory_max", "total_core", "cpu_max"]
    assert info["node_id"].startswith("12D3KooW") and info["public_key"] == ETH_ADDRESS

    status = run_json("status", state_dir=state)
    assert status["onboarded"] is True and status["channel"] == "nunet-team"
    assert status["node_id"] == info["node_id"]

    human = run_cli("status", state_dir=state)
    assert "Onboarded          yes" in human.stdout

    changed = run_cli(
        "resource-config",
        "-c",
        str(machine["cpu_max"]),
        "-m",
        str(machine["mem_max"]),
        "--json",
        state_dir=state,
    )
    assert changed.returncode == 0, changed.stderr
    new = json.loads(changed.stdout)
    assert new["reserved"]["cpu"] == machine["cpu_max"]
    assert new["available"]["cpu"] == machine["cpu"] - machine["cpu_max"]
    assert (
        new["network"] == "nunet-team" and new["ntx_price"] == 0.25
    )  # the rest of the offer stays
    assert run_json("capacity", "--onboarded", state_dir=state) == {
        "cpu": machine["cpu_max"],
        "memory": machine["mem_max"],
    }
    assert run_json("capacity", "--available", state_dir=state)["tot_cpu_hz"] == machine["cpu_max"]

    again = run_cli(*onboard_args(machine), state_dir=state)
    assert (
        again.returncode == 1
        and "already onboarded" in again.stderr
        and "resource-config" in again.stderr
    )

    refused = run_cli("offboard", state_dir=state)  # no terminal, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert run_json("status", state_dir=state)["onboarded"] is True

    off = run_cli("offboard", "--yes", state_dir=state)
    assert off.returncode == 0, off.stderr
    assert "removed: the node identity" in off.stdout
    assert run_json("status", state_dir=state)["onboarded"] is False
    history = json.loads((state / "state.json").read_text())["history"]
    assert [h["action"] for h in history] == ["onboard", "resource-config", "offboard"]
    log = (state / "logs" / "nunet-onboard.log").read_text()
    assert "onboarded: node" in log and "offboarded" in log


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"-c": "1"}, "is below the minimum"),
        ({"-m": "999999999"}, "is above the maximum"),
        ({"-n": "nunet-prod"}, "allowed: nunet-staging, nunet-test, nunet-team, nunet-edge"),
        (
            {"-a": "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
            "-a/--address: not a valid address: bad EIP-55 checksum",
        ),
        ({"-a": CARDANO_TESTNET[:-1] + "x"}, "-a/--address: not a valid address"),
        ({"--gpus": "7"}, "gpu 7 does not exist"),
        ({"--disk": "99999999"}, "GB free"),
    ],
)
def test_refusals_exit_1_with_one_line_and_write_nothing(
    tmp_path: Path, machine: dict[str, Any], change: dict[str, str], message: str
) -> None:
    state = tmp_path / "state"
    result = run_cli(*onboard_args(machine, **change), state_dir=state)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("nunet-onboard: error: ")
    assert "Traceback" not in result.stderr
    assert not (state / "state.json").exists() and not (state / "node.key").exists()


def test_cardano_needs_minimums(tmp_path: Path, machine: dict[str, Any]) -> None:
    """The 10 % offer with --cardano: refused exactly when it is under a Cardano node's minimums."""
    result = run_cli(*onboard_args(machine), "--cardano", state_dir=tmp_path / "s")
    if machine["cpu_min"] >= 6000 and machine["mem_min"] >= 10000:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1 and "a Cardano node needs at least" in result.stderr
    assert not (tmp_path / "s" / "state.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["onboard", "-c", "abc", "-m", "1", "-n", "x", "-a", "y"],
            "'abc' is not a CPU amount; give MHz",
        ),
        (
            ["onboard", "-c", "-5", "-m", "1", "-n", "x", "-a", "y"],
            "'-5' is not a CPU amount; give MHz",
        ),
        (
            ["onboard", "-c", "10", "-m", "1", "-n", "x", "-a", "y", "-x", "-1"],
            "'-1' is negative; it must be 0 or more",
        ),
        (
            ["onboard", "-c", "10", "-m", "1", "-n", "x", "-a", "y", "-x", "nan"],
            "'nan' is not a number",
        ),
        (
            ["onboard", "-c", "10", "-m", "1", "-n", "x", "-a", "y", "--gpus", "a,b"],
            "not a list of GPU indices",
        ),
        (["onboard", "-c", "10"], "required"),
        (["wallet", "new", "-e", "-c"], "not allowed with"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli(*args, state_dir=tmp_path / "s")
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, "a usage error is one line"
    assert "--help" in result.stderr


def test_not_onboarded_refusals(tmp_path: Path) -> None:
    state = tmp_path / "state"
    info = run_cli("info", state_dir=state)
    assert info.returncode == 1 and "not onboarded" in info.stderr
    rc = run_cli("resource-config", "-c", "1000", "-m", "1000", state_dir=state)
    assert rc.returncode == 1 and "not onboarded" in rc.stderr
    off = run_cli("offboard", "--yes", state_dir=state)
    assert off.returncode == 1 and "not onboarded" in off.stderr


def test_corrupt_state_then_forced_offboard(tmp_path: Path, machine: dict[str, Any]) -> None:
    state = tmp_path / "state"
    assert run_cli(*onboard_args(machine), state_dir=state).returncode == 0
    (state / "state.json").write_text("garbage{")
    status = run_json("status", state_dir=state)
    assert status["problems"][0]["kind"] == "corrupt"
    info = run_cli("info", state_dir=state)
    assert (
        info.returncode == 1
        and "cannot be read" in info.stderr
        and "offboard --force" in info.stderr
    )
    plain = run_cli("offboard", "--yes", state_dir=state)
    assert plain.returncode == 1 and "offboard --force" in plain.stderr
    forced = run_cli("offboard", "--yes", "--force", state_dir=state)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert [p.read_text() for p in state.glob("state.json.unreadable-*")] == ["garbage{"]
    assert run_json("status", state_dir=state)["problems"] == []


def test_state_dir_from_environment(tmp_path: Path, machine: dict[str, Any]) -> None:
    state = tmp_path / "env-state"
    result = run_cli(*onboard_args(machine), env={"NUNET_ONBOARD_STATE_DIR": str(state)})
    assert result.returncode == 0, result.stderr
    assert (state / "state.json").exists()
    assert state.stat().st_mode & 0o777 == 0o700


def test_bad_setting_is_a_usage_error(tmp_path: Path, machine: dict[str, Any]) -> None:
    result = run_cli(
        *onboard_args(machine), state_dir=tmp_path / "s", env={"NUNET_ONBOARD_GPU_TIMEOUT_S": "-3"}
    )
    assert result.returncode == 2
    assert "NUNET_ONBOARD_GPU_TIMEOUT_S is '-3' (allowed: a number more than 0" in result.stderr


def test_no_arguments_without_a_terminal_explains(tmp_path: Path) -> None:
    result = run_cli(state_dir=tmp_path / "s")
    assert result.returncode == 2 and "needs a terminal" in result.stderr
