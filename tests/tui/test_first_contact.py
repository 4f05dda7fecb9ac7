"""What a new user sees first is true and fits: the fold at 80x24, the footer, the Overview's
figures, and the review's warning, which names the measure the Overview shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from app.hardware.live import Usage
from app.onboarding.controller import OnboardingController
from app.tui.app import NunetOnboardApp
from app.tui.widgets.key_footer import KeyFooter
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine
from tests.tui.conftest import FIXED_USAGE, SIZE, AppFactory, open_allocate, settle, type_into


def visible(screen: Any, widget: Any) -> bool:
    """On screen without scrolling: the widget is what is drawn at its own middle."""
    region = widget.region
    if not region.width or not region.height:
        return False
    return screen.get_widget_at(*region.center)[0] in (widget, *widget.walk_children())


@pytest.mark.parametrize("size", [SIZE, (60, 20)])
async def test_allocate_shows_what_is_left_and_the_review_button_without_scrolling(
    app_factory: AppFactory, size: tuple[int, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        screen = await open_allocate(pilot)
        summary = screen.query_one("#summary", Static)
        assert "Still to do: Channel, Pay to" in str(summary.render())
        assert visible(screen, summary) and visible(screen, screen.query_one("#review", Button))
        # and still when the focus is at the top of a form scrolled as far as it goes
        screen.query_one("#allocate").scroll_end(animate=False)
        await pilot.pause()
        assert visible(screen, summary) and visible(screen, screen.query_one("#review", Button))


def footer_entries(app: Any) -> list[tuple[str, str]]:
    footer = app.screen.query_one(KeyFooter)
    return [(key.key_display, key.description) for key in footer.query(FooterKey)]


@pytest.mark.parametrize("size", [SIZE, (60, 20)])
async def test_the_footer_never_shows_a_key_without_its_label(
    app_factory: AppFactory, size: tuple[int, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in ("o", "a", "w", "s"):
            await pilot.press(key)
            await settle(pilot)
            for typing in (False, True):
                if typing:
                    inputs = [i for i in app.screen.query("Input") if i.focusable]
                    if not inputs:
                        continue
                    inputs[0].focus()
                    await pilot.pause()
                entries = footer_entries(app)
                assert entries and all(description for _, description in entries), entries
                assert ("?", "Help") in entries or ("F1", "Help") in entries
                assert ("q", "Quit") in entries or ("F10", "Quit") in entries
            app.screen.set_focus(None)
            await pilot.pause()


async def test_with_the_palette_open_the_footer_shows_only_its_keys(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        footer = app.screen_stack[0].query_one(KeyFooter)
        shown = [(k.key_display, k.description) for k in footer.query(FooterKey)]
        assert shown == [("esc", "Close"), ("Enter", "Run"), ("↑↓", "Choose")]
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert ("a", "Allocate") in footer_entries(app)


def app_with_load(state_dir: Path, usage: list[Usage], load: float) -> NunetOnboardApp:
    """An 8-core 2600 MHz, 16 GiB fake machine whose 1-minute load average is ``load``."""
    return NunetOnboardApp(
        OnboardingController(state_dir, probe=fake_machine, load_average=lambda: load),
        usage_interval=3600,
        usage=lambda: usage[0],
    )


async def test_overview_free_memory_follows_each_sample(state_dir: Path) -> None:
    usage = [FIXED_USAGE]  # 40 % of 16384 MB in use
    app = app_with_load(state_dir, usage, 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen: Any = app.screen
        screen.sample()
        await pilot.pause()
        memory = str(screen.query_one("#memory-panel").render())
        assert "Free     9830 MB" in memory
        usage[0] = Usage(cpu_percent=12.0, memory_percent=75.0, memory_used_mb=12288)
        screen.sample()
        await pilot.pause()
        assert "Free     4096 MB" in str(screen.query_one("#memory-panel").render())


async def test_overview_and_review_name_one_cpu_measure(state_dir: Path) -> None:
    """Load 6 on 8 cores: the Overview's CPU line says 75 %, by the load average, and the
    review warns that 5200 MHz of 20800 are idle, by the same load average, named."""
    app = app_with_load(state_dir, [FIXED_USAGE], 6.0)  # psutil would say 12 %
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen: Any = app.screen
        screen.sample()
        await pilot.pause()
        usage = str(screen.query_one("#usage-panel").render())
        assert "CPU     75 %" in usage and "1-min load: 15600 MHz busy" in usage.splitlines()[1]
        form = await open_allocate(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # to the channel
        await pilot.press("e", "d", "enter")
        await type_into(pilot, "#payment_addr", ETH_ADDRESS)
        await settle(pilot)
        cpu_warnings = [w for w in form.warnings if "idle" in w]
        assert cpu_warnings and "by the 1-minute load average" in cpu_warnings[0]
        assert "only 5200 MHz of 20800 MHz are idle" in cpu_warnings[0]
        assert "about 15600 MHz busy" in cpu_warnings[0]


async def test_the_offboard_dialog_shows_its_buttons_at_80x24(app_factory: AppFactory) -> None:
    from tests.tui.conftest import offer

    app = app_factory()
    app.controller.onboard(offer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        for button in ("#cancel", "#confirm", "#force"):
            assert visible(dialog, dialog.query_one(button)), button
