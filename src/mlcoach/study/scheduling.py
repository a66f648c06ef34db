"""FSRS-6 through the `fsrs` library: decide the next card state; the caller saves it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Review:
    card: dict[str, Any]  # the new card, as fsrs serialises it
    due_at: datetime
    card_id: int
    interval_days: float


def card_id(item_id: str) -> int:
    """A stable id per item (FSRS's optimiser groups review logs by card)."""
    return int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:6], "big")


def review(card: dict[str, Any] | None, item_id: str, rating: int, now: datetime, desired_retention: float,
           parameters: Sequence[float] | None = None, duration_ms: int | None = None, fuzz: bool = True) -> Review:
    from fsrs import Card, Rating, Scheduler

    kwargs: dict[str, Any] = {"desired_retention": desired_retention, "enable_fuzzing": fuzz}
    if parameters:
        kwargs["parameters"] = tuple(parameters)
    scheduler = Scheduler(**kwargs)
    current = Card.from_dict(card) if card else Card(card_id=card_id(item_id), due=now)  # type: ignore[arg-type]  # a stored CardDict
    updated, _log = scheduler.review_card(current, Rating(rating), review_datetime=now, review_duration=duration_ms)
    return Review(dict(updated.to_dict()), updated.due, updated.card_id, (updated.due - now).total_seconds() / 86400)


def retrievability(card: dict[str, Any] | None, now: datetime, desired_retention: float) -> float | None:
    """How likely the user is to recall the item now (0-1), None before the first review."""
    if not card or card.get("last_review") is None:
        return None
    from fsrs import Card, Scheduler

    return float(Scheduler(desired_retention=desired_retention).get_card_retrievability(Card.from_dict(card), now))  # type: ignore[arg-type]
