"""Answer feedback quality: does the score agree with expert grades, and do wrong answers score low?

Usage: python benchmarks/grade.py [--model-answers]

On the tuning and held-out items of benchmarks/data/grade_dev.jsonl, prints Spearman ρ between the
score and the gold grade (0-4), pairwise accuracy (within an item and across all), the scores by
kind of answer, and where the plausible-but-wrong answers land. With --model-answers, also grades
every model answer of the bundled bank against its own key points and prints the distribution.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from grade_data import load, pairwise_accuracy, spearman  # noqa: E402

from mlcoach.bank import load_bank  # noqa: E402
from mlcoach.bank.paths import bundled_bank  # noqa: E402
from mlcoach.feedback.engine import FeedbackEngine  # noqa: E402
from mlcoach.search.matcher import Matcher  # noqa: E402


def report(name: str, rows: list[dict], scores: list[float], flagged: list[int]) -> None:
    gold = [r["grade"] for r in rows]
    print(f"\n{name}: {len(rows)} answers to {len({r['item_id'] for r in rows})} items")
    print(f"  Spearman rho                 {spearman(scores, gold):.3f}")
    print(f"  pairwise accuracy (in item)  {pairwise_accuracy(rows, scores):.3f}")
    print(f"  pairwise accuracy (all)      {pairwise_accuracy(rows, scores, within_item=False):.3f}")
    for kind in ("strong", "partial", "weak", "wrong"):
        values = [s for r, s in zip(rows, scores) if r["kind"] == kind]
        if values:
            flags = sum(f for r, f in zip(rows, flagged) if r["kind"] == kind)
            print(f"  {kind:8} mean {statistics.mean(values):5.1f}  median {statistics.median(values):5.1f}  "
                  f"min {min(values):5.1f}  max {max(values):5.1f}  contradictions flagged {flags}")
    wrong = [(r, s) for r, s in zip(rows, scores) if r["kind"] == "wrong"]
    if wrong:
        below = sum(s < 50 for _, s in wrong) / len(wrong)
        by_item: dict[str, list[float]] = {}
        for r, s in zip(rows, scores):
            by_item.setdefault(r["item_id"], []).append(s)
        bottom = sum(sorted(by_item[r["item_id"]]).index(s) < len(by_item[r["item_id"]]) / 2 for r, s in wrong) / len(wrong)
        print(f"  plausible-but-wrong below 50        {below:.0%}")
        print(f"  plausible-but-wrong in bottom half of their item's answers  {bottom:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-answers", action="store_true")
    args = parser.parse_args()
    bank = load_bank(bundled_bank()).bank
    engine = FeedbackEngine.for_matcher(Matcher.for_bank(bank))
    print(f"thresholds: {engine.thresholds.to_json()}")
    for split in ("tune", "holdout"):
        rows = [r for r in load(split) if bank.get(r["item_id"])]
        start = time.perf_counter()
        graded = [engine.grade(bank.get(r["item_id"]), r["answer"]) for r in rows]
        elapsed = time.perf_counter() - start
        scores = [g.score for g in graded]
        report(split, rows, scores, [sum(1 for p in g.key_points if p.contradiction) for g in graded])
        print(f"  grading time {elapsed / max(len(rows), 1) * 1000:.0f} ms per answer")
    if args.model_answers:
        scores = sorted((engine.grade(item, item.model_answer).score, item.id) for item in bank.items)
        values = [s for s, _ in scores]
        print(f"\nmodel answers graded against their own key points: {len(values)} items")
        print(f"  min {values[0]:.1f}  p10 {values[len(values) // 10]:.1f}  median {statistics.median(values):.1f}  "
              f"below 80: {sum(v < 80 for v in values)}")
        for value, item_id in scores[:10]:
            print(f"  {value:5.1f} {item_id}")


if __name__ == "__main__":
    main()
