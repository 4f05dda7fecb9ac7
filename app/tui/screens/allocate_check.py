"""Checking the Allocate form's values: what the controller objects to, and why.

One plain function, :func:`check_form`, run by the screen's validation worker in
a thread after every change: it builds the offer from the form's values, asks the
controller's rules and the address check, and gathers each problem under its
field in the user's words. Nothing here touches a widget, so the screen only
has to show the result (and drop it if the values moved on meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.tui.field_messages import build_capacity, said
from app.tui.offer_warnings import offer_warnings
from app.tui.screens.base import describe_error

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet


@dataclass
class FormCheck:
    """What the controller said about one set of the form's values."""

    problems: dict[str, str]
    """Field key -> what is wrong with it ("form" for the form as a whole)."""
    capacity: CapacityForNunet | None = None
    """The offer built from the values; None when they could not make one."""
    address_note: str = ""
    """"✓ a valid …" or "⚠ …" under the address when it is valid."""
    warnings: list[str] = field(default_factory=list)
    """Unusual but allowed things about a valid offer, for the review."""


def check_form(
    controller: OnboardingController, values: dict[str, Any], parse_errors: dict[str, str]
) -> FormCheck:
    """Check ``values``; never raises (an unexpected failure is the "form" problem)."""
    result = FormCheck(problems=dict(parse_errors))
    problems = result.problems
    try:
        if not parse_errors:
            result.capacity, model_problems = build_capacity(values)
            problems.update(model_problems)
        # The one prepare step of every write, as onboard, resource-config and apply
        # take it: the same rules, the same warnings.
        prepared = None if result.capacity is None else controller.prepare(result.capacity)
        if prepared is not None:
            for problem in prepared.problems:
                message = said(problem)
                if problem.field in problems:
                    problems[problem.field] += "; " + message
                else:
                    problems[problem.field] = message
        address = values.get("payment_addr", "")
        if address and "payment_addr" not in problems:
            result.address_note = _address_note(controller, address)
        if prepared is not None and not problems:
            result.warnings = offer_warnings(prepared.warnings)
    except Exception as exc:  # noqa: BLE001 - shown beside the form, not as a traceback
        problems["form"] = describe_error(exc)
        result.capacity = None
    return result


def _address_note(controller: OnboardingController, address: str) -> str:
    """The line under a valid address: its chain and kind, or why it is worth a look."""
    check = controller.check_address(address)
    if not check.valid:
        return ""
    kind = f" {check.kind}" if check.kind else ""
    network = f" ({check.network})" if check.network else ""
    unchecked = controller.unchecked_address_warning(address)
    if unchecked:  # a warning, not a refusal: the address itself is valid
        return f"⚠ {unchecked}"
    return f"✓ a valid {check.chain}{kind} address{network}"
