"""The diagnostic (step 1): start it, answer its checks one by one (each saved at once), finish it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from mlcoach.core.assessment import (
    Check,
    CheckResult,
    Focus,
    Result,
    change,
    focus_list,
    plan_diagnostic,
    readiness,
    recall_score,
    result_from_json,
    result_json,
)
from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.errors import Invalid, NotFound
from mlcoach.core.items import AREAS
from mlcoach.store import Store
from mlcoach.store.models import Assessment, AssessmentCheck
from mlcoach.study import profile as profiles

MAX_TYPED = 20_000


class AssessError(Invalid, ValueError):
    """A request the diagnostic cannot carry out; the message says why."""


class AssessNotFound(NotFound, AssessError):
    """What was asked for does not exist (a 404 on the web, exit 1 in the CLI)."""


@dataclass(frozen=True)
class CheckState:
    position: int
    item_id: str
    area: str
    topic: str
    kind: str
    response: dict[str, Any] | None
    score: float | None


@dataclass(frozen=True)
class AssessmentState:
    id: int
    role: str
    level: str
    self_ratings: dict[str, int]
    checks: tuple[CheckState, ...]
    finished: bool
    started_at: datetime
    finished_at: datetime | None
    result: Result | None

    @property
    def answered(self) -> int:
        return sum(1 for c in self.checks if c.score is not None)

    @property
    def next_position(self) -> int | None:
        for check in self.checks:
            if check.score is None:
                return check.position
        return None


def _state(row: Assessment) -> AssessmentState:
    checks = tuple(CheckState(c.position, c.item_id, c.area, c.topic, c.kind, c.response, c.score) for c in row.checks)
    return AssessmentState(row.id, row.role, row.level, dict(row.self_ratings), checks, row.finished_at is not None,
                           row.started_at, row.finished_at, result_from_json(row.result) if row.result else None)


class AssessService:
    def __init__(self, bank: Bank, store: Store, clock: Clock, engine: Callable[[], Any] | None = None) -> None:
        self.bank, self.store, self.clock = bank, store, clock
        self._engine = engine

    def start(self, user_id: int, self_ratings: Mapping[str, int]) -> AssessmentState:
        """A new diagnostic for the profile's role and level; an unfinished one is returned instead."""
        ratings = {}
        for area, value in self_ratings.items():
            if area not in AREAS:
                raise AssessError(f"unknown area {area!r}")
            if not isinstance(value, int) or not 1 <= value <= 5:
                raise AssessError(f"a self-rating is 1 to 5; {area} has {value!r}")
            ratings[area] = value

        def create(session: Any) -> AssessmentState:
            open_row = session.scalars(select(Assessment).where(Assessment.user_id == user_id, Assessment.finished_at.is_(None))
                                       .order_by(Assessment.id.desc())).first()
            if open_row is not None:
                if ratings:
                    open_row.self_ratings = {**open_row.self_ratings, **ratings}
                return _state(open_row)
            prof = profiles.load(session, user_id)
            taken = session.scalar(select(func.count()).select_from(Assessment).where(Assessment.user_id == user_id)) or 0
            checks = plan_diagnostic(self.bank.items, prof.role, prof.level, seed=user_id * 1000 + taken)
            if not checks:
                raise AssessError("the bank has no items to check")
            row = Assessment(user_id=user_id, role=prof.role, level=prof.level, self_ratings=ratings, started_at=self.clock())
            row.checks = [AssessmentCheck(position=n, item_id=c.item_id, area=c.area, topic=c.topic, kind=c.kind)
                          for n, c in enumerate(checks)]
            session.add(row)
            session.flush()
            return _state(row)

        return self.store.write(create)

    def get(self, user_id: int, assessment_id: int) -> AssessmentState:
        def read(session: Any) -> AssessmentState:
            row = session.get(Assessment, assessment_id)
            if row is None or row.user_id != user_id:
                raise AssessNotFound(f"no assessment {assessment_id}")
            return _state(row)

        return self.store.read(read)

    def answer(self, user_id: int, assessment_id: int, position: int, response: Mapping[str, Any]) -> CheckState:
        """Score one check and save it. Quiz: {"choice": 1-4}. Recall: {"recalled": [key point indexes]}
        or {"typed": text}, graded by the feedback engine."""
        state = self.get(user_id, assessment_id)
        if state.finished:
            raise AssessError("this assessment is finished; start a new one to check again")
        check = next((c for c in state.checks if c.position == position), None)
        if check is None:
            raise AssessNotFound(f"assessment {assessment_id} has no check {position}")
        item = self.bank.get(check.item_id)
        if item is None:
            raise AssessError(f"the item {check.item_id} is no longer in the bank; skip this check")
        saved: dict[str, Any]
        if check.kind == "quiz":
            choice = response.get("choice")
            if item.quiz is None or not isinstance(choice, int) or not 1 <= choice <= len(item.quiz.options):
                raise AssessError("pick one of the options (1 to 4)")
            score, saved = (1.0 if choice == item.quiz.correct else 0.0), {"choice": choice}
        elif "typed" in response:
            text = str(response["typed"] or "")[:MAX_TYPED]
            if self._engine is None:
                raise AssessError("typed answers need the feedback engine; tick the key points you recalled instead")
            feedback = self._engine().grade(item, text)
            score, saved = feedback.score / 100, {"typed": text, "score": feedback.score}
        else:
            recalled = response.get("recalled", [])
            if not isinstance(recalled, list) or any(not isinstance(i, int) or not 0 <= i < len(item.key_points) for i in recalled):
                raise AssessError("recalled key points must be indexes of the item's key points")
            marked = sorted(set(recalled))
            score, saved = recall_score(len(marked), len(item.key_points)), {"recalled": marked}

        def save(session: Any) -> CheckState:
            row = session.scalars(select(AssessmentCheck).where(AssessmentCheck.assessment_id == assessment_id,
                                                                AssessmentCheck.position == position)).one()
            row.response, row.score, row.answered_at = saved, score, self.clock()
            return CheckState(row.position, row.item_id, row.area, row.topic, row.kind, row.response, row.score)

        return self.store.write(save)

    def finish(self, user_id: int, assessment_id: int, self_ratings: Mapping[str, int] | None = None) -> AssessmentState:
        state = self.get(user_id, assessment_id)
        if state.finished:
            return state
        ratings = {**state.self_ratings, **(self_ratings or {})}
        results = [CheckResult(c.area, c.topic, c.score) for c in state.checks if c.score is not None]
        result = readiness(results, ratings)

        def save(session: Any) -> AssessmentState:
            row = session.get(Assessment, assessment_id)
            row.self_ratings, row.result, row.finished_at = ratings, result_json(result), self.clock()
            session.flush()
            return _state(row)

        return self.store.write(save)

    def _topic_title(self, area: str, topic: str | None) -> str | None:
        guide = self.bank.guides.get(area)
        return (guide.topic_title(topic) if guide else topic) if topic else None

    def history(self, user_id: int) -> list[AssessmentState]:
        """Finished assessments, newest first."""
        def read(session: Any) -> list[AssessmentState]:
            rows = session.scalars(select(Assessment).where(Assessment.user_id == user_id, Assessment.finished_at.is_not(None))
                                   .order_by(Assessment.finished_at.desc(), Assessment.id.desc())).all()
            return [_state(r) for r in rows]

        return self.store.read(read)

    def summary(self, user_id: int) -> dict[str, Any] | None:
        """The latest result with its focus list and the change since the one before; None if none yet."""
        done = self.history(user_id)
        if not done:
            return None
        latest = done[0]
        assert latest.result is not None
        prof = self.store.read(lambda s: profiles.load(s, user_id))
        weights = prof.area_weights()
        focus = focus_list(latest.result, weights)
        previous = done[1] if len(done) > 1 else None
        return {
            "assessment": latest.id,
            "taken_at": latest.finished_at.isoformat() if latest.finished_at else None,
            "checks": latest.answered,
            **result_json(latest.result),
            "focus": [{**_focus_json(f), "topic_title": self._topic_title(f.area, f.topic)} for f in focus],
            "weights": weights,
            "change": change(previous.result, latest.result) if previous and previous.result else None,
        }


def _focus_json(f: Focus) -> dict[str, Any]:
    return {"area": f.area, "topic": f.topic, "readiness": f.readiness, "weight": round(f.weight, 3), "priority": f.priority}


def latest_result(store: Store, user_id: int) -> Result | None:
    def read(session: Any) -> Result | None:
        row = session.scalars(select(Assessment).where(Assessment.user_id == user_id, Assessment.finished_at.is_not(None))
                              .order_by(Assessment.finished_at.desc(), Assessment.id.desc())).first()
        return result_from_json(row.result) if row is not None and row.result else None

    return store.read(read)


__all__ = ["AssessService", "AssessError", "AssessmentState", "CheckState", "Check", "latest_result"]
