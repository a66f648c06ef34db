"""Interview logs in the database: save (create or edit), correct a match, read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mlcoach.core.errors import NotFound
from mlcoach.core.reflect import LoggedQuestion, LogInput
from mlcoach.store.models import Attempt, InterviewLog, InterviewQuestion


@dataclass(frozen=True)
class QuestionMatch:
    """What the matcher (or the user) decided for one question."""

    status: str  # covered, gap
    item_id: str | None
    area: str | None
    corrected: bool = False


def save_log(session: Session, user_id: int, entry: LogInput, decisions: list[QuestionMatch], now: datetime,
             log_id: int | None = None) -> int:
    if log_id is None:
        log = InterviewLog(user_id=user_id, created_at=now)
        session.add(log)
    else:
        log = _own(session, user_id, log_id)
    log.company, log.role, log.round_type = entry.company, entry.role, entry.round_type
    log.interview_date, log.outcome, log.self_rating = entry.interview_date, entry.outcome, entry.self_rating
    log.went_well, log.went_badly, log.updated_at = entry.went_well, entry.went_badly, now
    log.questions.clear()
    session.flush()  # the old rows go before new ones take their positions
    for position, (text, decision) in enumerate(zip(entry.questions, decisions), start=1):
        log.questions.append(InterviewQuestion(position=position, text=text, status=decision.status,
                                               item_id=decision.item_id, area=decision.area, corrected=decision.corrected))
    session.flush()
    return log.id


def correct(session: Session, user_id: int, log_id: int, position: int, item_id: str | None, area: str | None) -> None:
    log = _own(session, user_id, log_id)
    question = next((q for q in log.questions if q.position == position), None)
    if question is None:
        raise NotFound(f"interview {log_id} has no question {position}")
    question.item_id = item_id
    question.status = "covered" if item_id else "gap"
    question.area = area
    question.corrected = True


def delete_log(session: Session, user_id: int, log_id: int) -> None:
    session.delete(_own(session, user_id, log_id))


def get_log(session: Session, user_id: int, log_id: int) -> InterviewLog:
    log = _own(session, user_id, log_id)
    _ = list(log.questions)  # load them before the session closes
    return log


def list_logs(session: Session, user_id: int) -> list[tuple[InterviewLog, int, int]]:
    """Each log with its question count and gap count, newest interview first."""
    logs = session.scalars(
        select(InterviewLog).where(InterviewLog.user_id == user_id)
        .order_by(InterviewLog.interview_date.desc(), InterviewLog.id.desc())
    ).all()
    counts = dict(
        session.execute(
            select(InterviewQuestion.log_id, func.count()).join(InterviewLog)
            .where(InterviewLog.user_id == user_id).group_by(InterviewQuestion.log_id)
        ).all()
    )
    gaps = dict(
        session.execute(
            select(InterviewQuestion.log_id, func.count()).join(InterviewLog)
            .where(InterviewLog.user_id == user_id, InterviewQuestion.status == "gap").group_by(InterviewQuestion.log_id)
        ).all()
    )
    return [(log, counts.get(log.id, 0), gaps.get(log.id, 0)) for log in logs]


def all_questions(session: Session, user_id: int) -> list[LoggedQuestion]:
    rows = session.execute(
        select(InterviewQuestion, InterviewLog.interview_date, InterviewLog.company).join(InterviewLog)
        .where(InterviewLog.user_id == user_id)
        .order_by(InterviewLog.interview_date, InterviewQuestion.log_id, InterviewQuestion.position)
    ).all()
    return [LoggedQuestion(q.log_id, q.position, q.text, q.status, q.item_id, q.area, day, company, q.corrected)
            for q, day, company in rows]


def mastery(session: Session, user_id: int, item_ids: list[str]) -> dict[str, tuple[float | None, int]]:
    """For each item: the score of the latest scored attempt (None if never scored) and how many attempts."""
    if not item_ids:
        return {}
    attempts = session.execute(
        select(Attempt.item_id, Attempt.score, Attempt.started_at)
        .where(Attempt.user_id == user_id, Attempt.item_id.in_(item_ids))
        .order_by(Attempt.started_at)
    ).all()
    result: dict[str, tuple[float | None, int]] = {}
    for item_id, score, _ in attempts:
        last, count = result.get(item_id, (None, 0))
        result[item_id] = (score if score is not None else last, count + 1)
    return result


def practice_by_item(session: Session, user_id: int) -> dict[str, tuple[int, float]]:
    """Attempts and minutes spent per item."""
    rows = session.execute(
        select(Attempt.item_id, func.count(), func.coalesce(func.sum(Attempt.duration_seconds), 0.0))
        .where(Attempt.user_id == user_id).group_by(Attempt.item_id)
    ).all()
    return {item_id: (int(n), float(seconds or 0.0) / 60) for item_id, n, seconds in rows}


def _own(session: Session, user_id: int, log_id: int) -> InterviewLog:
    log = session.get(InterviewLog, log_id)
    if log is None or log.user_id != user_id:
        raise NotFound(f"no interview log {log_id}")
    return log
