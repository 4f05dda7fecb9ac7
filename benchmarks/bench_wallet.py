"""Wallet costs, measured the way a user pays them (run: .venv/bin/python benchmarks/bench_wallet.py).

1. ``create_wallet`` per chain in a fresh interpreter, imports included: what
   ``nunet-onboard wallet new`` pays before printing (budget: 2.5 s wall).
2. The default scrypt keystore export: wall time and peak-RSS growth, the figure the
   README quotes for the KDF (measured in its own subprocess so the numbers are clean).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = 3

CREATE = """
import json, sys, time
t0 = time.perf_counter()
from app.wallets import create_wallet
w = create_wallet(sys.argv[1], sys.argv[2])
print(json.dumps({"create_s": time.perf_counter() - t0}))
"""

KEYSTORE = """
import json, resource, sys, tempfile, time
from pathlib import Path
from app.wallets import create_wallet, export_ethereum_keystore
w = create_wallet("ethereum")
import eth_account  # noqa: F401  (imported before the baseline so it is not counted)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with tempfile.TemporaryDirectory() as d:
    t0 = time.perf_counter()
    export_ethereum_keystore(w, Path(d), "benchmark password", kdf=sys.argv[1])
    took = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"export_s": took, "peak_rss_delta_mb": (after - before) / 1024}))
"""


def _run(code: str, *args: str) -> dict[str, float]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - start
    return result


def main() -> None:
    print(f"python {sys.version.split()[0]}, {RUNS} runs each, median (min-max)")
    for chain, network in (("ethereum", "mainnet"), ("cardano", "mainnet")):
        runs = [_run(CREATE, chain, network) for _ in range(RUNS)]
        for key, label in (("create_s", "in-process"), ("process_s", "whole process")):
            values = [r[key] for r in runs]
            print(
                f"create_wallet({chain!r}) {label:>13}: {statistics.median(values):.2f} s "
                f"({min(values):.2f}-{max(values):.2f})"
            )
    for kdf in ("scrypt", "pbkdf2"):
        res = _run(KEYSTORE, kdf)
        print(
            f"keystore export kdf={kdf:<6}: {res['export_s']:.2f} s, "
            f"peak RSS +{res['peak_rss_delta_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
