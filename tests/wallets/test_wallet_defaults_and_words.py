"""Wallet defaults and words: what repr shows of a secret,
the keystore's KDF and work factor, each refusal's words, geth's file name, and the
defaults of derivation (mainnet, no passphrase, account 0)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.wallets import (
    WalletError,
    check_address,
    export_cardano_keys,
    export_ethereum_keystore,
    restore_wallet,
    verify_ethereum_keystore,
)
from app.wallets.bip39 import mnemonic_to_seed
from app.wallets.cardano import derive_cardano
from app.wallets.export import keystore_name
from app.wallets.model import NewWallet

PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def eth() -> NewWallet:
    return restore_wallet("ethereum", PHRASE)


def test_repr_hides_every_secret_and_says_which_exist(eth: NewWallet) -> None:
    secret = dataclasses.replace(eth, passphrase="pp-secret")
    shown = repr(secret)
    assert PHRASE not in shown and str(eth.private_key) not in shown and "pp-secret" not in shown
    assert "private_key='<hidden>'" in shown and "passphrase='<hidden>'" in shown
    assert "mnemonic='<hidden>'" in shown and eth.address in shown and str(secret) == shown
    bare = repr(dataclasses.replace(eth, private_key=None))
    assert "private_key=None" in bare and "passphrase=''" in bare


def _crypto(path: Path) -> dict[str, object]:
    crypto = json.loads(path.read_text())["crypto"]
    assert isinstance(crypto, dict)
    return crypto


def test_the_keystore_kdf_and_its_work_factor(eth: NewWallet, tmp_path: Path) -> None:
    default = export_ethereum_keystore(eth, tmp_path / "a", PASSWORD, iterations=1024)
    assert _crypto(default)["kdf"] == "scrypt"  # the default, with n lowered for the test
    assert _crypto(default)["kdfparams"]["n"] == 1024  # type: ignore[index]
    pbkdf2 = export_ethereum_keystore(eth, tmp_path / "b", PASSWORD, kdf="pbkdf2", iterations=1000)
    assert _crypto(pbkdf2)["kdf"] == "pbkdf2"
    assert _crypto(pbkdf2)["kdfparams"]["c"] == 1000  # type: ignore[index]
    assert verify_ethereum_keystore(pbkdf2, PASSWORD) == eth.address


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (
            {"chain": "cardano"},
            {},
            "an Ethereum keystore needs an Ethereum wallet with its private key",
        ),
        (
            {"private_key": None},
            {},
            "an Ethereum keystore needs an Ethereum wallet with its private key",
        ),
        ({}, {"kdf": "md5"}, "invalid kdf 'md5': choose one of scrypt, pbkdf2"),
        ({}, {"password": ""}, "an empty password would leave the keystore unprotected"),
        ({"private_key": "0x1234"}, {}, "the wallet's private key is not 32 bytes of hex"),
        ({"private_key": "0x" + "zz" * 32}, {}, "the wallet's private key is not 32 bytes of hex"),
        (
            {"private_key": "0x" + "11" * 32},
            {},
            "the wallet's private key does not give its address; nothing exported",
        ),
    ],
)
def test_keystore_refusals_say_why_and_write_nothing(
    eth: NewWallet, tmp_path: Path, change: dict[str, object], kwargs: dict[str, str], message: str
) -> None:
    wallet = dataclasses.replace(eth, **change)  # type: ignore[arg-type]
    args: dict[str, object] = {"password": PASSWORD, "kdf": "pbkdf2", "iterations": 1000}
    args.update(kwargs)
    with pytest.raises(WalletError) as caught:
        export_ethereum_keystore(wallet, tmp_path / "k", **args)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert not (tmp_path / "k").exists() or not any((tmp_path / "k").iterdir())


def test_verify_refusals(tmp_path: Path, eth: NewWallet) -> None:
    (tmp_path / "junk.json").write_text("not json")
    with pytest.raises(WalletError, match="is not a readable keystore file"):
        verify_ethereum_keystore(tmp_path / "junk.json", PASSWORD)
    path = export_ethereum_keystore(eth, tmp_path / "k", PASSWORD, kdf="pbkdf2", iterations=1000)
    with pytest.raises(WalletError, match="wrong password or damaged keystore"):
        verify_ethereum_keystore(path, "wrong")


def test_keystore_name_is_geths_in_utc() -> None:
    when = datetime(2026, 3, 4, 7, 8, 9, 123456, tzinfo=timezone(timedelta(hours=2)))
    name = keystore_name("0xABCDEF0123456789abcdef0123456789ABCDEF01", when)
    assert (
        name == "UTC--2026-03-04T05-08-09.123456000Z--abcdef0123456789abcdef0123456789abcdef01.json"
    )


def test_the_defaults_of_derivation() -> None:
    assert mnemonic_to_seed(PHRASE) == mnemonic_to_seed(PHRASE, "")
    default = derive_cardano(PHRASE)
    assert default == derive_cardano(PHRASE, network="mainnet", passphrase="", account=0)
    assert default.address.startswith("addr1") and default.account == 0


def test_a_cardano_export_of_another_chain_is_refused(eth: NewWallet, tmp_path: Path) -> None:
    with pytest.raises(WalletError, match="not a Cardano wallet \\(chain 'ethereum'\\)"):
        export_cardano_keys(eth, tmp_path)


def test_a_cardano_wallet_edited_by_hand_exports_nothing(tmp_path: Path) -> None:
    ada = restore_wallet("cardano", PHRASE)
    other = dataclasses.replace(ada, address=restore_wallet("cardano", PHRASE, account=1).address)
    with pytest.raises(WalletError) as caught:
        export_cardano_keys(other, tmp_path / "k")
    assert str(caught.value) == "the wallet's mnemonic does not give its address; nothing exported"


@pytest.mark.parametrize(
    ("text", "reason", "kind"),
    [
        ("0x" + "g" * 40, "not hex", None),
        ("0x1234", "wrong length (4 hex digits, 40 needed)", None),
        ("0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266", "bad EIP-55 checksum", "account"),
    ],
)
def test_a_bad_ethereum_address_is_described(text: str, reason: str, kind: str | None) -> None:
    check = check_address(f"  {text}\n")
    assert (check.address, check.valid, check.chain) == (text, False, "ethereum")
    assert check.kind == kind and check.reason is not None and reason in check.reason
