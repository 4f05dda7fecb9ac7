"""A wallet whose words were never checked: leaving asks first, and it never looks usable.

Every exit key is tried on a freshly generated wallet: the first time "Stay" (the
default) keeps the words on screen, the second time "Leave" drops them. The
abandoned wallets stay recorded, marked NOT checked in the state, the Status
screen, ``wallet list`` and with a warning when the address is put in an offer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.offboard import OffboardDialog
from app.tui.screens.wallet import WalletScreen
from tests.cli.helpers import run_cli
from tests.tui.conftest import SIZE, AppFactory, run_from_palette, settle, type_into


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def generate(pilot: Pilot[Any]) -> tuple[WalletScreen, str, str]:
    """A new wallet on the Wallet screen: the screen, its address, its first word."""
    app = pilot.app
    if app.current_mode != "wallet":
        await pilot.press("w")
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WalletScreen)
    await pilot.press("ctrl+g")
    await settle(pilot)
    if isinstance(app.screen, ConfirmDialog):  # unchecked words on screen: asked first
        await pilot.click("#yes")
        await settle(pilot)
    wallet = screen.wallet
    assert wallet is not None
    return screen, wallet.address, wallet.mnemonic.split()[0]


async def press_exit(pilot: Pilot[Any], key: str) -> None:
    if key == "palette":
        await run_from_palette(pilot, "status")
    else:
        await pilot.press(key)
    await settle(pilot)


@pytest.mark.slow
async def test_every_exit_key_asks_and_an_abandoned_wallet_is_never_usable(
    app_factory: AppFactory, state_dir: Path
) -> None:
    app = app_factory()
    abandoned: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen, address, first_word = await generate(pilot)
        abandoned.append(address)  # replaced by the next wallet, unchecked
        # ctrl+c does not leave the screen (Textual only says how to quit): words kept.
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.screen is screen and screen.wallet is not None
        # Every exit key asks, with Stay as the default; Stay keeps the words.
        for key in ("o", "a", "s", "x", "palette", "q"):
            await press_exit(pilot, key)
            assert isinstance(app.screen, ConfirmDialog), key
            assert app.focused is not None and app.focused.id == "no"
            assert "NOT checked" in text_of(app, "#confirm-message")
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen and app.current_mode == "wallet", key
            assert first_word in text_of(app, "#wallet-words")
        # Leave, by each kind of way out: a screen key (a and s run the same action
        # as o), the dialog on top (x), the command palette, quit.
        for key, lands_in in (
            ("o", "overview"),
            ("x", "offboard"),
            ("palette", "status"),
            ("q", "quit"),
        ):
            screen, address, first_word = await generate(pilot)
            await press_exit(pilot, key)
            assert isinstance(app.screen, ConfirmDialog), key
            abandoned.append(address)
            await pilot.click("#yes")
            await settle(pilot)
            assert screen.wallet is None, key
            assert first_word not in str(screen.query_one("#wallet-words", Static).render())
            if key == "q":
                break
            if lands_in == "offboard":
                assert isinstance(app.screen, OffboardDialog)
                await pilot.press("escape")
                await settle(pilot)
            else:
                assert app.current_mode == lands_in, key
        assert not app.is_running  # "q", confirmed, quit the app

    records = {w["address"]: w for w in app.controller.wallets()}
    assert set(abandoned) <= set(records)
    assert all(records[a]["backup_checked"] is False for a in abandoned)
    listed = run_cli("wallet", "list", "--json", state_dir=state_dir)
    assert all(w["backup_checked"] is False for w in json.loads(listed.stdout))
    assert run_cli("wallet", "list", state_dir=state_dir).stdout.count("NOT checked") == len(
        abandoned
    )

    # In a new session: the Status screen and the Allocate form say so too.
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        wallets = text_of(app, "#wallets-panel")
        assert all(a in wallets for a in abandoned[:2]) and "✓ checked" not in wallets
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#payment_addr", abandoned[0])
        assert "never checked" in text_of(app, "#payment_addr-message")


@pytest.mark.slow
async def test_backup_check_refuses_near_misses_and_the_wallet_stays_unchecked(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen, address, _ = await generate(pilot)
        assert screen.wallet is not None
        words = screen.wallet.mnemonic.split()
        positions = screen.check_positions
        await pilot.click("#written")
        await pilot.pause()
        right = [words[p] for p in positions]
        for near_misses, reason in (
            (["", "", ""], "is empty"),
            ([w[:3] for w in right], "does not match"),
            ([w.capitalize() for w in right], "lower case"),
            ([f" {w} " for w in right], "spaces around it"),
            ([right[0], right[1], right[2].upper()], "lower case"),
        ):
            for i, typed in enumerate(near_misses):
                field = screen.query_one(f"#word-{i}", Input)
                field.value = typed
            # Enter on the last word checks them all (the keyboard path; a click can land
            # on a notice that covers the button on a slow machine).
            screen.query_one(f"#word-{len(near_misses) - 1}", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            assert reason in text_of(app, "#backup-message")
            assert not screen.backed_up
            assert [w["backup_checked"] for w in app.controller.wallets()] == [False]
            assert not screen.query_one("#wallet-after").display  # no export, no "use it"
        for i, typed in enumerate(right):
            screen.query_one(f"#word-{i}", Input).value = typed
        await pilot.click("#check-words")
        await settle(pilot)
        assert screen.backed_up
        assert [w["backup_checked"] for w in app.controller.wallets()] == [True]
        assert screen.would_be_lost() is None
        await pilot.press("escape", "o")  # nothing to lose any more: no question
        await settle(pilot)
        assert app.current_mode == "overview"
        assert address


async def test_no_screenshot_can_carry_the_words_on_screen(
    app_factory: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's palette has a "Screenshot" command that writes the screen's text to
    ~/Downloads (0644): with a new wallet's words on screen, that is the recovery phrase."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Downloads").mkdir()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await generate(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"screenshot")
        await pilot.pause(0.3)  # the palette lists no such command: Enter finds nothing
        await pilot.press("enter")
        await pilot.pause(0.4)  # the command saves on a 0.1 s timer
        assert not [p for p in tmp_path.rglob("*") if p.suffix == ".svg"]
        if not isinstance(app.screen, WalletScreen):
            await pilot.press("escape")
            await pilot.pause()
        app.action_screenshot()
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" in titles
        assert [n.message for n in app._notifications][-1] == app.SCREENSHOTS_OFF
        await settle(pilot)
    assert not [p for p in tmp_path.rglob("*") if p.suffix == ".svg"]
