"""Snapshot tests of every screen and dialog at 80x24 (pytest-textual-snapshot).

Run ``pytest tests/tui --snapshot-update`` after a deliberate change of look and
review the SVGs in ``__snapshots__``. Everything that varies between runs is
pinned: the machine (fake probe), usage (fixed sample), the machine id, the
node id, clocks in the history, the state dir's path and the mnemonic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from app.onboarding import identity
from app.onboarding import records as records_module
from app.tui.app import NunetOnboardApp
from app.tui.screens.allocate import AllocateScreen
from tests.conftest import ETH_ADDRESS
from tests.tui.conftest import make_app, offer, settle, type_into, type_on_slider

MNEMONIC = " ".join(["abandon"] * 11 + ["about"])
Snap = Callable[..., bool]


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    real_create = identity.create_identity

    def create(state_dir: Path) -> str:
        real_create(state_dir)
        return "12D3KooWSnapshotNodeIdForTestsOnly"

    monkeypatch.setattr(identity, "create_identity", create)
    monkeypatch.setattr(records_module, "now_iso", lambda: "2025-01-02T03:04:05+00:00")


def app_at(path: Path, *, onboarded: bool = False, **machine: Any) -> NunetOnboardApp:
    app = make_app(path, **machine)
    if onboarded:
        app.controller.onboard(offer(gpus=(0,)))
    return app


def press(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_overview(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    assert snap_compare(app_at(snapshot_state_dir), run_before=sample_usage)


def test_overview_onboarded(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    assert snap_compare(app_at(snapshot_state_dir, onboarded=True), run_before=sample_usage)


def test_overview_16_colours(
    snap_compare: Snap, snapshot_state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rich reads the colour depth from TERM/COLORTERM when the app is built;
    # TERM=xterm without COLORTERM is a 16-colour terminal, and the app then
    # switches to the ANSI theme.
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM")
    app = app_at(snapshot_state_dir, gpus=0)
    assert app.console.color_system == "standard"
    assert snap_compare(app, run_before=sample_usage)
    assert app.theme == "ansi-dark"


def test_overview_no_color(
    snap_compare: Snap, snapshot_state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app_at(snapshot_state_dir), run_before=sample_usage)


async def sample_usage(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.screen.sample()  # type: ignore[attr-defined]
    await pilot.pause()


def test_allocate(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await press("a")(pilot)
        await type_on_slider(pilot, "#memory-slider", "1000")  # refused: below 10 %
        pilot.app.set_focus(None)
        await settle(pilot)

    assert snap_compare(app_at(snapshot_state_dir), run_before=run)


def test_allocate_prefilled(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await press("a")(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AllocateScreen)
        screen.query_one("#allocate").scroll_end(animate=False)
        pilot.app.set_focus(None)
        await settle(pilot)

    assert snap_compare(app_at(snapshot_state_dir, onboarded=True), run_before=run)


def test_review_dialog(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await press("a")(pilot)
        pilot.app.screen.query_one("#channel").value = "nunet-test"  # type: ignore[attr-defined]
        await type_into(pilot, "#payment_addr", ETH_ADDRESS)
        await pilot.press("ctrl+r")
        await settle(pilot)

    assert snap_compare(app_at(snapshot_state_dir), run_before=run)


def test_review_dialog_resource_config(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await press("a")(pilot)
        pilot.app.screen.query_one("#memory-slider").focus()
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)

    assert snap_compare(app_at(snapshot_state_dir, onboarded=True), run_before=run)


def test_wallet(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    assert snap_compare(app_at(snapshot_state_dir), run_before=press("w"))


def test_wallet_new_words(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    app = app_at(snapshot_state_dir)
    c = app.controller

    def fixed_wallet(chain: str, *, network: str = "mainnet", words: int = 24) -> Any:
        return c.restore_wallet(chain, MNEMONIC, network=network)

    c.new_wallet = fixed_wallet  # type: ignore[method-assign]
    assert snap_compare(app, run_before=press("w", "ctrl+g"))


def test_status(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    assert snap_compare(app_at(snapshot_state_dir, onboarded=True), run_before=press("s"))


def test_offboard_dialog(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    assert snap_compare(app_at(snapshot_state_dir, onboarded=True), run_before=press("x"))


def test_help(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    assert snap_compare(app_at(snapshot_state_dir), run_before=press("question_mark"))


def test_too_small(snap_compare: Snap, snapshot_state_dir: Path) -> None:
    assert snap_compare(app_at(snapshot_state_dir), terminal_size=(50, 16), run_before=settle)
