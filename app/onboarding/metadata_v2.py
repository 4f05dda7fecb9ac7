"""``metadataV2.json``: DMS's metadata file, derived from ``state.json`` and kept equal to it.

DMS-era tools read the metadata from ``metadataV2.json`` (DMS's
``OnboardingStatus.metadata_path`` points there), so we write it beside
``state.json`` in DMS's exact form: Go's ``json.MarshalIndent(v, "", " ")`` of its
``MetadataV2`` struct, where every field is ``omitempty``. In Go that leaves out
empty strings, 0, false and empty lists, but never a struct, so ``resource``,
``available`` and ``reserved`` are always there (as ``{}`` when all inside is 0);
``gpu_info`` entries are DMS's ``Gpu`` (name, tot_vram, free_vram, no omitempty).

``state.json`` stays the one source of truth and the commit point: this file is
written from the new state before it (inside the store's lock) and removed after
the metadata goes. A file that disagrees is never read back: ``status`` notes one
that an interrupted write may have left, and the next write mends it.

Plain ``json`` and no pydantic: ``status`` compares the file on its fast path.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from app.onboarding.errors import StrPath
    from app.onboarding.store import StateStore

FILE_NAME = "metadataV2.json"
_MAX_READ = 1 << 20  # a metadata file is a few hundred bytes; never read a huge one whole

# (key, omitempty applies): Go struct order. Structs ignore omitempty in encoding/json.
_TOP = ("name", "update_timestamp")
_STRUCTS = {
    "resource": ("memory_max", "total_core", "cpu_max"),
    "available": ("cpu", "memory"),
    "reserved": ("cpu", "memory"),
}
_TAIL = ("network", "public_key", "node_id", "allow_cardano", "gpu_info", "dashboard", "ntx_price")
_GPU = ("name", "tot_vram", "free_vram")


def path(state_dir: StrPath) -> str:
    """The file's path, as text (``status`` checks it and imports no pathlib)."""
    return os.path.join(state_dir, FILE_NAME)


def _empty(value: Any) -> bool:
    """Go's omitempty: false, 0, "", and an empty list or map are left out."""
    return value is None or value is False or value == 0 or value == "" or value == []


def dms_form(metadata: dict[str, Any]) -> dict[str, Any]:
    """The metadata as DMS's MetadataV2 struct would marshal it: its keys, its order."""
    out: dict[str, Any] = {}
    for key in _TOP:
        if not _empty(metadata.get(key)):
            out[key] = metadata[key]
    for key, fields in _STRUCTS.items():
        inner = metadata.get(key) or {}
        out[key] = {f: inner[f] for f in fields if not _empty(inner.get(f))}
    for key in _TAIL:
        value = metadata.get(key)
        if _empty(value):
            continue
        if key == "gpu_info":
            value = [{f: gpu.get(f, 0 if f != "name" else "") for f in _GPU} for gpu in value or ()]
        out[key] = value
    return out


def _go_float(value: float) -> str:
    """Go's float64 encoding: shortest digits, 'f' form in [1e-6, 1e21), else 'e' form."""
    if value == 0:
        return "0"
    if 1e-6 <= abs(value) < 1e21:
        return _without_exponent(repr(value))
    mantissa, exponent = repr(value).split("e")
    if exponent.startswith("-0") and len(exponent) == 3:  # Go cleans e-07 to e-7
        exponent = "-" + exponent[2]
    return f"{mantissa}e{exponent}"


def _without_exponent(shortest: str) -> str:
    """``repr``'s shortest digits written out in full, with no trailing zeros: what
    ``format(Decimal(shortest).normalize(), "f")`` gives, without importing decimal
    (0.14x of a bare interpreter start, and status renders this file on every call)."""
    sign = "-" if shortest.startswith("-") else ""
    mantissa, _, exponent = shortest.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + int(exponent or 0)  # where the point goes in ``digits``
    if point <= 0:
        text = "0." + "0" * -point + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, dot, fraction = text.partition(".")
    return sign + (whole.lstrip("0") or "0") + dot + fraction


_GO_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _go_string(text: str) -> str:
    """Go's string encoding: HTML-safe (<, >, & escaped), UTF-8 kept, U+2028/9 escaped."""
    out = ['"']
    for char in text:
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char < " " or char in "<>&\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _encode(value: Any, depth: int) -> str:
    pad, inner = " " * depth, " " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_go_string(k)}: {_encode(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _encode(v, depth + 1) for v in value) + "\n" + pad + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if value is None:
        return "null"
    return _go_string(str(value))


def render(metadata: dict[str, Any]) -> bytes:
    """The file's bytes, exactly as DMS writes them (no trailing newline, as MarshalIndent)."""
    return _encode(dms_form(metadata), 0).encode()


def _read(target: str) -> bytes | None:
    """The file's bytes, None when absent; at most ``_MAX_READ`` bytes, never from a FIFO,
    a device or through a link (``safe_read``: each is an ``OSError`` naming it)."""
    from app.safe_read import TooLarge, read_file

    try:
        return read_file(target, _MAX_READ, what="the metadata file")
    except FileNotFoundError:
        return None
    except TooLarge:
        return b""  # not ours, whatever it holds: it differs, and a write replaces it


def sync(state_dir: StrPath, state: dict[str, Any]) -> None:
    """Make the file match the state: written when there is metadata, removed when not.

    Unchanged content is not rewritten, so a write that does not touch the metadata
    costs one read. Raises ``OSError``.
    """
    metadata = state.get("metadata")
    if isinstance(metadata, dict):
        _write(state_dir, metadata)
    else:
        _unlink(path(state_dir))


def _write(state_dir: StrPath, metadata: dict[str, Any]) -> None:
    target = path(state_dir)
    data = render(metadata)
    try:
        if _read(target) == data:
            return
    except OSError:
        pass  # unreadable (a symlink, a FIFO): replaced below
    from app.onboarding.atomic import write_atomically  # writers only

    write_atomically(target, data)


def kept_store(state_dir: str) -> StateStore:
    """The state store of ``state_dir``, built with metadataV2.json kept in step with
    every write it makes (``hooks``): the one place a store for the controller is built."""
    from app.onboarding.store import StateStore  # the store imports this module

    store = StateStore(state_dir)
    store.before_commit, store.after_commit = hooks(state_dir)
    return store


def _unlink(target: str) -> None:
    from contextlib import suppress  # writers only: status does not load contextlib

    with suppress(FileNotFoundError):
        os.unlink(target)


def _warn(state_dir: StrPath, exc: OSError) -> None:
    import logging  # here, not at the top: status reads this module and logs nothing

    logging.getLogger("nunet_onboard.metadata").warning(
        "could not update %s: %s", path(state_dir), exc.strerror or exc
    )


def hooks(
    state_dir: StrPath,
) -> tuple[Callable[[dict[str, Any], dict[str, Any]], None], Callable[[dict[str, Any]], None]]:
    """The store's two hooks: write the file before the state commits, remove it after.

    ``state.json`` is the commit point, so a crash between the two leaves a file
    that the state does not vouch for: status calls it a leftover, and the next
    write mends it. A write that changes the metadata fails whole (``StateError``,
    nothing committed) when the file cannot be written; any other write only logs
    it, since a wallet record must not wait on DMS's file. Removing never fails the
    write: the state is committed by then.
    """

    def before_commit(old: dict[str, Any], new: dict[str, Any]) -> None:
        metadata = new.get("metadata")
        if not isinstance(metadata, dict):
            return
        try:
            _write(state_dir, metadata)
        except OSError as exc:
            if metadata == old.get("metadata"):
                _warn(state_dir, exc)
                return
            from app.onboarding.errors import StateError
            from app.onboarding.state_dir import describe_os_error

            raise StateError(
                f"cannot write {path(state_dir)}: {describe_os_error(exc, path(state_dir))}; "
                "nothing was changed",
                fix=f"move {path(state_dir)} away (or run 'nunet-onboard offboard --force')",
            ) from exc

    def after_commit(state: dict[str, Any]) -> None:
        if isinstance(state.get("metadata"), dict):
            return
        try:
            _unlink(path(state_dir))
        except OSError as exc:
            _warn(state_dir, exc)

    return before_commit, after_commit


def disagreement(state_dir: StrPath, metadata: Any) -> str | None:
    """Why the file does not match ``state.json``'s metadata, or None when it does."""
    target = path(state_dir)
    try:
        found = _read(target)
    except OSError as exc:
        from app.safe_read import Refused, kind_of

        if isinstance(exc, Refused) and exc.mode is not None:
            return f"{target} cannot be read (it is {kind_of(exc.mode)})"
        return f"{target} cannot be read ({exc.strerror or exc})"
    if not isinstance(metadata, dict):
        return None if found is None else f"{target} is left over from an earlier onboarding"
    if found is None:
        return f"{target} is missing"
    try:
        expected = render(metadata)
    except (TypeError, ValueError, AttributeError):
        return None  # the state itself is malformed; status reports that elsewhere
    if found != expected:
        return f"{target} differs from the state file (edited by hand?)"
    return None
