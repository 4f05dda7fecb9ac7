"""Issue 7.1: real CLI processes over mutated state files: no traceback, exit 0, 1 or 2 only."""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli
from tests.onboarding.test_state_shape import GOOD_OFFER

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


@pytest.mark.slow
def test_the_command_line_never_shows_a_traceback_for_any_state_file(tmp_path: Path) -> None:
    rng = random.Random(2026)
    cases = []
    for n in range(40):  # each costs an interpreter start; the in-process fuzz covers breadth
        state_dir = tmp_path / f"s{n}"
        state_dir.mkdir(mode=0o700)
        content = mutated(rng)
        (state_dir / "state.json").write_text(content)
        cases.append((state_dir, content, rng.choice(COMMANDS)))

    def run(case: tuple[Path, str, list[str]]) -> tuple[list[str], int, str]:
        state_dir, _, args = case
        result = run_cli(*args, state_dir=state_dir, env={"NUNET_ONBOARD_LOCK_TIMEOUT": "2"})
        return args, result.returncode, result.stderr

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, cases))
    for (state_dir, content, _), (args, code, stderr) in zip(cases, results, strict=True):
        assert "Traceback" not in stderr, (args, content[:200], stderr[-800:])
        assert code in (0, 1, 2), (args, code, stderr)
        now = (
            (state_dir / "state.json").read_text() if (state_dir / "state.json").exists() else None
        )
        if now != content:  # overwritten or removed: a copy was kept, or the old one was valid
            kept = [p.read_text() for p in state_dir.glob("state.json.unreadable-*")]
            assert content in kept or code == 0, (args, content[:200])
