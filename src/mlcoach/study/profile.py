"""The user's profile: target role and level, interview date, weekly hours, retention, area weights."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from mlcoach.core.assessment import weights_for
from mlcoach.core.errors import Invalid
from mlcoach.core.items import AREAS, LEVELS, ROLES
from mlcoach.store.models import Profile

if TYPE_CHECKING:
    from mlcoach.core.clock import Clock
    from mlcoach.store import Store

DEFAULT_HOURS = 6.0
DEFAULT_RETENTION = 0.9


class ProfileError(Invalid, ValueError):
    """A profile value out of range; the message says which and what is allowed."""


@dataclass(frozen=True)
class ProfileData:
    role: str = "mle"
    level: str = "mid"
    interview_date: date | None = None
    hours_per_week: float = DEFAULT_HOURS
    desired_retention: float = DEFAULT_RETENTION
    weights: Mapping[str, float] = field(default_factory=dict)  # the user's overrides only
    fsrs_parameters: tuple[float, ...] | None = None
    saved: bool = False  # False: defaults, the user has not set a profile yet

    def area_weights(self) -> dict[str, float]:
        return weights_for(self.role, self.weights)

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role, "level": self.level,
                "interview_date": self.interview_date.isoformat() if self.interview_date else None,
                "hours_per_week": self.hours_per_week, "desired_retention": self.desired_retention,
                "weights": self.area_weights(), "weight_overrides": dict(self.weights), "saved": self.saved}


# A plan has a day per day until the interview: an interview further away than this is refused.
MAX_DAYS_AHEAD = 730


def validate(data: ProfileData, today: date | None = None) -> ProfileData:
    """`today` (when given) bounds the interview date: at most two years ahead."""
    if today is not None and data.interview_date is not None and (data.interview_date - today).days > MAX_DAYS_AHEAD:
        raise ProfileError(f"interview date: {data.interview_date.isoformat()} is more than two years away; "
                           "plan for an interview within the next two years")
    if data.role not in ROLES:
        raise ProfileError(f"role must be one of {', '.join(ROLES)}, not {data.role!r}")
    if data.level not in LEVELS:
        raise ProfileError(f"level must be one of {', '.join(LEVELS)}, not {data.level!r}")
    if math.isnan(data.hours_per_week) or not (0 < data.hours_per_week <= 100):
        raise ProfileError(f"hours per week must be above 0 and at most 100, not {data.hours_per_week}")
    if math.isnan(data.desired_retention) or not (0.7 <= data.desired_retention <= 0.99):
        raise ProfileError(f"desired retention must be between 0.70 and 0.99, not {data.desired_retention}")
    try:
        weights_for(data.role, data.weights)
    except ValueError as error:
        raise ProfileError(str(error)) from None
    return data


def parse_weights(pairs: list[str]) -> dict[str, float]:
    """`AREA=W` pairs from the command line."""
    out: dict[str, float] = {}
    for pair in pairs:
        area, sep, value = pair.partition("=")
        if not sep or area.strip() not in AREAS:
            raise ProfileError(f"a weight is AREA=NUMBER with AREA one of {', '.join(AREAS)}, not {pair!r}")
        try:
            out[area.strip()] = float(value)
        except ValueError:
            raise ProfileError(f"the weight in {pair!r} is not a number") from None
    return out


def load(session: Session, user_id: int) -> ProfileData:
    row = session.get(Profile, user_id)
    if row is None:
        return ProfileData()
    return ProfileData(row.role, row.level, row.interview_date, row.hours_per_week, row.desired_retention,
                       dict(row.weights or {}), tuple(row.fsrs_parameters) if row.fsrs_parameters else None, True)


def save(session: Session, user_id: int, data: ProfileData, now: datetime) -> ProfileData:
    validate(data)
    row = session.get(Profile, user_id)
    if row is None:
        row = Profile(user_id=user_id)
        session.add(row)
    row.role, row.level, row.interview_date = data.role, data.level, data.interview_date
    row.hours_per_week, row.desired_retention = data.hours_per_week, data.desired_retention
    row.weights = dict(data.weights) or None
    row.fsrs_parameters = list(data.fsrs_parameters) if data.fsrs_parameters else None
    row.updated_at = now
    session.flush()
    return load(session, user_id)


class ProfileService:
    """Reading and saving a user's profile, each in its own transaction."""

    def __init__(self, store: "Store", clock: "Clock") -> None:
        self.store, self.clock = store, clock

    def get(self, user_id: int) -> ProfileData:
        return self.store.read(lambda s: load(s, user_id))

    def save(self, user_id: int, data: ProfileData) -> ProfileData:
        """Validates, then saves; a `ProfileError` leaves the stored profile as it was."""
        now = self.clock()
        validate(data, now.date())
        current = self.get(user_id)
        if data.interview_date and data.interview_date < now.date() and data.interview_date != current.interview_date:
            raise ProfileError(f"interview date: {data.interview_date.isoformat()} has passed; set the date of your next "
                               "interview, or leave it empty")
        return self.store.write(lambda s: save(s, user_id, data, now))
