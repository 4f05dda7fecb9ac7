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


ETHEREUM_REFUSED_BY_DMS = (
    'DMS v0.4.159 refuses Ethereum payment addresses ("ethereum wallet address not allowed"), '
    "so a node moved to that DMS would need a Cardano address; this project accepts it, as "
    "DMS v0.4.125 did"
)


TESTNET_BYRON_REFUSED_BY_DMS = (
    "DMS v0.4.159 refuses a testnet Byron address (it cannot read its network), "
    "so a node moved to that DMS would need a Shelley address (addr_test1...)"
)


def dms_address_warnings(
    address: str, *, network: str | None = None, kind: str | None = None
) -> list[str]:
    """Where DMS v0.4.159 would refuse an address this project accepts: an Ethereum one,
    and (when the checker says so: ``network``, ``kind``) a testnet Byron one.

    A warning, never a refusal: the project makes Ethereum wallets (as DMS's own
    ``CreatePaymentAddress`` does), older DMS took them, and a testnet Byron address
    still receives payments."""
    if normal_address(address)[:2] == "0x":
        return [ETHEREUM_REFUSED_BY_DMS]
    if kind == "byron" and network == "testnet":
        return [TESTNET_BYRON_REFUSED_BY_DMS]
    return []
