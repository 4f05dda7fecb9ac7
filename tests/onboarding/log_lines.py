"""The lines the controller logs during a block, whatever logging setup an earlier test left.

The CLI and the app set up the "nunet_onboard" logger (its level, propagate=False) for
the whole process, so pytest's caplog, which listens at the root, may see nothing. This
listens on the controller's logger itself and sets its level for the block only.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class _Lines(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == self.level:
            self.lines.append(record.getMessage())


@contextlib.contextmanager
def logged(
    level: int = logging.INFO, name: str = "nunet_onboard.controller"
) -> Iterator[list[str]]:
    """The messages of exactly ``level`` logged by the logger ``name`` in the block."""
    logger = logging.getLogger(name)
    handler = _Lines(level)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
