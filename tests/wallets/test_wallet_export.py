"""Exports: keystore and cardano-cli envelopes round trip, are 0600, never overwrite."""

from __future__ import annotations

import json
import stat
import traceback
from pathlib import Path
from typing import Any

import pytest

from app.wallets import (
    NewWallet,
    WalletError,
    export_cardano_keys,
    export_ethereum_keystore,
    restore_wallet,
    verify_ethereum_keystore,
)
from app.wallets import export as export_module

PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow"
PASSWORD = "correct horse battery staple"
LIGHT: dict[str, Any] = {"kdf": "pbkdf2", "iterations": 1024}  # tests only: scrypt ~1 s, 256 MB


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def eth() -> NewWallet:
    return restore_wallet("ethereum", PHRASE)


@pytest.fixture(scope="module", params=["mainnet", "testnet"])
def ada(request: pytest.FixtureRequest) -> NewWallet:
    return restore_wallet("cardano", PHRASE, network=request.param)


def test_keystore_round_trip(eth: NewWallet, tmp_path: Path) -> None:
    from eth_account import Account

    path = export_ethereum_keystore(eth, tmp_path / "keys", PASSWORD, **LIGHT)
    assert path.parent == tmp_path / "keys"
    assert path.name.startswith("UTC--") and path.name.endswith(f"--{eth.address.lower()[2:]}.json")
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    data = json.loads(path.read_text())
    assert data["version"] == 3 and data["crypto"]["kdf"] == "pbkdf2"
    assert eth.private_key is not None
    assert "0x" + bytes(Account.decrypt(data, PASSWORD)).hex() == eth.private_key
    assert verify_ethereum_keystore(path, PASSWORD) == eth.address
    assert eth.private_key[2:] not in path.read_text().lower()
    assert PASSWORD not in path.read_text()


def test_keystore_wrong_password_fails_cleanly(eth: NewWallet, tmp_path: Path) -> None:
    path = export_ethereum_keystore(eth, tmp_path, PASSWORD, **LIGHT)
    with pytest.raises(WalletError, match="wrong password or damaged keystore") as info:
        verify_ethereum_keystore(path, "not the password")
    rendered = "".join(traceback.format_exception_only(info.value))
    assert "not the password" not in rendered and PASSWORD not in rendered
    # raised outside any except block: no library exception chained into the traceback
    assert info.value.__cause__ is None and info.value.__context__ is None


def test_keystore_second_export_is_refused(eth: NewWallet, tmp_path: Path) -> None:
    first = export_ethereum_keystore(eth, tmp_path, PASSWORD, **LIGHT)
    before = first.read_bytes()
    with pytest.raises(WalletError, match="already holds a keystore"):
        export_ethereum_keystore(eth, tmp_path, "another password", **LIGHT)
    assert list(tmp_path.iterdir()) == [first]
    assert first.read_bytes() == before


def test_keystore_never_writes_over_a_file(eth: NewWallet, tmp_path: Path) -> None:
    name = export_module.keystore_name(eth.address)
    target = tmp_path / name
    target.write_text("precious")
    with pytest.raises(WalletError, match="refusing"):
        export_module._write_all({target: "new"})
    assert target.read_text() == "precious"


def test_keystore_refusals(eth: NewWallet, ada: NewWallet, tmp_path: Path) -> None:
    with pytest.raises(WalletError, match="empty password"):
        export_ethereum_keystore(eth, tmp_path, "", **LIGHT)
    with pytest.raises(WalletError, match="invalid kdf"):
        export_ethereum_keystore(eth, tmp_path, PASSWORD, kdf="md5")
    with pytest.raises(WalletError, match="needs an Ethereum wallet"):
        export_ethereum_keystore(ada, tmp_path, PASSWORD, **LIGHT)
    (tmp_path / "file").write_text("x")
    with pytest.raises(WalletError, match="not a directory"):
        export_ethereum_keystore(eth, tmp_path / "file", PASSWORD, **LIGHT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.slow
def test_keystore_default_scrypt(eth: NewWallet, tmp_path: Path) -> None:
    """The one scrypt test: the default KDF other wallets expect (n=2**18, r=8, p=1)."""
    path = export_ethereum_keystore(eth, tmp_path, PASSWORD)
    params = json.loads(path.read_text())["crypto"]
    assert params["kdf"] == "scrypt"
    assert params["kdfparams"]["n"] == 2**18
    assert verify_ethereum_keystore(path, PASSWORD) == eth.address


def test_cardano_keys_round_trip(ada: NewWallet, tmp_path: Path) -> None:
    from pycardano import (
        Address,
        Network,
        PaymentExtendedSigningKey,
        PaymentExtendedVerificationKey,
        StakeExtendedSigningKey,
        StakeExtendedVerificationKey,
    )

    paths = export_cardano_keys(ada, tmp_path / "ada")
    assert [p.name for p in paths] == ["payment.skey", "payment.vkey", "stake.skey", "stake.vkey"]
    assert all(_mode(p) == 0o600 for p in paths)
    envelopes = {p.name: json.loads(p.read_text()) for p in paths}
    assert envelopes["payment.skey"]["type"] == "PaymentExtendedSigningKeyShelley_ed25519_bip32"
    assert envelopes["stake.vkey"]["type"] == "StakeExtendedVerificationKeyShelley_ed25519_bip32"
    assert all(set(e) == {"type", "description", "cborHex"} for e in envelopes.values())

    pay_sk = PaymentExtendedSigningKey.load(str(paths[0]))
    pay_vk = PaymentExtendedVerificationKey.load(str(paths[1]))
    stake_sk = StakeExtendedSigningKey.load(str(paths[2]))
    stake_vk = StakeExtendedVerificationKey.load(str(paths[3]))
    assert bytes(pay_sk.payload).hex() == ada.private_key
    assert pay_sk.to_verification_key() == pay_vk
    assert stake_sk.to_verification_key() == stake_vk
    net = Network.MAINNET if ada.network == "mainnet" else Network.TESTNET
    assert Address(pay_vk.hash(), stake_vk.hash(), network=net).encode() == ada.address
    assert Address(None, stake_vk.hash(), network=net).encode() == ada.stake_address


def test_cardano_keys_with_passphrase_and_account(tmp_path: Path) -> None:
    from pycardano import Address, Network, PaymentExtendedSigningKey, StakeExtendedSigningKey

    wallet = restore_wallet("cardano", PHRASE, network="testnet", passphrase="pp", account=3)
    paths = export_cardano_keys(wallet, tmp_path)
    pay = PaymentExtendedSigningKey.load(str(paths[0])).to_verification_key()
    stake = StakeExtendedSigningKey.load(str(paths[2])).to_verification_key()
    assert Address(pay.hash(), stake.hash(), network=Network.TESTNET).encode() == wallet.address


def test_cardano_second_export_refused_and_nothing_half_written(
    ada: NewWallet, tmp_path: Path
) -> None:
    paths = export_cardano_keys(ada, tmp_path)
    before = {p: p.read_bytes() for p in paths}
    with pytest.raises(WalletError, match="refusing to overwrite"):
        export_cardano_keys(ada, tmp_path)
    assert {p: p.read_bytes() for p in paths} == before

    other = tmp_path / "other"
    other.mkdir()
    (other / "stake.vkey").write_text("someone else's key")
    with pytest.raises(WalletError, match=r"stake\.vkey"):
        export_cardano_keys(ada, other)
    assert sorted(p.name for p in other.iterdir()) == ["stake.vkey"]


def test_cardano_failure_midway_removes_partial_files(
    ada: NewWallet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = export_module._write_exclusive
    calls: list[Path] = []

    def flaky(path: Path, content: str) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, content)

    monkeypatch.setattr(export_module, "_write_exclusive", flaky)
    with pytest.raises(OSError, match="No space"):
        export_cardano_keys(ada, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cardano_export_refuses_a_tampered_wallet(ada: NewWallet, tmp_path: Path) -> None:
    other = restore_wallet("cardano", PHRASE, network=ada.network, account=1)
    forged = NewWallet(
        chain="cardano",
        network=ada.network,
        account=0,
        address=other.address,
        mnemonic=ada.mnemonic,
        private_key=ada.private_key,
        stake_address=other.stake_address,
    )
    with pytest.raises(WalletError, match="does not give its address"):
        export_cardano_keys(forged, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_symlink_target_is_not_followed(eth: NewWallet, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "payment.skey"
    link.symlink_to(victim)
    with pytest.raises(WalletError, match="refusing"):
        export_module._write_exclusive(link, "secret")
    assert victim.read_text() == "keep"
