"""Fixtures shared by the role's tests: a wheel of this checkout, built once a session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ansible.helpers import REPO


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout (the role copies it to the node and installs it)."""
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("wheel-build")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=build,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("nunet_onboard-*.whl")
    return built
