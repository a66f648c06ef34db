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


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded() -> list[tuple[float, str, list[str]]]:
    """Each model answer through the real `grade` path (the bundled bank's vectors ship, so no index is built)."""
    from mlcoach.feedback.engine import FeedbackEngine
    from mlcoach.search.matcher import Matcher

    bank = load_bank(bundled_bank()).bank
    engine = FeedbackEngine.for_matcher(Matcher.for_bank(bank))
    out = []
    for start in range(0, len(bank.items), 64):
        chunk = bank.items[start : start + 64]
        for item, feedback in zip(chunk, engine.grade_many([(item, item.model_answer, None) for item in chunk])):
            weak = [f"{p.status}: {p.text}" + (f" ({p.contradiction})" if p.contradiction else "")
                    for p in feedback.key_points if p.status != "covered"]
            out.append((feedback.score, item.id, weak))
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
