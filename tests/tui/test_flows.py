"""Pilot tests of every flow of the app, on a tmp state dir and the fake machine."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static

from app.tui.dialogs.offboard import OffboardDialog
from app.tui.dialogs.review import ReviewDialog
from app.tui.screens.allocate import AllocateScreen
from app.tui.screens.help import HelpScreen
from app.tui.screens.too_small import TooSmallScreen
from app.tui.screens.wallet import WalletScreen
from app.tui.widgets.slider import Slider
from tests.conftest import ETH_ADDRESS, read_only_dir, remount_read_only
from tests.tui.conftest import (
    SIZE,
    AppFactory,
    make_app,
    offer,
    open_allocate,
    run_from_palette,
    settle,
    type_into,
    type_on_slider,
)


def text_of(app: object, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.render())


async def test_overview_fills_in_facts_and_offers_to_start(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "20800 MHz" in text_of(app, "#cpu-panel")
        assert "RTX 3090" in text_of(app, "#gpu-panel")
        assert "not onboarded" in text_of(app, "#status-panel")
        assert "press a to start" in text_of(app, "#status-panel")
        app.screen.sample()  # type: ignore[attr-defined]
        await pilot.pause()
        # The CPU figure is the load average's share of the cores (0 here), named.
        assert "CPU      0 %" in text_of(app, "#usage-panel")
        assert "1-min load: 0 MHz busy" in text_of(app, "#usage-panel")


async def test_overview_says_why_no_gpu(app_factory: AppFactory) -> None:
    app = app_factory(gpus=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "NVML library not found" in text_of(app, "#gpu-panel")


async def test_onboard_with_sliders_and_typing_refusal_then_fixed(
    app_factory: AppFactory, state_dir: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllocateScreen)
        review = screen.query_one("#review", Button)
        assert review.disabled  # no channel, no address yet

        # CPU by keys: home goes to the allowed minimum, right steps up by 200 MHz.
        cpu = screen.query_one("#cpu-slider", Slider)
        cpu.focus()
        await pilot.press("home", "right", "right")
        await settle(pilot)
        assert cpu.value == 2480  # 2080 + 200 + 200: steps from the value, not to a grid
        assert screen.query_one("#cpu-input", Input).value == "2480"

        # Memory typed on its slider: below the 10 % minimum is refused beside the field.
        await type_on_slider(pilot, "#memory-slider", "1000")
        assert screen.query_one("#memory-slider", Slider).value == 1000
        assert "below the minimum 1638" in text_of(app, "#memory-message")
        assert "Memory: 1000 MB is below the minimum" in text_of(app, "#memory-message")
        assert review.disabled

        # Fixed by typing an allowed value.
        await type_on_slider(pilot, "#memory-slider", "8000")
        assert "✗" not in text_of(app, "#memory-message")

        # Channel by keys, then the address; GPU 0 ticked.
        screen.query_one("#channel", Select).focus()
        await pilot.press("enter", "down", "down", "enter")
        await settle(pilot)
        assert screen.values["channel"] == "nunet-test"
        await type_into(pilot, "#payment_addr", "0xnot-an-address")
        assert "Pay to: not a valid address" in text_of(app, "#payment_addr-message")
        assert review.disabled
        await type_into(pilot, "#payment_addr", ETH_ADDRESS)
        assert "valid ethereum" in text_of(app, "#payment_addr-message")
        gpus = screen.query_one("#gpus", SelectionList)
        gpus.focus()
        await pilot.press("space")
        await settle(pilot)
        assert screen.values["gpus"] == (0,)
        assert not review.disabled, screen.problems

        # Review shows what will be written; cancel writes nothing.
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("enter")
        await settle(pilot)
        assert not app.controller.is_onboarded()

        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert app.controller.is_onboarded()
        written = app.controller.current_offer()
        assert written is not None
        assert (written.cpu, written.memory, written.gpus) == (2480, 8000, (0,))
        assert app.current_mode == "overview"
        assert "onboarded" in text_of(app, "#status-panel")
        assert (
            json.loads((state_dir / "state.json").read_text())["offer"]["channel"] == "nunet-test"
        )


async def test_resource_config_prefilled_and_changed(app_factory: AppFactory) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllocateScreen)
        assert screen.onboarded
        assert screen.query_one("#cpu-input", Input).value == "5000"
        assert screen.query_one("#memory-input", Input).value == "6000"
        assert screen.query_one("#payment_addr", Input).value == ETH_ADDRESS
        assert str(screen.query_one("#review", Button).label) == "Review and apply"

        slider = screen.query_one("#memory-slider", Slider)
        slider.focus()
        await pilot.press("pageup")  # 2000 MB: ten 200 MB steps (about 1 % of 16384)
        await settle(pilot)
        assert screen.values["memory"] == 8000
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        await pilot.click("#confirm")
        await settle(pilot)
        current = app.controller.current_offer()
        assert current is not None and current.memory == 8000
        assert [h["action"] for h in app.controller.history()][-1] == "resource-config"


async def test_read_only_state_dir_is_a_message_not_a_traceback() -> None:
    with read_only_dir() as base:
        app = make_app(base / "state")
        remount_read_only(base)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AllocateScreen)
            screen.query_one("#channel", Select).value = "nunet-test"
            await type_into(pilot, "#payment_addr", ETH_ADDRESS)
            await pilot.press("ctrl+r")
            await pilot.pause()
            await pilot.click("#confirm")
            await settle(pilot)
            messages = [n.message for n in app._notifications]
            assert any(
                "read-only file system" in m or "permission denied" in m for m in messages
            ), messages
            assert not any("Traceback" in m for m in messages)
            assert app.is_running
        assert not (base / "state" / "node.key").exists()


async def test_wallet_create_word_check_export_and_use(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WalletScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        wallet = screen.wallet
        assert wallet is not None and wallet.address.startswith("0x")
        words = wallet.mnemonic.split()
        assert words[0] in text_of(app, "#wallet-words")
        await pilot.click("#written")
        await pilot.pause()
        assert words[0] not in text_of(app, "#wallet-words")

        # Wrong words are refused.
        positions = screen.check_positions
        assert len(positions) == 3
        for i in range(3):
            await type_into(pilot, f"#word-{i}", "wrong")
        await pilot.click("#check-words")
        await pilot.pause()
        assert "does not match" in text_of(app, "#backup-message")
        assert not screen.backed_up

        # The right words, typed as a person does: a word, enter, the next word...
        screen.query_one("#word-0", Input).focus()
        await pilot.pause()
        for p in positions:
            field = app.focused
            assert isinstance(field, Input) and field.has_class("word")
            field.clear()
            await pilot.press(*words[p], "enter")
            await pilot.pause()
        assert screen.backed_up
        assert "backup checked" in text_of(app, "#backup-message")

        # Export an encrypted keystore (pbkdf2 in tests), password typed twice.
        await type_into(pilot, "#export-dir", str(tmp_path / "keys"))
        await type_into(pilot, "#password", "correct horse")
        await type_into(pilot, "#password2", "correct horsf")
        await pilot.click("#export")
        await settle(pilot)
        assert "differ" in text_of(app, "#export-message")
        await type_into(pilot, "#password2", "correct horse")
        screen.query_one("#export", Button).press()
        await settle(pilot)
        assert "written" in text_of(app, "#export-message"), text_of(app, "#export-message")
        assert len(list((tmp_path / "keys").iterdir())) == 1
        # The password is gone from the form once used: a second export must ask again,
        # never silently reuse it.
        assert [screen.query_one(f, Input).value for f in ("#password", "#password2")] == ["", ""]
        screen.query_one("#export", Button).press()
        await settle(pilot)
        assert "needs at least 8 characters" in text_of(app, "#export-message")
        assert len(list((tmp_path / "keys").iterdir())) == 1

        screen.query_one("#use-new", Button).press()
        await settle(pilot)
        assert app.current_mode == "allocate"
        allocate = app.screen
        assert isinstance(allocate, AllocateScreen)
        assert allocate.query_one("#payment_addr", Input).value == wallet.address
        # Leaving the wallet screen dropped the secret.
        assert screen.wallet is None
        assert wallet.mnemonic.split()[0] not in text_of(app, "#summary")
    # Nothing on disk (state, logs, the encrypted export) holds the secrets.
    on_disk = "\n".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    assert wallet.private_key is not None
    assert wallet.private_key.removeprefix("0x").lower() not in on_disk.lower()
    assert " ".join(words[:3]) not in on_disk and " ".join(words[-3:]) not in on_disk
    assert "correct horse" not in on_disk


async def test_wallet_existing_address_validated(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        await type_into(pilot, "#existing", "0x1234")
        assert "✗" in text_of(app, "#existing-message")
        assert app.screen.query_one("#use-existing", Button).disabled
        await type_into(pilot, "#existing", ETH_ADDRESS)
        assert "valid" in text_of(app, "#existing-message")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "allocate"
        assert app.screen.query_one("#payment_addr", Input).value == ETH_ADDRESS


async def test_offboard_cancelled_keeps_state(app_factory: AppFactory) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, OffboardDialog)
        assert app.focused is not None and app.focused.id == "cancel"
        plan = text_of(app, "#offboard-plan")
        assert "node identity" in plan and "This keeps" in plan
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, OffboardDialog)
        assert app.controller.is_onboarded()


async def test_offboard_confirmed_removes_state(app_factory: AppFactory) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab")  # from Cancel to Offboard
        assert app.focused is not None and app.focused.id == "confirm"
        await pilot.press("enter")
        await settle(pilot)
        assert "Offboarded" in text_of(app, "#offboard-result")
        assert not app.controller.is_onboarded()
        await pilot.press("enter")  # Close is focused
        await settle(pilot)
        assert not isinstance(app.screen, OffboardDialog)
        assert "not onboarded" in text_of(app, "#status-panel")


async def test_offboard_forced_on_corrupt_state(app_factory: AppFactory, state_dir: Path) -> None:
    app = app_factory()
    app.controller.onboard(offer())
    (state_dir / "state.json").write_text("{ not json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = text_of(app, "#banner")
        assert "cannot be read" in banner and "offboard --force" in banner
        await pilot.press("x")
        await settle(pilot)
        assert "unreadable state file" in text_of(app, "#offboard-plan")
        # Only Force cleans up an unreadable state: Offboard waits for the tick.
        assert app.screen.query_one("#confirm", Button).disabled
        app.screen.query_one("#force", Checkbox).value = True
        await pilot.pause()
        assert not app.screen.query_one("#confirm", Button).disabled
        await pilot.click("#confirm")
        await settle(pilot)
        assert "Offboarded" in text_of(app, "#offboard-result")
        assert not app.controller.is_onboarded()
        assert app.controller.status().problems == ()


async def test_help_palette_and_keys(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("s")  # no navigation from under a dialog
        assert app.current_mode == "overview"
        await pilot.press("escape")
        await pilot.pause()
        await run_from_palette(pilot, "status")
        await settle(pilot)
        assert app.current_mode == "status"
        assert "not onboarded" in text_of(app, "#metadata-panel")
        for key, mode in (("o", "overview"), ("a", "allocate"), ("w", "wallet"), ("s", "status")):
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
        await settle(pilot)


async def test_too_small_terminal_gets_a_notice(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "too small" in text_of(app, "#too-small-text")
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(40, 10)
        await pilot.pause(0.1)
        assert isinstance(app.screen, TooSmallScreen)
        await settle(pilot)


async def test_the_price_box_says_what_is_wrong_with_a_comma_or_a_huge_price(
    app_factory: AppFactory,
) -> None:
    """The price box was a "number" Input: it dropped a comma without a word, so "1,5"
    offered 15 NTX a minute. Now the CLI's parser judges what was typed."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        await type_into(pilot, "#ntx_price", "1,5")
        assert screen.query_one("#ntx_price", Input).value == "1,5"
        message = text_of(app, "#ntx_price-message")
        assert "Price '1,5' is not a number" in message
        assert "write decimals with a point (1.5, not 1,5)" in message
        assert screen.values["ntx_price"] != 15
        await type_into(pilot, "#ntx_price", "1.5")
        assert "✗" not in text_of(app, "#ntx_price-message")
        assert screen.values["ntx_price"] == 1.5
        for typed, said in (
            ("1e19", "1e+19 is too large; it must be at most 9.2e+18"),
            ("inf", "'inf' is not a number"),
            ("1_0", "'1_0' is not a number"),
        ):
            await type_into(pilot, "#ntx_price", typed)
            assert said in text_of(app, "#ntx_price-message"), typed


async def test_the_status_screen_says_an_unreadable_state_once(
    app_factory: AppFactory, state_dir: Path
) -> None:
    """The wallets and history come from the same unreadable file: their failure is the
    problem already listed with its fix, not a second one."""
    app = app_factory()
    app.controller.onboard(offer())
    (state_dir / "state.json").write_text("{ not json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        problems = text_of(app, "#problems-panel")
        assert problems.count("✗") == 1, problems
        assert problems.startswith("✗ corrupt: the state file") and "→ fix:" in problems


async def test_a_stored_price_keeps_every_digit_in_the_form_and_on_status(
    app_factory: AppFactory,
) -> None:
    """The form was filled with f"{price:g}" (six digits): saving any other change then
    rewrote a price of 0.1234567 as 0.123457 without a word."""
    app = app_factory()
    app.controller.onboard(offer(ntx_price=0.1234567))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        assert screen.query_one("#ntx_price", Input).value == "0.1234567"
        assert screen.values["ntx_price"] == 0.1234567
        await pilot.press("s")
        await settle(pilot)
        assert "0.1234567 NTX/min" in text_of(app, "#metadata-panel")


def test_decimal_text_keeps_every_digit_and_drops_a_bare_point_zero() -> None:
    from app.onboarding.units import decimal_text

    assert [decimal_text(v) for v in (0.0, 0.25, 0.1234567, 1e19, 2.0, 1e-7)] == [
        "0",
        "0.25",
        "0.1234567",
        "1e+19",
        "2",
        "1e-07",
    ]


async def test_after_offboarding_the_form_keeps_channel_price_and_address(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    app.controller.onboard(offer(ntx_price=0.3, channel="nunet-team"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab", "enter")  # Offboard
        await settle(pilot)
        assert not app.controller.is_onboarded()
        await pilot.press("enter")  # Close
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen and not screen.onboarded
        assert screen.values["channel"] == "nunet-team"
        assert screen.values["ntx_price"] == 0.3
        assert screen.values["payment_addr"] == ETH_ADDRESS
        assert screen.query_one("#ntx_price", Input).value == "0.3"
        assert screen.unsaved_changes() is None  # defaults, not edits
