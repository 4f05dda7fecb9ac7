"""The wallets made here, each with whether its backup was checked.

Shown on the Wallet and Status screens. An address whose words were never
typed back is marked NOT checked in bold: if its words are lost, so is every
payment to it, so it must never look as usable as a checked one.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


def wallet_lines(records: list[dict[str, Any]]) -> Text:
    """One line per wallet: backup status, chain (and network), address."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    if not records:
        text.append("none yet", style="italic")
        return text
    for i, record in enumerate(records):
        if i:
            text.append("\n")
        if record.get("backup_checked"):
            text.append("✓ checked      ")
        else:
            text.append("✗ NOT checked  ", style="bold")
        network = f" {record['network']}" if record.get("network") else ""
        text.append(f"{record.get('chain')}{network} ")
        text.append(str(record.get("address")))
    return text


class WalletList(Static):
    """A panel listing the wallets made here with their backup status."""

    def __init__(self, *, id: str, classes: str = "") -> None:
        # The first text is set here, not on mount: a mount handler could run after
        # a fast read already filled the list in, and wipe it.
        super().__init__(Text("reading…", style="italic"), id=id, classes=classes)
        self.border_title = "Wallets made here"

    def show(self, records: list[dict[str, Any]]) -> None:
        self.update(wallet_lines(records))
