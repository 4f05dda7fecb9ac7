"""OS errors on the state directory in a person's words, each checked word for word."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.onboarding.errors import StateError
from app.onboarding.state_dir import (
    describe_os_error,
    ensure_private_dir,
    lock_file_problem,
    unusable,
)

CHOOSE = "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"


def test_a_refusal_despite_permission_points_at_immutability() -> None:
    path = Path("/srv/state")
    assert describe_os_error(OSError(errno.EPERM, "Operation not permitted"), path) == (
        "the system refuses to change /srv/state even with permission to (the directory may "
        "be immutable, see 'lsattr -d', or protected by a security policy); lift that, or "
        f"{CHOOSE}"
    )


@pytest.mark.parametrize("below", ["state", "missing/state"], ids=["one", "with-its-parent"])
def test_a_state_directory_that_cannot_be_created_says_why(below: str) -> None:
    from app.onboarding.errors import StateError
    from app.onboarding.store import StateStore
    from tests.conftest import read_only_dir
    from tests.onboarding.test_state_dir import remount_read_only

    with read_only_dir() as base:
        remount_read_only(base)
        state_dir = base / below
        with pytest.raises(StateError) as refused:
            StateStore(state_dir).update(lambda s: None)
        assert str(refused.value) == (
            f"cannot create the state directory: {state_dir} is on a read-only file system; "
            f"{CHOOSE}"
        )
        assert refused.value.fix == CHOOSE


CHOOSE = "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"


def refusal(directory: Path) -> StateError:
    with pytest.raises(StateError) as err:
        ensure_private_dir(directory, ["state.json"])
    return err.value


def test_a_state_dir_that_cannot_be_looked_at_says_why_and_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    directory = tmp_path / "file" / "state"
    err = refusal(directory)
    assert str(err) == (
        f"cannot use the state directory: a part of {directory} is a file, not a "
        f"directory; {CHOOSE}"
    )
    assert err.fix == CHOOSE


def test_a_file_in_the_state_dirs_place_says_to_move_it_or_choose_another(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "state"
    directory.write_text("")
    err = refusal(directory)
    assert str(err) == (
        f"the state directory {directory} is a file, not a directory; {CHOOSE} "
        "(or move that file away)"
    )
    assert err.fix == CHOOSE


def test_a_state_dir_of_another_user_says_what_to_do(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    directory.mkdir(mode=0o700)
    try:
        os.chown(directory, os.geteuid() + 4242, -1)
    except PermissionError:
        pytest.skip("only root can give a directory to another user")
    err = refusal(directory)
    assert f"belongs to user {os.geteuid() + 4242}, not to you" in str(err)
    assert err.fix == CHOOSE


def test_a_path_through_a_file_is_what_status_says_the_first_write_would_refuse(
    tmp_path: Path,
) -> None:
    (tmp_path / "file").write_text("")
    directory = tmp_path / "file" / "state"
    problem = unusable(directory, ["state.json"])
    assert problem is not None and problem.fix == CHOOSE
    assert str(problem) == str(refusal(directory))  # status and the write say the same
    assert str(problem).startswith(f"cannot use the state directory: a part of {directory} ")


@pytest.mark.skipif(
    shutil.which("chattr") is None or os.geteuid() != 0, reason="needs chattr, root"
)
def test_a_directory_of_ours_that_cannot_be_made_private_says_why(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    directory.mkdir()
    directory.chmod(0o755)
    (directory / "state.json").write_text("{}")  # ours: it would be made private
    if subprocess.run(["chattr", "+i", str(directory)], capture_output=True).returncode:
        pytest.skip("this file system does not support chattr +i")
    try:
        err = refusal(directory)
    finally:
        subprocess.run(["chattr", "-i", str(directory)], check=True)
    assert str(err) == (
        f"cannot make the state directory private: the system refuses to change {directory} "
        "even with permission to (the directory may be immutable, see 'lsattr -d', or "
        f"protected by a security policy); lift that, or {CHOOSE}"
    )
    assert err.fix == CHOOSE
    assert directory.stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_lock_file_that_is_no_regular_file_says_what_it_is_and_how_to_mend_it(
    tmp_path: Path, kind: str
) -> None:
    lock = tmp_path / ".state.lock"
    if kind == "symlink":
        lock.symlink_to(tmp_path / "elsewhere")
        what = "a symbolic link, which nunet-onboard does not follow"
    else:
        os.mkfifo(lock)
        what = "not a regular file"
    problem = lock_file_problem(str(lock))
    assert problem is not None
    assert str(problem) == (
        f"the lock file {lock} is {what}, so no command can write the state (offboard "
        "--force included)"
    )
    assert problem.fix == f"rm {lock}; the next write makes a new lock file"
