"""Fit the feedback engine's thresholds on the TUNING items of the grading dev set.

Usage: python scripts/fit_feedback.py [--write]

Evidence (similarity, overlap, contradiction) is measured once per answer and key point; a grid of
thresholds is then scored by Spearman's rho against the gold grades plus the share of
plausible-but-wrong answers scored below 50, under one hard constraint: every model answer in a
sample of the bank, graded against its own key points, must score at least 80. Held-out items are
never read. With --write, the best thresholds go to src/mlcoach/feedback/thresholds.json.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from grade_data import load, spearman  # noqa: E402

from mlcoach.bank import load_bank  # noqa: E402
from mlcoach.bank.paths import bundled_bank  # noqa: E402
from mlcoach.core.feedback import Thresholds, judge, score  # noqa: E402
from mlcoach.feedback.engine import THRESHOLDS, FeedbackEngine  # noqa: E402
from mlcoach.search.keywords import tokens  # noqa: E402
from mlcoach.search.matcher import Matcher  # noqa: E402

PHASED_AREAS = ("system-design", "case-study", "product-design")
# A few model answers below 80 point at content to fix (their key points are not stated in the
# answer), not at thresholds to loosen; the CI check lists them.
MAX_MODEL_FAILURES = 0.02


def main() -> None:
    bank = load_bank(bundled_bank()).bank
    engine = FeedbackEngine.for_matcher(Matcher.for_bank(bank))
    rows = [r for r in load("tune") if bank.get(r["item_id"])]
    tune_items = {r["item_id"] for r in rows}
    sample = random.Random(0).sample([i for i in bank.items], min(160, len(bank.items)))
    # The constraint runs on model answers of the tuning items and of a sample of the bank.
    models = [i for i in bank.items if i.id in tune_items] + [i for i in sample if i.id not in tune_items]
    answers = [(bank.get(r["item_id"]).area, engine.evidence(bank.get(r["item_id"]).key_points, r["answer"]), len(tokens(r["answer"]))) for r in rows]
    model_answers = [(i.area, engine.evidence(i.key_points, i.model_answer), len(tokens(i.model_answer))) for i in models]
    gold = [r["grade"] for r in rows]
    wrong = [n for n, r in enumerate(rows) if r["kind"] == "wrong"]
    best = None
    grid = itertools.product((0.58, 0.62, 0.66, 0.70), (0.08, 0.12, 0.16), (-0.25, -0.30, -0.35), (-0.15, -0.20, -0.25),
                             (0.0, -0.05, -0.10), (25, 40), (0.5, 1.0))
    for covered, gap, behavioral, cross_team, phased, words, penalty in grid:
        offsets = (("behavioral", behavioral), ("cross-team", cross_team)) + tuple((a, phased) for a in PHASED_AREAS)
        t = Thresholds(covered, covered - gap, 0.35, words, penalty, offsets)
        model_scores = [score([judge(e, t, area) for e in ev], n, t) for area, ev, n in model_answers]
        if sum(s < 80 for s in model_scores) > MAX_MODEL_FAILURES * len(model_scores):
            continue
        scores = [score([judge(e, t, area) for e in ev], n, t) for area, ev, n in answers]
        rho = spearman(scores, gold)
        below = sum(scores[n] < 50 for n in wrong) / max(1, len(wrong))
        objective = rho + 0.5 * below
        if best is None or objective > best[0]:
            best = (objective, rho, below, t)
    if best is None:
        print("no thresholds keep the sampled model answers at 80 or above")
        sys.exit(1)
    objective, rho, below, t = best
    print(f"tuning split: rho {rho:.3f}, plausible-but-wrong below 50: {below:.0%}")
    failing = [(score([judge(e, t, area) for e in ev], n, t), i.id) for (area, ev, n), i in zip(model_answers, models)]
    for value, item_id in sorted(failing)[:12]:
        print(f"  model answer {value:5.1f} {item_id}")
    print(json.dumps(t.to_json(), indent=2))
    if "--write" in sys.argv:
        payload = {**t.to_json(),
                   "fitted_on": f"benchmarks/data/grade_dev.jsonl, tuning items only ({len(tune_items)} items, {len(rows)} answers)"}
        THRESHOLDS.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {THRESHOLDS}")


if __name__ == "__main__":
    main()
