"""check_address on each kind of input, field by field: every verdict names the chain, network and kind it could tell, and the reason
in words a person can act on. Cardano addresses are built here with pycardano."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pycardano import Address, Network, PointerAddress, VerificationKeyHash
from pycardano.crypto.bech32 import Encoding, bech32_encode, convertbits

from app.wallets import WalletError, check_address
from app.wallets.check import expected_network
from app.wallets.model import AddressCheck
from tests.conftest import CARDANO_MAINNET, CARDANO_TESTNET, ETH_ADDRESS

BYRON_ICARUS = "Ae2tdPwUPEZFRbyhz3cpfC2CumGzNkFBN2L42rcUc2yjQpEkxDbkPodpMAi"
PAY = VerificationKeyHash(bytes(range(28)))
STAKE = VerificationKeyHash(bytes(range(28, 56)))


def _addr(network: Network, payment: bool = True, staking: object = STAKE) -> str:
    return str(
        Address(payment_part=PAY if payment else None, staking_part=staking, network=network)
    )  # type: ignore[arg-type]


def _rehrp(address: str, hrp: str) -> str:
    """The same payload under another human-readable part, with a valid checksum."""
    data = Address.from_primitive(address).to_primitive()
    words = convertbits(list(data), 8, 5)
    assert words is not None
    return str(bech32_encode(hrp, words, Encoding.BECH32))


def test_a_base_address_of_each_network() -> None:
    assert check_address(CARDANO_MAINNET) == AddressCheck(
        CARDANO_MAINNET, True, "cardano", "mainnet", "payment", None
    )
    assert check_address(f" {CARDANO_TESTNET.upper()}\n") == AddressCheck(
        CARDANO_TESTNET, True, "cardano", "testnet", "payment", None
    )


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        (_addr(Network.MAINNET, staking=None), "enterprise"),
        (_addr(Network.TESTNET, staking=None), "enterprise"),
        (_addr(Network.MAINNET, staking=PointerAddress(1, 2, 3)), "pointer"),
    ],
)
def test_other_payment_kinds_are_accepted_and_named(address: str, kind: str) -> None:
    check = check_address(address)
    assert (check.valid, check.kind, check.chain, check.reason) == (True, kind, "cardano", None)
    assert check.network == ("mainnet" if address.startswith("addr1") else "testnet")


def test_a_stake_address_is_refused_with_what_is_needed() -> None:
    stake = _addr(Network.MAINNET, payment=False)
    check = check_address(stake)
    assert stake.startswith("stake1")
    assert (check.valid, check.kind, check.network) == (False, "stake", "mainnet")
    assert check.reason == (
        "a stake (reward) address, which cannot receive a payment; "
        "give a payment address (addr1... / addr_test1...)"
    )


def test_a_prefix_that_does_not_match_the_payload() -> None:
    wrong = _rehrp(CARDANO_MAINNET, "addr_test")
    check = check_address(wrong)
    assert (check.valid, check.chain, check.network, check.kind) == (
        False,
        "cardano",
        "mainnet",
        "payment",
    )
    assert check.reason == (
        "prefix addr_test1 does not match the mainnet payment address inside (addr1 expected)"
    )


def test_the_other_network_is_accepted_with_a_warning_naming_both() -> None:
    # DMS ties no channel to a Cardano network, so the other one is a warning, not a refusal.
    check = check_address(CARDANO_TESTNET, network="mainnet")
    assert (check.valid, check.network, check.kind, check.reason) == (
        True,
        "testnet",
        "payment",
        None,
    )
    assert check.warnings == (
        "addr_test1... is a testnet address, not mainnet; check that this is the one meant",
    )
    same = check_address(CARDANO_MAINNET, network="mainnet")
    assert same.valid and same.warnings == ()


def test_a_byron_address_is_accepted_with_a_legacy_warning() -> None:
    check = check_address(BYRON_ICARUS, network="testnet")
    assert (check.address, check.valid, check.chain, check.network, check.kind) == (
        BYRON_ICARUS,
        True,
        "cardano",
        "mainnet",
        "byron",
    )
    assert check.reason is None
    assert check.warnings == (
        "a Byron (legacy) address: it still receives payments, "
        "but wallets today use Shelley addresses (addr1...)",
        "Ae2tdPwUPE... is a mainnet address, not testnet; check that this is the one meant",
    )


def _byron(magic: int | None) -> str:
    """A well-formed Byron address (base58 CBOR with its CRC32), with the protocol magic
    attribute a testnet address carries, or none (mainnet)."""
    import zlib

    import base58
    import cbor2

    attributes = {} if magic is None else {2: cbor2.dumps(magic)}
    payload = cbor2.dumps([bytes(range(28)), attributes, 0])
    framed = cbor2.dumps([cbor2.CBORTag(24, payload), zlib.crc32(payload)])
    return str(base58.b58encode(framed).decode("ascii"))


@pytest.mark.parametrize(
    ("magic", "network"),
    [(None, "mainnet"), (1097911063, "testnet"), (1, "testnet"), (2, "testnet")],
)
def test_a_byron_address_of_any_network_is_accepted_with_its_network(
    magic: int | None, network: str
) -> None:
    """Testnet Byron addresses start "2cWKMJemoBa..." or "37btjrVyb4K...", not "Ae2"/"DdzFF",
    and preprod (magic 1) and preview (2) are testnets though pycardano says mainnet."""
    text = _byron(magic)
    check = check_address(text, network="mainnet")
    assert (check.valid, check.chain, check.network, check.kind) == (
        True,
        "cardano",
        network,
        "byron",
    )
    assert check.warnings[0].startswith("a Byron (legacy) address")
    assert (len(check.warnings) == 2) == (network == "testnet")


def test_base58_text_holding_a_shelley_payload_is_no_byron_address() -> None:
    """Valid bech32 that uses base58 characters only (no 0, O, I, l) decodes in pycardano
    as a Shelley address: not a Byron one, and not an address under that prefix."""
    for seed in range(256):
        text = _rehrp(str(Address(VerificationKeyHash(bytes([seed] * 28)))), "nunet")
        if "0" not in text and "l" not in text:
            break
    else:
        pytest.fail("no Shelley payload spelt in base58 characters")
    assert Address.from_primitive(text).address_type.name == "KEY_NONE"
    check = check_address(text)
    assert (check.valid, check.chain, check.kind) == (False, None, None)
    assert check.reason == "not an Ethereum (0x...) or Cardano (addr1... / addr_test1...) address"


def test_base58_text_that_is_no_address_is_still_called_no_address() -> None:
    """Without a Byron prefix, a base58 text that does not decode is not "a bad Byron
    address": it is not an address at all."""
    for text in ("2cWKMJemoBa", "37btjrVyb4KabcdefXYZ", "hello"):
        check = check_address(text)
        assert (check.valid, check.chain) == (False, None)
        assert check.reason == (
            "not an Ethereum (0x...) or Cardano (addr1... / addr_test1...) address"
        )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz", max_size=256))
def test_any_base58_text_gets_a_verdict_and_never_an_exception(text: str) -> None:
    """Any base58 text is now decoded as a possible Byron address: whatever its bytes
    claim (a CBOR length of 2**63, a bad CRC), the answer is a verdict, not a crash."""
    check = check_address(text)
    assert check.valid == (check.kind == "byron")
    if not check.valid:
        assert check.reason is not None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("addr1Qx2", "mixed upper and lower case (bech32 allows one case)"),
        ("addr1qxb", "character 8 ('b') is not a bech32 character"),
        ("addr1qqqq", "too short for a bech32 address"),
        (
            CARDANO_MAINNET[:-1] + ("q" if CARDANO_MAINNET[-1] != "q" else "p"),
            "bad bech32 checksum",
        ),
        (
            str(bech32_encode("addr", [1, 2, 3, 4, 5, 6, 7, 8], Encoding.BECH32)),
            "the bech32 data is not a Cardano address",
        ),
    ],
)
def test_broken_cardano_text_says_what_is_broken(text: str, reason: str) -> None:
    check = check_address(text)
    assert (check.valid, check.chain, check.address) == (False, "cardano", text)
    assert check.reason == reason


@pytest.mark.parametrize(
    ("text", "reason", "chain", "kind"),
    [
        ("", "empty address", None, None),
        (
            "f39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
            "missing the 0x prefix of an Ethereum address",
            "ethereum",
            None,
        ),
        ("DdzFFzCqrhsxyz", "not a valid Byron address (bad checksum or data)", "cardano", None),
        ("Ae2tdPwUPEZ", "not a valid Byron address (bad checksum or data)", "cardano", None),
        (
            "hello",
            "not an Ethereum (0x...) or Cardano (addr1... / addr_test1...) address",
            None,
            None,
        ),
    ],
)
def test_other_text_is_described(
    text: str, reason: str, chain: str | None, kind: str | None
) -> None:
    check = check_address(text)
    assert (check.valid, check.reason, check.chain, check.kind, check.network) == (
        False,
        reason,
        chain,
        kind,
        None,
    )


def test_not_text_and_a_bad_network_are_refused() -> None:
    check = check_address(42)  # type: ignore[arg-type]
    # Not echoed back: a value that is not text is never shown.
    assert (check.valid, check.address, check.reason) == (False, "", "an address must be text")
    with pytest.raises(WalletError):
        check_address(ETH_ADDRESS, network="moon")


def test_ethereum_addresses_are_canonical() -> None:
    assert check_address(ETH_ADDRESS.lower()) == AddressCheck(
        ETH_ADDRESS,
        True,
        "ethereum",
        None,
        "account",
        None,
        (
            "this Ethereum address has no checksum (all one case), so a typo would not be "
            "caught: check it character by character",
        ),
    )
    assert check_address(ETH_ADDRESS) == AddressCheck(
        ETH_ADDRESS, True, "ethereum", None, "account", None
    )
    assert check_address("0X" + ETH_ADDRESS[2:].upper()).address == ETH_ADDRESS


def test_expected_network_per_channel() -> None:
    assert (
        expected_network("nunet-team") == "mainnet" and expected_network("nunet-test") == "testnet"
    )
    # Only the default network for a new wallet: an unknown channel gets mainnet.
    assert (expected_network("nunet-staging"), expected_network("nunet-edge")) == (
        "testnet",
        "testnet",
    )
    assert expected_network("x") == "mainnet"
