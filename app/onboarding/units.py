"""Numbers and sizes as people type them: ASCII digits, optional units.

One parser for the command line, the app's typed values and ``apply`` files, so
``8GiB`` means the same everywhere. A bare number keeps DMS's meaning (MB of
memory, GB of disk, both binary: bytes / 1024**2 and bytes / 1024**3). Units with
an ``i`` are binary, without one they are decimal (SI), as in DMS's newer flags
and in ``df -H``; the result is truncated to DMS's whole unit. These are the units newer DMS reads
with go-humanize's ``ParseBytes`` (case-insensitive, an optional space, decimals
with a unit such as ``1.5GiB``).
"""

from __future__ import annotations

import re

from app.onboarding.state_schema import finite

_BYTES = {
    "": None,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "m": 1000**2,
    "mb": 1000**2,
    "g": 1000**3,
    "gb": 1000**3,
    "t": 1000**4,
    "tb": 1000**4,
    "p": 1000**5,
    "pb": 1000**5,
    "ki": 1024,
    "kib": 1024,
    "mi": 1024**2,
    "mib": 1024**2,
    "gi": 1024**3,
    "gib": 1024**3,
    "ti": 1024**4,
    "tib": 1024**4,
    "pi": 1024**5,
    "pib": 1024**5,
}
_MAX_TEXT = 40
# Patterns, compiled by re (and kept in its cache) when first used: an ``apply`` whose
# file holds plain numbers, or a ``status``, compiles none of them.
_NUMBER = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$"
_WHOLE = r"^\s*\+?([0-9]+)\s*$"
_CPU = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mhz|ghz)?\s*$"
_DECIMAL = r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$"


class UnitError(ValueError):
    """A value that is not a number or size; the text says what is allowed."""


def decimal_text(value: float) -> str:
    """A number as a person writes it with every digit kept: ``0`` (not ``0.0``), ``0.25``,
    ``0.1234567``, ``1e+19``. Not ``:g``, which keeps six digits: a form filled from it
    and saved would have changed a stored price of 0.1234567 to 0.123457."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def mb_text(value: int) -> str:
    """An amount of MB as people read it: DMS's MB first (a narrow panel cuts the GiB,
    never the figure) and, from 1 GiB up, the GiB a machine's memory is known by."""
    return f"{value} MB ({value / 1024:.1f} GiB)" if value >= 1024 else f"{value} MB"


def shown(text: str) -> str:
    """The user's text, cut to a readable length for an error message."""
    return repr(text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…")


def parse_whole(text: str) -> int:
    """A whole number of 0 or more, in ASCII digits."""
    m = re.match(_WHOLE, text, re.ASCII) if len(text) <= _MAX_TEXT else None
    if not m:
        raise UnitError(f"{shown(text)} is not a whole number of 0 or more")
    return int(m.group(1))


def parse_decimal(text: str) -> float:
    """A finite decimal number of 0 or more in ASCII; -0 is 0."""
    if len(text) > _MAX_TEXT or not re.match(_DECIMAL, text, re.ASCII):
        raise UnitError(f"{shown(text)} is not a number")
    value = float(text)
    if not finite(value):
        raise UnitError(f"{shown(text)} is not a finite number")
    if value < 0:
        raise UnitError(f"{shown(text)} is negative; it must be 0 or more")
    return value + 0.0  # -0.0 + 0.0 is 0.0


def _size(text: str, unit_bytes: int, unit_name: str) -> int:
    m = re.match(_NUMBER, text, re.ASCII) if len(text) <= _MAX_TEXT else None
    suffix = m.group(2).lower() if m else ""
    if not m or suffix not in _BYTES:
        raise UnitError(
            f"{shown(text)} is not a size; give {unit_name} (e.g. 8192) or a number with a unit "
            "(KiB, MiB, GiB, TiB, PiB, or KB, MB, GB, TB, PB)"
        )
    number = float(m.group(1))
    per = _BYTES[suffix]
    if per is None:
        if "." in m.group(1):
            raise UnitError(f"{shown(text)} is not a whole number of {unit_name}")
        return int(m.group(1))
    return int(number * per // unit_bytes)


def parse_cpu_mhz(text: str) -> int:
    """CPU in MHz, as DMS takes it (``5200``), or with a unit: ``5200MHz``, ``2.6GHz``
    (2600). A clock is quoted in GHz on every spec sheet; the GHz are read as decimal
    digits, so ``4.35GHz`` is 4350, not 4349.999..."""
    m = re.match(_CPU, text, re.ASCII | re.IGNORECASE) if len(text) <= _MAX_TEXT else None
    if not m:
        raise UnitError(
            f'{shown(text)} is not a CPU amount; give MHz (5200 or "5200MHz") or GHz ("2.6GHz")'
        )
    whole, _, decimals = m.group(1).partition(".")
    if (m.group(2) or "mhz").lower() == "mhz":
        if decimals:
            raise UnitError(f"{shown(text)} is not a whole number of MHz")
        return int(whole)
    if len(decimals.rstrip("0")) > 3:
        raise UnitError(f"{shown(text)} is not a whole number of MHz (at most 3 decimals of GHz)")
    return int(whole) * 1000 + int((decimals + "000")[:3])


def parse_memory_mb(text: str) -> int:
    """Memory in DMS's MB (MiB): ``8192``, ``8GiB`` (8192), ``8GB`` (7629)."""
    return _size(text, 1024**2, "MB")


def parse_disk_gb(text: str) -> int:
    """Disk in GB as the offer stores it (GiB): ``100``, ``50GiB`` (50), ``100GB`` (93)."""
    return _size(text, 1024**3, "GB")
