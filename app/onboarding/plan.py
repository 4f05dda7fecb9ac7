"""What ``apply`` would change on this node, and doing exactly that.

``apply`` converges a node to a declarative offer: it reads the state once (its
revision too), resolves the file's offer on this machine (``offer_file.py``), and plans
one action: ``onboard``, ``resource-config``, ``offboard`` or ``none``. Carrying
the plan out goes through the same operations as the CLI and the app, each
writing only if the state is still at the planned revision, so a change made
meanwhile (the app, another ``apply``) refuses cleanly instead of being lost.

The no-change path (the common one in a fleet re-run) is a state read, a probe
without GPUs and a dict comparison: no pydantic, no wallet library.
"""

from __future__ import annotations

from app.light_record import Record
from app.onboarding import identity, leftovers, rules
from app.onboarding.errors import StateCorrupt, StateError
from app.onboarding.offer_fields import DEFAULTS, NAMES
from app.onboarding.offer_file import Resolved, Target, explain, resolve
from app.onboarding.status import inconsistency

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from typing import Any

    from app.onboarding.controller import OnboardingController
    from app.onboarding.errors import Problem
    from app.onboarding.models import CapacityForNunet
    from app.onboarding.offer_ops import Prepared
    from app.onboarding.refusals import RuleViolation
    from app.onboarding.store import State


ACTIONS = ("onboard", "resource-config", "offboard", "none")
OFFER_KEYS = NAMES


class Current(Record):
    """The node as the state says: ``absent``, ``onboarded``, ``inconsistent`` or ``unreadable``."""

    condition: str
    offer: dict[str, Any] | None = None
    revision: int = 0
    problem: str | None = None


class Plan(Record):
    """One action and the offer before and after it (``{}`` when there is none)."""

    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    revision: int
    clean_first: bool = False
    """An inconsistent or unreadable state is cleaned (``offboard --force``) first."""
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.action != "none"

    def to_dict(self) -> dict[str, Any]:
        """``apply --json``: exactly these keys."""
        return {
            "changed": self.changed,
            "action": self.action,
            "before": self.before,
            "after": self.after,
            "warnings": list(self.warnings),
        }


def read_current(ctl: OnboardingController) -> Current:
    """Classify the state without raising: the plan decides what each condition allows."""
    return _read(ctl)[0]


def _read(ctl: OnboardingController) -> tuple[Current, State | None]:
    """The state classified, and the state itself (None when it cannot be read), so that
    the plan prepares its write from this one read.

    The state file says what is true: a key or metadata file it does not name is a
    leftover of an interrupted write, which the action (or ``mend``) puts right. What
    looks inconsistent is looked at again with the lock held shared, so a write under
    way elsewhere is not taken for damage.
    """
    current, state = _classify(ctl)
    if current.condition == "inconsistent":
        from app.onboarding.settled import settled

        with settled(ctl.store.lock_path):
            current, state = _classify(ctl)
    return current, state


def _classify(ctl: OnboardingController) -> tuple[Current, State | None]:
    try:
        state = ctl.store.read()
    except StateCorrupt as exc:
        return Current("unreadable", problem=exc.problem), None
    except StateError as exc:
        return Current("unreadable", problem=str(exc)), None
    revision = int(state.get("revision") or 0)
    offer = state.get("offer")
    shown = offer_view(offer) if isinstance(offer, dict) else None
    has_meta = state.get("metadata") is not None
    if has_meta and identity.identity_exists(ctl.directory):
        return Current("onboarded", shown, revision), state
    blocked = not has_meta and identity.key_present(ctl.directory)
    if has_meta or (blocked and not leftovers.stray_key(ctl.directory, None)):
        return Current("inconsistent", shown, revision, inconsistency(ctl, has_meta)), state
    return Current("absent", None, revision), state


def offer_view(offer: dict[str, Any]) -> dict[str, Any]:
    """The stored offer in the resolved offer's shape, so the two compare key by key."""
    view = {key: offer.get(key, DEFAULTS.get(key)) for key in OFFER_KEYS}
    view["gpus"] = list(view["gpus"] or [])
    return view


def make_plan(current: Current, wanted: dict[str, Any] | None, *, force: bool) -> Plan:
    """The one action that takes ``current`` to ``wanted`` (None: offboarded). Pure."""
    before = current.offer or {}
    after = wanted or {}
    if current.condition in ("inconsistent", "unreadable"):
        if not force:
            raise StateError(
                f"the onboarding state is {current.condition} ({current.problem}); nothing was "
                "done: set force = true in the file to clean it up (as 'nunet-onboard offboard "
                "--force' does) and apply again"
            )
        note = f"the state was {current.condition} ({current.problem}); cleaned up first (force)"
        action = "offboard" if wanted is None else "onboard"
        return Plan(action, before, after, current.revision, clean_first=True, warnings=(note,))
    if current.condition == "absent":
        return Plan("none" if wanted is None else "onboard", before, after, current.revision)
    if wanted is None:
        return Plan("offboard", before, after, current.revision)
    action = "none" if before == after else "resource-config"
    return Plan(action, before, after, current.revision)


class Planned(Record):
    """A plan, the offer resolved on this machine, and the write prepared from the state
    the plan read (None when nothing is written, or the state is cleaned first)."""

    plan: Plan
    resolved: Resolved | None = None
    prepared: Prepared | None = None


def plan_apply(ctl: OnboardingController, target: Target) -> Planned:
    """Plan ``target`` on this node; a rule the offer breaks raises ``RuleViolation``.

    A plan that writes an offer is prepared as ``onboard`` and ``resource-config``
    prepare theirs (``offer_ops.prepare``, from the state read here), so it carries the
    very warnings they give, and the write is not prepared a second time.
    """
    current, state = _read(ctl)
    resolved = None
    if target.state == "onboarded":
        machine = ctl.machine_for(gpus=target.gpus != "none")
        resolved = resolve(target, machine)
    plan = make_plan(current, None if resolved is None else resolved.offer, force=target.force)
    prepared = None
    if resolved is not None:
        plan = _with_warnings(plan, resolved.warnings)
        if plan.action == "none":
            _check_unchanged(ctl, resolved)
            plan = _with_warnings(plan, resolved.address_warnings)
        elif plan.action in ("onboard", "resource-config"):
            prepared = _prepare(ctl, plan, resolved, state)
            plan = _with_warnings(
                plan, tuple(explain(w.field, w.message, resolved) for w in prepared.warnings)
            )
    return Planned(plan, resolved, None if plan.clean_first else prepared)


def _with_warnings(plan: Plan, warnings: tuple[str, ...]) -> Plan:
    if not warnings:
        return plan
    return plan._replace(warnings=(*plan.warnings, *warnings))


def _refuse(problems: list[Problem], resolved: Resolved) -> RuleViolation:
    from app.onboarding.errors import Problem
    from app.onboarding.refusals import RuleViolation  # a plan that changes nothing: never

    return RuleViolation(
        [Problem(p.field, explain(p.field, p.message, resolved), p.detail) for p in problems]
    )


def _check_unchanged(ctl: OnboardingController, resolved: Resolved) -> None:
    """The stored offer is the target: it must still fit today's hardware (drift)."""
    offer = resolved.offer
    problems = rules.check_resources(
        cpu=offer["cpu"],
        memory=offer["memory"],
        cardano=offer["cardano"],
        disk=offer["disk"],
        gpus=offer["gpus"],
        cores=offer["cores"],
        limits=ctl.limits(ctl.machine_for(gpus=bool(offer["gpus"]))),
        stored_disk=offer["disk"],
    )
    if problems:
        raise _refuse(problems, resolved)


def _prepare(
    ctl: OnboardingController, plan: Plan, resolved: Resolved, state: State | None
) -> Prepared:
    """Every rule, as onboard and resource-config check them, before anything is written;
    a broken one is refused worded as the file wrote the sizes ("cpu 30% = 780 MHz is ...").
    A state cleaned first is not the one read: the offer is then checked alone."""
    from app.onboarding.offer_ops import CHANGE, ONBOARD, prepare

    action = None if plan.clean_first else {"onboard": ONBOARD}.get(plan.action, CHANGE)
    prepared = prepare(ctl, capacity_of(resolved), action, state=state or {})
    if prepared.problems:
        raise _refuse(list(prepared.problems), resolved)
    return prepared


def capacity_of(resolved: Resolved) -> CapacityForNunet:
    """The resolved offer as ``CapacityForNunet`` (pydantic: only when something changes)."""
    from app.onboarding.models import CapacityForNunet

    return CapacityForNunet(**{**resolved.offer, "gpus": tuple(resolved.offer["gpus"])})


def carry_out(ctl: OnboardingController, planned: Planned) -> None:
    """Do the planned action, refusing (``StateChanged``) if the state moved on since the plan.

    Nothing to do still mends what an interrupted write left (a leftover key, a
    metadata file out of step), so a re-run converges without ``force``.
    """
    plan, resolved, prepared = planned.plan, planned.resolved, planned.prepared
    if plan.action == "none":
        state = ctl.store.read()
        if leftovers.needs_mending(ctl.directory, state.get("metadata")):
            mended = leftovers.mend(ctl)
            _log().info("apply: mended what an interrupted write left: %s", "; ".join(mended))
        return
    revision: int | None = plan.revision
    if plan.clean_first:
        result = ctl.offboard(force=True)
        if result.failed:
            raise StateError(
                "the broken state could not be cleaned up: " + "; ".join(result.failed)
            )
        revision = ctl.revision()
        if plan.action == "offboard":
            _log().info("apply: cleaned up an inconsistent or unreadable state")
            return
    if plan.action == "offboard":
        ctl.offboard(base_revision=revision)
    elif resolved is not None:
        capacity = prepared.capacity if prepared is not None else capacity_of(resolved)
        write = ctl.onboard if plan.action == "onboard" else ctl.resource_config
        write(capacity, base_revision=revision, prepared=prepared)
    _log().info("apply: %s", plan.action)


def apply(ctl: OnboardingController, target: Target, *, check: bool = False) -> Plan:
    """Plan ``target`` and, unless ``check``, carry it out. Returns the plan either way."""
    planned = plan_apply(ctl, target)
    if not check:
        carry_out(ctl, planned)
    return planned.plan


def _log() -> logging.Logger:
    """The controller's logger, imported when apply writes: a no-change check logs nothing."""
    import logging

    return logging.getLogger("nunet_onboard.controller")
