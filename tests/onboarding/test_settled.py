"""A second look at the state takes the write lock shared, so that a write under way ends
first: it waits a bounded time for a writer, and never for anything else (a missing
lock file, a directory, a link, a FIFO)."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest

from app.onboarding.settled import settled
from tests.conftest import HANG_S


def test_a_free_lock_is_held_shared_for_the_second_look(tmp_path: Path) -> None:
    lock = tmp_path / ".state.lock"
    lock.write_bytes(b"")
    with settled(str(lock)) as held:
        assert held is True
        reader, writer = os.open(lock, os.O_RDONLY), os.open(lock, os.O_RDWR)
        try:  # shared, not exclusive: another reader may share it, a writer may not
            fcntl.flock(reader, fcntl.LOCK_SH | fcntl.LOCK_NB)
            with pytest.raises(BlockingIOError):
                fcntl.flock(writer, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(reader)
            os.close(writer)


def test_a_writer_is_waited_for_until_it_lets_go(tmp_path: Path) -> None:
    lock = tmp_path / ".state.lock"
    lock.write_bytes(b"")
    writer = os.open(lock, os.O_RDWR)
    fcntl.flock(writer, fcntl.LOCK_EX)
    released = threading.Event()

    def let_go() -> None:
        time.sleep(0.2)
        released.set()
        os.close(writer)

    threading.Thread(target=let_go).start()
    with settled(str(lock), wait_s=HANG_S) as held:
        assert held is True and released.is_set()


def test_a_writer_that_does_not_let_go_is_waited_for_a_bounded_time(tmp_path: Path) -> None:
    lock = tmp_path / ".state.lock"
    lock.write_bytes(b"")
    writer = os.open(lock, os.O_RDWR)
    fcntl.flock(writer, fcntl.LOCK_EX)
    try:
        start = time.monotonic()
        with settled(str(lock), wait_s=0.1) as held:
            assert held is False
        assert time.monotonic() - start < HANG_S
    finally:
        os.close(writer)


def test_what_is_not_a_lock_file_is_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "dir.lock").mkdir()
    target = tmp_path / "target"
    target.write_bytes(b"")
    (tmp_path / "link.lock").symlink_to(target)
    os.mkfifo(tmp_path / "fifo.lock")
    for name in ("missing.lock", "dir.lock", "link.lock", "fifo.lock"):
        with settled(str(tmp_path / name), wait_s=HANG_S) as held:
            assert held is False, name
