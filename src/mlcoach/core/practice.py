"""Practice rules that need no scheduler: the proposed rating, and what today's queue holds. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

RATINGS: Mapping[int, str] = {1: "again", 2: "hard", 3: "good", 4: "easy"}
RATING_KEYS: Mapping[str, int] = {name: value for value, name in RATINGS.items()}

# Proposed rating from a 0-100 score (the feedback engine's, or the share of key points the user
# ticked as recalled). Documented in docs/study.md; the user can always pick another rating.
AGAIN_BELOW = 40.0
HARD_BELOW = 65.0
GOOD_BELOW = 85.0

LEARN_AHEAD = timedelta(minutes=20)  # cards in a learning step due this soon are shown now (as Anki does)
NEW_PER_DAY = 10  # new items a day when there is no plan
REVISE_PER_DAY = 15  # final week: flagged and weakest items revised ahead of their due date


def propose_rating(score: float | None) -> int | None:
    """Again / Hard / Good / Easy (1-4) for a score; None when there is nothing to go on."""
    if score is None:
        return None
    if score < AGAIN_BELOW:
        return 1
    if score < HARD_BELOW:
        return 2
    if score < GOOD_BELOW:
        return 3
    return 4


def parse_rating(text: str) -> int:
    """'1'..'4' or 'again', 'hard', 'good', 'easy' (any case)."""
    cleaned = text.strip().lower()
    if cleaned in RATING_KEYS:
        return RATING_KEYS[cleaned]
    if cleaned.isdigit() and int(cleaned) in RATINGS:
        return int(cleaned)
    raise ValueError(f"a rating is one of 1-4 or {', '.join(RATINGS.values())}, not {text!r}")


@dataclass(frozen=True, slots=True)
class QueueEntry:
    item_id: str
    kind: str  # "review", "revise" (ahead of time, in the final week) or "new"
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Queue:
    entries: tuple[QueueEntry, ...]
    reviews_due: int
    new_today: int  # new items still to learn today
    new_done_today: int
    reviews_done_today: int

    def __len__(self) -> int:
        return len(self.entries)


def daily_queue(due: Sequence[tuple[str, datetime]], planned_new: Sequence[str], known: set[str], now: datetime,
                new_done_today: int, reviews_done_today: int, new_limit: int, revise: Sequence[str] = ()) -> Queue:
    """Due reviews first (most overdue first), then items to revise ahead of time (the final week),
    then the plan's new items not yet started (up to the day's new-item limit less what was already
    learned today), then learning cards due within LEARN_AHEAD."""
    ordered = sorted(due, key=lambda x: (x[1], x[0]))
    reviews = [QueueEntry(i, "review", d) for i, d in ordered if d <= now]
    # cards in a short learning step come back when due, or at the end of the day's work when nothing
    # else is left (within LEARN_AHEAD), so a card just rated does not return at once
    ahead = [QueueEntry(i, "review", d) for i, d in ordered if now < d <= now + LEARN_AHEAD]
    seen = {e.item_id for e in reviews + ahead}
    for item_id in revise:
        if item_id not in seen and item_id in known:
            reviews.append(QueueEntry(item_id, "revise"))
            seen.add(item_id)
    room = max(0, new_limit - new_done_today)
    new: list[QueueEntry] = []
    for item_id in planned_new:
        if len(new) >= room:
            break
        if item_id not in known and all(e.item_id != item_id for e in new):
            new.append(QueueEntry(item_id, "new"))
    due_count = sum(1 for e in reviews + ahead if e.kind == "review")
    return Queue(tuple(reviews + new + ahead), due_count, len(new), new_done_today, reviews_done_today)
