"""The study plan in the database: make it from the profile and the latest assessment, re-plan, export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.errors import Invalid, NotFound
from mlcoach.core.items import AREA_TITLES, AREAS
from mlcoach.core.mock import ROUNDS
from mlcoach.core.planning import DEFAULT_DAYS, PlanDay, PlanRequest, carried_over, replan
from mlcoach.store import Store
from mlcoach.store.models import ItemState, MockSession, StudyPlan
from mlcoach.study import profile as profiles
from mlcoach.study.assess import latest_result


class PlanError(Invalid, ValueError):
    pass


class PlanNotFound(NotFound, PlanError):
    """What was asked for does not exist (a 404 on the web, exit 1 in the CLI)."""


def local_day(now: datetime) -> date:
    """The user's calendar day: the machine's local time zone (a local-first app runs where its user is)."""
    return now.astimezone().date()


@dataclass(frozen=True)
class DayProgress:
    day: PlanDay
    done: tuple[str, ...]  # planned new items already practised
    mock_done: bool

    @property
    def complete(self) -> bool:
        return len(self.done) == len(self.day.new) and (self.day.mock is None or self.mock_done)


@dataclass(frozen=True)
class Plan:
    id: int
    interview_date: date
    hours_per_week: float
    created_at: datetime
    days: tuple[DayProgress, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "interview_date": self.interview_date.isoformat(), "hours_per_week": self.hours_per_week,
                "created_at": self.created_at.isoformat(),
                "days": [{**d.day.to_json(), "done": list(d.done), "mock_done": d.mock_done, "complete": d.complete}
                         for d in self.days]}


class PlanService:
    def __init__(self, bank: Bank, store: Store, clock: Clock) -> None:
        self.bank, self.store, self.clock = bank, store, clock

    def _request(self, user_id: int, start: date) -> tuple[PlanRequest, str]:
        prof = self.store.read(lambda s: profiles.load(s, user_id))
        interview = prof.interview_date or start + timedelta(days=DEFAULT_DAYS)
        if interview <= start:
            raise PlanError(f"the interview date {interview.isoformat()} is not after today ({start.isoformat()}); "
                            "set a new one with `mlcoach profile --date YYYY-MM-DD`")
        if (interview - start).days > profiles.MAX_DAYS_AHEAD:  # a profile saved before the limit existed
            raise PlanError(f"the interview date {interview.isoformat()} is more than two years away; "
                            "set a nearer one with `mlcoach profile --date YYYY-MM-DD`")
        result = latest_result(self.store, user_id)
        weights = prof.area_weights()
        readiness = {a: (result.areas[a].score if result and a in result.areas else 50.0) for a in AREAS}
        topics = {k: r.score for k, r in result.topics.items()} if result else {}
        priorities = {a: weights[a] * (100 - readiness[a]) for a in AREAS}
        return PlanRequest(start, interview, prof.hours_per_week, prof.level, priorities, topics), prof.role

    def make(self, user_id: int) -> Plan:
        """A new plan from today, keeping the days already past of the current plan and leaving out
        every item already practised (this is also how a re-plan works)."""
        now = self.clock()
        today = local_day(now)
        request, role = self._request(user_id, today)
        items = [i for i in self.bank.items if role in i.roles]

        def save(session: Any) -> int:
            done = set(session.scalars(select(ItemState.item_id).where(ItemState.user_id == user_id,
                                                                        ItemState.introduced_at.is_not(None))).all())
            current = _active(session, user_id)
            previous = [PlanDay.from_json(d) for d in current.days] if current else []
            try:
                days = replan(previous, request, items, done)
            except ValueError as error:
                raise PlanError(str(error)) from None
            if current is not None:
                current.active = False
            row = StudyPlan(user_id=user_id, interview_date=request.interview, hours_per_week=request.hours_per_week,
                            days=[d.to_json() for d in days], active=True, created_at=now)
            session.add(row)
            session.flush()
            return row.id

        self.store.write(save)
        plan = self.get(user_id)
        assert plan is not None
        return plan

    def get(self, user_id: int) -> Plan | None:
        def read(session: Any) -> Plan | None:
            row = _active(session, user_id)
            if row is None:
                return None
            introduced = dict(session.execute(select(ItemState.item_id, ItemState.introduced_at).where(
                ItemState.user_id == user_id, ItemState.introduced_at.is_not(None))).all())
            mock_days = {local_day(m.created_at): m.round_type for m in session.scalars(
                select(MockSession).where(MockSession.user_id == user_id, MockSession.status == "finished")).all()}
            days = []
            for raw in row.days:
                day = PlanDay.from_json(raw)
                done = tuple(i for i in day.new if i in introduced)
                days.append(DayProgress(day, done, day.mock is not None and any(
                    d >= day.day - timedelta(days=3) and d <= day.day + timedelta(days=3) for d in mock_days)))
            return Plan(row.id, row.interview_date, row.hours_per_week, row.created_at, tuple(days))

        return self.store.read(read)

    def planned_new(self, user_id: int, plan: Plan | None = None) -> list[str]:
        """Today's new items, after any missed since the plan was made (what was missed before a
        re-plan is planned again on the days ahead)."""
        plan = plan or self.get(user_id)
        if plan is None:
            return []
        made = local_day(plan.created_at)
        done = {i for p in plan.days for i in p.done}
        return carried_over([p.day for p in plan.days if p.day.day >= made], local_day(self.clock()), done)

    def is_final_review(self, user_id: int, plan: Plan | None = None) -> bool:
        """Whether today is a final-review day of the plan."""
        plan = plan or self.get(user_id)
        today = local_day(self.clock())
        return plan is not None and any(p.day.day == today and p.day.final_review for p in plan.days)

    def needs_replan(self, user_id: int) -> str | None:
        """Why the plan is out of date (date moved, missed days), or None."""
        plan = self.get(user_id)
        if plan is None:
            return None
        prof = self.store.read(lambda s: profiles.load(s, user_id))
        if prof.interview_date and prof.interview_date != plan.interview_date:
            return f"the interview date moved to {prof.interview_date.isoformat()}"
        if prof.hours_per_week != plan.hours_per_week:
            return f"weekly hours changed to {prof.hours_per_week:g}"
        today = local_day(self.clock())
        made = local_day(plan.created_at)
        missed = [p for p in plan.days if made <= p.day.day < today and len(p.done) < len(p.day.new)]
        if len(missed) >= 2:
            return f"{len(missed)} days behind"
        return None

    def ics(self, user_id: int) -> bytes:
        """The plan as an iCalendar file: one all-day event per study day."""
        from icalendar import Calendar, Event

        plan = self.get(user_id)
        if plan is None:
            raise PlanNotFound("there is no plan yet: make one with `mlcoach plan --make`")
        cal = Calendar()
        cal.add("prodid", "-//mlcoach//study plan//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", "mlcoach study plan")
        stamp = self.clock()
        for progress in plan.days:
            day = progress.day
            lines = []
            for item_id in day.new:
                item = self.bank.get(item_id)
                if item is not None:
                    lines.append(f"- [{AREA_TITLES[item.area]}] {item.question}")
            if day.review_minutes:
                lines.append(f"- Reviews due (about {day.review_minutes} min)")
            if day.mock:
                lines.append(f"- Mock round: {ROUNDS[day.mock].title}")
            summary = _summary(day)
            event = Event()
            event.add("uid", f"mlcoach-plan-{user_id}-{day.day.isoformat()}@mlcoach")
            event.add("dtstamp", stamp)
            event.add("dtstart", day.day)
            event.add("dtend", day.day + timedelta(days=1))
            event.add("summary", summary)
            event.add("description", "\n".join(lines) or "Reviews")
            cal.add_component(event)
        interview = Event()
        interview.add("uid", f"mlcoach-interview-{user_id}@mlcoach")
        interview.add("dtstamp", stamp)
        interview.add("dtstart", plan.interview_date)
        interview.add("dtend", plan.interview_date + timedelta(days=1))
        interview.add("summary", "Interview day")
        cal.add_component(interview)
        return bytes(cal.to_ical())


def _summary(day: PlanDay) -> str:
    parts = [f"mlcoach: {day.minutes} min"]
    if day.final_review:
        parts.append("final review")
    elif day.new:
        parts.append(f"{len(day.new)} new")
    if day.mock:
        parts.append(f"mock {ROUNDS[day.mock].title}")
    return ", ".join(parts)


def _active(session: Any, user_id: int) -> StudyPlan | None:
    plan: StudyPlan | None = session.scalars(select(StudyPlan).where(StudyPlan.user_id == user_id, StudyPlan.active.is_(True))
                                             .order_by(StudyPlan.id.desc())).first()
    return plan
