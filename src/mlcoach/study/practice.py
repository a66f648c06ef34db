"""Practice (step 2): today's queue, a card, an answer graded, a rating scheduled by FSRS.

Decide, then save: the feedback engine proposes a rating, the user confirms or overrides it, and only
then the card's next state is computed and saved with a review log (kept for the FSRS optimiser).
A gap from an interview log can be put on the queue: it is practised as a card of its own
(id `gap-LOG-N`) with the question the interviewer asked and the user's note as the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import func, select

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.errors import Invalid, NotFound
from mlcoach.core.feedback import Feedback
from mlcoach.core.items import AREAS, Item, ItemId
from mlcoach.core.practice import LEARN_AHEAD, NEW_PER_DAY, REVISE_PER_DAY, Queue, daily_queue, propose_rating
from mlcoach.store import Store
from mlcoach.store.models import Attempt, InterviewLog, InterviewQuestion, ItemState, ReviewLog
from mlcoach.study import profile as profiles
from mlcoach.study import scheduling
from mlcoach.study.plan import PlanService, local_day

MAX_ANSWER = 20_000
GAP_ID = re.compile(r"^gap-(\d+)-(\d+)$")


class PracticeError(Invalid, ValueError):
    pass


class PracticeNotFound(NotFound, PracticeError):
    """What was asked for does not exist (a 404 on the web, exit 1 in the CLI)."""


@dataclass(frozen=True)
class Checked:
    """An answer graded, before the user rates it."""

    item_id: str
    score: float | None
    proposed: int | None  # 1-4
    feedback: Feedback | None


@dataclass(frozen=True)
class Rated:
    item_id: str
    rating: int
    due_at: datetime
    interval_days: float


def gap_id(log_id: int, position: int) -> str:
    return f"gap-{log_id}-{position}"


def day_start(now: datetime) -> datetime:
    local = now.astimezone()
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


class PracticeService:
    def __init__(self, bank: Bank, store: Store, clock: Clock, engine: Callable[[], Any] | None = None,
                 fuzz: bool = True) -> None:
        self.bank, self.store, self.clock = bank, store, clock
        self._engine = engine
        self.fuzz = fuzz
        self.plans = PlanService(bank, store, clock)

    # Items, including gaps put on the queue ------------------------------------------------------

    def item(self, user_id: int, item_id: str) -> Item | None:
        found = self.bank.get(item_id)
        if found is not None:
            return found
        match = GAP_ID.match(item_id)
        if match is None:
            return None
        log_id, position = int(match[1]), int(match[2])

        def read(session: Any) -> Item | None:
            row = session.scalars(select(InterviewQuestion).join(InterviewLog).where(
                InterviewLog.id == log_id, InterviewLog.user_id == user_id, InterviewQuestion.position == position)).first()
            if row is None:
                return None
            area = row.area if row.area in AREAS else "ml-theory"
            return Item(ItemId(item_id), area, row.text, "interview-gap", 2, (), (), (), (),
                        f"interview {log_id}, question {position}")

        return self.store.read(read)

    def queue_gap(self, user_id: int, log_id: int, position: int) -> str:
        """Put a logged gap on the practice queue (idempotent); returns its card id."""
        card = gap_id(log_id, position)
        if self.item(user_id, card) is None:
            raise PracticeNotFound(f"interview {log_id} has no question {position}")
        now = self.clock()

        def save(session: Any) -> None:
            state = _state(session, user_id, card, now)
            if state.queued_at is None and state.introduced_at is None:
                state.queued_at = now

        self.store.write(save)
        return card

    def queue_item(self, user_id: int, item_id: str) -> None:
        """Put a bank item on today's queue by hand (it is new to the user)."""
        if self.bank.get(item_id) is None:
            raise PracticeNotFound(f"no item {item_id!r} in the bank")
        now = self.clock()

        def save(session: Any) -> None:
            state = _state(session, user_id, item_id, now)
            if state.introduced_at is None:
                state.queued_at = state.queued_at or now

        self.store.write(save)

    # The queue -----------------------------------------------------------------------------------

    def queue(self, user_id: int) -> Queue:
        now = self.clock()
        start = day_start(now)

        def read(session: Any) -> tuple[list[tuple[str, datetime]], set[str], list[str], int, int]:
            due = session.execute(select(ItemState.item_id, ItemState.due_at).where(
                ItemState.user_id == user_id, ItemState.due_at <= now + LEARN_AHEAD).order_by(ItemState.due_at)).all()
            known = set(session.scalars(select(ItemState.item_id).where(
                ItemState.user_id == user_id, ItemState.introduced_at.is_not(None))).all())
            queued = list(session.scalars(select(ItemState.item_id).where(
                ItemState.user_id == user_id, ItemState.queued_at.is_not(None), ItemState.introduced_at.is_(None))
                .order_by(ItemState.queued_at)).all())
            new_today = session.scalar(select(func.count()).select_from(ItemState).where(
                ItemState.user_id == user_id, ItemState.introduced_at >= start)) or 0
            reviews_today = session.scalar(select(func.count()).select_from(ReviewLog).where(
                ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= start)) or 0
            return [tuple(r) for r in due], known, queued, new_today, reviews_today

        due, known, queued, new_today, reviews_today = self.store.read(read)
        # items gone from the bank, and gaps whose interview log was deleted or edited, drop out
        due = [(i, d) for i, d in due if self.bank.get(i) is not None or (GAP_ID.match(i) and self.item(user_id, i))]
        queued = [i for i in queued if self.bank.get(i) is not None or self.item(user_id, i) is not None]
        plan = self.plans.get(user_id)
        revise = self._revise(user_id, now) if plan and self.plans.is_final_review(user_id, plan) else []
        planned = self.plans.planned_new(user_id, plan) if plan else []
        today = local_day(now)
        if planned or (plan is not None and any(p.day.day >= today for p in plan.days)):
            # The plan sets the day's size: what is left of it stays on the queue as items get done,
            # and once it is done the day is done (no default batch of new items on top).
            limit = max(NEW_PER_DAY, len(planned) + new_today) if planned else new_today
        else:
            planned, limit = self._default_new(user_id, known), NEW_PER_DAY
        planned = [i for i in planned if self.bank.get(i) is not None]
        return daily_queue(due, queued + planned, known, now, new_today, reviews_today, limit + len(queued), revise)

    def _revise(self, user_id: int, now: datetime) -> list[str]:
        """Final week: items not reviewed today, "needs revision" first, then starred, then the least
        likely to be recalled now."""
        start = day_start(now)
        prof = self.store.read(lambda s: profiles.load(s, user_id))
        rows = self.store.read(lambda s: s.execute(select(ItemState.item_id, ItemState.needs_revision, ItemState.starred,
                                                          ItemState.card).where(
            ItemState.user_id == user_id, ItemState.introduced_at.is_not(None))).all())

        def reviewed_today(card: dict[str, Any] | None) -> bool:
            last = (card or {}).get("last_review")
            return bool(last) and datetime.fromisoformat(str(last)) >= start

        ranked = sorted(((not needs, not starred, scheduling.retrievability(card, now, prof.desired_retention) or 0.0, item_id)
                         for item_id, needs, starred, card in rows if not reviewed_today(card)))
        return [r[-1] for r in ranked[:REVISE_PER_DAY]]

    def _default_new(self, user_id: int, known: set[str]) -> list[str]:
        """No plan: the role's items, areas by weight in turns, easiest first. The order is made over
        all of them and then the known ones left out, so learning some does not reshuffle the rest."""
        prof = self.store.read(lambda s: profiles.load(s, user_id))
        weights = prof.area_weights()
        lanes = {a: sorted((i for i in self.bank.items if i.area == a and prof.role in i.roles),
                           key=lambda i: (i.difficulty, i.topic, i.id)) for a in AREAS if weights[a] > 0}
        out: list[str] = []
        credit = {a: 0.0 for a in lanes}
        while len(out) < NEW_PER_DAY * 2 and any(lanes.values()):
            live = [a for a in lanes if lanes[a]]
            for a in live:
                credit[a] += weights[a]
            turn = max(live, key=lambda a: credit[a])
            credit[turn] -= sum(weights[a] for a in live)
            item_id = lanes[turn].pop(0).id
            if item_id not in known:
                out.append(item_id)
        return out

    # One card --------------------------------------------------------------------------------------

    def check(self, user_id: int, item_id: str, answer: str = "", recalled: list[int] | None = None,
              seconds: float | None = None) -> Checked:
        """Grade a typed answer with the feedback engine, or score the key points the user ticked as
        recalled; propose a rating from the score. Nothing is saved until `rate`."""
        item = self.item(user_id, item_id)
        if item is None:
            raise PracticeNotFound(f"no item {item_id!r}")
        answer = (answer or "")[:MAX_ANSWER]
        if answer.strip() and item.key_points and self._engine is not None:
            feedback = self._engine().grade(item, answer, seconds)
            return Checked(item_id, feedback.score, propose_rating(feedback.score), feedback)
        if recalled is not None and item.key_points:
            marked = {i for i in recalled if 0 <= i < len(item.key_points)}
            score = round(100 * len(marked) / len(item.key_points), 1)
            return Checked(item_id, score, propose_rating(score), None)
        return Checked(item_id, None, None, None)

    def rate(self, user_id: int, item_id: str, rating: int, answer: str = "", score: float | None = None,
             feedback: Feedback | None = None, seconds: float | None = None) -> Rated:
        """Schedule the card with FSRS and save the new state, a review log and an attempt, together."""
        if rating not in (1, 2, 3, 4):
            raise PracticeError("a rating is 1 (again), 2 (hard), 3 (good) or 4 (easy)")
        if self.item(user_id, item_id) is None:
            raise PracticeNotFound(f"no item {item_id!r}")
        now = self.clock()
        prof = self.store.read(lambda s: profiles.load(s, user_id))
        duration_ms = int(seconds * 1000) if seconds is not None and seconds >= 0 else None

        def save(session: Any) -> Rated:
            state = _state(session, user_id, item_id, now)
            decided = scheduling.review(state.card, item_id, rating, now, prof.desired_retention, prof.fsrs_parameters,
                                        duration_ms, self.fuzz)
            state.card, state.due_at, state.updated_at = decided.card, decided.due_at, now
            state.introduced_at = state.introduced_at or now
            state.queued_at = None
            session.add(ReviewLog(user_id=user_id, item_id=item_id, card_id=decided.card_id, rating=rating,
                                  score=score, reviewed_at=now, duration_ms=duration_ms))
            session.add(Attempt(user_id=user_id, item_id=item_id, mode="practice", answer=(answer or "")[:MAX_ANSWER],
                                score=score, feedback=feedback.to_json() if feedback else None, started_at=now,
                                submitted_at=now, duration_seconds=seconds))
            return Rated(item_id, rating, decided.due_at, decided.interval_days)

        return self.store.write(save)

    def card_state(self, user_id: int, item_id: str) -> dict[str, Any]:
        """Flags, due date, recall probability now, reviews so far and the last score."""
        now = self.clock()
        prof = self.store.read(lambda s: profiles.load(s, user_id))

        def read(session: Any) -> dict[str, Any]:
            state = session.get(ItemState, (user_id, item_id))
            reviews = session.scalar(select(func.count()).select_from(ReviewLog).where(
                ReviewLog.user_id == user_id, ReviewLog.item_id == item_id)) or 0
            last = session.scalars(select(Attempt.score).where(Attempt.user_id == user_id, Attempt.item_id == item_id,
                                                               Attempt.score.is_not(None)).order_by(Attempt.id.desc())).first()
            return {
                "starred": bool(state and state.starred), "needs_revision": bool(state and state.needs_revision),
                "due_at": state.due_at.isoformat() if state and state.due_at else None,
                "recall": scheduling.retrievability(state.card if state else None, now, prof.desired_retention),
                "reviews": reviews, "last_score": last,
            }

        return self.store.read(read)

    def set_flags(self, user_id: int, item_id: str, starred: bool | None = None, needs_revision: bool | None = None) -> dict[str, bool]:
        if self.item(user_id, item_id) is None:
            raise PracticeNotFound(f"no item {item_id!r}")
        now = self.clock()

        def save(session: Any) -> dict[str, bool]:
            state = _state(session, user_id, item_id, now)
            if starred is not None:
                state.starred = starred
            if needs_revision is not None:
                state.needs_revision = needs_revision
            state.updated_at = now
            return {"starred": state.starred, "needs_revision": state.needs_revision}

        return self.store.write(save)

    def toggle_flag(self, user_id: int, item_id: str, flag: str) -> dict[str, bool]:
        """Flips `starred` or `needs_revision` in one transaction (two quick clicks flip twice)."""
        if flag not in ("starred", "needs_revision"):
            raise PracticeError(f"unknown flag {flag!r}: use starred or needs_revision")
        if self.item(user_id, item_id) is None:
            raise PracticeNotFound(f"no item {item_id!r}")
        now = self.clock()

        def flip(session: Any) -> dict[str, bool]:
            state = _state(session, user_id, item_id, now)
            setattr(state, flag, not getattr(state, flag))
            state.updated_at = now
            return {"starred": bool(state.starred), "needs_revision": bool(state.needs_revision)}

        return self.store.write(flip)

    def flagged(self, user_id: int) -> list[tuple[str, bool, bool]]:
        rows = self.store.read(lambda s: s.execute(select(ItemState.item_id, ItemState.starred, ItemState.needs_revision).where(
            ItemState.user_id == user_id, (ItemState.starred.is_(True)) | (ItemState.needs_revision.is_(True)))
            .order_by(ItemState.item_id)).all())
        return [(i, bool(s), bool(r)) for i, s, r in rows]

    def review_logs(self, user_id: int) -> list[dict[str, Any]]:
        """Every review, oldest first, in the shape the FSRS optimiser reads."""
        rows = self.store.read(lambda s: s.execute(select(ReviewLog.card_id, ReviewLog.rating, ReviewLog.reviewed_at,
                                                          ReviewLog.duration_ms, ReviewLog.item_id)
                                                   .where(ReviewLog.user_id == user_id).order_by(ReviewLog.reviewed_at, ReviewLog.id)).all())
        return [{"card_id": c, "rating": r, "review_datetime": t.isoformat(), "review_duration": d, "item_id": i}
                for c, r, t, d, i in rows]


def _state(session: Any, user_id: int, item_id: str, now: datetime) -> ItemState:
    # Locked for the rest of the transaction (PostgreSQL): two quick writes to one item's state apply
    # one after the other instead of the second overwriting the first with a stale read.
    state = session.get(ItemState, (user_id, item_id), with_for_update=True)
    if state is None:
        state = ItemState(user_id=user_id, item_id=item_id, starred=False, needs_revision=False, updated_at=now)
        session.add(state)
    return state  # type: ignore[no-any-return]  # the session is untyped here


__all__ = ["PracticeService", "PracticeError", "Checked", "Rated", "gap_id"]
