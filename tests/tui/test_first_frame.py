"""The hardware facts are in the Overview's first frame, even when the probe is a little late.

``nunet-onboard`` starts the probe on a thread before Textual is imported; on a
busy machine the two threads take turns and the probe may not be done when the
Overview is built. The start then waits for it (up to ``FACTS_WAIT_S``); a probe
stuck longer never holds the app.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from textual.widgets import Static

from app.hardware.model import MachineInfo
from app.tui.app import NunetOnboardApp
from tests.conftest import HANG_S
from tests.tui.conftest import SIZE, make_app


def cpu_panel(app: NunetOnboardApp) -> str:
    return str(app.screen.query_one("#cpu-panel", Static).render())


async def test_a_probe_a_moment_late_is_still_in_the_first_frame(state_dir: Path) -> None:
    app = make_app(state_dir)

    def late() -> MachineInfo:
        time.sleep(0.2)
        return app.controller.machine(gpus=False)

    with ThreadPoolExecutor(max_workers=1) as pool:
        app.machine_future = pool.submit(late)
        async with app.run_test(size=SIZE):
            assert "20800 MHz" in cpu_panel(app)  # no pause: what the first frame shows


async def test_a_stuck_probe_does_not_hold_the_app(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(NunetOnboardApp, "FACTS_WAIT_S", 0.05)
    app = make_app(state_dir)
    app.machine_future = Future()  # never resolved
    start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        assert "20800 MHz" not in cpu_panel(app)
        assert time.perf_counter() - start < HANG_S  # the never-resolved probe was not waited for
        app.machine_future.set_result(app.controller.machine(gpus=False))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert "20800 MHz" in cpu_panel(app)  # the worker's probe shows them after
