"""Ethereum wallets: BIP-39 mnemonic -> BIP-44 m/44'/60'/0'/0/{account} via eth-account.

eth-account is imported inside the function (about a second to import).  The mnemonic
is validated by ``bip39`` first (English word list, checksum); the key then comes from
its BIP-39 seed through eth-account's BIP-32 derivation.  ``Account.from_mnemonic`` is
not used: it guesses the phrase's language and refuses a valid English phrase whose
words all happen to be in the French list too ("abandon ... angle").  Any error
eth-account might still raise is replaced by a WalletError *outside* the except block,
so that neither the message nor a chained traceback can carry the phrase
(eth-account's own ValidationError quotes every word).
"""

from __future__ import annotations

from app.wallets.bip39 import validate_mnemonic
from app.wallets.errors import WalletError
from app.wallets.model import NewWallet, require_account


def derivation_path(account: int = 0) -> str:
    """BIP-44 path of the first receiving address of ``account`` (MetaMask's layout)."""
    return f"m/44'/60'/0'/0/{require_account(account)}"


def derive_ethereum(phrase: str, *, passphrase: str = "", account: int = 0) -> NewWallet:
    """Derive the Ethereum wallet of a (validated) mnemonic; network is always mainnet.

    Ethereum addresses carry no network, so ``network`` is recorded as "mainnet".
    """
    phrase = validate_mnemonic(phrase)
    path = derivation_path(account)

    from eth_account import Account
    from eth_account.hdaccount import key_from_seed
    from eth_account.hdaccount.mnemonic import Mnemonic
    from eth_utils.exceptions import ValidationError

    failed = False
    try:
        seed = Mnemonic.to_seed(phrase, passphrase)
        local = Account.from_key(key_from_seed(seed, path))
    except (ValueError, ValidationError):
        failed = True
    if failed:
        raise WalletError("eth-account could not derive a key from this mnemonic")
    return NewWallet(
        chain="ethereum",
        network="mainnet",
        account=account,
        address=str(local.address),
        mnemonic=phrase,
        private_key="0x" + bytes(local.key).hex(),
        stake_address=None,
        passphrase=passphrase,
    )
