"""What changed between two offers: only the fields that changed, before → after.

One sentence for the history, ``status``, the app's notices and an open review,
so that a price-only change names the price alone, before → after, and not the
whole offer. Fields are named as an offer file (``apply``) names them, and values
are in the units of the table of offer fields (MHz, MB, GB, NTX/min). Plain dicts in, as the state
stores the offer: no pydantic, so ``status`` can afford it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.onboarding.offer_fields import FIELDS

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

NO_CHANGE = "the offer is unchanged"


def value_text(value: Any) -> str:
    """A value as an offer file writes it: ``true``, ``0.1``, ``0,1`` for GPUs, ``none``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return "none"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value) if value else "none"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def offer_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """Each field that differs, as ``word before → after unit``, in the offer's order."""
    old = before or {}
    changes = []
    for field in FIELDS:  # named and in units as the one table of offer fields has them
        key, word, unit = field.name, field.key, field.unit
        if key not in after and key not in old:
            continue
        was, now = old.get(key), after.get(key)
        if isinstance(was, list):
            was = tuple(was)
        if isinstance(now, list):
            now = tuple(now)
        if was == now:
            continue
        suffix = f" {unit}" if unit else ""
        changes.append(f"{word} {value_text(was)} → {value_text(now)}{suffix}")
    return changes


def describe_change(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> str:
    """The changes in one line, or ``NO_CHANGE`` when the offer is the same."""
    return ", ".join(offer_changes(before, after)) or NO_CHANGE
