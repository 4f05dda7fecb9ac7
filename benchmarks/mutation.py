"""Mutation score of the domain and the CLI: run mutmut package by package, print the score.

Not part of .ci/run (a full run takes hours on two cores); run it before a release:

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/python benchmarks/mutation.py                 # everything, most important first
    .venv/bin/python benchmarks/mutation.py app.onboarding.rules app.wallets
    .venv/bin/python benchmarks/mutation.py --pending app.onboarding  # resume, by name
    .venv/bin/python benchmarks/mutation.py --not-run app.onboarding  # only what has no result
    .venv/bin/python benchmarks/mutation.py --report        # the last results, no run
    .venv/bin/python benchmarks/mutation.py --report --diff --judge --markdown --write-survivors

Why mutmut 3: it records which tests reach each function in one traced run of the
suite, then runs only those tests against each mutant in a forked child, so a mutant
costs milliseconds to a few seconds where a whole-suite runner costs a minute. Its
configuration is [tool.mutmut] in pyproject.toml. How each mutant is counted (killed,
survived, equivalent only while its change is the one judged, not run) and the last
figure: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")
SURVIVORS = Path(__file__).with_name("mutation_survivors.txt")

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

# What each verdict does to the score. "equivalent" and "not run" are left out of it.
AGAINST = ("survived", "no tests", "suspicious", "to judge again")
KEY_PREFIX = "diff="
KEY_LENGTH = 12


@dataclass(frozen=True)
class Entry:
    """One line of the equivalent list: the key recorded when it was judged, and why."""

    key: str | None
    reason: str


@dataclass
class Tally:
    """The verdict on every mutant, counted per module, and the lists a reader acts on."""

    by_module: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    verdicts: dict[str, str] = field(default_factory=dict)
    listed_but_killed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)


def parse_equivalent(text: str) -> dict[str, Entry]:
    """`NAME diff=KEY  # why` lines -> name -> Entry (an entry without a key has key None)."""
    found: dict[str, Entry] = {}
    for line in text.splitlines():
        head, _, reason = line.partition("#")
        words = head.split()
        if not words:
            continue
        key = next((w[len(KEY_PREFIX) :] for w in words[1:] if w.startswith(KEY_PREFIX)), None)
        found[words[0]] = Entry(key=key, reason=reason.strip())
    return found


def load_equivalent() -> dict[str, Entry]:
    """The reviewed list beside this script."""
    if not EQUIVALENT.exists():
        return {}
    return parse_equivalent(EQUIVALENT.read_text(encoding="utf-8"))


def changed_lines(diff: str) -> list[str]:
    """The removed and added lines of a unified diff, without its file headers."""
    return [
        row
        for row in diff.splitlines()
        if row[:1] in ("+", "-") and not row.startswith(("+++", "---"))
    ]


def diff_key(diff: str) -> str:
    """A short hash of what a mutant changes: its removed and added lines, each stripped.

    The file path, the hunk positions and the indentation are left out, so the key
    survives code moving around the mutated line, and changes when the line does.
    """
    normal = "\n".join(row[0] + row[1:].strip() for row in changed_lines(diff))
    return hashlib.sha256(normal.encode()).hexdigest()[:KEY_LENGTH]


def load_results() -> dict[str, int | None]:
    """Every mutant mutmut generated -> its exit code (None: not run yet)."""
    results: dict[str, int | None] = {}
    for meta in sorted(MUTANTS.glob("app/**/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        results.update(data.get("exit_code_by_key", {}))
    return results


def mutant_diff(name: str) -> str | None:
    """The diff of one mutant as mutmut shows it, from the mutants/ tree (None: not there)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # only with [mutation]

    cwd = Path.cwd()
    os.chdir(ROOT)  # mutmut finds mutants/ and its configuration from the current directory
    try:
        return get_diff_for_mutant(name) or None
    except Exception:  # a mutant not in the tree, or a tree from other code
        return None
    finally:
        os.chdir(cwd)


def mutant_key(name: str) -> str | None:
    diff = mutant_diff(name)
    return None if diff is None else diff_key(diff)


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


def verdict(code: int | None, entry: Entry | None, key: Callable[[], str | None]) -> str:
    """One mutant's verdict. `key` gives its current diff key, asked only when it matters.

    No result is "not run" whatever the list says; a listed mutant that survived is
    "equivalent" only when its diff is still the one judged, else "to judge again".
    """
    status = classify(code)
    if entry is None or status in ("not run", "killed"):
        return status
    if entry.key is not None and entry.key == key():
        return "equivalent"
    return "to judge again"


def tally(
    results: Mapping[str, int | None],
    equivalent: Mapping[str, Entry],
    key_of: Callable[[str], str | None],
) -> Tally:
    """Every mutant's verdict, counted per module; key_of(name) is its current diff key."""
    out = Tally()
    for name, code in sorted(results.items()):
        entry = equivalent.get(name)
        status = verdict(code, entry, partial(key_of, name))
        out.verdicts[name] = status
        out.by_module[module_of(name)][status] += 1
        if entry is not None and status == "killed":
            out.listed_but_killed.append(name)
    out.gone = sorted(set(equivalent) - set(results))
    return out


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


def pending_names(
    verdicts: Mapping[str, str], modules: Iterable[str], *, survivors: bool = True
) -> list[str]:
    """The mutants of these modules a resumed run must try: every one without a result,
    and (with ``survivors``) every one that is not killed nor a confirmed equivalent.

    mutmut re-runs every mutant a pattern names, killed ones too; by name, a run resumes
    where the last one stopped, and tries the survivors against the tests added since.
    Without ``survivors`` it only fills in what has no result (the code changed, or a
    run was cut short): a survivor's re-run costs every test that reaches it.
    """
    wanted = set(modules)
    settled = ("killed", "equivalent") if survivors else ("killed", "equivalent", *AGAINST)
    return [
        name
        for name, status in sorted(verdicts.items())
        if module_of(name) in wanted and status not in settled
    ]


def run_mutmut(
    modules: list[str], max_children: int, *, only_pending: bool = False, survivors: bool = True
) -> int:
    """One `mutmut run` over some modules; its chatty output goes to a log.

    A mutant's name is module.x_function__mutmut_N (a method: module.xǁClassǁmethod...),
    so `module.x*` names the mutants of that module and not of its submodules.
    """
    if only_pending:
        names = pending_names(
            tally(load_results(), load_equivalent(), mutant_key).verdicts,
            modules,
            survivors=survivors,
        )
    else:
        names = [f"{module}.x*" for module in modules]
    if not names:
        print(f"== nothing pending in {' '.join(modules)}", flush=True)
        return 0
    MUTANTS.mkdir(exist_ok=True)
    log = MUTANTS / "run.log"
    print(f"== mutmut run {' '.join(modules)} (log: {log.relative_to(ROOT)})", flush=True)
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    with log.open("a", encoding="utf-8") as out:
        return subprocess.run(
            [*command, *names], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False
        ).returncode


def score(counts: Counter[str]) -> float | None:
    """killed / (killed + everything against); None when nothing was scored."""
    scored = counts["killed"] + sum(counts[s] for s in AGAINST)
    return 100 * counts["killed"] / scored if scored else None


def score_line(label: str, counts: Counter[str]) -> str:
    pct = score(counts)
    shown = f"{pct:5.1f} %" if pct is not None else "    - "
    return (
        f"{label:32} {shown}  killed {counts['killed']:4}  survived {counts['survived']:4}  "
        f"no tests {counts['no tests']:4}  to judge {counts['to judge again']:3}  "
        f"equivalent {counts['equivalent']:3}  suspicious {counts['suspicious']:3}  "
        f"not run {counts['not run']:4}"
    )


def package_counts(by_module: Mapping[str, Counter[str]]) -> dict[str, Counter[str]]:
    """The counts per package of PACKAGES, then "all four"."""
    out: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for package in PACKAGES:
        counts: Counter[str] = Counter()
        for module, module_counts in by_module.items():
            if module == package or module.startswith(package + "."):
                counts.update(module_counts)
        total.update(counts)
        out[package] = counts
    out["all four"] = total
    return out


def survivors(result: Tally) -> list[tuple[str, str]]:
    """(name, verdict) of every mutant that counts against the score."""
    return [(name, s) for name, s in result.verdicts.items() if s in AGAINST]


def markdown_table(rows: Mapping[str, Counter[str]]) -> list[str]:
    """The score table as benchmarks/README.md shows it, one row per label."""
    columns = ("killed", "survived", "no tests", "suspicious", "to judge again", "equivalent")
    columns += ("not run",)
    out = [
        "| | Score | " + " | ".join(c.capitalize() for c in columns) + " |",
        "|---" * (len(columns) + 2) + "|",
    ]
    for label, counts in rows.items():
        pct = score(counts)
        shown = f"**{pct:.1f} %**" if pct is not None else "-"
        cells = " | ".join(str(counts[c]) for c in columns)
        out.append(f"| `{label}` | {shown} | {cells} |")
    return out


def print_names(title: str, names: list[str], *, diff: bool = False) -> None:
    if not names:
        return
    print(f"\n{title} ({len(names)}):")
    for line in names:
        print(f"  {line}")
        if diff:
            shown = mutant_diff(line.split(":", 1)[0]) or ""
            print("\n".join(f"      {row}" for row in changed_lines(shown)))


def report(diff: bool, judge: bool, markdown: bool = False) -> Tally | None:
    """Print the score per module and per package, and what a reader must act on."""
    results = load_results()
    if not results:
        print("no results: run without --report first")
        return None
    equivalent = load_equivalent()
    result = tally(results, equivalent, mutant_key)
    print(f"\nScore = killed / (killed + {' + '.join(AGAINST)}); equivalent and not run left out")
    for module in sorted(result.by_module):
        print(score_line(module, result.by_module[module]))
    print()
    for label, counts in package_counts(result.by_module).items():
        print(score_line(label, counts))
    if markdown:
        run = {m: c for m, c in sorted(result.by_module.items()) if c["not run"] < c.total()}
        print("\n".join(["", *markdown_table({**run, **package_counts(result.by_module)})]))
    print_names(
        "Listed as equivalent but killed (remove them from the list)", result.listed_but_killed
    )
    print_names("Listed as equivalent but no longer generated (code changed)", result.gone)
    to_judge = [name for name, s in result.verdicts.items() if s == "to judge again"]
    if judge:
        print_judge(to_judge, equivalent)
    print_names("Surviving mutants", [f"{n}: {s}" for n, s in survivors(result)], diff=diff)
    return result


def print_judge(names: list[str], equivalent: Mapping[str, Entry]) -> None:
    """Each entry to judge again: its reason, its current change and key to record if it fits."""
    print(f"\nTo judge again ({len(names)}): record the key beside an entry whose reason fits")
    for name in names:
        shown = mutant_diff(name) or ""
        print(f"  {name} {KEY_PREFIX}{diff_key(shown)}  # {equivalent[name].reason}")
        print("\n".join(f"      {row}" for row in changed_lines(shown)))


def write_survivors(result: Tally) -> None:
    """benchmarks/mutation_survivors.txt: each survivor by name, its verdict and its change."""

    def last(*path: str) -> str:
        log = ["git", "log", "-1", "--format=%h", "--", *path]
        return subprocess.run(log, cwd=ROOT, capture_output=True, text=True).stdout.strip()

    counts = package_counts(result.by_module)["all four"]
    lines = [
        "# Mutants that count against the score, from benchmarks/mutation.py --report",
        f"# --write-survivors, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: app/ as of commit "
        f"{last('app')}, tests as of {last('tests')}.",
        f"# {sum(counts.values())} mutants; not run {counts['not run']}. One per line: the name,",
        "# its verdict, and the line it adds (or removes). Pick one up: write a test that",
        "# fails on it, or judge it equivalent in mutation_equivalent.txt with its key.",
    ]
    for name, status in survivors(result):
        rows = changed_lines(mutant_diff(name) or "")
        change = next((r for r in rows if r.startswith("+")), rows[0] if rows else "")
        lines.append(f"{name}  # {status}: {change[:1]} {change[1:].strip()}".rstrip())
    SURVIVORS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwrote {SURVIVORS.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
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
        help="run, by name, only the mutants not run yet or not settled (resume; re-check)",
    )
    parser.add_argument(
        "--not-run",
        action="store_true",
        help="run, by name, only the mutants with no result (resume; survivors stand)",
    )
    parser.add_argument("--diff", action="store_true", help="show each survivor's change")
    parser.add_argument(
        "--judge", action="store_true", help="show each entry to judge again with its key"
    )
    parser.add_argument(
        "--write-survivors", action="store_true", help=f"write {SURVIVORS.name} from the results"
    )
    parser.add_argument("--markdown", action="store_true", help="the table for the README")
    args = parser.parse_args()
    if not args.report:
        done: set[str] = set()
        for group in args.groups or DEFAULT_GROUPS:
            modules = [m for t in group.split(",") for m in modules_in(t) if m not in done]
            done.update(modules)
            if not modules:
                continue
            code = run_mutmut(
                modules,
                args.max_children,
                only_pending=args.pending or args.not_run,
                survivors=not args.not_run,
            )
            if code != 0:
                print(f"mutmut run {group} exited {code}; see mutants/run.log", file=sys.stderr)
                return code
    result = report(args.diff, args.judge, args.markdown)
    if result is not None and args.write_survivors:
        write_survivors(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
