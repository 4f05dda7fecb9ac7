"""The channel list, with type-ahead on the part after ``nunet-``.

Every channel starts with ``nunet-``, so a type-ahead on the whole name would
need six keys before it told two apart. Here the letters typed while the list
has the focus (collapsed) are matched against the part after ``nunet-`` first,
then against the whole name: ``ed`` picks nunet-edge, ``tea`` nunet-team. A
pause of a second starts a new search; letters that fit no channel change nothing. While it has the focus the list takes
letters, like a text field: the footer says so and ``esc`` leaves it.
"""

from __future__ import annotations

import time

from textual import events
from textual.widgets import Select

PREFIX = "nunet-"
RESTART_AFTER_S = 1.0


def match(typed: str, names: list[str]) -> str | None:
    """The first name whose part after ``nunet-`` (or whole name) starts with ``typed``."""
    typed = typed.lower()
    for name in names:
        if name.removeprefix(PREFIX).startswith(typed):
            return name
    for name in names:
        if name.startswith(typed):
            return name
    return None


class ChannelSelect(Select[str]):
    """A Select of channel names that takes type-ahead while collapsed."""

    def __init__(self, names: list[str], **kwargs: object) -> None:
        super().__init__([(n, n) for n in names], **kwargs)  # type: ignore[arg-type]
        self.names = list(names)
        self._typed = ""
        self._last = 0.0

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and (character.isalpha() or character == "-")

    async def _on_key(self, event: events.Key) -> None:
        character = event.character
        if self.expanded or character is None or not self.check_consume_key(event.key, character):
            return
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        if now - self._last > RESTART_AFTER_S:
            self._typed = ""
        self._last = now
        self._typed += character
        found = match(self._typed, self.names)
        # No fresh start on a letter that does not fit: text typed here by mistake (an
        # address meant for Pay to) would hop from channel to channel on its letters.
        # A miss rings the bell and changes nothing until a pause starts a new search.
        if found is not None:
            self.value = found
        else:
            self.app.bell()
