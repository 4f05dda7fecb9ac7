"""A resource-config refused for a part of the stored offer it did not touch (the machine
changed since) says so; it used to name ``-m/--memory`` to someone who typed ``-x 1``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import main_cli, smallest_offer

Capsys = pytest.CaptureFixture[str]


def test_a_refusal_for_an_untouched_stored_field_says_it_is_the_stored_one(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    file = Path(state) / "state.json"
    data = json.loads(file.read_text())
    too_much = machine["mem_max"] + 1
    data["offer"]["memory"] = too_much  # as if memory was taken out of the machine
    file.write_text(json.dumps(data))

    code, _, err = main_cli(capsys, "resource-config", "-x", "1", "--state-dir", state)
    assert code == 1
    assert err.startswith(
        f"nunet-onboard: error: -m/--memory as stored (not given on this command line): "
        f"{too_much} MB is above the maximum {machine['mem_max']} MB"
    )
    code, _, err = main_cli(
        capsys, "resource-config", "--memory", str(too_much), "--state-dir", state
    )
    assert code == 1
    assert err.startswith(f"nunet-onboard: error: -m/--memory: {too_much} MB is above")
    code, _, err = main_cli(
        capsys, "resource-config", "--memory=" + str(too_much), "--state-dir", state
    )
    assert err.startswith(f"nunet-onboard: error: -m/--memory: {too_much} MB is above")
