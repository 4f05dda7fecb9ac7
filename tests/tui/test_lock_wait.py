"""Issue 7.4 in the app: a write stuck behind another process's lock is dropped on cancel or quit."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.onboarding.controller import OnboardingController
from app.tui.dialogs.offboard import OffboardDialog
from tests.conftest import HANG_S
from tests.tui.conftest import SIZE, AppFactory, offer, settle


@contextmanager
def lock_held_elsewhere(ctl: OnboardingController) -> Iterator[None]:
    """Hold the state lock on another open file, as another process would."""
    fd = os.open(ctl.store.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(fd)


def _lock_file_opens(ctl: OnboardingController) -> int:
    """How many of this process's file descriptors are open on the state's lock file."""
    target = os.path.realpath(ctl.store.lock_path)
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{fd}") == target
    return count


async def _confirm_offboard(app: Any, pilot: Any) -> None:
    """Confirm an offboard and return once its worker waits for the lock held elsewhere.

    The writer opens the lock file only after it has its cancel event, so once a second
    descriptor is open on it, a cancel reaches the wait: no sleep to guess at.
    """
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, OffboardDialog)
    opened = _lock_file_opens(app.controller)
    await pilot.press("tab", "enter")
    deadline = time.monotonic() + HANG_S
    while _lock_file_opens(app.controller) <= opened and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert _lock_file_opens(app.controller) > opened, "the offboard never waited for the lock"


async def test_closing_the_dialog_drops_an_offboard_waiting_for_the_lock(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    app.controller.store.lock_timeout_s = 3600  # only the cancel can end the wait
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with lock_held_elsewhere(app.controller):
            await _confirm_offboard(app, pilot)
            await pilot.press("escape")
            await settle(pilot)  # returns at once: the wait was cancelled
            assert not isinstance(app.screen, OffboardDialog)
        await asyncio.sleep(0.3)
        assert app.controller.is_onboarded()  # the cancelled offboard never ran


async def test_quitting_while_a_write_waits_for_the_lock_quits_and_runs_nothing(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    app.controller.store.lock_timeout_s = 3600  # only the quit can end the wait
    with lock_held_elsewhere(app.controller):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await _confirm_offboard(app, pilot)
            loop = asyncio.get_running_loop()
            start = loop.time()
            await pilot.press("ctrl+q")  # q is the screens' key; ctrl+q quits from a dialog too
            await app.workers.wait_for_complete()
            assert loop.time() - start < HANG_S  # the quit ended the hour's wait
    await asyncio.sleep(0.3)
    assert app.controller.is_onboarded()
