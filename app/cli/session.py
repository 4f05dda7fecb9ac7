"""What every command needs before it runs: the controller, logging, and a question to ask."""

from __future__ import annotations

import sys

from app.cli.exits import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from app.config import Settings
    from app.onboarding.controller import OnboardingController
    from app.onboarding.reader import StateReader


def make_controller(args: argparse.Namespace, *, log: bool = False) -> OnboardingController:
    """The controller for the chosen state directory, with settings and logging loaded."""
    from app.config import ConfigError, load_settings
    from app.onboarding.controller import OnboardingController

    try:
        settings = load_settings(getattr(args, "state_dir", None))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    controller = OnboardingController(settings.state_dir, gpu_timeout_s=settings.gpu_timeout_s)
    if log:
        from app.logs import configure_logging  # logging.handlers: socket, pickle, queue

        configure_logging(
            controller.log_path,
            verbose=getattr(args, "verbose", False),
            level=settings.log_level,
            max_bytes=settings.log_max_bytes,
            backups=settings.log_backups,
        )
    return controller


def light_controller(args: argparse.Namespace) -> OnboardingController:
    """For the read-only commands: no log file; see ``light_session``."""
    from app.onboarding.controller import OnboardingController

    settings = _lenient_settings(args)[0]
    return OnboardingController(settings.state_dir, gpu_timeout_s=settings.gpu_timeout_s)


def light_session(args: argparse.Namespace) -> tuple[StateReader, bool]:
    """For ``status``: the state reader (none of the controller's operations are
    loaded), and whether a setting is bad; see ``_lenient_settings``."""
    from app.onboarding.reader import StateReader

    settings, bad = _lenient_settings(args)
    return StateReader(settings.state_dir, gpu_timeout_s=settings.gpu_timeout_s), bad


def _lenient_settings(args: argparse.Namespace) -> tuple[Settings, bool]:
    """The settings for a read-only command, and whether a setting is bad.

    Nothing configured (the plain ``status``) loads no pydantic-settings. A bad
    setting that does not hide the state directory is one warning line each on
    stderr, and its default is used: monitoring sees it, and still gets an answer.
    """
    from app.config import ConfigError, load_settings_leniently

    try:
        settings, warnings = load_settings_leniently(getattr(args, "state_dir", None))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if warnings:
        from app.cli.output import warn

        for line in warnings:
            warn(line)
    return settings, bool(warnings)


def at_terminal() -> bool:
    """Whether stdin is a terminal a person can answer on; False when it is closed
    (``<&-`` leaves ``sys.stdin`` None)."""
    return sys.stdin is not None and sys.stdin.isatty()


def confirm(question: str) -> bool:
    """Ask on the terminal; False when there is none to ask."""
    if not at_terminal():
        return False
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
