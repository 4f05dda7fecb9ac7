"""What an interrupted write left, put right: each file mended said in words, the log line
of an ``apply`` that had nothing else to do, and a leftover that cannot be removed
refused with the way out. The real store; immutability by ``chattr +i``."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from app.onboarding import identity, leftovers
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.offer_file import load_target
from tests.conftest import ETH_ADDRESS
from tests.onboarding.log_lines import logged

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)
FILE = f'cpu = 5000\nmemory = 8000\nchannel = "nunet-team"\naddress = "{ETH_ADDRESS}"\n'


def test_a_missing_metadata_file_of_an_onboarded_node_is_rewritten(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    written = controller.metadata_path.read_bytes()
    controller.metadata_path.unlink()
    assert leftovers.mend(controller) == [f"rewrote {controller.metadata_path}"]
    assert controller.metadata_path.read_bytes() == written


def test_the_files_a_node_not_onboarded_should_not_have_are_removed_key_first(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    key, metadata = controller.key_path.read_bytes(), controller.metadata_path.read_bytes()
    controller.offboard()
    controller.key_path.write_bytes(key)  # what a kill before the commit of onboard leaves
    controller.metadata_path.write_bytes(metadata)
    assert leftovers.mend(controller) == [
        f"removed the leftover node identity {controller.key_path}",
        f"removed the leftover {controller.metadata_path}",
    ]
    assert not identity.key_present(controller.state_dir)
    assert not controller.metadata_path.exists()


def test_apply_with_nothing_else_to_do_logs_what_it_mended(
    controller: OnboardingController,
) -> None:
    controller.apply(load_target(FILE))
    controller.metadata_path.unlink()
    with logged() as lines:
        plan = controller.apply(load_target(FILE))
    assert plan.action == "none"
    assert lines == [
        f"apply: mended what an interrupted write left: rewrote {controller.metadata_path}"
    ]


@pytest.mark.skipif(
    shutil.which("chattr") is None or os.geteuid() != 0, reason="needs chattr, root"
)
def test_a_leftover_that_cannot_be_removed_names_it_and_the_way_out(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    metadata = controller.metadata_path.read_bytes()
    controller.offboard()
    controller.metadata_path.write_bytes(metadata)
    path = str(controller.metadata_path)
    if subprocess.run(["chattr", "+i", path], capture_output=True).returncode:
        pytest.skip("this file system does not support chattr +i")
    try:
        with pytest.raises(StateError) as refused:
            leftovers.mend(controller)
    finally:
        subprocess.run(["chattr", "-i", path], check=True)
    assert str(refused.value) == (
        "cannot put right what an interrupted write left: the system refuses to change "
        f"{path} even with permission to (the directory may be immutable, see 'lsattr -d', "
        "or protected by a security policy); lift that, or choose another with --state-dir "
        "or NUNET_ONBOARD_STATE_DIR"
    )
    assert refused.value.fix == "run 'nunet-onboard offboard --force', then onboard again"
