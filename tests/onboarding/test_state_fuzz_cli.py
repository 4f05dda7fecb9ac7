"""Issue 7.1: real CLI processes over mutated state files: no traceback, exit 0, 1 or 2 only.

A few hundred cases, each a real process: one interpreter imports the CLI and
forks a child per case (``tests/onboarding/cli_forks.py``), so a case costs a
fork and the command itself, not an interpreter start. A few cases also run as
``python -m app`` from scratch, the way a user starts it, to show the two agree.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import REPO, run_cli
from tests.onboarding.test_state_shape import GOOD_OFFER

CASES = 300
LOCK_ENV = {"NUNET_ONBOARD_LOCK_TIMEOUT": "2"}

COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["info"],
    ["capacity", "--onboarded"],
    ["offboard", "--force", "--yes"],
    ["resource-config", "-c", "5000", "-m", "4000"],
]
VALUES: list[object] = [None, True, 1.5, -1, "x", [], {}, 10**30, "9" * 50, [[[]]]]
RAW = ["NaN", "1e400", "9" * 5000, "[" * 5000, '"\\ud800"', "-0"]


def mutated(rng: random.Random) -> str:
    state: dict[str, object] = {
        "schema_version": 1,
        "revision": 2,
        "offer": dict(GOOD_OFFER),
        "metadata": None,
        "available_resources": None,
        "wallets": [],
        "history": [],
    }
    key = rng.choice([*state, "extra"])
    target = state["offer"] if key == "offer" and rng.random() < 0.7 else state
    field = rng.choice(list(target)) if target is not state else key  # type: ignore[arg-type]
    marker = "@@VALUE@@"
    target[field] = marker  # type: ignore[index]
    value = rng.choice([*RAW, *(json.dumps(v) for v in VALUES)])
    return json.dumps(state).replace(json.dumps(marker), value)


def make_cases(tmp_path: Path, count: int, seed: int) -> list[tuple[Path, str, list[str]]]:
    rng = random.Random(seed)
    cases = []
    for n in range(count):
        state_dir = tmp_path / f"s{n}"
        state_dir.mkdir(mode=0o700)
        content = mutated(rng)
        (state_dir / "state.json").write_text(content)
        cases.append((state_dir, content, rng.choice(COMMANDS)))
    return cases


def check(case: tuple[Path, str, list[str]], code: int, stderr: str) -> None:
    state_dir, content, args = case
    assert "Traceback" not in stderr, (args, content[:200], stderr[-800:])
    assert code in (0, 1, 2), (args, code, stderr)
    path = state_dir / "state.json"
    now = path.read_text() if path.exists() else None
    if now != content:  # overwritten or removed: a copy was kept, or the old one was valid
        kept = [p.read_text() for p in state_dir.glob("state.json.unreadable-*")]
        assert content in kept or code == 0, (args, content[:200])


@pytest.mark.slow
def test_the_command_line_never_shows_a_traceback_for_any_state_file(tmp_path: Path) -> None:
    cases = make_cases(tmp_path, CASES, seed=2026)
    jobs = [
        {"argv": [*args, "--state-dir", str(state_dir)], "env": LOCK_ENV}
        for state_dir, _, args in cases
    ]
    (tmp_path / "cases.json").write_text(json.dumps(jobs))
    subprocess.run(
        [sys.executable, "-m", "tests.onboarding.cli_forks", "cases.json", "results.json"],
        cwd=tmp_path,
        env={**_env(), "PYTHONPATH": str(REPO)},
        check=True,
        timeout=300,
    )
    results = json.loads((tmp_path / "results.json").read_text())
    assert len(results) == CASES
    for case, result in zip(cases, results, strict=True):
        check(case, result["code"], result["stderr"])
    codes = {result["code"] for result in results}
    assert codes >= {0, 1}  # the fuzz reached both the refusals and the commands that work


@pytest.mark.slow
def test_a_few_cases_as_interpreters_started_from_scratch(tmp_path: Path) -> None:
    for case in make_cases(tmp_path, 6, seed=7):
        state_dir, _, args = case
        result = run_cli(*args, state_dir=state_dir, env=LOCK_ENV)
        check(case, result.returncode, result.stderr)


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)
