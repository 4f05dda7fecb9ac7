"""Widgets of our own; each carries its look in ``DEFAULT_CSS``."""

from app.tui.widgets.slider import Slider

__all__ = ["Slider"]
