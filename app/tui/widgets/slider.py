"""A horizontal slider with an allowed range drawn on its track.

Textual ships no slider. ``textual-slider`` exists, but it is integer-only and
cannot show that only part of the track is allowed (DMS allows 10-90 % of the
machine), which is the whole point of the Allocate screen's sliders. So we
write our own: about 200 lines, no extra dependency.

The track spans ``minimum..maximum`` (usually 0..the machine's total) and the
allowed range ``allowed_min..allowed_max`` is drawn between ``[`` and ``]``
marks, so the meaning survives 16 colours and ``NO_COLOR``::

    ·····[━━━━━━━━━●──────────────]·····

Keys follow the platform conventions: left/right move by ``step``,
shift+left/right and PageDown/PageUp by ``big_step``, each from the current
value (489 + step, not the next grid point); Home/End go to the lowest/highest
*allowed* value and stay there. Digits typed while the slider has the focus
post ``Typed`` with the number so far, so the slider and the number box beside
it are one stop in the Tab order. Click or drag with the mouse. The value is
clamped to the track, never snapped, so an exact typed value is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from app.tui import keymap


class Slider(Widget, can_focus=True):
    """A value on a track, with the allowed part of the track marked."""

    DEFAULT_CSS = """
    Slider {
        height: 1;
        width: 1fr;
        min-width: 12;
        color: $foreground-muted;
    }
    Slider:focus {
        background: $boost;
    }
    Slider > .slider--allowed { color: $foreground; }
    Slider > .slider--filled { color: $accent; text-style: bold; }
    Slider > .slider--thumb { color: $accent; text-style: bold; }
    Slider:focus > .slider--thumb { color: $text-accent; text-style: bold reverse; }
    Slider > .slider--mark { color: $warning; text-style: bold; }
    Slider:disabled > .slider--thumb { color: $text-disabled; }
    """

    COMPONENT_CLASSES = {
        "slider--allowed",
        "slider--filled",
        "slider--thumb",
        "slider--mark",
    }

    BINDINGS = keymap.bindings(keymap.SLIDER)

    @dataclass
    class Changed(Message):
        """The value changed (by key, mouse or code)."""

        slider: Slider
        value: float

        @property
        def control(self) -> Slider:
            return self.slider

    @dataclass
    class Typed(Message):
        """Digits typed on the slider: the number so far, for the box beside it."""

        slider: Slider
        text: str

        @property
        def control(self) -> Slider:
            return self.slider

    value: reactive[float] = reactive(0.0, init=False)
    minimum: reactive[float] = reactive(0.0, init=False)
    maximum: reactive[float] = reactive(100.0, init=False)
    allowed_min: reactive[float | None] = reactive(None, init=False)
    allowed_max: reactive[float | None] = reactive(None, init=False)

    def __init__(
        self,
        value: float = 0,
        *,
        minimum: float = 0,
        maximum: float = 100,
        step: float = 1,
        big_step: float | None = None,
        allowed: tuple[float, float] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.integer = all(isinstance(v, int) for v in (minimum, maximum, step))
        """Whole numbers only: true when the bounds and the step are ints."""
        self.step = step
        self.big_step = big_step if big_step is not None else step * 10
        self.set_reactive(Slider.minimum, minimum)
        self.set_reactive(Slider.maximum, max(minimum, maximum))
        if allowed is not None:
            self.set_reactive(Slider.allowed_min, allowed[0])
            self.set_reactive(Slider.allowed_max, allowed[1])
        self.set_reactive(Slider.value, self._clamp(value))
        self._dragging = False

    # -- value ---------------------------------------------------------------
    def _clamp(self, value: float) -> float:
        value = min(max(value, self.minimum), self.maximum)
        return round(value) if self.integer else float(value)

    def validate_value(self, value: float) -> float:
        return self._clamp(value)

    def watch_value(self, value: float) -> None:
        self.post_message(self.Changed(self, value))

    def configure(
        self,
        *,
        minimum: float,
        maximum: float,
        allowed: tuple[float, float] | None,
        step: float | None = None,
        big_step: float | None = None,
    ) -> None:
        """Set the track once the machine is known (the bounds come from a probe)."""
        if step is not None:
            self.step = step
        if big_step is not None:
            self.big_step = big_step
        self.integer = all(isinstance(v, int) for v in (minimum, maximum, self.step))
        self.minimum = minimum
        self.maximum = max(minimum, maximum)
        self.allowed_min, self.allowed_max = allowed if allowed else (None, None)
        self.value = self._clamp(self.value)
        self.refresh()

    @property
    def low(self) -> float:
        """The lowest value allowed (the allowed range's start, else the track's)."""
        return self.minimum if self.allowed_min is None else self.allowed_min

    @property
    def high(self) -> float:
        return self.maximum if self.allowed_max is None else self.allowed_max

    def _move(self, delta: float) -> None:
        """From the current value, kept within the allowed range (the track's ends
        are never allowed, so a key never goes there)."""
        self.typed = None
        target = self.value + delta
        if self.allowed_min is not None and self.allowed_max is not None:
            target = min(max(target, self.allowed_min), self.allowed_max)
            if delta > 0 and self.value > self.allowed_max:
                target = self.value + delta  # already above: keep moving up the track
            if delta < 0 and self.value < self.allowed_min:
                target = self.value + delta
        self.value = target

    def action_step(self, direction: int) -> None:
        self._move(self.step * direction)

    def action_big_step(self, direction: int) -> None:
        self._move(self.big_step * direction)

    def action_to_low(self) -> None:
        self.typed = None
        self.value = self.low

    def action_to_high(self) -> None:
        self.typed = None
        self.value = self.high

    # -- typing ----------------------------------------------------------------
    typed: str | None = None
    """Digits typed since the slider got the focus or last moved; None when none."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Digits and backspace are the slider's (for the number box); letters are not."""
        return key == "backspace" or (character is not None and character.isdigit())

    async def _on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            self.typed = (self.typed or "") + event.character
        elif event.key == "backspace":
            current = self.typed if self.typed is not None else str(int(self.value))
            self.typed = current[:-1]
        else:
            return
        event.stop()
        event.prevent_default()
        self.post_message(self.Typed(self, self.typed[:12]))

    def _on_blur(self, event: events.Blur) -> None:
        self.typed = None

    # -- mouse -----------------------------------------------------------------
    def _value_at(self, x: int) -> float:
        width = max(1, self.content_size.width - 1)
        share = min(max(x, 0), width) / width
        raw = self.minimum + share * (self.maximum - self.minimum)
        if self.step:
            raw = round(raw / self.step) * self.step
        return raw

    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.value = self._value_at(event.x)

    async def _on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self.value = self._value_at(event.x)

    async def _on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    # -- drawing ---------------------------------------------------------------
    def _column(self, value: float, width: int) -> int:
        span = self.maximum - self.minimum
        if span <= 0 or width <= 1:
            return 0
        return round((value - self.minimum) / span * (width - 1))

    def render(self) -> Text:
        width = max(1, self.content_size.width)
        allowed_style = self.get_component_rich_style("slider--allowed")
        filled_style = self.get_component_rich_style("slider--filled")
        thumb_style = self.get_component_rich_style("slider--thumb")
        mark_style = self.get_component_rich_style("slider--mark")
        low_col = self._column(self.low, width)
        high_col = self._column(self.high, width)
        thumb_col = self._column(self.value, width)
        marked = self.allowed_min is not None
        text = Text(no_wrap=True, overflow="crop", end="")
        for col in range(width):
            if col == thumb_col:
                text.append("●", thumb_style)
            elif marked and col == low_col:
                text.append("[", mark_style)
            elif marked and col == high_col:
                text.append("]", mark_style)
            elif col < low_col or col > high_col:
                text.append("·")
            elif col < thumb_col:
                text.append("━", filled_style)
            else:
                text.append("─", allowed_style)
        return text
