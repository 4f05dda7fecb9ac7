"""The payment address as it is stored: one form for what a person types or pastes.

Pydantic-free and library-free on purpose: ``apply --check`` resolves a target's
address with it and compares the result with the stored offer, so both sides must
come out the same without importing the wallet libraries.
"""

from __future__ import annotations

_BECH32_PREFIXES = ("addr", "stake")


def normal_address(text: str) -> str:
    """``text`` without surrounding blanks (a pasted newline), with ``0x`` in lower case,
    and a Cardano bech32 address in lower case (bech32 allows one case; lower is the
    form every wallet shows). An Ethereum address's hex digits keep their case: it is
    the EIP-55 checksum. Anything else is returned stripped, for the check to judge."""
    text = text.strip()
    if text[:2] == "0X":
        return "0x" + text[2:]
    lowered = text.lower()
    if text == text.upper() and lowered.startswith(_BECH32_PREFIXES) and "1" in lowered:
        return lowered
    return text
