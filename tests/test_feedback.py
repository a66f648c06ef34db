"""The feedback engine: evidence per key point, no inflation, contradictions, checks, and `grade --json`."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURE_BANK
from typer.testing import CliRunner

from mlcoach.cli.app import app
from mlcoach.core.catalog import Bank
from mlcoach.feedback import numbers, polarity
from mlcoach.feedback.contrast import named_pairs, reversed_pair
from mlcoach.feedback.engine import FeedbackEngine
from mlcoach.feedback.text import sentences, words


def flip(key_point: str, answer: str) -> tuple[str, str] | None:
    return polarity.flipped(key_point, polarity.split(answer), lambda term: 1.0)


# The opposite sign --------------------------------------------------------------------------------


def test_a_negated_claim_is_caught_in_either_direction() -> None:
    assert flip("A large p-value is not evidence that the null hypothesis is true",
                "A large p-value of 0.6 is good evidence that the null hypothesis is true.") is not None
    assert flip("Fit the calibrator on held-out validation data",
                "I would never fit the calibrator on held-out validation data.") is not None
    assert flip("Precision and recall trade off through the threshold, and neither uses true negatives",
                "Both of them use true negatives in the denominator.") is not None


@pytest.mark.parametrize("answer", [
    # the same sign in other words
    "A big p-value isn't evidence that the null hypothesis is true; the test may lack power.",
    # a condition or a reported belief asserts nothing
    "The p-value is computed assuming the null hypothesis is true.",
    "People often read it as evidence that the null hypothesis is true, which is wrong.",
    # a possibility is not a claim
    "A large p-value can look like evidence that the null hypothesis is true.",
    # the answer states it both ways round: the right statement wins
    "A large p-value is good evidence that the null hypothesis is true, some say. "
    "But a large p-value is not evidence that the null hypothesis is true.",
])
def test_agreeing_conditional_or_hedged_statements_are_not_contradictions(answer: str) -> None:
    assert flip("A large p-value is not evidence that the null hypothesis is true", answer) is None


def test_a_relative_clause_keeps_its_own_negation() -> None:
    kp = "Hold out a train-dev set drawn from the training distribution"
    assert flip(kp, "Hold out a train-dev set drawn from the training distribution that the model never trains on.") is None
    # ...and a negated main clause carries over what follows "that"
    assert flip("It does not guarantee that gradient descent will find the weights",
                "It does not guarantee that gradient descent will find the weights.") is None


def test_quoted_phrases_and_alternatives_do_not_set_the_sign() -> None:
    assert flip("The assistant abstains when the retrieved passages do not support an answer",
                'The prompt asks for "I could not find this" when the retrieved passages do not support an answer.') is None
    # a key point's "rather than ..." names what not to do; a story may mention doing it
    assert flip("Agree the metric up front rather than arguing over the results afterwards",
                "Any result would have been argued over afterwards.") is None


MAP = "For 3 heads in 3 tosses the MLE is 1, while a Beta(2, 2) prior gives a MAP estimate of 4/5 = 0.8"


def test_a_different_value_in_the_key_points_setting_is_caught() -> None:
    def wrong(answer: str) -> tuple[str, str] | None:
        return numbers.wrong_value(MAP, sentences(answer), lambda term: 1.0)

    found = wrong("With 3 heads out of 3 the MLE is 1, and with a Beta(2,2) prior the MAP estimate is 5/7, about 0.71.")
    assert found is not None and found[0] == "4/5"
    # the same value in another form, an own example, or a value left out: not a wrong value
    assert wrong("With 3 heads in 3 tosses, the MAP estimate with a Beta(2,2) prior is (3+1)/(3+2) = 80%.") is None
    assert wrong("Say 7 heads in 10 tosses: the MLE is 0.7 and a Beta(2, 2) prior pulls the MAP estimate to 8/12.") is None
    assert wrong("With 3 heads in 3 tosses the MLE is 1 and the MAP estimate is pulled below it by the prior.") is None
    assert numbers.values("p > 50/51, about 98%, 3,500 QPS, 20k users, L1, fp32") == pytest.approx(
        [50 / 51, 98.0, 0.98, 3500.0, 20000.0])


def test_names_the_key_point_sets_against_each_other_can_swap_too() -> None:
    kp = "The E-step sets the bound equal to the log-likelihood; the M-step then maximises the bound over the parameters"
    assert ("e-step", "m-step") in named_pairs(kp)
    swapped = "The M-step sets the bound equal to the log-likelihood, and the E-step maximises the bound over the parameters"
    assert reversed_pair(kp, swapped) == ("e-step", "m-step")
    assert reversed_pair(kp, "The E-step makes the bound equal to the log-likelihood; the M-step maximises it over the parameters") is None


def test_reversed_roles_and_verb_forms() -> None:
    assert reversed_pair("Bagging reduces variance by averaging models, while boosting reduces bias",
                         "Boosting reduces variance by averaging models, while bagging reduces bias") is not None
    assert reversed_pair("Bagging reduces variance by averaging models, while boosting reduces bias",
                         "Bagging reduces variance by averaging models, while boosting reduces bias") is None
    # a verb's forms count as the verb; a noun stays as written ("meaning" is not "mean")
    kp = "PyTorch uses p as the probability to drop a unit, while the original paper used p for the probability to keep it"
    assert reversed_pair(kp, "PyTorch uses p as the probability of keeping a unit, while the original paper used p "
                             "for the probability of dropping it") == ("drop", "keep")
    assert reversed_pair("The mean is pulled by outliers, while the median resists them",
                         "The meaning is pulled by outliers, while the median resists them") is None


# The engine, with the real model ------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(matcher: object) -> FeedbackEngine:
    return FeedbackEngine.for_matcher(matcher)


@pytest.mark.parametrize("answer", [
    "",
    "Precision.",
    "I would simmer the onions slowly in butter, add stock, and season the soup at the end with pepper and salt.",
    "It depends on a lot of things and there are trade-offs either way, so I would look at the data and decide.",
])
def test_empty_short_vague_or_off_topic_answers_score_near_zero(engine: FeedbackEngine, bank: Bank, answer: str) -> None:
    feedback = engine.grade(bank.get("precision-recall-f1"), answer)  # type: ignore[arg-type]
    assert feedback.score <= 10, feedback.to_json()
    assert all(p.status == "missed" for p in feedback.key_points if p.evidence is None)


def test_model_answer_scores_high_with_evidence_from_its_own_words(engine: FeedbackEngine, bank: Bank) -> None:
    item = bank.get("precision-recall-f1")
    feedback = engine.grade(item, item.model_answer)  # type: ignore[union-attr,arg-type]
    assert feedback.score >= 80
    said = set(words(item.model_answer.lower()))  # type: ignore[union-attr]
    for point in feedback.key_points:
        if point.status != "missed":
            assert point.evidence and set(words(point.evidence.lower())) <= said, point
    assert not any(p.contradiction for p in feedback.key_points)


def test_right_words_with_the_sign_flipped_lose_the_point(engine: FeedbackEngine, bank: Bank) -> None:
    item = bank.get("precision-recall-f1")
    right = ("Precision is TP / (TP + FP), the share of predicted positives that are real. Recall is TP / (TP + FN), "
             "the share of real positives found. F1 is their harmonic mean, so it is low if either is low. "
             "Precision and recall trade off through the threshold, and neither uses true negatives.")
    wrong = right.replace("and neither uses true negatives", "and both of them use true negatives")
    good, bad = engine.grade(item, right), engine.grade(item, wrong)  # type: ignore[arg-type]
    flagged = [p for p in bad.key_points if p.contradiction]
    assert not any(p.contradiction for p in good.key_points)
    assert len(flagged) == 1 and "true negatives" in (flagged[0].evidence or "")
    assert flagged[0].status == "missed" and bad.score < good.score - 15
    assert any("reverse" in note or "opposite" in note for note in bad.notes)


def test_behavioral_checks_star_ownership_and_a_measured_result(engine: FeedbackEngine, bank: Bank) -> None:
    item = next(i for i in bank.items if i.area == "behavioral")
    story = ("At my previous company our fraud model was about to launch. My goal was to own the rollout. "
             "I built a shadow pipeline and I ran a two-week canary. As a result, chargebacks fell by 18% "
             "and review time dropped from 6 hours to 2 hours.")
    checks = engine.grade(item, story, seconds=60).checks
    star = checks["behavioral"]
    assert all(part["found"] for part in star["star"].values())  # type: ignore[index]
    assert star["ownership"] == "clear" and star["measurable_result"] is True  # type: ignore[index]
    assert checks["delivery"]["words_per_minute"] == pytest.approx(len(story.split()), abs=3)  # type: ignore[index]
    vague = engine.grade(item, "We worked on it together and we shipped it, and the team was happy with it.")
    assert vague.checks["behavioral"]["ownership"].startswith("unclear")  # type: ignore[index]
    assert not vague.checks["behavioral"]["measurable_result"]  # type: ignore[index]


# The CLI contract -------------------------------------------------------------------------------------


def test_grade_json_contract_in_order_with_clear_errors() -> None:
    lines = [
        {"item_id": "precision-recall-f1", "answer": "Precision is TP / (TP + FP) and recall is TP / (TP + FN)."},
        "not json",
        {"item_id": "no-such-item", "answer": "x"},
        {"item_id": "precision-recall-f1", "answer": ""},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    result = CliRunner().invoke(app, ["grade", "--bank", str(FIXTURE_BANK), "--json"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(out) == 4
    first, bad, unknown, empty = out
    assert first["item_id"] == "precision-recall-f1" and 0 < first["score"] <= 100
    assert {p["status"] for p in first["key_points"]} <= {"covered", "partial", "missed"}
    assert all(set(p) >= {"text", "status", "evidence"} for p in first["key_points"])
    assert any(p["status"] == "covered" and "TP / (TP + FP)" in p["evidence"] for p in first["key_points"])
    assert bad["item_id"] is None and "line 2" in bad["error"]
    assert unknown["item_id"] == "no-such-item" and "no item" in unknown["error"]
    assert empty["score"] == 0
