"""The node identity: an Ed25519 key and its libp2p peer id (``12D3KooW...``).

The peer id is what DMS calls ``node_id``: the identity multihash of the
protobuf-encoded public key (``KeyType Ed25519 = 1``), in base58btc. The key
file is PKCS#8 PEM, created 0600 with ``O_EXCL`` so an existing identity is
never overwritten by accident.
"""

from __future__ import annotations

import os
from pathlib import Path

KEY_FILE = "node.key"

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


def key_path(state_dir: Path) -> Path:
    return state_dir / KEY_FILE


def create_identity(state_dir: Path) -> str:
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
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)
    return peer_id_from_public_key(raw_pub)


def load_peer_id(state_dir: Path) -> str:
    """The peer id of the key on disk (raises OSError or ValueError when unusable)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(key_path(state_dir).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the node key is not an Ed25519 key")
    raw_pub = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return peer_id_from_public_key(raw_pub)


def identity_exists(state_dir: Path) -> bool:
    return key_path(state_dir).is_file()
