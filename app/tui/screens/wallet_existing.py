"""The Wallet screen's second panel: an address the provider already has, validated.

Kept apart from the new-wallet flow (``wallet.py``), as the base class of the
screen: the two panels share nothing but the chain and network selects.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.widgets import Button, Input, Select, Static
from textual.worker import get_current_worker

from app.tui.messages import UseAddress
from app.tui.screens.base import NunetScreen, describe_error


class ExistingAddressPart(NunetScreen):
    """Check an address typed or pasted in, and use it once it is valid."""

    # -- an existing address -------------------------------------------------------------------
    @on(Input.Changed, "#existing")
    def _existing_changed(self) -> None:
        self._check_existing()

    def _check_existing(self) -> None:
        if not self.is_mounted:
            return
        address = self.query_one("#existing", Input).value.strip()
        self.query_one("#use-existing", Button).disabled = True
        if not address:
            self.query_one("#existing-message", Static).update("")
            return
        chain = self.query_one("#chain", Select).value
        network = str(self.query_one("#network", Select).value) if chain == "cardano" else None
        self._validate_existing(address, network)

    @work(thread=True, exclusive=True, group="existing", exit_on_error=False)
    def _validate_existing(self, address: str, network: str | None) -> None:
        try:
            check: Any = self.controller.check_address(address, network=network)
            result = (
                (
                    True,
                    f"✓ a valid {check.chain} {check.kind or ''} address "
                    f"{'(' + check.network + ')' if check.network else ''}".replace("  ", " "),
                )
                if check.valid
                else (False, f"✗ {check.reason}")
            )
        except Exception as exc:  # noqa: BLE001
            result = (False, f"✗ {describe_error(exc)}")
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._existing_checked, address, *result)

    def _existing_checked(self, address: str, valid: bool, message: str) -> None:
        if address != self.query_one("#existing", Input).value.strip():
            return
        widget = self.query_one("#existing-message", Static)
        widget.set_class(not valid, "-error")
        widget.update(Text(message))
        self.query_one("#use-existing", Button).disabled = not valid

    @on(Button.Pressed, "#use-existing")
    @on(Input.Submitted, "#existing")
    def _use_existing(self) -> None:
        if not self.query_one("#use-existing", Button).disabled:
            self.post_message(UseAddress(self.query_one("#existing", Input).value.strip()))
