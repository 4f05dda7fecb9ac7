"""OS errors on the state directory in a person's words, each checked word for word."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.onboarding.errors import StateError
from app.onboarding.state_dir import describe_os_error, ensure_private_dir

CHOOSE = "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"


def test_a_refusal_despite_permission_points_at_immutability() -> None:
    path = Path("/srv/state")
    assert describe_os_error(OSError(errno.EPERM, "Operation not permitted"), path) == (
        "the system refuses to change /srv/state even with permission to (the directory may "
        "be immutable, see 'lsattr -d', or protected by a security policy); lift that, or "
        f"{CHOOSE}"
    )


def test_a_state_directory_that_cannot_be_created_says_why() -> None:
    from app.onboarding.errors import StateError
    from app.onboarding.store import StateStore
    from tests.conftest import read_only_dir
    from tests.onboarding.test_state_dir import remount_read_only

    with read_only_dir() as base:
        remount_read_only(base)
        state_dir = base / "state"
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
