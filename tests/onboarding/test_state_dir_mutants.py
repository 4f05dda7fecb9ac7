"""OS errors on the state directory in a person's words, word for word for the ones
mutation testing found only partly checked."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.onboarding.state_dir import describe_os_error

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
