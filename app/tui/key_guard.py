"""Typed text is not screen keys: keys that arrive together are held, and dropped as text.

With no text field focused, the letters are screen keys (``a`` Allocate, ``x``
Offboard, ``q`` Quit). An address pasted in a terminal without bracketed paste,
or keys queued on a slow SSH link, arrive as a burst of printable keys, which
would otherwise jump between screens, open the Offboard dialog at its ``x`` or
quit at a ``q``. No person types that fast, so:

- a printable key that no text field takes is held for one turn of the event
  loop; keys of the same read of the terminal are already queued behind it, and
  join it;
- two or more printable keys held together are typed text: all the held keys
  are dropped (and the rest of the burst, until a gap of ``BURST_S``) with one
  notice, ``IGNORED``; unless the focused widget takes every one of them (digits
  pasted on a slider), when they are its input;
- otherwise the held keys are handled, in the order they came.

And a key that the focused widget would take while its screen is still
loading (``ready`` False) is dropped with ``LOADING``: the form is not filled
yet and the focus is not where the user will type (an address's digits went
into the Memory slider).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

from app.tui.widgets.key_footer import is_typing

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.app import App
    from textual.widget import Widget

BURST_S = 0.02
"""After a burst, keys closer than this to the last dropped one are its rest (a paste split
over two reads): a fast typist's keys are about 50 ms apart, a paste's microseconds."""
IGNORED = "typed text ignored: no text field has the focus"
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

    @staticmethod
    def is_burst(keys: list[events.Key]) -> bool:
        """Two printable keys or more that were already queued together: typed text.

        Arrival times are not compared: on a loaded machine the thread that reads the
        terminal can be paused between two keys of one read, and a person's keys that
        queued up while the app was busy are typed blind all the same."""
        return sum(1 for k in keys if _printable(k)) >= 2

    async def _release(self) -> None:
        keys, self.held = self.held, []
        focused = self.app.focused
        if self.is_burst(keys) and not all(_takes(focused, k) for k in keys):
            self.dropped_at = keys[-1].time
            self.app.notify(IGNORED, severity="warning", markup=False, timeout=4)
            return
        for key in keys:
            await self.handle(key)
