"""Build time of the six printable guides from the bundled bank (target: ≤ 5 s in total).

Usage: python benchmarks/guides.py [--runs 3] [--workers 1 2]
Each run is a fresh process, because typst memoises layouts within a process and a second build
there would be nearly free. Prints, per worker count, the wall time of building all six PDFs (the
bank load is timed apart), the CPU time, and each guide's page count, size and math fallbacks.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 5.0


def child(workers: int) -> None:
    from mlcoach.bank import load_bank
    from mlcoach.bank.paths import bundled_bank
    from mlcoach.publish.guides import build_guides

    start = time.perf_counter()
    bank = load_bank(bundled_bank()).bank
    loaded = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    built = build_guides(bank, workers=workers)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({
        "load": loaded - start, "build": time.perf_counter() - loaded, "cpu": cpu,
        "guides": {area: {"pages": pdf.pages, "kib": len(pdf.data) // 1024, "math": pdf.math,
                          "fallbacks": len(pdf.fallbacks)} for area, pdf in built.items()},
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    last: dict[str, object] = {}
    for workers in args.workers:
        runs = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, __file__, "--child", str(workers)], capture_output=True, text=True,
                                 check=True).stdout
            runs.append(json.loads(out))
        builds = sorted(r["build"] for r in runs)
        median = statistics.median(builds)
        verdict = "ok" if median <= TARGET_SECONDS else "OVER TARGET"
        print(f"workers {workers}: build median {median:.2f} s (min {builds[0]:.2f}, max {builds[-1]:.2f}) over "
              f"{len(runs)} fresh processes; cpu {statistics.median(r['cpu'] for r in runs):.2f} s; "
              f"bank load {statistics.median(r['load'] for r in runs):.2f} s; target {TARGET_SECONDS:.0f} s: {verdict}")
        last = runs[-1]["guides"]
    print(f"{'guide':16} {'pages':>6} {'KiB':>7} {'math':>6} {'fallbacks':>9}")
    for area, row in last.items():  # type: ignore[attr-defined]
        print(f"{area:16} {row['pages']:6d} {row['kib']:7d} {row['math']:6d} {row['fallbacks']:9d}")
    print(f"{'total':16} {sum(r['pages'] for r in last.values()):6d}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
