"""wallet new | restore | check | list in this process: every message, row and exit code.

`app.cli.main(argv)` on a real state directory with the real wallet libraries. The
person at the terminal is a stand-in at the machine's boundary: stdin
(tests.cli.helpers.Terminal) and `getpass.getpass`, answered as a person would from
what the screen shows. Secrets are only ever looked for where they must NOT be
(stderr, the state directory); a new wallet's words are read from stdout, where the
command prints them once by design.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import Terminal, main_cli, main_json
from tests.conftest import CARDANO_MAINNET, CARDANO_TESTNET, ETH_ADDRESS

Capsys = pytest.CaptureFixture[str]
HARDHAT_MNEMONIC = "test test test test test test test test test test test junk"
HARDHAT_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # Hardhat account #1
NOT_CHECKED = (
    "nunet-onboard: the wallet is recorded as NOT checked (its backup was not confirmed). Use "
    "--confirm-backup at a terminal, or restore it from your copy to mark it checked.\n"
)
SHOWN_ONCE = (
    "nunet-onboard: WARNING: the mnemonic and private key below are shown once and are not "
    "stored. Write them down and keep them offline; anyone who has them controls the funds.\n"
)


def no_secret_in(text: str, mnemonic: str) -> bool:
    words = mnemonic.split()
    return all(" ".join(words[i : i + 3]) not in text for i in range(len(words) - 2))


def state_text(state: str) -> str:
    return "\n".join(p.read_text(errors="replace") for p in Path(state).rglob("*") if p.is_file())


class Person:
    """Answers getpass's prompts: from a script of answers, or by a rule on the prompt."""

    def __init__(self, answer: Callable[[str], str]) -> None:
        self.answer = answer
        self.prompts: list[str] = []

    def __call__(self, prompt: str = "Password: ", stream: Any = None) -> str:
        self.prompts.append(prompt)
        return self.answer(prompt)


def at_terminal(monkeypatch: pytest.MonkeyPatch, answer: Callable[[str], str]) -> Person:
    person = Person(answer)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", person)
    return person


def scripted(*answers: str) -> Callable[[str], str]:
    left = list(answers)
    return lambda prompt: left.pop(0)


# -- wallet new --------------------------------------------------------------------------


def test_new_ethereum_table(capsys: Capsys, state: str) -> None:
    code, out, err = main_cli(capsys, "wallet", "new", "--chain", "ethereum", "--state-dir", state)
    assert code == 0
    assert err == SHOWN_ONCE + NOT_CHECKED
    rows = out.splitlines()
    assert rows[0] == "New wallet"
    assert rows[1] == "  Chain        ethereum"
    assert rows[2] == "  Account      0"
    assert re.fullmatch(r"  Address      0x[0-9a-fA-F]{40}", rows[3])
    assert re.fullmatch(r"  Mnemonic     [a-z]+( [a-z]+){23}", rows[4])
    assert re.fullmatch(r"  Private key  0x[0-9a-f]{64}", rows[5])
    assert len(rows) == 6
    mnemonic = rows[4].split(None, 1)[1]
    assert no_secret_in(err + state_text(state), mnemonic)
    listed = main_json(capsys, "wallet", "list", "--state-dir", state)
    assert [(w["chain"], w["address"], w["backup_checked"]) for w in listed] == [
        ("ethereum", rows[3].split()[1], False)
    ]


def test_new_cardano_json_and_table(capsys: Capsys, state: str) -> None:
    argv = ["wallet", "new", "--chain", "cardano", "--network", "testnet", "--words", "12"]
    data = main_json(capsys, *argv, "--state-dir", state)
    assert set(data) >= {"chain", "network", "address", "mnemonic", "private_key", "exported"}
    assert data["chain"] == "cardano" and data["network"] == "testnet"
    assert len(data["mnemonic"].split()) == 12 and data["exported"] == []
    code, out, _ = main_cli(capsys, *argv, "--state-dir", state)
    assert code == 0
    labels = [row.split("  ")[1] for row in out.splitlines()[1:]]
    assert labels == [
        "Chain",
        "Network",
        "Account",
        "Address",
        "Stake address",
        "Mnemonic",
        "Private key",
    ]
    assert "  Network        testnet\n" in out and "  Stake address  stake_test1" in out


@pytest.mark.parametrize("chain", ["ethereum", "cardano"])
def test_confirm_backup_without_a_terminal_makes_nothing(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, chain: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    code, out, err = main_cli(
        capsys, "wallet", "new", "--chain", chain, "--confirm-backup", "--state-dir", state
    )
    assert (code, out) == (2, "")
    assert err == (
        "nunet-onboard: error: --confirm-backup asks for words at a terminal and there is none; "
        "leave it out (the wallet is then recorded as not checked)\n"
    )
    assert not Path(state).exists()


def words_from_screen(capsys: Capsys) -> Callable[[str], str]:
    """A person who reads the mnemonic off the screen and types the word asked for."""
    seen: list[str] = []

    def answer(prompt: str) -> str:
        if not seen:
            seen.append(json.loads(capsys.readouterr().out)["mnemonic"])
            capsys.readouterr()
        asked = re.fullmatch(r"Word #(\d+) \(not shown\): ", prompt)
        assert asked, prompt
        return seen[0].split()[int(asked[1]) - 1]

    return answer


def test_confirm_backup_typed_back_marks_the_wallet_checked(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    person = at_terminal(monkeypatch, words_from_screen(capsys))
    argv = ["wallet", "new", "--chain", "ethereum", "--words", "12", "--confirm-backup"]
    code = main_cli(capsys, *argv, "--json", "--state-dir", state)[0]
    assert code == 0
    numbers = [int(re.findall(r"\d+", p)[0]) for p in person.prompts]
    assert len(numbers) == 3 and numbers == sorted(set(numbers))
    assert all(1 <= n <= 12 for n in numbers)
    listed = main_json(capsys, "wallet", "list", "--state-dir", state)
    assert [w["backup_checked"] for w in listed] == [True]


def test_confirm_backup_tells_how_to_read_and_when_done(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    seen: list[str] = []

    def answer(prompt: str) -> str:
        if not seen:
            out, err = capsys.readouterr()
            seen.append(out)
            seen.append(err)
        words = seen[0].split("Mnemonic", 1)[1].split("\n", 1)[0].split()
        return words[int(re.findall(r"\d+", prompt)[0]) - 1]

    at_terminal(monkeypatch, answer)
    argv = ["wallet", "new", "--chain", "ethereum", "--words", "12", "--confirm-backup"]
    code, _, err = main_cli(capsys, *argv, "--state-dir", state)
    assert code == 0
    assert seen[1] == SHOWN_ONCE + "To check your copy, type these words from your paper.\n"
    assert err == "Backup checked.\n"


def test_confirm_backup_gives_up_after_three_rounds(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    person = at_terminal(monkeypatch, lambda prompt: "wrong")
    argv = ["wallet", "new", "--chain", "ethereum", "--words", "12", "--confirm-backup"]
    code, out, err = main_cli(capsys, *argv, "--json", "--state-dir", state)
    assert code == 1
    assert len(person.prompts) == 9 and person.prompts[:3] == person.prompts[3:6]
    mnemonic = json.loads(out)["mnemonic"]
    lines = err.splitlines()
    assert lines[-1] == (
        "nunet-onboard: the words did not match; the wallet stays recorded as NOT checked. "
        "Restore it from your copy to mark it checked: nunet-onboard wallet restore "
        "--chain ethereum"
    )
    rounds = [line for line in lines if line.startswith("nunet-onboard: word #")]
    assert len(rounds) == 3 and all(line.count("; word #") == 2 for line in rounds), err
    assert "Backup checked." not in err and no_secret_in(err, mnemonic)
    listed = main_json(capsys, "wallet", "list", "--state-dir", state)
    assert [w["backup_checked"] for w in listed] == [False]


def test_confirm_backup_right_in_the_second_round(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    right = words_from_screen(capsys)
    count = [0]

    def answer(prompt: str) -> str:
        count[0] += 1
        word = right(prompt)
        return "wrong" if count[0] <= 3 else word

    person = at_terminal(monkeypatch, answer)
    argv = ["wallet", "new", "--chain", "ethereum", "--words", "12", "--confirm-backup"]
    code, _, err = main_cli(capsys, *argv, "--json", "--state-dir", state)
    assert code == 0 and len(person.prompts) == 6
    assert err.endswith("Backup checked.\n") and err.count("nunet-onboard: word #") == 1


# -- export -------------------------------------------------------------------------------


def test_password_file_without_export_is_bad_usage(
    capsys: Capsys, state: str, tmp_path: Path
) -> None:
    pw = tmp_path / "pw"
    pw.write_text("long enough password\n")
    for command in (["new"], ["restore"]):
        code, _, err = main_cli(
            capsys, "wallet", *command, "--chain", "ethereum", "--password-file", str(pw),
            "--state-dir", state,
        )  # fmt: skip
        assert code == 2
        assert err == "nunet-onboard: error: --password-file is only used with --export DIR\n"


def test_an_encrypted_export_without_a_terminal_needs_a_password_file(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    for command in ("new", "restore"):
        code, _, err = main_cli(
            capsys, "wallet", command, "--chain", "ethereum", "--export", str(tmp_path / "k"),
            "--state-dir", state,
        )  # fmt: skip
        assert code == 2
        assert err == (
            "nunet-onboard: error: an encrypted export needs a password: "
            "give --password-file FILE\n"
        )
    assert not (tmp_path / "k").exists() and not Path(state).exists()


def test_restore_with_export_at_a_terminal_still_needs_a_password_file(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    person = at_terminal(monkeypatch, scripted(HARDHAT_MNEMONIC))
    code, _, err = main_cli(
        capsys, "wallet", "restore", "--chain", "ethereum", "--export", str(tmp_path / "k"),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 2 and person.prompts == []
    assert err == (
        "nunet-onboard: error: with --export, give the keystore password with "
        "--password-file FILE\n"
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "cannot read the password file given (No such file or directory)"),
        (b"\xff\xfe\x00bad", "cannot read the password file given (not text)"),
        (b"", "the password file given is empty"),
        (b"\r\n", "the password file given is empty"),
    ],
)
def test_a_password_file_that_cannot_be_used(
    capsys: Capsys, state: str, tmp_path: Path, content: bytes | None, said: str
) -> None:
    pw = tmp_path / "pw"
    if content is not None:
        pw.write_bytes(content)
    code, _, err = main_cli(
        capsys, "wallet", "new", "--chain", "ethereum", "--export", str(tmp_path / "k"),
        "--password-file", str(pw), "--state-dir", state,
    )  # fmt: skip
    assert code == 2
    assert err.endswith(f"nunet-onboard: error: {said}\n")
    assert str(pw) not in err  # the path is never echoed
    assert not (tmp_path / "k").exists()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            ("short12",),
            "the password is too short: 8 characters or more are needed; no wallet was made",
        ),
        (("long enough 1", "long enough 2"), "the two passwords differ; no wallet was made"),
    ],
)
def test_a_password_typed_at_the_terminal_that_will_not_do(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    tmp_path: Path,
    typed: tuple[str, ...],
    said: str,
) -> None:
    person = at_terminal(monkeypatch, scripted(*typed))
    code, _, err = main_cli(
        capsys, "wallet", "new", "--chain", "ethereum", "--export", str(tmp_path / "k"),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 2 and err == f"nunet-onboard: error: {said}\n"
    assert person.prompts == ["Password for the keystore: ", "Type it again: "][: len(typed)]
    assert not (tmp_path / "k").exists()
    # Asked before the wallet is made: nothing recorded whose words were never shown.
    assert main_json(capsys, "wallet", "list", "--state-dir", state) == []


def test_export_ethereum_with_a_password_typed_twice(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    """The one keystore made here (scrypt, about a second): the password from the prompt."""
    at_terminal(monkeypatch, scripted("exactly8", "exactly8"))
    keys = tmp_path / "keys"
    code, out, _ = main_cli(
        capsys, "wallet", "new", "--chain", "ethereum", "--export", str(keys),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 0
    (keystore,) = keys.iterdir()
    assert f"  Exported     {keystore}\n" in out
    from eth_account import Account

    key = Account.decrypt(json.loads(keystore.read_text()), "exactly8")
    assert f"  Private key  0x{key.hex().removeprefix('0x')}\n" in out
    assert "exactly8" not in out + state_text(state)
    code, out, _ = main_cli(capsys, "wallet", "list", "--state-dir", state)
    assert out.splitlines()[2].endswith(f"  {keystore}")


def test_export_cardano_needs_no_password(capsys: Capsys, state: str, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    data = main_json(
        capsys, "wallet", "new", "--chain", "cardano", "--export", str(keys), "--state-dir", state
    )
    names = sorted(p.name for p in keys.iterdir())
    assert names == ["payment.skey", "payment.vkey", "stake.skey", "stake.vkey"]
    assert sorted(Path(p).name for p in data["exported"]) == names
    listed = main_json(capsys, "wallet", "list", "--state-dir", state)
    assert sorted(listed[0]["exports"]) == sorted(data["exported"])
    code, out, _ = main_cli(capsys, "wallet", "list", "--state-dir", state)
    assert code == 0 and out.splitlines()[2].endswith("  " + ", ".join(listed[0]["exports"]))


# -- wallet restore ----------------------------------------------------------------------------


def test_restore_from_stdin(capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.StringIO("  " + HARDHAT_MNEMONIC.replace(" ", "\n ") + "\n")
    )
    code, out, err = main_cli(
        capsys, "wallet", "restore", "--chain", "ethereum", "--state-dir", state
    )
    assert (code, err) == (0, "")
    assert out == (
        f"Restored wallet\n  Chain    ethereum\n  Account  0\n  Address  {ETH_ADDRESS}\n"
    )
    assert no_secret_in(state_text(state), HARDHAT_MNEMONIC)
    listed = main_json(capsys, "wallet", "list", "--state-dir", state)
    assert [(w["address"], w["backup_checked"]) for w in listed] == [(ETH_ADDRESS, True)]


def test_restore_at_a_terminal_with_an_account(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    person = at_terminal(monkeypatch, scripted(HARDHAT_MNEMONIC))
    data = main_json(
        capsys, "wallet", "restore", "--chain", "ethereum", "--account", "1", "--state-dir", state
    )
    assert person.prompts == ["Mnemonic (words separated by spaces, not shown): "]
    assert data["address"] == HARDHAT_1 and data["account"] == 1 and data["exported"] == []
    assert "mnemonic" not in data and "private_key" not in data


def test_restore_with_a_passphrase_file(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    phrase = tmp_path / "phrase"
    phrase.write_text("a passphrase\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    argv = ["wallet", "restore", "--chain", "ethereum", "--passphrase-file", str(phrase)]
    data = main_json(capsys, *argv, "--state-dir", state)
    assert data["address"] not in (ETH_ADDRESS, HARDHAT_1)  # the passphrase changed the seed
    phrase.write_text("\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    code, _, err = main_cli(capsys, *argv, "--state-dir", state)
    assert code == 2 and err == "nunet-onboard: error: the passphrase file given is empty\n"


@pytest.mark.parametrize("stdin", ["", " \n\t\n"])
def test_restore_without_a_mnemonic(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, stdin: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code, _, err = main_cli(capsys, "wallet", "restore", "--chain", "cardano", "--state-dir", state)
    assert code == 2
    assert err == (
        "nunet-onboard: error: no mnemonic was given: type it at the prompt or pipe it on stdin\n"
    )


def test_restore_cardano_table(capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str) -> None:
    new = main_json(capsys, "wallet", "new", "--chain", "cardano", "--state-dir", state)
    monkeypatch.setattr(sys, "stdin", io.StringIO(new["mnemonic"]))
    code, out, _ = main_cli(capsys, "wallet", "restore", "--chain", "cardano", "--state-dir", state)
    assert code == 0
    assert out == (
        "Restored wallet\n"
        "  Chain          cardano\n"
        "  Network        mainnet\n"
        "  Account        0\n"
        f"  Address        {new['address']}\n"
        f"  Stake address  {new['stake_address']}\n"
    )


# -- wallet check --------------------------------------------------------------------------


def test_check_a_valid_address(capsys: Capsys, state: str) -> None:
    code, out, err = main_cli(capsys, "wallet", "check", ETH_ADDRESS, "--state-dir", state)
    assert (code, err) == (0, "")
    assert out == (
        f"  Address  {ETH_ADDRESS}\n"
        "  Valid    yes\n"
        "  Chain    ethereum\n"
        "  Network  -\n"
        "  Kind     account\n"
    )
    assert main_json(capsys, "wallet", "check", ETH_ADDRESS, "--state-dir", state) == {
        "address": ETH_ADDRESS,
        "valid": True,
        "chain": "ethereum",
        "network": None,
        "kind": "account",
        "reason": None,
        "warnings": [],
    }


def test_check_an_invalid_address(capsys: Capsys, state: str) -> None:
    bad = "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    code, out, _ = main_cli(capsys, "wallet", "check", bad, "--state-dir", state)
    assert code == 1 and "  Valid    no: bad EIP-55 checksum\n" in out
    code, out, _ = main_cli(capsys, "wallet", "check", bad, "--json", "--state-dir", state)
    assert code == 1 and json.loads(out)["reason"] == "bad EIP-55 checksum"


def test_check_warns_on_stderr(capsys: Capsys, state: str) -> None:
    argv = ["wallet", "check", CARDANO_MAINNET, "--network", "testnet", "--state-dir", state]
    code, out, err = main_cli(capsys, *argv)
    assert code == 0 and "  Network  mainnet\n  Kind     payment\n" in out
    assert err == (
        "nunet-onboard: warning: addr1qx2fx... is a mainnet address, not testnet; "
        "check that this is the one meant\n"
    )
    code, out, err = main_cli(capsys, *argv, "--json")
    assert code == 0 and len(json.loads(out)["warnings"]) == 1 and "warning:" in err


@pytest.mark.parametrize("channel", ["nunet-team", "nunet-edge"])
def test_check_for_a_known_channel(capsys: Capsys, state: str, channel: str) -> None:
    argv = ["wallet", "check", CARDANO_TESTNET, "--channel", channel, "--state-dir", state]
    assert main_cli(capsys, *argv)[0] == 0


def test_check_for_an_unknown_channel_is_refused(capsys: Capsys, state: str) -> None:
    argv = ["wallet", "check", ETH_ADDRESS, "--channel", "moon", "--state-dir", state]
    code, out, err = main_cli(capsys, *argv)
    assert (code, out) == (1, "")
    assert err.startswith("nunet-onboard: error: --channel: 'moon' is not known")


# -- wallet list -----------------------------------------------------------------------------


def test_list_with_no_wallets(capsys: Capsys, state: str) -> None:
    code, out, _ = main_cli(capsys, "wallet", "list", "--state-dir", state)
    assert code == 0
    assert out == (
        "No wallets made here yet. Make one with: nunet-onboard wallet new --chain ethereum\n"
    )
    assert main_json(capsys, "wallet", "list", "--state-dir", state) == []


def test_list_table(capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    assert (
        main_cli(capsys, "wallet", "restore", "--chain", "ethereum", "--state-dir", state)[0] == 0
    )
    new = main_json(capsys, "wallet", "new", "--chain", "cardano", "--state-dir", state)
    code, out, _ = main_cli(capsys, "wallet", "list", "--state-dir", state)
    listed = main_json(capsys, "wallet", "list", "--state-dir", state)
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["BACKUP", "CHAIN", "NETWORK", "ADDRESS", "CREATED", "EXPORTED", "TO"]
    assert [set(cell) for cell in rows[1]] == [{"-"}] * 6
    assert rows[2] == ["checked", "ethereum", "-", ETH_ADDRESS, str(listed[0]["created"])]
    assert rows[3] == [
        "NOT",
        "checked",
        "cardano",
        "mainnet",
        new["address"],
        str(listed[1]["created"]),
    ]
    assert [w["backup_checked"] for w in listed] == [True, False]


def hardhat_address(passphrase: str) -> str:
    """The published library's answer, not ours: account 0 of the Hardhat words."""
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    address: str = Account.from_mnemonic(HARDHAT_MNEMONIC, passphrase=passphrase).address
    return address


@pytest.mark.parametrize(
    ("content", "passphrase"),
    [
        ("pass phrase X\n", "pass phrase X"),  # only the line ending is taken off
        ("pass phrase \r\n", "pass phrase "),  # spaces are part of a passphrase
        ("\npass phrase", "\npass phrase"),  # and so is a line before it
        ("a" * 65536, "a" * 65536),  # a secret file of 64 KiB is read whole (more is refused)
    ],
)
def test_a_passphrase_file_is_taken_as_it_is(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    tmp_path: Path,
    content: str,
    passphrase: str,
) -> None:
    phrase = tmp_path / "phrase"
    phrase.write_bytes(content.encode())
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    data = main_json(
        capsys, "wallet", "restore", "--chain", "ethereum", "--passphrase-file", str(phrase),
        "--state-dir", state,
    )  # fmt: skip
    assert data["address"] == hardhat_address(passphrase)


def test_restore_cardano_testnet_with_export(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    new = main_json(
        capsys, "wallet", "new", "--chain", "cardano", "--network", "testnet", "--words", "12",
        "--state-dir", state,
    )  # fmt: skip
    keys = tmp_path / "keys"
    monkeypatch.setattr(sys, "stdin", io.StringIO(new["mnemonic"]))
    code, out, _ = main_cli(
        capsys, "wallet", "restore", "--chain", "cardano", "--network", "testnet",
        "--export", str(keys), "--state-dir", state,
    )  # fmt: skip
    assert code == 0
    assert f"  Address        {new['address']}\n" in out and new["address"].startswith("addr_test")
    exported = [row.split(None, 1)[1] for row in out.splitlines() if row.startswith("  Exported ")]
    assert sorted(Path(p).name for p in exported) == [
        "payment.skey",
        "payment.vkey",
        "stake.skey",
        "stake.vkey",
    ]
    assert all(Path(p).parent == keys and Path(p).exists() for p in exported)
    log = (Path(state) / "logs" / "nunet-onboard.log").read_text()
    assert (
        f" cardano {new['address']}\n" in log
        and f"exported cardano wallet {new['address']} to {keys}" in log
    )


def test_check_with_a_broken_config_is_bad_usage_even_with_a_state_dir(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    """A config file that cannot be read is an error for every command (README)."""
    config = tmp_path / "config.toml"
    config.write_text("state_dir = [\n")
    monkeypatch.setenv("NUNET_ONBOARD_CONFIG", str(config))
    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    assert main_cli(capsys, "wallet", "check", ETH_ADDRESS, "--state-dir", state)[0] == 2
    assert main_cli(capsys, "wallet", "check", ETH_ADDRESS)[0] == 2
    config.write_text("")
    assert main_cli(capsys, "wallet", "check", ETH_ADDRESS, "--state-dir", state)[0] == 0


def test_a_wallet_recorded_by_an_older_version_is_listed_as_not_checked(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    """Records written before backups were checked (and exports recorded) lack both keys."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    assert (
        main_cli(capsys, "wallet", "restore", "--chain", "ethereum", "--state-dir", state)[0] == 0
    )
    file = Path(state) / "state.json"
    data = json.loads(file.read_text())
    for record in data["wallets"]:
        del record["backup_checked"], record["exports"]
    file.write_text(json.dumps(data))
    listed = main_json(capsys, "wallet", "list", "--state-dir", state)
    assert [(w["address"], w["backup_checked"]) for w in listed] == [(ETH_ADDRESS, False)]
    code, out, _ = main_cli(capsys, "wallet", "list", "--state-dir", state)
    assert code == 0
    assert out.splitlines()[2].split() == [
        "NOT",
        "checked",
        "ethereum",
        "-",
        ETH_ADDRESS,
        listed[0]["created"],
    ]


def test_wallet_without_an_action_is_a_usage_error_naming_it(capsys: Capsys) -> None:
    code, out, err = main_cli(capsys, "wallet")
    assert (code, out) == (2, "")
    assert err == (
        "nunet-onboard wallet: error: the following arguments are required: ACTION "
        "(see 'nunet-onboard wallet --help')\n"
    )


@pytest.mark.parametrize(
    ("action", "needed"),
    [
        ("new", "one of the arguments --chain -e/--ethereum -c/--cardano is required"),
        ("restore", "the following arguments are required: --chain"),
    ],
)
def test_a_wallet_without_a_chain_is_a_usage_error_naming_it(
    capsys: Capsys, action: str, needed: str
) -> None:
    code, out, err = main_cli(capsys, "wallet", action)
    assert (code, out) == (2, "")
    assert err == (
        f"nunet-onboard wallet {action}: error: {needed} "
        f"(see 'nunet-onboard wallet {action} --help')\n"
    )
