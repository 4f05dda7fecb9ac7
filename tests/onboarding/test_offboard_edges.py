"""Offboarding at its edges: the refusals word for word,
half-written states that force cleans (an offer alone, resources alone), a forced run past
a stale revision, what a read-only or immutable directory leaves (each failure said in
words), and the log line. Real files; read-only as tests/conftest.py makes them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded, StateError
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine
from tests.onboarding.log_lines import logged

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)
CLEARED = "the offer, metadata and available resources"
CHOOSE = "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"


def edit_state(ctl: OnboardingController, change: Any) -> None:
    data = json.loads(ctl.state_path.read_text())
    change(data)
    ctl.state_path.write_text(json.dumps(data))


def test_offboarding_a_node_never_onboarded(controller: OnboardingController) -> None:
    with pytest.raises(NotOnboarded) as refused:
        controller.offboard()
    assert str(refused.value) == (
        "this machine is not onboarded, so offboarding is not possible; onboard first"
    )


def test_offboarding_an_inconsistent_node_says_to_force(controller: OnboardingController) -> None:
    controller.onboard(OFFER)
    controller.key_path.unlink()
    with pytest.raises(StateError) as refused:
        controller.offboard()
    assert str(refused.value) == (
        "the onboarding state is inconsistent (see 'nunet-onboard status'); "
        "use 'nunet-onboard offboard --force' to clean it up"
    )
    assert refused.value.fix == "run 'nunet-onboard offboard --force'"


@pytest.mark.parametrize("left", ["offer", "available_resources"])
def test_force_clears_an_offer_or_resources_left_without_metadata(
    controller: OnboardingController, left: str
) -> None:
    controller.onboard(OFFER)
    controller.key_path.unlink()

    def only(data: dict[str, Any]) -> None:
        for key in ("offer", "metadata", "available_resources"):
            if key != left:
                data[key] = None

    edit_state(controller, only)
    result = controller.offboard(force=True)
    assert CLEARED in result.removed and result.failed == ()
    state = controller.store.read()
    assert (state["offer"], state["metadata"], state["available_resources"]) == (None, None, None)
    assert controller.history()[-1]["detail"] == "forced"


def test_force_goes_past_a_stale_revision(controller: OnboardingController) -> None:
    controller.onboard(OFFER)
    seen = controller.revision()
    controller.change_offer({"cpu": 6000})
    result = controller.offboard(force=True, base_revision=seen)
    assert CLEARED in result.removed and result.failed == ()
    assert not controller.is_onboarded()


def test_the_log_says_what_was_removed_and_whether_forced(
    controller: OnboardingController,
) -> None:
    with logged() as lines:
        controller.onboard(OFFER)
        plain = controller.offboard()
        controller.onboard(OFFER)
        forced = controller.offboard(force=True)
    assert [line for line in lines if line.startswith("offboarded")] == [
        f"offboarded: removed {list(plain.removed)}; failed []",
        f"offboarded (forced): removed {list(forced.removed)}; failed []",
    ]


def test_a_read_only_directory_says_each_thing_it_could_not_do() -> None:
    from tests.conftest import read_only_dir
    from tests.onboarding.test_state_dir import remount_read_only, remount_read_only_back

    with read_only_dir() as base:
        remount_read_only_back(base)
        ctl = OnboardingController(base / "state", probe=lambda: fake_machine())
        ctl.onboard(OFFER)
        remount_read_only(base)
        failed = ctl.offboard(force=True).failed
        lock = ctl.state_dir / ".state.lock"
        cannot_write = f"cannot write in the state directory: {lock} is on a read-only file system"
        assert failed == (
            f"worked without the state lock: {cannot_write}; {CHOOSE}",
            "the node identity and DMS's metadata file were kept: the state file could not "
            "be written, and it may still name them",
        )
        assert ctl.key_path.exists() and ctl.metadata_path.exists()


def test_a_read_only_directory_does_not_report_a_metadata_file_that_is_not_there() -> None:
    """On a read-only file system unlink fails with EROFS before it can say "not found";
    a file that is not there is not a failure to remove it."""
    from tests.conftest import read_only_dir
    from tests.onboarding.test_state_dir import remount_read_only, remount_read_only_back

    with read_only_dir() as base:
        remount_read_only_back(base)
        ctl = OnboardingController(base / "state", probe=lambda: fake_machine())
        ctl.onboard(OFFER)
        (ctl.state_dir / "metadataV2.json").unlink()
        remount_read_only(base)
        failed = ctl.offboard(force=True).failed
        assert failed, "the read-only directory must still be reported"
        assert not [line for line in failed if "metadataV2.json" in line]


def test_an_unreadable_state_that_cannot_be_copied_is_left_in_place() -> None:
    from tests.conftest import read_only_dir
    from tests.onboarding.test_state_dir import remount_read_only, remount_read_only_back

    with read_only_dir() as base:
        remount_read_only_back(base)
        ctl = OnboardingController(base / "state", probe=lambda: fake_machine())
        ctl.onboard(OFFER)
        ctl.state_path.write_text("{not json")
        remount_read_only(base)
        failed = ctl.offboard(force=True).failed
        assert f"could not keep a copy of {ctl.state_path}; it was left in place" in failed
        assert ctl.state_path.read_text() == "{not json"


@pytest.mark.skipif(
    shutil.which("chattr") is None or os.geteuid() != 0, reason="needs chattr, root"
)
def test_an_unreadable_state_file_that_cannot_be_removed_says_why(state_dir: Path) -> None:
    ctl = OnboardingController(state_dir, probe=lambda: fake_machine())
    ctl.store.ensure_dir()
    ctl.state_path.write_text("{not json")
    if subprocess.run(["chattr", "+i", str(ctl.state_path)], capture_output=True).returncode:
        pytest.skip("this file system does not support chattr +i")
    try:
        result = ctl.offboard(force=True)
    finally:
        subprocess.run(["chattr", "-i", str(ctl.state_path)], check=True)
    assert result.failed == (
        f"could not remove {ctl.state_path}: the system refuses to change {ctl.state_path} "
        "even with permission to (the directory may be immutable, see 'lsattr -d', or "
        f"protected by a security policy); lift that, or {CHOOSE}",
    )


def test_the_plan_lists_a_wallet_record_without_exports(controller: OnboardingController) -> None:
    controller.restore_wallet(
        "ethereum", "test test test test test test test test test test test junk"
    )
    edit_state(controller, lambda s: s["wallets"][0].pop("exports"))
    keep = controller.offboard_plan().keep
    assert keep[0] == "1 wallet record(s) (public addresses only)"
    assert not [k for k in keep if k.startswith("exported key file")]
