"""The shape of ``state.json``, checked on every read without pydantic.

``status`` must not import pydantic (its import alone is over the command's
budget), yet every command, ``status`` and ``offboard --force`` included, must be
able to trust what it reads: a file that parses as JSON but has the wrong shape
(``"cpu": null``, NaN, ``1e400``, a list where an object belongs) used to crash
them with a traceback. So the shape is written down here, by hand for DMS's records
mirroring ``models.py`` (a test keeps the two in step), and for the offer from its
table of fields (``offer_fields``); ``check_state`` names the first bad field by its
path: ``offer.cpu: expected a whole number, got null``.

The checker walks the schema, not the data, so its depth is bounded by the schema
whatever the file holds; values are described with a cut-down repr so that a
20 KB string never becomes a 20 KB message.
"""

from __future__ import annotations

from app.onboarding.offer_fields import FIELDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias

SCHEMA_VERSION = 1
MAX_WHOLE = 2**63 - 1
"""DMS's numbers are Go int64; a larger one cannot have come from us or from DMS."""


class ShapeError(ValueError):
    """The state has the wrong shape; ``str()`` is "path: what was expected, got what"."""


def finite(value: float) -> bool:
    """``math.isfinite`` without importing math (status checks the state on every call):
    an infinity minus itself is NaN, and NaN is not equal to anything."""
    return value - value == 0.0


def describe(value: Any) -> str:
    """A JSON value in a few characters, for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not finite(value):
        return "NaN" if value != value else "an infinite number"
    if isinstance(value, int):
        text = str(value) if value.bit_length() < 200 else "a number of over 60 digits"
        return text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40]) + "... (cut)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


if TYPE_CHECKING:
    Check: TypeAlias = Callable[[Any, str], None]


def _fail(path: str, expected: str, value: Any) -> ShapeError:
    return ShapeError(f"{path}: expected {expected}, got {describe(value)}")


def whole(minimum: int | None = None) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) is not int:
            raise _fail(path, "a whole number", value)
        low = -MAX_WHOLE if minimum is None else minimum
        if not low <= value <= MAX_WHOLE:
            raise _fail(path, f"a whole number from {low} to {MAX_WHOLE}", value)

    return check


def number(minimum: float | None = None) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) not in (int, float) or (isinstance(value, float) and not finite(value)):
            raise _fail(path, "a finite number", value)
        if abs(value) > MAX_WHOLE:
            raise _fail(path, "a number of at most 2^63", value)
        if minimum is not None and value < minimum:
            raise _fail(path, f"a number of {minimum:g} or more", value)

    return check


def text(value: Any, path: str) -> None:
    if not isinstance(value, str):
        raise _fail(path, "a string", value)


def flag(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise _fail(path, "true or false", value)


def optional(inner: Check) -> Check:
    def check(value: Any, path: str) -> None:
        if value is not None:
            inner(value, path)

    return check


def list_of(inner: Check) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise _fail(path, "a list", value)
        for n, item in enumerate(value):
            inner(item, f"{path}[{n}]")

    return check


def record(required: dict[str, Check], optional_fields: dict[str, Check], *, closed: bool) -> Check:
    """An object with these fields; ``closed`` refuses fields the models do not know."""

    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _fail(path, "an object", value)
        for name, inner in required.items():
            if name not in value:
                raise ShapeError(f"{path}.{name}: missing")
            inner(value[name], f"{path}.{name}")
        for name, inner in optional_fields.items():
            if name in value:
                inner(value[name], f"{path}.{name}")
        if closed:
            unknown = [k for k in value if k not in required and k not in optional_fields]
            if unknown:
                raise ShapeError(f"{path}: unknown field {describe(unknown[0])}")

    return check


_cpu_memory = record({"cpu": whole(), "memory": whole()}, {}, closed=True)

# The check of each kind of offer field (offer_fields.KINDS).
_KIND_CHECKS: dict[str, Check] = {
    "whole": whole(0),
    "number": number(0),
    "text": text,
    "flag": flag,
    "indices": list_of(whole(0)),
    "count": optional(whole(0)),
}
OFFER_REQUIRED: dict[str, Check] = {f.name: _KIND_CHECKS[f.kind] for f in FIELDS if f.required}
OFFER_OPTIONAL: dict[str, Check] = {f.name: _KIND_CHECKS[f.kind] for f in FIELDS if not f.required}
GPU_INFO_REQUIRED: dict[str, Check] = {"name": text, "tot_vram": whole(), "free_vram": whole()}
GPU_INFO_OPTIONAL: dict[str, Check] = {
    "index": optional(whole()),
    "vendor": optional(text),
    "driver": optional(text),
    "uuid": optional(text),
}
METADATA_REQUIRED: dict[str, Check] = {
    "name": text,
    "update_timestamp": whole(),
    "resource": record(
        {"memory_max": whole(), "total_core": whole(), "cpu_max": whole()}, {}, closed=True
    ),
    "available": _cpu_memory,
    "reserved": _cpu_memory,
    "network": text,
    "public_key": text,
    "node_id": text,
    "allow_cardano": flag,
}
METADATA_OPTIONAL: dict[str, Check] = {
    "gpu_info": list_of(record(GPU_INFO_REQUIRED, GPU_INFO_OPTIONAL, closed=True)),
    "dashboard": text,
    "ntx_price": number(),
}
AVAILABLE_REQUIRED: dict[str, Check] = {
    "tot_cpu_hz": whole(),
    "cpu_no": whole(),
    "cpu_hz": number(),
    "vcpu": whole(),
    "ram": whole(),
    "disk": whole(),
    "ntx_price": number(),
}
# Wallet records and history entries are ours alone (no DMS shape): open to new
# fields, so that a field added later does not make an older file unreadable.
_wallet = record(
    {"address": text},
    {
        "chain": text,
        "network": optional(text),
        "account": optional(whole(0)),
        "stake_address": optional(text),
        "created": text,
        "exports": list_of(text),
    },
    closed=False,
)
_history = record(
    {},
    {"time": text, "action": text, "detail": text, "revision": whole(0)},
    closed=False,
)
_TOP: dict[str, Check] = {
    "revision": whole(0),
    "offer": optional(record(OFFER_REQUIRED, OFFER_OPTIONAL, closed=True)),
    "metadata": optional(record(METADATA_REQUIRED, METADATA_OPTIONAL, closed=True)),
    "available_resources": optional(record(AVAILABLE_REQUIRED, {}, closed=True)),
    "wallets": list_of(_wallet),
    "history": list_of(_history),
}


def check_state(data: Any) -> None:
    """Raise ``ShapeError`` naming the first field of the wrong shape; else return.

    ``schema_version`` must be exactly the integer 1: ``1.0`` and ``true`` compare
    equal to 1 in Python but are not what we write. Keys we do not know at the top
    level are kept (a newer writer's additions, a test's counters).
    """
    if not isinstance(data, dict):
        raise ShapeError(f"the file holds {describe(data)}, not a JSON object")
    version = data.get("schema_version")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise ShapeError(
            f"schema_version {describe(version)} is not one this version knows "
            f"({SCHEMA_VERSION}); it may come from a newer nunet-onboard"
        )
    for name, check in _TOP.items():
        if name in data:
            check(data[name], name)


# -- how deep the JSON text nests (the store measures before it parses) ------------------
# ``json.loads`` recurses in C, so a state file of 100,000 brackets could overflow the
# stack before the shape check sees it: the store measures the text first (``_too_deep``),
# and the parsed value's nesting after (``_depth_over``). Plain bytes methods, no regular
# expression: ``status`` reads through the store.


def _depth_over(value: Any, limit: int) -> bool:
    """True when ``value`` nests deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def _too_deep(raw: bytes, limit: int) -> bool:
    """True when the JSON text nests deeper than ``limit``, found without parsing it.

    ``json.loads`` recurses in C; its recursion guard follows the interpreter's
    recursion limit, which a library may have raised, and then 100,000 brackets
    overflow the C stack and kill the process. So depth is measured first, on the
    text outside strings: with the escaped backslashes and then the escaped quotes
    taken out (escapes pair from the left), every other run between quotes is
    outside one. Byte methods only, no regular expression: compiling one is ~1 %
    of ``status``'s time.
    """
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.split(b'"')[::2])
    brackets = outside.translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        if depth > limit:
            return True
    return False
