"""wallet new / restore / check / list end to end, with secrets fed through stdin and files."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli, run_json
from tests.conftest import CARDANO_MAINNET, CARDANO_TESTNET, ETH_ADDRESS
from tests.pty_child import PtyChild

HARDHAT_MNEMONIC = "test test test test test test test test test test test junk"
HARDHAT_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


def all_text_under(path: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in path.rglob("*") if p.is_file())


def assert_no_secret(text: str, mnemonic: str, key: str | None) -> None:
    words = mnemonic.split()
    for i in range(len(words) - 2):
        assert " ".join(words[i : i + 3]) not in text, "a run of mnemonic words leaked"
    if key:
        bare = key.removeprefix("0x").lower()
        assert bare not in text.lower()


def test_new_ethereum_shows_secrets_once_and_stores_only_public_facts(tmp_path: Path) -> None:
    state = tmp_path / "state"
    result = run_cli("wallet", "new", "--chain", "ethereum", "--json", state_dir=state)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert re.fullmatch(r"0x[0-9a-fA-F]{40}", data["address"])
    assert len(data["mnemonic"].split()) == 24
    assert re.fullmatch(r"0x[0-9a-f]{64}", data["private_key"])
    assert "shown once" in result.stderr and "offline" in result.stderr
    assert data["mnemonic"] not in result.stderr
    assert_no_secret(all_text_under(state), data["mnemonic"], data["private_key"])
    listed = run_json("wallet", "list", state_dir=state)
    assert [(w["chain"], w["address"]) for w in listed] == [("ethereum", data["address"])]
    human = run_cli("wallet", "list", state_dir=state)
    assert data["address"] in human.stdout and data["mnemonic"].split()[0] + " " not in human.stdout


def test_cardano_new_then_restore_from_stdin_gives_the_same_address(tmp_path: Path) -> None:
    state = tmp_path / "state"
    new = run_json(
        "wallet",
        "new",
        "--chain",
        "cardano",
        "--network",
        "testnet",
        "--words",
        "12",
        state_dir=state,
    )
    assert new["address"].startswith("addr_test1") and len(new["mnemonic"].split()) == 12
    restored = run_cli(
        "wallet",
        "restore",
        "--chain",
        "cardano",
        "--network",
        "testnet",
        "--json",
        state_dir=state,
        stdin=new["mnemonic"] + "\n",
    )
    assert restored.returncode == 0, restored.stderr
    data = json.loads(restored.stdout)
    assert data["address"] == new["address"] and data["stake_address"] == new["stake_address"]
    assert "mnemonic" not in data
    assert_no_secret(restored.stdout + restored.stderr, new["mnemonic"], None)
    assert_no_secret(all_text_under(state), new["mnemonic"], new["private_key"])


def test_restore_published_ethereum_vector(tmp_path: Path) -> None:
    result = run_cli(
        "wallet", "restore", "--chain", "ethereum", state_dir=tmp_path / "s", stdin=HARDHAT_MNEMONIC
    )
    assert result.returncode == 0, result.stderr
    assert ETH_ADDRESS in result.stdout
    assert HARDHAT_KEY not in result.stdout
    second = run_cli(
        "wallet",
        "restore",
        "--chain",
        "ethereum",
        "--account",
        "1",
        state_dir=tmp_path / "s",
        stdin=HARDHAT_MNEMONIC,
    )
    assert "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" in second.stdout  # Hardhat account #1


def test_network_with_an_ethereum_wallet_is_said_to_change_nothing(tmp_path: Path) -> None:
    """Found by a QA pass: --network testnet was silently accepted with --chain ethereum,
    as if a testnet wallet had been made."""
    note = (
        "note: --network testnet is ignored: it chooses a Cardano wallet's network, and an "
        "Ethereum address is the same on every network"
    )
    restored = run_cli(
        "wallet", "restore", "--chain", "ethereum", "--network", "testnet",
        state_dir=tmp_path / "s", stdin=HARDHAT_MNEMONIC,
    )  # fmt: skip
    assert restored.returncode == 0 and note in restored.stderr
    assert ETH_ADDRESS in restored.stdout
    made = run_cli("wallet", "new", "--chain", "ethereum", "--network", "testnet",
                   state_dir=tmp_path / "s")  # fmt: skip
    assert made.returncode == 0 and note in made.stderr
    cardano = run_cli("wallet", "new", "--chain", "cardano", "--network", "testnet",
                      state_dir=tmp_path / "s")  # fmt: skip
    assert cardano.returncode == 0 and "ignored" not in cardano.stderr


def test_bad_mnemonic_is_refused_without_echoing_it(tmp_path: Path) -> None:
    bad = "test test test test test test test test test test test test"  # checksum fails
    result = run_cli(
        "wallet", "restore", "--chain", "ethereum", state_dir=tmp_path / "s", stdin=bad
    )
    assert result.returncode == 1
    assert "test test" not in result.stderr and "Traceback" not in result.stderr
    empty = run_cli("wallet", "restore", "--chain", "ethereum", state_dir=tmp_path / "s", stdin="")
    assert empty.returncode == 2 and "no mnemonic" in empty.stderr


def test_mnemonic_on_the_command_line_is_not_echoed(tmp_path: Path) -> None:
    result = run_cli(
        "wallet",
        "restore",
        "--chain",
        "ethereum",
        *HARDHAT_MNEMONIC.split(),
        state_dir=tmp_path / "s",
    )
    assert result.returncode == 2
    assert "junk" not in result.stderr and "never from the command line" in result.stderr


def test_export_ethereum_keystore_with_password_file(tmp_path: Path) -> None:
    state, out = tmp_path / "state", tmp_path / "keys"
    password_file = tmp_path / "pw"
    password_file.write_text("correct horse battery staple\n")
    result = run_cli(
        "wallet",
        "new",
        "--chain",
        "ethereum",
        "--export",
        str(out),
        "--password-file",
        str(password_file),
        "--json",
        state_dir=state,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (keystore,) = out.iterdir()
    assert keystore.stat().st_mode & 0o777 == 0o600
    from eth_account import Account

    key = Account.decrypt(json.loads(keystore.read_text()), "correct horse battery staple")
    assert "0x" + key.hex().removeprefix("0x") == data["private_key"]
    everything = result.stdout + result.stderr + all_text_under(state)
    assert "correct horse" not in everything
    assert run_json("wallet", "list", state_dir=state)[0]["exports"] == [str(keystore)]

    again = run_cli(
        "wallet",
        "restore",
        "--chain",
        "ethereum",
        "--export",
        str(out),
        "--password-file",
        str(password_file),
        state_dir=state,
        stdin=data["mnemonic"],
    )
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert len(list(out.iterdir())) == 1


def test_export_without_a_password_source_is_refused(tmp_path: Path) -> None:
    result = run_cli(
        "wallet",
        "new",
        "--chain",
        "ethereum",
        "--export",
        str(tmp_path / "k"),
        state_dir=tmp_path / "s",
    )
    assert result.returncode == 2 and "--password-file" in result.stderr
    assert not (tmp_path / "k").exists()


def test_export_cardano_keys(tmp_path: Path) -> None:
    out = tmp_path / "keys"
    data = run_json(
        "wallet", "new", "--chain", "cardano", "--export", str(out), state_dir=tmp_path / "s"
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == ["payment.skey", "payment.vkey", "stake.skey", "stake.vkey"]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in out.iterdir())
    from pycardano import Address, Network, PaymentExtendedSigningKey, StakeExtendedSigningKey

    pay = PaymentExtendedSigningKey.load(str(out / "payment.skey"))
    stake = StakeExtendedSigningKey.load(str(out / "stake.skey"))
    address = Address(
        pay.to_verification_key().hash(), stake.to_verification_key().hash(), Network.MAINNET
    )
    assert str(address) == data["address"]


@pytest.mark.parametrize(
    ("address", "extra", "code", "text"),
    [
        (ETH_ADDRESS, [], 0, "Valid    yes"),
        (ETH_ADDRESS.lower(), [], 0, "yes"),
        ("0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266", [], 1, "checksum"),
        (ETH_ADDRESS[:30], [], 1, "length"),
        (CARDANO_MAINNET, ["--channel", "nunet-team"], 0, "mainnet"),
        (CARDANO_TESTNET, ["--channel", "nunet-team"], 0, "testnet"),  # any network, as DMS
        (CARDANO_TESTNET, ["--network", "mainnet"], 0, "testnet"),  # with a warning
        (CARDANO_MAINNET[:-1] + ("q" if CARDANO_MAINNET[-1] != "q" else "p"), [], 1, "checksum"),
        ("garbage", [], 1, "no"),
    ],
)
def test_check(tmp_path: Path, address: str, extra: list[str], code: int, text: str) -> None:
    result = run_cli("wallet", "check", address, *extra, state_dir=tmp_path / "s")
    assert result.returncode == code, result.stdout + result.stderr
    assert text in result.stdout


def test_check_unknown_channel_is_refused_as_in_onboard(tmp_path: Path) -> None:
    """The same bad input, the same exit code: an unknown channel is 1 here and in onboard."""
    result = run_cli("wallet", "check", ETH_ADDRESS, "--channel", "moon", state_dir=tmp_path / "s")
    assert result.returncode == 1 and "nunet-team" in result.stderr
    onboard = run_cli(
        "onboard",
        "-y",
        "-c",
        "1",
        "-m",
        "1",
        "-n",
        "moon",
        "-a",
        ETH_ADDRESS,
        state_dir=tmp_path / "s",
    )
    assert onboard.returncode == 1 and "'moon' is not known" in onboard.stderr


def test_check_warnings_go_to_stderr(tmp_path: Path) -> None:
    result = run_cli(
        "wallet", "check", CARDANO_TESTNET, "--network", "mainnet", state_dir=tmp_path / "s"
    )
    assert result.returncode == 0
    assert "warning: addr_test1... is a testnet address, not mainnet" in result.stderr
    plain = run_cli("wallet", "check", ETH_ADDRESS.lower(), "--json", state_dir=tmp_path / "s")
    assert "no checksum" in json.loads(plain.stdout)["warnings"][0]


def test_wrong_chain_and_word_count_are_usage_errors(tmp_path: Path) -> None:
    chain = run_cli("wallet", "new", "--chain", "bitcoin", state_dir=tmp_path / "s")
    assert chain.returncode == 2 and "ethereum" in chain.stderr and "cardano" in chain.stderr
    words = run_cli(
        "wallet", "new", "--chain", "ethereum", "--words", "13", state_dir=tmp_path / "s"
    )
    assert words.returncode == 2 and "12, 15, 18, 21 or 24" in words.stderr


def test_cli_choices_are_the_wallet_layers() -> None:
    """The CLI keeps its own copies (status builds the parser and must not import wallets)."""
    from app import wallets
    from app.cli import wallet_parser

    assert wallet_parser.WALLET_CHAINS == wallets.CHAINS
    assert wallet_parser.WALLET_NETWORKS == wallets.NETWORKS
    assert wallet_parser.WORD_COUNTS == wallets.WORD_COUNTS


# -- the backup check (issue 9.4, 13.5) ----------------------------------------------


def test_new_wallet_is_recorded_not_checked_and_restore_checks_it(tmp_path: Path) -> None:
    state = tmp_path / "state"
    new = run_cli(
        "wallet", "new", "--chain", "ethereum", "--words", "12", "--json", state_dir=state
    )
    assert new.returncode == 0, new.stderr
    assert "NOT checked" in new.stderr
    data = json.loads(new.stdout)
    listed = run_json("wallet", "list", state_dir=state)
    assert [(w["address"], w["backup_checked"]) for w in listed] == [(data["address"], False)]
    table = run_cli("wallet", "list", state_dir=state).stdout
    assert "NOT checked" in table and data["address"] in table

    restored = run_cli(
        "wallet", "restore", "--chain", "ethereum", state_dir=state, stdin=data["mnemonic"]
    )
    assert restored.returncode == 0, restored.stderr
    listed = run_json("wallet", "list", state_dir=state)
    assert [(w["address"], w["backup_checked"]) for w in listed] == [(data["address"], True)]


def test_confirm_backup_without_a_terminal_is_refused_before_anything_is_made(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    result = run_cli("wallet", "new", "--chain", "ethereum", "--confirm-backup", state_dir=state)
    assert result.returncode == 2
    assert "--confirm-backup" in result.stderr and "terminal" in result.stderr
    assert not (state / "state.json").exists()


def _answer_word_prompts(child: PtyChild, words: list[str], answer: Callable[[str], str]) -> None:
    for _ in range(3):
        asked = child.expect(rb"Word #(\d+) \(not shown\): ")
        child.send(answer(words[int(asked.group(1)) - 1]) + "\r")


def _new_wallet_at_terminal(state: Path) -> tuple[PtyChild, list[str]]:
    child = PtyChild(
        "wallet", "new", "--chain", "ethereum", "--words", "12", "--confirm-backup",
        "--state-dir", str(state),
    )  # fmt: skip
    words = child.expect(rb"Mnemonic +([a-z ]+?)\r?\n").group(1).decode().split()
    assert len(words) == 12
    child.expect(rb"once the words are written down; the screen is then cleared")
    before = len(child.output)
    child.send("\r")  # written down
    child.read_until(b"Word #")
    # The screen (and its scrollback) was cleared after the words and before the question.
    asked_at = child.output.index(b"Word #")
    assert b"\x1b[H\x1b[2J\x1b[3J" in bytes(child.output[before:asked_at])
    return child, words


@pytest.mark.slow
def test_confirm_backup_at_a_terminal_marks_the_wallet_checked(tmp_path: Path) -> None:
    state = tmp_path / "state"
    child, words = _new_wallet_at_terminal(state)
    try:
        _answer_word_prompts(child, words, lambda word: word)
        assert child.wait() == 0, bytes(child.output)
    finally:
        child.close()
    assert b"Backup checked" in child.output
    listed = run_json("wallet", "list", state_dir=state)
    assert [w["backup_checked"] for w in listed] == [True]


@pytest.mark.slow
def test_confirm_backup_refuses_near_misses_and_leaves_the_wallet_unchecked(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    near_misses: list[Callable[[str], str]] = [
        lambda word: "",  # blank
        lambda word: word[:3],  # a prefix: "aba" for "abandon"
        lambda word: word.capitalize(),  # another case
        lambda word: f" {word} ",  # spaces around it
        lambda word: word + "x",
        lambda word: word.upper(),
        *[lambda word: word[:-1]] * 3,
    ]
    child, words = _new_wallet_at_terminal(state)
    try:
        for miss in near_misses:  # three rounds of three words, every one a near miss
            asked = child.expect(rb"Word #(\d+) \(not shown\): ")
            child.send(miss(words[int(asked.group(1)) - 1]) + "\r")
        assert child.wait() == 1
    finally:
        child.close()
    for reason in (b"is empty", b"does not match", b"lower case", b"spaces around it"):
        assert reason in child.output
    assert b"NOT checked" in child.output and b"Backup checked" not in child.output
    listed = run_json("wallet", "list", state_dir=state)
    assert [w["backup_checked"] for w in listed] == [False]


def test_an_unchecked_wallet_in_an_offer_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    state = tmp_path / "state"
    address = run_json("wallet", "new", "--chain", "ethereum", "--words", "12", state_dir=state)[
        "address"
    ]
    machine = json.loads(run_cli("capacity", "--json").stdout)
    cpu, memory = str(-(-machine["cpu"] // 10)), str(-(-machine["memory"] // 10))
    done = run_cli(
        "onboard", "-c", cpu, "-m", memory, "-n", "nunet-test", "-a", address, "--yes",
        state_dir=state,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "never checked" in done.stderr and address in done.stderr
    checked = run_cli("onboard", "-c", cpu, "-m", memory, "-n", "nunet-test", "-a", ETH_ADDRESS,
                      "--yes", state_dir=tmp_path / "other")  # fmt: skip
    assert checked.returncode == 0 and "never checked" not in checked.stderr
