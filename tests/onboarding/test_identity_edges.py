"""The node identity at its edges: which key files count as
an identity (status calls a garbled one inconsistent), a key of another type, and peer ids
that are not Ed25519 ones. Real files in a tmp state dir; keys from ``cryptography``."""

from __future__ import annotations

import base64
import errno
import os
import resource
import signal
import threading
from pathlib import Path

import base58
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.onboarding import identity
from tests.conftest import HANG_S

BEGIN = b"-----BEGIN PRIVATE KEY-----"
END = b"-----END PRIVATE KEY-----"
PREFIX = bytes.fromhex("302e020100300506032b657004220420")  # Ed25519 PKCS#8, then 32 bytes


def pem_of(der: bytes, *, end: bytes = END) -> bytes:
    return BEGIN + b"\n" + base64.encodebytes(der) + end + b"\n"


def test_a_well_formed_ed25519_key_is_an_identity(tmp_path: Path) -> None:
    assert identity.key_loads(pem_of(PREFIX + bytes(32))) is True
    peer = identity.create_identity(tmp_path)
    assert identity.identity_exists(tmp_path) and identity.load_peer_id(tmp_path) == peer


@pytest.mark.parametrize(
    "pem",
    [
        pem_of(PREFIX + bytes(32), end=b"-----END PRIVATE KEX-----"),  # not the PEM's end line
        BEGIN + b"\nabc\n" + END,  # base64 that does not decode
        pem_of(PREFIX + bytes(33)),  # one byte too many
        pem_of(bytes(len(PREFIX) + 32)),  # the right length, not Ed25519
        pem_of(PREFIX[:-1] + b"\x21" + bytes(32)),
    ],
    ids=["end-line", "bad-base64", "too-long", "not-ed25519", "wrong-octets"],
)
def test_a_garbled_key_is_not_an_identity(tmp_path: Path, pem: bytes) -> None:
    assert identity.key_loads(pem) is False
    Path(identity.key_path(tmp_path)).write_bytes(pem)
    assert identity.identity_exists(tmp_path) is False
    assert identity.key_present(tmp_path) is True


def test_a_key_of_another_type_has_no_peer_id(tmp_path: Path) -> None:
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    Path(identity.key_path(tmp_path)).write_bytes(other)
    assert identity.identity_exists(tmp_path) is False
    with pytest.raises(ValueError) as refused:
        identity.load_peer_id(tmp_path)
    assert str(refused.value) == "the node key is not an Ed25519 key"


def test_a_peer_id_round_trips_and_others_are_refused() -> None:
    key = bytes(range(32))
    peer = identity.peer_id_from_public_key(key)
    assert peer.startswith("12D3KooW") and identity.public_key_from_peer_id(peer) == key
    head = bytes([0x00, 0x24, 0x08, 0x01, 0x12, 0x20])
    too_long = base58.b58encode(head + bytes(33)).decode()
    wrong_type = base58.b58encode(bytes([0x00, 0x24, 0x08, 0x02, 0x12, 0x20]) + key).decode()
    for bad in (too_long, wrong_type):
        with pytest.raises(ValueError) as refused:
            identity.public_key_from_peer_id(bad)
        assert str(refused.value) == f"{bad!r} is not an Ed25519 libp2p peer id"


@pytest.mark.parametrize("size", [31, 33])
def test_a_public_key_of_the_wrong_size_is_refused_saying_the_size(size: int) -> None:
    with pytest.raises(ValueError) as refused:
        identity.peer_id_from_public_key(b"\x01" * size)
    assert str(refused.value) == "an Ed25519 public key is 32 bytes"


@pytest.mark.parametrize(
    "room",
    [
        pytest.param(0, id="no-room"),  # as a full disk: the first write fails
        # os.write writes 50 of the key's 119 bytes and returns: the key file was left cut
        # short, and a peer id returned for a key that does not load.
        pytest.param(50, id="short-write"),
    ],
)
def test_a_key_that_cannot_be_written_whole_leaves_no_file_and_the_systems_error(
    tmp_path: Path, room: int
) -> None:
    """A file size limit (as a full disk): the write fails, the partial key file is
    removed, and the error raised is the system's."""
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (room, hard))
    try:
        with pytest.raises(OSError) as failed:
            identity.create_identity(tmp_path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert failed.value.errno == errno.EFBIG
    assert not Path(identity.key_path(tmp_path)).exists()


def test_a_fifo_in_the_key_files_place_is_no_identity_and_no_wait(tmp_path: Path) -> None:
    """The key is opened without blocking: a FIFO with no writer would hang status."""
    os.mkfifo(identity.key_path(tmp_path))
    found: list[bool] = []
    reader = threading.Thread(
        target=lambda: found.append(identity.identity_exists(tmp_path)), daemon=True
    )
    reader.start()
    reader.join(timeout=HANG_S)  # a hang only: an open that blocked never returns
    assert not reader.is_alive(), "reading the key waited on a FIFO"
    assert found == [False]


def test_a_huge_key_file_is_not_read_whole(tmp_path: Path) -> None:
    """A sparse file of 4 TiB in the key's place: read whole it would not fit in memory."""
    with Path(identity.key_path(tmp_path)).open("wb") as fh:
        fh.truncate(1 << 42)
    assert identity.identity_exists(tmp_path) is False
