"""How benchmarks/mutation.py counts: the rules that make its figure one a reader can trust.

The script's counting is pure: it is fed mutmut's results (name -> exit code, None for
a mutant never run) and each mutant's diff, which come from mutmut's files; here they
are made up, as a run would leave them. The equivalent list of the repository is read
as it is.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "mutation.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


mutation = load_script()

SHARE = "app.onboarding.offer_file.x__share__mutmut_9"
DUMP = "app.onboarding.store.xǁStateStoreǁwrite__mutmut_5"
OTHER = "app.onboarding.store.xǁStateStoreǁwrite__mutmut_6"
SORT_KEYS_DIFF = """--- app/onboarding/store.py
+++ app/onboarding/store.py
@@ -1,3 +1,3 @@
 def write(self, state):
-    data = json.dumps(state, indent=2, sort_keys=False)
+    data = json.dumps(state, indent=2, sort_keys=None)
     return data"""
NONE_STATE_DIFF = SORT_KEYS_DIFF.replace("sort_keys=None", "sort_keys=False").replace(
    "+    data = json.dumps(state,", "+    data = json.dumps(None,"
)
SURVIVED, KILLED, NO_TESTS = 0, 1, 33


def diffs(table: dict[str, str]) -> Callable[[str], str | None]:
    """key_of for the tally: each mutant's current diff, as mutmut would show it."""
    return lambda name: mutation.diff_key(table[name]) if name in table else None


def listed(diff: str | None, reason: str = "sort_keys=None for False: both falsy") -> str:
    key = f" diff={mutation.diff_key(diff)}" if diff is not None else ""
    return f"{DUMP}{key}  # {reason}\n"


def test_a_listed_mutant_whose_change_is_the_one_judged_is_equivalent() -> None:
    equivalent = mutation.parse_equivalent(listed(SORT_KEYS_DIFF))
    result = mutation.tally({DUMP: SURVIVED}, equivalent, diffs({DUMP: SORT_KEYS_DIFF}))
    assert result.verdicts == {DUMP: "equivalent"}
    counts = result.by_module["app.onboarding.store"]
    assert counts["equivalent"] == 1 and mutation.score(counts) is None


def test_a_listed_mutant_whose_change_differs_now_is_to_judge_again_and_counts_against() -> None:
    """The function changed, mutmut renumbered: the name now means `json.dumps(None, ...)`."""
    equivalent = mutation.parse_equivalent(listed(SORT_KEYS_DIFF))
    results = {DUMP: SURVIVED, OTHER: KILLED}
    result = mutation.tally(results, equivalent, diffs({DUMP: NONE_STATE_DIFF}))
    assert result.verdicts[DUMP] == "to judge again"
    counts = result.by_module["app.onboarding.store"]
    assert counts["equivalent"] == 0 and mutation.score(counts) == 50.0
    assert mutation.survivors(result) == [(DUMP, "to judge again")]


def test_a_listed_mutant_without_a_key_is_to_judge_again() -> None:
    equivalent = mutation.parse_equivalent(listed(None))
    assert equivalent[DUMP].key is None
    result = mutation.tally({DUMP: NO_TESTS}, equivalent, diffs({DUMP: SORT_KEYS_DIFF}))
    assert result.verdicts[DUMP] == "to judge again"


@pytest.mark.parametrize("on_the_list", [True, False])
def test_a_mutant_without_a_result_is_not_run_whatever_list_it_is_on(on_the_list: bool) -> None:
    equivalent = mutation.parse_equivalent(listed(SORT_KEYS_DIFF) if on_the_list else "")
    result = mutation.tally({DUMP: None, OTHER: KILLED}, equivalent, diffs({DUMP: SORT_KEYS_DIFF}))
    assert result.verdicts[DUMP] == "not run"
    totals = mutation.package_counts(result.by_module)["all four"]
    assert totals["not run"] == 1 and totals["equivalent"] == 0
    assert mutation.score(totals) == 100.0  # left out of the score, and shown as not run
    assert "not run    1" in mutation.score_line("all four", totals)
    assert mutation.pending_names(result.verdicts, ["app.onboarding.store"]) == [DUMP]


def test_a_killed_mutant_on_the_list_is_killed_and_named_for_removal() -> None:
    equivalent = mutation.parse_equivalent(listed(SORT_KEYS_DIFF))
    result = mutation.tally({DUMP: KILLED}, equivalent, diffs({DUMP: SORT_KEYS_DIFF}))
    assert result.verdicts[DUMP] == "killed" and result.listed_but_killed == [DUMP]


def test_an_entry_whose_mutant_is_no_longer_generated_is_named() -> None:
    equivalent = mutation.parse_equivalent(listed(SORT_KEYS_DIFF) + f"{SHARE}  # a clamp\n")
    result = mutation.tally({DUMP: SURVIVED}, equivalent, diffs({DUMP: SORT_KEYS_DIFF}))
    assert result.gone == [SHARE]


def test_a_resumed_run_tries_all_but_the_killed_and_the_confirmed_equivalents() -> None:
    verdicts = {
        f"app.onboarding.store.x_f__mutmut_{i}": status
        for i, status in enumerate(
            ["killed", "equivalent", "survived", "no tests", "to judge again", "not run"]
        )
    }
    verdicts["app.onboarding.rules.x_g__mutmut_1"] = "survived"
    assert mutation.pending_names(verdicts, ["app.onboarding.store"]) == [
        f"app.onboarding.store.x_f__mutmut_{i}" for i in (2, 3, 4, 5)
    ]
    # --not-run: only what has no result; a survivor's verdict stands.
    assert mutation.pending_names(verdicts, ["app.onboarding.store"], survivors=False) == [
        "app.onboarding.store.x_f__mutmut_5"
    ]


def test_the_key_is_of_the_change_not_of_where_it_sits() -> None:
    moved = SORT_KEYS_DIFF.replace("store.py", "other.py").replace("@@ -1,3 +1,3 @@", "@@ -9 @@")
    reindented = SORT_KEYS_DIFF.replace("    data", "        data")
    key = mutation.diff_key(SORT_KEYS_DIFF)
    assert mutation.diff_key(moved) == key == mutation.diff_key(reindented)
    assert mutation.diff_key(NONE_STATE_DIFF) != key
    assert len(key) == mutation.KEY_LENGTH


def test_every_entry_of_the_equivalent_list_carries_a_key_and_a_reason() -> None:
    entries = mutation.load_equivalent()
    assert entries
    for name, entry in entries.items():
        assert entry.key is not None and len(entry.key) == mutation.KEY_LENGTH, name
        assert entry.reason, name


def test_the_readme_table_shows_every_verdict_and_the_not_run_count() -> None:
    equivalent = mutation.parse_equivalent(listed(SORT_KEYS_DIFF))
    results = {DUMP: SURVIVED, OTHER: KILLED, "app.onboarding.store.x_read__mutmut_1": None}
    result = mutation.tally(results, equivalent, diffs({DUMP: NONE_STATE_DIFF}))
    header, rule, row = mutation.markdown_table(result.by_module)
    assert header == (
        "| | Score | Killed | Survived | No tests | Suspicious | To judge again | Equivalent"
        " | Not run |"
    )
    assert rule == "|---" * 9 + "|"
    assert row == "| `app.onboarding.store` | **50.0 %** | 1 | 0 | 0 | 0 | 1 | 0 | 1 |"
