"""offboard --force: the state first, the files after it, and never through a link.

A forced offboard removes the node key and metadataV2.json only once a state that no
longer names them is written (or an unreadable one cleared away): when the state
cannot be written (the lock file unusable, a full disk, a revision at its limit) they
stay, so the node stays whole. Whatever stands where a file should be (a symbolic
link, a FIFO, a device, a directory) is unlinked or moved aside, never followed.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from app.onboarding import identity
from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from app.onboarding.state_schema import MAX_WHOLE
from tests.conftest import ETH_ADDRESS, tmpfs
from tests.fakes import fake_machine

OFFER = CapacityForNunet(cpu=10000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)


def onboarded(state_dir: Path) -> OnboardingController:
    ctl = OnboardingController(state_dir, probe=lambda: fake_machine())
    ctl.onboard(OFFER)
    return ctl


def assert_offboarded(ctl: OnboardingController) -> None:
    assert not identity.key_present(ctl.state_dir)
    assert not os.path.lexists(ctl.metadata_path)
    status = ctl.status()
    assert (status.onboarded, status.problems, status.notes) == (False, (), ())


def assert_whole(ctl: OnboardingController) -> None:
    """Still onboarded, and consistent: the state names the key that is there."""
    assert ctl.is_onboarded()
    assert identity.load_peer_id(ctl.state_dir) == ctl.get_metadata().node_id
    assert ctl.metadata_path.is_file()


# -- the state file is not a regular file -------------------------------------------------
def _symlink(path: Path, tmp: Path) -> str:
    elsewhere = tmp / "elsewhere.json"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    return "a symbolic link (not followed)"


def _fifo(path: Path, tmp: Path) -> str:
    path.unlink()
    os.mkfifo(path, 0o600)
    return "a FIFO (named pipe)"


def _device(path: Path, tmp: Path) -> str:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    path.unlink()
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    return "a character device"


@pytest.mark.parametrize("make", [_symlink, _fifo, _device], ids=["symlink", "fifo", "device"])
def test_a_state_file_that_is_a_link_fifo_or_device_is_unlinked_never_followed(
    tmp_path: Path, make: Callable[[Path, Path], str]
) -> None:
    ctl = onboarded(tmp_path / "state")
    kind = make(ctl.state_path, tmp_path)
    result = ctl.offboard(force=True)
    assert result.failed == ()
    assert result.removed == (
        f"the state file {ctl.state_path}, which was {kind}",
        f"DMS's metadata file {ctl.metadata_path}",
        f"the node identity {ctl.key_path}",
    )
    assert not os.path.lexists(ctl.state_path)
    assert_offboarded(ctl)
    if make is _symlink:  # what it pointed to is untouched
        assert json.loads((tmp_path / "elsewhere.json").read_text())["metadata"] is not None
    if make is _device:
        assert os.path.exists("/dev/null")


def test_a_state_file_that_is_a_directory_is_moved_aside_with_what_it_holds(
    tmp_path: Path,
) -> None:
    ctl = onboarded(tmp_path / "state")
    ctl.state_path.unlink()
    ctl.state_path.mkdir()
    (ctl.state_path / "kept").write_text("yours")
    aside = Path(f"{ctl.state_path}.moved-aside")
    aside.mkdir()  # a name already taken is not reused
    result = ctl.offboard(force=True)
    assert result.failed == ()
    assert result.removed[0] == (
        f"the state file {ctl.state_path}, a directory (moved aside to {aside}-2)"
    )
    assert (Path(f"{aside}-2") / "kept").read_text() == "yours"
    assert_offboarded(ctl)


@pytest.mark.parametrize("name", ["node.key", "metadataV2.json"])
def test_a_key_or_metadata_file_that_is_a_directory_is_moved_aside(
    tmp_path: Path, name: str
) -> None:
    ctl = onboarded(tmp_path / "state")
    path = ctl.state_dir / name
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")
    result = ctl.offboard(force=True)
    assert result.failed == ()
    label = "the node identity" if name == "node.key" else "DMS's metadata file"
    assert f"{label} {path} (a directory, moved aside to {path}.moved-aside)" in result.removed
    assert (Path(f"{path}.moved-aside") / "inside").read_text() == "x"
    assert_offboarded(ctl)


def test_a_key_that_is_a_symlink_is_unlinked_and_its_target_kept(tmp_path: Path) -> None:
    ctl = onboarded(tmp_path / "state")
    target = tmp_path / "precious"
    target.write_text("not ours")
    ctl.key_path.unlink()
    ctl.key_path.symlink_to(target)
    assert ctl.offboard(force=True).failed == ()
    assert target.read_text() == "not ours"
    assert_offboarded(ctl)


# -- the state cannot be written: nothing else goes -----------------------------------------
@pytest.mark.parametrize("kind", ["directory", "symlink", "fifo"])
def test_an_unusable_lock_file_keeps_the_node_whole_and_status_names_the_fix(
    tmp_path: Path, kind: str
) -> None:
    ctl = onboarded(tmp_path / "state")
    lock = ctl.state_dir / ".state.lock"
    lock.unlink()
    if kind == "directory":
        lock.mkdir()
    elif kind == "symlink":
        lock.symlink_to(tmp_path / "elsewhere")
    else:
        os.mkfifo(lock, 0o600)
    result = ctl.offboard(force=True)
    assert result.removed == ()
    assert result.failed[-1] == (
        "the node identity and DMS's metadata file were kept: the state file could not be "
        "written, and it may still name them"
    )
    assert_whole(ctl)
    status = ctl.status()
    (problem,) = status.problems
    assert problem.kind == "unusable" and str(lock) in problem.message
    assert problem.fix.startswith(("rm ", "remove that directory")) and "--force" not in problem.fix
    assert not (tmp_path / "elsewhere").exists()  # the link was never followed
    if kind == "directory":
        lock.rmdir()
    else:
        lock.unlink()
    assert ctl.offboard().failed == ()
    assert_offboarded(ctl)


def test_a_revision_at_its_limit_keeps_the_node_whole(tmp_path: Path) -> None:
    ctl = onboarded(tmp_path / "state")
    state = json.loads(ctl.state_path.read_text())
    state["revision"] = MAX_WHOLE
    ctl.state_path.write_text(json.dumps(state))
    result = ctl.offboard(force=True)
    assert result.removed == ()
    assert result.failed[0].startswith("refusing to write a state of the wrong shape: revision")
    assert_whole(ctl)
    assert ctl.status().problems == ()


def small_disk() -> contextlib.AbstractContextManager[Path]:
    """A 256 KiB tmpfs (root only), so that a write can meet a full disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    return tmpfs("256k", refused="cannot mount a tmpfs here")


def _fill(directory: Path) -> None:
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):
            while os.write(fd, b"\0" * 4096):
                pass
    finally:
        os.close(fd)


def test_a_full_disk_keeps_the_node_whole(tmp_path: Path) -> None:
    with small_disk() as disk:
        ctl = onboarded(disk / "state")
        _fill(disk)
        result = ctl.offboard(force=True)
        assert result.removed == ()
        assert "no space left on the device" in result.failed[0]
        assert_whole(ctl)
        (disk / "filler").unlink()
        assert ctl.offboard().failed == ()
        assert_offboarded(ctl)


def test_with_the_lock_file_unusable_no_fix_advises_force_alone(tmp_path: Path) -> None:
    """offboard --force cannot write either while the lock file is unusable: every
    problem's fix starts with removing it."""
    ctl = onboarded(tmp_path / "state")
    ctl.key_path.unlink()  # inconsistent: the state names a key that is gone
    lock = ctl.state_dir / ".state.lock"
    lock.unlink()
    lock.mkdir()
    unusable, inconsistent = ctl.status().problems
    remove = f"remove that directory (rm -r {lock}); the next write makes a new lock file"
    assert (unusable.kind, unusable.fix) == ("unusable", remove)
    assert inconsistent.kind == "inconsistent"
    assert (
        inconsistent.fix
        == f"{remove}; then run 'nunet-onboard offboard --force', then onboard again"
    )
    lock.rmdir()
    assert ctl.offboard(force=True).failed == ()
    assert_offboarded(ctl)
