"""Screenshots of every screen of the real app, for the README.

Runs ``NunetOnboardApp`` headless at 80x24 with the fake machine probe (so the
pictures are the same on every machine), saves an SVG of each screen and turns
it into a PNG with ``rsvg-convert`` (Debian: ``apt-get install librsvg2-bin``).

    .venv/bin/python screenshots/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# The same truecolour terminal whoever runs this, so the pictures do not depend on
# the TERM of the shell it was started from.
os.environ.update(TERM="xterm-256color", COLORTERM="truecolor")
os.environ.pop("NO_COLOR", None)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.hardware.model import GpuUsage, Usage  # noqa: E402
from app.onboarding import reader as reader_module  # noqa: E402
from app.onboarding.controller import OnboardingController  # noqa: E402
from app.tui.app import NunetOnboardApp  # noqa: E402
from tests.fakes import fake_machine  # noqa: E402

OUT = Path(__file__).resolve().parent
ETH_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
MNEMONIC = " ".join(["abandon"] * 23 + ["art"])
SIZE = (80, 24)


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def usage_minute() -> list[Usage]:
    """A made-up minute of use: a CPU that wanders, steady memory, a GPU job that starts."""
    samples = []
    for t in range(60):
        cpu = 18 + 14 * math.sin(t / 6) + (25 if 38 <= t <= 44 else 0)
        gpu = 3.0 if t < 30 else min(97.0, 40 + 3 * (t - 30))
        samples.append(
            Usage(
                cpu_percent=round(max(0.0, cpu), 1),
                memory_percent=41.0 + (t >= 30) * 6,
                memory_used_mb=6717 + (t >= 30) * 983,
                gpus=(GpuUsage(0, gpu, 1210 if t < 30 else 17_850, 24_576),),
            )
        )
    return samples


async def shoot(state_dir: Path) -> list[Path]:
    controller = OnboardingController(
        state_dir, probe=lambda: fake_machine(gpus=1), load_average=lambda: 0.0
    )
    controller.new_wallet = lambda chain, network="mainnet", words=24: controller.restore_wallet(  # type: ignore[method-assign]
        chain, MNEMONIC, network=network
    )
    minute = usage_minute()
    app = NunetOnboardApp(
        controller,
        # One sample a second keeps a minute in the sparklines; the script takes the
        # minute's samples by hand, and a timer's sample repeats the last one.
        usage_interval=1,
        usage=lambda: minute.pop(0) if len(minute) > 1 else minute[0],
        export_kdf="pbkdf2",
        rng=random.Random(7),
    )
    svgs: list[Path] = []

    def save(name: str) -> None:
        svgs.append(Path(app.save_screenshot(f"{name}.svg", path=str(OUT))))

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(59):
            app.screen.sample()  # type: ignore[attr-defined]
        await pilot.pause()
        save("overview")

        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#channel").value = "nunet-test"  # type: ignore[attr-defined]
        address = screen.query_one("#payment_addr")
        address.insert_text_at_cursor(ETH_ADDRESS)  # type: ignore[attr-defined]
        await settle(pilot)
        screen.query_one("#cpu-slider").focus()
        await pilot.press("pagedown")
        await settle(pilot)
        save("allocate")
        await pilot.press("ctrl+r")
        await settle(pilot)
        save("review")
        await pilot.click("#confirm")
        await settle(pilot)

        # The same form on an onboarded machine: a change and its review.
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#cpu-slider").focus()
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        save("review-change")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        save("wallet")
        from app.tui.widgets.wallet_list import WalletList

        app.screen.query_one(WalletList).scroll_visible(animate=False, top=True)
        await settle(pilot)
        save("wallet-list")

        await pilot.press("s")
        await settle(pilot)
        await pilot.click("#yes")  # "Leave this screen?": the words were shown, that is all
        await settle(pilot)
        save("status")

        await pilot.press("x")
        await settle(pilot)
        save("offboard")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("question_mark")
        await settle(pilot)
        save("help")
    return svgs


def main() -> int:
    if shutil.which("rsvg-convert") is None:
        print("rsvg-convert not found: apt-get install -y librsvg2-bin", file=sys.stderr)
        return 1
    # The status and dialogs show paths and ids: keep them short and stable.
    reader_module._machine_uuid = lambda: "5f3c0a52-8d0e-4b8e-9a51-0c2d6e7f8a90"  # type: ignore[assignment]
    base = Path(tempfile.gettempdir()) / "nunet-onboard"
    shutil.rmtree(base, ignore_errors=True)
    try:
        svgs = asyncio.run(shoot(base))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for svg in svgs:
        png = svg.with_suffix(".png")
        subprocess.run(["rsvg-convert", "--zoom", "1", str(svg), "-o", str(png)], check=True)
        svg.unlink()
        print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
