"""state.json is the one commit point: a kill -9 at any step of a write converges.

Each operation is stopped by SIGKILL just before each of its file-system steps in
turn (``crash_driver``: an audit hook in a forked child, nothing in the app), then
``status`` is read and the same offer is applied without force. Every stopping point
must leave no problem for status to name, and the apply must converge: the state
names the key on disk and metadataV2.json is its exact rendering, or neither is left.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.onboarding import identity
from app.onboarding.controller import OnboardingController
from app.onboarding.offer_file import load_target
from tests.onboarding.crash_driver import FIRST, OPERATIONS

ONBOARDED = {"onboarded": True, "key_present": True, "key_is_the_node": True}
CPU = {"FIRST": 10400, "SECOND": 6240}  # 50 % and 30 % of the fake machine's 20800 MHz


def drive(mode: str, operation: str, tmp_path: Path) -> Any:
    tmp_path.mkdir(parents=True, exist_ok=True)
    results = tmp_path / "results.json"
    driver = [sys.executable, "-m", "tests.onboarding.crash_driver"]
    subprocess.run(
        [*driver, mode, operation, str(tmp_path), str(results)],
        check=True,
        timeout=300,
    )
    return json.loads(results.read_text())


def expected_files(operation: str) -> dict[str, Any]:
    if "offboard" in operation:
        return {"onboarded": False, "key_present": False, "metadata_file_present": False}
    cpu = CPU["FIRST" if operation.endswith("onboard") else "SECOND"]
    return {**ONBOARDED, "metadata_file_matches": True, "cpu": cpu}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_kill_at_any_step_leaves_no_problem_and_apply_converges(
    operation: str, tmp_path: Path
) -> None:
    results = drive("kill", operation, tmp_path)
    steps = results[0]["steps"]
    assert any(s.startswith("os.rename .state.json.") for s in steps), steps  # the commit
    assert len(results) == len(steps) + 1
    want = expected_files(operation)
    for result in results:
        where = f"killed before step {result['step']} of {steps}"
        assert result["exit"] == (-9 if result["step"] <= len(steps) else 0), where
        assert result["after_kill"]["problems"] == [], where
        assert result["status"] == {"problems": [], "notes": []}, where
        assert {k: result["files"][k] for k in want} == want, where
        assert result["again"] == "none", where


def test_the_key_is_written_before_the_commit_and_removed_after_it(tmp_path: Path) -> None:
    """The order itself, as the driver saw the steps."""
    onboard = drive("kill", "onboard", tmp_path / "on")[0]["steps"]
    names = [s.split(" ", 1)[1] for s in onboard]
    commit = next(
        i for i, n in enumerate(names) if n.startswith(".state.json.") and "rename" in onboard[i]
    )
    assert names.index("node.key") < commit
    assert max(i for i, s in enumerate(onboard) if "metadataV2" in s) < commit
    offboard = drive("kill", "offboard", tmp_path / "off")[0]["steps"]
    commit = next(i for i, s in enumerate(offboard) if s.startswith("os.rename .state.json."))
    assert offboard.index("os.remove node.key") > commit
    assert offboard.index("os.remove metadataV2.json") > commit


def test_a_partly_written_key_the_state_does_not_name_is_mended_by_apply(
    controller: OnboardingController,
) -> None:
    """A kill during the key's own write leaves part of a PEM: a leftover like any other."""
    controller.store.ensure_dir()
    controller.key_path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2Vw")
    status = controller.status()
    assert (status.onboarded, status.problems) == (False, ())
    assert controller.apply(load_target(FIRST)).action == "onboard"
    assert controller.status().problems == ()
    metadata = controller.get_metadata()
    assert identity.load_peer_id(controller.state_dir) == metadata.node_id


@pytest.mark.parametrize("operation", ["onboard", "resource-config", "offboard-force"])
def test_a_commit_that_fails_leaves_the_files_as_the_old_state_has_them(
    operation: str, tmp_path: Path
) -> None:
    """The rename of state.json fails (a full disk): "nothing was changed" is true of the
    key and metadataV2.json too, and status has nothing to note."""
    result = drive("fail-commit", operation, tmp_path)
    assert "no space left on the device" in result["said"]
    assert "nothing was changed" in result["said"]
    assert result["status"] == {"problems": [], "notes": []}
    before = expected_files("offboard" if operation == "onboard" else "apply-onboard")
    assert {k: result["files"][k] for k in before} == before
