"""Keys that race: while quitting, while a screen loads, and typed text with no field focused.

Keys that arrive together are sent as one read of the terminal does: every key
event posted before the app handles the first (``send_together``).
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from textual import events, on
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input

from app.onboarding.controller import OnboardingController
from app.tui.app import NunetOnboardApp
from app.tui.dialogs.base import NunetDialog
from app.tui.dialogs.offboard import OffboardDialog
from app.tui.key_guard import IGNORED, LOADING
from app.tui.screens.allocate import AllocateScreen
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine
from tests.tui.conftest import FIXED_USAGE, SIZE, AppFactory, settle

CARDANO_ADDRESS = (
    "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7"
)


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def send_together(pilot: Pilot[Any], text: str) -> None:
    """The keys of ``text`` as one read of the terminal delivers them: all queued at once."""
    driver = pilot.app._driver
    assert driver is not None
    for char in text:
        key = events.Key("space" if char == " " else char, char)
        key.set_sender(pilot.app)
        driver.send_message(key)
    await pilot.pause(0.1)
    await settle(pilot)


def screens_shown(app: NunetOnboardApp) -> list[Screen[Any]]:
    """Every screen the app shows from now on, in order."""
    shown: list[Screen[Any]] = []
    app.screen_change_signal.subscribe(app, shown.append)
    return shown


async def test_keys_do_nothing_once_the_app_is_quitting(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screens_shown(app)
        # F10 quits; F8 and F3 came in the same read, so they are handled after it.
        driver = app._driver
        assert driver is not None
        for name in ("f10", "f8", "f3", "x"):
            key = events.Key(name, name if len(name) == 1 else None)
            key.set_sender(app)
            driver.send_message(key)
        await pilot.pause(0.2)
    assert not any(isinstance(s, (OffboardDialog, AllocateScreen)) for s in shown)
    assert app.return_code == 0


@pytest.mark.parametrize("push", ["offboard", "allocate", "wallet", "status", "help"])
async def test_a_screen_shown_while_the_app_exits_runs_nothing_and_raises_nothing(
    app_factory: AppFactory, push: str
) -> None:
    """What a queued key would do after ``q`` (two keys in one read): Textual mounts no
    widget once the app exits, so the screen's own mount code must not look for them."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.exit()
        action = push if push in ("offboard", "help") else f"show('{push}')"
        await app.run_action(action)  # what the key would run, were it not dropped
        await pilot.pause()
    assert app.return_code == 0  # run_test re-raises any error a handler let out


class _Failing(NunetDialog[None]):
    """A dialog with a button whose handler has a bug."""

    def compose(self) -> ComposeResult:
        yield Button("go", id="go")

    @on(Button.Pressed, "#go")
    def _go(self) -> None:
        raise RuntimeError("a bug in a handler\nwith a second line")


async def test_an_unexpected_error_in_a_handler_is_a_one_line_notice(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = _Failing()
        app.push_screen(dialog)
        await pilot.pause()
        await pilot.click("#go")
        await pilot.pause()
        assert app.screen is dialog and app.return_code is None  # the app goes on
        said = notices(app)[-1]
        assert said == "unexpected error (RuntimeError): a bug in a handler with a second line"
        await pilot.press("escape")  # and its handlers still work
        await pilot.pause()
        assert app.screen is not dialog


class _AppWithABuggyAction(NunetOnboardApp):
    def action_buggy(self) -> None:
        raise KeyError("no such thing")


async def test_an_unexpected_error_in_an_action_is_a_one_line_notice(state_dir: Path) -> None:
    app = _AppWithABuggyAction(
        OnboardingController(state_dir, probe=fake_machine, load_average=lambda: 0.0),
        usage_interval=3600,
        usage=lambda: FIXED_USAGE,
        rng=random.Random(1),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await app.run_action("buggy")
        await pilot.pause()
        assert notices(app)[-1] == "unexpected error (KeyError): 'no such thing'"
        assert app.return_code is None


class _AppThatFails(NunetOnboardApp):
    def on_breakdown(self, message: Breakdown) -> None:
        raise ValueError("the app cannot go on")


class Breakdown(events.Event):
    pass


async def test_an_error_that_ends_the_app_exits_1_with_one_line_on_stderr(
    state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = _AppThatFails(
        OnboardingController(state_dir, probe=fake_machine, load_average=lambda: 0.0),
        usage_interval=3600,
        usage=lambda: FIXED_USAGE,
    )
    with pytest.raises(ValueError, match="the app cannot go on"):  # Pilot re-raises it
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.post_message(Breakdown())
            await pilot.pause()
            app.exit()  # a q queued behind the failure does not make it a success
    assert app.return_code == 1
    capsys.readouterr()
    app._print_error_renderables()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert lines[0].startswith(
        "nunet-onboard stopped: unexpected error (ValueError): the app cannot go on"
    )


@pytest.mark.parametrize("text", [ETH_ADDRESS, CARDANO_ADDRESS[:40], "qxaswo" * 7])
async def test_a_burst_of_typed_text_is_not_screen_keys(app_factory: AppFactory, text: str) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screens_shown(app)
        await send_together(pilot, text)
        assert shown == [] and app.current_mode == "overview"
        assert app.return_code is None
        assert notices(app).count(IGNORED) == 1
        await pilot.pause(0.05)
        await pilot.press("a")  # a key typed on its own is a screen key again
        await settle(pilot)
        assert app.current_mode == "allocate"


async def test_keys_sent_together_from_every_screen_never_raise(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        for start in ("o", "a", "w", "s"):
            await pilot.press(start)
            await settle(pilot)
            for keys in ("qx", "qa", "xa", "aws", "q?x", "xq"):
                await send_together(pilot, keys)
                assert app.return_code is None
                await pilot.pause(0.05)
    assert app.return_code == 0 or app.return_code is None


async def test_digits_pasted_on_a_slider_are_its_value(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#cpu-slider").focus()
        await pilot.pause()
        await send_together(pilot, "4000")
        assert app.screen.query_one("#cpu-input", Input).value == "4000"
        assert IGNORED not in notices(app)


async def test_keys_typed_while_the_form_loads_go_into_no_field(state_dir: Path) -> None:
    """The machine is slow to read: the Allocate form is still loading when digits come."""
    readable = threading.Event()

    def slow_probe() -> Any:
        readable.wait(20)
        return fake_machine()

    app = NunetOnboardApp(
        OnboardingController(state_dir, probe=slow_probe, load_average=lambda: 0.0),
        usage_interval=3600,
        usage=lambda: FIXED_USAGE,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, AllocateScreen) and not screen.ready
        for digit in "7099":
            await pilot.press(digit)
            await pilot.pause(0.05)
        assert LOADING in notices(app)
        readable.set()
        await settle(pilot)
        assert screen.ready
        for key in ("cpu", "memory", "disk"):
            box = screen.query_one(f"#{key}-input", Input)
            assert "7" not in box.value and box.value == str(screen.values[key])
