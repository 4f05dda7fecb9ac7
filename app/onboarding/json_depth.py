"""How deep a JSON document nests, measured without recursion.

``json.loads`` recurses in C, so a state file of 100,000 brackets could overflow the
stack before the shape check sees it: the store measures the text first
(``_too_deep``), and the parsed value's nesting after (``_depth_over``). Plain
bytes methods, no regular expression: ``status`` reads through the store.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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
