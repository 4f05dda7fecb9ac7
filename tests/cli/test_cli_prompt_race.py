"""Two command lines on one state: one sits on its confirmation prompt, the other writes.

The prompt's answer must not write over what the other process did: the
command that waited is refused, says what changed, and the other's state stays.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run_cli, run_json
from tests.conftest import ETH_ADDRESS
from tests.fakes import FakeHost
from tests.pty_child import PtyChild

pytestmark = pytest.mark.slow


@pytest.fixture
def bounds(fake_host: FakeHost) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run_cli("capacity", "--json").stdout)
    return {"cpu": -(-data["cpu"] // 10), "memory": -(-data["memory"] // 10)}


def onboard_args(cpu: int, memory: int) -> list[str]:
    return ["onboard", "-c", str(cpu), "-m", str(memory), "-n", "nunet-test", "-a", ETH_ADDRESS]


def test_offboard_confirmed_after_a_change_elsewhere_is_refused(
    tmp_path: Path, bounds: dict[str, Any]
) -> None:
    state = tmp_path / "state"
    cpu, memory = bounds["cpu"], bounds["memory"]
    assert run_cli(*onboard_args(cpu, memory), "--yes", state_dir=state).returncode == 0
    waiting = PtyChild("offboard", "--state-dir", str(state))
    try:
        waiting.expect(rb"Offboard this machine\? \[y/N\] ")
        other = run_cli("resource-config", "-c", str(cpu + 10), "-m", str(memory), state_dir=state)
        assert other.returncode == 0, other.stderr
        waiting.send("y\r")
        assert waiting.wait() == 1
    finally:
        waiting.close()
    said = bytes(waiting.output).decode(errors="replace")
    assert "changed since this was prepared" in said and "resource-config" in said
    status = run_json("status", state_dir=state)
    assert status["onboarded"] is True and status["reserved_cpu"] == cpu + 10


def test_onboard_confirmed_after_an_onboard_elsewhere_is_refused(
    tmp_path: Path, bounds: dict[str, Any]
) -> None:
    state = tmp_path / "state"
    cpu, memory = bounds["cpu"], bounds["memory"]
    waiting = PtyChild(*onboard_args(cpu, memory), "--state-dir", str(state))
    try:
        waiting.expect(rb"\[y/N\] ")
        other = run_cli(*onboard_args(cpu + 10, memory + 10), "--yes", state_dir=state)
        assert other.returncode == 0, other.stderr
        waiting.send("y\r")
        assert waiting.wait() == 1
    finally:
        waiting.close()
    said = bytes(waiting.output).decode(errors="replace")
    assert "already onboarded" in said
    info = run_json("info", state_dir=state)
    assert info["reserved"] == {"cpu": cpu + 10, "memory": memory + 10}
    assert json.loads((state / "state.json").read_text())["history"][-1]["action"] == "onboard"
