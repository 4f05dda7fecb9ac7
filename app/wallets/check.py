"""Address checker: which chain, network and kind an address is, and exactly why not.

Used by ``wallet check``, by the TUI's address field and by onboarding's payment
address rule, so that all three give the same verdict in the same words.

Library imports are per chain and lazy: an Ethereum address costs only ``eth_utils``
(for EIP-55, ~0.4 s), a Cardano address costs pycardano (seconds), and garbage costs
nothing.
"""

from __future__ import annotations

import string
from typing import Final

from app.wallets.model import AddressCheck, require_network

# The Cardano network offered by default when a new wallet is made for a channel.
# Only a default: DMS ties no channel to a network (its CreatePaymentAddress makes
# mainnet addresses, and its manual onboards addr1... on nunet-test), so an address
# of either network is accepted on every channel.
CHANNEL_CARDANO_NETWORK: Final[dict[str, str]] = {
    "nunet-team": "mainnet",
    "nunet-staging": "testnet",
    "nunet-test": "testnet",
    "nunet-edge": "testnet",
}

_HEX: Final = frozenset(string.hexdigits)
_BECH32_CHARSET: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BASE58: Final = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_BYRON_PREFIXES: Final = ("Ae2", "DdzFF")
_MAX_LENGTH: Final = 256  # the longest Byron (Daedalus) addresses are about 130 characters
_GARBAGE: Final = "not an Ethereum (0x...) or Cardano (addr1... / addr_test1...) address"
_STAKE_NEEDS_PAYMENT: Final = (
    "a stake (reward) address, which cannot receive a payment; "
    "give a payment address (addr1... / addr_test1...)"
)
NO_CHECKSUM_WARNING: Final = (
    "this Ethereum address has no checksum (all one case), so a typo would not be caught: "
    "check it character by character"
)
BYRON_WARNING: Final = (
    "a Byron (legacy) address: it still receives payments, "
    "but wallets today use Shelley addresses (addr1...)"
)


def expected_network(channel: str) -> str:
    """The Cardano network offered by default for a new wallet on ``channel`` (mainnet if unknown)."""
    return CHANNEL_CARDANO_NETWORK.get(channel, "mainnet")


def _bad(
    address: str,
    reason: str,
    chain: str | None = None,
    network: str | None = None,
    kind: str | None = None,
) -> AddressCheck:
    return AddressCheck(address, False, chain, network, kind, reason)


def check_address(address: str, *, network: str | None = None) -> AddressCheck:
    """Classify ``address``; ``network`` is the Cardano network expected, if any.

    Ethereum addresses have no network; a Cardano address of another network than
    ``network`` is valid with a warning, never refused (DMS accepts it).
    Surrounding whitespace is ignored (pasted addresses often carry a newline).
    """
    if network is not None:
        require_network(network)
    if not isinstance(address, str):
        return _bad("", "an address must be text")
    text = address.strip()
    if not text:
        return _bad(text, "empty address")
    if len(text) > _MAX_LENGTH:
        return _bad(text[:40] + "…", f"too long for an address ({len(text)} characters)")
    if text[:2] in ("0x", "0X"):
        return _check_ethereum(text)
    lowered = text.lower()
    if lowered.startswith(("addr", "stake")) and "1" in lowered:
        return _check_cardano(text, network)
    if len(text) == 40 and all(c in _HEX for c in text):
        return _bad(text, "missing the 0x prefix of an Ethereum address", chain="ethereum")
    if set(text) <= _BASE58:
        # A testnet Byron address has no fixed prefix ("2cWKMJemoBa...", "37btjrVyb4K...").
        byron = _check_byron(text, network)
        if byron is not None:
            return byron
        if text.startswith(_BYRON_PREFIXES):
            return _bad(text, "not a valid Byron address (bad checksum or data)", chain="cardano")
    return _bad(text, _GARBAGE)


def _network_warnings(net: str, expected: str | None, text: str) -> tuple[str, ...]:
    if expected is None or net == expected:
        return ()
    return (f"{text[:10]}... is a {net} address, not {expected}; check that this is the one meant",)


def _check_byron(text: str, expected: str | None) -> AddressCheck | None:
    """A Byron (legacy) address: base58 CBOR with a CRC32, checked by pycardano; None
    when the text does not decode as one."""
    from pycardano import Address, AddressType

    try:
        parsed = Address.from_primitive(text)
    except Exception:  # noqa: BLE001 - pycardano raises assorted types on bad input
        return None
    if parsed.address_type != AddressType.BYRON:
        return None  # base58 text that happens to be valid bech32 (a Shelley payload)
    # A mainnet Byron address carries no protocol magic (attribute 2); every testnet's
    # does. pycardano calls any magic but the old testnet's "mainnet", so ask here.
    net = "testnet" if 2 in (parsed.byron_attributes or {}) else "mainnet"
    return AddressCheck(
        text,
        True,
        "cardano",
        net,
        "byron",
        None,
        (BYRON_WARNING, *_network_warnings(net, expected, text)),
    )


def _check_ethereum(text: str) -> AddressCheck:
    body = text[2:]
    if body and not all(c in _HEX for c in body):
        return _bad(text, "not hex", chain="ethereum")
    if len(body) != 40:
        return _bad(text, f"wrong length ({len(body)} hex digits, 40 needed)", chain="ethereum")

    from eth_utils.address import is_checksum_address, to_checksum_address

    candidate = "0x" + body
    mixed = body != body.lower() and body != body.upper()
    if mixed and not is_checksum_address(candidate):
        return _bad(text, "bad EIP-55 checksum", chain="ethereum", kind="account")
    warnings = () if mixed or not any(c.isalpha() for c in body) else (NO_CHECKSUM_WARNING,)
    return AddressCheck(
        str(to_checksum_address(candidate)), True, "ethereum", None, "account", None, warnings
    )


_KINDS: Final = {
    "KEY_KEY": "payment",
    "SCRIPT_KEY": "payment",
    "KEY_SCRIPT": "payment",
    "SCRIPT_SCRIPT": "payment",
    "KEY_POINTER": "pointer",
    "SCRIPT_POINTER": "pointer",
    "KEY_NONE": "enterprise",
    "SCRIPT_NONE": "enterprise",
    "NONE_KEY": "stake",
    "NONE_SCRIPT": "stake",
    "BYRON": "byron",
}


def _check_cardano(text: str, expected: str | None) -> AddressCheck:
    if text != text.lower() and text != text.upper():
        return _bad(text, "mixed upper and lower case (bech32 allows one case)", chain="cardano")
    lowered = text.lower()
    pos = lowered.rfind("1")
    hrp, data_part = lowered[:pos], lowered[pos + 1 :]
    for index, char in enumerate(data_part, start=pos + 2):
        if char not in _BECH32_CHARSET:
            return _bad(
                text, f"character {index} ({char!r}) is not a bech32 character", chain="cardano"
            )
    if len(data_part) < 6 + 2:
        return _bad(text, "too short for a bech32 address", chain="cardano")

    from pycardano.crypto.bech32 import Encoding, bech32_verify_checksum, convertbits

    data = [_BECH32_CHARSET.index(c) for c in data_part]
    if bech32_verify_checksum(hrp, data) != Encoding.BECH32:
        return _bad(text, "bad bech32 checksum", chain="cardano")
    payload = convertbits(data[:-6], 5, 8, False)
    if not payload:
        return _bad(text, "bad bech32 padding", chain="cardano")

    from pycardano import Address, Network

    parsed = None
    try:
        parsed = Address.from_primitive(bytes(payload))
    except Exception:  # noqa: BLE001 - pycardano raises assorted types on bad payloads
        parsed = None
    if parsed is None:
        return _bad(text, "the bech32 data is not a Cardano address", chain="cardano")

    net = "mainnet" if parsed.network == Network.MAINNET else "testnet"
    kind = _KINDS.get(parsed.address_type.name, "unknown")
    prefix = ("stake" if kind == "stake" else "addr") + ("" if net == "mainnet" else "_test")
    if hrp != prefix:
        return _bad(
            text,
            f"prefix {hrp}1 does not match the {net} {kind} address inside ({prefix}1 expected)",
            chain="cardano",
            network=net,
            kind=kind,
        )
    if kind == "stake":
        return _bad(text, _STAKE_NEEDS_PAYMENT, chain="cardano", network=net, kind=kind)
    return AddressCheck(
        lowered, True, "cardano", net, kind, None, _network_warnings(net, expected, lowered)
    )
