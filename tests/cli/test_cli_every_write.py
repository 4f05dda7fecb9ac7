"""What every write of the command line takes alike: ``--yes``, the defaults, the warnings."""

from __future__ import annotations

from typing import Any

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.cli.helpers import main_cli, main_json, smallest_offer


def test_resource_config_takes_yes_as_onboard_and_offboard_do(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str
) -> None:
    """A script that passes --yes to every write must not break on this one."""
    code, _, err = main_cli(capsys, *smallest_offer(machine, state, "--yes"))
    assert code == 0, err
    code, out, err = main_cli(capsys, "resource-config", "-x", "0.5", "--yes", "--state-dir", state)
    assert code == 0, err
    assert "Resource configuration changed" in out
    assert stored_offer(state).ntx_price == 0.5
    code, out, err = main_cli(capsys, "resource-config", "-x", "0.5", "-y", "--state-dir", state)
    assert code == 0, err
    assert "No change: the offer is already so" in out
    code, _, err = main_cli(capsys, "offboard", "--yes", "--state-dir", state)
    assert code == 0, err


def test_onboard_offers_no_disk_unless_asked(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str
) -> None:
    """As DMS, which has no disk flag: the app's form starts from the same 0."""
    code, _, err = main_cli(capsys, *smallest_offer(machine, state, "--yes"))
    assert code == 0, err
    assert main_json(capsys, "info", "--state-dir", state)["node_id"]
    assert stored_offer(state).disk == 0


def stored_offer(state: str) -> CapacityForNunet:
    offer = OnboardingController(state).current_offer()
    assert offer is not None
    return offer
