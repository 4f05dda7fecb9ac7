"""A declarative offer (``apply``'s file) read, checked and resolved on this machine.

One file must fit a fleet of machines of every size, so ``cpu``, ``memory`` and
``disk`` may be percentages of *this* machine's usable total (``"60%"``), resolved
here; absolute values take the same units as the rest of the command line
(``app.onboarding.units``). The result is the offer as the state stores it
(``CapacityForNunet``'s JSON), as a plain dict: ``apply --check`` on a node that
needs no change is ``status`` plus a comparison, and must not pay for pydantic.

A file that is not what we accept raises ``TargetError`` (exit code 2) naming the
key, its line and what is allowed. What the machine cannot meet is not decided
here: the rules (``rules.py``) do that, with the machine's bounds in the message.
"""

from __future__ import annotations

import json
import re

from app.light_record import Record
from app.onboarding import rules
from app.onboarding.addresses import dms_address_warnings, normal_address
from app.onboarding.offer_fields import FIELDS
from app.onboarding.state_schema import finite
from app.onboarding.units import (
    UnitError,
    parse_cpu_mhz,
    parse_decimal,
    parse_disk_gb,
    parse_memory_mb,
    shown,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.hardware import Capacity, MachineInfo

MAX_FILE_BYTES = 64 * 1024
MAX_CORES = 1 << 20
"""More cores than any machine has: a larger count is a typo, refused as one."""
STATES = ("onboarded", "offboarded")
KEYS: tuple[str, ...] = ("state", *(f.key for f in FIELDS), "force")
"""The file's keys: what it asks (``state``, ``force``) and the offer's fields."""
REQUIRED_TO_ONBOARD = tuple(f.key for f in FIELDS if f.required)
# Compiled by re when first used (and then cached): a plan of plain numbers does not.
_PERCENT = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$"


class TargetError(ValueError):
    """The file is not a declarative offer we accept (exit code 2); nothing was done."""


class Amount(Record):
    """A size as written: a percentage of the machine's total, or an absolute whole number."""

    percent: tuple[int, int] | None = None
    """The percentage as an exact fraction (numerator, denominator): "12.5%" is (125, 10).
    Integers, not ``fractions.Fraction``: its import (decimal, numbers) costs ``apply``'s
    fast path a few milliseconds for one division."""
    absolute: int | None = None
    text: str = ""
    """What the file said, for messages ("60%")."""


class Target(Record):
    """What the file asks this node to be; sizes still unresolved."""

    state: str = "onboarded"
    cpu: Amount | None = None
    memory: Amount | None = None
    disk: Amount | None = None
    cores: int | None = None
    gpus: str | tuple[int, ...] = "none"
    """"all", "none" or the indices."""
    channel: str = ""
    address: str = ""
    ntx_price: float = 0.0
    cardano: bool = False
    available: bool = True
    server_mode: bool = True
    """DMS's default (its -l/--local-enable is on unless turned off), as onboard's."""
    force: bool = False


class Resolved(Record):
    """The offer for this machine (the state's JSON shape) and how each size was reached."""

    offer: dict[str, Any]
    percents: dict[str, str] = {}
    """Field -> the percentage written ("60%"), for messages."""
    warnings: tuple[str, ...] = ()
    address_warnings: tuple[str, ...] = ()
    """Hints about the address that need no wallet library: for a plan that writes
    nothing, where the full address check (whose warnings cover these) is not run."""


# -- reading the file ------------------------------------------------------------------
def load_target(text: str, *, name: str = "-") -> Target:
    """Parse TOML (or JSON, for programs) into a ``Target``; ``TargetError`` says what is wrong."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise TargetError(
            f"{name} is larger than {MAX_FILE_BYTES // 1024} KiB; an offer is a few lines"
        )
    is_json = name.endswith(".json") or text.lstrip().startswith("{")
    data = _parse_json(text, name) if is_json else _parse_toml(text, name)
    return parse_target(data, lines=_key_lines(text, is_json), name=name)


def _parse_json(text: str, name: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TargetError(f"{name} line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise TargetError(f"{name}: not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise TargetError(f'{name}: the JSON must be an object of keys, e.g. {{"cpu": "50%"}}')
    return data


def _parse_toml(text: str, name: str) -> dict[str, Any]:
    from app.bounded_toml import TomlRefused, loads

    try:
        return loads(text)
    except TomlRefused as exc:
        raise TargetError(f"{name}: {exc}") from None


def _key_lines(text: str, is_json: bool) -> dict[str, int]:
    """The line each top-level key is written on (first occurrence), for messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        key = _key_on(line, is_json)
        if key is not None and key not in lines:
            lines[key] = number
    return lines


def _key_on(line: str, is_json: bool) -> str | None:
    """The key a line starts with (``cpu = ...``; in JSON ``"cpu": ...``, after a ``{`` or
    a ``,``), if it is a name of letters and underscores. String methods, not a regular
    expression: compiling one costs apply's fast path more than reading the file."""
    if is_json:
        rest = line.lstrip()
        rest = rest[1:].lstrip() if rest.startswith(("{", ",")) else rest
        if not rest.startswith('"'):
            return None
        key, quote, after = rest[1:].partition('"')
        if not quote or not after.lstrip().startswith(":"):
            return None
    else:
        key, equals, _ = line.partition("=")
        if not equals:
            return None
        key = key.strip()
    return key if key.isascii() and key.replace("_", "a").isalpha() else None


def parse_target(
    data: dict[str, Any], *, lines: dict[str, int] | None = None, name: str = "-"
) -> Target:
    """Check every key's type and form; sizes are parsed but not yet resolved."""
    lines = lines or {}

    def where(key: str) -> str:
        """The key's place, and the key as typed: escaped and cut (it may be anything)."""
        from app.shown import shown as plain

        line = lines.get(key)
        return f"{name} line {line}: {plain(key)}" if line else f"{name}: {plain(key)}"

    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise TargetError(
            f"{where(str(unknown[0]))} is not a known key; allowed: {', '.join(KEYS)}"
        )
    values: dict[str, Any] = {}
    for key, value in data.items():
        try:
            values[key] = _PARSERS[key](value)
        except (TypeError, ValueError) as exc:
            raise TargetError(f"{where(key)}: {exc}") from None
    target = Target(**values)
    if target.state == "onboarded":
        missing = [k for k in REQUIRED_TO_ONBOARD if k not in data]
        if missing:
            raise TargetError(
                f'{name}: {", ".join(missing)} missing; state = "onboarded" needs '
                f"{', '.join(REQUIRED_TO_ONBOARD)}"
            )
    return target


def _state(value: Any) -> str:
    if value not in STATES:
        raise ValueError(f'{_show(value)} is not allowed; use "onboarded" or "offboarded"')
    return str(value)


def _show(value: Any) -> str:
    """A value from the file for a message: text quoted, anything else as TOML/JSON writes it."""
    if isinstance(value, str):
        return shown(value)
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:40] + "…"


def _amount(unit: str, parse_text: Any) -> Any:
    def parse(value: Any) -> Amount:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f'{_show(value)} is not allowed; give a percentage ("60%") or {unit}')
        if isinstance(value, int):
            if value < 0:
                raise ValueError(f"{value} is negative; give 0 or more {unit}")
            return Amount(absolute=value, text=str(value))
        m = re.match(_PERCENT, value, re.ASCII) if len(value) <= 40 else None
        if m:
            whole, _, decimals = m.group(1).partition(".")
            percent = (int(whole + decimals), 10 ** len(decimals))
            if percent[0] > 100 * percent[1]:
                raise ValueError(f"{shown(value)} is more than 100%; give a percentage of 0-100")
            return Amount(percent=percent, text=value.strip())
        try:
            return Amount(absolute=parse_text(value), text=value.strip())
        except UnitError as exc:
            raise ValueError(f'{exc}, or a percentage ("60%")') from None

    return parse


def _cores(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{_show(value)} is not allowed; give a whole number of 1 or more")
    if value > MAX_CORES:  # the rules would echo it whole: a 4,000-digit number
        raise ValueError(f"{_show(value)} is more cores than any machine has")
    return value


def _gpus(value: Any) -> str | tuple[int, ...]:
    if value in ("all", "none"):
        return str(value)
    if isinstance(value, list) and all(
        isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value
    ):
        return tuple(value)
    raise ValueError(f'{_show(value)} is not allowed; use "all", "none" or a list such as [0, 1]')


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{_show(value)} is not text")
    if len(value) > 200:
        raise ValueError(f"{shown(value)} is longer than 200 characters")
    return value.strip()


def _channel(value: Any) -> str:
    text = _text(value)
    if text not in rules.CHANNELS:
        raise ValueError(
            f"{shown(text)} is not a known channel; allowed: {', '.join(rules.CHANNELS)}"
        )
    return text


def _price(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"{_show(value)} is not a number of NTX per minute")
    if isinstance(value, str):
        try:
            return parse_decimal(value)
        except UnitError as exc:
            raise ValueError(f"{exc}; give 0 or more NTX per minute") from None
    if isinstance(value, int) and abs(value) > 10**15:
        raise ValueError(f"{_show(value)} is too large for a price in NTX per minute")
    number = float(value)
    if not finite(number) or number < 0:
        raise ValueError(f"{_show(value)} is not allowed; give 0 or more NTX per minute")
    return number + 0.0


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{_show(value)} is not allowed; use true or false")
    return value


# Keys whose values have a form of their own; every other field is read by its kind in
# the table of offer fields (the price is the one number).
_OWN_FORM: dict[str, Any] = {
    "state": _state,
    "cpu": _amount("MHz", parse_cpu_mhz),
    "memory": _amount('MB (or a size such as "8GiB")', parse_memory_mb),
    "disk": _amount('GB (or a size such as "100GiB")', parse_disk_gb),
    "cores": _cores,
    "gpus": _gpus,
    "channel": _channel,
    "force": _flag,
}
_BY_KIND: dict[str, Any] = {"text": _text, "number": _price, "flag": _flag}
_PARSERS: dict[str, Any] = {
    **{f.key: _BY_KIND[f.kind] for f in FIELDS if f.key not in _OWN_FORM},
    **_OWN_FORM,
}


# -- resolving on this machine -----------------------------------------------------------
def resolve(target: Target, machine: MachineInfo | Capacity) -> Resolved:
    """The offer this machine should have: percentages of its usable totals made whole.

    A percentage is truncated to a whole unit; one within 10-90 % is then kept inside
    the rules' bounds (DMS's, taken on the float CPU total: 90 % of 5192.28 MHz allows
    4673), so "10%" and "90%" always mean an offer the rules take.
    """
    totals = {
        "cpu": machine.usable_cpu_mhz,
        "memory": machine.usable_memory_mb,
        # The partition's size, not its free space: free space moves with every file
        # written, and a re-run must not re-offer because a log grew. The rules still
        # refuse more than is free.
        "disk": machine.disk.total_gb,
    }
    sizes: dict[str, int] = {}
    percents: dict[str, str] = {}
    for name in ("cpu", "memory", "disk"):
        amount: Amount | None = getattr(target, name)
        if amount is None:
            sizes[name] = 0
        elif amount.percent is None:
            sizes[name] = int(amount.absolute or 0)
        else:
            sizes[name] = _share(totals[name], amount.percent, bounded=name != "disk")
            percents[name] = amount.text
    gpus, warnings = _resolve_gpus(target.gpus, machine)
    address = normal_address(target.address)
    offer = {f.name: getattr(target, f.key) for f in FIELDS}
    offer.update(sizes, payment_addr=address, gpus=list(gpus))
    return Resolved(
        offer=offer,
        percents=percents,
        warnings=tuple(warnings),
        address_warnings=tuple(_address_warnings(address)),
    )


def _resolve_gpus(
    wanted: str | tuple[int, ...], machine: MachineInfo | Capacity
) -> tuple[tuple[int, ...], list[str]]:
    if isinstance(wanted, tuple):
        return wanted, []
    if wanted == "none":
        return (), []
    present = tuple(g.index for g in machine.gpus.devices)
    if present:
        return present, []
    why = "; ".join(machine.gpus.problems) or "none found"
    return (), [f'gpus = "all" but this machine has no GPU ({why}); none offered']


def _address_warnings(address: str) -> list[str]:
    """Cheap hints that need no wallet library (the full check runs before any write)."""
    digits = address[2:]
    one_case = digits.islower() or digits.isupper()  # False when there is no letter at all
    found = dms_address_warnings(address)
    if address[:2] == "0x" and len(digits) == 40 and one_case:
        found.insert(
            0,
            f"address {address} has no EIP-55 checksum (all one case), so a typo in it "
            "would not be caught; prefer the checksummed form",
        )
    return found


def _share(total: float, percent: tuple[int, int], *, bounded: bool) -> int:
    num, den = percent
    value = int(total * num // (100 * den))  # a CPU total is DMS's float
    if bounded and 10 * den <= num <= 90 * den:
        low, high = rules.share_bounds(total)
        if low <= high:
            value = min(max(value, low), high)
    return value


def explain(field_name: str, message: str, resolved: Resolved) -> str:
    """A rule's message for a size given as a percentage: "memory 60% = 14463 MB is ..."."""
    written = resolved.percents.get(field_name)
    value = resolved.offer.get(field_name)
    prefix = f"{field_name} {value} "
    if written is None or not message.startswith(prefix):
        return message
    return f"{field_name} {written} = {value} {message[len(prefix) :]}"
