"""A wallet made or restored with ``--export``: what is recorded (its files, whether its
backup is checked, the history), the defaults a caller leaves out, and what a failed
export leaves behind (nothing it made). The real store and the real wallet libraries;
Cardano keys (no scrypt), from the public Hardhat words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.refusals import WalletError
from app.wallets import NewWallet
from app.wallets import restore_wallet as library_restore

HARDHAT = "test test test test test test test test test test test junk"


def history(controller: OnboardingController) -> list[tuple[str, str]]:
    return [(h["action"], h["detail"]) for h in controller.history()]


def test_a_restore_with_export_is_recorded_checked_with_its_files(
    controller: OnboardingController, tmp_path: Path
) -> None:
    wallet, paths = controller.restore_exported_wallet("cardano", HARDHAT, tmp_path / "keys", None)
    # The defaults: mainnet, account 0, no passphrase.
    expected = library_restore("cardano", HARDHAT, network="mainnet", passphrase="", account=0)
    assert wallet.address == expected.address and wallet.address.startswith("addr1")
    (record,) = controller.wallets()
    assert record["backup_checked"] is True
    assert record["exports"] == [str(p) for p in paths]
    assert all(p.parent == tmp_path / "keys" and p.is_file() for p in paths)
    detail = f"cardano {wallet.address}"
    assert history(controller) == [("wallet-restore", detail), ("wallet-export", detail)]


def test_a_new_wallet_with_export_is_recorded_unchecked_with_its_files(
    controller: OnboardingController, tmp_path: Path
) -> None:
    wallet, paths = controller.new_exported_wallet("cardano", tmp_path / "keys", None)
    assert len(wallet.mnemonic.split()) == 24 and wallet.network == "mainnet"
    (record,) = controller.wallets()
    assert (record["address"], record["backup_checked"]) == (wallet.address, False)
    assert record["exports"] == [str(p) for p in paths]
    detail = f"cardano {wallet.address}"
    assert history(controller) == [("wallet-new", detail), ("wallet-export", detail)]


@pytest.mark.parametrize("older_record", [False, True], ids=["with-exports", "without-exports"])
def test_restoring_with_export_a_recorded_wallet_adds_its_files_and_checks_it(
    controller: OnboardingController, tmp_path: Path, older_record: bool
) -> None:
    first, first_paths = controller.new_exported_wallet("cardano", tmp_path / "one", None, words=12)
    if older_record:  # a record written before exports were kept has no list
        data = json.loads(controller.state_path.read_text())
        del data["wallets"][0]["exports"]
        controller.state_path.write_text(json.dumps(data))
        first_paths = []
    again, paths = controller.restore_exported_wallet(
        "cardano", first.mnemonic, tmp_path / "two", None
    )
    assert again.address == first.address
    (record,) = controller.wallets()
    assert record["backup_checked"] is True
    assert record["exports"] == [str(p) for p in [*first_paths, *paths]]
    assert [action for action, _ in history(controller)][-2:] == [
        "wallet-restore",
        "wallet-export",
    ]


def test_an_ethereum_export_without_a_password_makes_nothing(
    controller: OnboardingController, tmp_path: Path
) -> None:
    keys = tmp_path / "a" / "keys"
    for make in (
        lambda: controller.new_exported_wallet("ethereum", keys, None),
        lambda: controller.restore_exported_wallet("ethereum", HARDHAT, keys, ""),
    ):
        with pytest.raises(WalletError, match=r"^an Ethereum keystore needs a password$"):
            make()
    assert not (tmp_path / "a").exists()
    assert controller.wallets() == [] and controller.history() == []


def test_a_failed_export_removes_the_folders_it_made_and_only_those(
    controller: OnboardingController, tmp_path: Path
) -> None:
    (tmp_path / "kept").mkdir()
    keys = tmp_path / "kept" / "made" / "also-made" / "keys"

    def words_not_shown(wallet: NewWallet, paths: list[Path]) -> None:
        assert all(p.is_file() for p in paths)  # written before the words are shown
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        controller.new_exported_wallet("cardano", keys, None, show=words_not_shown)
    assert (tmp_path / "kept").is_dir() and list((tmp_path / "kept").iterdir()) == []
    assert controller.wallets() == []
