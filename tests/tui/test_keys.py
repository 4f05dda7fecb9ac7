"""Pilot tests of the app from the keyboard (issue 10): keys that always work, focus,
quitting, sliders, type-ahead, the review, messages, switches, help, export, sparklines."""

from __future__ import annotations

import inspect
import io
from typing import Any

from rich.console import Console
from textual.binding import Binding
from textual.widgets import Button, Checkbox, Input, Static

from app.onboarding.errors import Problem
from app.tui import keymap
from app.tui.dialogs.base import NunetDialog
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.offboard import OffboardDialog
from app.tui.dialogs.review import ReviewDialog
from app.tui.field_messages import said
from app.tui.screens.allocate import AllocateScreen
from app.tui.screens.help import HelpScreen, help_text
from app.tui.screens.too_small import TooSmallScreen
from app.tui.usage_history import sparkline
from app.tui.widgets.key_footer import KeyFooter
from app.tui.widgets.slider import Slider
from tests.conftest import ETH_ADDRESS
from tests.tui.conftest import SIZE, AppFactory, offer, open_allocate, settle, type_into


def dialog_text(dialog: Any) -> str:
    """Everything the dialog shows, as plain text (tables rendered as a terminal would)."""
    console = Console(width=72, record=True, file=io.StringIO(), color_system=None)
    for widget in dialog.query(Static):
        console.print(widget.content)
    return console.export_text()


def footer_text(app: Any) -> str:
    footer = app.screen.query_one(KeyFooter)
    return " ".join(str(child.render()) for child in footer.children)


async def test_function_keys_work_inside_a_text_field(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        field = screen.query_one("#payment_addr", Input)
        field.focus()
        await pilot.pause()
        assert "typing" in footer_text(app) and "esc" in footer_text(app)
        assert "F10" in footer_text(app)
        await pilot.press("s")  # a letter goes into the field...
        assert field.value == "s" and app.current_mode == "allocate"
        await pilot.press("f5")  # ...a function key works anyway
        await pilot.pause()
        assert app.current_mode == "status"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("f4", "f2")
        await pilot.pause()
        assert app.current_mode == "overview"
        assert "keys" in footer_text(app) and "typing" not in footer_text(app)
        await settle(pilot)


async def test_escape_leaves_the_field_and_letters_work_again(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        screen.query_one("#payment_addr", Input).focus()
        await pilot.press("escape", "s")
        await pilot.pause()
        assert app.current_mode == "status"
        await settle(pilot)


async def test_focus_returns_after_a_dialog_and_never_lands_in_a_field(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        slider = screen.query_one("#memory-slider", Slider)
        slider.focus()
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is slider
        # An address chosen on the Wallet screen fills the field without focusing it.
        screen.use_address(ETH_ADDRESS)
        await settle(pilot)
        assert screen.query_one("#payment_addr", Input).value == ETH_ADDRESS
        assert not isinstance(app.focused, Input)
        await pilot.press("escape", "o")
        await pilot.pause()
        assert app.current_mode == "overview"
        await settle(pilot)


async def test_q_quits_from_the_too_small_notice(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("a")  # no switching under the notice
        assert app.current_mode == "overview"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_f10_quits_from_a_dialog(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, OffboardDialog)
        await pilot.press("f10")
        await pilot.pause()
    assert not app.is_running


async def test_quitting_an_edited_form_asks_first_and_stay_is_the_default(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        assert screen.unsaved_changes() is None
        screen.query_one("#cpu-slider", Slider).focus()
        await pilot.press("right")
        await settle(pilot)
        assert "CPU" in (screen.unsaved_changes() or "")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.focused is not None and app.focused.id == "no"
        assert "Allocate form" in str(app.screen.query_one("#confirm-message", Static).render())
        await pilot.press("enter")  # the default: stay
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, AllocateScreen)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("tab", "enter")  # Quit anyway
        await pilot.pause()
    assert not app.is_running


async def test_slider_keys_follow_the_conventions(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        cpu = screen.query_one("#cpu-slider", Slider)
        cpu.focus()
        await pilot.press("4", "8", "9")
        await settle(pilot)
        assert screen.query_one("#cpu-input", Input).value == "489"
        assert cpu.value == 489
        await pilot.press("shift+right")
        assert cpu.value == 489 + cpu.big_step
        await pilot.press("pageup")
        assert cpu.value == 489 + 2 * cpu.big_step
        await pilot.press("pagedown", "right")
        assert cpu.value == 489 + cpu.big_step + cpu.step
        await pilot.press("end", "end")
        assert cpu.value == cpu.high == 18720  # 90 % of 20800, not the track's end
        await pilot.press("home", "home", "left")
        assert cpu.value == cpu.low == 2080  # and stays there
        await pilot.press("backspace")  # corrects the number, one digit at a time
        await settle(pilot)
        assert screen.query_one("#cpu-input", Input).value == "208"
        await settle(pilot)


async def test_tab_order_is_top_to_bottom_with_one_stop_a_slider(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        ids = [w.id for w in screen.focus_chain]
        assert ids[:9] == [
            "cpu-slider",
            "memory-slider",
            "disk-slider",
            "gpus",
            "channel",
            "ntx_price",
            "payment_addr",
            "cardano",
            "is_available",
        ]
        assert not any(i and i.endswith("-input") for i in ids)
        await settle(pilot)


async def test_channel_type_ahead_and_enter_opens_the_review(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        screen.query_one("#channel").focus()
        await pilot.press("e", "d")
        await settle(pilot)
        assert screen.values["channel"] == "nunet-edge"
        await pilot.pause(1.1)
        await pilot.press("t", "e", "a")
        await settle(pilot)
        assert screen.values["channel"] == "nunet-team"
        # An address typed here by mistake: its letters fit no channel, so none is picked
        # (a fresh start on each miss used to hop to nunet-edge on the "e" of "0xf39Fd6e").
        await pilot.pause(1.1)
        await pilot.press(*"0xf39Fd6e51aad88F6F4ce6aB8827279")
        await settle(pilot)
        assert screen.values["channel"] == "nunet-team"
        await type_into(pilot, "#payment_addr", ETH_ADDRESS)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDialog)


async def test_review_is_readable_and_cancel_is_the_default(app_factory: AppFactory) -> None:
    app = app_factory()
    app.controller.onboard(offer(payment_addr=ETH_ADDRESS.lower()))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        screen.query_one("#memory-slider", Slider).focus()
        await pilot.press("pageup")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        assert app.focused is not None and app.focused.id == "cancel"
        body = dialog_text(dialog)
        assert "6000 MB (5.9 GiB)" in body and "8000 MB (7.8 GiB)" in body and "→" in body
        assert "Unchanged: CPU, Disk" in body
        assert "The host keeps" in body and "no checksum" in body
        for internal in ("server_mode", "payment_addr", "ntx_price", "null", "{"):
            assert internal not in body
        await pilot.press("enter")
        await settle(pilot)
        current = app.controller.current_offer()
        assert current is not None and current.memory == 6000


async def test_messages_use_labels_and_cardano_says_when_it_cannot(
    app_factory: AppFactory,
) -> None:
    bad_address = Problem("payment_addr", "payment address is not valid: x", "not valid: x")
    assert said(bad_address) == "Pay to: not valid: x"
    low = Problem("cpu", "cpu 500 MHz is below the minimum", "500 MHz is below the minimum")
    assert said(low) == "CPU: 500 MHz is below the minimum"
    app = app_factory(cores=2, mhz=2000.0, memory_mb=8192)  # at most 3600 MHz, 7372 MB
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        note = str(screen.query_one("#cardano-message", Static).render())
        assert "cannot run a Cardano node" in note
        await type_into(pilot, "#ntx_price", "abc")
        message = str(screen.query_one("#ntx_price-message", Static).render())
        assert message.startswith("✗ Price") and "NTX/min" in message


async def test_switches_and_force_say_their_state_without_colour(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        assert "off" in str(screen.query_one("#cardano-state").render())
        assert "on" in str(screen.query_one("#is_available-state").render())
        screen.query_one("#cardano").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "✓ on" in str(screen.query_one("#cardano-state").render())
        await pilot.press("escape", "x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OffboardDialog)
        # Nothing to remove: no Offboard button, no Force, only Cancel.
        assert not dialog.query_one("#confirm", Button).display
        assert not dialog.query_one("#force", Checkbox).display
        assert dialog.query_one("#cancel", Button).display
        await settle(pilot)


async def test_force_says_on_or_off_in_words(app_factory: AppFactory) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OffboardDialog)
        force = dialog.query_one("#force", Checkbox)
        assert force.display and dialog.query_one("#confirm", Button).display
        unticked = str(force.render())
        assert unticked.rstrip().endswith("state: off") and "✓" not in unticked
        force.value = True
        await pilot.pause()
        assert str(force.render()).rstrip().endswith("state: on") and "✓" in str(force.render())


def all_bindings() -> list[Binding]:
    """Every binding declared by a class of the app (screens, dialogs, widgets, the app)."""
    import app.tui.app as app_module
    import app.tui.dialogs.offboard
    import app.tui.dialogs.review
    import app.tui.screens.status
    import app.tui.screens.wallet
    from app.tui.widgets import slider

    found: list[Binding] = []
    for module in (
        app_module,
        app.tui.dialogs.offboard,
        app.tui.dialogs.review,
        app.tui.screens.status,
        app.tui.screens.wallet,
        slider,
    ):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__.startswith("app.tui"):
                own = cls.__dict__.get("BINDINGS", [])
                found += [b for b in own if isinstance(b, Binding)]
    return found


def test_help_lists_every_key_of_every_screen() -> None:
    from app.tui.keymap import key_name

    text = help_text().plain
    missing = []
    for binding in all_bindings():
        for key in binding.key.split(","):
            if key_name(key) not in text and key != "q":  # q in a dialog: quit, listed
                missing.append(key)
    assert not missing, missing
    for key in ("ctrl+g", "r", "F1", "F10", "ctrl+q", "PgUp"):
        assert key in text
    assert {k.scope for k in keymap.KEYMAP} <= set(keymap.SCOPES)


async def test_every_dialog_lets_q_quit(app_factory: AppFactory) -> None:
    assert issubclass(HelpScreen, NunetDialog) and issubclass(ReviewDialog, NunetDialog)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_narrow_footer_keeps_help_and_quit(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:
        await open_allocate(pilot)
        text = footer_text(app)
        assert "Help" in text and "Quit" in text
        await settle(pilot)


def test_sparkline_keeps_every_spike() -> None:
    assert sparkline([0.0, 100.0, 50.0], 3) == "▁█▅"
    assert sparkline([0.0] * 59 + [100.0], 20)[-1] == "█"
    assert sparkline([], 4) == "    "


async def test_overview_draws_a_minute_of_usage(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(3):
            app.screen.sample()  # type: ignore[attr-defined]
        await pilot.pause()
        usage = str(app.screen.query_one("#usage-panel", Static).render())
        assert "CPU      0 % " in usage and " 40 % " in usage and "6553 MB in use" in usage
        assert usage.count("▁") == 2 and usage.count("▄") == 2  # 0 % and 40 %, two samples kept


async def test_a_dialog_has_its_own_footer_whatever_the_screen_behind_had_focused(
    app_factory: AppFactory,
) -> None:
    """Typing in a field, then F10: the question's footer says "keys" and lists the
    dialog's keys, not the field's "typing · esc Leave field" from the screen behind."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        screen.query_one("#payment_addr", Input).focus()
        await pilot.press("x")  # an edit that would be lost
        await pilot.pause()
        assert "typing" in footer_text(app)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        shown = footer_text(app)
        assert "typing" not in shown and "keys" in shown
        assert "esc Close" in shown
        await pilot.press("escape")  # Stay: back in the field, typing again
        await settle(pilot)
        assert app.screen is screen and "typing" in footer_text(app)


async def test_gpu_ticks_show_without_colour(app_factory: AppFactory) -> None:
    """Textual drew ▐X▌ for a ticked and an unticked GPU alike, told apart only by colour:
    with NO_COLOR every GPU looked offered (found by a QA pass)."""
    from textual.widgets import SelectionList

    app = app_factory(gpus=2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        gpus = screen.query_one("#gpus", SelectionList)
        gpus.focus()
        await settle(pilot)

        def ticks() -> list[str]:
            return [gpus.render_line(y).text[:3] for y in range(2)]

        assert ticks() == ["▐ ▌", "▐ ▌"]
        await pilot.press("space")
        await settle(pilot)
        assert screen.values["gpus"] == (0,)
        assert ticks() == ["▐X▌", "▐ ▌"]
