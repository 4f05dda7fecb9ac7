"""What changed between two offers: only the fields that changed, before → after.

One sentence for the history, ``status``, the app's notices and an open review,
so that a price-only change reads ``ntx_price 0.1 → 0.2`` and not the whole
offer. Fields are named as an offer file (``apply``) names them, and values
are in its units (MHz, MB, GB, NTX a minute). Plain dicts in, as the state
stores the offer: no pydantic, so ``status`` can afford it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy reads it as True
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

FIELDS: tuple[tuple[str, str, str], ...] = (
    # (the stored offer's key, the offer file's word, the unit)
    ("cpu", "cpu", "MHz"),
    ("memory", "memory", "MB"),
    ("disk", "disk", "GB"),
    ("cores", "cores", ""),
    ("gpus", "gpus", ""),
    ("channel", "channel", ""),
    ("ntx_price", "ntx_price", "NTX a minute"),
    ("payment_addr", "address", ""),
    ("cardano", "cardano", ""),
    ("is_available", "available", ""),
    ("server_mode", "server_mode", ""),
)
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
    for key, word, unit in FIELDS:
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
