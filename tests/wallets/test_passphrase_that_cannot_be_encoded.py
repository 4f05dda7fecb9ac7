"""A BIP-39 passphrase that UTF-8 cannot encode is refused with a WalletError, not a crash.

PBKDF2 hashes the passphrase's UTF-8 bytes; a lone surrogate (what a file of invalid
UTF-8 read with `surrogateescape` gives, or a paste from a broken clipboard) has none.
The wallet library then raises, and the restore must end in one WalletError that
names no secret, with no wallet half-made. Real eth-account and pycardano.
"""

from __future__ import annotations

import pytest

from app.wallets import restore_wallet
from app.wallets.errors import WalletError

HARDHAT = "test test test test test test test test test test test junk"
SURROGATE = "pass\udc80word"


@pytest.mark.parametrize(
    ("chain", "library"), [("ethereum", "eth-account"), ("cardano", "pycardano")]
)
def test_a_passphrase_with_a_lone_surrogate_is_a_wallet_error(chain: str, library: str) -> None:
    with pytest.raises(WalletError) as refused:
        restore_wallet(chain, HARDHAT, passphrase=SURROGATE)
    assert str(refused.value) == f"{library} could not derive a key from this mnemonic"
    assert "pass" not in str(refused.value) and "test" not in str(refused.value)


def test_the_same_phrase_with_an_encodable_passphrase_restores() -> None:
    wallet = restore_wallet("ethereum", HARDHAT, passphrase="pass\u00e9word")
    assert wallet.address.startswith("0x") and wallet.passphrase == "pass\u00e9word"
