"""The Allocate form's widgets, top to bottom in Tab order; the screen holds the logic.

Each of CPU, memory and disk is one Tab stop: a slider, with a number box
beside it that takes no focus of its own (digits typed on the slider go into
it). The GPU list, the channel's list and the two switches are widgets of their
own; every other field of the form is a plain box (the price, the address),
built from its row in ``app.onboarding.offer_fields``: its label, its unit, and a
number box or a text box by its kind. The ids are the DMS field names
(``payment_addr``, ``is_available``) so that a problem from the controller finds its
message line by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static, Switch

from app.onboarding import rules
from app.onboarding.offer_fields import BY_NAME, ON_FORM
from app.onboarding.units import decimal_text
from app.tui.widgets.channel_select import ChannelSelect
from app.tui.widgets.gpu_list import GpuList
from app.tui.widgets.slider import Slider
from app.tui.widgets.toggles import StateLabel

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.offer_fields import OfferField

SLIDERS = ("cpu", "memory", "disk")
"""What the machine has a total of: a slider from 0 to the total, the allowed part
drawn on it, with a box for the exact value."""
BOXES: tuple[OfferField, ...] = tuple(
    f
    for f in ON_FORM
    if f.kind in ("whole", "number", "text") and f.name not in (*SLIDERS, "channel")
)
"""The fields typed into a plain box (not the channel: it is chosen from a list)."""
PLACEHOLDERS = {"payment_addr": "0x… or addr1…  (ctrl+n: new wallet)"}
"""What an empty box shows, where its label alone does not say what to type."""


def box_text(row: OfferField, value: Any) -> str:
    """A value as its box holds it: a number with every digit and no unit (the unit is
    beside the box), so that the box read back gives the same value."""
    if value is None:
        return ""
    return decimal_text(value) if row.kind == "number" else str(value)


def plain_box(row: OfferField) -> ComposeResult:
    """A field typed into a box: its label, the box (a number box is read by the field's
    kind, a text box as typed; either opens the review on Enter), its unit."""
    kind = "text-box" if row.kind == "text" else "number"
    with Vertical(classes="field", id=f"{row.name}-field"):
        with Horizontal(classes="field-row"):
            yield Label(row.label, classes="field-label")
            yield Input(
                box_text(row, row.default),
                id=row.name,
                placeholder=PLACEHOLDERS.get(row.name, ""),
                compact=True,
                classes=f"box {kind}",
            )
            if row.unit:
                yield Label(row.unit, classes="unit-wide")
        yield Static(id=f"{row.name}-message", classes="field-message")


class OfferForm(VerticalScroll, can_focus=False):
    """The offer's fields; not focusable itself, so the first Tab stop is the CPU slider."""

    def compose(self) -> ComposeResult:
        yield Static("Reading this machine's limits…", id="allocate-title")
        for key in SLIDERS:
            row = BY_NAME[key]
            with Vertical(classes="field", id=f"{key}-field"):
                with Horizontal(classes="field-row"):
                    yield Label(row.label, classes="field-label")
                    yield Slider(id=f"{key}-slider")
                    box = Input(id=f"{key}-input", type="integer", compact=True, classes="number")
                    box.can_focus = False
                    yield box
                    yield Label(row.unit, classes="unit")
                yield Static(id=f"{key}-message", classes="field-message")
        with Vertical(classes="field", id="gpus-field"):
            yield Label(BY_NAME["gpus"].label, classes="field-label")
            yield GpuList(id="gpus", compact=True)
            yield Static(id="gpus-message", classes="field-message")
        with Vertical(classes="field", id="channel-field"):
            with Horizontal(classes="field-row"):
                yield Label(BY_NAME["channel"].label, classes="field-label")
                yield ChannelSelect(
                    list(rules.CHANNELS), prompt="choose a channel", id="channel", compact=True
                )
            yield Static(id="channel-message", classes="field-message")
        for row in BOXES:
            yield from plain_box(row)
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
