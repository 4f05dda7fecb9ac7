"""The Textual app of nunet-onboard.

``run`` is the only entry point the CLI uses; it imports Textual and the app
here, lazily, so that the headless commands never pay for Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController


def run(controller: OnboardingController) -> int:
    """Run the app full screen until the user quits; return the exit code.

    The hardware probe (without GPUs, tens of ms) starts on a thread before
    Textual is even imported, so the facts are ready for the first frame
    instead of arriving a render or two later.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="probe") as pool:
        machine = pool.submit(controller.machine, gpus=False)
        from app.tui.app import NunetOnboardApp

        app = NunetOnboardApp(controller, machine=machine)
        result = app.run()
    if app.return_code not in (None, 0):
        return int(app.return_code)
    return int(result or 0)
