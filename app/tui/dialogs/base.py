"""What every dialog and notice shares: q quits from it, esc closes it, its own footer.

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
from app.tui.guard import GuardedHandlers

T = TypeVar("T")


class NunetDialog(GuardedHandlers, ModalScreen[T]):
    """A modal dialog of the app; ``action_close`` answers its safe choice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *keymap.bindings(keymap.DIALOG),
        Binding("q", "app.quit", "Quit"),
    ]

    def on_mount(self) -> None:
        """The dialog's own key footer, over the screen's: it lists the keys that work in
        the dialog, and its badge follows the dialog's focus, not the field the screen
        behind had focused ("typing" while a Yes/No question waits would mislead)."""
        from app.tui.widgets.key_footer import KeyFooter

        self.mount(KeyFooter(compact=True, show_command_palette=False))

    def action_close(self) -> None:
        self.dismiss(None)
