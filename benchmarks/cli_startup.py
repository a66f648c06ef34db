"""Cold start of `mlcoach --help` (target: ≤ 0.3 s), measured as a user runs it.

Usage: python benchmarks/cli_startup.py [--runs N]
Prints the wall-clock time of N fresh processes (min, median, p95, max) and which heavy modules,
if any, the help path imported.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 0.3
HEAVY = ("sqlalchemy", "fastapi", "uvicorn", "alembic", "pydantic", "yaml", "markdown_it", "jinja2", "onnxruntime")


def command() -> list[str]:
    script = Path(sys.executable).parent / "mlcoach"
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("mlcoach")
    return [found, "--help"] if found else [sys.executable, "-m", "mlcoach", "--help"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    cmd = command()
    subprocess.run(cmd, capture_output=True, check=True)  # warm the OS file cache, as a second run would
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    probe = "import sys; from mlcoach.cli.app import app; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    loaded = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split())
    heavy = sorted(loaded & set(HEAVY))
    print(f"command: {' '.join(cmd)}")
    print(f"runs: {args.runs}")
    print(f"min    {times[0] * 1000:7.1f} ms")
    print(f"median {statistics.median(times) * 1000:7.1f} ms")
    print(f"p95    {p95 * 1000:7.1f} ms")
    print(f"max    {times[-1] * 1000:7.1f} ms")
    print(f"heavy modules on the help path: {', '.join(heavy) or 'none'}")
    verdict = "meets" if statistics.median(times) <= TARGET_SECONDS else "MISSES"
    print(f"target ≤ {TARGET_SECONDS * 1000:.0f} ms (median): {verdict}")


if __name__ == "__main__":
    main()
