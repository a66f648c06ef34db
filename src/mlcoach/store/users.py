from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mlcoach.store.models import User

LOCAL_USER = "local"  # the one user of local single-user mode


def ensure_user(session: Session, name: str, now: datetime) -> User:
    """The user called `name`, created on first use."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        user = User(name=name, created_at=now)
        session.add(user)
        session.flush()
    return user
