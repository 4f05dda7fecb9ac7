"""Validating an offer, onboarding with it, and changing it (resource-config).

Every way in (``onboard``, ``resource-config``, ``apply`` and the app's review)
goes through one prepare step, ``prepare``: one read of the state, the rules the
offer breaks, the warnings it deserves and the revision read, the same for each
of them. The write is then one commit under the lock, which alone decides
"already onboarded" and "not onboarded" for good. Each write names the state
revision it was prepared from (``base_revision``), so an offer made from a form
or prompt that has since gone stale is refused by the store rather than written
over a change made elsewhere.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from app.light_record import Record
from app.onboarding import identity, metadata_v2, rules
from app.onboarding.changes import describe_change
from app.onboarding.errors import NotOnboarded, OnboardError, Problem, StateError
from app.onboarding.lock import deferred_signals
from app.onboarding.records import build_records, describe, history_entry
from app.onboarding.refusals import AlreadyOnboarded, RuleViolation
from app.onboarding.state_dir import describe_os_error

if TYPE_CHECKING:
    from typing import Any

    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet, Metadata
    from app.onboarding.store import State

log = logging.getLogger("nunet_onboard.controller")

ONBOARD, CHANGE = "onboard", "resource-config"
"""The writes ``prepare`` prepares; any other action (the app's live form) checks the
offer alone, whatever the state."""


class Prepared(Record):
    """An offer prepared for one write: what every way in shows before it writes."""

    capacity: CapacityForNunet
    problems: tuple[Problem, ...]
    """The rules it breaks: the write is refused while there is one."""
    warnings: tuple[Problem, ...]
    """What the rules accept but deserves a second look (as DMS accepts it)."""
    revision: int
    """The state's revision read: pass it back as ``base_revision`` to refuse a write
    over a change made meanwhile."""
    kept_gpus: tuple[Any, ...] | None = None
    """The stored ``gpu_info`` kept when the GPUs cannot be read now (see ``_check_offer``)."""

    def refuse(self) -> None:
        """Raise ``RuleViolation`` when a rule is broken; nothing has been written."""
        if self.problems:
            raise RuleViolation(list(self.problems))


def prepare(
    ctl: OnboardingController,
    capacity: CapacityForNunet,
    action: str | None = None,
    *,
    state: State | None = None,
    warn: bool = True,
) -> Prepared:
    """The one prepare step of every write: one read of the state (unless ``state`` is
    the one the caller read), the problems, the warnings and the revision read.

    For ``ONBOARD`` a machine already onboarded (or inconsistent) is refused at once,
    for ``CHANGE`` one not onboarded, so that nobody weighs an offer that cannot be
    written; the commit checks both again under the lock, and only that check counts.
    With no ``action`` an unreadable state is no refusal: the offer is checked alone.
    """
    if state is None:
        try:
            state = ctl.store.read()
        except OnboardError:
            if action is not None:
                raise
            state = {}
    if action == ONBOARD:
        _refuse_unless_new(ctl, state)
    elif action == CHANGE:
        _require_onboarded(ctl, state)
    if action == CHANGE:
        problems, kept = _check_offer(ctl, capacity, state)
    else:
        problems, kept = validate(ctl, capacity, state), None
    found = ctl.warnings(capacity, wallets=list(state.get("wallets") or [])) if warn else []
    return Prepared(
        capacity,
        tuple(problems),
        tuple(found),
        int(state.get("revision") or 0),
        None if kept is None else tuple(kept),
    )


def prepare_change(
    ctl: OnboardingController, changes: Mapping[str, Any], *, warn: bool = True
) -> Prepared:
    """``prepare`` for a change of some fields: the stored offer with ``changes`` over it."""
    state = ctl.store.read()
    _require_onboarded(ctl, state)
    return prepare(ctl, _merged(state.get("offer"), changes), CHANGE, state=state, warn=warn)


def _require_onboarded(ctl: OnboardingController, state: State) -> None:
    if state.get("metadata") is None or not identity.identity_exists(ctl.directory):
        raise NotOnboarded("changing the resource configuration")


def validate(
    ctl: OnboardingController, capacity: CapacityForNunet, stored: State | None = None
) -> list[Problem]:
    """Every rule the offer breaks, for the form's live errors and for the operations.

    ``stored`` is the state the caller has read already (the operations have), else it
    is read here (the form's checks): its offer's disk is not checked against free space.
    """
    problems: list[Problem] = []
    channel_problem = rules.check_channel(capacity.channel)
    if channel_problem:
        problems.append(channel_problem)
    problems.extend(
        rules.check_resources(
            cpu=capacity.cpu,
            memory=capacity.memory,
            cardano=capacity.cardano,
            disk=capacity.disk,
            gpus=capacity.gpus,
            cores=capacity.cores,
            limits=ctl.limits(ctl.machine(gpus=bool(capacity.gpus))),
            stored_disk=_stored_disk(ctl, stored),
        )
    )
    price_problem = rules.check_price(capacity.ntx_price)
    if price_problem:
        problems.append(price_problem)
    address_problem = _address_problem(ctl, capacity.payment_addr)
    if address_problem:
        problems.append(address_problem)
    return problems


def _stored_disk(ctl: OnboardingController, stored: State | None) -> int | None:
    """The disk of the offer on record, if any (an unreadable state has none)."""
    try:
        offer = (ctl.store.read() if stored is None else stored).get("offer")
    except OnboardError:
        return None
    disk = offer.get("disk") if isinstance(offer, dict) else None
    return disk if isinstance(disk, int) else None


def _address_problem(ctl: OnboardingController, address: str) -> Problem | None:
    if not address.strip():
        detail = "is empty; give an Ethereum (0x...) or Cardano (addr1...) address"
        return Problem("payment_addr", f"payment address {detail}", detail)
    check = ctl.check_address(address)
    if check.valid:
        return None
    detail = f"not a valid address: {check.reason}"
    return Problem("payment_addr", f"payment address is not valid: {check.reason}", detail)


def _refuse_unless_new(ctl: OnboardingController, state: State) -> None:
    """Refuse an onboarded node, or one whose state names a key that is not there. A key
    the state does not name is a leftover of an interrupted write: onboard replaces it."""
    if state.get("metadata") is None:
        return
    if identity.identity_exists(ctl.directory):
        raise AlreadyOnboarded()
    raise StateError(
        "the onboarding state is inconsistent (see 'nunet-onboard status'); "
        "run 'nunet-onboard offboard --force' first",
        fix="run 'nunet-onboard offboard --force', then onboard again",
    )


def onboard(
    ctl: OnboardingController,
    capacity: CapacityForNunet,
    *,
    base_revision: int | None = None,
    prepared: Prepared | None = None,
) -> Metadata:
    """Validate everything, then create the identity and write the offer; nothing on failure.

    ``prepared`` is this offer's ``prepare(..., ONBOARD)`` when the caller made it
    (to show its warnings first); else it is made here. The identity and the state
    are written under one hold of the lock, with SIGINT, SIGTERM and SIGHUP held
    back, so neither a concurrent ``offboard --force`` nor a signal can leave a key
    without metadata (or the reverse). The slow part (probing, address checks)
    runs before the lock is taken.
    """
    if prepared is None or prepared.capacity != capacity:
        prepared = prepare(ctl, capacity, ONBOARD, warn=False)
    prepared.refuse()
    # Every GPU of the machine goes into gpu_info, offered or not (as DMS and the app do).
    machine = ctl.machine(gpus=True)
    with ctl.store.locked(), deferred_signals():
        state = ctl.store.read()
        _refuse_unless_new(ctl, state)
        ctl.store.check_base(state, base_revision)
        node_id = _create_identity(ctl)
        try:
            metadata, resources = build_records(machine, capacity, node_id)

            def apply(s: State) -> None:
                s["offer"] = capacity.model_dump(mode="json")
                s["metadata"] = metadata.model_dump(mode="json")
                s["available_resources"] = resources.model_dump(mode="json")
                s["history"].append(history_entry("onboard", capacity))

            # The key and metadataV2.json are written first; state.json commits them.
            ctl.store.update(apply, base_revision=base_revision)
        except BaseException:
            # Nothing is half-done: what the state does not name goes (the new key, and
            # a metadata file written before the commit failed).
            from app.onboarding import leftovers

            with contextlib.suppress(OSError, OnboardError):
                leftovers.mend(ctl)
            raise
    log.info("onboarded: node %s, %s", node_id, describe(capacity))
    return metadata


def _create_identity(ctl: OnboardingController) -> str:
    try:
        identity.remove_leftover(ctl.directory)  # the state names no key: a leftover's place
        return identity.create_identity(ctl.directory)
    except FileExistsError as exc:
        raise StateError(
            f"a node identity {ctl.key_path} appeared while onboarding (another program "
            "wrote it without the state lock); nothing was written: see 'nunet-onboard status'"
        ) from exc
    except OSError as exc:
        raise StateError(
            f"cannot create the node identity: {describe_os_error(exc, ctl.key_path)}; "
            "nothing was written"
        ) from exc


def _check_offer(
    ctl: OnboardingController,
    capacity: CapacityForNunet,
    stored: State | None,
    *,
    quiet: bool = False,
) -> tuple[list[Problem], list[Any] | None]:
    """The problems of an offer change, and the GPU records to keep when the GPUs are unreadable.

    A GPU tool that fails or hangs is not a missing GPU: when the offer keeps the
    GPUs it had (or offers none) and they cannot be read now, the GPU rule is not
    applied and the stored ``gpu_info`` is kept (second item), so a change of the CPU
    alone goes through. Any change of the GPUs themselves still needs them readable.
    ``quiet``: the second look, under the lock, at what the first has already logged.
    """
    old_offer = (stored or {}).get("offer") or {}
    same_gpus = bool(capacity.gpus) and list(capacity.gpus) == list(old_offer.get("gpus") or [])
    problems = validate(ctl, capacity, stored)
    # Every write reads the GPUs (gpu_info lists them all), so an offer without GPUs
    # keeps the recorded list too: a change of the price must not empty it.
    if (same_gpus or not capacity.gpus) and not ctl.machine(gpus=True).gpus.readable:
        reason = "; ".join(ctl.machine(gpus=True).gpus.faults)
        if not quiet:
            kind = "offered" if same_gpus else "recorded"
            log.warning("GPUs could not be read (%s); the %s GPUs are kept", reason, kind)
        kept = list(((stored or {}).get("metadata") or {}).get("gpu_info") or [])
        return [p for p in problems if p.field != "gpus"], kept
    return problems, None


class _NoChange(Exception):
    """Raised inside the store's update when the change would write what is stored:
    the update then writes nothing (no new revision, no history entry)."""

    def __init__(self, metadata: Metadata) -> None:
        super().__init__("no change")
        self.metadata = metadata


def _without_time(metadata: Any) -> Any:
    if not isinstance(metadata, dict):
        return metadata
    return {k: v for k, v in metadata.items() if k != "update_timestamp"}


def _write_offer(
    ctl: OnboardingController, capacity: CapacityForNunet, s: State, kept_gpus: list[Any] | None
) -> Metadata:
    """Inside ``update``: the offer, metadata and resources for ``capacity``, into ``s``.

    Raises ``_NoChange`` when they are what is stored (the time stamp aside) and
    metadataV2.json agrees: a ``resource-config`` that changes nothing must not push
    real entries out of the history or make an open app's review stale. One that
    finds the machine changed (memory added, a GPU gone) or metadataV2.json damaged
    still writes, so it remains the way to refresh the records.
    """
    if s.get("metadata") is None or not identity.identity_exists(ctl.directory):
        raise NotOnboarded("changing the resource configuration")
    node_id = str(s["metadata"]["node_id"])
    metadata, resources = build_records(ctl.machine(gpus=True), capacity, node_id)
    if kept_gpus is not None:
        from app.onboarding.models import GpuInfo

        gpu_info = [GpuInfo.model_validate(g) for g in kept_gpus]
        metadata = metadata.model_copy(update={"gpu_info": gpu_info})
    records = {
        "offer": capacity.model_dump(mode="json"),
        "metadata": metadata.model_dump(mode="json"),
        "available_resources": resources.model_dump(mode="json"),
    }
    same = all(_without_time(s.get(k)) == _without_time(v) for k, v in records.items())
    if same and metadata_v2.disagreement(ctl.directory, s["metadata"]) is None:
        from app.onboarding.models import Metadata

        raise _NoChange(Metadata.model_validate(s["metadata"]))
    s["history"].append(
        history_entry("resource-config", detail=describe_change(s.get("offer"), records["offer"]))
    )
    s.update(records)
    return metadata


def resource_config(
    ctl: OnboardingController,
    capacity: CapacityForNunet,
    *,
    base_revision: int | None = None,
    prepared: Prepared | None = None,
) -> Metadata:
    """Change the offer of an onboarded machine, recomputing ``available`` (DMS forgot to)."""
    if prepared is None or prepared.capacity != capacity:
        prepared = prepare(ctl, capacity, CHANGE, warn=False)
    prepared.refuse()
    kept = None if prepared.kept_gpus is None else list(prepared.kept_gpus)
    ctl.machine(gpus=True)  # for gpu_info, probed before the lock: a slow tool never holds it
    written: list[Metadata] = []
    try:
        ctl.store.update(
            lambda s: written.append(_write_offer(ctl, capacity, s, kept)),
            base_revision=base_revision,
        )
    except _NoChange as unchanged:
        return unchanged.metadata
    log.info("resource-config: %s", describe(capacity))
    return written[0]


def _merged(offer: dict[str, Any] | None, changes: Mapping[str, Any]) -> CapacityForNunet:
    from pydantic import ValidationError

    from app.onboarding.models import CapacityForNunet

    if offer is None:
        raise NotOnboarded("changing the resource configuration")
    try:
        return CapacityForNunet.model_validate({**offer, **changes})
    except ValidationError as exc:
        # pydantic's own words never reach a person: name the field and the value.
        from app.onboarding.offer_fields import refused_values

        raise RuleViolation(refused_values(exc.errors())) from None


def change_offer(
    ctl: OnboardingController,
    changes: Mapping[str, Any],
    *,
    base_revision: int | None = None,
    prepared: Prepared | None = None,
) -> Metadata:
    """Change only the fields in ``changes``; the rest of the offer stays as stored.

    The merge happens inside the store's update, from the state read under the
    lock, so two changes at once (two ``resource-config`` runs, the app and the
    CLI) each keep the other's fields. A first check outside the lock
    (``prepared``, from ``prepare_change``, or made here) warms the probe and the
    address libraries, so the lock is held for milliseconds.
    """
    if prepared is None:
        prepared = prepare_change(ctl, changes, warn=False)
    prepared.refuse()
    ctl.machine(gpus=True)  # for gpu_info, probed before the lock: a slow tool never holds it
    written: list[Metadata] = []

    def apply(s: State) -> None:
        capacity = _merged(s.get("offer"), changes)
        # The check again on the state under the lock; prepare has logged what it found.
        problems, kept = _check_offer(ctl, capacity, s, quiet=True)
        if problems:
            raise RuleViolation(problems)
        written.append(_write_offer(ctl, capacity, s, kept))

    try:
        ctl.store.update(apply, base_revision=base_revision)
    except _NoChange as unchanged:
        return unchanged.metadata
    log.info("resource-config: %s", ", ".join(f"{k} {v}" for k, v in changes.items()))
    return written[0]
