"""Building the Allocate form: read the machine and the stored offer, fill the widgets.

The reading runs in a thread worker (the controller may probe the machine and
import pydantic); the filling runs on the event loop, with each widget's
``prevent`` so that setting a value is not taken for the user changing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.widgets import Button, Input, Select, SelectionList, Static, Switch

from app.onboarding import rules
from app.onboarding.offer_fields import BY_NAME, DEFAULTS, ON_FORM
from app.tui.field_messages import FIELDS
from app.tui.screens.allocate_follow import FollowStatePart
from app.tui.screens.base import describe_error
from app.tui.widgets.offer_form import SLIDERS, box_text
from app.tui.widgets.slider import Slider
from app.tui.widgets.toggles import StateLabel

if TYPE_CHECKING:
    from app.onboarding.models import CapacityForNunet


def nice_step(total: float) -> int:
    """About 1 % of the total, rounded to 1, 2 or 5 times a power of ten."""
    raw = max(total / 100, 1)
    power = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * power * 1.5:
            return int(factor * power)
    return int(10 * power)


KEPT_AFTER_OFFBOARD = tuple(f.name for f in ON_FORM if f.kept_after_offboard)
"""What the form keeps from the offer it showed when the machine is offboarded."""


def form_defaults(limits: rules.OfferLimits, offer: CapacityForNunet | None) -> dict[str, Any]:
    """The stored offer's values, or each field's default before onboarding (no disk, as
    the command line and DMS: disk is offered when asked), an empty box for one that has
    none, and the middle of the CPU and memory ranges."""
    if offer is not None:
        return {f.name: getattr(offer, f.name) for f in ON_FORM}
    return {
        **{f.name: DEFAULTS.get(f.name, "") for f in ON_FORM},
        "cpu": (limits.cpu_min + limits.cpu_max) // 2,
        "memory": (limits.memory_min + limits.memory_max) // 2,
    }


class LoadedForm(FollowStatePart):
    """The Allocate screen's state and how it is loaded; the screen adds the editing."""

    def __init__(self) -> None:
        super().__init__()
        self.ready = False
        self.limits: rules.OfferLimits | None = None
        self.onboarded = False
        self.values: dict[str, Any] = {}
        self.parse_errors: dict[str, str] = {}
        self.problems: dict[str, str] = {}
        self.touched: set[str] = set()
        self.capacity: CapacityForNunet | None = None
        """The last offer the controller found valid, for the review dialog."""
        self._generation = 0
        self._checked_generation = -1
        self._pending_address: str | None = None
        self._gpu_reason = ""
        self._review_when_checked = False
        self.warnings: list[str] = []
        """Unusual but allowed things about the last valid offer, for the review."""
        self.base_values: dict[str, Any] = {}
        """The values as loaded: an edit differs from them (and quitting asks first)."""

    def changed(self, key: str | None = None) -> None:
        """A value moved (the screen checks it); called once the form is filled."""
        raise NotImplementedError

    # -- reading (thread worker) ---------------------------------------------------------
    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        c = self.controller
        try:
            revision = c.revision()  # first: a write after it makes the apply refused, not lost
            limits = c.limits()
            onboarded = c.is_onboarded()
            offer = c.current_offer() if onboarded else None
            machine = c.machine()
            gpu_names = {
                g.index: f"{g.name}, {g.total_vram_mb // 1024} GB" for g in machine.gpus.devices
            }
            gpu_reason = "; ".join(machine.gpus.problems) or "no GPU found"
            from app.onboarding.models import CapacityForNunet  # noqa: F401 - warm pydantic here
        except Exception as exc:  # noqa: BLE001 - a broken state is shown in the form
            self.app.call_from_thread(self._load_failed, describe_error(exc))
            return
        self.app.call_from_thread(self._loaded, limits, onboarded, offer, gpu_names, gpu_reason)
        self.app.call_from_thread(self.based_on, revision, offer)

    def _load_failed(self, message: str) -> None:
        self.ready = True
        self.query_one("#allocate").loading = False
        title = self.query_one("#allocate-title", Static)
        title.update(Text(f"The form cannot be used: {message}", style="bold"))
        title.add_class("-error")
        self.query_one("#review", Button).disabled = True

    # -- filling (event loop) ----------------------------------------------------------------
    def _loaded(
        self,
        limits: rules.OfferLimits,
        onboarded: bool,
        offer: CapacityForNunet | None,
        gpu_names: dict[int, str],
        gpu_reason: str,
    ) -> None:
        self.limits = limits
        self.onboarded = onboarded
        self._show_title(onboarded, offer)
        defaults = form_defaults(limits, offer)
        if offer is None:
            # Offboarded (here or elsewhere): the channel, price and address just in use
            # are the next onboarding's defaults, not blanks to type again.
            for key in KEPT_AFTER_OFFBOARD:
                if self.values.get(key):
                    defaults[key] = self.values[key]
        self.base_values = dict(defaults)
        if self._pending_address:
            defaults["payment_addr"] = self._pending_address
        self.values = defaults
        self._fill_sliders(limits, defaults)
        self._fill_gpus(defaults["gpus"], gpu_names, gpu_reason)
        self._fill_rest(defaults)
        self.parse_errors = {}
        self.touched = set(FIELDS) if offer is not None else set()
        if self._pending_address:
            self.touched.add("payment_addr")
            self._pending_address = None
        self.query_one("#allocate").loading = False
        self.ready = True
        if self.focused is None:
            self.query_one("#cpu-slider", Slider).focus()
        self._review_when_checked = False
        self.changed()

    def take_outside(self, offer: CapacityForNunet) -> list[str]:
        """A change made outside while the form was edited: each field the user has not
        touched takes the new stored value, so only the user's edits are written over it.
        Returns the fields both edited here and changed outside (the user's value stays)."""
        assert self.limits is not None and self.base_values is not None
        incoming = form_defaults(self.limits, offer)
        conflicts = []
        for key, value in incoming.items():
            if value == self.base_values.get(key):
                continue  # not changed outside
            # A box holding text not yet a number (parse_errors) is being edited too.
            untouched = self.values.get(key) == self.base_values.get(key)
            if untouched and key not in self.parse_errors:
                self.values[key] = value
                self._show(key, value)  # only this field: the one being typed in keeps its cursor
            elif self.values.get(key) != value:
                conflicts.append(key)
        self.base_values = incoming
        self.changed()
        return conflicts

    def _show(self, key: str, value: Any) -> None:
        """Put one value in its widget without a Changed message (the form already has it)."""
        row = BY_NAME[key]
        if key in SLIDERS:
            slider = self.query_one(f"#{key}-slider", Slider)
            with slider.prevent(Slider.Changed):
                slider.value = value
            self._set_input(f"#{key}-input", str(value))
        elif row.kind == "indices":
            gpu_list = self.query_one("#gpus", SelectionList)
            with gpu_list.prevent(SelectionList.SelectedChanged):
                gpu_list.deselect_all()
                for index in value:
                    gpu_list.select(index)
        elif key == "channel":
            channel = self.query_one("#channel", Select)
            with channel.prevent(Select.Changed):
                channel.value = value if value in rules.CHANNELS else Select.NULL
        elif row.kind == "flag":
            switch = self.query_one(f"#{key}", Switch)
            with switch.prevent(Switch.Changed):
                switch.value = bool(value)
            self.query_one(f"#{key}-state", StateLabel).show_state(switch.value)
        else:  # a plain box
            self._set_input(f"#{key}", box_text(row, value))

    def _show_title(self, onboarded: bool, offer: CapacityForNunet | None) -> None:
        """What the form does: onboard, or change the offer of an onboarded machine."""
        title = self.query_one("#allocate-title", Static)
        title.remove_class("-error")
        if onboarded and offer is not None:
            title.update(
                Text.assemble(
                    ("Change the offer", "bold"),
                    f" of this onboarded machine (channel {offer.channel}).",
                )
            )
        else:
            title.update(
                Text.assemble(("Onboard this machine:", "bold"), " choose what to offer NuNet.")
            )
        self.query_one("#review", Button).label = (
            "Review and apply" if onboarded else "Review and onboard"
        )

    def _fill_sliders(self, limits: rules.OfferLimits, defaults: dict[str, Any]) -> None:
        bounds = {
            "cpu": (limits.cpu_total, (limits.cpu_min, limits.cpu_max)),
            "memory": (limits.memory_total, (limits.memory_min, limits.memory_max)),
            "disk": (limits.disk_free, None),
        }
        for key, (total, allowed) in bounds.items():
            slider = self.query_one(f"#{key}-slider", Slider)
            step = nice_step(total)
            with slider.prevent(Slider.Changed):
                slider.configure(
                    minimum=0, maximum=int(total), allowed=allowed, step=step, big_step=step * 10
                )
            self._show(key, defaults[key])

    def _fill_gpus(
        self, chosen: tuple[int, ...], gpu_names: dict[int, str], gpu_reason: str
    ) -> None:
        gpu_list = self.query_one("#gpus", SelectionList)
        with gpu_list.prevent(SelectionList.SelectedChanged):
            gpu_list.clear_options()
            gpu_list.add_options(
                [(f"{i}: {name}", i, i in chosen) for i, name in sorted(gpu_names.items())]
            )
        gpu_list.display = bool(gpu_names)
        if gpu_names:
            gpu_list.highlighted = 0  # space ticks the first GPU at once
        self._gpu_reason = "" if gpu_names else f"No GPU to offer: {gpu_reason}"

    def _fill_rest(self, defaults: dict[str, Any]) -> None:
        """The fields after the sliders and the GPUs: the channel, the boxes, the switches."""
        for key, value in defaults.items():
            if key not in SLIDERS and BY_NAME[key].kind != "indices":
                self._show(key, value)

    def _set_input(self, selector: str, value: str) -> None:
        widget = self.query_one(selector, Input)
        with widget.prevent(Input.Changed):
            widget.value = value
