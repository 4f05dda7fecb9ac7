"""A resource-config that changes nothing writes nothing: every run used to add a
revision and a history entry (pushing real ones out of the 50 kept) and made an open
app's review stale. One that finds the records out of date still writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import main_cli, smallest_offer

Capsys = pytest.CaptureFixture[str]


def state_of(state: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((Path(state) / "state.json").read_text())
    return loaded


def test_a_change_to_what_is_stored_writes_nothing(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    before = state_of(state)
    for argv in (
        ["resource-config"],
        ["resource-config", "-m", str(machine["mem_min"])],
        ["resource-config", "-n", "nunet-team", "-x", "0.25"],
    ):
        code, out, _ = main_cli(capsys, *argv, "--state-dir", state)
        assert code == 0
        assert out.splitlines()[0] == "No change: the offer is already so", argv
        assert state_of(state) == before, argv
    code, out, _ = main_cli(capsys, "resource-config", "-x", "0.5", "--state-dir", state)
    assert (code, out.splitlines()[0]) == (0, "Resource configuration changed")
    after = state_of(state)
    assert after["revision"] == before["revision"] + 1
    assert len(after["history"]) == len(before["history"]) + 1


def test_a_missing_metadata_file_is_written_again_by_a_change_of_nothing(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    """status's fix for a missing metadataV2.json is "rewritten at the next
    resource-config": that must stay true when the offer is unchanged."""
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    metadata_file = Path(state) / "metadataV2.json"
    kept = metadata_file.read_bytes()
    metadata_file.unlink()
    code, out, _ = main_cli(capsys, "resource-config", "--state-dir", state)
    assert (code, out.splitlines()[0]) == (0, "Resource configuration changed")
    assert json.loads(metadata_file.read_bytes())["node_id"] == json.loads(kept)["node_id"]
    edited = {**json.loads(kept), "name": "edited by hand"}
    metadata_file.write_text(json.dumps(edited))
    assert main_cli(capsys, "resource-config", "--state-dir", state)[1].startswith(
        "Resource configuration changed"
    )
    assert metadata_file.read_bytes() == kept.replace(
        f'"update_timestamp": {json.loads(kept)["update_timestamp"]}'.encode(),
        f'"update_timestamp": {json.loads(metadata_file.read_bytes())["update_timestamp"]}'.encode(),
    )


def test_the_table_shows_the_switches_it_changes(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    """DMS's metadata holds neither availability nor server mode, so the table after
    'resource-config -u' showed nothing of what changed (found by a QA pass)."""
    code, out, _ = main_cli(capsys, *smallest_offer(machine, state, "--yes"))
    assert "  Available to jobs    yes\n  Server mode          yes\n" in out
    code, out, _ = main_cli(capsys, "resource-config", "-u", "--state-dir", state)
    assert code == 0
    assert "  Available to jobs    no\n  Server mode          yes\n" in out
    code, out, _ = main_cli(capsys, "resource-config", "-l=false", "--state-dir", state)
    assert "  Available to jobs    no\n  Server mode          no\n" in out
