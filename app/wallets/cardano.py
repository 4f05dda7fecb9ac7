"""Cardano wallets: BIP-39 mnemonic -> CIP-1852 keys and CIP-19 addresses via pycardano.

Derivation (Icarus master key, BIP32-Ed25519): account key m/1852'/1815'/{account}',
payment key .../0/0, stake key .../2/0, as Daedalus, Yoroi, Eternl and DMS do.  The
wallet's ``address`` is the base address (payment + stake key hashes, CIP-19 type 0):
``addr1...`` on mainnet, ``addr_test1...`` on any testnet (preprod and preview share
network id 0).  ``stake_address`` is the matching reward address (``stake1...`` /
``stake_test1...``).

pycardano is imported inside the functions: ``import pycardano`` costs seconds (its
package __init__ pulls in every chain backend), so only wallet work pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.wallets.bip39 import validate_mnemonic
from app.wallets.errors import WalletError
from app.wallets.model import NewWallet, require_account, require_network

if TYPE_CHECKING:  # pragma: no cover - typing only
    from pycardano import PaymentExtendedSigningKey, StakeExtendedSigningKey


def account_path(account: int = 0) -> str:
    """CIP-1852 account path; payment keys hang off role 0, stake keys off role 2."""
    return f"m/1852'/1815'/{require_account(account)}'"


def _keys(
    phrase: str, passphrase: str, account: int
) -> tuple[PaymentExtendedSigningKey, StakeExtendedSigningKey]:
    from pycardano import HDWallet, PaymentExtendedSigningKey, StakeExtendedSigningKey

    failed = False
    try:
        root = HDWallet.from_mnemonic(phrase, passphrase=passphrase)
    except ValueError:
        failed = True
    if failed:  # raised outside the except block: no chained traceback
        raise WalletError("pycardano could not derive a key from this mnemonic")
    acct = root.derive_from_path(account_path(account))
    payment = PaymentExtendedSigningKey.from_hdwallet(acct.derive(0).derive(0))
    stake = StakeExtendedSigningKey.from_hdwallet(acct.derive(2).derive(0))
    return payment, stake


def _addresses(
    payment: PaymentExtendedSigningKey, stake: StakeExtendedSigningKey, network: str
) -> tuple[str, str]:
    from pycardano import Address, Network

    net = Network.MAINNET if network == "mainnet" else Network.TESTNET
    stake_hash = stake.to_verification_key().hash()
    base = Address(payment.to_verification_key().hash(), stake_hash, network=net)
    reward = Address(payment_part=None, staking_part=stake_hash, network=net)
    return str(base.encode()), str(reward.encode())


def derive_cardano(
    phrase: str, *, network: str = "mainnet", passphrase: str = "", account: int = 0
) -> NewWallet:
    """Derive the Cardano wallet of a mnemonic for ``network``."""
    require_network(network)
    require_account(account)
    phrase = validate_mnemonic(phrase)
    payment, stake = _keys(phrase, passphrase, account)
    address, stake_address = _addresses(payment, stake, network)
    return NewWallet(
        chain="cardano",
        network=network,
        account=account,
        address=address,
        mnemonic=phrase,
        private_key=bytes(payment.payload).hex(),
        stake_address=stake_address,
        passphrase=passphrase,
    )


def key_envelopes(wallet: NewWallet) -> dict[str, dict[str, Any]]:
    """The four cardano-cli text envelopes of ``wallet``, by file name.

    Re-derives the keys from the mnemonic (the stake key is not kept in NewWallet) and
    refuses if the result does not give back the wallet's address, so that a wallet
    object edited by hand can never export keys for some other address.
    """
    import json

    if wallet.chain != "cardano":
        raise WalletError(f"not a Cardano wallet (chain {wallet.chain!r})")
    payment, stake = _keys(validate_mnemonic(wallet.mnemonic), wallet.passphrase, wallet.account)
    address, _ = _addresses(payment, stake, require_network(wallet.network))
    if address != wallet.address:
        raise WalletError("the wallet's mnemonic does not give its address; nothing exported")
    envelopes: dict[str, dict[str, Any]] = {
        "payment.skey": json.loads(payment.to_json()),
        "payment.vkey": json.loads(payment.to_verification_key().to_json()),
        "stake.skey": json.loads(stake.to_json()),
        "stake.vkey": json.loads(stake.to_verification_key().to_json()),
    }
    return envelopes
