"""Ethereum wallets: BIP-39 mnemonic -> BIP-44 m/44'/60'/0'/0/{account} via eth-account.

eth-account is imported inside the function (about a second to import); its HD-wallet
support must be switched on explicitly (``enable_unaudited_hdwallet_features``).  The
mnemonic is validated by ``bip39`` first, and any error eth-account might still
raise is replaced by a WalletError *outside* the except block, so that neither the
message nor a chained traceback can carry the phrase (eth-account's own ValidationError
quotes every word).
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
    from eth_utils.exceptions import ValidationError

    Account.enable_unaudited_hdwallet_features()
    failed = False
    try:
        local = Account.from_mnemonic(phrase, passphrase=passphrase, account_path=path)
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
