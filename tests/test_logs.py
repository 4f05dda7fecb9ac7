"""The log file: private, rotated, and scrubbed of anything that looks like a key."""

from __future__ import annotations

import logging
from pathlib import Path

from app.logs import LOGGER_NAME, configure_logging


def test_log_file_is_private_and_redacts_keys(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "nunet-onboard.log"
    assert configure_logging(log_file, max_bytes=10_000, backups=2) == log_file
    logger = logging.getLogger(LOGGER_NAME + ".test")
    key = "0x" + "ab" * 32
    logger.info("oops, a key %s slipped in", key)
    for _ in range(150):  # force a rotation; rotated files are private too
        logger.info("filler line %s", "x" * 40)
    files = sorted(log_file.parent.iterdir())
    assert len(files) >= 2
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600
        assert "ab" * 32 not in path.read_text()
    assert "<redacted>" in "".join(p.read_text() for p in files)


def test_unwritable_log_does_not_stop_the_command(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert configure_logging(blocker / "logs" / "x.log") is None
    logging.getLogger(LOGGER_NAME).info("goes nowhere, raises nothing")
