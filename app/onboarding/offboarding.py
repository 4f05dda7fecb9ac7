"""Offboarding: what it would remove (for the dialog and the prompt) and doing it.

With ``force`` every step is tried and what could not be removed is reported,
not raised: force is the documented way out of a broken state. The state is
written first (it is the commit point) and the key and metadataV2.json removed
only after it: when the state cannot be written they stay, so the node stays
whole. Whatever stands where a file should be is never followed: a link, FIFO or
device is unlinked, a directory moved aside.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.onboarding import identity, leftovers
from app.onboarding.errors import NotOnboarded, OnboardError, StateCorrupt, StateError
from app.onboarding.lock import deferred_signals
from app.onboarding.records import history_entry
from app.onboarding.state_dir import describe_os_error
from app.onboarding.store import FORCE_HINT, LockUnavailable
from app.safe_read import kind_of

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
    from app.onboarding.errors import StrPath
    from app.onboarding.store import State

log = logging.getLogger("nunet_onboard.controller")


@dataclass(frozen=True)
class OffboardPlan:
    """What offboarding would remove and what it keeps, for the dialog and the prompt."""

    remove: tuple[str, ...]
    keep: tuple[str, ...]
    onboarded: bool
    removes_identity: bool = False


@dataclass(frozen=True)
class OffboardResult:
    removed: tuple[str, ...]
    kept: tuple[str, ...]
    failed: tuple[str, ...] = field(default=())


def offboard_plan(ctl: OnboardingController) -> OffboardPlan:
    remove: list[str] = []
    keep: list[str] = []
    onboarded = False
    state: State | None = None
    try:
        state = ctl.store.read()
    except StateCorrupt as exc:
        remove.append(f"the unreadable state file {ctl.state_path}")
        if exc.kept_at:
            keep.append(f"a copy of it at {exc.kept_at}")
    except StateError as exc:
        reason = str(exc).replace(FORCE_HINT, "")
        if _regular_or_absent(ctl.state_path):
            keep.append(f"the state file, which cannot be read or removed here ({reason})")
        else:
            remove.append(
                f"the state file {ctl.state_path}, which cannot be read ({reason}): a directory "
                "is moved aside, a link, FIFO or device removed (never followed)"
            )
    if state is not None:
        if state.get("metadata") is not None:
            onboarded = identity.identity_exists(ctl.directory)
            offer = state.get("offer") or {}
            remove.append(
                f"the offer and metadata (cpu {offer.get('cpu')} MHz, memory {offer.get('memory')} MB, "
                f"channel {offer.get('channel')}) in {ctl.state_path}"
            )
            remove.append("the available resources record")
        wallets = state.get("wallets", [])
        if wallets:
            keep.append(f"{len(wallets)} wallet record(s) (public addresses only)")
        for w in wallets:
            for p in w.get("exports", []):
                keep.append(f"exported key file {p}")
        if state.get("history"):
            keep.append("the history of actions")
    if os.path.lexists(ctl.metadata_path):
        remove.append(f"DMS's metadata file {ctl.metadata_path}")
    key_present = identity.key_present(ctl.directory)
    if key_present:
        remove.append(f"the node identity {ctl.key_path}")
    keep.append(f"the log files in {ctl.log_path.parent}")
    return OffboardPlan(
        remove=tuple(remove),
        keep=tuple(keep),
        onboarded=onboarded,
        removes_identity=key_present,
    )


def _regular_or_absent(path: StrPath) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return True


def offboard(
    ctl: OnboardingController, force: bool = False, *, base_revision: int | None = None
) -> OffboardResult:
    """Remove the offer, metadata, available resources and node identity.

    Without ``force`` the state must be readable and complete. With it, every
    step is tried past every error it can get past (an unreadable or unusable
    state file, a read-only directory): an unreadable state file is kept aside
    and removed, and what could not be removed is reported rather than raised.
    Force never steps past a lock another process holds (``LockTimeout``): that
    process may be writing. The whole offboarding holds the lock, so a
    concurrent onboard sees all of it or none. ``base_revision`` is the revision
    the user saw when they confirmed; a change since then refuses.
    """
    plan = offboard_plan(ctl)
    removed: list[str] = []
    failed: list[str] = []
    with contextlib.ExitStack() as held:
        locked = True
        try:
            held.enter_context(ctl.store.locked())
        except LockUnavailable as exc:
            if not force:
                raise
            failed.append(f"worked without the state lock: {exc}")
            locked = False
        held.enter_context(deferred_signals())
        _offboard_held(ctl, force, base_revision, removed, failed, locked=locked)
    log.info("offboarded%s: removed %s; failed %s", " (forced)" if force else "", removed, failed)
    return OffboardResult(removed=tuple(removed), kept=plan.keep, failed=tuple(failed))


def _read_for_offboard(
    ctl: OnboardingController, force: bool, removed: list[str], failed: list[str]
) -> tuple[State | None, bool]:
    """The state, or None; and whether the state on disk now names no onboarding
    (it says so, or an unreadable one was cleared away), so the files may go."""
    try:
        state = ctl.store.read()
        return state, state.get("metadata") is None
    except StateCorrupt as exc:
        if not force:
            raise
        if exc.kept_at is None:
            failed.append(f"could not keep a copy of {ctl.state_path}; it was left in place")
            return None, False
        try:
            ctl.store.remove_state_file()
            removed.append(f"the unreadable state file (kept at {exc.kept_at})")
            return None, True
        except OSError as err:
            failed.append(
                f"could not remove {ctl.state_path}: {describe_os_error(err, ctl.state_path)}"
            )
    except StateError as exc:
        if not force:
            raise
        return None, _clear_state_path(ctl, str(exc).replace(FORCE_HINT, ""), removed, failed)
    return None, False


def _clear_state_path(
    ctl: OnboardingController, reason: str, removed: list[str], failed: list[str]
) -> bool:
    """Force's way past a state file that is not a regular file: a link, a FIFO or a
    device is unlinked (never followed), a directory moved aside. False: left there."""
    path = os.fspath(ctl.state_path)
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISREG(mode):  # a file we may not read: not ours to remove
            failed.append(reason)
            return False
        if stat.S_ISDIR(mode):
            removed.append(
                f"the state file {path}, a directory (moved aside to {_move_aside(path)})"
            )
        else:
            os.unlink(path)
            removed.append(f"the state file {path}, which was {kind_of(mode)}")
    except FileNotFoundError:
        return True
    except OSError as exc:
        failed.append(f"{reason}; could not clear it: {describe_os_error(exc, path)}")
        return False
    return True


def _move_aside(path: str) -> str:
    """Rename ``path`` to a free ``<path>.moved-aside[-N]`` beside it; its new name."""
    for n in range(1, 1000):
        target = f"{path}.moved-aside" + (f"-{n}" if n > 1 else "")
        if not os.path.lexists(target):
            os.rename(path, target)
            return target
    raise FileExistsError(errno.EEXIST, "no free name to move it aside to", path)


def _offboard_held(
    ctl: OnboardingController,
    force: bool,
    base_revision: int | None,
    removed: list[str],
    failed: list[str],
    *,
    locked: bool = True,
) -> None:
    """The state first (the commit point), then the files it no longer names."""
    state, cleared = _read_for_offboard(ctl, force, removed, failed)
    has_meta = state is not None and state.get("metadata") is not None
    if not force:
        if not has_meta and not leftovers.needs_mending(ctl.directory, None):
            raise NotOnboarded("offboarding")
        if has_meta and not identity.identity_exists(ctl.directory):
            raise StateError(
                "the onboarding state is inconsistent (see 'nunet-onboard status'); "
                "use 'nunet-onboard offboard --force' to clean it up",
                fix="run 'nunet-onboard offboard --force'",
            )
    if state is not None and (has_meta or state.get("offer") or state.get("available_resources")):
        cleared = _write_offboarded(ctl, force, base_revision, removed, failed, locked=locked)
    if not cleared:
        present = [
            what
            for what, there in (
                ("the node identity", identity.key_present(ctl.directory)),
                ("DMS's metadata file", os.path.lexists(ctl.metadata_path)),
            )
            if there
        ]
        if present:
            one = len(present) == 1
            failed.append(
                f"{' and '.join(present)} {'was' if one else 'were'} kept: the state file "
                f"could not be written, and it may still name {'it' if one else 'them'}"
            )
        return
    _remove(
        ctl,
        os.fspath(ctl.metadata_path),
        f"DMS's metadata file {ctl.metadata_path}",
        force,
        removed,
        failed,
    )
    _remove(
        ctl, os.fspath(ctl.key_path), f"the node identity {ctl.key_path}", force, removed, failed
    )


def _write_offboarded(
    ctl: OnboardingController,
    force: bool,
    base_revision: int | None,
    removed: list[str],
    failed: list[str],
    *,
    locked: bool,
) -> bool:
    """Commit a state without the onboarding; True once it is written."""
    if not locked:
        return False  # no write without the lock; the lock's failure is already said

    def apply(s: State) -> None:
        s["offer"] = None
        s["metadata"] = None
        s["available_resources"] = None
        s["history"].append(history_entry("offboard", detail="forced" if force else ""))

    try:
        ctl.store.update(apply, base_revision=None if force else base_revision)
    except OnboardError as exc:
        if not force:
            raise
        failed.append(str(exc))
        return False
    removed.append("the offer, metadata and available resources")
    return True


def _remove(
    ctl: OnboardingController,
    path: str,
    label: str,
    force: bool,
    removed: list[str],
    failed: list[str],
) -> None:
    """Remove a file the committed state no longer names; with force, a directory in
    its place is moved aside. Never follows a link."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode) and force:
            removed.append(f"{label} (a directory, moved aside to {_move_aside(path)})")
            return
        os.unlink(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        if not os.path.lexists(path):  # a read-only file system answers EROFS first
            return
        reason = describe_os_error(exc, path)
        if not force and path == os.fspath(ctl.key_path):
            raise StateError(f"cannot remove the node identity: {reason}") from exc
        what = "the node identity" if path == os.fspath(ctl.key_path) else path
        failed.append(f"could not remove {what}: {reason}")
        return
    removed.append(label)
