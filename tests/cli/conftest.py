"""Fixtures of the in-process command-line tests: a state directory and this machine's bounds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import main_json


@pytest.fixture
def state(tmp_path: Path) -> str:
    return str(tmp_path / "state")


@pytest.fixture
def machine(capsys: pytest.CaptureFixture[str], state: str) -> dict[str, Any]:
    """``capacity --json`` of this machine, with DMS's bounds worked out independently."""
    data: dict[str, Any] = main_json(capsys, "capacity", "--state-dir", state)
    # DMS's bounds, truncated as Go's int64() truncates: total/10 and total*9/10, the CPU's
    # on its float total (the clocks summed), the memory's in whole numbers.
    data["cpu_min"] = int(data["cpu_exact"] / 10)
    data["cpu_max"] = int(data["cpu_exact"] * 9 / 10)
    data["mem_min"] = data["memory"] // 10
    data["mem_max"] = data["memory"] * 9 // 10
    allowed = data["allowed"]
    assert (allowed["cpu"]["min"], allowed["cpu"]["max"]) == (data["cpu_min"], data["cpu_max"])
    assert (allowed["memory"]["min"], allowed["memory"]["max"]) == (
        data["mem_min"],
        data["mem_max"],
    )
    return data
