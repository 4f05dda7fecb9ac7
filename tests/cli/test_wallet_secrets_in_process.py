"""Secrets read from files and stdin, and a new wallet's words written to stdout, in this
process: every refusal's words, and nothing recorded when the words were not shown.

The subprocess tests (test_cli_wallet_words_reach.py, test_cli_hostile_files.py) are the
user's view; these run ``app.cli.main`` here, on real files, FIFOs, pipes and
``/dev/full``, so that mutation testing sees which lines a test reaches.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from app.cli.wallet_words import MNEMONIC_STDIN_BYTES, SECRET_FILE_BYTES
from tests.cli.helpers import main_cli, main_json

Capsys = pytest.CaptureFixture[str]
HARDHAT_MNEMONIC = "test test test test test test test test test test test junk"
ERROR = "nunet-onboard: error: "
NOT_SHOWN = (
    "the new wallet's words could not be shown ({why}), so it was not recorded and no key "
    "file was left; run the command again with stdout on a terminal or a file"
)


def restore_with_passphrase(capsys: Capsys, state: str, phrase: Path) -> tuple[int, str]:
    argv = ["wallet", "restore", "--chain", "ethereum", "--passphrase-file", str(phrase)]
    code, _, err = main_cli(capsys, *argv, "--state-dir", state)
    return code, err


def test_a_passphrase_file_named_through_a_symbolic_link_is_read(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    """The user named the link: it is followed (only a file the tool finds itself is not)."""
    (tmp_path / "phrase").write_text("a passphrase\n")
    (tmp_path / "link").symlink_to(tmp_path / "phrase")
    argv = ["wallet", "restore", "--chain", "ethereum", "--passphrase-file"]
    addresses = []
    for name in ("phrase", "link"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
        data = main_json(capsys, *argv, str(tmp_path / name), "--state-dir", state)
        addresses.append(data["address"])
    assert addresses[0] == addresses[1]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    yield path


@pytest.mark.parametrize(
    ("kind", "said"),
    [("fifo", "a FIFO (named pipe)"), ("dir", "a directory"), ("/dev/zero", "a character device")],
)
def test_a_passphrase_file_that_is_not_a_regular_file_is_refused_by_its_kind(
    capsys: Capsys, state: str, tmp_path: Path, fifo: Path, kind: str, said: str
) -> None:
    path = {"fifo": fifo, "dir": tmp_path, "/dev/zero": Path("/dev/zero")}[kind]
    code, err = restore_with_passphrase(capsys, state, path)
    assert code == 2
    assert err == f"{ERROR}cannot read the passphrase file given ({said}); give a regular file\n"
    assert str(path) not in err


def test_a_passphrase_file_over_its_cap_is_refused_not_cut(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, tmp_path: Path
) -> None:
    phrase = tmp_path / "phrase"
    phrase.write_bytes(b"x" * (SECRET_FILE_BYTES + 1))
    code, err = restore_with_passphrase(capsys, state, phrase)
    assert code == 2
    assert err == (
        f"{ERROR}cannot read the passphrase file given (over 64 KiB); it holds one line\n"
    )
    phrase.write_bytes(b"x" * SECRET_FILE_BYTES)  # at the cap: taken
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARDHAT_MNEMONIC))
    assert restore_with_passphrase(capsys, state, phrase) == (0, "")


def restore_from(capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, stdin: object) -> str:
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = main_cli(
        capsys, "wallet", "restore", "--chain", "ethereum", "--state-dir", state
    )
    assert code == 2 and out == ""
    return err


def bytes_stdin(data: bytes) -> io.TextIOWrapper:
    """A real stdin's shape: text on top, bytes in ``.buffer``."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_a_mnemonic_on_stdin_is_read_as_bytes_and_decoded_as_utf8(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    monkeypatch.setattr(sys, "stdin", bytes_stdin(HARDHAT_MNEMONIC.encode() + b"\n"))
    data = main_json(capsys, "wallet", "restore", "--chain", "ethereum", "--state-dir", state)
    assert data["address"] == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_stdin_that_is_not_utf8_restores_nothing(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    err = restore_from(capsys, monkeypatch, state, bytes_stdin(b"test \xff\xfe junk\n"))
    assert err == f"{ERROR}stdin is not UTF-8 text; nothing was restored\n"
    assert main_json(capsys, "wallet", "list", "--state-dir", state) == []


def test_stdin_over_its_cap_restores_nothing(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    err = restore_from(capsys, monkeypatch, state, bytes_stdin(b"word " * MNEMONIC_STDIN_BYTES))
    assert err == (
        f"{ERROR}stdin holds more than 16 KiB, far more than a mnemonic; nothing was restored\n"
    )


def test_no_stdin_at_all_is_no_mnemonic(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    err = restore_from(capsys, monkeypatch, state, None)
    assert err == (f"{ERROR}no mnemonic was given: type it at the prompt or pipe it on stdin\n")


# -- the new wallet's words -------------------------------------------------------------------


def closed_stdout() -> io.StringIO:
    stream = io.StringIO()
    stream.close()
    return stream


def gone_reader_stdout() -> io.TextIOWrapper:
    """A pipe whose reader has gone: writing raises BrokenPipeError (SIGPIPE is ignored)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return open(write_end, "w", encoding="utf-8")


@pytest.mark.parametrize(
    ("stdout", "why"),
    [
        ("/dev/full", "writing to stdout failed: No space left on device"),
        ("closed", "writing to stdout failed: closed"),
        ("gone", "the program reading stdout has gone"),
        ("none", "stdout is closed"),
    ],
)
@pytest.mark.parametrize("chain", ["ethereum", "cardano"])
def test_a_wallet_whose_words_cannot_be_written_is_not_recorded(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    tmp_path: Path,
    stdout: str,
    why: str,
    chain: str,
) -> None:
    streams: dict[str, Callable[[], IO[str] | None]] = {
        "/dev/full": lambda: open("/dev/full", "w", encoding="utf-8"),  # noqa: SIM115
        "closed": closed_stdout,
        "gone": gone_reader_stdout,
        "none": lambda: None,
    }
    stream = streams[stdout]()
    keys = tmp_path / "keys"
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", stream)
        code, _, err = main_cli(
            capsys, "wallet", "new", "--chain", chain, "--state-dir", state,
            *(["--export", str(keys)] if chain == "cardano" else []),
        )  # fmt: skip
    if stream is not None and not stream.closed:
        with contextlib.suppress(OSError):  # /dev/full refuses the buffered rest
            stream.close()
    assert code == 1
    assert err.endswith(f"{ERROR}{NOT_SHOWN.format(why=why)}\n")
    assert main_json(capsys, "wallet", "list", "--state-dir", state) == []
    assert not keys.exists()
