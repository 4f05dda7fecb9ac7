"""Mutation score of the domain and the CLI: run mutmut package by package, print the score.

Not part of .ci/run (a full run takes hours on two cores); run it before a release:

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/python benchmarks/mutation.py                 # everything, most important first
    .venv/bin/python benchmarks/mutation.py app.onboarding.rules app.wallets
    .venv/bin/python benchmarks/mutation.py --pending app.onboarding  # resume, by name
    .venv/bin/python benchmarks/mutation.py --report        # the last results, no run
    .venv/bin/python benchmarks/mutation.py --report --diff # with each survivor's diff

Why mutmut 3: it records which tests reach each function in one traced run of the
suite, then runs only those tests against each mutant in a forked child (no new
interpreter, no re-import), so a mutant costs milliseconds to a few seconds where a
whole-suite runner (cosmic-ray) costs a minute; it works with Python 3.11, pytest 8
and our conftest as they are. Its configuration is [tool.mutmut] in pyproject.toml.

The score counts a mutant as killed when a test failed or timed out under it. Mutants
that no test reaches ("no tests") count against the score: code that no fast test
runs is a gap too. Mutants judged equivalent (no behaviour can tell them apart) are
listed with the reason in benchmarks/mutation_equivalent.txt and left out of the
score; the README's "Mutation score" section quotes the figures printed here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")

# Most important to users first, so that a run cut short has measured what matters. Each
# group is one `mutmut run` (each run re-creates the mutants and re-runs the clean tests,
# about a minute, so one per module would waste an hour).
DEFAULT_GROUPS = (
    "app.onboarding.rules,app.onboarding.units,app.onboarding.records,app.onboarding.store",
    "app.onboarding",
    "app.wallets",
    "app.cli",
    "app.hardware",
)
PACKAGES = ("app.onboarding", "app.wallets", "app.cli", "app.hardware")

# mutmut's exit codes per mutant (mutmut/stats.py), grouped the way the score counts them.
KILLED = {1, 3, 24, -24, 36, 37, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


def load_equivalent() -> dict[str, str]:
    """Mutant name -> why it is equivalent, from the reviewed list beside this script."""
    found: dict[str, str] = {}
    if not EQUIVALENT.exists():
        return found
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            found[name.strip()] = reason.strip()
    return found


def load_results() -> dict[str, int | None]:
    """Every mutant mutmut generated -> its exit code (None: not run yet)."""
    results: dict[str, int | None] = {}
    for meta in sorted(MUTANTS.glob("app/**/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        results.update(data.get("exit_code_by_key", {}))
    return results


def module_of(mutant: str) -> str:
    """app.onboarding.rules.x_check_share__mutmut_3 -> app.onboarding.rules."""
    parts = mutant.split(".")
    while parts and not parts[-1].startswith(("x_", "xǁ")):
        parts.pop()
    return ".".join(parts[:-1]) if parts else mutant.rsplit(".", 1)[0]


def classify(code: int | None) -> str:
    if code is None:
        return "not run"
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    return "suspicious"


def modules_in(target: str) -> list[str]:
    """A dotted module or package -> its modules (a package's __init__ is the package)."""
    path = ROOT.joinpath(*target.split("."))
    if path.with_suffix(".py").is_file():
        return [target]
    modules = []
    for file in sorted(path.rglob("*.py")):
        parts = file.relative_to(ROOT).with_suffix("").parts
        modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def pending(modules: list[str]) -> list[str]:
    """The mutants of these modules that have no result yet or survived (and are not
    listed as equivalent): what a resumed run must try, by name.

    mutmut re-runs every mutant a pattern names, killed ones too; by name, a run resumes
    where the last one stopped, and tries the survivors against the tests added since.
    """
    wanted = set(modules)
    equivalent = load_equivalent()
    return [
        name
        for name, code in sorted(load_results().items())
        if module_of(name) in wanted and code in (None, 0) and name not in equivalent
    ]


def run_mutmut(modules: list[str], max_children: int, *, only_pending: bool = False) -> int:
    """One `mutmut run` over some modules; its chatty output goes to a log.

    A mutant's name is module.x_function__mutmut_N (a method: module.xǁClassǁmethod...),
    so `module.x*` names the mutants of that module and not of its submodules.
    """
    names = pending(modules) if only_pending else [f"{module}.x*" for module in modules]
    if not names:
        print(f"== nothing pending in {' '.join(modules)}", flush=True)
        return 0
    MUTANTS.mkdir(exist_ok=True)
    log = MUTANTS / "run.log"
    print(f"== mutmut run {' '.join(modules)} (log: {log.relative_to(ROOT)})", flush=True)
    with log.open("a", encoding="utf-8") as out:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "mutmut",
                "run",
                "--max-children",
                str(max_children),
                *names,
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode


def score_line(label: str, counts: Counter[str]) -> str:
    scored = counts["killed"] + counts["survived"] + counts["no tests"] + counts["suspicious"]
    pct = f"{100 * counts['killed'] / scored:5.1f} %" if scored else "    - "
    return (
        f"{label:32} {pct}  killed {counts['killed']:4}  survived {counts['survived']:4}  "
        f"no tests {counts['no tests']:4}  equivalent {counts['equivalent']:3}  "
        f"suspicious {counts['suspicious']:3}  not run {counts['not run']:4}"
    )


def report(diff: bool) -> list[str]:
    """Print the score per module and per package; return the surviving mutants."""
    results = load_results()
    if not results:
        print("no results: run without --report first")
        return []
    equivalent = load_equivalent()
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[str] = []
    for name, code in sorted(results.items()):
        status = classify(code)
        if name in equivalent and status != "killed":
            status = "equivalent"
        by_module[module_of(name)][status] += 1
        if status in ("survived", "no tests", "suspicious"):
            survivors.append(f"{name}: {status}")
    print("\nScore = killed / (killed + survived + no tests + suspicious); equivalent left out")
    for module in sorted(by_module):
        print(score_line(module, by_module[module]))
    print()
    total: Counter[str] = Counter()
    for package in PACKAGES:
        counts: Counter[str] = Counter()
        for module, module_counts in by_module.items():
            if module == package or module.startswith(package + "."):
                counts.update(module_counts)
        total.update(counts)
        print(score_line(package, counts))
    print(score_line("all four", total))
    stale = sorted(set(equivalent) - set(results))
    if stale:
        print(f"\n{len(stale)} mutants listed as equivalent no longer exist (code changed):")
        print("\n".join(f"  {name}" for name in stale))
    print(f"\nSurviving mutants ({len(survivors)}):")
    for line in survivors:
        print(f"  {line}")
        if diff:
            name = line.split(":", 1)[0]
            shown = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", name],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            changed = [
                f"      {row}"
                for row in shown.stdout.splitlines()
                if row[:1] in "+-" and not row.startswith(("+++", "---"))
            ]
            print("\n".join(changed))
    return survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "groups",
        nargs="*",
        help="modules or packages, comma-separated within one run, e.g. app.wallets",
    )
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutants (1)")
    parser.add_argument("--report", action="store_true", help="print the last results only")
    parser.add_argument(
        "--pending",
        action="store_true",
        help="run, by name, only the mutants not run yet or survived (resume; re-check)",
    )
    parser.add_argument("--diff", action="store_true", help="show each survivor's change")
    args = parser.parse_args()
    if not args.report:
        done: set[str] = set()
        for group in args.groups or DEFAULT_GROUPS:
            modules = [m for t in group.split(",") for m in modules_in(t) if m not in done]
            done.update(modules)
            if not modules:
                continue
            code = run_mutmut(modules, args.max_children, only_pending=args.pending)
            if code != 0:
                print(f"mutmut run {group} exited {code}; see mutants/run.log", file=sys.stderr)
                return code
    report(args.diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
