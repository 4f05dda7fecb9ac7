"""The GPU ticks of the Allocate form, readable without colour.

Textual's SelectionList draws the same ``▐X▌`` for a ticked and an unticked option
and tells them apart by colour alone, so with ``NO_COLOR``, a 16-colour theme or a
colour-blind eye every GPU looked offered. Here an unticked option is drawn ``▐ ▌``.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class GpuList(SelectionList[int]):
    """A SelectionList of GPU indices whose ticks show without colour."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if option.value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(" " * len(segments[1].text), segments[1].style)
        return Strip(segments, strip.cell_length)
