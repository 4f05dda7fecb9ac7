"""Files an interrupted write left beside ``state.json``, found without a lock and mended.

``state.json`` is the commit point: the node key and metadataV2.json are written
before it and removed after it, so a writer killed between two steps leaves either
a key or a metadata file that the state does not name (an interrupted onboard, or
an offboard after its commit) or a metadata file one change ahead of the state (an
interrupted resource-config). The state is still the truth, so these are not
problems: ``status`` notes them, the next write mends them (onboard replaces the
key, every write rewrites or removes the metadata file), and so do ``offboard`` and
``apply`` (an apply that changes nothing mends them too, so a fleet converges
without ``force``).

Only what a write can mend counts: a directory at either path is not a leftover
(status reports it; ``offboard --force`` moves it aside). Plain ``os`` here: status
calls ``notes``.
"""

from __future__ import annotations

import os
import stat

from app.onboarding import identity, metadata_v2

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.onboarding.reader import StateReader


def _replaceable(target: str) -> bool:
    """Something is at ``target`` and a write can remove or replace it (not a directory)."""
    try:
        return not stat.S_ISDIR(os.lstat(target).st_mode)
    except OSError:
        return False


def stray_key(directory: str, metadata: Any) -> bool:
    """A key (or anything but a directory) at the key's path that the state does not name."""
    return not isinstance(metadata, dict) and _replaceable(identity.key_path(directory))


def stray_metadata_file(directory: str, metadata: Any) -> bool:
    """A metadata file the state does not vouch for, which the next write mends: one left
    while the state has no metadata, or one that differs from the state's metadata."""
    return metadata_file_leftover(directory, metadata_v2.disagreement(directory, metadata))


def metadata_file_leftover(directory: str, mismatch: str | None) -> bool:
    """``stray_metadata_file`` given ``metadata_v2.disagreement``'s answer, ``mismatch``
    (status has it already: the file is not read again)."""
    return mismatch is not None and _replaceable(metadata_v2.path(directory))


def notes(directory: str, metadata: Any, mismatch: str | None) -> list[str]:
    """What an interrupted write left, in words, for status's notes ([] when nothing);
    ``mismatch`` is ``metadata_v2.disagreement``'s answer for ``metadata``."""
    found = []
    if stray_key(directory, metadata):
        found.append(
            f"a node identity {identity.key_path(directory)} is left from an interrupted "
            "onboard or offboard (the state file names none, so this machine is not "
            "onboarded); the next onboard replaces it, and offboard or apply removes it"
        )
    if metadata_file_leftover(directory, mismatch):
        kind = "change" if isinstance(metadata, dict) else "onboard or offboard"
        found.append(
            f"{metadata_v2.path(directory)} does not match the state file (left by an "
            f"interrupted {kind}, or edited by hand); the state file is what counts, and "
            "the next write or apply rewrites it"
        )
    return found


def needs_mending(directory: str, metadata: Any) -> bool:
    """True when ``mend`` has something to do (checked without the lock)."""
    if stray_key(directory, metadata) or stray_metadata_file(directory, metadata):
        return True
    return isinstance(metadata, dict) and not os.path.lexists(metadata_v2.path(directory))


def mend(ctl: StateReader) -> list[str]:
    """Under the lock, put the files back in step with the state; what was mended, in words.

    The state is read again under the lock, so a leftover is judged by the state that
    is committed now. Raises ``OnboardError`` when the lock or the state cannot be had,
    or a file cannot be removed or written.
    """
    try:
        return _mend(ctl)
    except OSError as exc:
        from app.onboarding.errors import StateError
        from app.onboarding.state_dir import describe_os_error

        where = exc.filename or ctl.directory
        raise StateError(
            f"cannot put right what an interrupted write left: {describe_os_error(exc, where)}",
            fix="run 'nunet-onboard offboard --force', then onboard again",
        ) from exc


def _mend(ctl: StateReader) -> list[str]:
    from app.onboarding.lock import deferred_signals  # writers only

    mended: list[str] = []
    with ctl.store.locked(), deferred_signals():
        metadata = ctl.store.read().get("metadata")
        if stray_key(ctl.directory, metadata):
            identity.remove_leftover(ctl.directory)
            mended.append(f"removed the leftover node identity {identity.key_path(ctl.directory)}")
        if needs_mending(ctl.directory, metadata):
            metadata_v2.sync(ctl.directory, {"metadata": metadata})
            done = "rewrote" if isinstance(metadata, dict) else "removed the leftover"
            mended.append(f"{done} {metadata_v2.path(ctl.directory)}")
    return mended
