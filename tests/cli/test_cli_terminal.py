"""``onboard`` on a real terminal (a pseudo-terminal): validate, show the offer, ask."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pexpect
import pytest

from app.onboarding.controller import OnboardingController
from tests.cli.helpers import REPO
from tests.conftest import ETH_ADDRESS
from tests.fakes import FakeHost


@pytest.fixture
def offer_args(fake_host: FakeHost) -> list[str]:
    limits = OnboardingController(Path("/nonexistent")).limits()
    return [
        "onboard", "-c", str(limits.cpu_min), "-m", str(limits.memory_min),
        "-n", "nunet-test", "-a", ETH_ADDRESS,
    ]  # fmt: skip


def spawn(args: list[str], state: Path) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "app", *args, "--state-dir", str(state)],
        cwd=str(REPO),
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 200),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return int(child.exitstatus)


def test_no_exits_1_and_writes_nothing(tmp_path: Path, offer_args: list[str]) -> None:
    child = spawn(offer_args, tmp_path / "s")
    child.expect("This will be onboarded:")
    child.expect(r"Onboard this machine with this offer\? \[y/N\] ")
    child.sendline("n")
    child.expect("not onboarded: cancelled")
    assert finish(child) == 1
    assert not (tmp_path / "s" / "state.json").exists()
    assert not (tmp_path / "s" / "node.key").exists()


def test_yes_at_the_prompt_onboards(tmp_path: Path, offer_args: list[str]) -> None:
    child = spawn(offer_args, tmp_path / "s")
    child.expect(r"\[y/N\] ")
    child.sendline("y")
    child.expect("Onboarded")
    assert finish(child) == 0
    assert json.loads((tmp_path / "s" / "state.json").read_text())["metadata"] is not None


def test_yes_flag_skips_the_question(tmp_path: Path, offer_args: list[str]) -> None:
    child = spawn([*offer_args, "--yes"], tmp_path / "s")
    index = child.expect([r"\[y/N\]", "Onboarded"])
    assert index == 1, "--yes must not ask"
    assert finish(child) == 0


def test_a_bad_offer_is_refused_before_asking(tmp_path: Path, offer_args: list[str]) -> None:
    bad = [*offer_args[:2], "1", *offer_args[3:]]  # cpu 1 MHz
    child = spawn(bad, tmp_path / "s")
    index = child.expect([r"\[y/N\]", "error: -c/--cpu: 1 MHz is below the minimum"])
    assert index == 1, "nobody should confirm an offer that cannot be onboarded"
    assert finish(child) == 1
    assert not (tmp_path / "s" / "state.json").exists()
