"""No screenshots from the app: a screen can hold a recovery phrase."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App, SystemCommand
    from textual.screen import Screen

    _Base = App[Any]
else:
    _Base = object


class ScreenshotsOff(_Base):
    """Mixed into the app: Textual's screenshot command and action are refused."""

    SCREENSHOTS_OFF = "Screenshots are off in this app: a screen can hold a recovery phrase."

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette commands less "Screenshot", which writes the whole
        screen as text to an SVG in ~/Downloads, mode 0644: the Wallet screen's
        recovery phrase too. Secrets never go to screenshots."""
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Refused, for the reason above, however it is asked for (an action, a key
        a user binds); the README's screenshots are made with ``save_screenshot``."""
        self.notify(self.SCREENSHOTS_OFF, severity="warning")
        return None
