"""Payment wallets for NuNet: create, restore, check and export Ethereum/Cardano keys.

The public API of the wallet layer.  Importing this package is cheap: eth-account,
pycardano and mnemonic are imported only inside the functions that use them (together
they cost seconds and ~100 MB), so the CLI and the TUI start fast and pay for a wallet
library only when a wallet is actually used.  Every failure raises
:class:`~app.wallets.errors.WalletError`, whose message never contains a secret.
"""

from __future__ import annotations

from app.wallets.bip39 import DEFAULT_WORDS, WORD_COUNTS, require_word_count
from app.wallets.check import CHANNEL_CARDANO_NETWORK, check_address, expected_network
from app.wallets.errors import WalletError
from app.wallets.export import (
    absolute_directory,
    check_export_target,
    export_cardano_keys,
    export_ethereum_keystore,
    verify_ethereum_keystore,
)
from app.wallets.model import (
    CHAINS,
    NETWORKS,
    AddressCheck,
    NewWallet,
    require_account,
    require_chain,
    require_network,
)

__all__ = [
    "CHAINS",
    "CHANNEL_CARDANO_NETWORK",
    "DEFAULT_WORDS",
    "NETWORKS",
    "WORD_COUNTS",
    "AddressCheck",
    "NewWallet",
    "WalletError",
    "absolute_directory",
    "check_address",
    "check_export_target",
    "create_wallet",
    "expected_network",
    "export_cardano_keys",
    "export_ethereum_keystore",
    "load_library",
    "restore_wallet",
    "verify_ethereum_keystore",
]


def create_wallet(chain: str, network: str = "mainnet", words: int = DEFAULT_WORDS) -> NewWallet:
    """A new wallet from a fresh BIP-39 mnemonic of ``words`` words (account 0).

    Ethereum ignores ``network`` (its addresses carry none) but it must still be valid.
    """
    require_chain(chain)
    require_network(network)
    require_word_count(words)

    from app.wallets.bip39 import generate_mnemonic

    return restore_wallet(chain, generate_mnemonic(words), network=network)


def load_library(chain: str) -> None:
    """Import the chain's wallet library (and the BIP-39 word list) now.

    ``import pycardano`` alone takes seconds; the Wallet screen calls this on a
    background thread when it opens, so that Generate finds the library loaded.
    """
    require_chain(chain)
    import mnemonic  # noqa: F401 - loaded for its side effect: the import

    if chain == "cardano":
        import pycardano  # noqa: F401
    else:
        import eth_account  # noqa: F401


def restore_wallet(
    chain: str,
    mnemonic: str,
    network: str = "mainnet",
    passphrase: str = "",
    account: int = 0,
) -> NewWallet:
    """The wallet of an existing mnemonic (optional BIP-39 passphrase, account index).

    Whitespace and case in the mnemonic are normalised; a bad mnemonic raises
    WalletError that names the problem (count, word position, checksum), never a word.
    """
    require_chain(chain)
    require_network(network)
    require_account(account)
    if chain == "ethereum":
        from app.wallets.ethereum import derive_ethereum

        return derive_ethereum(mnemonic, passphrase=passphrase, account=account)
    from app.wallets.cardano import derive_cardano

    return derive_cardano(mnemonic, network=network, passphrase=passphrase, account=account)
