"""What a progress report shows: readiness, practice and mock history, plan adherence. Read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.items import AREAS
from mlcoach.store import Store
from mlcoach.store.models import Attempt, ItemState, MockSession, ReviewLog
from mlcoach.study import profile as profiles
from mlcoach.study.assess import AssessService
from mlcoach.study.plan import PlanService, local_day

WEEKS = 12
MATURE_DAYS = 21.0  # FSRS stability at which a card counts as well learned (Anki's "mature")


@dataclass(frozen=True)
class MockRow:
    day: date
    round_type: str
    mode: str
    score: float | None  # mean of the answers' scores
    scorecard: dict[str, Any] | None  # the interviewer's, in peer mode


@dataclass(frozen=True)
class Progress:
    generated: datetime
    profile: profiles.ProfileData
    readiness: list[tuple[date, dict[str, float]]]  # per diagnostic, oldest first
    latest: dict[str, Any] | None  # AssessService.summary
    weeks: list[tuple[str, int]]  # (ISO week, reviews), the last WEEKS weeks
    learned: dict[str, int]  # area -> items practised at least once
    mature: dict[str, int]  # area -> items with stability >= MATURE_DAYS
    bank_sizes: dict[str, int]
    mocks: list[MockRow]
    score_trend: dict[str, list[tuple[str, float]]]  # area -> (ISO week, mean attempt score)
    plan_done: tuple[int, int] | None  # (planned new items to date, done)
    reviews_total: int = 0


def collect(bank: Bank, store: Store, clock: Clock, user_id: int) -> Progress:
    now = clock()
    prof = store.read(lambda s: profiles.load(s, user_id))
    assess = AssessService(bank, store, clock)
    history = list(reversed(assess.history(user_id)))
    readiness = [(h.finished_at.date() if h.finished_at else h.started_at.date(),
                  {a: h.result.areas[a].score for a in AREAS if h.result and a in h.result.areas}) for h in history]
    since = now - timedelta(weeks=WEEKS)

    def read(session: Any) -> tuple[list[datetime], int, list[tuple[str, Any]], list[MockSession], list[Attempt]]:
        reviewed = list(session.scalars(select(ReviewLog.reviewed_at).where(ReviewLog.user_id == user_id,
                                                                            ReviewLog.reviewed_at >= since)).all())
        total = session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == user_id)) or 0
        states = [(i, c) for i, c in session.execute(select(ItemState.item_id, ItemState.card).where(
            ItemState.user_id == user_id, ItemState.introduced_at.is_not(None))).all()]
        mocks = list(session.scalars(select(MockSession).where(MockSession.user_id == user_id, MockSession.status == "finished")
                                     .order_by(MockSession.created_at)).all())
        attempts = list(session.scalars(select(Attempt).where(Attempt.user_id == user_id, Attempt.score.is_not(None),
                                                              Attempt.submitted_at.is_not(None))
                                        .order_by(Attempt.submitted_at)).all())
        return reviewed, total, states, mocks, attempts

    reviewed, total, states, mocks, attempts = store.read(read)
    weeks: dict[str, int] = {}
    for k in range(WEEKS - 1, -1, -1):
        weeks[(now - timedelta(weeks=k)).strftime("%G-W%V")] = 0
    for when in reviewed:
        key = when.strftime("%G-W%V")
        if key in weeks:
            weeks[key] += 1
    learned = {a: 0 for a in AREAS}
    mature = {a: 0 for a in AREAS}
    for item_id, card in states:
        item = bank.get(item_id)
        if item is None:
            continue
        learned[item.area] += 1
        if card and (card.get("stability") or 0) >= MATURE_DAYS:
            mature[item.area] += 1
    by_session: dict[int, list[float]] = {}
    trend: dict[str, dict[str, list[float]]] = {}
    for attempt in attempts:
        if attempt.session_id is not None:
            by_session.setdefault(attempt.session_id, []).append(attempt.score)  # type: ignore[arg-type]
        item = bank.get(attempt.item_id)
        if item is not None and attempt.submitted_at is not None:
            trend.setdefault(item.area, {}).setdefault(attempt.submitted_at.strftime("%G-W%V"), []).append(attempt.score)  # type: ignore[arg-type]
    mock_rows = [MockRow(local_day(m.created_at), m.round_type, m.mode,
                         round(sum(by_session[m.id]) / len(by_session[m.id]), 1) if by_session.get(m.id) else None, m.scorecard)
                 for m in mocks]
    plan = PlanService(bank, store, clock).get(user_id)
    plan_done = None
    if plan is not None:
        today = local_day(now)
        past = [p for p in plan.days if p.day.day <= today]
        plan_done = (sum(len(p.day.new) for p in past), sum(len(p.done) for p in past))
    return Progress(
        generated=now, profile=prof, readiness=readiness, latest=assess.summary(user_id), weeks=list(weeks.items()),
        learned=learned, mature=mature, bank_sizes={a: len(bank.filter(area=a)) for a in AREAS}, mocks=mock_rows,
        score_trend={a: [(w, round(sum(v) / len(v), 1)) for w, v in sorted(weeks_.items())] for a, weeks_ in trend.items()},
        plan_done=plan_done, reviews_total=total,
    )
