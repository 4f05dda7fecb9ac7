"""Issue 7.4 in the app: a write stuck behind another process's lock is dropped on cancel or quit."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from app.onboarding.controller import OnboardingController
from app.tui.dialogs.offboard import OffboardDialog
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


async def _confirm_offboard(app: object, pilot: object) -> None:
    await pilot.press("x")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, OffboardDialog)  # type: ignore[attr-defined]
    await pilot.press("tab", "enter")  # type: ignore[attr-defined]
    await asyncio.sleep(0.3)  # the worker is now waiting for the lock


async def test_closing_the_dialog_drops_an_offboard_waiting_for_the_lock(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    app.controller.store.lock_timeout_s = 30
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
    app.controller.store.lock_timeout_s = 30
    with lock_held_elsewhere(app.controller):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await _confirm_offboard(app, pilot)
            loop = asyncio.get_running_loop()
            start = loop.time()
            await pilot.press("ctrl+q")  # q is the screens' key; ctrl+q quits from a dialog too
            await app.workers.wait_for_complete()
            assert loop.time() - start < 2
    await asyncio.sleep(0.3)
    assert app.controller.is_onboarded()
