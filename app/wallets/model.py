"""Value types shared by the wallet modules (no wallet library imported here).

Kept free of eth-account / pycardano / mnemonic so that ``import app.wallets`` costs
next to nothing: those libraries take seconds to import and are only loaded by the
functions that need them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from app.wallets.errors import WalletError

CHAINS: Final = ("ethereum", "cardano")
NETWORKS: Final = ("mainnet", "testnet")

_HIDDEN = "<hidden>"


@dataclass(frozen=True, repr=False)
class NewWallet:
    """A freshly created or restored wallet, secrets included.

    ``private_key`` is, for Ethereum, the secp256k1 key as ``0x`` hex; for Cardano, the
    hex of the 128-byte BIP32-Ed25519 *extended* payment signing key (64-byte extended
    secret + 32-byte public key + 32-byte chain code), i.e. the ``cborHex`` payload of
    ``payment.skey`` without its CBOR prefix.  ``passphrase`` is the optional BIP-39
    passphrase (the "25th word"); it is kept so that an export can re-derive the stake
    key from the mnemonic.

    ``repr``/``str`` never show the mnemonic, the private key or the passphrase, so a
    wallet that ends up in a log line, a traceback or a debugger print leaks nothing.
    """

    chain: str
    network: str
    account: int
    address: str
    mnemonic: str
    private_key: str | None
    stake_address: str | None = None
    passphrase: str = field(default="", compare=False)

    def __repr__(self) -> str:
        return (
            f"NewWallet(chain={self.chain!r}, network={self.network!r}, "
            f"account={self.account!r}, address={self.address!r}, "
            f"stake_address={self.stake_address!r}, mnemonic={_HIDDEN!r}, "
            f"private_key={_HIDDEN if self.private_key is not None else None!r}, "
            f"passphrase={_HIDDEN if self.passphrase else ''!r})"
        )

    __str__ = __repr__

    def public_facts(self) -> dict[str, str | int | None]:
        """The facts that may be stored or logged: no mnemonic, key or passphrase."""
        return {
            "chain": self.chain,
            "network": self.network,
            "account": self.account,
            "address": self.address,
            "stake_address": self.stake_address,
        }


@dataclass(frozen=True)
class AddressCheck:
    """What an address is, and if it cannot be used as a payment address, why.

    ``kind`` is ``"account"`` for an Ethereum address and, for Cardano, ``"payment"``
    (base address: payment + stake part), ``"enterprise"``, ``"pointer"``, ``"stake"``
    (reward address) or ``"byron"``.  ``reason`` is None exactly when ``valid``.
    ``address`` is the input without surrounding whitespace; when valid, its canonical
    form (EIP-55 checksummed for Ethereum, lower case for bech32), ready to store.
    ``warnings`` are reasons to look twice at a valid address (no checksum, a legacy
    Byron address, a network other than the one expected): shown, never refused,
    because DMS accepts these addresses.
    """

    address: str
    valid: bool
    chain: str | None
    network: str | None
    kind: str | None
    reason: str | None
    warnings: tuple[str, ...] = ()


def require_chain(chain: str) -> str:
    """Return ``chain`` if it is one we support, else refuse naming the allowed ones."""
    if chain not in CHAINS:
        raise WalletError(f"invalid wallet {chain!r}: choose one of {', '.join(CHAINS)}")
    return chain


def require_network(network: str) -> str:
    """Return ``network`` if known, else refuse naming the allowed ones."""
    if network not in NETWORKS:
        raise WalletError(f"invalid network {network!r}: choose one of {', '.join(NETWORKS)}")
    return network


def require_account(account: int) -> int:
    """Accept a BIP-32 account index that can be hardened (0 .. 2**31 - 1)."""
    if isinstance(account, bool) or not isinstance(account, int) or not 0 <= account < 2**31:
        raise WalletError(f"invalid account index {account!r}: use 0 to {2**31 - 1}")
    return account
