"""Wallet operations at their edges: the backup flag of
records written before it existed, restoring a wallet made here, exact refusals, what a
second export leaves, the history and log lines, and the library warm-up thread. The
real store and the real wallet libraries; Ethereum keys from the public Hardhat words."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from app.onboarding import wallet_ops
from app.onboarding.controller import OnboardingController
from app.onboarding.refusals import WalletError
from tests.conftest import ETH_ADDRESS
from tests.onboarding.log_lines import logged

HARDHAT = "test test test test test test test test test test test junk"  # account 0 = ETH_ADDRESS
MNEMONIC = "abandon ability able about above absent absorb abstract absurd abuse access accident"
NEVER_CHECKED = (
    f"the wallet {ETH_ADDRESS} was made here but its backup was never checked: "
    "if its words are lost, so is everything paid to it"
)


def test_a_record_from_before_the_backup_flag_counts_as_unchecked(
    controller: OnboardingController,
) -> None:
    controller.restore_wallet("ethereum", HARDHAT)
    assert controller.unchecked_address_warning(ETH_ADDRESS) is None
    data = json.loads(controller.state_path.read_text())
    del data["wallets"][0]["backup_checked"]
    controller.state_path.write_text(json.dumps(data))
    assert wallet_ops.backup_checked(controller, ETH_ADDRESS) is False
    assert controller.unchecked_address_warning(f" {ETH_ADDRESS} ") == NEVER_CHECKED


def test_restoring_a_wallet_made_here_marks_its_backup_checked(
    controller: OnboardingController,
) -> None:
    controller.restore_wallet("ethereum", HARDHAT)
    data = json.loads(controller.state_path.read_text())
    data["wallets"][0]["backup_checked"] = False  # as a wallet made here is first recorded
    controller.state_path.write_text(json.dumps(data))
    assert controller.unchecked_address_warning(ETH_ADDRESS) == NEVER_CHECKED
    with logged() as lines:
        controller.restore_wallet("ethereum", HARDHAT)
    (record,) = controller.wallets()
    assert record["backup_checked"] is True
    assert controller.unchecked_address_warning(ETH_ADDRESS) is None
    assert [h["action"] for h in controller.history()][-1] == "wallet-restore"
    assert lines == [f"wallet-restore: ethereum {ETH_ADDRESS}"]


def test_a_new_wallet_is_recorded_unchecked_under_its_action(
    controller: OnboardingController,
) -> None:
    with logged() as lines:
        wallet = controller.new_wallet("ethereum", words=12)
    (record,) = controller.wallets()
    assert (record["address"], record["backup_checked"]) == (wallet.address, False)
    assert [(h["action"], h["detail"]) for h in controller.history()] == [
        ("wallet-new", f"ethereum {wallet.address}")
    ]
    assert lines == [f"wallet-new: ethereum {wallet.address}"]


def test_a_wallet_the_library_refuses_to_make_is_a_wallet_error(
    controller: OnboardingController,
) -> None:
    with pytest.raises(WalletError) as refused:
        controller.new_wallet("ethereum", words=13)
    assert str(refused.value) == "a mnemonic has 12, 15, 18, 21 or 24 words, not 13"
    assert controller.wallets() == []


def test_marking_a_backup_checked_is_in_the_history_and_the_log(
    controller: OnboardingController,
) -> None:
    controller.restore_wallet("ethereum", HARDHAT)
    with logged() as lines:
        controller.mark_backup_checked(ETH_ADDRESS)
    last = controller.history()[-1]
    assert (last["action"], last["detail"]) == ("wallet-backup-checked", ETH_ADDRESS)
    assert lines == [f"backup checked: {ETH_ADDRESS}"]


# -- typing the words back -------------------------------------------------------------------
def test_every_wrong_word_is_named_after_a_right_one(controller: OnboardingController) -> None:
    typed = ["abandon", "absnet", "accident"]
    assert controller.check_backup_words(MNEMONIC, [0, 5, 11], typed) == ["word #6 does not match"]
    assert controller.check_backup_words(MNEMONIC, [0, 5], ["abandon", " ability "]) == [
        "word #6 does not match"
    ]


def test_positions_and_words_typed_must_pair_up(controller: OnboardingController) -> None:
    with pytest.raises(ValueError):
        controller.check_backup_words(MNEMONIC, [0, 5, 11], ["abandon", "absent"])


# -- exporting -----------------------------------------------------------------------------
def test_an_ethereum_export_needs_a_password_exactly(
    controller: OnboardingController, tmp_path: Path
) -> None:
    wallet = controller.restore_wallet("ethereum", HARDHAT)
    with pytest.raises(WalletError) as refused:
        controller.export_wallet(wallet, tmp_path / "keys", "")
    assert str(refused.value) == "an Ethereum keystore needs a password"


def test_a_second_keystore_for_the_same_address_is_refused_and_not_recorded(
    controller: OnboardingController, tmp_path: Path
) -> None:
    """The library refuses before its key derivation (seconds), so this stays fast."""
    wallet = controller.restore_wallet("ethereum", HARDHAT)
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    earlier = keys / f"UTC--2026-01-01T00-00-00.000000000Z--{ETH_ADDRESS.lower()[2:]}.json"
    earlier.write_text("{}")
    revision = controller.revision()
    with logged() as lines, pytest.raises(WalletError) as refused:
        controller.export_wallet(wallet, keys, "a password", kdf="pbkdf2")
    assert str(refused.value) == (
        f"refusing to export again: {keys} already holds a keystore for {ETH_ADDRESS} "
        f"({earlier.name})"
    )
    assert controller.revision() == revision and controller.wallets()[0]["exports"] == []
    assert lines == []


def test_an_export_adds_to_a_record_without_an_exports_list(
    controller: OnboardingController, tmp_path: Path
) -> None:
    wallet = controller.restore_wallet("cardano", HARDHAT, network="testnet")
    data = json.loads(controller.state_path.read_text())
    del data["wallets"][0]["exports"]  # a record written by hand or by an older version
    controller.state_path.write_text(json.dumps(data))
    with logged() as lines:
        paths = controller.export_wallet(wallet, tmp_path / "keys")
    assert controller.wallets()[0]["exports"] == [str(p) for p in paths] and paths
    assert lines == [f"exported cardano wallet {wallet.address} to {tmp_path / 'keys'}"]


# -- warming the library up ------------------------------------------------------------------
def test_warming_a_library_starts_one_daemon_thread_per_chain(
    controller: OnboardingController, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[threading.Thread] = []

    class Recorded(threading.Thread):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(threading, "Thread", Recorded)
    monkeypatch.setattr(wallet_ops, "_warming", set())
    with pytest.raises(WalletError, match="invalid wallet 'bitcoin'; allowed: ethereum, cardano"):
        controller.warm_wallet_library("bitcoin")
    controller.warm_wallet_library("ethereum")
    controller.warm_wallet_library("ethereum")
    assert [(t.name, t.daemon) for t in started] == [("warm-ethereum", True)]
    started[0].join(timeout=30)
    assert not started[0].is_alive()
    import sys

    assert "eth_account" in sys.modules and "mnemonic" in sys.modules
