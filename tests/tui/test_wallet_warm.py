"""The Wallet screen starts loading the chosen chain's library as soon as it opens.

``import pycardano`` takes seconds; started when the screen opens (and again when
the chain changes), it is done or well on its way by the time Generate is pressed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import Select

from app.onboarding import wallet_ops
from tests.tui.conftest import SIZE, AppFactory, settle


async def test_opening_the_screen_and_choosing_a_chain_warm_its_library(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wallet_ops, "_warming", set())
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert wallet_ops._warming == set()  # the Overview loads no wallet library
        await pilot.press("w")
        await settle(pilot)
        assert wallet_ops._warming == {"ethereum"}
        app.screen.query_one("#chain", Select).value = "cardano"
        await settle(pilot)
        assert wallet_ops._warming == {"ethereum", "cardano"}


@pytest.mark.slow
def test_warming_imports_the_library_on_a_daemon_thread() -> None:
    # Which thread imports eth_account is recorded by a finder at the head of
    # sys.meta_path (the import system's boundary): asking "is it imported yet?" right
    # after the call raced with the thread on a busy machine.
    code = (
        "import sys, threading\n"
        "seen = []\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'eth_account':\n"
        "            seen.append(threading.current_thread().name)\n"
        "sys.meta_path.insert(0, Spy())\n"
        "from app.onboarding import wallet_ops\n"
        "wallet_ops.warm_library('ethereum')\n"
        "(t,) = [t for t in threading.enumerate() if t.name == 'warm-ethereum']\n"
        "print(t.daemon)\n"
        "t.join()\nprint(seen, 'eth_account' in sys.modules, 'mnemonic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["True", "['warm-ethereum'] True True"]
