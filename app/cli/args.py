"""Argument types and the words the command line uses for the offer's fields.

Every typed number goes through ``app.onboarding.units`` (ASCII digits only, -0
normalised, units for sizes, echoes cut short), so the command line, the app and
``apply`` files read ``8GiB`` the same way. Errors name the flag the user typed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from app.cli.pflag import go_int_first
from app.onboarding.offer_fields import FIELDS, OfferField
from app.onboarding.units import (
    UnitError,
    parse_cpu_mhz,
    parse_decimal,
    parse_disk_gb,
    parse_memory_mb,
    parse_whole,
    shown,
)

T = TypeVar("T")


def _typed(parse: Callable[[str], T], what: str) -> Callable[[str], T]:
    def convert(text: str) -> T:
        try:
            return parse(text)
        except UnitError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = what  # argparse names the type in some messages
    return convert


whole = _typed(parse_whole, "whole number")
# DMS's -c and -m are int64 flags: Go's integer forms (0x2000, 8_192) are read as DMS reads them.
cpu_mhz = _typed(partial(go_int_first, parse_cpu_mhz), "CPU amount")
price = _typed(parse_decimal, "number")
memory_mb = _typed(partial(go_int_first, parse_memory_mb), "size")
disk_gb = _typed(parse_disk_gb, "size")


def gpu_list(text: str) -> tuple[int, ...]:
    """``0`` or ``0,1``: GPU indices in ASCII digits; an empty text offers none."""
    if not text.strip():
        return ()
    try:
        return tuple(parse_whole(part) for part in text.split(","))
    except UnitError:
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a list of GPU indices; write e.g. 0 or 0,1"
        ) from None


def flag_bool(text: str) -> bool:
    """DMS's bool flags take ``-l``, ``-l=false`` or ``--local-enable=true`` (pflag syntax)."""
    value = text.lstrip("=").strip().lower()
    if value in ("true", "1", "t", "yes"):
        return True
    if value in ("false", "0", "f", "no"):
        return False
    raise argparse.ArgumentTypeError(f"{shown(text)} is not true or false")


_SIZES: dict[str, Callable[[str], int]] = {"MHz": cpu_mhz, "MB": memory_mb, "GB": disk_gb}
_KINDS: dict[str, Callable[[str], object]] = {
    "whole": whole,
    "count": whole,
    "number": price,
    "indices": gpu_list,
    "flag": flag_bool,
}


def value_type(field: OfferField) -> Callable[[str], object] | None:
    """The flag's reader for a field of the offer, by its kind (a size by its unit); None
    for text, which is taken as typed."""
    if field.kind == "whole" and field.unit in _SIZES:
        return _SIZES[field.unit]
    return _KINDS.get(field.kind)


FIELD_FLAGS: dict[str, tuple[str, ...]] = {f.name: f.flags for f in FIELDS if f.flags}
"""The offer's fields and the flags that set them (first: the one shown by default)."""


def was_typed(field: str, argv: Sequence[str]) -> bool:
    """Whether one of ``field``'s flags is on the command line (``--memory=8G`` too)."""
    flags = FIELD_FLAGS.get(field, ())
    return any(arg.split("=", 1)[0] in flags for arg in argv)


def flag_for(field: str, argv: Sequence[str] | None = None) -> str:
    """The flag for ``field`` as the user typed it (``-n`` or ``--channel``), else its pair."""
    flags = FIELD_FLAGS.get(field)
    if not flags:
        return field.replace("_", " ")
    typed = list(sys.argv[1:] if argv is None else argv)
    for arg in typed:
        name = arg.split("=", 1)[0]
        if name in flags:
            if name.startswith("--"):
                short = next((f for f in flags if not f.startswith("--")), None)
                return f"{short}/{name}" if short else name
            longs = [f for f in flags if f.startswith("--")]
            return f"{name}/{longs[0]}" if longs else name
    short = next((f for f in flags if not f.startswith("--")), None)
    long = next(f for f in flags if f.startswith("--"))
    return f"{short}/{long}" if short else long
