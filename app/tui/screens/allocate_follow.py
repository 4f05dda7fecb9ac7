"""The Allocate form follows the state that other processes write.

The form remembers what it was built from: the state's revision, whether the
machine was onboarded, and the stored offer. When the state moves on:

- the machine was onboarded or offboarded elsewhere: the form is meaningless as
  it stands ("change the offer" of a machine that is no longer onboarded), so
  it is rebuilt as the right one, with a notice;
- the stored offer changed and the user has not edited the form: it reloads
  the new values, with a notice;
- the stored offer changed and the user has edited the form: the edits stay,
  a notice names what changed outside, and the review shows it;
- anything else (a wallet recorded): the form quietly takes the new revision.

Every apply names the revision the review was opened on, so a change that
arrives between the review and the apply is refused by the store, not lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from app.tui.dialogs.review import what_changed
from app.tui.field_messages import label
from app.tui.screens.base import NunetScreen

if TYPE_CHECKING:
    from app.onboarding.models import CapacityForNunet
    from app.onboarding.refusals import StateChanged


class FollowStatePart(NunetScreen):
    """The base of the Allocate screen: what it was built from, and following changes."""

    base_revision: int | None = None
    """The state revision the form's values were read at; every apply names it."""
    base_offer: CapacityForNunet | None = None
    base_values: dict[str, Any] | None = None
    """The form's values as loaded, to tell an edited form from an untouched one."""
    outside_note: str = ""
    """What changed outside while the user edited, for the notice and the review."""

    # Provided by the Allocate screen.
    values: dict[str, Any]
    onboarded: bool
    limits: Any

    def reload(self) -> None:
        raise NotImplementedError

    def take_outside(self, offer: CapacityForNunet) -> list[str]:
        raise NotImplementedError

    def based_on(self, revision: int, offer: CapacityForNunet | None) -> None:
        """The form was just (re)built from this revision and offer."""
        self.base_revision = revision
        self.base_offer = offer
        self.base_values = dict(self.values)
        self.outside_note = ""

    @property
    def edited(self) -> bool:
        return self.base_values is not None and self.values != self.base_values

    def follow_state(self) -> None:
        if self.base_revision is not None:
            self._read_changes(self.base_revision)

    @work(thread=True, exclusive=True, group="follow", exit_on_error=False)
    def _read_changes(self, base: int) -> None:
        c = self.controller
        try:
            revision = c.revision()
            onboarded = c.is_onboarded()  # the node key alone may have come or gone
            if revision == base and onboarded == self.onboarded:
                return
            offer = c.current_offer() if onboarded else None
            changes = c.changes_since(base)
        except Exception:  # noqa: BLE001 - an unreadable state: the form's own load says so
            self.app.call_from_thread(self.reload)
            return
        self.app.call_from_thread(self._changed_outside, base, revision, onboarded, offer, changes)

    def _changed_outside(
        self,
        base: int,
        revision: int,
        onboarded: bool,
        offer: CapacityForNunet | None,
        changes: list[str],
    ) -> None:
        if base != self.base_revision or self.limits is None:
            return  # the form was rebuilt meanwhile
        what = what_changed(self.base_offer, offer, changes)
        if onboarded != self.onboarded:
            became = (
                "onboarded elsewhere: the form now changes its offer"
                if onboarded
                else "offboarded elsewhere: the form now onboards it again"
            )
            done = "; ".join(changes) or "another process wrote the state"
            self.notify(f"This machine was {became} ({done}).", severity="warning", timeout=10)
            self.reload()
        elif offer == self.base_offer:
            self.base_revision = revision  # nothing the form shows changed
        elif not self.edited:
            self.notify(f"The offer was changed outside ({what}): the form shows it now.")
            self.reload()
        elif offer is not None:
            self.base_revision = revision
            self.base_offer = offer
            conflicts = self.take_outside(offer)
            both = ", ".join(label(k) for k in conflicts)
            mine = (
                f"Your edits are kept; {both} changed there too, and applying writes yours."
                if conflicts
                else "Your edits are kept; the fields you did not touch show it now."
            )
            self.outside_note = f"Changed outside while you edited: {what}. {mine}"
            self.notify(self.outside_note, severity="warning", timeout=10)

    def refused_as_stale(self, exc: StateChanged) -> None:
        """An apply was prepared from an older state: say why, and follow the new one."""
        self.notify(str(exc), title="Nothing was written", severity="error", markup=False)
        self.follow_state()
