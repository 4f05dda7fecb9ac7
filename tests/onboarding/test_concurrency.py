"""Issue 7.5 and 9.7: read-modify-write under one lock; onboard and offboard --force raced."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.onboarding import identity
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import OnboardError
from tests.cli.helpers import REPO
from tests.conftest import HANG_S
from tests.fakes import fake_machine
from tests.tui.conftest import offer

CHANGER = """
import sys
from pathlib import Path
from app.onboarding.controller import OnboardingController
from tests.fakes import fake_machine
ctl = OnboardingController(Path(sys.argv[1]), probe=lambda: fake_machine())
field, rounds = sys.argv[2], int(sys.argv[3])
for n in range(1, rounds + 1):
    value = {"ntx_price": float(n), "cpu": 3000 + n, "is_available": n % 2 == 0,
             "memory": 3000 + n}[field]
    ctl.change_offer({field: value})
"""


@pytest.mark.slow
def test_concurrent_changes_of_different_fields_each_keep_their_last_value(
    fast_state_dir: Path,
) -> None:
    state_dir = fast_state_dir
    ctl = OnboardingController(state_dir, probe=lambda: fake_machine())
    ctl.onboard(offer())
    rounds = 15
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHANGER, str(state_dir), field, str(rounds)],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for field in ("ntx_price", "cpu", "is_available", "memory")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    stored = json.loads(ctl.state_path.read_text())["offer"]
    assert stored["ntx_price"] == float(rounds)
    assert stored["cpu"] == 3000 + rounds
    assert stored["memory"] == 3000 + rounds
    assert stored["is_available"] is (rounds % 2 == 0)
    assert ctl.revision() == 1 + 4 * rounds  # every change was written, none lost


def test_change_offer_changes_only_the_named_fields(controller: OnboardingController) -> None:
    controller.onboard(offer(ntx_price=0.5, disk=50))
    controller.store.update(lambda s: s["offer"].update(is_available=False))  # elsewhere
    metadata = controller.change_offer({"cpu": 6000})
    stored = controller.current_offer()
    assert stored is not None and stored.cpu == 6000 and stored.disk == 50
    assert stored.is_available is False and stored.ntx_price == 0.5
    assert metadata.reserved.cpu == 6000


def test_change_offer_refuses_a_bad_value_naming_the_field(
    controller: OnboardingController,
) -> None:
    controller.onboard(offer())
    before = controller.state_path.read_bytes()
    with pytest.raises(OnboardError, match="cpu"):
        controller.change_offer({"cpu": 10})
    with pytest.raises(OnboardError, match="ntx_price"):
        controller.change_offer({"ntx_price": -1})
    assert controller.state_path.read_bytes() == before


@pytest.fixture
def fast_state_dir(tmp_path: Path) -> Iterator[Path]:
    """A state dir on tmpfs where there is one: the race is about locks, not disk speed."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path / "state"
        return
    base = Path(tempfile.mkdtemp(prefix="nunet-race-", dir=shm))
    try:
        yield base / "state"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_onboard_and_forced_offboard_raced_never_leave_half_an_onboarding(
    fast_state_dir: Path,
) -> None:
    """Hundreds of rounds, two controllers (two lock holders) in two threads."""
    state_dir = fast_state_dir
    one = OnboardingController(state_dir, probe=lambda: fake_machine())
    two = OnboardingController(state_dir, probe=lambda: fake_machine())
    capacity = offer()
    one.validate(capacity)  # warm the address libraries once
    rng = random.Random(7)
    errors: list[BaseException] = []
    for _ in range(200):

        def onboard() -> None:
            try:
                one.onboard(capacity)
            except OnboardError:
                pass  # already onboarded: the race's loser, with a clear message
            except BaseException as exc:
                errors.append(exc)

        def offboard() -> None:
            time.sleep(rng.random() * 0.002)
            try:
                two.offboard(force=True)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=onboard), threading.Thread(target=offboard)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        has_meta = json.loads(one.state_path.read_text())["metadata"] is not None
        assert has_meta == identity.key_present(state_dir), "half an onboarding"


LOOP = """
import sys
from pathlib import Path
from app.onboarding.controller import OnboardingController
from tests.fakes import fake_machine
from tests.tui.conftest import offer
ctl = OnboardingController(Path(sys.argv[1]), probe=lambda: fake_machine())
capacity = offer()
ctl.validate(capacity)
ctl.onboard(capacity)
print("ready", flush=True)  # the state file is there: a signal from now on hits a write or none
while True:
    ctl.offboard()
    ctl.onboard(capacity)
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_at_any_point_leaves_old_or_new_state(fast_state_dir: Path, sig: int) -> None:
    state_dir = fast_state_dir
    rng = random.Random(sig)
    for _ in range(2 if sig == signal.SIGTERM else 1):
        proc = subprocess.Popen(
            [sys.executable, "-c", LOOP, str(state_dir)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))  # where in the loop it lands: any point will do
        os.kill(proc.pid, sig)
        proc.wait(HANG_S)
        state = json.loads((state_dir / "state.json").read_text())
        has_meta = state["metadata"] is not None
        assert has_meta == identity.identity_exists(state_dir), "half an onboarding"
        assert has_meta == identity.key_present(state_dir)
        if has_meta:  # leave it clean for the next round
            OnboardingController(state_dir, probe=lambda: fake_machine()).offboard()
