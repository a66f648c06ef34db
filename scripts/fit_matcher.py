"""Fit the matcher's calibrations on the TUNING part of the dev set and write them to the package.

Usage: python scripts/fit_matcher.py
The held-out part of benchmarks/data/match_dev.jsonl is never read here.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from match_data import REAL, load, load_real  # noqa: E402

from mlcoach.bank import load_bank  # noqa: E402
from mlcoach.bank.paths import bundled_bank  # noqa: E402
from mlcoach.core.matching import Calibration  # noqa: E402
from mlcoach.search.calibrate import COVER_FEATURES, FEATURES, Example, fit  # noqa: E402
from mlcoach.search.matcher import CALIBRATION, Matcher  # noqa: E402


def main() -> None:
    bank = load_bank(bundled_bank()).bank
    rows = load("tune")
    examples = [Example(r["query"], r["item_id"]) for r in rows if r["item_id"] is None or bank.get(r["item_id"])]
    real = load_real("tune") if REAL.exists() else []
    for r in real:
        known = [i for i in r["items"] if bank.get(i)]
        examples.append(Example(r["query"], known[0] if known else None, frozenset(known[1:])))
    start = {m: Calibration(names, tuple(0.0 for _ in names), 0.0, 0.5) for m, names in FEATURES.items()}
    start.update({f"{m}:cover": Calibration(names, tuple(0.0 for _ in names), 0.0, 0.5) for m, names in COVER_FEATURES.items()})
    matcher = Matcher.for_bank(bank)
    matcher.calibrations = start
    calibrations = fit(matcher, examples)
    payload = {
        "fitted_on": f"tuning splits only of benchmarks/data/match_dev.jsonl and match_real.jsonl ({len(examples)} queries, "
                     f"{len(real)} of them real-style, {sum(e.item_id is None for e in examples)} gaps), bank of {len(bank.items)} items, {date.today()}",
        "methods": {method: calibration.to_json() for method, calibration in calibrations.items()},
    }
    CALIBRATION.write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
