"""Offboarding: what it would remove (for the dialog and the prompt) and doing it.

With ``force`` every step is tried and what could not be removed is reported,
not raised: force is the documented way out of a broken state.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.onboarding import identity, metadata_v2
from app.onboarding.errors import NotOnboarded, OnboardError, StateCorrupt, StateError
from app.onboarding.lock import deferred_signals
from app.onboarding.records import history_entry
from app.onboarding.state_dir import describe_os_error
from app.onboarding.store import FORCE_HINT, LockUnavailable

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
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
        keep.append(f"the state file, which cannot be read or removed here ({reason})")
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
        try:
            held.enter_context(ctl.store.locked())
        except LockUnavailable as exc:
            if not force:
                raise
            failed.append(f"worked without the state lock: {exc}")
        held.enter_context(deferred_signals())
        _offboard_held(ctl, force, base_revision, removed, failed)
    log.info("offboarded%s: removed %s; failed %s", " (forced)" if force else "", removed, failed)
    return OffboardResult(removed=tuple(removed), kept=plan.keep, failed=tuple(failed))


def _read_for_offboard(
    ctl: OnboardingController, force: bool, removed: list[str], failed: list[str]
) -> State | None:
    try:
        return ctl.store.read()
    except StateCorrupt as exc:
        if not force:
            raise
        if exc.kept_at is None:
            failed.append(f"could not keep a copy of {ctl.state_path}; it was left in place")
            return None
        try:
            ctl.store.remove_state_file()
            removed.append(f"the unreadable state file (kept at {exc.kept_at})")
        except OSError as err:
            failed.append(
                f"could not remove {ctl.state_path}: {describe_os_error(err, ctl.state_path)}"
            )
    except StateError as exc:
        if not force:
            raise
        failed.append(str(exc).replace(FORCE_HINT, ""))  # this is that forced offboard
    return None


def _offboard_held(
    ctl: OnboardingController,
    force: bool,
    base_revision: int | None,
    removed: list[str],
    failed: list[str],
) -> None:
    state = _read_for_offboard(ctl, force, removed, failed)
    has_meta = state is not None and state.get("metadata") is not None
    key_present = identity.key_present(ctl.directory)
    if not force:
        has_key = identity.identity_exists(ctl.directory)
        if not has_meta and not key_present:
            raise NotOnboarded("offboarding")
        if not (has_meta and has_key):
            raise StateError(
                "the onboarding state is inconsistent (see 'nunet-onboard status'); "
                "use 'nunet-onboard offboard --force' to clean it up",
                fix="run 'nunet-onboard offboard --force'",
            )

    if state is not None and (has_meta or state.get("offer") or state.get("available_resources")):

        def apply(s: State) -> None:
            s["offer"] = None
            s["metadata"] = None
            s["available_resources"] = None
            s["history"].append(history_entry("offboard", detail="forced" if force else ""))

        try:
            ctl.store.update(apply, base_revision=None if force else base_revision)
            removed.append("the offer, metadata and available resources")
        except OnboardError as exc:
            if not force:
                raise
            failed.append(str(exc))
    if force or has_meta:  # a forced offboard of an unreadable state writes no update
        existed = os.path.lexists(ctl.metadata_path)
        left = metadata_v2.remove(ctl.directory)
        if left:
            failed.append(left)
        elif existed:
            removed.append(f"DMS's metadata file {ctl.metadata_path}")
    if key_present:
        try:
            ctl.key_path.unlink()
            removed.append(f"the node identity {ctl.key_path}")
        except OSError as exc:
            reason = describe_os_error(exc, ctl.key_path)
            if not force:
                raise StateError(f"cannot remove the node identity: {reason}") from exc
            failed.append(f"could not remove the node identity: {reason}")
