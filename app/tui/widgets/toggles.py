"""Switches and checkboxes that say their state in symbols, not only in colour.

With ``NO_COLOR=1`` or in 16 colours, Textual's Switch and Checkbox differ only
by colour between on and off (two greys). ``TickBox`` draws ``✓`` when ticked
and a blank when not; ``StateLabel`` sits beside a Switch and says "on"/"off".
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Checkbox, Label


class TickBox(Checkbox):
    """A checkbox whose box holds ✓ when ticked, and whose label ends in "on" or "off".

    The box alone (``▐ ▌`` or ``▐✓▌``) is a glyph a person has to learn; the word
    says it, as the switches' labels do."""

    def __init__(self, label: str, value: bool = False, **kwargs: Any) -> None:
        self.base_label = label
        super().__init__(self._worded(label, value), value, **kwargs)

    @staticmethod
    def _worded(label: str, value: bool) -> str:
        return f"{label}: {'on' if value else 'off'}"

    def watch_value(self) -> None:
        super().watch_value()
        self.label = self._worded(self.base_label, self.value)

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button


class StateLabel(Label):
    """The word beside a switch: "on" or "off" (with ✓/✗), kept in step by the screen."""

    DEFAULT_CSS = """
    StateLabel { width: 6; color: $text-muted; }
    StateLabel.-on { color: $text; text-style: bold; }
    """

    def show_state(self, on: bool) -> None:
        self.set_class(on, "-on")
        self.update("✓ on" if on else "✗ off")
