"""The node identity: an Ed25519 key and its libp2p peer id (``12D3KooW...``).

The peer id is what DMS calls ``node_id``: the identity multihash of the
protobuf-encoded public key (``KeyType Ed25519 = 1``), in base58btc. The key
file is PKCS#8 PEM, created 0600 with ``O_EXCL`` so an existing identity is
never overwritten by accident, and never read through a symbolic link.

An identity is a key that loads: a 0-byte or garbled ``node.key`` is not one.
The state file is the commit point: the key is written before the state names it
and removed after the state stops naming it, so a key the state does not name is
a leftover of an interrupted write, which the next onboard replaces. ``identity_exists`` checks
the PEM's exact Ed25519 PKCS#8 structure with the standard library alone, since
``status`` calls it and cannot afford to import ``cryptography``.
"""

from __future__ import annotations

import binascii
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.onboarding.errors import StrPath

KEY_FILE = "node.key"
MAX_KEY_BYTES = 4096
# RFC 8410: SEQUENCE{ INTEGER 0, SEQUENCE{ OID 1.3.101.112 }, OCTET STRING{ OCTET STRING(32) } }
_PKCS8_ED25519_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
_PEM_BEGIN = b"-----BEGIN PRIVATE KEY-----"
_PEM_END = b"-----END PRIVATE KEY-----"

# libp2p crypto.pb PublicKey{Type: Ed25519 (1), Data: 32 bytes}
_PB_ED25519_PREFIX = bytes([0x08, 0x01, 0x12, 0x20])
# multihash: identity code 0x00, length 36
_MH_IDENTITY_PREFIX = bytes([0x00, 0x24])


def peer_id_from_public_key(raw_public_key: bytes) -> str:
    import base58

    if len(raw_public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    encoded = _PB_ED25519_PREFIX + raw_public_key
    return str(base58.b58encode(_MH_IDENTITY_PREFIX + encoded).decode("ascii"))


def public_key_from_peer_id(peer_id: str) -> bytes:
    import base58

    raw = base58.b58decode(peer_id)
    if not raw.startswith(_MH_IDENTITY_PREFIX + _PB_ED25519_PREFIX) or len(raw) != 38:
        raise ValueError(f"{peer_id!r} is not an Ed25519 libp2p peer id")
    return bytes(raw[6:])


def key_path(state_dir: StrPath) -> str:
    """The key file's path, as text (``status`` checks it and imports no pathlib)."""
    return os.path.join(state_dir, KEY_FILE)


def create_identity(state_dir: StrPath) -> str:
    """Make a new key file and return its peer id. Refuses to overwrite one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    raw_pub = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    path = key_path(state_dir)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    fd = os.open(path, flags, 0o600)
    try:
        written = 0
        while written < len(pem):  # a short write (a file size limit, a full disk) is no key
            written += os.write(fd, pem[written:])
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        from contextlib import suppress  # writers only: status does not load contextlib

        with suppress(FileNotFoundError):
            os.unlink(path)
        raise
    os.close(fd)
    from app.onboarding.atomic import fsync_dir  # writers only

    fsync_dir(os.fspath(state_dir))  # the key is durable before the state that names it
    return peer_id_from_public_key(raw_pub)


def remove_leftover(state_dir: StrPath) -> None:
    """Remove what is at the key's path when the state names no identity: a key an
    interrupted onboard or offboard left (or a partial one). Never follows a link;
    a directory is not removed (``IsADirectoryError``): only ``offboard --force``
    moves one aside."""
    try:
        os.unlink(key_path(state_dir))
    except FileNotFoundError:
        return


def load_peer_id(state_dir: StrPath) -> str:
    """The peer id of the key on disk (raises OSError or ValueError when unusable)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(read_key_bytes(state_dir), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the node key is not an Ed25519 key")
    raw_pub = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return peer_id_from_public_key(raw_pub)


def read_key_bytes(state_dir: StrPath) -> bytes:
    """The key file's bytes (at most 4 KB), never through a symlink; raises OSError."""
    fd = os.open(key_path(state_dir), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read(MAX_KEY_BYTES)
    finally:
        os.close(fd)


def key_loads(pem: bytes) -> bool:
    """True when ``pem`` is exactly one unencrypted Ed25519 PKCS#8 private key."""
    body = pem.strip()
    if not (body.startswith(_PEM_BEGIN) and body.endswith(_PEM_END)):
        return False
    try:
        der = binascii.a2b_base64(body[len(_PEM_BEGIN) : -len(_PEM_END)])
    except (binascii.Error, ValueError):
        return False
    return len(der) == len(_PKCS8_ED25519_PREFIX) + 32 and der.startswith(_PKCS8_ED25519_PREFIX)


def key_present(state_dir: StrPath) -> bool:
    """Something (a key or not) is at the key's path: offboard --force removes it."""
    return os.path.lexists(key_path(state_dir))


def identity_exists(state_dir: StrPath) -> bool:
    """A usable node identity: a regular key file that holds an Ed25519 key."""
    try:
        return key_loads(read_key_bytes(state_dir))
    except OSError:
        return False
