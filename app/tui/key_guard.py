"""Typed text is not screen keys: keys that arrive together are held, and dropped as text.

With no text field focused, the letters are screen keys (``a`` Allocate, ``x``
Offboard, ``q`` Quit). An address pasted in a terminal without bracketed paste,
or keys queued on a slow SSH link, arrive as a burst of printable keys, which
would otherwise jump between screens, open the Offboard dialog at its ``x`` or
quit at a ``q``. No person types that fast, so:

- a printable key that no text field takes is held for one turn of the event
  loop; keys of the same read of the terminal are already queued behind it, and
  join it;
- two or more printable keys held together, each within ``BURST_S`` of the one
  before, are typed text: all the held keys are dropped (and the rest of the
  burst, until a gap of ``BURST_S``) with one notice, ``IGNORED``; unless the
  focused widget takes every one of them (digits pasted on a slider), when they
  are its input;
- otherwise the held keys are handled, in the order they came.

And a key that the focused widget would take while its screen is still
loading (``ready`` False) is dropped with ``LOADING``: the form is not filled
yet and the focus is not where the user will type (an address's digits went
into the Memory slider).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from textual import events

from app.tui.widgets.key_footer import is_typing

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.app import App
    from textual.widget import Widget

BURST_S = 0.02
"""Printable keys closer together than this are typed text: a fast typist's keys are
about 50 ms apart, a paste's a few microseconds."""
IGNORED = "typed text ignored: no field has the focus"
LOADING = "typed text ignored: the screen is still loading"


def _printable(key: events.Key) -> bool:
    return key.is_printable


def _takes(widget: Widget | None, key: events.Key) -> bool:
    return widget is not None and bool(widget.check_consume_key(key.key, key.character))


class KeyGuard:
    """Holds the keys that would be screen keys until it knows they are not typed text."""

    def __init__(self, app: App[Any], handle: Callable[[events.Key], Awaitable[None]]) -> None:
        """``handle`` is the app's own key handling, run for each key let through."""
        self.app = app
        self.handle = handle
        self.held: list[events.Key] = []
        self.dropped_at: float | None = None
        """The time of the last key dropped as part of a burst."""

    def take(self, key: events.Key) -> bool:
        """True when the guard keeps the key (held or dropped); False: handle it now."""
        if self.held:
            self.held.append(key)
            return True
        if self.dropped_at is not None and key.time - self.dropped_at < BURST_S:
            self.dropped_at = key.time  # the rest of a burst split over two reads
            return True
        self.dropped_at = None
        focused = self.app.focused
        if not _printable(key) or is_typing(focused):
            return False
        if not getattr(self.app.screen, "ready", True) and _takes(focused, key):
            self.app.notify(LOADING, severity="warning", markup=False, timeout=3)
            return True
        self.held.append(key)
        self.app.call_later(self._release)
        return True

    def is_burst(self, keys: list[events.Key]) -> bool:
        printable = [k for k in keys if _printable(k)]
        if len(printable) < 2:
            return False
        gaps = (b.time - a.time for a, b in pairwise(printable))
        return all(gap < BURST_S for gap in gaps)

    async def _release(self) -> None:
        keys, self.held = self.held, []
        focused = self.app.focused
        if self.is_burst(keys) and not all(_takes(focused, k) for k in keys):
            self.dropped_at = keys[-1].time
            self.app.notify(IGNORED, severity="warning", markup=False, timeout=4)
            return
        for key in keys:
            await self.handle(key)
