"""Who holds the state lock, as a waiting writer reads it from the lock file: the words
the holder wrote, cut and cleaned so that a garbled or hostile file never reaches the
message whole, and what the holder writes (its program and command, from its argv).
Real lock files in a tmp dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.onboarding.lock import holder_line, read_holder


def holder_of(tmp_path: Path, content: bytes) -> str | None:
    path = tmp_path / ".state.lock"
    path.write_bytes(content)
    fd = os.open(path, os.O_RDONLY)
    try:
        return read_holder(fd)
    finally:
        os.close(fd)


@pytest.mark.parametrize(
    ("content", "holder"),
    [
        (b"1234 nunet-onboard status\n", "process 1234 (nunet-onboard status)"),
        (b"1234\n", "process 1234"),
        (b"1234 caf\xc3\xa9\n", "process 1234 (caf\ufffd\ufffd)"),  # ASCII only, never decoded
        (b"1234 " + b"x" * 70 + b"\n", "process 1234 (" + "x" * 60 + ")"),
        (b"1234 a\x1bb\n", "process 1234 (ab)"),
        (b"pid 1234\n", None),
        (b"\n\n", None),
    ],
    ids=["named", "pid-only", "non-ascii", "long", "control", "not-a-pid", "empty"],
)
def test_the_holder_as_read_from_the_lock_file(
    tmp_path: Path, content: bytes, holder: str | None
) -> None:
    assert holder_of(tmp_path, content) == holder


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["/usr/local/bin/nunet-onboard", "offboard", "--force"], "nunet-onboard offboard"),
        (["/usr/local/bin/nunet-onboard"], "nunet-onboard"),
        ([], "python"),
        ([""], "python"),
        (["/opt/nunet/app/__main__.py", "status"], "nunet-onboard status"),
        (["-c", "status"], "nunet-onboard status"),
        (["/", "status"], "nunet-onboard status"),
        (["nunet-onboard", "-v", "--json", "status"], "nunet-onboard status"),
        (["/usr/bin/" + "n" * 45, "offboard"], "n" * 40 + " offboard"),
    ],
)
def test_the_holder_line_names_the_program_and_its_command(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], words: str
) -> None:
    monkeypatch.setattr(sys, "argv", argv)
    assert holder_line() == f"{os.getpid()} {words}"
