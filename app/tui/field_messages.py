"""What the Allocate form and the review say about each field, in the user's words.

The controller names fields by their DMS JSON names (``payment_addr``,
``is_available``); a person sees labels ("Pay to", "Available"), declared with each
field in ``app.onboarding.offer_fields``, in front of the controller's words for a
problem (``said``, by ``Problem.said_as``, as the command line puts the flag there).
This module turns the controller's messages and the model's validation errors into
sentences that use the label and say what is allowed (from the field's row, as the
command line says it), and builds the hints shown under each field. It imports no
Textual, so it can be tested on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.onboarding import offer_fields, rules
from app.onboarding.errors import OnboardError, Problem

if TYPE_CHECKING:
    from app.onboarding.models import CapacityForNunet

LABELS: dict[str, str] = {f.name: f.label for f in offer_fields.FIELDS}
"""Each field's label, from its row in the table of the offer's fields."""
FIELDS: tuple[str, ...] = tuple(f.name for f in offer_fields.ON_FORM)
"""The form's fields, top to bottom, each with a message line under it."""


def label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


def said(problem: Problem) -> str:
    """A refusal or a warning introduced by the field's label ("CPU: 500 MHz is below
    ..."), as the command line introduces it by the flag typed."""
    return problem.said_as(label(problem.field))


def unreadable(field: str, text: str) -> str:
    """The message for a box whose text is not a number: what the field takes, from its
    kind and unit, as the command line says it."""
    row = offer_fields.BY_NAME.get(field)
    what = row.allowed if row else "a number"
    if row and row.kind == "number":
        what += " (e.g. 0.5)"
    if not text.strip():
        return f"{label(field)} is empty: type {what}"
    comma = "; write decimals with a point (1.5, not 1,5)" if "," in text else ""
    return f"{label(field)} {text.strip()[:12]!r} is not a number: type {what}{comma}"


def build_capacity(values: dict[str, Any]) -> tuple[CapacityForNunet | None, dict[str, str]]:
    """The model from the form, or each field it refuses with a sentence (no library text)."""
    from pydantic import ValidationError

    from app.onboarding.models import CapacityForNunet

    # Only the form's fields: one it lacks is the model's "missing", in our words.
    given = {f.name: values[f.name] for f in offer_fields.ON_FORM if f.name in values}
    try:
        capacity = CapacityForNunet(**given)
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for problem in offer_fields.refused_values(exc.errors()):
            problems.setdefault(problem.field, said(problem))
        return None, problems
    except OnboardError as exc:
        text = str(exc)
        return None, {"form": text[:1].upper() + text[1:]}
    return capacity, {}


def cardano_note(limits: rules.OfferLimits) -> str | None:
    """Why this machine can never run a Cardano node, or None when it can."""
    cpu_short = limits.cpu_max < rules.CARDANO_MIN_CPU_MHZ
    memory_short = limits.memory_max < rules.CARDANO_MIN_MEMORY_MB
    if not (cpu_short or memory_short):
        return None
    most = []
    if cpu_short:
        most.append(f"{limits.cpu_max} MHz CPU")
    if memory_short:
        most.append(f"{limits.memory_max} MB memory")
    return (
        f"This machine cannot run a Cardano node: it needs {rules.CARDANO_MIN_CPU_MHZ} MHz "
        f"and {rules.CARDANO_MIN_MEMORY_MB} MB offered, and at most "
        + " and ".join(most)
        + " may be offered here. Leave it off."
    )


def hints(
    limits: rules.OfferLimits, values: dict[str, Any], *, address_note: str, gpu_reason: str
) -> dict[str, str]:
    """The line under each field when it has nothing wrong: what is allowed."""
    cardano = cardano_note(limits)
    if cardano is None and values.get("cardano"):
        cardano = (
            f"A Cardano node needs at least {rules.CARDANO_MIN_CPU_MHZ} MHz CPU and "
            f"{rules.CARDANO_MIN_MEMORY_MB} MB memory offered."
        )
    return {
        "cpu": f"allowed {limits.cpu_min}-{limits.cpu_max} MHz (10-90 % of {limits.cpu_whole})",
        "memory": f"allowed {limits.memory_min}-{limits.memory_max} MB "
        f"(10-90 % of {limits.memory_total})",
        "disk": f"allowed 0-{limits.disk_free} GB (free on the data disk)",
        "gpus": gpu_reason,
        "channel": "the NuNet network to join; type ed for nunet-edge",
        "payment_addr": address_note or "where NTX is paid: Ethereum 0x… or Cardano addr1…",
        "cardano": cardano or "",
    }
