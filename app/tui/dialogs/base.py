"""What every dialog and notice shares: q quits from it, esc closes it.

A modal screen cuts off the app's ordinary key bindings (only priority ones,
the function keys, still reach the app), so a dialog would swallow ``q``. Each
dialog therefore binds ``q`` to the app's quit itself, which asks first when
something would be lost.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from app.tui import keymap

T = TypeVar("T")


class NunetDialog(ModalScreen[T]):
    """A modal dialog of the app; ``action_close`` answers its safe choice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *keymap.bindings(keymap.DIALOG),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def action_close(self) -> None:
        self.dismiss(None)
