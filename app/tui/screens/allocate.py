"""The Allocate screen: the offer as a form, checked by the controller as it changes.

The rules live in the controller (``validate``), not here: the form sends the
values it has to a thread worker after every change and shows each problem
beside its field. A field's error appears once the user has touched it, so an
empty form is not a wall of red; the Review button stays disabled until the
controller has nothing to object to. Nothing is written until the review
dialog is confirmed.

CPU, memory and disk each have a slider (the allowed 10-90 % drawn on it) and
a number box for the exact value, one Tab stop (digits typed on the slider go
into the box); the two follow each other, with ``prevent`` so that the echo of
a change does not come back as a new change. The widgets are in
``widgets/offer_form.py``, the words in ``field_messages.py``; loading the
form is ``allocate_load.py``, checking its values ``allocate_check.py`` and
following other processes' writes ``allocate_follow.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import BindingType
from textual.widgets import Button, Input, Select, SelectionList, Static, Switch
from textual.worker import get_current_worker

from app.onboarding.offer_fields import BY_NAME
from app.onboarding.refusals import RuleViolation, StateChanged
from app.onboarding.units import parse_decimal
from app.tui import keymap
from app.tui.field_messages import FIELDS, hints, label, said, unreadable
from app.tui.messages import OnboardingChanged
from app.tui.screens.allocate_check import FormCheck, check_form
from app.tui.screens.allocate_load import LoadedForm
from app.tui.widgets.offer_form import SLIDERS, NextStep, OfferForm
from app.tui.widgets.slider import Slider
from app.tui.widgets.toggles import StateLabel

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.models import CapacityForNunet


class AllocateScreen(LoadedForm):
    """Onboard (or change the offer of) this machine."""

    SUB_TITLE = "Allocate"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.ALLOCATE)

    # -- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield OfferForm(id="allocate")
        yield NextStep(id="allocate-next")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#allocate").loading = True
        self.reload()

    # -- changes from the widgets -------------------------------------------------------
    @on(Slider.Changed)
    def _slider_changed(self, event: Slider.Changed) -> None:
        key = (event.slider.id or "").removesuffix("-slider")
        value = int(event.value)
        self.values[key] = value
        self.parse_errors.pop(key, None)
        self._set_input(f"#{key}-input", str(value))
        self.changed(key)

    @on(Slider.Typed)
    def _digits_on_slider(self, event: Slider.Typed) -> None:
        """Digits typed on a slider go into its number box (one Tab stop for both)."""
        key = (event.slider.id or "").removesuffix("-slider")
        self.query_one(f"#{key}-input", Input).value = event.text

    @on(Input.Changed, ".number")
    def _number_typed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removesuffix("-input")
        text = event.value.strip()
        try:
            # A number box (the price) takes any text (a "number" Input drops a comma without
            # a word, so "1,5" became 15): the CLI's parser judges it, and says what is wrong.
            number = BY_NAME[key].kind == "number"
            value: float = parse_decimal(text) if number else int(text)
        except ValueError:
            self.parse_errors[key] = unreadable(key, text)
            self.changed(key)
            return
        self.parse_errors.pop(key, None)
        self.values[key] = value
        if key in SLIDERS:
            slider = self.query_one(f"#{key}-slider", Slider)
            with slider.prevent(Slider.Changed):
                slider.value = value
        self.changed(key)

    @on(Input.Changed, ".text-box")
    def _text_typed(self, event: Input.Changed) -> None:
        key = event.input.id or ""
        self.values[key] = event.value.strip()
        self.changed(key)

    @on(Select.Changed, "#channel")
    def _channel_changed(self, event: Select.Changed) -> None:
        self.values["channel"] = "" if event.value is Select.NULL else str(event.value)
        self.changed("channel")

    @on(SelectionList.SelectedChanged, "#gpus")
    def _gpus_changed(self, event: SelectionList.SelectedChanged[int]) -> None:
        self.values["gpus"] = tuple(sorted(event.selection_list.selected))
        self.changed("gpus")

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        key = event.switch.id or ""
        self.values[key] = event.value
        self.query_one(f"#{key}-state", StateLabel).show_state(event.value)
        self.changed(key)

    @on(Input.Submitted, ".box")
    def _submitted(self) -> None:
        """Enter in a box opens the review (or says what is still wrong)."""
        self.action_review()

    def changed(self, key: str | None = None) -> None:
        """A value moved: update what is local now, ask the controller in a worker."""
        if self.limits is None:
            return
        if key:
            self.touched.add(key)
        self._generation += 1
        self.capacity = None
        self.query_one("#review", Button).disabled = True
        self._show_summary()
        self._validate(dict(self.values), dict(self.parse_errors), self._generation)

    # -- validation (thread worker) ---------------------------------------------------------
    @work(thread=True, exclusive=True, group="validate", exit_on_error=False)
    def _validate(
        self, values: dict[str, Any], parse_errors: dict[str, str], generation: int
    ) -> None:
        result = check_form(self.controller, values, parse_errors)
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._checked, generation, result)

    def _checked(self, generation: int, result: FormCheck) -> None:
        if generation != self._generation:
            return  # the values moved on while the controller was looking
        self._checked_generation = generation
        self.problems = result.problems
        self.capacity = None if result.problems else result.capacity
        self.warnings = result.warnings
        self._show_messages(result.address_note)
        self.query_one("#review", Button).disabled = self.capacity is None
        self._show_summary()
        if self._review_when_checked:
            self._review_when_checked = False
            self.action_review()

    def _show_messages(self, address_note: str = "") -> None:
        limits = self.limits
        assert limits is not None
        notes = hints(limits, self.values, address_note=address_note, gpu_reason=self._gpu_reason)
        for key in FIELDS:
            message = self.problems.get(key) if key in self.touched else None
            widget = self.query_one(f"#{key}-message", Static)
            widget.set_class(bool(message), "-error")
            text = f"✗ {message}" if message else notes.get(key, "")
            widget.update(Text(text))
            widget.display = bool(text)

    def _show_summary(self) -> None:
        limits = self.limits
        if limits is None:
            return
        v = self.values
        text = Text("Host keeps: ", style="bold", end="")
        try:
            text.append(
                f"{limits.cpu_whole - int(v['cpu'])} MHz CPU, "
                f"{limits.memory_total - int(v['memory'])} MB memory, "
                f"{limits.disk_free - int(v['disk'])} GB disk"
            )
        except (KeyError, TypeError, ValueError):
            text.append("?")
        gpus_kept = len(limits.gpu_indices) - len(v.get("gpus", ()))
        if limits.gpu_indices:
            text.append(f", {gpus_kept} GPU(s)")
        untouched = [k for k in self.problems if k not in self.touched and k != "form"]
        shown = [k for k in self.problems if k in self.touched or k == "form"]
        if "form" in self.problems:
            text.append(f"\n✗ {self.problems['form']}", style="bold")
        elif shown or untouched:
            text.append("\nStill to do: ", style="bold")
            text.append(", ".join(label(k) for k in shown + untouched))
        elif self._checked_generation == self._generation:
            text.append("\nReady: Enter or ctrl+r to review before anything is written.")
        self.query_one("#summary", Static).update(text)

    # -- actions ----------------------------------------------------------------------------
    def action_new_wallet(self) -> None:
        self.app.switch_mode("wallet")

    def use_address(self, address: str) -> None:
        """Fill in an address chosen on the wallet screen."""
        if self.limits is None:
            self._pending_address = address
            return
        field = self.query_one("#payment_addr", Input)
        field.value = address
        # Not into the text field: the user did not type there, and a key pressed
        # to move on (s, a, o) would be typed into the address.
        self._focus_before = self.query_one(
            "#channel" if not self.values.get("channel") else "#cpu-slider"
        )
        self.set_focus(self._focus_before)

    def unsaved_changes(self) -> str | None:
        """The form edited and not applied: quitting would lose it."""
        if not self.base_values or self.values == self.base_values:
            return None
        changed = [label(k) for k in self.base_values if self.values.get(k) != self.base_values[k]]
        return "the Allocate form's changes, not applied (" + ", ".join(changed) + ")"

    def action_review(self) -> None:
        from app.tui.dialogs.review import ReviewDialog

        capacity = self.capacity
        if self.limits is not None and self._checked_generation != self._generation:
            self._review_when_checked = True  # Enter pressed before the check came back
            return
        if capacity is None or self.limits is None:
            self.touched.update(FIELDS)
            if self.limits is not None:
                self._show_messages()
                self._show_summary()
            wrong = ", ".join(label(k) for k in self.problems) or "the form"
            self.notify(f"Fix first: {wrong} (marked ✗).", severity="warning", markup=False)
            return

        base = self.base_revision

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._write(capacity, self.onboarded, base)

        self.app.push_screen(
            ReviewDialog(
                capacity,
                self.limits,
                before=self.base_offer,  # kept current when the offer changes outside
                warnings=self.warnings,
                state_path=str(self.controller.state_path),
                base_note=self.outside_note,
                base_revision=base,
            ),
            confirmed,
        )

    @on(Button.Pressed, "#review")
    def _review_pressed(self) -> None:
        self.action_review()

    @work(thread=True, exclusive=True, group="write", exit_on_error=False)
    def _write(
        self, capacity: CapacityForNunet, onboarded: bool, base_revision: int | None = None
    ) -> None:
        try:
            with self.nunet.own_write():
                if onboarded:
                    self.controller.resource_config(capacity, base_revision=base_revision)
                    message = "The offer was changed."
                else:
                    metadata = self.controller.onboard(capacity, base_revision=base_revision)
                    message = f"Onboarded: node {metadata.node_id}."
        except StateChanged as exc:
            self.app.call_from_thread(self.refused_as_stale, exc)
            return
        except RuleViolation as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        except Exception as exc:  # noqa: BLE001 - read-only dir, corrupt state: a message
            self.app.call_from_thread(self.report, exc, title="Nothing was written")
            return
        self.app.call_from_thread(self._written, message)

    def _refused(self, exc: RuleViolation) -> None:
        self.problems = {p.field: said(p) for p in exc.problems}
        self.touched.update(FIELDS)
        self._show_messages()
        self._show_summary()
        self.query_one("#review", Button).disabled = True
        self.report(exc, title="Refused; nothing was written")

    def _written(self, message: str) -> None:
        self.notify(message, title="Saved", markup=False)
        self.post_message(OnboardingChanged())
        self.app.switch_mode("overview")
