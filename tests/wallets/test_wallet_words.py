"""Wallet refusals, verdicts and exports as a user sees them.

Each test pins what a user sees: a refusal's exact words, the address echoed back in a
verdict, the boundaries of what is accepted, the file a keystore export writes and its
name, and what an export leaves behind when the disk refuses the bytes. Everything runs
the real wallet libraries on published vectors and real files under tmp_path; the only
boundaries touched are the process's own (its time zone, its file size limit, a module
that is not loaded yet).
"""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pycardano import Address
from pycardano.crypto.bech32 import Encoding, bech32_encode, convertbits

from app.wallets import (
    WalletError,
    check_address,
    export_cardano_keys,
    export_ethereum_keystore,
    load_library,
    restore_wallet,
)
from app.wallets.cardano import account_path
from app.wallets.ethereum import derivation_path, derive_ethereum
from app.wallets.model import NewWallet
from tests.conftest import CARDANO_MAINNET

# Hardhat / Foundry's published development mnemonic and its account #0.
HARDHAT = "test test test test test test test test test test test junk"
HARDHAT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
# The BIP-39 reference vector (all-zero entropy).
ABANDON = "abandon " * 11 + "about"
PASSWORD = "correct horse battery staple"
GARBAGE = "not an Ethereum (0x...) or Cardano (addr1... / addr_test1...) address"


@pytest.fixture(scope="module")
def eth() -> NewWallet:
    return restore_wallet("ethereum", HARDHAT)


@pytest.fixture(scope="module")
def ada() -> NewWallet:
    return restore_wallet("cardano", ABANDON)


def _refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(WalletError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


# -- mnemonics -------------------------------------------------------------------------


def test_a_mnemonic_that_is_not_text_is_refused_in_words() -> None:
    assert _refusal(restore_wallet, "ethereum", 12345) == "the mnemonic must be text"


@pytest.mark.parametrize("phrase", ["", "  \n\t "])
def test_an_empty_mnemonic_has_no_words(phrase: str) -> None:
    assert _refusal(restore_wallet, "cardano", phrase) == (
        "a mnemonic has 12, 15, 18, 21 or 24 words; this one has 0"
    )


def test_unknown_words_are_counted_in_the_plural() -> None:
    phrase = ABANDON.split()
    phrase[2], phrase[6] = "bitcoin", "ethereum"
    assert _refusal(restore_wallet, "ethereum", " ".join(phrase)) == (
        "words 3, 7 of the mnemonic are not in the BIP-39 English word list"
    )
    phrase = ABANDON.split()
    phrase[4] = "qwerty"
    assert _refusal(restore_wallet, "ethereum", " ".join(phrase)) == (
        "word 5 of the mnemonic is not in the BIP-39 English word list"
    )


def test_a_bad_checksum_is_refused_in_words() -> None:
    assert _refusal(restore_wallet, "cardano", "abandon " * 12) == (
        "the mnemonic's checksum does not match: a word is wrong or the words are out of order"
    )


# -- chains, accounts, derivation defaults ----------------------------------------------


def test_the_refusals_of_chain_and_account_name_the_choices() -> None:
    assert _refusal(restore_wallet, "bitcoin", ABANDON) == (
        "invalid wallet 'bitcoin': choose one of ethereum, cardano"
    )
    for account in (2**31, True, -1):
        assert _refusal(restore_wallet, "ethereum", ABANDON, account=account) == (
            f"invalid account index {account!r}: use 0 to 2147483647"
        )


def test_the_last_account_index_is_accepted() -> None:
    last = restore_wallet("ethereum", HARDHAT, account=2**31 - 1)
    assert last.account == 2**31 - 1
    assert last.address.startswith("0x") and last.address != HARDHAT_0


def test_derivation_defaults_are_account_0_without_passphrase() -> None:
    assert derivation_path() == "m/44'/60'/0'/0/0"
    assert account_path() == "m/1852'/1815'/0'"
    wallet = derive_ethereum(HARDHAT)
    assert (wallet.address, wallet.account, wallet.passphrase) == (HARDHAT_0, 0, "")


def test_an_ethereum_wallet_is_mainnet_and_keeps_its_passphrase(eth: NewWallet) -> None:
    wallet = restore_wallet("ethereum", HARDHAT, network="testnet", passphrase="pp")
    assert wallet.network == "mainnet"
    assert wallet.passphrase == "pp"
    assert wallet.address != eth.address  # the passphrase is part of the seed
    assert "passphrase='<hidden>'" in repr(wallet)
    assert wallet.public_facts() == {
        "chain": "ethereum",
        "network": "mainnet",
        "account": 0,
        "address": wallet.address,
        "stake_address": None,
    }


def test_public_facts_of_a_cardano_wallet(ada: NewWallet) -> None:
    assert ada.public_facts() == {
        "chain": "cardano",
        "network": "mainnet",
        "account": 0,
        "address": ada.address,
        "stake_address": ada.stake_address,
    }
    assert str(ada.stake_address).startswith("stake1")


@pytest.mark.parametrize(
    ("chain", "loaded", "not_loaded"),
    [("ethereum", "eth_account", "pycardano"), ("cardano", "pycardano", "eth_account")],
)
def test_load_library_imports_the_chains_library_only(
    chain: str, loaded: str, not_loaded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both packages are loaded by other tests: take their entries out of sys.modules
    # (monkeypatch puts them back), so that the import load_library makes is seen.
    for name in (loaded, not_loaded):
        monkeypatch.delitem(sys.modules, name, raising=False)
    load_library(chain)
    assert loaded in sys.modules
    assert not_loaded not in sys.modules
    assert _refusal(load_library, "bitcoin").startswith("invalid wallet 'bitcoin'")


# -- export ----------------------------------------------------------------------------


def test_an_export_creates_missing_parent_directories(ada: NewWallet, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "keys"
    paths = export_cardano_keys(ada, target)
    assert [p.name for p in paths] == ["payment.skey", "payment.vkey", "stake.skey", "stake.vkey"]
    assert target.stat().st_mode & 0o777 == 0o700


def test_an_export_where_no_directory_can_be_made(ada: NewWallet, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "keys"
    assert _refusal(export_cardano_keys, ada, target) == (
        f"cannot create {target}: Not a directory"
    )


def test_an_export_into_a_directory_that_refuses_files(ada: NewWallet) -> None:
    # /proc exists and is a directory, but no file can be created in it.
    message = _refusal(export_cardano_keys, ada, Path("/proc"))
    assert message.startswith("cannot create /proc/payment.skey: ")
    assert len(message) > len("cannot create /proc/payment.skey: ")


def test_every_existing_key_file_is_named(ada: NewWallet, tmp_path: Path) -> None:
    (tmp_path / "payment.skey").write_text("mine")
    (tmp_path / "stake.vkey").write_text("mine too")
    assert _refusal(export_cardano_keys, ada, tmp_path) == (
        "refusing to overwrite existing key file(s): "
        f"{tmp_path / 'payment.skey'}, {tmp_path / 'stake.vkey'}"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["payment.skey", "stake.vkey"]


def test_cardano_key_files_are_laid_out_as_cardano_cli_writes_them(
    ada: NewWallet, tmp_path: Path
) -> None:
    paths = export_cardano_keys(ada, tmp_path)
    text = paths[0].read_text()
    assert text.startswith('{\n    "type": "PaymentExtendedSigningKeyShelley_ed25519_bip32",\n')
    assert text.endswith('"\n}\n')
    assert json.loads(text)["cborHex"].endswith(str(ada.private_key))


def test_a_work_factor_the_kdf_refuses_is_a_wallet_error(eth: NewWallet, tmp_path: Path) -> None:
    # scrypt's n must be a power of two: eth-account refuses 1000.
    message = _refusal(
        export_ethereum_keystore, eth, tmp_path, PASSWORD, kdf="scrypt", iterations=1000
    )
    assert message == "eth-account could not encrypt this wallet's key"
    assert list(tmp_path.iterdir()) == []


def test_the_keystore_is_named_in_utc_whatever_the_local_zone(
    eth: NewWallet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+05:30, no daylight saving
    time.tzset()
    try:
        before = datetime.now(UTC).replace(microsecond=0)
        path = export_ethereum_keystore(eth, tmp_path, PASSWORD, kdf="pbkdf2", iterations=1000)
        after = datetime.now(UTC)
    finally:
        monkeypatch.undo()
        time.tzset()
    stamp = path.name.removeprefix("UTC--").split("--")[0]
    when = datetime.strptime(stamp[:19], "%Y-%m-%dT%H-%M-%S").replace(tzinfo=UTC)
    assert before <= when <= after
    assert path.name.endswith(f"--{eth.address.lower()[2:]}.json")


def _export_under_a_file_size_limit(export: Callable[[], object]) -> int:
    """Run ``export`` in a forked child whose files may hold at most 64 bytes.

    RLIMIT_FSIZE makes the disk refuse the key file's bytes (EFBIG), as a full disk
    would; SIGXFSZ is ignored so that the write fails instead of killing the child. The
    limit is set only in the child: in this process it would also stop pytest or a
    test runner from writing its own log files. Returns the child's verdict: 0 the
    export succeeded, 27 it failed with EFBIG, 1 it failed otherwise, 2 it changed
    the process's open file descriptors (leaked one, or closed one of ours).
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))
            before = sorted(os.listdir("/proc/self/fd"))
            try:
                export()
                code = 0
            except OSError as exc:
                code = exc.errno if exc.errno == errno.EFBIG else 1
            if sorted(os.listdir("/proc/self/fd")) != before:
                code = 2
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.parametrize("chain", ["ethereum", "cardano"])
def test_a_write_the_disk_refuses_leaves_no_key_file(
    chain: str, eth: NewWallet, ada: NewWallet, tmp_path: Path
) -> None:
    def export(target: Path) -> object:
        if chain == "ethereum":
            return export_ethereum_keystore(eth, target, PASSWORD, kdf="pbkdf2", iterations=1000)
        return export_cardano_keys(ada, target)

    export(tmp_path / "free")  # without a limit the export succeeds
    assert list((tmp_path / "free").iterdir())
    target = tmp_path / "full"
    target.mkdir()
    assert _export_under_a_file_size_limit(lambda: export(target)) == errno.EFBIG
    assert list(target.iterdir()) == []


# -- address checks: the verdict echoes the text it judged ------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "reason", "chain"),
    [
        (" \n", "", "empty address", None),
        ("cafe", "cafe", GARBAGE, None),
        ("ABCxyz", "ABCxyz", GARBAGE, None),
        ("x" * 256, "x" * 256, GARBAGE, None),
        ("x" * 257, "x" * 40 + "…", "too long for an address (257 characters)", None),
        (
            "f39fd6e51aad88f6f4ce6ab8827279cfffb92266",
            "f39fd6e51aad88f6f4ce6ab8827279cfffb92266",
            "missing the 0x prefix of an Ethereum address",
            "ethereum",
        ),
        (
            "Ae2tdPwUPEZ1",
            "Ae2tdPwUPEZ1",
            "not a valid Byron address (bad checksum or data)",
            "cardano",
        ),
    ],
)
def test_a_refused_address_is_shown_as_it_was_given(
    text: str, shown: str, reason: str, chain: str | None
) -> None:
    check = check_address(text)
    assert (check.valid, check.address, check.reason, check.chain) == (
        False,
        shown,
        reason,
        chain,
    )


def test_a_byron_text_using_every_base58_character_is_still_checked_as_byron() -> None:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    text = "Ae2" + alphabet
    check = check_address(text)
    assert (check.valid, check.chain, check.reason) == (
        False,
        "cardano",
        "not a valid Byron address (bad checksum or data)",
    )


def test_a_stake_address_and_a_wrong_prefix_are_shown_as_given(ada: NewWallet) -> None:
    stake = str(ada.stake_address)
    check = check_address(stake.upper())
    assert (check.valid, check.address, check.kind) == (False, stake.upper(), "stake")
    # The mainnet payload under the testnet prefix, with a valid checksum.
    data = Address.from_primitive(CARDANO_MAINNET).to_primitive()
    words = convertbits(list(data), 8, 5)
    assert words is not None
    relabelled = str(bech32_encode("addr_test", words, Encoding.BECH32))
    wrong = check_address(relabelled)
    assert (wrong.valid, wrong.address, wrong.network) == (False, relabelled, "mainnet")
    assert wrong.reason == (
        "prefix addr_test1 does not match the mainnet payment address inside (addr1 expected)"
    )


def test_bech32_splits_at_the_last_one() -> None:
    # A "1" typed into the data part makes it the separator (BIP-173: the last "1"),
    # so the checksum no longer matches; the "1" is not a bad data character.
    text = CARDANO_MAINNET[:10] + "1" + CARDANO_MAINNET[10:]
    assert check_address(text).reason == "bad bech32 checksum"


def test_the_shortest_data_part_goes_on_to_the_checksum() -> None:
    assert check_address("addr1qqqqqqq").reason == "too short for a bech32 address"
    assert check_address("addr1qqqqqqqq").reason == "bad bech32 checksum"


def test_bech32_with_bad_padding_is_refused() -> None:
    # 9 five-bit words: 45 bits, 5 of them padding, set here to non-zero.
    text = str(bech32_encode("addr", [0, 0, 0, 0, 0, 0, 0, 0, 1], Encoding.BECH32))
    check = check_address(text)
    assert (check.valid, check.address, check.chain, check.reason) == (
        False,
        text,
        "cardano",
        "bad bech32 padding",
    )


def test_an_english_phrase_whose_words_are_all_french_too_is_restored() -> None:
    # Every word of this valid English phrase is also in the French BIP-39 list.
    # eth-account's from_mnemonic guesses the language and refused it ("valid in
    # multiple languages"), so such a wallet could not be restored for Ethereum.
    phrase = "abandon " * 11 + "angle"
    from eth_account import Account

    wallet = restore_wallet("ethereum", phrase)
    assert Account.from_key(str(wallet.private_key)).address == wallet.address
    assert restore_wallet("ethereum", phrase, account=1).address != wallet.address
    assert restore_wallet("cardano", phrase).address.startswith("addr1")
