"""The notice shown instead of a broken layout when the terminal is too small.

It is a plain screen, not a modal one: a modal screen cuts the app's key
bindings off, and "press q to quit" must work here as everywhere (q, F10 and
ctrl+q are the app's). The app refuses to switch screens while it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import ComposeResult


class TooSmallScreen(Screen[None]):
    """Covers the app until the terminal is at least ``width`` x ``height``."""

    DEFAULT_CSS = """
    TooSmallScreen { background: $background; align: center middle; }
    TooSmallScreen Static { width: auto; height: auto; text-align: center; }
    """

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.min_width = width
        self.min_height = height

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="too-small-text")

    def on_mount(self) -> None:
        self._update()

    def on_resize(self) -> None:
        self._update()

    def _update(self) -> None:
        width, height = self.app.size
        self.query_one("#too-small-text", Static).update(
            f"Terminal too small: {width}x{height}.\n"
            f"nunet-onboard needs at least {self.min_width}x{self.min_height}.\n"
            "Enlarge the window, or press q (or F10) to quit."
        )
