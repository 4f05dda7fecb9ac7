"""The rotating log file (the seed's ``init`` loggers) and a secret-scrubbing filter.

Nothing we log holds a secret by design; the filter is the second line of
defence, so that a future log line that carries a private key by mistake is
redacted rather than written to disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import stat
from pathlib import Path

from app.paths import make_private_dirs

LOGGER_NAME = "nunet_onboard"
_HEX_KEY = re.compile(r"(?i)\b(?:0x)?[0-9a-f]{64,}\b")


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every log file, rotated ones included, is created 0600, never opened through a
    link, and must be a regular file.

    A symlink planted in the log directory would otherwise have root append log
    lines to whatever file it points at; a FIFO in the log file's place would hang
    the command at the open until something read it (``O_NONBLOCK``: the open fails
    at once when nothing reads, and one that something reads is refused by fstat).
    """

    def _open(self):  # type: ignore[no-untyped-def]
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(self.baseFilename, flags | os.O_NONBLOCK, 0o600)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(f"{self.baseFilename} is not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "a", encoding=self.encoding)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _HEX_KEY.search(message):
            record.msg = _HEX_KEY.sub("<redacted>", message)
            record.args = None
        return True


def configure_logging(
    log_file: Path,
    *,
    verbose: bool = False,
    level: str = "INFO",
    max_bytes: int = 1_000_000,
    backups: int = 3,
) -> Path | None:
    """Log to ``log_file`` (0600, rotated); with ``verbose`` also to stderr.

    Returns the file in use, or None when it cannot be written (a read-only
    state directory must not stop a read-only command).
    """
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.DEBUG if verbose else getattr(logging, level, logging.INFO))
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    used: Path | None = None
    try:
        make_private_dirs(log_file.parent)
        if log_file.parent.is_symlink():
            raise OSError(f"{log_file.parent} is a symbolic link")
        file_handler = _PrivateRotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
        )
        file_handler.setFormatter(fmt)
        file_handler.addFilter(RedactSecrets())
        logger.addHandler(file_handler)
        used = log_file
    except OSError:
        pass
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        stream.addFilter(RedactSecrets())
        logger.addHandler(stream)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return used
