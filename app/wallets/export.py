"""Writing key material to disk: an Ethereum V3 keystore, cardano-cli key envelopes.

Every file is created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600: never over
an existing file, never through a symlink planted by someone else, never readable by
other users (pycardano's own ``.save()`` writes 0644).  All targets are checked before
the first byte is written and any file written by a failed export is removed again, so
an export either happens completely or leaves nothing behind.

The scrypt keystore (eth-account's default, n=2**18) costs about a second and ~256 MB
of memory by design: run it in a worker thread, and use ``kdf="pbkdf2"`` with few
``iterations`` only in tests.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from app.paths import make_private_dirs
from app.safe_read import read_file
from app.wallets.errors import WalletError
from app.wallets.model import NewWallet

KDFS: Final = ("scrypt", "pbkdf2")
CARDANO_KEY_FILES: Final = ("payment.skey", "payment.vkey", "stake.skey", "stake.vkey")
MAX_KEYSTORE_BYTES: Final = 1 << 20
"""A V3 keystore is under 1 KB; a bigger file (or a FIFO, a device) is not one."""
_FLAGS: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def absolute_directory(directory: Path | str) -> Path:
    """``directory`` with ``~`` expanded, made absolute against the current directory.

    Key files are recorded and shown by this path, so that ``wallet list`` (and the
    app) name the same files from wherever they run. Symlinks are kept as given.
    """
    return Path(os.path.abspath(Path(directory).expanduser()))


def check_export_target(chain: str, directory: Path | str) -> Path:
    """Refuse an export to ``directory`` that would fail, before any wallet is made.

    What can be known without the wallet: the path is a directory or can be made
    one, it can be written to, and (Cardano, whose file names are fixed) none of the
    key files is there yet. Nothing is created. Returns the absolute directory.
    """
    directory = absolute_directory(directory)
    if os.path.lexists(directory) and not directory.is_dir():
        raise WalletError(f"{directory} exists and is not a directory")
    existing = directory
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        raise WalletError(f"cannot create {directory}: {existing} is not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise WalletError(f"cannot write to {existing}: permission denied")
    if chain == "cardano" and existing == directory:
        _refuse_existing(directory / name for name in CARDANO_KEY_FILES)
    return directory


def _prepare_directory(directory: Path) -> Path:
    """Create ``directory`` 0700 if missing; refuse a path that is not a directory."""
    directory = absolute_directory(directory)
    if directory.exists() and not directory.is_dir():
        raise WalletError(f"{directory} exists and is not a directory")
    try:
        make_private_dirs(directory)  # its parents too: 0700 under any umask
    except OSError as exc:
        raise WalletError(f"cannot create {directory}: {exc.strerror}") from None
    return directory


def _refuse_existing(paths: Iterable[Path]) -> None:
    existing = [p for p in paths if os.path.lexists(p)]
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise WalletError(f"refusing to overwrite existing key file(s): {names}")


def _write_exclusive(path: Path, content: str) -> None:
    """Create ``path`` 0600 with ``content``; fail if anything is already there."""
    try:
        fd = os.open(path, _FLAGS, 0o600)
    except FileExistsError:
        raise WalletError(f"refusing to overwrite existing key file: {path}") from None
    except OSError as exc:
        raise WalletError(f"cannot create {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)  # umask can only remove bits; be explicit anyway
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            fd = -1
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        if fd != -1:
            os.close(fd)
        path.unlink(missing_ok=True)
        raise


BeforeWrite = Callable[[dict[Path, str]], None]
"""Told each file and its content just before the first is written (the controller
notes them, so that the files of a wallet a crash left unrecorded can be removed)."""


def _write_all(files: dict[Path, str], before_write: BeforeWrite | None = None) -> list[Path]:
    """Write every file or none: check all targets first, roll back on any failure."""
    _refuse_existing(files)
    if before_write is not None:
        before_write(files)
    written: list[Path] = []
    try:
        for path, content in files.items():
            _write_exclusive(path, content)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def keystore_name(address: str, when: datetime | None = None) -> str:
    """geth's keystore file name: ``UTC--<ISO time with '-' for ':'>--<address>.json``."""
    when = (when or datetime.now(UTC)).astimezone(UTC)
    stamp = when.strftime("%Y-%m-%dT%H-%M-%S.") + f"{when.microsecond:06d}000Z"
    return f"UTC--{stamp}--{address.lower().removeprefix('0x')}.json"


def _key_bytes(private_key: str) -> bytes:
    failed = False
    key = b""
    try:
        key = bytes.fromhex(private_key.removeprefix("0x"))
    except ValueError:
        failed = True
    if failed or len(key) != 32:
        raise WalletError("the wallet's private key is not 32 bytes of hex")
    return key


def export_ethereum_keystore(
    wallet: NewWallet,
    directory: Path,
    password: str,
    *,
    kdf: str = "scrypt",
    iterations: int | None = None,
    before_write: BeforeWrite | None = None,
) -> Path:
    """Encrypt the wallet's key into a V3 keystore in ``directory`` and return its path.

    The file is readable by eth-account's ``Account.decrypt``, geth, MetaMask and other
    wallets.  A keystore for the same address already in ``directory`` is refused, so a
    second export to the same place never silently multiplies key files.  ``iterations``
    overrides the KDF's work factor (scrypt n, or pbkdf2 rounds): for tests only.
    """
    if wallet.chain != "ethereum" or not wallet.private_key:
        raise WalletError("an Ethereum keystore needs an Ethereum wallet with its private key")
    if kdf not in KDFS:
        raise WalletError(f"invalid kdf {kdf!r}: choose one of {', '.join(KDFS)}")
    if not isinstance(password, str) or not password:
        raise WalletError("an empty password would leave the keystore unprotected")
    directory = _prepare_directory(directory)
    suffix = f"--{wallet.address.lower().removeprefix('0x')}.json"
    clash = sorted(p.name for p in directory.glob("UTC--*") if p.name.endswith(suffix))
    if clash:
        raise WalletError(
            f"refusing to export again: {directory} already holds a keystore for "
            f"{wallet.address} ({clash[0]})"
        )

    from eth_account import Account

    kdf_name: Literal["scrypt", "pbkdf2"] = "scrypt" if kdf == "scrypt" else "pbkdf2"
    key = _key_bytes(wallet.private_key)  # its own message, not eth-account's below
    failed = False
    keystore: dict[str, Any] = {}
    try:
        keystore = dict(Account.encrypt(key, password, kdf=kdf_name, iterations=iterations))
    except (ValueError, TypeError):
        failed = True
    if failed:  # outside the except block: no traceback chained to the key
        raise WalletError("eth-account could not encrypt this wallet's key")
    if f"0x{keystore.get('address', '')}".lower() != wallet.address.lower():
        raise WalletError("the wallet's private key does not give its address; nothing exported")
    path = directory / keystore_name(wallet.address)
    _write_all({path: json.dumps(keystore) + "\n"}, before_write)
    return path


def verify_ethereum_keystore(path: Path, password: str) -> str:
    """Decrypt a keystore to prove the password; return its EIP-55 address.

    A wrong password or a damaged file raises WalletError naming neither the password
    nor the key.
    """
    try:
        raw = read_file(str(path), MAX_KEYSTORE_BYTES, what="the keystore", follow=True)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        raise WalletError(f"{path} is not a readable keystore file") from None

    from eth_account import Account

    key = b""
    try:
        key = bytes(Account.decrypt(data, password))
    except (ValueError, TypeError, KeyError):
        key = b""
    if not key:
        raise WalletError(f"cannot decrypt {path}: wrong password or damaged keystore")
    return str(Account.from_key(key).address)


def export_cardano_keys(
    wallet: NewWallet, directory: Path, before_write: BeforeWrite | None = None
) -> list[Path]:
    """Write payment.skey/.vkey and stake.skey/.vkey (cardano-cli text envelopes).

    The envelopes are the extended BIP32-Ed25519 ones cardano-cli and pycardano read
    (``PaymentExtendedSigningKeyShelley_ed25519_bip32`` ...).  The signing keys are not
    encrypted (cardano-cli has no encrypted format); they are protected by 0600 only.
    If any of the four files exists already, nothing is written.
    """
    from app.wallets.cardano import key_envelopes

    directory = _prepare_directory(directory)
    targets = [directory / name for name in CARDANO_KEY_FILES]
    _refuse_existing(targets)
    envelopes = key_envelopes(wallet)
    files = {
        directory / name: json.dumps(envelopes[name], indent=4) + "\n" for name in CARDANO_KEY_FILES
    }
    return _write_all(files, before_write)
