"""Messages that cross screens: they bubble to the app, which routes them.

Screens never reach into each other; the wallet screen says "use this address"
and the app decides to show the Allocate screen with it filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class UseAddress(Message):
    """Fill the Allocate form's payment address with this one and show the form."""

    address: str


class OnboardingChanged(Message):
    """The state on disk changed (onboard, resource-config, offboard): screens reload."""


class StateFileChanged(Message):
    """``state.json`` or the node key changed on disk, maybe by another process: screens follow."""
