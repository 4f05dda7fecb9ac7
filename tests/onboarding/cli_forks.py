"""Run many CLI invocations as real processes at the cost of a fork each.

    python -m tests.onboarding.cli_forks CASES.json RESULTS.json [--parallel N]

CASES is a JSON list of ``{"argv": [...], "env": {...}}``; RESULTS gets, in the same
order, ``{"code": int, "stdout": str, "stderr": str, "seconds": float}``.

One interpreter imports the CLI (and the modules its commands import lazily) once,
then forks a child per case that calls ``app.cli.main(argv)`` with its own stdin
(/dev/null), stdout, stderr and environment, and exits with what ``main`` returned:
a real separate process (its own memory, file descriptors, locks, exit status),
started in about a millisecond instead of the ~150 ms of an interpreter start. An
exception that escapes ``main`` prints its traceback and exits 1, as ``python -m
app`` would. This process is single-threaded when it forks (it is started fresh by
the test, not forked from pytest's threads), so no child inherits a held lock. At
most ``--parallel`` children run at once; one that runs past ``--timeout`` is killed
and reported with the signal as a negative code, so a hang fails the test instead
of stalling it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn


def _warm() -> Any:
    """Import every module a command may import on demand (all of ``app`` but the
    full-screen app), so that no child pays for it: a child's time is its command's."""
    import importlib
    import pkgutil

    import app
    import app.cli

    for info in pkgutil.walk_packages(app.__path__, "app."):
        if not info.name.startswith(("app.tui", "app.__main__")):
            importlib.import_module(info.name)
    return app.cli.main


def _child(main: Any, case: dict[str, Any], out: Path, err: Path) -> NoReturn:
    code = 1
    try:
        stdin = os.open(os.devnull, os.O_RDONLY)
        stdout = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        stderr = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.update(case.get("env", {}))
        code = main(list(case["argv"]))
    except SystemExit as exc:  # argparse's usage errors, sys.exit() in a command
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed stream: nothing more to say
                stream.flush()
        os._exit(code if isinstance(code, int) else 1)


def run_all(
    cases: list[dict[str, Any]], work: Path, *, parallel: int, timeout: float
) -> list[dict[str, Any]]:
    main = _warm()
    results: list[dict[str, Any] | None] = [None] * len(cases)
    running: dict[int, tuple[int, float]] = {}  # pid -> (case index, start)
    pending = list(range(len(cases)))
    while pending or running:
        while pending and len(running) < parallel:
            index = pending.pop(0)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _child(main, cases[index], work / f"{index}.out", work / f"{index}.err")
            running[pid] = (index, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for child, (_, start) in list(running.items()):
                if now - start > timeout:
                    os.kill(child, signal.SIGKILL)
            time.sleep(0.002)
            continue
        index, start = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        results[index] = {
            "code": code,
            "stdout": (work / f"{index}.out").read_text(errors="replace"),
            "stderr": (work / f"{index}.err").read_text(errors="replace"),
            "seconds": time.monotonic() - start,
        }
    return [r for r in results if r is not None]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("cases", type=Path)
    parser.add_argument("results", type=Path)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    cases = json.loads(args.cases.read_text())
    work = args.results.parent / "forks"
    work.mkdir(exist_ok=True)
    results = run_all(cases, work, parallel=args.parallel, timeout=args.timeout)
    args.results.write_text(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
