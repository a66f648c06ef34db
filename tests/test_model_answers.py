"""Every model answer in the bundled bank, graded against its own key points, scores at least 80.

This keeps answers and rubrics consistent: a key point the answer never states, or states the other
way round, shows up here. The distribution is printed (run with -s to see it).
"""

from __future__ import annotations

import statistics

import pytest

from mlcoach.bank import load_bank
from mlcoach.bank.paths import bundled_bank

MINIMUM = 80


@pytest.fixture(scope="module")
def graded() -> list[tuple[float, str, list[str]]]:
    from mlcoach.feedback.engine import FeedbackEngine
    from mlcoach.search.matcher import Matcher

    bank = load_bank(bundled_bank()).bank
    engine = FeedbackEngine.for_matcher(Matcher.for_bank(bank))
    from mlcoach.core.feedback import judge, score
    from mlcoach.search.keywords import tokens

    evidence = engine.evidence_many([(item.key_points, item.model_answer) for item in bank.items])
    out = []
    for item, points in zip(bank.items, evidence):
        results = [judge(e, engine.thresholds, item.area) for e in points]
        feedback_score = score(results, len(tokens(item.model_answer)), engine.thresholds)
        weak = [f"{p.status}: {p.text}" + (f" ({p.contradiction})" if p.contradiction else "") for p in results if p.status != "covered"]
        out.append((feedback_score, item.id, weak))
    return out


def test_every_model_answer_scores_at_least_80_on_its_own_key_points(graded: list[tuple[float, str, list[str]]]) -> None:
    scores = sorted(score for score, _, _ in graded)
    print(f"\nmodel answers: {len(scores)}; min {scores[0]:.1f}, p5 {scores[len(scores) // 20]:.1f}, "
          f"median {statistics.median(scores):.1f}, at 100: {sum(s == 100 for s in scores)}")
    for bucket in (100, 90, 80):
        print(f"  >= {bucket}: {sum(s >= bucket for s in scores)}")
    failing = [(score, item_id, weak) for score, item_id, weak in graded if score < MINIMUM]
    report = "\n".join(f"{item_id}: {score:.0f}\n    " + "\n    ".join(weak) for score, item_id, weak in sorted(failing))
    assert not failing, f"{len(failing)} model answer(s) below {MINIMUM}:\n{report}"
