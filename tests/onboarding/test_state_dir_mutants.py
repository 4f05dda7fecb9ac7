"""OS errors on the state directory in a person's words, word for word for the ones
mutation testing found only partly checked."""

from __future__ import annotations

import errno
from pathlib import Path

from app.onboarding.state_dir import describe_os_error

CHOOSE = "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"


def test_a_refusal_despite_permission_points_at_immutability() -> None:
    path = Path("/srv/state")
    assert describe_os_error(OSError(errno.EPERM, "Operation not permitted"), path) == (
        "the system refuses to change /srv/state even with permission to (the directory may "
        "be immutable, see 'lsattr -d', or protected by a security policy); lift that, or "
        f"{CHOOSE}"
    )
