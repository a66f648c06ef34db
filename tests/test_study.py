"""Steps 1 and 2 in the database: profile, diagnostic, plan, practice, notes, stories — SQLite and PostgreSQL.

The clock is a fixed instant the tests move by hand (noon UTC, so the calendar day is the same in
any time zone within eleven hours of UTC).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS
from mlcoach.core.practice import NEW_PER_DAY
from mlcoach.core.reflect import LogInput
from mlcoach.reflect.service import ReflectService
from mlcoach.store import Store
from mlcoach.store.models import Attempt, ReviewLog, StudyPlan
from mlcoach.store.users import ensure_user
from mlcoach.study import profile as profiles
from mlcoach.study.assess import AssessError, AssessService
from mlcoach.study.notes import MAX_NOTE, NoteError, NoteService
from mlcoach.study.plan import PlanError, PlanService
from mlcoach.study.practice import PracticeError, PracticeService
from mlcoach.study.stories import StoryError, StoryInput, StoryService

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TODAY = START.date()
GAP = "How would you tune the PID controller of a drone's altitude hold?"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture(scope="session")
def engine(matcher: object) -> object:
    from mlcoach.feedback.engine import FeedbackEngine

    return FeedbackEngine.for_matcher(matcher)


@pytest.fixture
def user(store: Store) -> int:
    return store.write(lambda s: ensure_user(s, "local", START).id)


@pytest.fixture
def other(store: Store) -> int:
    return store.write(lambda s: ensure_user(s, "someone-else", START).id)


@pytest.fixture
def assess(bank: Bank, store: Store, clock: Clock, engine: object) -> AssessService:
    return AssessService(bank, store, clock, lambda: engine)


@pytest.fixture
def plans(bank: Bank, store: Store, clock: Clock) -> PlanService:
    return PlanService(bank, store, clock)


@pytest.fixture
def practice(bank: Bank, store: Store, clock: Clock, engine: object) -> PracticeService:
    return PracticeService(bank, store, clock, lambda: engine, fuzz=False)


@pytest.fixture
def notes(bank: Bank, store: Store, clock: Clock) -> NoteService:
    return NoteService(bank, store, clock)


@pytest.fixture
def stories(bank: Bank, store: Store, clock: Clock) -> StoryService:
    return StoryService(bank, store, clock)


def set_profile(store: Store, user: int, clock: Clock, **fields: Any) -> profiles.ProfileData:
    current = store.read(lambda s: profiles.load(s, user))
    return store.write(lambda s: profiles.save(s, user, replace(current, **fields), clock()))


# Profile -----------------------------------------------------------------------------------------

def test_a_new_user_has_the_default_profile_until_they_save_one(store: Store, user: int, clock: Clock) -> None:
    fresh = store.read(lambda s: profiles.load(s, user))
    assert (fresh.role, fresh.level, fresh.hours_per_week, fresh.interview_date, fresh.saved) == ("mle", "mid", 6.0, None, False)
    saved = set_profile(store, user, clock, role="ds", level="senior", interview_date=date(2026, 4, 1), hours_per_week=9.5,
                        desired_retention=0.85, weights={"system-design": 0.0})
    assert saved.saved and saved.role == "ds" and saved.interview_date == date(2026, 4, 1)
    assert store.read(lambda s: profiles.load(s, user)) == saved
    assert saved.to_json()["weights"]["system-design"] == 0.0
    assert saved.to_json()["weight_overrides"] == {"system-design": 0.0}
    assert sum(saved.area_weights().values()) == pytest.approx(1.0)


BAD_PROFILES = [
    ({"role": "cto"}, "role must be one of mle, ds, mlswe, not 'cto'"),
    ({"level": "principal"}, "level must be one of junior, mid, senior, staff"),
    ({"hours_per_week": 0.0}, "hours per week must be above 0 and at most 100"),
    ({"hours_per_week": 168.0}, "hours per week"),
    ({"hours_per_week": float("nan")}, "hours per week"),
    ({"desired_retention": 0.5}, "desired retention must be between 0.70 and 0.99"),
    ({"weights": {"ml-theory": 3.0}}, "the weight of ml-theory must be between 0 and 1"),
    ({"weights": {a: 0.0 for a in AREAS}}, "at least one area"),
]


def test_a_bad_profile_is_refused_and_nothing_is_saved(store: Store, user: int, clock: Clock) -> None:
    saved = set_profile(store, user, clock, hours_per_week=7.0)
    for fields, message in BAD_PROFILES:
        with pytest.raises(profiles.ProfileError, match=message.replace("(", r"\(")):
            set_profile(store, user, clock, **fields)
        assert store.read(lambda s: profiles.load(s, user)) == saved, fields


def test_weights_from_the_command_line() -> None:
    assert profiles.parse_weights(["ml-theory=0.4", " behavioral =0"]) == {"ml-theory": 0.4, "behavioral": 0.0}
    with pytest.raises(profiles.ProfileError, match="AREA=NUMBER"):
        profiles.parse_weights(["theory=0.4"])
    with pytest.raises(profiles.ProfileError, match="not a number"):
        profiles.parse_weights(["ml-theory=lots"])


# The diagnostic ----------------------------------------------------------------------------------

def take(assess: AssessService, bank: Bank, user: int, ratings: dict[str, int], right: bool = True) -> int:
    """Answer every check: quizzes right (or wrong), recall checks with all (or none) of the key points."""
    state = assess.start(user, ratings)
    for check in state.checks:
        item = bank.get(check.item_id)
        if check.kind == "quiz":
            choice = item.quiz.correct if right else item.quiz.correct % 4 + 1
            assess.answer(user, state.id, check.position, {"choice": choice})
        else:
            assess.answer(user, state.id, check.position, {"recalled": list(range(len(item.key_points))) if right else []})
    assess.finish(user, state.id)
    return state.id


def test_a_new_user_takes_the_diagnostic(assess: AssessService, bank: Bank, store: Store, user: int, clock: Clock) -> None:
    set_profile(store, user, clock, role="mle", level="mid")
    state = assess.start(user, {"ml-theory": 2, "behavioral": 4, "system-design": 3})
    assert [c.kind for c in state.checks].count("quiz") == 2  # the fixture bank has two ml-theory quizzes
    assert {c.area for c in state.checks} == set(AREAS) and state.answered == 0 and not state.finished
    by_item = {c.item_id: c for c in state.checks}

    quiz_right = by_item["precision-recall-f1"]
    quiz_wrong = by_item["eigendecomposition-explained"]
    assert assess.answer(user, state.id, quiz_right.position, {"choice": 3}).score == 1.0
    assert assess.answer(user, state.id, quiz_wrong.position, {"choice": 1}).score == 0.0
    # recall: ticks of the key points recalled
    five = bank.get("ownership-beyond-your-role")
    assert len(five.key_points) == 5
    scored = assess.answer(user, state.id, by_item[five.id].position, {"recalled": [0, 2, 2, 4]})
    assert scored.score == pytest.approx(0.6) and scored.response == {"recalled": [0, 2, 4]}
    assess.answer(user, state.id, by_item["ownership-model-launch-end-to-end"].position, {"recalled": []})
    # or a typed answer graded by the feedback engine
    design = bank.get("news-feed-ranking")
    typed = assess.answer(user, state.id, by_item[design.id].position, {"typed": design.answer})
    assert typed.score >= 0.65 and typed.response["typed"] == design.answer

    resumed = assess.start(user, {})  # the unfinished diagnostic comes back with its answers
    assert resumed.id == state.id and resumed.answered == 5
    assert resumed.next_position == min(c.position for c in resumed.checks if c.score is None)

    done = assess.finish(user, state.id)
    areas = done.result.areas
    # ml-theory: prior 0.3 (self-rating 2) worth two checks, then one right and one wrong: (0.6 + 1) / 4
    assert areas["ml-theory"].score == 40.0 and areas["ml-theory"].checks == 2
    # behavioral: prior 0.65 worth two, then 0.6 and 0: (1.3 + 0.6) / 4
    assert areas["behavioral"].score == pytest.approx(47.5)
    assert areas["case-study"].score == 50.0 and areas["case-study"].checks == 0  # not answered, not rated
    topics = done.result.topics
    assert topics[("ml-theory", "metrics")].score > areas["ml-theory"].score > topics[("ml-theory", "linear-algebra")].score
    assert all(r.low <= r.score <= r.high for r in [*areas.values(), *topics.values()])

    summary = assess.summary(user)
    assert summary["assessment"] == state.id and summary["checks"] == 5 and summary["change"] is None
    assert summary["areas"]["ml-theory"]["score"] == 40.0 and summary["areas"]["ml-theory"]["sureness"] == "low"
    priorities = [f["priority"] for f in summary["focus"]]
    assert priorities == sorted(priorities, reverse=True)
    assert summary["focus"][0]["area"] == "ml-theory"  # heaviest weight, lowest readiness
    assert {"area": "ml-theory", "topic": "linear-algebra"}.items() <= next(
        f for f in summary["focus"] if f["topic"] == "linear-algebra").items()


def test_answers_are_checked(assess: AssessService, user: int) -> None:
    state = assess.start(user, {})
    quiz = next(c for c in state.checks if c.kind == "quiz")
    recall = next(c for c in state.checks if c.kind == "recall")
    for position, response, message in [(quiz.position, {"choice": 5}, "options"), (quiz.position, {"choice": "2"}, "options"),
                                        (recall.position, {"recalled": [99]}, "indexes"),
                                        (recall.position, {"recalled": "all"}, "indexes"), (999, {"choice": 1}, "no check 999")]:
        with pytest.raises(AssessError, match=message):
            assess.answer(user, state.id, position, response)
    assert assess.get(user, state.id).answered == 0
    with pytest.raises(AssessError, match="self-rating is 1 to 5"):
        assess.start(user, {"ml-theory": 9})
    with pytest.raises(AssessError, match="unknown area"):
        assess.start(user, {"frontend": 3})
    assess.finish(user, state.id)
    with pytest.raises(AssessError, match="finished"):
        assess.answer(user, state.id, quiz.position, {"choice": 1})


def test_typed_answers_need_the_engine(bank: Bank, store: Store, clock: Clock, user: int) -> None:
    svc = AssessService(bank, store, clock)  # no engine
    state = svc.start(user, {})
    recall = next(c for c in state.checks if c.kind == "recall")
    with pytest.raises(AssessError, match="tick the key points"):
        svc.answer(user, state.id, recall.position, {"typed": "something"})


def test_more_checks_make_readiness_surer(assess: AssessService, bank: Bank, user: int, other: int) -> None:
    # one user answers every check, the other only one: the same area, different certainty
    take(assess, bank, user, {a: 3 for a in AREAS})
    state = assess.start(other, {a: 3 for a in AREAS})
    quiz = next(c for c in state.checks if c.kind == "quiz")
    assess.answer(other, state.id, quiz.position, {"choice": bank.get(quiz.item_id).quiz.correct})
    assess.finish(other, state.id)
    full = assess.summary(user)["areas"]["ml-theory"]
    one = assess.summary(other)["areas"]["ml-theory"]
    assert (full["checks"], one["checks"]) == (2, 1)
    assert full["high"] - full["low"] < one["high"] - one["low"]


def test_retaking_shows_the_change_per_area(assess: AssessService, bank: Bank, user: int, clock: Clock) -> None:
    first = take(assess, bank, user, {a: 2 for a in AREAS}, right=False)
    clock.advance(days=14)
    second = take(assess, bank, user, {a: 4 for a in AREAS}, right=True)
    summary = assess.summary(user)
    assert summary["assessment"] == second
    assert [h.id for h in assess.history(user)] == [second, first]
    before, after = assess.history(user)[1].result, assess.history(user)[0].result
    assert set(summary["change"]) == set(AREAS)
    for area in AREAS:
        assert summary["change"][area] == pytest.approx(after.areas[area].score - before.areas[area].score, abs=0.05)
        assert summary["change"][area] > 30  # all wrong at self-rating 2 -> all right at 4


def test_editing_the_weights_changes_the_focus_list(assess: AssessService, bank: Bank, store: Store, user: int,
                                                    clock: Clock) -> None:
    take(assess, bank, user, {a: 3 for a in AREAS}, right=False)
    default = [(f["area"], f["topic"]) for f in assess.summary(user)["focus"]]
    assert default[0][0] in ("ml-theory", "system-design")
    set_profile(store, user, clock, weights={"product-design": 1.0, "ml-theory": 0.0, "system-design": 0.0})
    summary = assess.summary(user)
    assert summary["focus"][0]["area"] == "product-design"
    assert not {"ml-theory", "system-design"} & {f["area"] for f in summary["focus"]}
    assert summary["weights"]["product-design"] == max(summary["weights"].values())


def test_no_diagnostic_yet_and_no_peeking(assess: AssessService, bank: Bank, user: int, other: int) -> None:
    assert assess.summary(user) is None and assess.history(user) == []
    assessment = take(assess, bank, user, {})
    with pytest.raises(AssessError, match=f"no assessment {assessment}"):
        assess.get(other, assessment)
    with pytest.raises(AssessError, match="no assessment"):
        assess.answer(other, assessment, 0, {"choice": 1})
    assert assess.summary(other) is None


# The plan ----------------------------------------------------------------------------------------

def test_the_plan_runs_from_today_to_the_eve_of_the_interview(plans: PlanService, store: Store, user: int, clock: Clock,
                                                              bank: Bank) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=21), hours_per_week=6.0)
    assert plans.get(user) is None and plans.planned_new(user) == []
    plan = plans.make(user)
    assert plan.interview_date == TODAY + timedelta(days=21)
    assert [p.day.day for p in plan.days] == [TODAY + timedelta(days=k) for k in range(21)]
    ids = [i for p in plan.days for i in p.day.new]
    assert len(ids) == len(set(ids)) and set(ids) <= {i.id for i in bank.items}
    assert all(p.day.new == () for p in plan.days[-5:]) and plan.days[-1].day.final_review  # 21 days: a quarter
    assert plans.planned_new(user) == list(plan.days[0].day.new) != []
    assert plans.needs_replan(user) is None


def test_without_a_date_the_plan_runs_four_weeks(plans: PlanService, user: int) -> None:
    plan = plans.make(user)
    assert len(plan.days) == 28 and plan.interview_date == TODAY + timedelta(days=28)


def test_a_past_interview_date_is_refused_with_the_fix(plans: PlanService, store: Store, user: int, clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY)
    with pytest.raises(PlanError, match=r"not after today \(2026-03-02\).*mlcoach profile --date"):
        plans.make(user)
    assert plans.get(user) is None


@pytest.fixture(scope="module")
def real_bank() -> Bank:
    from mlcoach.bank import load_bank
    from mlcoach.bank.paths import bundled_bank

    return load_bank(bundled_bank()).bank


def test_the_plan_spends_more_where_the_diagnostic_found_gaps(real_bank: Bank, store: Store, user: int, other: int,
                                                             clock: Clock) -> None:
    from mlcoach.core.planning import NEW_ITEM_MINUTES

    assess, plans = AssessService(real_bank, store, clock), PlanService(real_bank, store, clock)

    def minutes(who: int, weak: str) -> dict[str, int]:
        set_profile(store, who, clock, interview_date=TODAY + timedelta(days=28), hours_per_week=6.0)
        state = assess.start(who, {a: 3 for a in AREAS})
        for check in state.checks:
            item = real_bank.get(check.item_id)
            right = check.area != weak
            if check.kind == "quiz":
                assess.answer(who, state.id, check.position, {"choice": item.quiz.correct if right else item.quiz.correct % 4 + 1})
            else:
                assess.answer(who, state.id, check.position, {"recalled": list(range(len(item.key_points))) if right else []})
        assess.finish(who, state.id)
        spent = {a: 0 for a in AREAS}
        for progress in plans.make(who).days:
            for item_id in progress.day.new:
                spent[real_bank.get(item_id).area] += NEW_ITEM_MINUTES[real_bank.get(item_id).area]
        return spent

    weak_design, weak_theory = minutes(user, "system-design"), minutes(other, "ml-theory")
    assert weak_design["system-design"] > weak_theory["system-design"] > 0
    assert weak_theory["ml-theory"] > weak_design["ml-theory"] > 0


def missed_days(plans: PlanService, clock: Clock, user: int, days: int) -> None:
    clock.advance(days=days)
    assert plans.needs_replan(user) == (f"{days} days behind" if days >= 2 else None)


def test_missed_days_carry_over_and_a_replan_keeps_the_past(plans: PlanService, practice: PracticeService, store: Store,
                                                            user: int, clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=21), hours_per_week=8.0)
    first = plans.make(user)
    assert len(first.days[0].day.new) >= 2 and all(first.days[k].day.new for k in (1, 2))
    practice.rate(user, first.days[0].day.new[0], 3)  # one item of day 1 done, then three days missed
    missed_days(plans, clock, user, 3)
    carried = plans.planned_new(user)
    assert carried[:len(first.days[0].day.new) - 1] == list(first.days[0].day.new[1:])
    assert first.days[0].day.new[0] not in carried

    again = plans.make(user)
    assert [p.day.to_json() for p in again.days[:3]] == [p.day.to_json() for p in first.days[:3]]  # verbatim
    assert again.days[0].done == (first.days[0].day.new[0],)
    future = [i for p in again.days[3:] for i in p.day.new]
    assert first.days[0].day.new[0] not in future  # done: not planned again
    assert set(carried) <= set(future)  # the missed items are planned again
    rows = store.read(lambda s: s.execute(select(StudyPlan.id, StudyPlan.active).where(StudyPlan.user_id == user)
                                          .order_by(StudyPlan.id)).all())
    assert [active for _, active in rows] == [False, True]


def test_after_a_replan_today_holds_todays_items_and_the_plan_is_current(plans: PlanService, store: Store, user: int,
                                                                         clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=21), hours_per_week=6.0)
    plans.make(user)
    missed_days(plans, clock, user, 3)
    again = plans.make(user)
    # the missed items were spread over the days ahead: they are not all due again today
    assert plans.planned_new(user) == list(again.days[3].day.new)
    assert plans.needs_replan(user) is None


def test_moving_the_date_asks_for_a_replan_to_the_new_date(plans: PlanService, store: Store, user: int, clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=21))
    plans.make(user)
    clock.advance(days=2)
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=35))
    assert plans.needs_replan(user) == "the interview date moved to 2026-04-06"
    moved = plans.make(user)
    assert moved.interview_date == date(2026, 4, 6) and moved.days[-1].day.day == date(2026, 4, 5)
    assert moved.days[0].day.day == TODAY and len(moved.days) == 35
    set_profile(store, user, clock, hours_per_week=9.0)
    assert plans.needs_replan(user) == "weekly hours changed to 9"


def test_the_plan_as_a_calendar(plans: PlanService, store: Store, bank: Bank, user: int, clock: Clock) -> None:
    from icalendar import Calendar

    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=14))
    plan = plans.make(user)
    calendar = Calendar.from_ical(plans.ics(user))
    events = calendar.walk("VEVENT")
    assert len(events) == len(plan.days) + 1
    days = [e for e in events if str(e["uid"]).startswith("mlcoach-plan-")]
    assert [e.decoded("dtstart") for e in days] == [p.day.day for p in plan.days]
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(days=1) for e in events)
    interview = next(e for e in events if str(e["summary"]) == "Interview day")
    assert interview.decoded("dtstart") == date(2026, 3, 16)
    first = days[0]
    for item_id in plan.days[0].day.new:
        assert bank.get(item_id).question in str(first["description"])
    assert str(first["summary"]).startswith(f"mlcoach: {plan.days[0].day.minutes} min, {len(plan.days[0].day.new)} new")
    mock_day = next(e for e, p in zip(days, plan.days) if p.day.mock)
    assert "Mock round" in str(mock_day["description"])
    assert "final review" in str(days[-1]["summary"])
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_no_calendar_without_a_plan(plans: PlanService, user: int) -> None:
    with pytest.raises(PlanError, match="mlcoach plan --make"):
        plans.ics(user)


# Practice ----------------------------------------------------------------------------------------

def test_without_a_plan_the_queue_is_the_roles_items_up_to_the_daily_limit(practice: PracticeService, bank: Bank,
                                                                           user: int) -> None:
    queue = practice.queue(user)
    assert len(queue) == queue.new_today == NEW_PER_DAY and queue.reviews_due == 0
    items = [bank.get(e.item_id) for e in queue.entries]
    assert all(e.kind == "new" for e in queue.entries)
    assert items[0].area in ("ml-theory", "system-design")  # the heaviest areas for an MLE go first
    assert {i.area for i in items} == set(AREAS)


def test_new_items_stop_at_the_daily_limit_and_come_back_tomorrow(practice: PracticeService, user: int, clock: Clock) -> None:
    first = [e.item_id for e in practice.queue(user).entries]
    for item_id in first[:4]:
        practice.rate(user, item_id, 4)
    later = practice.queue(user)
    assert (later.new_done_today, later.new_today) == (4, NEW_PER_DAY - 4)
    assert not set(first[:4]) & {e.item_id for e in later.entries}
    for entry in later.entries:
        practice.rate(user, entry.item_id, 4)
    assert practice.queue(user).entries == ()  # ten learned: nothing new until tomorrow
    clock.advance(days=1)
    tomorrow = practice.queue(user)
    assert tomorrow.new_done_today == 0 and tomorrow.new_today == 2  # the fixture bank's last two
    assert not (set(first[:4]) | {e.item_id for e in later.entries}) & {e.item_id for e in tomorrow.entries}


def test_the_queue_is_due_reviews_then_planned_new_items(practice: PracticeService, plans: PlanService, store: Store,
                                                         user: int, clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=21), hours_per_week=8.0)
    plan = plans.make(user)
    today = list(plan.days[0].day.new)
    assert len(today) >= 3
    assert [e.item_id for e in practice.queue(user).entries] == today
    practice.rate(user, today[0], 4)  # easy: days away
    practice.rate(user, today[1], 1)  # again: a minute away, shown again after today's new items
    queue = practice.queue(user)
    assert [(e.item_id, e.kind) for e in queue.entries] == [(i, "new") for i in today[2:]] + [(today[1], "review")]
    clock.advance(days=1)
    tomorrow = practice.queue(user)
    assert tomorrow.entries[0] == next(e for e in tomorrow.entries if e.item_id == today[1])
    assert [e.item_id for e in tomorrow.entries if e.kind == "new"] == today[2:] + list(plan.days[1].day.new)
    assert today[0] not in [e.item_id for e in tomorrow.entries]
    assert tomorrow.reviews_done_today == 0 and tomorrow.new_done_today == 0
    practice.rate(user, today[1], 3)  # a review is not a new item learned today
    after = practice.queue(user)
    assert (after.reviews_done_today, after.new_done_today) == (1, 0)
    assert [e.item_id for e in after.entries if e.kind == "new"] == [e.item_id for e in tomorrow.entries if e.kind == "new"]


def test_with_a_plan_the_day_ends_when_its_items_are_done(practice: PracticeService, plans: PlanService, store: Store,
                                                          user: int, clock: Clock) -> None:
    """No default batch of new items on top of a finished plan day (#20): the queue empties."""
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=21), hours_per_week=8.0)
    today = list(plans.make(user).days[0].day.new)
    for item_id in today:
        practice.rate(user, item_id, 4)
    queue = practice.queue(user)
    assert [e for e in queue.entries if e.kind == "new"] == []
    assert queue.new_done_today == len(today)


def test_practising_part_of_a_big_day_keeps_the_rest_in_the_queue(practice: PracticeService, plans: PlanService,
                                                                 store: Store, user: int, clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=14), hours_per_week=100.0)
    planned = list(plans.make(user).days[0].day.new)
    assert len(planned) > NEW_PER_DAY  # a long day: more than the no-plan limit
    assert [e.item_id for e in practice.queue(user).entries] == planned
    for item_id in planned[:3]:
        practice.rate(user, item_id, 4)
    assert [e.item_id for e in practice.queue(user).entries if e.kind == "new"] == planned[3:]


def test_rating_schedules_the_card_and_keeps_a_log(practice: PracticeService, store: Store, bank: Bank, user: int,
                                                   clock: Clock) -> None:
    ids = [i.id for i in bank.items[:4]]
    rated = [practice.rate(user, item_id, rating, answer=f"answer {rating}", score=None, seconds=42.5)
             for item_id, rating in zip(ids, (1, 2, 3, 4))]
    assert all(r.due_at > START for r in rated)
    assert [r.due_at for r in rated] == sorted(r.due_at for r in rated)  # Again soonest, Easy latest
    assert rated[0].due_at - START == timedelta(minutes=1) and rated[3].interval_days >= 1
    logs = practice.review_logs(user)
    assert [(r["item_id"], r["rating"], r["review_duration"]) for r in logs] == [(i, n, 42500) for i, n in zip(ids, (1, 2, 3, 4))]
    assert set(logs[0]) == {"card_id", "rating", "review_datetime", "review_duration", "item_id"}
    attempts = store.read(lambda s: s.execute(select(Attempt.item_id, Attempt.mode, Attempt.answer, Attempt.duration_seconds)
                                              .where(Attempt.user_id == user).order_by(Attempt.id)).all())
    assert [tuple(a) for a in attempts] == [(i, "practice", f"answer {n}", 42.5) for i, n in zip(ids, (1, 2, 3, 4))]
    state = practice.card_state(user, ids[3])
    assert state["reviews"] == 1 and state["due_at"] == rated[3].due_at.isoformat()
    assert state["recall"] == pytest.approx(1.0, abs=0.01)  # just reviewed
    clock.advance(days=30)
    assert practice.card_state(user, ids[3])["recall"] < 0.9


def test_a_card_goes_further_out_with_each_good_review(practice: PracticeService, user: int, clock: Clock) -> None:
    intervals = []
    for _ in range(4):
        rated = practice.rate(user, "precision-recall-f1", 3)
        intervals.append(rated.interval_days)
        clock.at = rated.due_at
    assert intervals == sorted(intervals) and intervals[-1] > 3
    assert len(practice.review_logs(user)) == 4


def test_a_higher_desired_retention_brings_reviews_sooner(practice: PracticeService, store: Store, user: int, other: int,
                                                          clock: Clock) -> None:
    set_profile(store, other, clock, desired_retention=0.97)
    for who in (user, other):
        practice.rate(who, "precision-recall-f1", 4)
    clock.advance(days=8)
    assert practice.rate(other, "precision-recall-f1", 3).due_at < practice.rate(user, "precision-recall-f1", 3).due_at


def test_ratings_are_checked(practice: PracticeService, user: int) -> None:
    with pytest.raises(PracticeError, match="1 \\(again\\)"):
        practice.rate(user, "precision-recall-f1", 5)
    with pytest.raises(PracticeError, match="no item 'nope'"):
        practice.rate(user, "nope", 3)
    assert practice.review_logs(user) == []


def test_the_engine_proposes_a_rating_and_the_user_decides(practice: PracticeService, store: Store, bank: Bank,
                                                           user: int) -> None:
    item = bank.get("precision-recall-f1")
    strong = practice.check(user, item.id, item.answer, seconds=90)
    assert strong.score >= 65 and strong.proposed in (3, 4) and strong.feedback is not None
    weak = practice.check(user, item.id, "I would use accuracy and hope for the best.")
    assert weak.score < 40 and weak.proposed == 1
    assert practice.check(user, item.id, "", recalled=[]).proposed == 1  # nothing typed, nothing recalled: again
    assert practice.check(user, item.id, "", recalled=list(range(len(item.key_points)))).proposed == 4
    half = practice.check(user, item.id, "", recalled=[0, 1, 2])
    assert (half.score, half.proposed) == (50.0, 2)
    assert store.read(lambda s: s.scalars(select(ReviewLog)).all()) == []  # checking saves nothing

    practice.rate(user, item.id, 2, item.answer, strong.score, strong.feedback)  # the user overrides: hard
    log = store.read(lambda s: s.scalars(select(ReviewLog).where(ReviewLog.user_id == user)).one())
    assert (log.rating, log.score) == (2, strong.score)
    attempt = store.read(lambda s: s.scalars(select(Attempt).where(Attempt.user_id == user)).one())
    assert attempt.score == strong.score and attempt.feedback["score"] == strong.score


def test_flags(practice: PracticeService, user: int) -> None:
    assert practice.set_flags(user, "precision-recall-f1", starred=True) == {"starred": True, "needs_revision": False}
    practice.set_flags(user, "news-feed-ranking", needs_revision=True)
    assert practice.set_flags(user, "precision-recall-f1", needs_revision=True) == {"starred": True, "needs_revision": True}
    assert practice.flagged(user) == [("news-feed-ranking", False, True), ("precision-recall-f1", True, True)]
    practice.set_flags(user, "news-feed-ranking", needs_revision=False)
    assert practice.flagged(user) == [("precision-recall-f1", True, True)]
    assert practice.card_state(user, "precision-recall-f1")["starred"] is True
    with pytest.raises(PracticeError, match="no item"):
        practice.set_flags(user, "nope", starred=True)
    # a flag is not practice: the item is still new
    assert "precision-recall-f1" in [e.item_id for e in practice.queue(user).entries if e.kind == "new"]


def test_a_gap_from_an_interview_is_practised_as_a_card(practice: PracticeService, bank: Bank, store: Store, user: int,
                                                        other: int, matcher: object, clock: Clock,
                                                        notes: NoteService) -> None:
    reflect = ReflectService(bank, store, lambda: matcher, clock)
    log_id = reflect.save(user, LogInput(company="Acme", role="MLE", round_type="system-design", interview_date=date(2026, 2, 20),
                                         questions=(bank.get("precision-recall-f1").question, GAP), outcome="pending", self_rating=3))
    assert [(q.position, q.status) for q in reflect.gaps(user)] == [(2, "gap")]
    card = practice.queue_gap(user, log_id, 2)
    assert card == f"gap-{log_id}-2" and practice.queue_gap(user, log_id, 2) == card  # once only
    item = practice.item(user, card)
    assert (item.question, item.area) == (GAP, "system-design")
    assert practice.queue(user).entries[0].item_id == card  # what you were asked comes first
    notes.set(user, card, "Start from the step response: rise time, overshoot.")
    assert practice.check(user, card, "P, then D for overshoot").proposed is None  # no key points: the user rates
    practice.rate(user, card, 3, "P, then D for overshoot")
    assert card not in [e.item_id for e in practice.queue(user).entries if e.kind == "new"]
    assert practice.review_logs(user)[0]["item_id"] == card
    with pytest.raises(PracticeError, match="has no question 5"):
        practice.queue_gap(user, log_id, 5)
    with pytest.raises(PracticeError, match=f"interview {log_id} has no question 2"):
        practice.queue_gap(other, log_id, 2)  # not their interview
    assert practice.item(other, card) is None
    # the log deleted: its gap card leaves the queue instead of showing a question that is gone
    clock.advance(days=30)
    assert card in [e.item_id for e in practice.queue(user).entries]
    reflect.delete(user, log_id)
    assert card not in [e.item_id for e in practice.queue(user).entries]


def test_a_bank_item_can_be_queued_by_hand(practice: PracticeService, plans: PlanService, store: Store, user: int,
                                           clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=21))
    plan = plans.make(user)
    extra = next(i for p in plan.days[1:] for i in p.day.new)
    practice.queue_item(user, extra)
    assert [e.item_id for e in practice.queue(user).entries] == [extra] + list(plan.days[0].day.new)
    with pytest.raises(PracticeError, match="no item 'nope' in the bank"):
        practice.queue_item(user, "nope")


# Notes -------------------------------------------------------------------------------------------

def test_notes_set_replace_delete_and_search(notes: NoteService, user: int, clock: Clock) -> None:
    assert notes.get(user, "precision-recall-f1") is None
    notes.set(user, "precision-recall-f1", "Precision: of the flagged, how many are right.")
    clock.advance(minutes=5)
    notes.set(user, "news-feed-ranking", "Two-tower retrieval, then a **ranker**. 100% of the feed is ranked.")
    clock.advance(minutes=5)
    saved = notes.set(user, "precision-recall-f1", "F1 is the harmonic mean.")  # replaces
    assert saved.body == "F1 is the harmonic mean." and saved.updated_at == clock()
    assert notes.get(user, "precision-recall-f1").body == "F1 is the harmonic mean."
    assert [n.item_id for n in notes.all(user)] == ["precision-recall-f1", "news-feed-ranking"]  # newest first

    assert [n.item_id for n in notes.all(user, "HARMONIC")] == ["precision-recall-f1"]  # the note's text, any case
    assert [n.item_id for n in notes.all(user, "news feed")] == ["news-feed-ranking"]  # the item's question
    assert [n.item_id for n in notes.all(user, "100%")] == ["news-feed-ranking"]
    assert notes.all(user, "%") == notes.all(user, "100%")  # a literal %, not a wildcard
    assert notes.all(user, "of the flagged") == []  # the replaced text is gone

    assert notes.set(user, "precision-recall-f1", "  \n") is None  # empty deletes
    assert notes.get(user, "precision-recall-f1") is None
    assert [n.item_id for n in notes.all(user)] == ["news-feed-ranking"]
    with pytest.raises(NoteError, match=f"at most {MAX_NOTE}"):
        notes.set(user, "news-feed-ranking", "x" * (MAX_NOTE + 1))
    assert notes.get(user, "news-feed-ranking").body.startswith("Two-tower")


# Stories -----------------------------------------------------------------------------------------

STORY = StoryInput("Churn pipeline nobody owned", "Scores drifted for weeks.", "Find why.",
                   "Traced stale features, added freshness alerts and a runbook.", "AUC back to 0.78.", ("ownership",))


def test_stories_add_edit_delete(stories: StoryService, user: int, clock: Clock) -> None:
    story = stories.add(user, replace(STORY, title="  Churn pipeline nobody owned ", competencies=("ownership", "ownership")))
    assert story.title == "Churn pipeline nobody owned" and story.competencies == ("ownership",)
    clock.advance(hours=1)
    edited = stories.edit(user, story.id, replace(STORY, result="AUC back from 0.71 to 0.78.",
                                                  competencies=("ownership", "debugging-rigor")))
    assert edited.id == story.id and edited.updated_at == clock() and edited.competencies == ("ownership", "debugging-rigor")
    assert stories.get(user, story.id).result == "AUC back from 0.71 to 0.78."
    stories.delete(user, story.id)
    assert stories.all(user) == []
    with pytest.raises(StoryError, match=f"no story {story.id}"):
        stories.get(user, story.id)


BAD_STORIES = [
    ({"title": "  "}, "a story needs a title"),
    ({"title": "x" * 201}, "at most 200"),
    ({"action": "x" * 10_001}, "the action holds at most"),
    ({"competencies": ("ownership", "charisma")}, "unknown competency 'charisma'; choose from ownership, debugging-rigor"),
]


def test_a_bad_story_is_refused_with_the_reason(stories: StoryService, user: int) -> None:
    for changes, message in BAD_STORIES:
        with pytest.raises(StoryError, match=message):
            stories.add(user, replace(STORY, **changes))
    assert stories.all(user) == []
    kept = stories.add(user, STORY)
    for changes, message in BAD_STORIES:
        with pytest.raises(StoryError, match=message):
            stories.edit(user, kept.id, replace(STORY, **changes))
    assert stories.all(user) == [kept]


def test_coverage_names_the_competencies_without_a_story(stories: StoryService, user: int) -> None:
    coverage = stories.coverage(user)
    assert list(coverage) == list(stories.competencies) and len(coverage) == 12
    assert all(found == [] for found in coverage.values())
    a = stories.add(user, STORY)
    b = stories.add(user, replace(STORY, title="The launch", competencies=("ownership", "conflict")))
    coverage = stories.coverage(user)
    assert [s.id for s in coverage["ownership"]] == [a.id, b.id]
    assert [s.id for s in coverage["conflict"]] == [b.id]
    assert [c for c, found in coverage.items() if not found] == [c for c in stories.competencies if c not in ("ownership", "conflict")]


def test_practising_a_behavioral_item_suggests_the_matching_stories_first(stories: StoryService, bank: Bank, user: int) -> None:
    unrelated = stories.add(user, StoryInput("Offsite planning", "We planned a party.", competencies=("learning",)))
    by_words = stories.add(user, StoryInput("Stale features", "The churn model's input features were stale and no owner noticed",
                                            competencies=("simplicity",)))
    mapped = stories.add(user, StoryInput("Grocery launch", "I shipped substitutions.", competencies=("ownership",)))
    item = bank.get("ownership-beyond-your-role")
    suggested = stories.for_item(user, item)
    assert [s.id for s in suggested] == [mapped.id, by_words.id]
    assert unrelated.id not in [s.id for s in suggested]
    assert stories.for_item(user, bank.get("news-feed-ranking")) == []  # not a behavioral question


# Several users on one store ----------------------------------------------------------------------

def test_users_do_not_see_each_others_study(notes: NoteService, stories: StoryService, plans: PlanService,
                                            practice: PracticeService, store: Store, user: int, other: int,
                                            clock: Clock) -> None:
    notes.set(user, "precision-recall-f1", "mine")
    story = stories.add(user, STORY)
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=14), hours_per_week=12.0)
    mine = plans.make(user)
    practice.rate(user, mine.days[0].day.new[0], 1)  # again: due in a minute, on their queue only
    practice.set_flags(user, "news-feed-ranking", starred=True)

    assert notes.get(other, "precision-recall-f1") is None and notes.all(other) == [] and notes.all(other, "mine") == []
    assert stories.all(other) == [] and all(found == [] for found in stories.coverage(other).values())
    for action in (lambda: stories.get(other, story.id), lambda: stories.edit(other, story.id, STORY),
                   lambda: stories.delete(other, story.id)):
        with pytest.raises(StoryError, match=f"no story {story.id}"):
            action()
    assert stories.get(user, story.id) == story
    assert plans.get(other) is None and plans.planned_new(other) == []
    assert practice.flagged(other) == [] and practice.review_logs(other) == []
    theirs = practice.queue(other)
    assert practice.queue(user).reviews_due == 1
    assert theirs.reviews_due == 0 and mine.days[0].day.new[0] in [e.item_id for e in theirs.entries]  # still new to them
    notes.set(other, "precision-recall-f1", "theirs")
    assert notes.get(user, "precision-recall-f1").body == "mine"
    their_plan = plans.make(other)  # their own profile: the defaults
    assert their_plan.interview_date == TODAY + timedelta(days=28)
    assert plans.get(user).id == mine.id and plans.get(user).interview_date == TODAY + timedelta(days=14)


def test_the_final_week_revises_flagged_and_weakest_items_ahead_of_time(practice: PracticeService, plans: PlanService,
                                                                        store: Store, bank: Bank, user: int,
                                                                        clock: Clock) -> None:
    set_profile(store, user, clock, interview_date=TODAY + timedelta(days=8), hours_per_week=8.0)
    plan = plans.make(user)
    assert [p.day.final_review for p in plan.days] == [False] * 6 + [True] * 2
    learned = [i.id for i in bank.items[:4]]
    for item_id in learned:
        practice.rate(user, item_id, 4)  # easy: next due well after the interview
    practice.set_flags(user, learned[2], needs_revision=True)
    practice.set_flags(user, learned[3], starred=True)
    clock.advance(days=5)
    assert not [e for e in practice.queue(user).entries if e.kind == "revise"]  # not yet the final days
    clock.advance(days=1)
    revise = [e.item_id for e in practice.queue(user).entries if e.kind == "revise"]
    assert revise[:2] == [learned[2], learned[3]] and set(revise) == set(learned)  # flagged first, then the rest
    practice.rate(user, learned[2], 3)
    assert learned[2] not in [e.item_id for e in practice.queue(user).entries if e.kind == "revise"]  # done for today


def test_nul_characters_are_dropped_on_both_databases(notes: NoteService, stories: StoryService, user: int) -> None:
    """PostgreSQL refuses NUL in text (a 500 before); SQLite would store it. Both now store the text without it."""
    notes.set(user, "precision-recall-f1", "a\x00b")
    assert notes.get(user, "precision-recall-f1").body == "ab"  # type: ignore[union-attr]
    story = stories.add(user, StoryInput(title="ti\x00tle", situation="s\x00"))
    assert stories.get(user, story.id).title == "title"  # type: ignore[union-attr]


def test_simultaneous_first_writes_to_an_item_all_land(practice: PracticeService, user: int) -> None:
    """20 clients star the same never-seen item at once: on PostgreSQL the first inserts race on the
    primary key (500s before); every write now lands, and 20 flips leave it unstarred."""
    from concurrent.futures import ThreadPoolExecutor

    item_id = "precision-recall-f1"
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: practice.toggle_flag(user, item_id, "starred"), range(20)))
    assert len(results) == 20
    assert practice.flagged(user) == []  # an even number of flips
