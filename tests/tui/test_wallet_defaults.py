"""The Wallet screen's defaults: the Cardano network of the chosen channel, and an export
place of its own for each wallet (a second Cardano wallet used to collide with the first).

The real app (Pilot) on a tmp state directory with the real wallet libraries; the
machine is the fake probe of tests/tui/conftest.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from app.tui.screens.allocate import AllocateScreen
from app.tui.screens.wallet import WalletScreen
from tests.tui.conftest import SIZE, AppFactory, offer, settle


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def cardano_wallet_checked(pilot: Pilot[Any]) -> WalletScreen:
    """Cardano chosen, a wallet generated and its three words typed back."""
    screen = pilot.app.screen
    assert isinstance(screen, WalletScreen)
    screen.query_one("#chain", Select).value = "cardano"
    await settle(pilot)
    await pilot.press("ctrl+g")
    await settle(pilot)
    wallet = screen.wallet
    assert wallet is not None
    await pilot.click("#written")
    await pilot.pause()
    words = wallet.mnemonic.split()
    for i, position in enumerate(screen.check_positions):
        screen.query_one(f"#word-{i}", Input).value = words[position]
    await pilot.click("#check-words")
    await settle(pilot)
    assert screen.backed_up
    return screen


async def test_two_cardano_wallets_export_at_their_default_places(
    app_factory: AppFactory, state_dir: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await settle(pilot)
        places: list[Path] = []
        for _ in range(2):
            screen = await cardano_wallet_checked(pilot)
            assert screen.wallet is not None
            place = Path(screen.query_one("#export-dir", Input).value)
            screen.query_one("#export").focus()
            await pilot.press("enter")
            await settle(pilot)
            assert "✓ written (0600)" in text_of(app, "#export-message"), text_of(
                app, "#export-message"
            )
            places.append(place)
        assert places[0] != places[1]
        for place in places:
            assert place.parent == state_dir / "wallets"
            assert sorted(p.name for p in place.iterdir()) == [
                "payment.skey",
                "payment.vkey",
                "stake.skey",
                "stake.vkey",
            ]
    recorded = [w["exports"] for w in app.controller.wallets()]
    assert [sorted(e) for e in recorded] == [
        sorted(str(p) for p in place.iterdir()) for place in places
    ]


async def test_a_typed_export_place_is_kept_for_the_next_wallet(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await settle(pilot)
        screen = await cardano_wallet_checked(pilot)
        screen.query_one("#export-dir", Input).value = str(tmp_path / "mine")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert screen.query_one("#export-dir", Input).value == str(tmp_path / "mine")


async def test_ctrl_n_after_choosing_nunet_test_offers_a_testnet_wallet(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        allocate = app.screen
        assert isinstance(allocate, AllocateScreen)
        allocate.query_one("#channel", Select).value = "nunet-test"
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WalletScreen)
        assert screen.query_one("#network", Select).value == "testnet"
        screen.query_one("#chain", Select).value = "cardano"
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert screen.wallet is not None and screen.wallet.network == "testnet"
        assert screen.wallet.address.startswith("addr_test1")

        # Back on Allocate, nunet-team: the Wallet screen follows (no wallet on screen).
        screen.discard()
        await pilot.press("a")
        await settle(pilot)
        allocate.query_one("#channel", Select).value = "nunet-team"
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert screen.query_one("#network", Select).value == "mainnet"


async def test_w_on_a_node_onboarded_on_nunet_test_offers_testnet(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    app.controller.onboard(offer(channel="nunet-test"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.query_one("#network", Select).value == "testnet"


async def test_a_network_picked_by_the_user_stays(app_factory: AppFactory) -> None:
    app = app_factory()
    app.controller.onboard(offer(channel="nunet-test"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#network", Select).value = "mainnet"
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert screen.query_one("#network", Select).value == "mainnet"
