"""wallet new/restore --export: everything is checked before the wallet is made, and the
wallet is recorded only once its key files are written; paths are stored absolute; the
network of a new Cardano wallet follows the node's channel; Ctrl-D at a prompt cancels.

In this process through ``app.cli.main(argv)`` on a real state directory with the real
wallet libraries, and in a real pseudo-terminal for the prompts' end of input.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import REPO, main_cli, main_json, run_json, smallest_offer
from tests.pty_child import PtyChild

Capsys = pytest.CaptureFixture[str]
HARDHAT_MNEMONIC = "test test test test test test test test test test test junk"


def recorded(capsys: Capsys, state: str) -> list[dict[str, Any]]:
    """The wallets ``wallet list`` shows, and no wallet action in the history."""
    listed: list[dict[str, Any]] = main_json(capsys, "wallet", "list", "--state-dir", state)
    state_file = Path(state) / "state.json"
    if state_file.exists():
        history = json.loads(state_file.read_text())["history"]
        actions = [h["action"] for h in history]
        if not listed:
            assert not [a for a in actions if a.startswith("wallet-")], actions
    return listed


# -- bug: a failed export recorded the wallet and never showed its words -------------------


@pytest.mark.parametrize("content", [b"", b"\n", None])
def test_a_password_file_that_cannot_be_used_makes_no_wallet(
    capsys: Capsys, state: str, tmp_path: Path, content: bytes | None
) -> None:
    pw = tmp_path / "pw"
    if content is None:
        pw.mkdir()  # a directory given as the file
    else:
        pw.write_bytes(content)
    code, out, _ = main_cli(
        capsys, "wallet", "new", "--chain", "ethereum", "--export", str(tmp_path / "k"),
        "--password-file", str(pw), "--state-dir", state,
    )  # fmt: skip
    assert code == 2 and out == ""
    assert recorded(capsys, state) == []
    assert not (tmp_path / "k").exists()


# -- bug: the 8-character minimum held at the password prompt, not for --password-file ----

SHORT_PASSWORD_FILE = (
    "nunet-onboard: error: the password from --password-file is too short: "
    "8 characters or more are needed; {outcome}\n"
)
OUTCOME = {"new": "no wallet was made", "restore": "nothing was restored"}


@pytest.mark.parametrize("command", ["new", "restore"])
@pytest.mark.parametrize(
    "content",
    [
        b"short12\n",  # 7 characters: the line end is not one
        b"short12\r\n",
        b"short12",
        "\u00e9t\u00e9 \u00e9t\u00e9\n".encode(),  # 7 characters in 10 bytes: characters count
    ],
)
def test_a_password_file_below_the_minimum_makes_no_wallet(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    tmp_path: Path,
    command: str,
    content: bytes,
) -> None:
    """One rule, typed or from a file: refused before the wallet is made (or the mnemonic
    read), with nothing recorded or written, and the password in no message or log."""
    pw = tmp_path / "pw"
    pw.write_bytes(content)
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    code, out, err = main_cli(
        capsys, "wallet", command, "--chain", "ethereum", "--export", str(tmp_path / "k"),
        "--password-file", str(pw), "--state-dir", state,
    )  # fmt: skip
    assert (code, out, err) == (2, "", SHORT_PASSWORD_FILE.format(outcome=OUTCOME[command]))
    assert sys.stdin.read() == HARDHAT_MNEMONIC  # refused before the mnemonic was read
    assert recorded(capsys, state) == []
    assert not (tmp_path / "k").exists()
    password = content.decode().rstrip("\r\n")
    logged = "".join(p.read_text() for p in Path(state).rglob("*") if p.is_file())
    assert password not in logged


def test_a_password_file_of_exactly_the_minimum_is_taken(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    """8 characters and a CRLF line end: the line end is left out, as it always was."""
    pw = tmp_path / "pw"
    pw.write_bytes(b"exactly8\r\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    keys = tmp_path / "k"
    restored = main_json(
        capsys, "wallet", "restore", "--chain", "ethereum", "--export", str(keys),
        "--password-file", str(pw), "--state-dir", state,
    )  # fmt: skip
    (keystore,) = keys.iterdir()
    assert restored["exported"] == [str(keystore)]
    from eth_account import Account

    key = Account.decrypt(json.loads(keystore.read_text()), "exactly8")
    assert Account.from_key(key).address == restored["address"]


@pytest.mark.parametrize("chain", ["ethereum", "cardano"])
def test_export_to_a_plain_file_makes_no_wallet(
    capsys: Capsys, state: str, tmp_path: Path, chain: str
) -> None:
    target = tmp_path / "k"
    target.write_text("not a directory\n")
    pw = tmp_path / "pw"
    pw.write_text("long enough password\n")
    code, out, err = main_cli(
        capsys, "wallet", "new", "--chain", chain, "--export", str(target),
        *(["--password-file", str(pw)] if chain == "ethereum" else []), "--state-dir", state,
    )  # fmt: skip
    assert code == 1 and out == ""
    assert err == (
        f"nunet-onboard: error: --export: {target} exists and is not a directory; "
        "no wallet was made\n"
    )
    assert recorded(capsys, state) == []
    assert target.read_text() == "not a directory\n"


def test_export_below_a_plain_file_makes_no_wallet(
    capsys: Capsys, state: str, tmp_path: Path
) -> None:
    (tmp_path / "f").write_text("x")
    code, _, err = main_cli(
        capsys, "wallet", "new", "--chain", "cardano", "--export", str(tmp_path / "f" / "keys"),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 1
    assert f"--export: cannot create {tmp_path / 'f' / 'keys'}: {tmp_path / 'f'} is not" in err
    assert recorded(capsys, state) == []


def test_a_second_cardano_export_to_the_same_place_makes_no_wallet(
    capsys: Capsys, state: str, tmp_path: Path
) -> None:
    keys = tmp_path / "kd"
    first = main_json(
        capsys, "wallet", "new", "--chain", "cardano", "--words", "12", "--export", str(keys),
        "--state-dir", state,
    )  # fmt: skip
    before = {p.name: p.read_bytes() for p in keys.iterdir()}
    code, out, err = main_cli(
        capsys, "wallet", "new", "--chain", "cardano", "--words", "12", "--export", str(keys),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 1 and out == ""
    assert "--export: refusing to overwrite existing key file(s)" in err
    assert err.endswith("; no wallet was made\n")
    assert [w["address"] for w in recorded(capsys, state)] == [first["address"]]
    assert {p.name: p.read_bytes() for p in keys.iterdir()} == before


def test_an_export_that_fails_after_the_wallet_is_made_leaves_nothing(
    capsys: Capsys, state: str, tmp_path: Path
) -> None:
    """The target is fine, but the state cannot take the record: that is found before
    any key file is written, the folder is not left, and no words are shown."""
    Path(state).mkdir(mode=0o700)
    (Path(state) / "state.json").write_text("{ not json")
    keys = tmp_path / "new" / "keys"
    code, out, err = main_cli(
        capsys, "wallet", "new", "--chain", "cardano", "--words", "12", "--export", str(keys),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 1 and out == ""
    assert err.startswith("nunet-onboard: error: --export: ")
    assert err.endswith("; no wallet was recorded and no key file was left\n")
    assert not (tmp_path / "new").exists()


def test_restore_with_an_export_that_will_not_do_records_nothing(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    keys = tmp_path / "kd"
    keys.mkdir()
    (keys / "stake.vkey").write_text("someone else's\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    code, out, err = main_cli(
        capsys, "wallet", "restore", "--chain", "cardano", "--export", str(keys),
        "--state-dir", state,
    )  # fmt: skip
    assert code == 1 and out == ""
    assert "refusing to overwrite existing key file(s)" in err
    assert err.endswith("; nothing was restored\n")
    assert recorded(capsys, state) == []
    assert [p.name for p in keys.iterdir()] == ["stake.vkey"]


# -- bug: export paths were stored relative to where the command ran -----------------------


def test_export_paths_are_stored_and_listed_absolute(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    restored = main_json(
        capsys, "wallet", "restore", "--chain", "cardano", "--export", "./keys",
        "--state-dir", state,
    )  # fmt: skip
    expected = sorted(
        str(work / "keys" / n) for n in ("payment.skey", "payment.vkey", "stake.skey", "stake.vkey")
    )
    assert sorted(restored["exported"]) == expected
    stored = json.loads((Path(state) / "state.json").read_text())["wallets"]
    assert sorted(stored[0]["exports"]) == expected
    monkeypatch.chdir(tmp_path)  # listed from elsewhere: the same files
    code, out, _ = main_cli(capsys, "wallet", "list", "--state-dir", state)
    assert code == 0 and str(work / "keys" / "payment.skey") in out


# -- the channel chooses the network of a new Cardano wallet -------------------------------


def test_new_cardano_wallet_takes_the_network_of_the_nodes_channel(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    argv = ["wallet", "new", "--chain", "cardano", "--words", "12", "--state-dir", state]
    assert main_json(capsys, *argv)["network"] == "mainnet"  # not onboarded: mainnet
    offer = smallest_offer(machine, state, "--yes")
    offer[offer.index("nunet-team")] = "nunet-test"
    code, _, err = main_cli(capsys, *offer)
    assert code == 0, err
    code, out, err = main_cli(capsys, *argv, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["network"] == "testnet" and data["address"].startswith("addr_test1")
    assert (
        "nunet-onboard: note: a testnet wallet, as this node's channel uses; --network chooses\n"
        in err
    )
    assert main_json(capsys, *argv, "--network", "mainnet")["network"] == "mainnet"


# -- Ctrl-D at a prompt: cancelled, in words, exit 1, nothing written ----------------------


def _ended_at_prompt(child: PtyChild, prompt: bytes) -> int:
    try:
        child.read_until(prompt)
        child.send("\x04")  # Ctrl-D: end of input
        return child.wait()
    finally:
        child.close()


def _no_traceback_logged(state: Path) -> None:
    log = state / "logs" / "nunet-onboard.log"
    text = log.read_text() if log.exists() else ""
    assert "Traceback" not in text and "EOFError" not in text


@pytest.mark.slow
def test_ctrl_d_at_the_mnemonic_prompt_cancels(tmp_path: Path) -> None:
    state = tmp_path / "state"
    child = PtyChild("wallet", "restore", "--chain", "ethereum", "--state-dir", str(state))
    assert _ended_at_prompt(child, b"Mnemonic (") == 1
    assert b"nunet-onboard: not restored: cancelled at the mnemonic prompt (end of input)" in (
        child.output
    )
    assert b"unexpected" not in child.output and b"Traceback" not in child.output
    assert not (state / "state.json").exists()
    _no_traceback_logged(state)


@pytest.mark.slow
@pytest.mark.parametrize("second", [False, True])
def test_ctrl_d_at_a_keystore_password_prompt_makes_no_wallet(tmp_path: Path, second: bool) -> None:
    state, keys = tmp_path / "state", tmp_path / "keys"
    child = PtyChild(
        "wallet", "new", "--chain", "ethereum", "--export", str(keys), "--state-dir", str(state)
    )
    if second:
        child.read_until(b"Password for the keystore: ")
        child.send("long enough\r")
    prompt = b"Type it again: " if second else b"Password for the keystore: "
    assert _ended_at_prompt(child, prompt) == 1
    assert (
        b"nunet-onboard: no wallet was made: cancelled at the keystore password prompt "
        b"(end of input)" in child.output
    )
    assert b"unexpected" not in child.output and b"Mnemonic" not in child.output
    assert not (state / "state.json").exists() and not keys.exists()
    _no_traceback_logged(state)


@pytest.mark.slow
@pytest.mark.parametrize("written_down", [False, True], ids=["at-enter", "at-a-word"])
def test_ctrl_d_at_a_backup_word_prompt_leaves_the_wallet_not_checked(
    tmp_path: Path, written_down: bool
) -> None:
    """Ctrl-D where the words are awaited, or where Enter is (before the screen is
    cleared of them): the same one message, and the wallet stays recorded unchecked."""
    state = tmp_path / "state"
    child = PtyChild(
        "wallet", "new", "--chain", "ethereum", "--words", "12", "--confirm-backup",
        "--state-dir", str(state),
    )  # fmt: skip
    if written_down:
        child.read_until(b"the screen is then cleared. ")
        child.send("\r")
    assert _ended_at_prompt(child, b"(not shown): " if written_down else b"cleared. ") == 1
    assert b"backup not checked: cancelled at the word prompt (end of input)" in child.output
    assert b"stays recorded as NOT checked" in child.output
    assert b"unexpected" not in child.output
    assert [w["backup_checked"] for w in run_json("wallet", "list", state_dir=state)] == [False]
    _no_traceback_logged(state)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["restore", "--chain", "ethereum"], "no mnemonic was given"),
        (["new", "--chain", "ethereum", "--confirm-backup"], "--confirm-backup asks for words"),
        (["new", "--chain", "ethereum", "--export", "k"], "give --password-file FILE"),
    ],
)
def test_a_closed_stdin_is_no_terminal_not_an_unexpected_error(
    tmp_path: Path, argv: list[str], said: str
) -> None:
    """``<&-`` leaves Python without sys.stdin: each command says what it needs, exit 2."""
    import subprocess

    state = tmp_path / "state"
    command = [sys.executable, "-m", "app", "wallet", *argv, "--state-dir", str(state)]
    result = subprocess.run(
        ["bash", "-c", 'exec "$@" <&-', "-", *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and "unexpected" not in result.stderr
    assert not (state / "state.json").exists()


def test_a_password_file_with_a_cardano_export_is_said_to_be_unread(
    capsys: Capsys, state: str, tmp_path: Path
) -> None:
    """Cardano key files are cardano-cli's plain envelopes (0600): a password given for
    them is not silently taken as protecting them."""
    pw = tmp_path / "pw"
    pw.write_text("long enough\n")
    code, _, err = main_cli(
        capsys, "wallet", "new", "--chain", "cardano", "--export", str(tmp_path / "k"),
        "--password-file", str(pw), "--state-dir", state,
    )  # fmt: skip
    assert code == 0
    assert (
        "nunet-onboard: note: --password-file is not read: Cardano key files are written as "
        "cardano-cli writes them, unencrypted, readable by you alone (0600)\n"
    ) in err
    assert [p.stat().st_mode & 0o777 for p in (tmp_path / "k").iterdir()] == [0o600] * len(
        list((tmp_path / "k").iterdir())
    )
