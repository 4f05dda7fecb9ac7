"""TOML parsed with bounds: no input under the size cap costs tomllib seconds or gigabytes.

``tomllib`` is sound on ordinary files but has no limits of its own: one dotted key
of 32,700 parts (``x.x.x...y = 1``, 64 KB) costs it 15 s and 4 GB, since each part
makes a table and a key tuple as long as the path so far; brackets nested deeply
enough end in ``RecursionError``; and an integer of more than 4,300 digits raises a
bare ``ValueError``. So the text is measured first, outside its strings and
comments, in one linear pass: the parts of any dotted key, the nesting of arrays and
tables, and the number of keys. Past a bound, or for any of tomllib's own errors,
``TomlRefused`` says what was wrong; callers put the file's name in front.

The bounds are far above any offer or config file (a dozen keys, one level) and far
below what costs time: at the bounds a 64 KiB file parses in well under a second.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

MAX_KEY_PARTS = 32
MAX_NESTING = 32
MAX_KEYS = 4096

_STRING_OR_COMMENT = re.compile(r"[\"'#]")
_BASIC_BODY = re.compile(r'[^"\\\n]*(?:\\.[^"\\\n]*)*')
_NOT_KEY = re.compile(r"[^A-Za-z0-9_\-. \t]")
"""Anything that ends a dotted key: bare-key characters, dots and blanks are in one."""
_BRACKET = re.compile(r"[\[\]{}]")


class TomlRefused(ValueError):
    """The text is not TOML we read; the message says why, without the file's name."""


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)`` once the text is within the bounds; else ``TomlRefused``."""
    reason = too_complex(text)
    if reason is not None:
        raise TomlRefused(reason)
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlRefused(f"not valid TOML ({exc})") from None
    except RecursionError:
        raise TomlRefused("not valid TOML (nested too deeply)") from None
    except ValueError as exc:  # an integer of more digits than int() converts
        raise TomlRefused(f"a value that cannot be read ({str(exc)[:80]})") from None


def too_complex(text: str) -> str | None:
    """Why ``text`` is past a bound (see the module), or None; linear in its length."""
    outside = _outside_strings(text)
    if outside.count("=") > MAX_KEYS:
        return f"more than {MAX_KEYS} keys, far more than nunet-onboard reads"
    depth = 0
    for bracket in _BRACKET.findall(outside):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_NESTING:
            return f"nested more than {MAX_NESTING} levels deep"
    if max((len(run.split(".")) for run in _NOT_KEY.split(outside)), default=0) > MAX_KEY_PARTS:
        return f"a dotted key of more than {MAX_KEY_PARTS} parts, more than nunet-onboard reads"
    return None


def _outside_strings(text: str) -> str:
    """``text`` with each string made one ``s`` (a quoted key stays one part of a key)
    and comments dropped. Each step moves forward, so the pass is linear."""
    out: list[str] = []
    pos, end = 0, len(text)
    while (found := _STRING_OR_COMMENT.search(text, pos)) is not None:
        start = found.start()
        out.append(text[pos:start])
        quote = text[start]
        if quote == "#":
            newline = text.find("\n", start)
            pos = end if newline < 0 else newline
            continue
        out.append("s")
        if text.startswith(quote * 3, start):
            pos = _multiline_end(text, start + 3, quote)
        elif quote == '"':
            body = _BASIC_BODY.match(text, start + 1)
            stop = body.end() if body is not None else start + 1
            pos = stop + 1 if text.startswith('"', stop) else stop
        else:
            pos = _literal_end(text, start + 1)
    out.append(text[pos:])
    return "".join(out)


def _multiline_end(text: str, pos: int, quote: str) -> int:
    """Just past the closing triple quote (and the up to two quotes it may carry); in a
    basic string (``\"\"\"``) a quote after an odd run of backslashes is escaped."""
    while True:
        close = text.find(quote * 3, pos)
        if close < 0:
            return len(text)
        before = close
        while quote == '"' and before > pos and text[before - 1] == "\\":
            before -= 1
        if (close - before) % 2:
            pos = close + 1
            continue
        stop = close + 3
        extra = 0
        while extra < 2 and text.startswith(quote, stop):
            stop, extra = stop + 1, extra + 1
        return stop


def _literal_end(text: str, pos: int) -> int:
    """Just past a one-line literal string's closing quote, or at the line's end."""
    close, newline = text.find("'", pos), text.find("\n", pos)
    if close >= 0 and (newline < 0 or close < newline):
        return close + 1
    return len(text) if newline < 0 else newline
