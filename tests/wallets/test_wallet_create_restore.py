"""Create/restore round trips, input validation, secret hygiene and lazy imports."""

from __future__ import annotations

import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from app.wallets import (
    CHAINS,
    NETWORKS,
    WalletError,
    check_address,
    create_wallet,
    expected_network,
    restore_wallet,
)

REPO = Path(__file__).resolve().parents[2]
PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow"


def _secret_free(text: str, *secrets: str) -> None:
    for secret in secrets:
        for word in set(secret.split()):
            assert word not in text.split(), f"{word!r} leaked"
        assert secret not in text


@pytest.mark.parametrize(
    ("chain", "network"), [("ethereum", "mainnet"), ("cardano", "mainnet"), ("cardano", "testnet")]
)
def test_create_then_restore_gives_the_same_wallet(chain: str, network: str) -> None:
    new = create_wallet(chain, network)
    assert len(new.mnemonic.split()) == 24
    again = restore_wallet(chain, new.mnemonic, network=network)
    assert again == new
    assert check_address(new.address, network=network).valid
    if chain == "cardano":
        prefix = "addr1" if network == "mainnet" else "addr_test1"
        assert new.address.startswith(prefix)
        assert new.stake_address is not None
        assert new.stake_address.startswith("stake1" if network == "mainnet" else "stake_test1")
        assert new.private_key is not None and len(new.private_key) == 256  # 128-byte xsk
    else:
        assert new.private_key is not None and new.private_key.startswith("0x")
        assert len(new.private_key) == 66
        assert new.stake_address is None


@pytest.mark.parametrize("words", [12, 15, 18, 21, 24])
def test_every_bip39_length(words: int) -> None:
    assert len(create_wallet("ethereum", words=words).mnemonic.split()) == words


@pytest.mark.parametrize("words", [0, 11, 13, 25, True])
def test_bad_word_count_names_the_allowed_ones(words: int) -> None:
    with pytest.raises(WalletError, match=r"12, 15, 18, 21 or 24 words"):
        create_wallet("cardano", words=words)


def test_refusals_name_the_choices() -> None:
    with pytest.raises(WalletError, match="invalid wallet 'bitcoin': choose one of ethereum"):
        create_wallet("bitcoin")
    with pytest.raises(WalletError, match="choose one of mainnet, testnet"):
        create_wallet("cardano", network="preprod")
    with pytest.raises(WalletError, match="account index"):
        restore_wallet("ethereum", PHRASE, account=-1)
    assert CHAINS == ("ethereum", "cardano") and NETWORKS == ("mainnet", "testnet")


def test_mnemonic_is_normalised() -> None:
    messy = "  " + PHRASE.upper().replace(" ", " \t ") + "\n"
    assert restore_wallet("ethereum", messy) == restore_wallet("ethereum", PHRASE)


def test_passphrase_and_account_change_the_address() -> None:
    for chain in CHAINS:
        plain = restore_wallet(chain, PHRASE)
        assert restore_wallet(chain, PHRASE, passphrase="TREZOR").address != plain.address
        other = restore_wallet(chain, PHRASE, account=1)
        assert other.address != plain.address and other.account == 1


def test_cardano_networks_share_keys_but_not_addresses() -> None:
    main = restore_wallet("cardano", PHRASE, network="mainnet")
    test = restore_wallet("cardano", PHRASE, network="testnet")
    assert main.private_key == test.private_key
    assert main.address != test.address
    # same key hashes: the bech32 data differs only in the header's network bits
    assert main.address[len("addr1q") + 1 : -6] == test.address[len("addr_test1q") + 1 : -6]


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize(
    ("phrase", "reason"),
    [
        (PHRASE.replace("yellow", "yellew"), "word 12 of the mnemonic is not in"),
        (PHRASE.replace("yellow", "year"), "checksum does not match"),
        (" ".join(PHRASE.split()[:11]), "this one has 11"),
    ],
)
def test_bad_mnemonic_never_echoes_a_word(chain: str, phrase: str, reason: str) -> None:
    with pytest.raises(WalletError, match=reason) as info:
        restore_wallet(chain, phrase)
    rendered = "".join(traceback.format_exception(info.value))
    _secret_free(str(info.value), phrase)
    _secret_free(rendered.split("WalletError")[-1], phrase)
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert isinstance(info.value, ValueError)


def test_repr_and_str_hide_secrets() -> None:
    for wallet in (
        restore_wallet("ethereum", PHRASE, passphrase="hunter2"),
        restore_wallet("cardano", PHRASE, passphrase="hunter2"),
    ):
        assert wallet.private_key is not None
        for text in (repr(wallet), str(wallet), f"{wallet}", repr([wallet])):
            _secret_free(text, PHRASE)
            assert wallet.private_key.removeprefix("0x") not in text.lower()
            assert "hunter2" not in text
            assert wallet.address in text
        assert "private_key" not in str(wallet.public_facts())
        assert wallet.public_facts()["address"] == wallet.address


def test_default_network_offered_for_a_new_wallet_per_channel() -> None:
    """Only a default for new wallets: an address of either network is accepted anywhere."""
    assert expected_network("nunet-team") == "mainnet"
    assert {expected_network(c) for c in ("nunet-staging", "nunet-test", "nunet-edge")} == {
        "testnet"
    }
    assert expected_network("nunet-prod") == "mainnet"  # as DMS's CreatePaymentAddress


def test_importing_the_package_loads_no_wallet_library() -> None:
    code = (
        "import sys, app.wallets\n"
        "heavy = [m for m in ('eth_account', 'pycardano', 'mnemonic', 'eth_utils', 'nacl')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "app.wallets.check_address('0x' + 'ab' * 20)\n"
        "assert 'pycardano' not in sys.modules and 'eth_account' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)
