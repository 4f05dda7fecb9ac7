"""The node identity: a libp2p Ed25519 peer id that round-trips, in a private file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding import identity

# A published libp2p Ed25519 peer id (the go-libp2p docs' example) decodes to a 32-byte key
# and encodes back to itself.
KNOWN_PEER_ID = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"


def test_known_peer_id_round_trips() -> None:
    raw = identity.public_key_from_peer_id(KNOWN_PEER_ID)
    assert len(raw) == 32
    assert identity.peer_id_from_public_key(raw) == KNOWN_PEER_ID


def test_created_identity_is_private_and_stable(tmp_path: Path) -> None:
    peer_id = identity.create_identity(tmp_path)
    assert peer_id.startswith("12D3KooW") and len(peer_id) == 52
    assert identity.load_peer_id(tmp_path) == peer_id
    assert Path(identity.key_path(tmp_path)).stat().st_mode & 0o777 == 0o600


def test_an_existing_identity_is_never_overwritten(tmp_path: Path) -> None:
    identity.create_identity(tmp_path)
    before = Path(identity.key_path(tmp_path)).read_bytes()
    with pytest.raises(FileExistsError):
        identity.create_identity(tmp_path)
    assert Path(identity.key_path(tmp_path)).read_bytes() == before


def test_not_a_peer_id_is_refused() -> None:
    with pytest.raises(ValueError, match="not an Ed25519 libp2p peer id"):
        identity.public_key_from_peer_id("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
