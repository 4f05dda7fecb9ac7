"""Offboarding past files it cannot remove: an immutable key or metadataV2.json (``chattr
+i``, which stops root too), and a directory in a file's place with every name to move it
aside to taken. The state is written first, so the node is offboarded; what stays is
named, in words, with the reason; without ``--force`` the key that stays is an error.
Real files on this machine's file system; the test is skipped where ``chattr +i`` is not
supported."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateError
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

OFFER = CapacityForNunet(cpu=10000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)
CLEARED = "the offer, metadata and available resources"


def refused(path: Path) -> str:
    return (
        f"the system refuses to change {path} even with permission to (the directory may be "
        "immutable, see 'lsattr -d', or protected by a security policy); lift that, or "
        "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"
    )


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    if shutil.which("chattr") is None or os.geteuid() != 0:
        pytest.skip("needs chattr, as root")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("this file system does not support chattr +i")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def onboarded(tmp_path: Path) -> OnboardingController:
    ctl = OnboardingController(tmp_path / "state", probe=lambda: fake_machine())
    ctl.onboard(OFFER)
    return ctl


@pytest.mark.parametrize("force", [True, False])
def test_an_immutable_metadata_file_is_named_as_kept(tmp_path: Path, force: bool) -> None:
    ctl = onboarded(tmp_path)
    with immutable(ctl.metadata_path):
        result = ctl.offboard(force=force)
    assert result.failed == (f"could not remove {ctl.metadata_path}: {refused(ctl.metadata_path)}",)
    assert result.removed == (CLEARED, f"the node identity {ctl.key_path}")
    assert not ctl.is_onboarded() and ctl.metadata_path.is_file()


def test_an_immutable_key_with_force_is_named_as_kept(tmp_path: Path) -> None:
    ctl = onboarded(tmp_path)
    with immutable(ctl.key_path):
        result = ctl.offboard(force=True)
    assert result.failed == (f"could not remove the node identity: {refused(ctl.key_path)}",)
    assert result.removed == (CLEARED,)  # metadataV2.json goes with the state written
    assert not ctl.is_onboarded() and ctl.key_path.is_file()


def test_an_immutable_key_without_force_is_an_error_after_the_state_is_written(
    tmp_path: Path,
) -> None:
    ctl = onboarded(tmp_path)
    with immutable(ctl.key_path), pytest.raises(StateError) as error:
        ctl.offboard()
    assert str(error.value) == f"cannot remove the node identity: {refused(ctl.key_path)}"
    assert not ctl.is_onboarded() and not ctl.metadata_path.exists()
    assert ctl.offboard(force=True).removed == (f"the node identity {ctl.key_path}",)


def test_a_directory_with_every_name_to_move_it_aside_to_taken_stays(tmp_path: Path) -> None:
    ctl = onboarded(tmp_path)
    key = ctl.key_path
    key.unlink()
    key.mkdir()
    Path(f"{key}.moved-aside").touch()
    for n in range(2, 1000):
        Path(f"{key}.moved-aside-{n}").touch()
    result = ctl.offboard(force=True)
    assert result.failed == (
        f"could not remove the node identity: no free name to move it aside to ({key})",
    )
    assert key.is_dir()
    os.unlink(f"{key}.moved-aside-999")  # the last name it tries
    assert ctl.offboard(force=True).removed == (
        f"the node identity {key} (a directory, moved aside to {key}.moved-aside-999)",
    )
