"""Each refusal's whole text (the CLI prints it on one line, the app shows it), and the fix
status shows beside it, checked word for word. Real operations where one reaches the error cheaply; the class itself where the
only way to reach it is a race or a file system that will not cooperate."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateCorrupt, StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.refusals import (
    AlreadyOnboarded,
    LockCancelled,
    LockTimeout,
    RuleViolation,
    StateChanged,
)
from tests.conftest import ETH_ADDRESS

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)


def test_onboarding_twice_says_how_to_change_the_offer(controller: OnboardingController) -> None:
    controller.onboard(OFFER)
    with pytest.raises(AlreadyOnboarded) as refused:
        controller.onboard(OFFER)
    assert str(refused.value) == (
        "this machine is already onboarded; change the offer with "
        "'nunet-onboard resource-config', or offboard first"
    )


def test_every_broken_rule_is_in_the_one_line(controller: OnboardingController) -> None:
    with pytest.raises(RuleViolation) as refused:
        controller.onboard(OFFER.model_copy(update={"cpu": 1, "memory": 1}))
    problems = refused.value.problems
    assert len(problems) == 2
    assert str(refused.value) == f"{problems[0].message}; {problems[1].message}"


def test_a_cancelled_wait_says_nothing_was_written(controller: OnboardingController) -> None:
    controller.cancel_waits(forever=True)
    with pytest.raises(LockCancelled) as cancelled:
        controller.onboard(OFFER)
    assert str(cancelled.value) == (
        "cancelled while waiting for the state lock; nothing was written"
    )
    assert cancelled.value.fix == "check the state directory (see the message above)"


@pytest.mark.parametrize(
    ("holder", "who"),
    [(None, "another process"), ("process 42 (nunet-onboard)", None)],
    ids=["unknown", "named"],
)
def test_a_lock_timeout_names_the_holder_or_another_process(
    holder: str | None, who: str | None
) -> None:
    error = LockTimeout(Path("/s/.state.lock"), 2.5, holder)
    assert error.holder == holder
    assert str(error) == (
        f"the onboarding state is locked by {who or holder}, which did not let go within "
        "2.5 s; nothing was written. Wait for it to finish and try again; if it is stopped "
        "or hung, end it (the lock is /s/.state.lock). The wait is set by "
        "NUNET_ONBOARD_LOCK_TIMEOUT"
    )
    assert error.fix == "end or wait for the process that holds the lock, then try again"


def test_a_state_change_without_history_still_says_what_happened() -> None:
    plain = StateChanged(3, 4, [])
    assert str(plain) == (
        "the onboarding state changed since this was prepared (another process wrote it); "
        "nothing was written: look at the new values and try again"
    )
    named = StateChanged(3, 5, ["onboard at t1", "offboard at t2"])
    assert str(named).startswith(
        "the onboarding state changed since this was prepared (onboard at t1; offboard at t2);"
    )


def test_a_corrupt_state_without_a_copy_says_no_more_than_what_is_wrong() -> None:
    error = StateCorrupt(Path("/s/state.json"), "not text")
    assert error.problem == "the state file /s/state.json cannot be read (not text)"
    fix = "run 'nunet-onboard offboard --force' to start clean"
    assert str(error) == f"{error.problem}; {fix}" and error.fix == fix
    kept = StateCorrupt(Path("/s/state.json"), "not text", Path("/s/copy"))
    assert kept.problem == (
        "the state file /s/state.json cannot be read (not text); a copy is kept at /s/copy"
    )


def test_a_state_error_without_a_fix_points_at_the_message() -> None:
    assert StateError("x").fix == "check the state directory (see the message above)"
    assert StateError("x", fix="do y").fix == "do y"
