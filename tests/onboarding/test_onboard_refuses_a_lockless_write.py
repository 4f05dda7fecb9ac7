"""Onboarding refuses, and writes nothing, when the state moved on while it made the key.

The key is made under the state lock, but a program that ignores the lock can still
write `state.json` meanwhile. Onboarding given the revision its caller saw must then
refuse as a stale write (StateChanged) and remove the key it made, not overwrite the
other program's state. The other program writes at the file system boundary: when the
new key file is synced to disk (`os.fsync`, the system call), it rewrites the state.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.identity import key_path
from app.onboarding.models import CapacityForNunet
from app.onboarding.refusals import StateChanged
from app.onboarding.store import empty_state
from tests.conftest import ETH_ADDRESS

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)
WALLET = {"address": ETH_ADDRESS, "chain": "ethereum"}


def test_a_state_written_while_the_key_is_made_is_kept_and_onboarding_refused(
    controller: OnboardingController, state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = controller.revision()
    state_file = state_dir / "state.json"
    real_fsync = os.fsync
    written: list[int] = []

    def fsync_and_let_another_program_write(fd: int) -> None:
        real_fsync(fd)
        if not written and os.readlink(f"/proc/self/fd/{fd}") == str(key_path(state_dir)):
            state = {**empty_state(), "revision": seen + 1, "wallets": [WALLET]}
            state_file.write_text(json.dumps(state))  # no lock taken: another program
            written.append(state["revision"])

    monkeypatch.setattr(os, "fsync", fsync_and_let_another_program_write)
    with pytest.raises(StateChanged):
        controller.onboard(OFFER, base_revision=seen)

    assert written == [seen + 1]
    after = json.loads(state_file.read_text())
    assert after["revision"] == seen + 1 and after["wallets"] == [WALLET]
    assert after.get("offer") is None and after.get("metadata") is None
    assert not os.path.exists(key_path(state_dir))
