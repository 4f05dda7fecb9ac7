"""app.safe_read: a file is read without blocking, without a planted link, and only up to its cap."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.safe_read import Refused, TooLarge, read_file, read_stream, size_text

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534


def test_a_regular_file_is_read_whole_up_to_its_cap(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_file(str(path), 100, what="the file") == b"x" * 100


def test_a_file_one_byte_over_its_cap_is_refused_naming_it_and_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 2049)
    with pytest.raises(TooLarge) as err:
        read_file(str(path), 2048, what="the offer file")
    assert str(err.value) == f"the offer file {path} is larger than 2 KiB"
    assert err.value.size == 2049


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """In a child process bounded by a timeout: a regression fails, it does not hang."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code = (
        "import sys\nfrom app.safe_read import Refused, read_file\n"
        "try:\n    read_file(sys.argv[1], 100, what='the file', follow=True)\n"
        "except Refused as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(fifo)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.strip() == (
        f"the file {fifo} is a FIFO (named pipe); nunet-onboard reads only a regular file"
    )


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a character device"), ("/", "a directory")]
)
def test_a_device_or_a_directory_is_refused_before_any_read(path: str, kind: str) -> None:
    with pytest.raises(Refused, match=f"is {kind}; nunet-onboard reads only a regular file"):
        read_file(path, 1 << 20, what="the config file", follow=True)


def test_a_link_is_followed_only_where_the_caller_allows(tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"data")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "target")
    assert read_file(str(link), 10, what="the file", follow=True) == b"data"
    with pytest.raises(OSError, match="symbolic links"):
        read_file(str(link), 10, what="the file")


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_file(str(tmp_path / "absent"), 10, what="the file")


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_file_of_another_user_is_refused_where_ownership_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b"{}")
    os.chown(path, NOBODY, NOBODY)
    assert read_file(str(path), 10, what="the state file") == b"{}"
    with pytest.raises(Refused, match=f"belongs to user {NOBODY}, not to you"):
        read_file(str(path), 10, what="the state file", own=True)


def test_a_stream_is_read_to_its_cap_and_no_further() -> None:
    stream = io.BytesIO(b"y" * 10_000)
    with pytest.raises(TooLarge, match=r"^stdin is larger than 4 KiB$"):
        read_stream(stream, 4096, what="stdin")
    assert stream.tell() == 4097
    assert read_stream(io.BytesIO(b"abc"), 3, what="stdin") == b"abc"
    assert read_stream(io.StringIO("abc"), 3, what="stdin") == "abc"


def test_sizes_are_said_in_the_largest_whole_unit() -> None:
    assert [size_text(n) for n in (8 << 20, 64 << 10, 1000)] == ["8 MiB", "64 KiB", "1000 bytes"]
