"""A status that meets a write in the middle never reports it as a problem.

The reader is made to read ``state.json``, then wait (``crash_driver``'s ``race``:
an audit hook in a forked reader, before it opens the key or metadataV2.json) while
a whole onboard, change or offboard runs; then it goes on. Before the reader looked
again under the lock, this said "a node identity exists but there is no metadata",
"the node identity is missing" or "metadataV2.json differs" in 13 of 1,169 reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.onboarding.test_commit_point import drive, expected_files


@pytest.mark.parametrize(
    "operation", ["onboard", "apply-onboard", "resource-config", "offboard", "apply-offboard"]
)
def test_a_status_read_across_a_whole_write_names_no_problem(
    operation: str, tmp_path: Path
) -> None:
    result = drive("race", operation, tmp_path)
    assert result["status"] == {"problems": [], "notes": [], "paused": True}
    want = expected_files(operation)
    assert {k: result["files"][k] for k in want} == want


def test_status_read_in_a_loop_during_onboard_and_offboard_cycles_names_no_problem(
    tmp_path: Path,
) -> None:
    """The same, left to chance: a reader in a loop beside 15 real cycles."""
    result = drive("loop", "15", tmp_path)
    assert result["exit"] == 0
    assert result["problems"] == []
    assert result["reads"] >= 15
