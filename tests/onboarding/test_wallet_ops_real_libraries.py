"""The controller's wallet operations on the real store and the real wallet libraries:
restore, export (Cardano key
files; the Ethereum keystore's scrypt run is a slow test elsewhere), and the records
and history they leave. Only public facts are ever stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController, default_controller
from app.onboarding.errors import OnboardError
from app.onboarding.refusals import WalletError
from tests.conftest import ETH_ADDRESS

HARDHAT = "test test test test test test test test test test test junk"  # account 0 = ETH_ADDRESS


def test_restore_records_the_public_facts_once(controller: OnboardingController) -> None:
    assert controller.revision() == 0
    wallet = controller.restore_wallet("ethereum", HARDHAT)
    assert wallet.address == ETH_ADDRESS
    assert controller.revision() == 1
    controller.restore_wallet("ethereum", f"  {HARDHAT.upper()} ")  # same wallet again
    assert controller.revision() == 2
    records = controller.wallets()
    assert len(records) == 1
    record = records[0]
    assert (record["chain"], record["network"], record["address"]) == (
        "ethereum",
        None,
        ETH_ADDRESS,
    )
    assert record["exports"] == [] and record["created"].endswith("+00:00")
    assert HARDHAT not in str(controller.store.read())
    actions = [(h["action"], h["detail"]) for h in controller.history()]
    assert actions == [("wallet-restore", f"ethereum {ETH_ADDRESS}")] * 2


def test_restore_passes_network_passphrase_and_account(controller: OnboardingController) -> None:
    first = controller.restore_wallet("cardano", HARDHAT, network="testnet")
    other = controller.restore_wallet("cardano", HARDHAT, network="testnet", account=1)
    secret = controller.restore_wallet("cardano", HARDHAT, network="testnet", passphrase="pp")
    assert first.address.startswith("addr_test1") and first.network == "testnet"
    assert len({first.address, other.address, secret.address}) == 3
    assert other.account == 1
    assert [r["network"] for r in controller.wallets()] == ["testnet"] * 3


@pytest.mark.parametrize(
    ("chain", "mnemonic", "message"),
    [
        ("bitcoin", HARDHAT, "invalid wallet 'bitcoin'; allowed: ethereum, cardano"),
        ("ethereum", "test test test", "this one has 3"),
    ],
)
def test_restore_refusals_are_wallet_errors_and_write_nothing(
    controller: OnboardingController, chain: str, mnemonic: str, message: str
) -> None:
    with pytest.raises(WalletError, match=message):
        controller.restore_wallet(chain, mnemonic)
    assert controller.revision() == 0 and controller.wallets() == []


def test_an_ethereum_export_needs_a_password(
    controller: OnboardingController, tmp_path: Path
) -> None:
    wallet = controller.restore_wallet("ethereum", HARDHAT)
    with pytest.raises(WalletError, match="an Ethereum keystore needs a password"):
        controller.export_wallet(wallet, tmp_path / "keys", "")
    assert not (tmp_path / "keys").exists() or not any((tmp_path / "keys").iterdir())
    assert controller.wallets()[0]["exports"] == []


def test_a_cardano_export_is_recorded_with_its_files(
    controller: OnboardingController, tmp_path: Path
) -> None:
    wallet = controller.restore_wallet("cardano", HARDHAT, network="testnet")
    paths = controller.export_wallet(wallet, tmp_path / "keys")
    assert paths and all(p.is_file() and p.stat().st_mode & 0o777 == 0o600 for p in paths)
    assert {p.name for p in paths} >= {"payment.skey", "payment.vkey"}
    assert controller.wallets()[0]["exports"] == [str(p) for p in paths]
    last = controller.history()[-1]
    assert (last["action"], last["detail"]) == ("wallet-export", f"cardano {wallet.address}")
    with pytest.raises(WalletError):  # a second export never writes over the first
        controller.export_wallet(wallet, tmp_path / "keys")


def test_provisioned_is_the_usable_machine(controller: OnboardingController) -> None:
    m = controller.machine()
    p = controller.provisioned()
    assert (p.cpu, p.memory, p.total_cores) == (
        m.usable_cpu_mhz,
        m.usable_memory_mb,
        m.usable_cores,
    )


def test_default_controller_uses_the_directory_given(tmp_path: Path) -> None:
    assert default_controller(tmp_path / "s").state_dir == tmp_path / "s"


def test_an_export_the_state_cannot_record_leaves_no_key_file(
    controller: OnboardingController, tmp_path: Path
) -> None:
    wallet = controller.restore_wallet("cardano", HARDHAT)
    Path(controller.store.path).write_text("{ not json")  # the state breaks before the export
    keys = tmp_path / "keys"
    with pytest.raises(OnboardError):
        controller.export_wallet(wallet, keys)
    assert list(keys.iterdir()) == []


def test_export_paths_are_recorded_absolute(
    controller: OnboardingController, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wallet = controller.restore_wallet("cardano", HARDHAT)
    monkeypatch.chdir(tmp_path)
    paths = controller.export_wallet(wallet, Path("keys"))
    assert all(p.is_absolute() and p.parent == tmp_path / "keys" for p in paths)
    assert controller.wallets()[0]["exports"] == [str(p) for p in paths]


def test_default_export_dir_is_one_folder_per_wallet(controller: OnboardingController) -> None:
    ethereum = controller.restore_wallet("ethereum", HARDHAT)
    cardano = controller.restore_wallet("cardano", HARDHAT, network="testnet")
    wallets = controller.state_dir / "wallets"
    assert controller.default_export_dir(ethereum) == wallets / "ethereum-f39fd6e51a"
    body = cardano.address.removeprefix("addr_test1")[:10]
    assert controller.default_export_dir(cardano) == wallets / f"cardano-{body}"


def test_default_cardano_network_follows_the_channel(controller: OnboardingController) -> None:
    assert controller.default_cardano_network() == "mainnet"  # nothing stored
    assert controller.default_cardano_network("nunet-test") == "testnet"
    assert controller.default_cardano_network("nunet-team") == "mainnet"
    assert controller.default_cardano_network("") == "mainnet"
