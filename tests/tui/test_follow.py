"""The open app follows what the command line writes, and never writes over it unseen.

Two processes on one state directory: the app through Pilot in this one, the
real CLI in a subprocess. Both probe the fake host (tests/fakes.py) for real, so the
offers are chosen from its limits. The app polls
the state files, so each test waits for the change to show rather than sleeping a
fixed time; how soon it shows is the poll's interval, not something a loaded machine
can be held to here.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from app.tui.app import NunetOnboardApp
from app.tui.dialogs.offboard import OffboardDialog
from app.tui.dialogs.review import ReviewDialog
from app.tui.screens.allocate import AllocateScreen
from tests.cli.helpers import run_cli
from tests.conftest import ETH_ADDRESS, HANG_S
from tests.tui.conftest import FIXED_USAGE, SIZE, settle, type_on_slider

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fake_host")]

FOLLOW_WITHIN_S = HANG_S
"""The poll is every 0.5 s; only an app that never follows takes this long."""


def real_app(state_dir: Path) -> NunetOnboardApp:
    return NunetOnboardApp(
        OnboardingController(state_dir),
        usage_interval=3600,
        usage=lambda: FIXED_USAGE,
        export_kdf="pbkdf2",
        rng=random.Random(4),
    )


def onboarded_app(state_dir: Path) -> tuple[NunetOnboardApp, int, int]:
    """An app on a machine onboarded at the lowest allowed CPU and memory."""
    app = real_app(state_dir)
    limits = app.controller.limits()
    app.controller.onboard(
        CapacityForNunet(
            cpu=limits.cpu_min,
            memory=limits.memory_min,
            channel="nunet-test",
            payment_addr=ETH_ADDRESS,
        )
    )
    return app, limits.cpu_min, limits.memory_min


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notices(app: Any) -> str:
    return "\n".join(n.message for n in app._notifications)


async def until(pilot: Pilot[Any], condition: Callable[[], bool], within: float) -> float:
    """Seconds until ``condition`` held, letting the app run; fails after ``within``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > within:
            raise AssertionError("the app did not follow the change in time")
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
    return time.monotonic() - start


def cli(state_dir: Path, *args: str) -> None:
    result = run_cli(*args, state_dir=state_dir)
    assert result.returncode == 0, result.stderr


async def test_overview_and_status_follow_the_command_line(state_dir: Path) -> None:
    app = real_app(state_dir)
    limits = app.controller.limits()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "not onboarded" in text_of(app, "#status-panel")
        cli(state_dir, "onboard", "-c", str(limits.cpu_min), "-m", str(limits.memory_min),
            "-n", "nunet-test", "-a", ETH_ADDRESS, "--yes")  # fmt: skip
        await until(
            pilot, lambda: "onboarded, available" in text_of(app, "#status-panel"), FOLLOW_WITHIN_S
        )

        await pilot.press("s")
        await settle(pilot)
        cli(state_dir, "wallet", "new", "--chain", "ethereum", "--words", "12")
        address = app.controller.wallets()[0]["address"]
        await until(pilot, lambda: address in text_of(app, "#wallets-panel"), FOLLOW_WITHIN_S)
        assert "NOT checked" in text_of(app, "#wallets-panel")

        cli(state_dir, "offboard", "--yes")
        await until(
            pilot, lambda: "not onboarded" in text_of(app, "#metadata-panel"), FOLLOW_WITHIN_S
        )


async def test_untouched_form_reloads_and_edited_form_keeps_its_edits(state_dir: Path) -> None:
    app, cpu, memory = onboarded_app(state_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllocateScreen)
        assert screen.query_one("#cpu-input", Input).value == str(cpu)

        # Untouched: the form shows what the command wrote.
        cli(state_dir, "resource-config", "-c", str(cpu + 10), "-m", str(memory + 10))
        await until(
            pilot,
            lambda: screen.query_one("#cpu-input", Input).value == str(cpu + 10),
            FOLLOW_WITHIN_S,
        )
        assert screen.query_one("#memory-input", Input).value == str(memory + 10)
        assert "changed outside" in notices(app)

        # Edited: the edit stays; a field not touched takes the value written outside
        # (it used to be written back over it), and a notice names what changed.
        await type_on_slider(pilot, "#memory-slider", str(memory + 100))
        cli(state_dir, "resource-config", "-c", str(cpu + 20), "-m", str(memory + 10))
        await until(pilot, lambda: bool(screen.outside_note), FOLLOW_WITHIN_S)
        assert screen.values["memory"] == memory + 100
        assert screen.values["cpu"] == cpu + 20
        assert screen.query_one("#cpu-input", Input).value == str(cpu + 20)
        # Only what changed, before → after: the memory written again at the same value is not.
        assert f"cpu {cpu + 10} → {cpu + 20} MHz." in screen.outside_note
        assert "memory" not in screen.outside_note.split(".")[0]
        assert "the fields you did not touch show it now" in screen.outside_note
        assert "Changed outside while you edited" in notices(app)

        # Changed on both sides: the user's value stays and the notice names the field.
        cli(state_dir, "resource-config", "-m", str(memory + 50))
        await until(
            pilot, lambda: f"memory {memory + 10} → {memory + 50} MB" in screen.outside_note, 5
        )
        assert screen.values["memory"] == memory + 100
        assert "Memory changed there too, and applying writes yours" in screen.outside_note
        await pilot.press("escape", "ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        await pilot.click("#confirm")
        await settle(pilot)
        current = app.controller.current_offer()
        assert current is not None and (current.cpu, current.memory) == (cpu + 20, memory + 100)


async def test_an_open_review_goes_stale_at_once_and_says_what_changed(state_dir: Path) -> None:
    app, cpu, memory = onboarded_app(state_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllocateScreen)
        await type_on_slider(pilot, "#memory-slider", str(memory + 100))
        await pilot.press("escape", "ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        review = app.screen
        # Another shell changes the offer while the review is open: the review says so
        # at once, names what changed, and takes its Apply away.
        cli(state_dir, "resource-config", "-c", str(cpu + 10))
        await until(pilot, lambda: bool(review.stale), FOLLOW_WITHIN_S)
        banner = text_of(app, "#review-stale")
        assert f"cpu {cpu} → {cpu + 10} MHz" in banner and "memory" not in banner
        assert review.query_one("#confirm", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
        current = app.controller.current_offer()
        assert current is not None and (current.cpu, current.memory) == (cpu + 10, memory)
        assert [h["action"] for h in app.controller.history()].count("resource-config") == 1
        # The form follows: the edit kept, the change named.
        await until(pilot, lambda: bool(screen.outside_note), FOLLOW_WITHIN_S)
        assert screen.values["memory"] == memory + 100


async def test_offboarded_elsewhere_turns_the_form_into_onboarding(state_dir: Path) -> None:
    app, _, _ = onboarded_app(state_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllocateScreen) and screen.onboarded
        assert "Change the offer" in text_of(app, "#allocate-title")
        cli(state_dir, "offboard", "--yes")
        await until(pilot, lambda: not screen.onboarded, FOLLOW_WITHIN_S)
        assert "Onboard this machine" in text_of(app, "#allocate-title")
        assert str(screen.query_one("#review", Button).label) == "Review and onboard"
        assert "offboarded elsewhere" in notices(app)


async def test_offboard_dialog_follows_and_refuses_a_stale_plan(state_dir: Path) -> None:
    app, cpu, memory = onboarded_app(state_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, OffboardDialog)
        assert f"cpu {cpu} MHz" in text_of(app, "#offboard-plan")
        cli(state_dir, "resource-config", "-c", str(cpu + 10), "-m", str(memory))
        await until(
            pilot, lambda: f"cpu {cpu + 10} MHz" in text_of(app, "#offboard-plan"), FOLLOW_WITHIN_S
        )

        # A change the dialog has not seen yet (between two polls) refuses the offboard.
        app.state_watcher.stop()
        cli(state_dir, "resource-config", "-c", str(cpu + 20), "-m", str(memory))
        await pilot.click("#confirm")
        await settle(pilot)
        result = text_of(app, "#offboard-result")
        assert "Not offboarded" in result
        assert f"resource-config (cpu {cpu + 10} → {cpu + 20} MHz)" in result
        assert app.controller.is_onboarded()
        assert f"cpu {cpu + 20} MHz" in text_of(app, "#offboard-plan")  # the plan as it is now
        await pilot.click("#confirm")
        await settle(pilot)
        assert "Offboarded" in text_of(app, "#offboard-result")
        assert not app.controller.is_onboarded()


async def test_a_node_key_removed_elsewhere_is_followed_too(state_dir: Path) -> None:
    app, _, _ = onboarded_app(state_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllocateScreen) and screen.onboarded
        revision = app.controller.revision()
        app.controller.key_path.unlink()  # the state file is untouched: same revision
        await until(pilot, lambda: not screen.onboarded, FOLLOW_WITHIN_S)
        assert app.controller.revision() == revision
        await pilot.press("o")
        await settle(pilot)
        await until(
            pilot,
            lambda: (
                "inconsistent" in text_of(app, "#banner") or "missing" in text_of(app, "#banner")
            ),
            FOLLOW_WITHIN_S,
        )


async def test_the_apps_own_apply_is_never_a_change_made_outside(state_dir: Path) -> None:
    """The poll looks every millisecond here, and the disk is slow (0.3 s) to finish
    after state.json has landed, so any window between the state landing on disk and
    the app taking it as its own would be seen."""
    app, _, memory = onboarded_app(state_dir)
    store = app.controller.store
    after_commit = store.after_commit

    def slow_disk(state: dict[str, Any]) -> None:
        if after_commit is not None:
            after_commit(state)
        time.sleep(0.3)

    store.after_commit = slow_disk
    async with app.run_test(size=SIZE) as pilot:
        watcher = app.state_watcher
        watcher.stop()
        watcher.interval = 0.001
        watcher.start(app)
        for step in (1, 2, 3):
            await pilot.press("a")
            await settle(pilot)
            await type_on_slider(pilot, "#memory-slider", str(memory + 100 * step))
            await pilot.press("escape", "ctrl+r")
            await pilot.pause()
            assert isinstance(app.screen, ReviewDialog)
            await pilot.click("#confirm")
            await settle(pilot)
            await pilot.pause(0.3)
            assert app.current_mode == "overview"
        current = app.controller.current_offer()
        assert current is not None and current.memory == memory + 300
        assert "outside" not in notices(app).lower()
