"""The command palette (ctrl+p) entries: one for every action of the app.

Keyboard users on a headless node may not remember the single-letter keys; the
palette lets them type "offb..." instead. The entries call the same actions as
the key bindings, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Overview", "show('overview')", "The machine's hardware, live usage and status (o)"),
    ("Allocate resources", "show('allocate')", "Onboard, or change the offer when onboarded (a)"),
    ("Wallet", "show('wallet')", "Create a payment address or check an existing one (w)"),
    ("Status", "show('status')", "Onboarding status, metadata, files and problems (s)"),
    ("Offboard", "offboard", "Remove the offer and node identity, with confirmation (x)"),
    ("Refresh hardware", "refresh_hardware", "Probe the machine again"),
    ("Keys and help", "help", "Every key binding and what it does (?)"),
    ("Quit nunet-onboard", "quit", "Leave the app (q)"),
)


class NunetCommands(Provider):
    """Every nunet-onboard action, found by fuzzy search of its name."""

    def _runner(self, action: str) -> Callable[[], Any]:
        return partial(self.app.run_action, action)

    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._runner(action), help=help_text)
