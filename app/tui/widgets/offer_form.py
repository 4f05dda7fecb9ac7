"""The Allocate form's widgets, top to bottom in Tab order; the screen holds the logic.

Each of CPU, memory and disk is one Tab stop: a slider, with a number box
beside it that takes no focus of its own (digits typed on the slider go into
it). The ids are the DMS field names (``payment_addr``, ``ntx_price``) so that
a problem from the controller finds its message line by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static, Switch

from app.onboarding import rules
from app.tui.widgets.channel_select import ChannelSelect
from app.tui.widgets.gpu_list import GpuList
from app.tui.widgets.slider import Slider
from app.tui.widgets.toggles import StateLabel

if TYPE_CHECKING:
    from textual.app import ComposeResult

SLIDERS: tuple[tuple[str, str, str], ...] = (
    ("cpu", "CPU", "MHz"),
    ("memory", "Memory", "MB"),
    ("disk", "Disk", "GB"),
)


class OfferForm(VerticalScroll, can_focus=False):
    """The offer's fields; not focusable itself, so the first Tab stop is the CPU slider."""

    def compose(self) -> ComposeResult:
        yield Static("Reading this machine's limits…", id="allocate-title")
        for key, label, unit in SLIDERS:
            with Vertical(classes="field", id=f"{key}-field"):
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield Slider(id=f"{key}-slider")
                    box = Input(id=f"{key}-input", type="integer", compact=True, classes="number")
                    box.can_focus = False
                    yield box
                    yield Label(unit, classes="unit")
                yield Static(id=f"{key}-message", classes="field-message")
        with Vertical(classes="field", id="gpus-field"):
            yield Label("GPUs", classes="field-label")
            yield GpuList(id="gpus", compact=True)
            yield Static(id="gpus-message", classes="field-message")
        with Vertical(classes="field", id="channel-field"):
            with Horizontal(classes="field-row"):
                yield Label("Channel", classes="field-label")
                yield ChannelSelect(
                    list(rules.CHANNELS), prompt="choose a channel", id="channel", compact=True
                )
            yield Static(id="channel-message", classes="field-message")
        with Vertical(classes="field", id="ntx_price-field"):
            with Horizontal(classes="field-row"):
                yield Label("Price", classes="field-label")
                yield Input("0", id="ntx_price", compact=True, classes="number")
                yield Label("NTX a minute", classes="unit-wide")
            yield Static(id="ntx_price-message", classes="field-message")
        with Vertical(classes="field", id="payment_addr-field"):
            with Horizontal(classes="field-row"):
                yield Label("Pay to", classes="field-label")
                yield Input(
                    id="payment_addr",
                    placeholder="0x… or addr1…  (ctrl+n: new wallet)",
                    compact=True,
                )
            yield Static(id="payment_addr-message", classes="field-message")
        with Vertical(classes="field", id="cardano-field"):
            with Horizontal(classes="field-row switches"):
                yield Label("Cardano", classes="field-label")
                yield Switch(id="cardano")
                yield StateLabel(id="cardano-state")
                yield Label("Available", classes="field-label switch-label")
                yield Switch(True, id="is_available")
                yield StateLabel(id="is_available-state")
            yield Static(id="cardano-message", classes="field-message")
            yield Static(id="is_available-message", classes="field-message")


class NextStep(Horizontal):
    """What is still to do, and the Review button: under the form, outside its scrolling,
    so that the way forward is on screen at 80x24 however far the form scrolls."""

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        yield Button("Review and onboard", id="review", variant="primary", disabled=True)
