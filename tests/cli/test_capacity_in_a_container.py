"""``capacity`` on a host with awkward figures, through the real probe, in a subprocess.

The host (``FakeHost``, tests/fakes.py) is a container on an 8-CPU machine at
2596.14 MHz a core: a 6.5-core quota, a 7-CPU cpuset, a 12345 MB memory limit, and a
disk with 197 GB free of which 173 GB may be written by a user. Every figure below is
worked out by hand from those, not read from any probe.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import run_cli
from tests.fakes import FakeHost


def test_capacity_is_what_the_container_may_use() -> None:
    result = run_cli("capacity", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # 6 whole cores of the 6.5-core quota (the cpuset's 7 is looser): 6 x 2596.14 MHz,
    # truncated; the memory limit, not the host's 15923 MB; f_bavail, not f_bfree.
    assert (data["cpu"], data["memory"], data["total_cores"], data["disk_free_gb"]) == (
        15576,
        12345,
        6,
        173,
    )
    assert data["gpus"] == []
    allowed = data["allowed"]
    # DMS's bounds on the float total 6 x 2596.14 = 15576.84: 1557.684 and 14019.156.
    assert (allowed["cpu"]["min"], allowed["cpu"]["max"]) == (1557, 14019)
    assert (allowed["memory"]["min"], allowed["memory"]["max"]) == (1234, 11110)
    assert allowed["cores"] == {"min": 1, "max": 6}
    assert allowed["disk"]["max"] == 173


def test_the_table_shows_what_the_container_may_use() -> None:
    result = run_cli("capacity", "--full")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    lines[6] = lines[6].rsplit(" (", 1)[0]  # the mount point is the real one (/, /tmp...)
    assert lines[1:8] == [
        "  CPU                   15576 MHz (6 cores x 2596 MHz)",
        "  CPU you can offer     1557-14019 MHz",
        "  Memory                12345 MB (12.1 GiB)",
        "  Memory you can offer  1234-11110 MB",
        "  Cores you can offer   1-6",
        "  Disk free             173 GB of 457 GB",
        "  Disk you can offer    0-173 GB",
    ]
    assert lines[-1] == "  Container limits      apply"


@pytest.mark.parametrize("fake_host", [FakeHost(gpus=2)], indirect=True, ids=["two-gpus"])
def test_two_gpus_are_listed_with_their_memory(fake_host: FakeHost) -> None:
    result = run_cli("capacity", "--json")
    assert result.returncode == 0, result.stderr
    gpus = json.loads(result.stdout)["gpus"]
    assert len(gpus) == 2
    assert json.dumps(gpus).count("24576") == 2, gpus  # each card's 24 GiB, in MB
