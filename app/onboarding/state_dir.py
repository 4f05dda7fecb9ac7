"""The state directory's ownership and permissions, and OS errors in a person's words.

A state directory holds a node key, so it must be private to the user who runs
us, the way ssh insists on a private ``~/.ssh``. Two mistakes are refused rather
than "fixed": a shared directory (``--state-dir /tmp`` used to lose its sticky bit
to a chmod 0700) is never chmodded: a sticky one is refused, any other only when
it is ours (we created it, or it holds a file of ours that we own: anyone can plant
a ``.state.lock`` in /tmp); and a directory owned by another user is never used,
since anyone who owns it can plant symlinks in it for root to follow.
"""

from __future__ import annotations

import errno
import os
import stat

from app.onboarding.errors import StateError
from app.paths import make_private_dirs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.onboarding.errors import StrPath

_CHOOSE = "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"


def describe_os_error(exc: OSError, path: StrPath) -> str:
    """What went wrong with ``path``, and what to do, without jargon where we can."""
    code = exc.errno
    if code == errno.EACCES:
        return (
            f"permission denied on {path}: user {os.geteuid()} may not write there; run as "
            f"the user that owns it, or {_CHOOSE}"
        )
    if code == errno.EPERM:
        return (
            f"the system refuses to change {path} even with permission to (the directory may "
            "be immutable, see 'lsattr -d', or protected by a security policy); "
            f"lift that, or {_CHOOSE}"
        )
    if code == errno.EROFS:
        return f"{path} is on a read-only file system; {_CHOOSE}"
    if code == errno.ENOSPC:
        return f"no space left on the device that holds {path}; free some space"
    if code == errno.EDQUOT:
        return f"the disk quota is used up on the device that holds {path}"
    if code == errno.ENOTDIR:
        return f"a part of {path} is a file, not a directory; {_CHOOSE}"
    if code == errno.ELOOP:
        return f"{path} is a symbolic link, which nunet-onboard does not follow; remove it"
    return f"{exc.strerror or exc} ({path})"


def _is_ours(directory: StrPath, own_files: Iterable[str]) -> bool:
    """Whether ``directory`` holds one of ``own_files`` owned by the effective user: in
    a shared directory anyone can plant a ``.state.lock``, which must not make it ours."""
    euid = os.geteuid()
    for name in own_files:
        try:
            if os.lstat(os.path.join(directory, name)).st_uid == euid:
                return True
        except OSError:
            continue
    return False


def _create(directory: StrPath) -> os.stat_result | None:
    """Make the directory 0700 (None), or the stat of one that appeared meanwhile."""
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        return os.stat(directory)
    except FileNotFoundError:  # a parent is missing too: each made 0700, whatever the umask
        try:
            make_private_dirs(directory)
        except OSError as exc:
            raise _cannot_create(directory, exc) from exc
    except OSError as exc:
        raise _cannot_create(directory, exc) from exc
    os.chmod(directory, 0o700)  # the umask may have taken bits off; never adds any
    return None


def _cannot_create(directory: StrPath, exc: OSError) -> StateError:
    return StateError(
        f"cannot create the state directory: {describe_os_error(exc, directory)}", fix=_CHOOSE
    )


def _refusal(directory: StrPath, st: os.stat_result, own_files: Iterable[str]) -> StateError | None:
    """Why an existing ``directory`` (its ``st``) will not be used, or None when it will
    (a directory of ours that others can reach is made private, not refused)."""
    if not stat.S_ISDIR(st.st_mode):
        return StateError(
            f"the state directory {directory} is a file, not a directory; {_CHOOSE} "
            "(or move that file away)",
            fix=_CHOOSE,
        )
    if st.st_uid != os.geteuid():
        return StateError(
            f"the state directory {directory} belongs to user {st.st_uid}, not to you "
            f"(user {os.geteuid()}); nunet-onboard uses only a directory of its own user, "
            f"as ssh does for ~/.ssh: {_CHOOSE}",
            fix=_CHOOSE,
        )
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077 and mode & stat.S_ISVTX:
        return StateError(
            f"the state directory {directory} is open to other users (mode {mode:04o}) and "
            "shared (sticky, as /tmp is): nunet-onboard never makes such a directory "
            f"private, nor uses it; {_CHOOSE}",
            fix=_CHOOSE,
        )
    if mode & 0o077 and not _is_ours(directory, own_files):
        return StateError(
            f"the state directory {directory} is open to other users (mode {mode:04o}) and "
            "holds no nunet-onboard state, so it is left as it is and not used; "
            f"{_CHOOSE}, or make it private yourself (chmod 700)",
            fix=_CHOOSE,
        )
    return None


def unusable(directory: StrPath, own_files: Iterable[str]) -> StateError | None:
    """What the first write would refuse about ``directory``, found without writing, so
    that ``status`` says it before a user fills in a whole form (None: it is usable, or
    does not exist yet and will be made)."""
    try:
        st = os.stat(directory)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _cannot_use(directory, exc)
    return _refusal(directory, st, own_files)


def _cannot_use(directory: StrPath, exc: OSError) -> StateError:
    return StateError(
        f"cannot use the state directory: {describe_os_error(exc, directory)}", fix=_CHOOSE
    )


def ensure_private_dir(directory: StrPath, own_files: Iterable[str]) -> None:
    """Create ``directory`` 0700, or check that an existing one is safe to use.

    An existing directory must be a directory owned by the effective user. It is
    tightened to 0700 only when it holds one of ``own_files`` (so it is ours);
    any other directory that others can reach is refused with the reason.
    """
    try:
        st = os.stat(directory)
    except FileNotFoundError:
        appeared = _create(directory)
        if appeared is None:
            return
        st = appeared
    except OSError as exc:
        raise _cannot_use(directory, exc) from exc
    refused = _refusal(directory, st, own_files)
    if refused is not None:
        raise refused
    if not stat.S_IMODE(st.st_mode) & 0o077:
        return
    try:
        os.chmod(directory, 0o700)
    except OSError as exc:
        raise StateError(
            f"cannot make the state directory private: {describe_os_error(exc, directory)}",
            fix=_CHOOSE,
        ) from exc


def lock_file_problem(lock_path: str) -> StateError | None:
    """Why the lock file cannot be used by any writer (so nothing can be written), or None.

    A directory, a symbolic link (never followed), a FIFO or a device at the lock's
    path makes every write fail; ``offboard --force`` cannot mend it either, since it
    too must write the state. Removing it can: the next write makes a new one.
    """
    try:
        mode = os.lstat(lock_path).st_mode
    except OSError:
        return None  # absent (made by the next write) or unreachable (said elsewhere)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        what, how = "a directory", f"remove that directory (rm -r {lock_path})"
    elif stat.S_ISLNK(mode):
        what, how = "a symbolic link, which nunet-onboard does not follow", f"rm {lock_path}"
    else:
        what, how = "not a regular file", f"rm {lock_path}"
    return StateError(
        f"the lock file {lock_path} is {what}, so no command can write the state "
        "(offboard --force included)",
        fix=f"{how}; the next write makes a new lock file",
    )
