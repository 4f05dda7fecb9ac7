"""Published test vectors: BIP-39 (Trezor), Ethereum (Hardhat), Cardano (CIP-19, CSL).

Every expected value below is copied from its published source, not from our output.
"""

from __future__ import annotations

import pytest

from app.wallets import check_address, restore_wallet
from app.wallets.bip39 import mnemonic_to_seed, validate_mnemonic

# Hardhat / Foundry's published development mnemonic (accounts #0 and #1 are well known).
HARDHAT_MNEMONIC = "test test test test test test test test test test test junk"
# The mnemonics of Emurgo cardano-serialization-lib's address tests (copied by pycardano).
CSL_MNEMONIC_12 = "test walk nut penalty hip pave soap entry language right filter choice"
CSL_MNEMONIC_15 = (
    "art forum devote street sure rather head chuckle guard poverty release quote oak craft enemy"
)

# trezor/python-mnemonic vectors.json (the BIP-39 reference vectors), passphrase "TREZOR".
TREZOR_VECTORS = [
    (
        "00000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon about",
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1"
        "c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
    ),
    (
        "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
        "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c809"
        "37a1c1069be3a3a5bd381ee6260e8d9739fce1f607",
    ),
    (
        "ffffffffffffffffffffffffffffffff",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
        "ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620"
        "c6f15b11c61dee327651a14c34e18231052e48c069",
    ),
    (
        "000000000000000000000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon abandon abandon abandon abandon abandon abandon agent",
        "035895f2f481b1b0f01fcf8c289c794660b289981a78f8106447707fdd9666ca06da5a9a565181599b79f5"
        "3b844d8a71dd9f439c52a3d7b3e8a79c906ac845fa",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon abandon abandon art",
        "bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cc"
        "a8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8",
    ),
    (
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo "
        "zoo vote",
        "dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899f"
        "fd31ed3992c456cdf60f5d4564b8ba3f05a69890ad",
    ),
    (
        "9e885d952ad362caeb4efe34a8e91bd2",
        "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
        "274ddc525802f7c828d8ef7ddbcdc5304e87ac3535913611fbbfa986d0c9e5476c91689f9c8a54fd55bd38"
        "606aa6a8595ad213d4c9c9f9aca3fb217069a41028",
    ),
    (
        "f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f",
        "void come effort suffer camp survey warrior heavy shoot primary clutch crush open "
        "amazing screen patrol group space point ten exist slush involve unfold",
        "01f5bced59dec48e362f2c45b5de68b9fd6c92c6634f44d6d40aab69056506f0e35524a518034ddc1192e1"
        "dacd32c1ed3eaa3c3b131c88ed8e7e54c49a5d0998",
    ),
]


@pytest.mark.parametrize(("entropy", "phrase", "seed"), TREZOR_VECTORS)
def test_bip39_reference_vectors(entropy: str, phrase: str, seed: str) -> None:
    from mnemonic import Mnemonic

    assert Mnemonic("english").to_mnemonic(bytes.fromhex(entropy)) == phrase
    assert validate_mnemonic(phrase) == phrase
    assert mnemonic_to_seed(phrase, "TREZOR").hex() == seed


def test_ethereum_hardhat_accounts() -> None:
    # Hardhat's documented default accounts #0 and #1 (m/44'/60'/0'/0/{0,1}).
    first = restore_wallet("ethereum", HARDHAT_MNEMONIC)
    assert first.address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert first.private_key == (
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    )
    second = restore_wallet("ethereum", HARDHAT_MNEMONIC, account=1)
    assert second.address == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert second.account == 1


def test_cardano_serialization_lib_vectors() -> None:
    # Emurgo cardano-serialization-lib rust/src/address.rs (also pycardano's test_hdwallet).
    testnet = restore_wallet("cardano", CSL_MNEMONIC_12, network="testnet")
    assert testnet.address == (
        "addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3jcu5d8ps7zex2k2xt3uqxgjqnnj83"
        "ws8lhrn648jjxtwq2ytjqp"
    )
    assert testnet.stake_address == (
        "stake_test1uqevw2xnsc0pvn9t9r9c7qryfqfeerchgrlm3ea2nefr9hqp8n5xl"
    )
    mainnet = restore_wallet("cardano", CSL_MNEMONIC_15, network="mainnet")
    assert mainnet.address == (
        "addr1q9u5vlrf4xkxv2qpwngf6cjhtw542ayty80v8dyr49rf5ewvxwdrt70qlcpeeagscasafhffqsxy36t9"
        "0ldv06wqrk2qld6xc3"
    )


# CIP-19 "Test Vectors": built from one payment key and one stake key.  The payment key
# is the CIP-1852 0/0 key of CSL_MNEMONIC_12; the stake key is NOT this mnemonic's 2/0
# key, so the CIP-19 base addresses are checked by combining our derived payment key
# with the published stake key.
CIP19_PAYMENT_VK = "addr_vk1w0l2sr2zgfm26ztc6nl9xy8ghsk5sh6ldwemlpmp9xylzy4dtf7st80zhd"
CIP19_STAKE_VK = "stake_vk1px4j0r2fk7ux5p23shz8f3y5y2qam7s954rgf3lg5merqcj6aetsft99wu"
CIP19 = {
    ("mainnet", "type-00"): (
        "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv"
        "2xwl2wywfgse35a3x"
    ),
    ("mainnet", "type-06"): "addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8",
    ("mainnet", "type-14"): "stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw",
    ("testnet", "type-00"): (
        "addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835l"
        "u7drv2xwl2wywfgs68faae"
    ),
    ("testnet", "type-06"): "addr_test1vz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz",
    ("testnet", "type-14"): "stake_test1uqehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gssrtvn",
}
CIP19_MORE = {  # script, pointer and script-stake kinds, for the checker
    "addr1z8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gten0d3vllmyqwsx5wktcd8cc3sq835lu7drv2"
    "xwl2wywfgs9yc0hh": ("mainnet", "payment"),
    "addr1gx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer5pnz75xxcrzqf96k": ("mainnet", "pointer"),
    "addr_test1wrphkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcl6szpr": ("testnet", "enterprise"),
    "stake178phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcccycj5": ("mainnet", "stake"),
}


def _bech32_payload(text: str) -> bytes:
    from pycardano.crypto.bech32 import bech32_decode, convertbits

    _, data, _ = bech32_decode(text)
    return bytes(convertbits(data, 5, 8, False))


def test_cip19_vectors_from_the_derived_payment_key() -> None:
    from pycardano import Address, Network, PaymentVerificationKey

    from app.wallets.cardano import _keys

    payment, _ = _keys(CSL_MNEMONIC_12, "", 0)
    payment_vk = payment.to_verification_key()
    assert bytes(payment_vk.payload)[:32] == _bech32_payload(CIP19_PAYMENT_VK)
    stake_hash = PaymentVerificationKey(_bech32_payload(CIP19_STAKE_VK)).hash()
    for network, net in (("mainnet", Network.MAINNET), ("testnet", Network.TESTNET)):
        base = Address(payment_vk.hash(), stake_hash, network=net).encode()
        enterprise = Address(payment_vk.hash(), None, network=net).encode()
        reward = Address(None, stake_hash, network=net).encode()
        assert base == CIP19[(network, "type-00")]
        assert enterprise == CIP19[(network, "type-06")]
        assert reward == CIP19[(network, "type-14")]


@pytest.mark.parametrize(("key", "address"), sorted(CIP19.items()))
def test_checker_on_cip19_vectors(key: tuple[str, str], address: str) -> None:
    network, kind = key
    result = check_address(address, network=network)
    assert result.chain == "cardano"
    assert result.network == network
    if kind == "type-14":
        assert not result.valid
        assert result.kind == "stake"
        assert result.reason is not None and "cannot receive a payment" in result.reason
    else:
        assert result.valid, result.reason
        assert result.kind == {"type-00": "payment", "type-06": "enterprise"}[kind]


@pytest.mark.parametrize(("address", "expected"), sorted(CIP19_MORE.items()))
def test_checker_kinds(address: str, expected: tuple[str, str]) -> None:
    result = check_address(address)
    assert (result.network, result.kind) == expected
    assert result.valid == (expected[1] != "stake")
