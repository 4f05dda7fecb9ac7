"""The command line's last line of defence, in this process: exit codes, one-line errors,
a closed or full stdout, no terminal for the app, and argparse's words for bad usage.

`app.cli.main(argv)` on a real state directory; only the machine's boundaries are
stand-ins: stdin and stdout (a terminal, a pipe whose reader left, a full disk) and
the environment.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main, output
from app.logs import LOGGER_NAME
from app.onboarding.units import mb_text
from tests.cli.helpers import Terminal, main_cli

Capsys = pytest.CaptureFixture[str]


class FullDisk(io.StringIO):
    """stdout redirected to a file on a full disk: every write fails with ENOSPC."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def no_log_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[logging.Logger]:
    """The app's logger with no handler yet, as in a fresh process; closed afterwards."""
    logger = logging.getLogger(LOGGER_NAME)
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    yield logger
    for handler in logger.handlers:
        handler.close()


# -- main() -------------------------------------------------------------------------


def test_main_reads_the_process_arguments_when_given_none(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    monkeypatch.setattr(
        sys, "argv", ["nunet-onboard", "capacity", "--onboarded", "--state-dir", state]
    )
    assert main() == 1
    assert "not onboarded" in capsys.readouterr().err


def test_a_failure_to_write_the_output_is_one_line_and_logged(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, no_log_file: logging.Logger
) -> None:
    monkeypatch.setattr(sys, "stdout", FullDisk())
    code = main(["status", "--state-dir", state])
    err = capsys.readouterr().err
    log = Path(state) / "logs" / "nunet-onboard.log"
    assert code == 1
    assert err == (
        "nunet-onboard: error: unexpected error (OSError: '[Errno 28] No space left on device'); "
        f"nothing more was done. Details are in {log}.\n"
    )
    text = log.read_text()
    assert f" ERROR {LOGGER_NAME}: unexpected error in status\nTraceback " in text
    assert no_log_file.propagate is False  # the traceback goes to the file only


def test_a_wallet_command_does_not_show_the_error_text(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, no_log_file: logging.Logger
) -> None:
    monkeypatch.setattr(sys, "stdout", FullDisk())
    code = main(["wallet", "list", "--json", "--state-dir", state])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "nunet-onboard: error: unexpected error (OSError); nothing more was done. "
        f"Details are in {Path(state) / 'logs' / 'nunet-onboard.log'}.\n"
    )


def test_an_error_that_cannot_be_logged_says_so(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    no_log_file: logging.Logger,
) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")  # no logs directory can be made under it
    monkeypatch.setattr(sys, "stdout", FullDisk())
    code = main(["status", "--state-dir", str(not_a_dir)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.endswith("; nothing more was done. It could not be logged.\n")


def test_an_interrupt_at_a_question_exits_130_quietly(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sys, "stdin", Terminal("y\n", interrupted))
    code, _, err = main_cli(capsys, "offboard", "--state-dir", state)
    assert (code, err) == (130, "\n")


def test_a_terminal_that_hangs_up_is_an_unexpected_error_not_a_traceback(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    def hang_up() -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(sys, "stdin", Terminal("y\n", hang_up))
    code, _, err = main_cli(capsys, "offboard", "--state-dir", state)
    assert code == 1
    assert err.startswith(
        "nunet-onboard: error: unexpected error (OSError: '[Errno 5] Input/output error'); "
        "nothing more was done. Details are in "
    )
    assert err.count("\n") == 1 and "Traceback" not in err


def test_usage_error_exits_2(capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = main_cli(capsys, "offboard", "--state-dir", state)
    assert (code, out) == (2, "")
    assert err == (
        "nunet-onboard: error: offboard removes the onboarding; confirm with --yes "
        "(no terminal to ask on)\n"
    )


# -- no command: the app, which needs a terminal ---------------------------------------------


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty"), [(False, False), (True, False), (False, True)]
)
def test_the_app_without_a_terminal_is_bad_usage(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    stdin_tty: bool,
    stdout_tty: bool,
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal() if stdin_tty else io.StringIO())
    screen = Terminal() if stdout_tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    code, _, err = main_cli(capsys, "--state-dir", state)
    assert code == 2 and screen.getvalue() == ""
    assert err == (
        "nunet-onboard: error: the app needs a terminal; for scripts use a command, "
        "e.g. 'nunet-onboard status' (see --help)\n"
    )


def test_the_app_with_a_bad_config_file_is_bad_usage(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("x = [\n")
    monkeypatch.setenv("NUNET_ONBOARD_CONFIG", str(config))
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    code, _, err = main_cli(capsys)
    assert code == 2
    assert err.startswith(f"nunet-onboard: error: the config file {config} cannot be read: ")
    assert err.count("\n") == 1


# -- stdout whose reader has gone ---------------------------------------------------------


def test_a_closed_pipe_drops_the_rest_quietly(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    """`nunet-onboard status | head -0`: the command ends with its own code, no noise,
    and the pipe's descriptor now leads to /dev/null (nothing can fail at exit)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    pipe = open(write_end, "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        monkeypatch.setattr(sys, "stdout", pipe)
        assert main(["status", "--check", "--state-dir", state]) == 1  # not onboarded
        assert capsys.readouterr().err == ""
        assert os.write(write_end, b"more") == 4  # /dev/null takes it
        quiet = sys.stdout
        assert quiet.broken is True  # type: ignore[attr-defined]
        assert quiet.write("dropped") == len("dropped")
        quiet.flush()
    finally:
        pipe.close()


def test_a_pipe_that_breaks_on_flush_is_dropped_too(monkeypatch: pytest.MonkeyPatch) -> None:
    class BreaksOnFlush(io.StringIO):
        flushed = 0

        def flush(self) -> None:
            self.flushed += 1
            raise BrokenPipeError

    inner = BreaksOnFlush()
    monkeypatch.setattr(sys, "stdout", inner)
    output.guard_stdout()
    output.guard_stdout()  # once: not wrapped twice
    quiet = sys.stdout
    assert quiet.write("kept\n") == 5
    quiet.flush()
    quiet.flush()
    assert quiet.write("dropped\n") == 8
    assert inner.getvalue() == "kept\n" and inner.flushed == 1
    assert quiet.getvalue() == "kept\n"  # type: ignore[attr-defined]  # the rest reads through


# -- the output helpers ------------------------------------------------------------------


def test_error_and_warn_are_one_line_on_stderr(capsys: Capsys) -> None:
    output.error("two\n   lines  and\ttabs")
    output.warn("note: as it is")
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "nunet-onboard: error: two lines and tabs\nnunet-onboard: note: as it is\n"


def test_tables(capsys: Capsys) -> None:
    output.print_pairs([("A", None), ("Longer", ""), ("B", 0)])
    output.print_pairs([], title="Empty")
    output.print_table(["X", "LONG HEADER"], [("value", None), ("v", "w")])
    assert capsys.readouterr().out == (
        "  A       -\n"
        "  Longer  -\n"
        "  B       0\n"
        "Empty\n"
        "X      LONG HEADER\n"
        "-----  -----------\n"
        "value  -\n"
        "v      w\n"
    )
    assert mb_text(2048) == "2048 MB (2.0 GiB)" and mb_text(1000) == "1000 MB"
    assert mb_text(1024) == "1024 MB (1.0 GiB)"
    assert mb_text(1024 * 1024) == "1048576 MB (1024.0 GiB)"
    assert output.when(0) == "1970-01-01 00:00:00 UTC (0)"


# -- argparse's words for bad usage -----------------------------------------------------------


def test_a_long_bad_value_is_cut_short(capsys: Capsys, state: str) -> None:
    code, _, err = main_cli(capsys, "status", "--state-dir", state, "x" * 400)
    assert code == 2
    message = err.removeprefix("nunet-onboard: error: ").removesuffix(
        " (see 'nunet-onboard --help')\n"
    )
    assert message == "unrecognized arguments: " + "x" * 40 + "…"


def test_a_bad_usage_message_is_one_line(capsys: Capsys) -> None:
    code, _, err = main_cli(capsys, "onboard", "-c", "1")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("nunet-onboard onboard: error: the following arguments are required: ")
    assert err.endswith(" (see 'nunet-onboard onboard --help')\n")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["wallet", "list", "word1", "word2"],
            "nunet-onboard: error: unexpected arguments (not shown, as they may be secret); "
            "a mnemonic is read from a prompt or stdin, never from the command line "
            "(see 'nunet-onboard --help')\n",
        ),
        (
            ["wallet", "new", "--chain", "word1 word2"],
            "nunet-onboard wallet new: error: argument --chain: choose one of ethereum, cardano "
            "(the value given is not shown, as it may be secret) "
            "(see 'nunet-onboard wallet new --help')\n",
        ),
        (
            ["wallet", "restore", "--chain", "ethereum", "--account", "word1 word2"],
            "nunet-onboard wallet restore: error: argument --account: not a whole number of 0 "
            "or more (see 'nunet-onboard wallet restore --help')\n",
        ),
        (
            ["wallet", "new", "--chain", "ethereum", "--words", "word1 word2"],
            "nunet-onboard wallet new: error: argument --words: choose 12, 15, 18, 21 or 24 words "
            "(see 'nunet-onboard wallet new --help')\n",
        ),
        (
            ["wallet", "new", "--chain", "ethereum", "--words", "12", "--words"],
            "nunet-onboard wallet new: error: argument --words: expected one argument "
            "(see 'nunet-onboard wallet new --help')\n",
        ),
    ],
)
def test_a_wallet_command_never_repeats_a_value(capsys: Capsys, argv: list[str], said: str) -> None:
    code, out, err = main_cli(capsys, *argv)
    assert (code, out, err) == (2, "", said)


def test_a_quoted_value_in_a_wallet_error_is_hidden() -> None:
    from app.cli.command_table import _redacted

    assert _redacted("argument --x: 'word1 word2' and \"word3\" are bad") == (
        "argument --x: (not shown) and (not shown) are bad "
        "(values are not shown, as they may be secret)"
    )
    assert _redacted("argument --x: expected one argument") == "argument --x: expected one argument"


def test_other_commands_do_repeat_the_value(capsys: Capsys) -> None:
    # (DMS's own commands, such as capacity, ignore stray words: see test_pflag_grammar)
    code, _, err = main_cli(capsys, "status", "word1")
    assert code == 2 and "unrecognized arguments: word1" in err
    assert main_cli(capsys, "wallet", "list", "word1")[2].count("word1") == 0
    # the switch is set per line: a wallet line after another does not leak into this one
    code, _, err = main_cli(capsys, "status", "word1")
    assert "unrecognized arguments: word1" in err


def test_version_names_the_program(capsys: Capsys) -> None:
    from importlib.metadata import version

    code, out, err = main_cli(capsys, "--version")
    assert code == 0 and out == "" and err == f"nunet-onboard {version('nunet-onboard')}\n"


def test_version_of_a_package_not_installed_is_unknown(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a source tree without `pip install`: no package metadata to read."""
    from importlib import metadata

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    code, out, err = main_cli(capsys, "--version")
    assert (code, out, err) == (0, "", "nunet-onboard unknown\n")


@pytest.mark.parametrize(
    "value",
    [
        "abandon (choose from ability",  # argparse's own words inside the value typed
        "abandon: invalid choice: ability",
        "abandon (choose from ability) (choose from able",
    ],
)
def test_a_value_that_looks_like_argparse_words_is_not_shown_either(
    capsys: Capsys, value: str
) -> None:
    code, out, err = main_cli(capsys, "wallet", "new", "--chain", value)
    assert (code, out) == (2, "")
    assert err == (
        "nunet-onboard wallet new: error: argument --chain: choose one of ethereum, cardano "
        "(the value given is not shown, as it may be secret) "
        "(see 'nunet-onboard wallet new --help')\n"
    )


@pytest.mark.parametrize(("length", "cut"), [(40, False), (41, True)])
def test_a_bad_usage_message_shows_40_characters_of_a_value(
    capsys: Capsys, state: str, length: int, cut: bool
) -> None:
    value = "x" * length
    code, _, err = main_cli(capsys, "status", "--state-dir", state, value)
    message = err.removeprefix("nunet-onboard: error: ").removesuffix(
        " (see 'nunet-onboard --help')\n"
    )
    assert code == 2
    assert message == "unrecognized arguments: " + ("x" * 40 + "…" if cut else value)


def test_build_and_parse_are_there_when_asked_for() -> None:
    import app.cli

    assert app.cli.build().prog == "nunet-onboard"
    parsed = app.cli.parse(["info", "--state-dir", "/x"])
    assert (parsed.command, parsed.state_dir) == ("info", "/x")
    with pytest.raises(AttributeError) as caught:
        app.cli.nothing  # noqa: B018
    assert str(caught.value) == "module 'app.cli' has no attribute 'nothing'"


def test_times_are_shown_in_utc_whatever_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "IST-5:30")  # POSIX form: no zone database needed
    time.tzset()
    try:
        assert output.when(0) == "1970-01-01 00:00:00 UTC (0)"
    finally:
        monkeypatch.undo()
        time.tzset()


class BrokenStdin(io.StringIO):
    """stdin that fails to read (a device error): not a terminal."""

    def read(self, size: int | None = -1, /) -> str:
        raise OSError(errno.EIO, os.strerror(errno.EIO))


def test_an_error_before_the_settings_are_read_cannot_be_logged_with_a_bad_config(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    no_log_file: logging.Logger,
) -> None:
    """restore reads the mnemonic before the settings: when that read fails and the
    config file is broken, there is no log file to name, and the user is told so."""
    config = tmp_path / "config.toml"
    config.write_text("state_dir = [\n")
    monkeypatch.setenv("NUNET_ONBOARD_CONFIG", str(config))
    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    monkeypatch.setattr(sys, "stdin", BrokenStdin())
    code, out, err = main_cli(capsys, "wallet", "restore", "--chain", "ethereum")
    assert (code, out) == (1, "")
    assert err == (
        "nunet-onboard: error: unexpected error (OSError); nothing more was done. "
        "It could not be logged.\n"
    )
