"""The form's plain boxes (the price, the address) are built from the table of the
offer's fields: read by their kind, Enter in any of them opens the review, and the
review shows the value as the table words it."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from app.tui.dialogs.review import ReviewDialog
from tests.tui.conftest import SIZE, AppFactory, offer, open_allocate, settle, type_into


async def test_enter_in_the_price_box_reviews_the_price_typed_with_its_unit(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    app.controller.onboard(offer(ntx_price=0.3))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        await type_into(pilot, "#ntx_price", "0.75")
        assert screen.values["ntx_price"] == 0.75  # a number: read as a decimal
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDialog)
        console = Console(width=72, record=True, file=io.StringIO(), color_system=None)
        console.print(app.screen.query_one("#review-table", Static).content)
        row = next(line for line in console.export_text().splitlines() if "Price" in line)
        assert "0.3 NTX/min" in row and "0.75 NTX/min" in row


async def test_the_address_box_keeps_the_address_without_the_spaces_around_it(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_allocate(pilot)
        await type_into(pilot, "#payment_addr", "  0xabc  ")
        assert screen.values["payment_addr"] == "0xabc"  # text: as typed, trimmed
        await settle(pilot)
