"""TUI test helpers: an app on a tmp state dir with the fake machine and fixed usage.

Everything that would make a frame differ between runs is pinned: the hardware
(fake probe), the usage sample, the machine id, the state directory's path (for
snapshots), the random word positions of the backup check.
"""

from __future__ import annotations

import asyncio
import inspect
import random
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from app.hardware.live import Usage
from app.onboarding import reader as reader_module
from app.onboarding.controller import OnboardingController
from app.tui.app import NunetOnboardApp

if TYPE_CHECKING:
    from app.tui.screens.allocate import AllocateScreen
from tests.conftest import ETH_ADDRESS, HANG_S
from tests.fakes import fake_machine

FIXED_USAGE = Usage(cpu_percent=12.0, memory_percent=40.0, memory_used_mb=6553)
SIZE = (80, 24)

AppFactory = Callable[..., NunetOnboardApp]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no pytest-asyncio needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def _fixed_machine_id(monkeypatch: pytest.MonkeyPatch) -> None:
    # A truecolour terminal unless a test says otherwise: the app picks its
    # theme from the colour depth, and the snapshots must not depend on the
    # TERM of whoever runs them.
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    monkeypatch.setattr(
        reader_module, "_machine_uuid", lambda: "00000000-0000-0000-0000-000000000001"
    )


def make_app(state_dir: Path, *, gpus: int = 1, **machine: Any) -> NunetOnboardApp:
    controller = OnboardingController(
        state_dir, probe=lambda: fake_machine(gpus=gpus, **machine), load_average=lambda: 0.0
    )
    return NunetOnboardApp(
        controller,
        usage_interval=3600,
        usage=lambda: FIXED_USAGE,
        export_kdf="pbkdf2",
        rng=random.Random(4),
    )


@pytest.fixture
def app_factory(state_dir: Path) -> AppFactory:
    def factory(**machine: Any) -> NunetOnboardApp:
        return make_app(state_dir, **machine)

    return factory


@pytest.fixture
def snapshot_state_dir(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A state dir whose path is the same on every run, since the screens show it."""
    path = Path("/tmp/nunet-onboard-snapshots") / request.node.name
    shutil.rmtree(path, ignore_errors=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


async def settle(pilot: Pilot[Any]) -> None:
    """Let the thread workers finish and their results reach the widgets.

    A worker of an exclusive group (a screen's reload) is cancelled when a newer one
    starts, which ``wait_for_complete`` reports as WorkerCancelled: that is the app
    working as meant, so the wait goes on for the rest.
    """
    for _ in range(3):
        for _ in range(20):  # bounded: a cancelled worker leaves the list once it ends
            try:
                await pilot.app.workers.wait_for_complete()
            except WorkerCancelled:
                await pilot.pause()
                continue
            break
        await pilot.pause()


async def run_from_palette(pilot: Pilot[Any], query: str) -> None:
    """Open the command palette, type ``query`` and press Enter on the command it found.

    The palette searches in the background and lists its hits after a short batch
    delay; Enter before the list shows does nothing. So Enter waits until the top hit
    names ``query`` (a hang only: bounded by HANG_S), not a fixed pause.
    """
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    results = palette.query_one(CommandList)

    def top_hit() -> str:
        index = results.highlighted
        if index is None or index >= results.option_count:
            return ""
        return str(results.get_option_at_index(index).prompt).lower()

    deadline = time.monotonic() + HANG_S
    while query.lower() not in top_hit() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert query.lower() in top_hit(), f"the palette never listed {query!r}"
    await pilot.press("enter")


async def open_allocate(pilot: Pilot[Any]) -> AllocateScreen:
    """The Allocate screen, opened from wherever the app is, once it has settled."""
    from app.tui.screens.allocate import AllocateScreen

    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AllocateScreen)
    return screen


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Type short values key by key; paste long ones (addresses) in one go, as people do."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.clear()
    await pilot.pause()
    if len(text) <= 8:
        await pilot.press(*text)
    else:
        widget.insert_text_at_cursor(text)
    await settle(pilot)


async def type_on_slider(pilot: Pilot[Any], selector: str, digits: str) -> None:
    """Type a number as a person does: focus the slider, type the digits (they go to its box)."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("left")  # a move ends any earlier typing, so the digits start afresh
    await pilot.press(*digits)
    await settle(pilot)


def offer(**changes: Any) -> Any:
    from app.onboarding.models import CapacityForNunet

    values: dict[str, Any] = dict(
        cpu=5000, memory=6000, disk=50, channel="nunet-test", payment_addr=ETH_ADDRESS
    )
    values.update(changes)
    return CapacityForNunet(**values)
