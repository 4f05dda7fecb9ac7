"""wallet new | restore: every option reaches the wallet made, with ``--export`` and
without (network, words, account, passphrase), the log file records it, and the notes
and refusals about the options read word for word.

``app.cli.main(argv)`` in this process on a real state directory with the real wallet
libraries; Cardano keys (no scrypt), from the public Hardhat words; the expected
addresses come from the wallet library called directly.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from app.wallets import restore_wallet as library_restore
from app.wallets.export import CARDANO_KEY_FILES
from tests.cli.helpers import main_cli, main_json

Capsys = pytest.CaptureFixture[str]
HARDHAT = "test test test test test test test test test test test junk"
ERROR = "nunet-onboard: error: "


def log_text(state: str) -> str:
    return (Path(state) / "logs" / "nunet-onboard.log").read_text()


@pytest.mark.parametrize("export", [False, True], ids=["recorded", "exported"])
def test_a_new_cardano_wallet_has_the_network_and_words_asked_for(
    capsys: Capsys, state: str, tmp_path: Path, export: bool
) -> None:
    argv = ["wallet", "new", "--chain", "cardano", "--network", "testnet", "--words", "15"]
    if export:
        argv += ["--export", str(tmp_path / "keys")]
    data = main_json(capsys, *argv, "--state-dir", state)
    assert data["network"] == "testnet" and data["address"].startswith("addr_test1")
    assert len(data["mnemonic"].split()) == 15
    keys = tmp_path / "keys"
    assert data["exported"] == ([str(keys / name) for name in CARDANO_KEY_FILES] if export else [])
    assert f"wallet-new: cardano {data['address']}" in log_text(state)


@pytest.mark.parametrize("export", [False, True], ids=["recorded", "exported"])
def test_a_restored_cardano_wallet_has_the_network_account_and_passphrase_asked_for(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path, export: bool
) -> None:
    phrase = tmp_path / "phrase"
    phrase.write_text("a passphrase\n")
    argv = ["wallet", "restore", "--chain", "cardano", "--network", "testnet", "--account", "2"]
    argv += ["--passphrase-file", str(phrase)]
    if export:
        argv += ["--export", str(tmp_path / "keys")]
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT))
    data = main_json(capsys, *argv, "--state-dir", state)
    expected = library_restore(
        "cardano", HARDHAT, network="testnet", passphrase="a passphrase", account=2
    )
    assert (data["address"], data["network"], data["account"]) == (expected.address, "testnet", 2)
    keys = tmp_path / "keys"
    assert data["exported"] == ([str(keys / name) for name in CARDANO_KEY_FILES] if export else [])
    assert f"wallet-restore: cardano {expected.address}" in log_text(state)


def test_network_with_an_ethereum_wallet_is_noted_as_ignored(capsys: Capsys, state: str) -> None:
    code, _, err = main_cli(
        capsys, "wallet", "new", "--chain", "ethereum", "--network", "testnet",
        "--state-dir", state,
    )  # fmt: skip
    assert code == 0
    assert err.startswith(
        "nunet-onboard: note: --network testnet is ignored: it chooses a Cardano wallet's "
        "network, and an Ethereum address is the same on every network\n"
    )
    code, _, err = main_cli(
        capsys, "wallet", "new", "--chain", "cardano", "--network", "testnet",
        "--state-dir", state,
    )  # fmt: skip
    assert code == 0 and "is ignored" not in err


def test_an_export_directory_that_looks_like_words_is_refused_unshown(
    capsys: Capsys, state: str
) -> None:
    code, out, err = main_cli(
        capsys, "wallet", "new", "--chain", "cardano", "--export", HARDHAT, "--state-dir", state
    )
    assert (code, out) == (2, "")
    assert err == (
        f"{ERROR}--export: the directory given looks like mnemonic words (not shown), so "
        "nothing was made; a mnemonic is read from a prompt or stdin, never from the command "
        "line\n"
    )
    assert main_json(capsys, "wallet", "list", "--state-dir", state) == []


def test_an_encrypted_export_off_a_terminal_without_a_password_file_makes_nothing(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = main_cli(
        capsys, "wallet", "new", "--chain", "ethereum", "--export", str(tmp_path / "keys"),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 2
    assert err == f"{ERROR}an encrypted export needs a password: give --password-file FILE\n"
    assert not (tmp_path / "keys").exists()
