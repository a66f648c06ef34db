"""Steps 1 and 2 without a database: readiness maths, the focus list, the plan's properties, queue rules.

Plan properties run on the real bundled bank (523 items): on the 12-item fixture bank every plan is
trivially "broad" and "mixed".
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from mlcoach.bank import load_bank
from mlcoach.bank.paths import bundled_bank
from mlcoach.core.assessment import (
    PRIOR_STRENGTH,
    QUIZ_CHECKS,
    RECALL_CHECKS,
    ROLE_WEIGHTS,
    CheckResult,
    focus_list,
    plan_diagnostic,
    readiness,
    result_from_json,
    result_json,
    weights_for,
)
from mlcoach.core.assessment import change as readiness_change
from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS, ROLES, Item
from mlcoach.core.planning import MOCK_MINUTES, NEW_ITEM_MINUTES, PlanDay, PlanRequest, build_plan, carried_over, final_days, replan
from mlcoach.core.practice import LEARN_AHEAD, daily_queue, parse_rating, propose_rating

START = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def real() -> Bank:
    loaded = load_bank(bundled_bank())
    assert len(loaded.bank.items) > 500
    return loaded.bank


def role_items(bank: Bank, role: str = "mle") -> list[Item]:
    return [i for i in bank.items if role in i.roles]


def even(role: str = "mle", readiness_: float = 50.0) -> dict[str, float]:
    """Priorities as the plan service derives them: weight x (100 - readiness)."""
    return {a: w * (100 - readiness_) for a, w in weights_for(role).items()}


def make(bank: Bank, weeks: float = 4, hours: float = 6, level: str = "mid", priorities: dict[str, float] | None = None,
         topics: dict[tuple[str, str], float] | None = None, role: str = "mle", start: date = START,
         done: tuple[str, ...] = ()) -> tuple[PlanDay, ...]:
    request = PlanRequest(start, start + timedelta(days=round(weeks * 7)), hours, level, priorities or even(role), topics or {})
    return build_plan(request, role_items(bank, role), done)


def planned(bank: Bank, days: tuple[PlanDay, ...] | list[PlanDay]) -> list[Item]:
    return [bank.get(i) for d in days for i in d.new]  # type: ignore[misc]


def work(bank: Bank, day: PlanDay) -> int:
    """What the day asks of the user: new items at their cost, reviews and the mock."""
    return (sum(NEW_ITEM_MINUTES[bank.get(i).area] for i in day.new) + day.review_minutes  # type: ignore[union-attr]
            + (MOCK_MINUTES[day.mock] if day.mock else 0))


# Role weights ------------------------------------------------------------------------------------

def test_every_role_weighs_all_six_areas_to_one() -> None:
    assert set(ROLE_WEIGHTS) == set(ROLES)
    for role, weights in ROLE_WEIGHTS.items():
        assert set(weights) == set(AREAS), role
        assert sum(weights.values()) == pytest.approx(1.0), role
    # what tells the roles apart: system design for engineers, theory and product for data scientists
    assert ROLE_WEIGHTS["mlswe"]["system-design"] > ROLE_WEIGHTS["mle"]["system-design"] > ROLE_WEIGHTS["ds"]["system-design"]
    assert ROLE_WEIGHTS["ds"]["ml-theory"] == max(ROLE_WEIGHTS["ds"].values())


def test_weight_overrides_replace_the_role_default_and_are_renormalised() -> None:
    weights = weights_for("mle", {"behavioral": 0.0, "system-design": 0.5})
    assert weights["behavioral"] == 0.0
    assert sum(weights.values()) == pytest.approx(1.0)
    # the untouched areas keep their proportions to each other
    assert weights["ml-theory"] / weights["case-study"] == pytest.approx(0.25 / 0.15)
    assert weights["system-design"] == pytest.approx(0.5 / (1.0 - 0.15 - 0.25 + 0.5))


@pytest.mark.parametrize("role, overrides, message", [
    ("ceo", {}, "unknown role 'ceo'; choose one of mle, ds, mlswe"),
    ("mle", {"frontend": 0.3}, "unknown area 'frontend'"),
    ("mle", {"ml-theory": 1.5}, "between 0 and 1"),
    ("mle", {"ml-theory": -0.1}, "between 0 and 1"),
    ("mle", {"ml-theory": float("nan")}, "between 0 and 1"),
    ("mle", {a: 0.0 for a in AREAS}, "at least one area"),
])
def test_bad_weights_say_what_is_wrong(role: str, overrides: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        weights_for(role, overrides)


# The diagnostic ----------------------------------------------------------------------------------

def test_the_diagnostic_is_eight_quizzes_and_two_recall_checks_per_other_area(real: Bank) -> None:
    checks = plan_diagnostic(real.items, "mle", "mid", seed=1)
    assert Counter(c.area for c in checks) == {**{a: RECALL_CHECKS for a in AREAS}, "ml-theory": QUIZ_CHECKS}
    assert [c.area for c in checks] == sorted((c.area for c in checks), key=AREAS.index)  # grouped by area, in order
    for check in checks:
        item = real.get(check.item_id)
        assert item is not None and item.area == check.area and item.topic == check.topic
        if check.area == "ml-theory":
            assert check.kind == "quiz" and item.quiz is not None
        else:
            assert check.kind == "recall" and item.key_points
        assert "mle" in item.roles
    for area in AREAS:  # each check probes a different topic of its area
        topics = [c.topic for c in checks if c.area == area]
        assert len(set(topics)) == len(topics), area


def test_the_diagnostic_matches_the_level_and_varies_between_retakes(real: Bank) -> None:
    junior = plan_diagnostic(real.items, "ds", "junior", seed=7)
    staff = plan_diagnostic(real.items, "ds", "staff", seed=7)
    mean = lambda checks: sum(real.get(c.item_id).difficulty for c in checks) / len(checks)  # type: ignore[union-attr]  # noqa: E731
    assert mean(junior) < mean(staff)
    assert plan_diagnostic(real.items, "ds", "mid", seed=7) == plan_diagnostic(real.items, "ds", "mid", seed=7)
    first, retake = plan_diagnostic(real.items, "ds", "mid", seed=7), plan_diagnostic(real.items, "ds", "mid", seed=8)
    assert {c.item_id for c in first} != {c.item_id for c in retake}


def test_a_small_bank_gives_as_many_checks_as_it_can_without_repeats(bank: Bank) -> None:
    checks = plan_diagnostic(bank.items, "mle", "mid", seed=0)
    assert Counter(c.area for c in checks) == {a: 2 for a in AREAS}  # the fixture bank has 2 items per area
    assert len({c.item_id for c in checks}) == len(checks)


# Readiness ---------------------------------------------------------------------------------------

def test_readiness_without_checks_is_the_self_rating() -> None:
    result = readiness([], {"ml-theory": 4, "behavioral": 1})
    assert result.areas["ml-theory"].score == 65.0 and result.areas["ml-theory"].checks == 0
    assert result.areas["behavioral"].score == 15.0
    assert result.areas["case-study"].score == 50.0  # not rated: the middle
    assert result.topics == {}


def test_readiness_is_the_posterior_mean_with_an_80_percent_interval() -> None:
    perfect = [CheckResult("ml-theory", f"t{n}", 1.0) for n in range(8)]
    r = readiness(perfect, {"ml-theory": 3}).areas["ml-theory"]
    # prior 0.5 worth two checks, then eight right answers: (1 + 8) / (2 + 8)
    assert (r.score, r.checks) == (90.0, 8)
    assert r.low == pytest.approx(78.4, abs=0.05) and r.high == 100.0
    mixed = readiness([CheckResult("case-study", "drift", 0.5), CheckResult("case-study", "leakage", 1.0)], {"case-study": 2})
    assert mixed.areas["case-study"].score == pytest.approx(100 * (0.3 * PRIOR_STRENGTH + 1.5) / (PRIOR_STRENGTH + 2))


def test_fewer_checks_give_a_wider_interval() -> None:
    def width(n: int) -> float:
        r = readiness([CheckResult("ml-theory", "metrics", s) for s in [1.0, 0.0] * (n // 2)], {}).areas["ml-theory"]
        assert r.low <= r.score <= r.high and r.score == 50.0
        return r.high - r.low

    assert width(2) > width(8) > width(32)
    assert readiness([], {}).areas["ml-theory"].sureness == "low"
    assert readiness([CheckResult("ml-theory", "metrics", 0.5)] * 40, {}).areas["ml-theory"].sureness == "high"
    # a score near an end is not "sure" after two checks just because its range is clipped at 0
    near_zero = readiness([CheckResult("cross-team", "x", 0.0)] * 2, {"cross-team": 1}).areas["cross-team"]
    assert near_zero.score < 10 and near_zero.sureness == "low"


def test_topic_readiness_starts_from_its_area() -> None:
    results = [CheckResult("ml-theory", "metrics", 1.0)] * 5 + [CheckResult("ml-theory", "losses", 0.0)]
    result = readiness(results, {"ml-theory": 3})
    area = result.areas["ml-theory"].score
    assert area == pytest.approx(100 * 6 / 8)
    # one wrong answer pulls the topic below its area, not to zero
    assert result.topics[("ml-theory", "losses")].score == pytest.approx(area * 2 / 3, abs=0.1)
    assert result.topics[("ml-theory", "metrics")].score > area


def test_the_result_survives_its_json_form() -> None:
    result = readiness([CheckResult("ml-theory", "metrics", 1.0), CheckResult("behavioral", "conflict", 0.4)], {"behavioral": 2})
    assert result_from_json(result_json(result)) == result


# The focus list ----------------------------------------------------------------------------------

def test_the_focus_list_ranks_by_weight_times_gap() -> None:
    result = readiness([], {a: 3 for a in AREAS})  # everything at 50: only the weights differ
    focus = focus_list(result, weights_for("mle"))
    assert [f.area for f in focus] == ["ml-theory", "system-design", "behavioral", "case-study", "cross-team", "product-design"]
    assert focus[0].priority == 12.5
    assert all(f.priority == round(f.weight * (100 - f.readiness), 2) for f in focus)


def test_a_weak_area_and_its_weak_topic_rise_in_the_focus_list() -> None:
    results = [CheckResult("cross-team", "disagreement", 0.0), CheckResult("cross-team", "handoffs", 0.0),
               CheckResult("ml-theory", "metrics", 1.0), CheckResult("ml-theory", "losses", 0.0)]
    result = readiness(results, {"cross-team": 1, "ml-theory": 5, "system-design": 5})
    focus = focus_list(result, weights_for("mle"), limit=20)
    priorities = [f.priority for f in focus]
    assert priorities == sorted(priorities, reverse=True)
    named = [(f.area, f.topic) for f in focus]
    assert ("cross-team", None) in named and ("ml-theory", "losses") in named
    assert ("ml-theory", "metrics") not in named  # a topic stronger than its area is not worth naming
    # a weak area of low weight comes before a strong area of high weight
    assert named.index(("cross-team", None)) < named.index(("system-design", None))


def test_editing_the_weights_reorders_the_focus_list() -> None:
    result = readiness([], {a: 3 for a in AREAS})
    default = focus_list(result, weights_for("mle"))
    edited = focus_list(result, weights_for("mle", {"product-design": 1.0, "ml-theory": 0.0}))
    assert default[0].area == "ml-theory" and default[-1].area == "product-design"
    assert edited[0].area == "product-design"
    assert "ml-theory" not in [f.area for f in edited]  # a zero weight drops the area
    assert len(focus_list(result, weights_for("mle"), limit=3)) == 3


def test_change_per_area_between_two_assessments() -> None:
    before = readiness([CheckResult("ml-theory", "metrics", 0.0)], {a: 2 for a in AREAS})
    after = readiness([CheckResult("ml-theory", "metrics", 1.0)], {a: 3 for a in AREAS})
    delta = readiness_change(before, after)
    assert set(delta) == set(AREAS)
    assert delta["ml-theory"] == pytest.approx(after.areas["ml-theory"].score - before.areas["ml-theory"].score, abs=0.05)
    assert delta["ml-theory"] > delta["behavioral"] == 20.0  # 30 -> 50 from the self-rating alone


# The plan ----------------------------------------------------------------------------------------

def test_the_plan_covers_every_day_up_to_the_eve_of_the_interview(real: Bank) -> None:
    days = make(real, weeks=5)
    assert [d.day for d in days] == [START + timedelta(days=k) for k in range(35)]
    assert days[-1].day == START + timedelta(days=34)  # the interview day itself is free


@pytest.mark.parametrize("hours", [6, 10, 15])
def test_each_week_holds_the_weekly_hours(real: Bank, hours: float) -> None:
    days = make(real, weeks=6, hours=hours)
    for k in range(0, len(days), 7):
        week = days[k:k + 7]
        assert sum(d.minutes for d in week) == pytest.approx(hours * 60, abs=4), k
        # and what each day asks for adds up to its minutes, not more
        assert all(abs(work(real, d) - d.minutes) <= 1 for d in week), [(d.day, work(real, d), d.minutes) for d in week]


def test_one_mock_a_week_and_none_on_the_eve(real: Bank) -> None:
    for weeks in (2, 4, 6):
        days = make(real, weeks=weeks)
        for k in range(0, len(days), 7):
            assert sum(1 for d in days[k:k + 7] if d.mock) == 1, (weeks, k)
        assert days[-1].mock is None
        assert any(d.mock for d in days if d.final_review)  # a mock in the final stretch
    rounds = [d.mock for d in make(real, weeks=6) if d.mock]
    top = [f.area for f in focus_list(readiness([], {}), weights_for("mle"))][:2]
    assert set(top) <= set(rounds)  # mocks rotate through the areas that matter most


def test_the_final_week_has_no_new_items(real: Bank) -> None:
    days = make(real, weeks=6)
    assert all(d.final_review and d.new == () for d in days[-7:])
    assert not any(d.final_review for d in days[:-7])
    assert all(d.review_minutes >= d.minutes - MOCK_MINUTES.get(d.mock or "", 0) - 1 for d in days[-7:])
    short = make(real, weeks=12 / 7)  # under four weeks: a quarter of the plan
    assert final_days(12) == 3 and [d.final_review for d in short] == [False] * 9 + [True] * 3


def test_nothing_is_planned_twice_or_outside_the_role(real: Bank) -> None:
    days = make(real, weeks=8, hours=15, role="ds")
    ids = [i for d in days for i in d.new]
    assert len(ids) == len(set(ids)) > 100
    assert all("ds" in real.get(i).roles for i in ids)  # type: ignore[union-attr]


@pytest.mark.parametrize("area", AREAS)
def test_no_topic_of_a_heavily_weighted_area_is_starved(real: Bank, area: str) -> None:
    priorities = {a: 100.0 if a == area else 10.0 for a in AREAS}
    days = make(real, weeks=6, hours=10, priorities=priorities)
    seen = {i.topic for i in planned(real, days) if i.area == area}
    assert seen == {i.topic for i in role_items(real) if i.area == area}


def test_every_area_the_role_needs_gets_time_on_the_default_hours(real: Bank) -> None:
    # 6 hours a week, 4 weeks, every area at 50: system design weighs most for an MLE and must appear
    for role in ROLES:
        days = make(real, weeks=4, hours=6, role=role)
        got = Counter(i.area for i in planned(real, days))
        assert set(got) == set(AREAS), (role, got)


def test_breadth_comes_first_within_an_area(real: Bank) -> None:
    theory = [i for i in planned(real, make(real, weeks=4, hours=10)) if i.area == "ml-theory"]
    topics = {i.topic for i in role_items(real) if i.area == "ml-theory"}
    first_round = theory[:len(topics)]
    assert len({i.topic for i in first_round}) >= 0.8 * len(topics)  # topics take turns before any repeats much


def test_hard_items_are_spread_through_the_plan(real: Bank) -> None:
    for hours in (6, 10):
        days = make(real, weeks=6, hours=hours, level="senior")
        learning = [d for d in days if not d.final_review]
        first_half = planned(real, learning[:len(learning) // 2])
        hard = [i for i in planned(real, learning) if i.difficulty == 3]
        assert len(hard) >= 5
        assert sum(1 for i in first_half if i.difficulty == 3) >= len(hard) / 4, hours
        assert any(i.difficulty == 3 for i in planned(real, learning[:7])), hours  # one in the first week


def test_the_level_sets_the_difficulty_mix(real: Bank) -> None:
    def hard_share(level: str) -> float:
        items = planned(real, make(real, weeks=6, hours=10, level=level))
        return sum(1 for i in items if i.difficulty == 3) / len(items)

    assert hard_share("junior") < hard_share("mid") < hard_share("staff")


@pytest.mark.parametrize("weak, strong", [("case-study", "product-design"), ("behavioral", "cross-team"),
                                          ("system-design", "ml-theory"), ("ml-theory", "system-design")])
def test_a_weak_area_gets_more_time_than_a_strong_one_of_equal_weight(real: Bank, weak: str, strong: str) -> None:
    priorities = {a: 1.0 * 50 for a in AREAS}  # equal weights: priority is the gap alone
    priorities[weak], priorities[strong] = 1.0 * (100 - 20), 1.0 * (100 - 80)
    minutes = Counter()
    for item in planned(real, make(real, weeks=4, hours=8, priorities=priorities)):
        minutes[item.area] += NEW_ITEM_MINUTES[item.area]
    assert minutes[weak] > minutes[strong] > 0, minutes


def test_weak_topics_get_more_items(real: Bank) -> None:
    topics = {("ml-theory", "probability"): 10.0, ("ml-theory", "clustering"): 95.0}
    for hours in (6, 10, 15):
        got = Counter(i.topic for i in planned(real, make(real, weeks=6, hours=hours, topics=topics)) if i.area == "ml-theory")
        # A strong topic may get nothing when dozens of topics share a short plan; the weak one never does.
        assert got["probability"] >= max(got["clustering"], 1), hours
        if hours == 6:  # where time is short the weak topic's extra item shows
            assert got["probability"] > got["clustering"]


def test_done_items_are_left_out(real: Bank) -> None:
    first = make(real)
    done = tuple(i for d in first[:5] for i in d.new)
    again = make(real, done=done)
    assert not set(done) & {i for d in again for i in d.new}


@pytest.mark.parametrize("weeks, hours, message", [(0, 6, "after today"), (-1, 6, "after today"), (2, 0, "above 0")])
def test_an_impossible_plan_says_why(real: Bank, weeks: float, hours: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(real, weeks=weeks, hours=hours)


def test_replanning_after_missed_days_keeps_the_past_and_the_done(real: Bank) -> None:
    first = make(real, weeks=4)
    today = START + timedelta(days=5)
    done = [i for d in first[:2] for i in d.new]  # days 3 to 5 were missed
    request = PlanRequest(today, START + timedelta(days=28), 6, "mid", even(), {})
    again = replan(first, request, role_items(real), done)
    assert again[:5] == first[:5]  # verbatim
    assert [d.day for d in again] == [d.day for d in first]
    later = {i for d in again[5:] for i in d.new}
    assert not set(done) & later
    missed = [i for d in first[2:5] for i in d.new]
    assert set(missed) <= later | {i for d in again[:5] for i in d.new}
    # today: the missed items first, then today's own
    carried = carried_over(again, today, done)
    assert carried[:len(missed)] == missed and set(carried[len(missed):]) == set(again[5].new) - set(missed)


def test_moving_the_date_replans_to_the_new_date(real: Bank) -> None:
    first = make(real, weeks=4)
    today = START + timedelta(days=3)
    request = PlanRequest(today, START + timedelta(days=42), 6, "mid", even(), {})
    moved = replan(first, request, role_items(real), [])
    assert moved[:3] == first[:3]
    assert moved[-1].day == START + timedelta(days=41)
    assert [d.final_review for d in moved[-8:]] == [False] + [True] * 7
    earlier = replan(first, PlanRequest(today, START + timedelta(days=14), 6, "mid", even(), {}), role_items(real), [])
    assert earlier[-1].day == START + timedelta(days=13) and len(earlier) == 14


def test_a_day_survives_its_json_form(real: Bank) -> None:
    for day in make(real, weeks=2):
        assert PlanDay.from_json(day.to_json()) == day


# Practice rules ------------------------------------------------------------------------------------

@pytest.mark.parametrize("score, rating", [(None, None), (0, 1), (39.9, 1), (40, 2), (64.9, 2), (65, 3), (84.9, 3), (85, 4), (100, 4)])
def test_the_proposed_rating_follows_the_documented_thresholds(score: float | None, rating: int | None) -> None:
    assert propose_rating(score) == rating


@pytest.mark.parametrize("text, rating", [("1", 1), ("again", 1), (" Hard ", 2), ("GOOD", 3), ("4", 4), ("easy", 4)])
def test_ratings_by_number_or_name(text: str, rating: int) -> None:
    assert parse_rating(text) == rating


@pytest.mark.parametrize("text", ["0", "5", "great", ""])
def test_a_bad_rating_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="1-4"):
        parse_rating(text)


def test_the_queue_is_due_reviews_most_overdue_first_then_new_items_then_learning_cards_due_soon() -> None:
    due = [("b", NOW - timedelta(hours=1)), ("z-old", NOW - timedelta(days=3)), ("a-soon", NOW + LEARN_AHEAD),
           ("later", NOW + LEARN_AHEAD + timedelta(minutes=1)), ("c", NOW - timedelta(hours=1))]
    queue = daily_queue(due, ["n1", "z-old", "n2", "n1", "n3"], known={"z-old", "b", "c", "a-soon", "later"}, now=NOW,
                        new_done_today=0, reviews_done_today=4, new_limit=10)
    assert [(e.item_id, e.kind) for e in queue.entries] == [
        ("z-old", "review"), ("b", "review"), ("c", "review"), ("n1", "new"), ("n2", "new"), ("n3", "new"), ("a-soon", "review")]
    assert (queue.reviews_due, queue.new_today, queue.reviews_done_today, len(queue)) == (4, 3, 4, 7)


def test_new_items_stop_at_the_days_limit() -> None:
    new = [f"n{k}" for k in range(20)]
    assert daily_queue([], new, set(), NOW, 0, 0, new_limit=10).new_today == 10
    after = daily_queue([], new, set(), NOW, new_done_today=7, reviews_done_today=0, new_limit=10)
    assert [e.item_id for e in after.entries] == ["n0", "n1", "n2"]
    assert daily_queue([], new, set(), NOW, 12, 0, 10).entries == ()
