"""Validating an offer, onboarding with it, and changing it (resource-config).

Each write names the state revision it was prepared from (``base_revision``),
so an offer made from a form or prompt that has since gone stale is refused by
the store rather than written over a change made elsewhere.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.onboarding import identity, rules
from app.onboarding.errors import (
    AlreadyOnboarded,
    NotOnboarded,
    Problem,
    RuleViolation,
    StateError,
)
from app.onboarding.records import build_records, describe, history_entry

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet, Metadata
    from app.onboarding.store import State

log = logging.getLogger("nunet_onboard.controller")


def validate(ctl: OnboardingController, capacity: CapacityForNunet) -> list[Problem]:
    """Every rule the offer breaks, for the form's live errors and for the operations."""
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
        )
    )
    price_problem = rules.check_price(capacity.ntx_price)
    if price_problem:
        problems.append(price_problem)
    address_problem = _address_problem(ctl, capacity.payment_addr, capacity.channel)
    if address_problem:
        problems.append(address_problem)
    return problems


def _address_problem(ctl: OnboardingController, address: str, channel: str) -> Problem | None:
    if not address.strip():
        detail = "is empty; give an Ethereum (0x...) or Cardano (addr1...) address"
        return Problem("payment_addr", f"payment address {detail}", detail)
    check = ctl.check_address(address, channel=channel)
    if check.valid:
        return None
    detail = f"not a valid address: {check.reason}"
    return Problem("payment_addr", f"payment address is not valid: {check.reason}", detail)


def onboard(
    ctl: OnboardingController, capacity: CapacityForNunet, *, base_revision: int | None = None
) -> Metadata:
    """Validate everything, then create the identity and write the offer; nothing on failure."""
    state = ctl.store.read()
    if state.get("metadata") is not None or identity.identity_exists(ctl.state_dir):
        if state.get("metadata") is not None and identity.identity_exists(ctl.state_dir):
            raise AlreadyOnboarded()
        raise StateError(
            "the onboarding state is inconsistent (see 'nunet-onboard status'); "
            "run 'nunet-onboard offboard --force' first"
        )
    problems = validate(ctl, capacity)
    if problems:
        raise RuleViolation(problems)
    ctl.store.ensure_dir()
    try:
        node_id = identity.create_identity(ctl.state_dir)
    except OSError as exc:
        raise StateError(
            f"cannot create the node identity in {ctl.state_dir}: {exc.strerror}"
        ) from exc
    try:
        metadata, resources = build_records(
            ctl.machine(gpus=bool(capacity.gpus)), capacity, node_id
        )

        def apply(s: State) -> None:
            if s.get("metadata") is not None:
                raise AlreadyOnboarded()
            s["offer"] = capacity.model_dump(mode="json")
            s["metadata"] = metadata.model_dump(mode="json")
            s["available_resources"] = resources.model_dump(mode="json")
            s["history"].append(history_entry("onboard", capacity))

        ctl.store.update(apply, base_revision=base_revision)
    except BaseException:
        # Nothing is half-written: without the metadata the new key must go too.
        ctl.key_path.unlink(missing_ok=True)
        raise
    log.info("onboarded: node %s, %s", node_id, describe(capacity))
    return metadata


def resource_config(
    ctl: OnboardingController, capacity: CapacityForNunet, *, base_revision: int | None = None
) -> Metadata:
    """Change the offer of an onboarded machine, recomputing ``available`` (DMS forgot to)."""
    state = ctl.store.read()
    if state.get("metadata") is None or not identity.identity_exists(ctl.state_dir):
        raise NotOnboarded("changing the resource configuration")
    problems = validate(ctl, capacity)
    if problems:
        raise RuleViolation(problems)
    node_id = str(state["metadata"]["node_id"])
    metadata, resources = build_records(ctl.machine(gpus=bool(capacity.gpus)), capacity, node_id)

    def apply(s: State) -> None:
        if s.get("metadata") is None:
            raise NotOnboarded("changing the resource configuration")
        s["offer"] = capacity.model_dump(mode="json")
        s["metadata"] = metadata.model_dump(mode="json")
        s["available_resources"] = resources.model_dump(mode="json")
        s["history"].append(history_entry("resource-config", capacity))

    ctl.store.update(apply, base_revision=base_revision)
    log.info("resource-config: %s", describe(capacity))
    return metadata
