"""A non-editable install works like a checkout: every package and the stylesheet ship."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_package_list_matches_the_tree() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "app").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert set(config["packages"]) - {"app.styles"} == on_disk


@pytest.mark.slow
def test_wheel_runs_outside_the_checkout(tmp_path: Path, wheel: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(site)
    assert "app/styles/app.tcss" in names and "app/py.typed" in names
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import app, app.tui.app as t; print(app.__file__); print(t.css_paths())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert str(site) in run.stdout.splitlines()[0]
    assert str(site / "app" / "styles" / "app.tcss") in run.stdout
    status = subprocess.run(
        [sys.executable, "-m", "app", "status", "--json", "--state-dir", str(tmp_path / "state")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0 and '"onboarded": false' in status.stdout
