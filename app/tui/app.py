"""The nunet-onboard Textual app: four screens as modes, dialogs on top.

Each screen (Overview, Allocate, Wallet, Status) is a mode with its own screen
stack, so switching keeps a half-filled form as it was; dialogs are pushed on
the current mode. Only the Overview is built at start: the other screens, and
the libraries they need (pydantic, the wallet libraries), load on first use,
which keeps the first frame as fast as a bare Textual app's.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from app.tui import keymap
from app.tui.guard import CrashInOneLine, app_exiting, unexpected
from app.tui.key_guard import KeyGuard
from app.tui.keymap import bindings, key_name
from app.tui.messages import OnboardingChanged, StateFileChanged, UseAddress
from app.tui.screenshots_off import ScreenshotsOff

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rich.console import RenderableType
    from textual.command import Provider

    from app.hardware.live import Usage
    from app.hardware.model import MachineInfo
    from app.onboarding.controller import OnboardingController

MIN_WIDTH = 60
"""Narrowest terminal the layout works in: a slider row needs label + 20 + input."""
MIN_HEIGHT = 20
"""Lowest terminal: header, footer and enough rows to see a form field and its error."""

SCREENS = ("overview", "allocate", "wallet", "status")


def css_paths() -> list[str | PurePath]:
    """The app's stylesheet: the repo's ``styles/`` first, then the packaged copy.

    In a checkout ``styles/`` sits beside ``app/``; an installed wheel ships it
    as package data under ``app/styles/``. An app without its stylesheet still
    works (every widget has its own DEFAULT_CSS), it only looks plainer.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "styles", here.parent / "styles"):
        path = candidate / "app.tcss"
        if path.is_file():
            return [path]
    return []


def _commands() -> type[Provider]:
    from app.tui.commands import NunetCommands

    return NunetCommands


def _overview() -> Screen[None]:
    from app.tui.screens.overview import OverviewScreen

    return OverviewScreen()


def _allocate() -> Screen[None]:
    from app.tui.screens.allocate import AllocateScreen

    return AllocateScreen()


def _wallet() -> Screen[None]:
    from app.tui.screens.wallet import WalletScreen

    return WalletScreen()


def _status() -> Screen[None]:
    from app.tui.screens.status import StatusScreen

    return StatusScreen()


class NunetOnboardApp(ScreenshotsOff, CrashInOneLine, App[int]):
    """Onboard this machine to NuNet: see it, allocate it, get paid, check, offboard."""

    TITLE = "nunet-onboard"
    CSS_PATH = css_paths()
    COMMANDS = App.COMMANDS | {_commands}
    DEFAULT_MODE = "overview"
    """The Overview is the app's first screen (``get_default_screen``): no blank
    screen switched away from, and no second CSS pass as a MODES entry would
    cost at start (measured: ~1.7x a bare app's first frame, against ~1.2x).
    It is added as a mode in ``on_mount`` so that ``switch_mode`` finds it."""
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "allocate": _allocate,
        "wallet": _wallet,
        "status": _status,
    }
    BINDINGS: ClassVar[list[BindingType]] = bindings(keymap.APP)
    """From the one key table (``app.tui.keymap``): function keys work everywhere,
    letters when no text field has the focus."""

    def __init__(
        self,
        controller: OnboardingController,
        *,
        usage_interval: float = 1.0,
        usage: Callable[[], Usage] | None = None,
        export_kdf: str = "scrypt",
        rng: random.Random | None = None,
        machine: Future[MachineInfo] | None = None,
    ) -> None:
        """
        Args:
            controller: the one object every screen talks to.
            usage_interval: seconds between live usage samples on the Overview.
            usage: where samples come from (tests pass a fixed one); the controller's by default.
            export_kdf: the keystore KDF; tests use "pbkdf2" to stay fast.
            rng: picks the mnemonic words to check; a seeded one makes tests repeatable.
            machine: a probe already running (started before Textual was imported).
        """
        super().__init__()
        self.controller = controller
        self.usage_interval = usage_interval
        self.sample_usage: Callable[[], Usage] = usage or controller.usage
        self.export_kdf = export_kdf
        self.rng = rng or random.SystemRandom()
        self._too_small: Screen[None] | None = None
        self.machine_future = machine
        self.key_guard = KeyGuard(self, self._handle_key)
        if self.no_color:
            # Textual turns NO_COLOR into greys (256-colour codes still sent); NO_COLOR asks
            # for none at all. Focus is then reverse and bold (styles/app.tcss, :nocolor).
            from textual.filter import Monochrome, NoColor

            self._filters = [NoColor() if isinstance(f, Monochrome) else f for f in self._filters]

    FACTS_WAIT_S = 0.5
    """How long the start waits for the hardware probe, so that its facts are in the
    first frame. Waiting costs nothing: the probe needs a few ms of CPU that the
    start would spend anyway; it is only late when the two threads took turns. A
    probe stuck longer than this does not hold the app: the facts come after."""

    def get_default_screen(self) -> Screen[None]:
        if self.machine_future is not None:
            from concurrent.futures import wait

            wait([self.machine_future], timeout=self.FACTS_WAIT_S)
        return _overview()

    def exit(
        self,
        result: int | None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Quit: a write still waiting for another process's lock is dropped, never run later.

        A code already set by an error (1) or a signal is kept: a ``q`` that was
        queued behind the failure must not turn it into a success."""
        self.controller.cancel_waits(forever=True)
        if self.return_code not in (None, 0) and return_code == 0:
            return_code = self.return_code
        super().exit(result, return_code, message)

    # -- keys and errors -----------------------------------------------------------
    @property
    def exiting(self) -> bool:
        return app_exiting(self)

    async def on_event(self, event: events.Event) -> None:
        """Keys do nothing once the app is exiting; typed text is not screen keys."""
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and (self.exiting or self.key_guard.take(event))
        ):
            return
        await super().on_event(event)

    async def _handle_key(self, key: events.Key) -> None:
        """A key the guard let through, handled as Textual would have handled it."""
        if not self.exiting:
            await super().on_event(key)

    async def run_action(self, *args: Any, **kwargs: Any) -> bool:
        """Every key's action: an unexpected error in it is a one-line notice."""
        try:
            return await super().run_action(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - logged with its traceback, said in a line
            unexpected(self, exc)
            return True

    # -- start -----------------------------------------------------------------
    def on_mount(self) -> None:
        self.add_mode("overview", _overview)
        # In a 16-colour terminal (TERM=xterm), truecolour themes are rounded to
        # the nearest of 16 colours and lose their contrast; the ANSI theme uses
        # the terminal's own palette instead. Rich decides the depth from
        # TERM/COLORTERM (or TEXTUAL_COLOR_SYSTEM) when the app is built.
        if self.console.color_system in ("standard", "windows"):
            self.theme = "ansi-dark"
        self.call_after_refresh(self._check_size)
        self._follow_state_and_signals()

    def _follow_state_and_signals(self) -> None:
        """Follow changes made by other processes; end cleanly on SIGTERM and SIGHUP."""
        from app.tui.signals import exit_on_signals
        from app.tui.state_watch import StateWatcher

        self.state_watcher = StateWatcher((self.controller.state_path, self.controller.key_path))
        self.state_watcher.start(self)
        exit_on_signals(self)

    def own_write(self) -> AbstractContextManager[None]:
        """Around each write of this app (in a worker): not a change to follow as outside."""
        watcher = getattr(self, "state_watcher", None)
        return watcher.own_write() if watcher is not None else nullcontext()

    # -- navigation --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No switching from under a dialog or the too-small notice; the key of the
        screen shown is left out of the footer."""
        if action in ("show", "offboard", "help") and (
            self.screen.is_modal or self._too_small is not None
        ):
            return False
        return not (action == "show" and parameters and parameters[0] == self.current_mode)

    def get_key_display(self, binding: Binding) -> str:
        """``F2`` rather than ``f2``, ``PgUp`` rather than ``pageup``: as the help writes them."""
        if binding.key_display:
            return binding.key_display
        return key_name(binding.key.split(",")[0])

    def action_blur(self) -> None:
        """``esc`` in a text field: leave it, so the letter keys work again."""
        self.screen.set_focus(None)

    async def action_quit(self) -> None:
        """Quit at once, or ask first when a screen has something that would be lost.

        A screen says so with ``unsaved_changes() -> str | None`` (the Allocate
        form edited and not applied, a wallet's words on screen); the dialog's
        default is to stay.
        """
        from app.tui.dialogs.confirm import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return
        losses = self.unsaved_changes()
        if not losses:
            self.exit()
            return

        def chosen(leave: bool | None) -> None:
            if leave:
                for mode in SCREENS:  # drop what would be lost (a wallet's words) first
                    for screen in self.built_screens(mode):
                        discard = getattr(screen, "discard", None)
                        if callable(discard):
                            discard()
                self.exit()

        self.push_screen(
            ConfirmDialog(
                "Quit nunet-onboard?",
                "Quitting now loses:\n" + "\n".join(f" • {loss}" for loss in losses),
                leave="Quit anyway",
            ),
            chosen,
        )

    def unsaved_changes(self) -> list[str]:
        """What every built screen says it would lose, in the order of the screens."""
        losses: list[str] = []
        for mode in SCREENS:
            for screen in self.built_screens(mode):
                ask = getattr(screen, "unsaved_changes", None)
                loss = ask() if callable(ask) else None
                if loss:
                    losses.append(str(loss))
        return losses

    async def action_show(self, mode: str) -> None:
        if mode in SCREENS and self.current_mode != mode:
            self.leave_screen(lambda: self.switch_mode(mode))

    def action_offboard(self) -> None:
        from app.tui.dialogs.offboard import OffboardDialog

        def done(changed: bool | None) -> None:
            if changed:
                self.post_message(OnboardingChanged())

        self.leave_screen(lambda: self.push_screen(OffboardDialog(), done))

    def leave_screen(self, then: Callable[[], object]) -> None:
        """Do ``then``, after asking first when the screen shown would lose something."""
        from app.tui.leave_guard import ask_before_leaving

        ask_before_leaving(self, then)

    def action_help(self) -> None:
        from app.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_refresh_hardware(self) -> None:
        from app.tui.screens.overview import OverviewScreen

        if self.current_mode != "overview":
            self.switch_mode("overview")
        stack = self.built_screens("overview")
        if stack and isinstance(stack[0], OverviewScreen):
            stack[0].probe(refresh=True)

    def built_screens(self, mode: str) -> list[Screen[object]]:
        """The mode's screen stack, or [] when the mode has not been shown yet."""
        try:
            return self.get_screen_stack(mode)
        except KeyError:
            return []

    def chosen_channel(self) -> str | None:
        """The channel chosen on the Allocate form; None when it was not built or has none."""
        stack = self.built_screens("allocate")
        if not stack:
            return None
        from app.tui.screens.allocate import AllocateScreen

        screen = stack[0]
        return (
            (screen.values.get("channel") or None) if isinstance(screen, AllocateScreen) else None
        )

    # -- messages from the screens -------------------------------------------------
    def on_use_address(self, message: UseAddress) -> None:
        self.leave_screen(lambda: self.run_worker(self._use_address(message.address)))

    async def _use_address(self, address: str) -> None:
        from app.tui.screens.allocate import AllocateScreen

        await self.switch_mode("allocate")
        stack = self.built_screens("allocate")
        if stack and isinstance(stack[0], AllocateScreen):
            stack[0].use_address(address)

    def on_onboarding_changed(self, message: OnboardingChanged) -> None:
        """Every built screen reloads what it shows from the controller."""
        for mode in SCREENS:
            for screen in self.built_screens(mode):
                reload = getattr(screen, "reload", None)
                if callable(reload):
                    reload()

    def on_state_file_changed(self, message: StateFileChanged) -> None:
        """Another process (or this one) wrote the state: every built screen follows it."""
        for mode in SCREENS:
            for screen in self.built_screens(mode):
                follow = getattr(screen, "follow_state", None) or getattr(screen, "reload", None)
                if callable(follow):
                    follow()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The last net: a worker that failed says so in a sentence, not a traceback."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from app.tui.screens.base import describe_error

            self.notify(
                describe_error(event.worker.error), severity="error", markup=False, timeout=10
            )

    # -- terminal size -----------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        from app.tui.screens.too_small import TooSmallScreen

        width, height = self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self._too_small = TooSmallScreen(MIN_WIDTH, MIN_HEIGHT)
            self.push_screen(self._too_small)
        elif self._too_small is not None:
            if small:
                self._too_small.refresh()
                return
            screen, self._too_small = self._too_small, None
            if self.screen is screen:
                self.pop_screen()
