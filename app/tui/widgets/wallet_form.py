"""The Wallet screen's widgets, top to bottom in Tab order; the screen holds the logic.

Two panels: a new payment address (chain and network, then the words, the backup
check and the export, each shown as its step comes), and an address the user
already has. They are plain compose helpers, called from the screen's
``compose`` inside its scrolling container.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, LoadingIndicator, Select, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult


def new_wallet_panel(checked_words: int) -> ComposeResult:
    """Chain, network and Generate; then what a new wallet shows, step by step."""
    with Vertical(id="new-wallet", classes="panel") as new:
        new.border_title = "New payment address"
        with Horizontal(classes="field-row"):
            yield Label("Chain", classes="field-label")
            yield Select[str](
                [("Ethereum", "ethereum"), ("Cardano", "cardano")],
                value="ethereum",
                allow_blank=False,
                id="chain",
                compact=True,
            )
            yield Label("Network", classes="field-label", id="network-label")
            yield Select[str](
                [("mainnet", "mainnet"), ("testnet", "testnet")],
                value="mainnet",
                allow_blank=False,
                id="network",
                compact=True,
            )
            yield Button("Generate", id="generate", variant="primary", compact=True)
        yield LoadingIndicator(id="wallet-busy")
        with Vertical(id="wallet-result"):
            yield from _words_and_check(checked_words)
            yield from _after_the_check()


def _words_and_check(checked_words: int) -> ComposeResult:
    """The warning, the address, the words, and the backup check."""
    yield Static(id="wallet-warning", classes="warning")
    yield Static(id="wallet-address")
    yield Static(id="wallet-words")
    with Horizontal(classes="buttons", id="written-row"):
        yield Button("I wrote them down", id="written", variant="warning", compact=True)
    with Vertical(id="backup-check"):
        yield Static(id="backup-prompt")
        with Horizontal(classes="field-row"):
            for i in range(checked_words):
                yield Input(id=f"word-{i}", compact=True, classes="word")
            yield Button("Check", id="check-words", compact=True)
            yield Button("Show again", id="show-again", compact=True)
    # Outside the check, so "backup checked" stays once the check is gone.
    yield Static(id="backup-message", classes="field-message")


def _after_the_check() -> ComposeResult:
    """Export to a key file, or use the address: only once the words were checked."""
    with Vertical(id="wallet-after"):
        with Horizontal(classes="field-row"):
            yield Label("Export to", classes="field-label")
            yield Input(id="export-dir", compact=True)
        with Horizontal(classes="field-row", id="password-row"):
            yield Label("Password", classes="field-label")
            yield Input(id="password", password=True, compact=True)
            yield Input(id="password2", password=True, compact=True, placeholder="again")
        yield Static(id="export-message", classes="field-message")
        with Horizontal(classes="buttons"):
            yield Button("Export key file", id="export", compact=True)
            yield Button("Use this address", id="use-new", variant="success", compact=True)


def existing_address_panel() -> ComposeResult:
    """An address the user already has, checked as it is typed."""
    with Vertical(id="existing-wallet", classes="panel") as old:
        old.border_title = "Or use an address you have"
        with Horizontal(classes="field-row"):
            yield Input(id="existing", placeholder="0x… or addr1…", compact=True)
            yield Button("Use it", id="use-existing", compact=True, disabled=True)
        yield Static(id="existing-message", classes="field-message")
