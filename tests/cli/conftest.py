"""Fixtures of the command-line tests: the fake host, a state directory and its bounds.

Every command-line test runs on ``FakeHost`` (tests/fakes.py), in this process and in
the commands it starts: what a test expects never comes from the machine it runs on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import main_json
from tests.fakes import FakeHost


@pytest.fixture(autouse=True)
def _on_the_fake_host(fake_host: FakeHost) -> FakeHost:
    return fake_host


@pytest.fixture
def state(tmp_path: Path) -> str:
    return str(tmp_path / "state")


@pytest.fixture
def machine(capsys: pytest.CaptureFixture[str], state: str, fake_host: FakeHost) -> dict[str, Any]:
    """``capacity --json`` of the fake host, with DMS's bounds worked out independently."""
    data: dict[str, Any] = main_json(capsys, "capacity", "--state-dir", state)
    if fake_host == FakeHost():
        # Its usable figures, by hand: 6 cores (a 6.5-core quota) of 2596.14 MHz, the
        # 12345 MB memory limit, the 173 GB a user may write (not the 197 GB free).
        assert (data["cpu"], data["memory"], data["total_cores"], data["disk_free_gb"]) == (
            15576,
            12345,
            6,
            173,
        )
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
