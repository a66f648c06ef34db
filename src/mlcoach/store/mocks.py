"""Mock sessions and their answers in the database."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mlcoach.core.errors import NotFound
from mlcoach.store.models import Attempt, MockSession


def create(session: Session, user_id: int, round_type: str, mode: str, plan: dict[str, Any], now: datetime) -> MockSession:
    mock = MockSession(user_id=user_id, round_type=round_type, mode=mode, plan=plan, position=0, status="active",
                       question_started_at=now, created_at=now)
    if mode == "peer":
        mock.interviewer_token = secrets.token_urlsafe(18)
        mock.candidate_token = secrets.token_urlsafe(18)
    session.add(mock)
    session.flush()
    return mock


def get(session: Session, session_id: int, user_id: int | None = None, token: str | None = None) -> MockSession:
    """The session if the caller may see it: its owner, or someone holding one of its tokens."""
    mock = session.get(MockSession, session_id)
    if mock is None:
        raise NotFound(f"no mock session {session_id}")
    if token is not None and token in (mock.interviewer_token, mock.candidate_token):
        return mock
    if user_id is not None and mock.user_id == user_id:
        return mock
    raise NotFound(f"no mock session {session_id}")


def attempt(session: Session, mock: MockSession, position: int, item_id: str, now: datetime) -> Attempt:
    """The attempt for a question of the round, created when first needed."""
    found = session.scalars(select(Attempt).where(Attempt.session_id == mock.id, Attempt.position == position)).first()
    if found is None:
        found = Attempt(user_id=mock.user_id, item_id=item_id, mode="mock", answer="", started_at=now,
                        session_id=mock.id, position=position)
        session.add(found)
        session.flush()
    return found


def attempts(session: Session, session_id: int) -> list[Attempt]:
    return list(session.scalars(select(Attempt).where(Attempt.session_id == session_id).order_by(Attempt.position)))


def sessions(session: Session, user_id: int) -> list[MockSession]:
    return list(session.scalars(select(MockSession).where(MockSession.user_id == user_id).order_by(MockSession.created_at.desc(), MockSession.id.desc())))


def history(session: Session, user_id: int) -> list[Attempt]:
    """Every submitted attempt of the user, oldest first."""
    return list(session.scalars(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None)).order_by(Attempt.submitted_at, Attempt.id)
    ))
