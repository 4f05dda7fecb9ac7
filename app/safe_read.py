"""Reading a file the safe way: never blocking, never through a planted link, never too much.

Every file nunet-onboard reads (the state, DMS's metadata, the config file, an offer,
a password or passphrase file) could be something else by mistake or by malice: a
FIFO, where a plain ``open`` waits for a writer for ever; a device such as
``/dev/zero``, which a plain ``read()`` follows until memory runs out; a symbolic
link that another user planted for root to follow; or a file another user wrote in a
shared directory. So a file is opened with ``O_NONBLOCK`` (opening a FIFO returns at
once), ``O_NOFOLLOW`` where its last component must not be a link, checked with
``fstat`` on the open descriptor (a regular file, and where asked, owned by the
effective user), and read up to a stated cap. Each refusal is one ``Refused`` error
whose text names the file and the rule.

On ``status``'s path: ``os`` and ``stat`` only (no pathlib, no typing at run time).
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, AnyStr

KIB = 1024

_KINDS = (
    (stat.S_ISLNK, "a symbolic link (not followed)"),  # lstat's answer: offboard's
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Refused(OSError):
    """A file that is not read, and why, in a person's words (the text names the file).

    An ``OSError`` so that every caller that already turns an unreadable file into its
    own message (``except OSError``) keeps doing so; ``errno`` is None, so nothing
    mistakes it for a system error code.
    """

    def __init__(self, message: str, mode: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mode = mode
        """The file's ``st_mode`` when it is refused for not being a regular file."""

    def __str__(self) -> str:
        return self.message


class TooLarge(Refused):
    """The file is over the cap; ``size`` is what ``fstat`` said (0 for a stream)."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


def size_text(cap: int) -> str:
    """A cap as a person reads it: 64 KiB, 8 MiB, 512 bytes."""
    if cap % (KIB * KIB) == 0:
        return f"{cap // (KIB * KIB)} MiB"
    if cap % KIB == 0:
        return f"{cap // KIB} KiB"
    return f"{cap} bytes"


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def read_file(
    path: str,
    cap: int,
    *,
    what: str,
    shown: str | None = None,
    follow: bool = False,
    own: bool = False,
) -> bytes:
    """The whole of the regular file ``path``, at most ``cap`` bytes.

    ``what`` names the file in messages ("the config file"), ``shown`` is how the path
    is written there (default: the path itself; the CLI passes a shortened one).
    ``follow`` lets the last component be a symbolic link (a file the user named);
    ``own`` refuses a file the effective user does not own. Raises
    ``FileNotFoundError`` when absent, ``Refused`` (``TooLarge``) for a file that is
    not read, and ``OSError`` for anything else the system says.
    """
    label = f"{what} {path if shown is None else shown}"
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)  # a link where none may be: OSError ELOOP, as the system says
    try:
        st = os.fstat(fd)
        _check(st, label, cap, own=own)
        return _read_fd(fd, cap, label)
    finally:
        os.close(fd)


def _check(st: os.stat_result, label: str, cap: int, *, own: bool) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise Refused(
            f"{label} is {kind_of(st.st_mode)}; nunet-onboard reads only a regular file",
            st.st_mode,
        )
    if own and st.st_uid != os.geteuid():
        raise Refused(
            f"{label} belongs to user {st.st_uid}, not to you (user {os.geteuid()}), and "
            "nunet-onboard does not believe a file another user wrote"
        )
    if st.st_size > cap:
        raise TooLarge(_too_large(label, cap), st.st_size)


def _too_large(label: str, cap: int) -> str:
    return f"{label} is larger than {size_text(cap)}"


def _read_fd(fd: int, cap: int, label: str) -> bytes:
    """Up to ``cap`` bytes; a file that grew past the cap since ``fstat`` is refused."""
    chunks = []
    left = cap + 1
    while left > 0:
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except BlockingIOError:  # O_NONBLOCK on a regular file never blocks; be sure
            break
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    data = b"".join(chunks)
    if len(data) > cap:
        raise TooLarge(_too_large(label, cap), len(data))
    return data


def read_stream(stream: IO[AnyStr], cap: int, *, what: str) -> AnyStr:
    """Up to ``cap`` bytes (characters, for a text stream) of an open stream (stdin);
    more is refused, unread.

    A pipe or a terminal is what stdin is meant to be, so it may block until its
    writer ends; what it may not do is fill memory.
    """
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise TooLarge(_too_large(what, cap), 0)
    return data
