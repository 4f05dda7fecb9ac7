"""The address checker on valid, wrong-checksum, wrong-network, truncated and garbage input."""

from __future__ import annotations

import pytest

from app.wallets import WalletError, check_address

ETH = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # Hardhat account #0 (EIP-55 form)
ADA_MAIN = (  # CIP-19 type-00, mainnet
    "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl"
    "2wywfgse35a3x"
)
ADA_TEST = (  # CIP-19 type-00, testnet
    "addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7d"
    "rv2xwl2wywfgs68faae"
)


def _flip_case(address: str) -> str:
    """Swap the case of the first letter in the hex part: breaks EIP-55, nothing else."""
    body = address[2:]
    i = next(i for i, c in enumerate(body) if c.isalpha())
    return "0x" + body[:i] + body[i].swapcase() + body[i + 1 :]


@pytest.mark.parametrize("address", [ETH, ETH.lower(), "0x" + ETH[2:].upper(), f"  {ETH}\n"])
def test_ethereum_valid_in_any_single_case(address: str) -> None:
    result = check_address(address)
    assert (result.valid, result.chain, result.network, result.kind) == (
        True,
        "ethereum",
        None,
        "account",
    )
    assert result.address == ETH  # canonical EIP-55 form
    assert result.reason is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        (_flip_case(ETH), "bad EIP-55 checksum"),
        (ETH[:-2], "wrong length (38 hex digits, 40 needed)"),
        (ETH + "a", "wrong length (41 hex digits, 40 needed)"),
        ("0x", "wrong length (0 hex digits, 40 needed)"),
        (ETH[:-1] + "g", "not hex"),
        ("0x" + "z" * 40, "not hex"),
        (ETH[2:], "missing the 0x prefix of an Ethereum address"),
    ],
)
def test_ethereum_invalid(address: str, reason: str) -> None:
    result = check_address(address)
    assert not result.valid
    assert result.chain == "ethereum"
    assert result.reason == reason


def test_ethereum_ignores_the_cardano_network() -> None:
    assert check_address(ETH, network="testnet").valid


@pytest.mark.parametrize(("address", "network"), [(ADA_MAIN, "mainnet"), (ADA_TEST, "testnet")])
def test_cardano_valid(address: str, network: str) -> None:
    for expected in (None, network):
        result = check_address(address, network=expected)
        assert result.valid, result.reason
        assert (result.chain, result.network, result.kind) == ("cardano", network, "payment")
    assert check_address(address.upper()).valid  # bech32 allows all upper case


def test_cardano_other_network_is_valid_with_a_warning() -> None:
    """DMS ties no channel to a network: another network is a warning, never a refusal."""
    result = check_address(ADA_TEST, network="mainnet")
    assert result.valid and result.network == "testnet"
    assert result.warnings == (
        "addr_test1... is a testnet address, not mainnet; check that this is the one meant",
    )
    result = check_address(ADA_MAIN, network="testnet")
    assert result.valid and "is a mainnet address, not testnet" in result.warnings[0]
    assert check_address(ADA_MAIN, network="mainnet").warnings == ()
    assert check_address(ADA_MAIN).warnings == ()


BYRON_ICARUS = "Ae2tdPwUPEZFRbyhz3cpfC2CumGzNkFBN2L42rcUc2yjQpEkxDbkPodpMAi"
BYRON_DAEDALUS = (
    "DdzFFzCqrhsrcTVhLygT24QwTnNqQqQ8mZrq5jykUzMveU26sxaH529kMpo7VhPrt5pwW3dXeB2k3EEv"
    "KcNBRmzCfcQ7dTkyGzTs658C"
)


@pytest.mark.parametrize("address", [BYRON_ICARUS, BYRON_DAEDALUS])
def test_byron_is_accepted_with_a_legacy_warning(address: str) -> None:
    """DMS accepts Byron addresses; they can receive a payment, so we do too, and say legacy."""
    result = check_address(address)
    assert (result.valid, result.chain, result.kind, result.network) == (
        True,
        "cardano",
        "byron",
        "mainnet",
    )
    assert any("legacy" in w for w in result.warnings)


def test_byron_with_a_bad_checksum_is_refused() -> None:
    result = check_address(BYRON_ICARUS[:-1] + "j")
    assert not result.valid and result.reason is not None and "Byron" in result.reason


@pytest.mark.parametrize("address", [ETH.lower(), "0x" + ETH[2:].upper()])
def test_ethereum_without_checksum_is_valid_with_a_warning(address: str) -> None:
    result = check_address(address)
    assert result.valid and result.address == ETH
    assert len(result.warnings) == 1 and "no checksum" in result.warnings[0]
    assert check_address(ETH).warnings == ()


def test_a_huge_address_is_refused_without_echoing_it() -> None:
    result = check_address("addr1" + "q" * 100_000)
    assert not result.valid and len(result.address) < 50 and "too long" in (result.reason or "")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        (ADA_MAIN[:-1] + ("q" if ADA_MAIN[-1] != "q" else "p"), "bad bech32 checksum"),
        (ADA_MAIN[:-5], "bad bech32 checksum"),  # truncated
        (ADA_MAIN[:30] + ADA_MAIN[31:], "bad bech32 checksum"),  # a character dropped
        (ADA_MAIN.replace("addr1", "addr_test1"), "bad bech32 checksum"),  # edited prefix
        (ADA_MAIN[:20] + "b" + ADA_MAIN[21:], "is not a bech32 character"),
        (ADA_MAIN[:10] + ADA_MAIN[10:].upper(), "mixed upper and lower case"),
        ("addr1qqqqqq", "too short"),
    ],
)
def test_cardano_invalid(address: str, reason: str) -> None:
    result = check_address(address)
    assert not result.valid
    assert result.chain == "cardano"
    assert result.reason is not None and reason in result.reason


def test_cardano_stake_address_is_not_a_payment_address() -> None:
    result = check_address("stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw")
    assert (result.valid, result.kind, result.network) == (False, "stake", "mainnet")
    assert result.reason is not None and result.reason.startswith("a stake (reward) address")


def test_cardano_prefix_must_match_the_header() -> None:
    from pycardano.crypto.bech32 import bech32_decode, bech32_encode

    _, data, spec = bech32_decode(ADA_TEST)
    relabelled = bech32_encode("addr", data, spec)  # valid checksum, testnet header
    result = check_address(relabelled)
    assert not result.valid
    assert result.reason is not None and "does not match" in result.reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("", "empty address"),
        ("   ", "empty address"),
        ("hello world", "not an Ethereum (0x...) or Cardano"),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "not an Ethereum (0x...) or Cardano"),
        ("DdzFFzCqrhsrcTVhLygT24QwTnNqQqQ8mZrq5jykUzMveU26sxaH529kMpo7VhPrt5pwW3M", "Byron"),
    ],
)
def test_garbage(address: str, reason: str) -> None:
    result = check_address(address)
    assert not result.valid
    assert result.reason is not None and reason in result.reason


def test_unknown_expected_network_is_refused() -> None:
    with pytest.raises(WalletError, match="invalid network"):
        check_address(ADA_MAIN, network="preview")
