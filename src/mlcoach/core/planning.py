"""The study plan: day by day until the interview, within the weekly hours. Pure.

How it decides (documented for users in docs/study.md):
- Every day gets hours_per_week / 7 of study. Part of it is kept for spaced-repetition reviews
  (REVIEW_SHARE, more as the plan goes on); the rest introduces new items.
- New-item time is shared among areas by priority: role weight x (100 - readiness), with a floor so
  no area the role needs is starved. Within an area, topics take turns (breadth first), weaker topics
  get more items, and each topic mixes difficulties for the level. What does not fit is what was
  picked last. Each difficulty is spread evenly over the plan (hard items do not pile up at the end),
  and within a topic the easier items come first.
- One mock round a week, on the weekly anniversary of the start, rotating through the top areas.
- The final week (a quarter of the plan when shorter than four weeks) has no new items: reviews of
  everything seen and a mock (not on the eve of the interview).
- Re-planning keeps past days as they were and plans the rest from today, leaving out what was done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mlcoach.core.items import AREAS, Item

NEW_ITEM_MINUTES: Mapping[str, int] = {
    "ml-theory": 8, "behavioral": 15, "cross-team": 12, "product-design": 25, "case-study": 30, "system-design": 45,
}
MOCK_MINUTES: Mapping[str, int] = {
    "ml-theory": 30, "system-design": 45, "behavioral": 30, "product-design": 40, "case-study": 40, "cross-team": 30,
}
AREA_FLOOR = 0.15  # share of an area's priority kept even when it looks strong
_LEVEL_MIX = {  # share of easy / medium / hard items picked per topic
    "junior": (0.4, 0.5, 0.1), "mid": (0.25, 0.55, 0.2), "senior": (0.15, 0.5, 0.35), "staff": (0.1, 0.45, 0.45),
}
DEFAULT_DAYS = 28
OVERFILL = 1.2


@dataclass(frozen=True, slots=True)
class PlanRequest:
    start: date  # the first study day (today)
    interview: date  # no study is planned on this day
    hours_per_week: float
    level: str
    priorities: Mapping[str, float]  # area -> weight x (100 - readiness), from the assessment
    topic_readiness: Mapping[tuple[str, str], float]  # (area, topic) -> 0-100, where checked


@dataclass(frozen=True, slots=True)
class PlanDay:
    day: date
    minutes: int
    new: tuple[str, ...]  # item ids to learn
    review_minutes: int
    mock: str | None  # a round type
    final_review: bool

    def to_json(self) -> dict[str, object]:
        return {"date": self.day.isoformat(), "minutes": self.minutes, "new": list(self.new),
                "review_minutes": self.review_minutes, "mock": self.mock, "final_review": self.final_review}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "PlanDay":
        return PlanDay(date.fromisoformat(str(data["date"])), int(data["minutes"]), tuple(data["new"]),
                       int(data["review_minutes"]), data.get("mock") or None, bool(data["final_review"]))


def review_share(index: int, total: int) -> float:
    """The part of a day kept for reviews: little at first, more as items pile up."""
    return min(0.5, 0.1 + 0.4 * index / max(1, total))


def final_days(total: int) -> int:
    return min(7, max(1, total // 4)) if total >= 4 else 0


def _select(pool: Sequence[Item], minutes: float, level: str, topic_readiness: Mapping[tuple[str, str], float]) -> list[Item]:
    """Items of one area worth `minutes` of study: topics in turns, weak topics more, difficulty mixed."""
    if not pool:
        return []
    cost = NEW_ITEM_MINUTES.get(pool[0].area, 15)
    count = min(len(pool), int(minutes // cost))
    if count == 0:
        return []
    topics: dict[str, list[Item]] = {}
    for item in pool:
        topics.setdefault(item.topic, []).append(item)
    mix = _LEVEL_MIX.get(level, _LEVEL_MIX["mid"])

    queues = {t: {d: [i for i in items if i.difficulty == d] for d in (1, 2, 3)} for t, items in topics.items()}
    # weaker topics (by the assessment) get more turns; unchecked topics count as average
    weight = {t: 1.0 + (100 - topic_readiness.get((pool[0].area, t), 50.0)) / 100 for t in queues}
    credit = {t: 0.0 for t in queues}
    taken = {1: 0, 2: 0, 3: 0}
    chosen: list[Item] = []
    while len(chosen) < count:
        live = [t for t in queues if any(queues[t].values())]
        if not live:
            break
        for t in live:
            credit[t] += weight[t]
        turn = max(live, key=lambda t: credit[t])
        credit[turn] -= sum(weight[t] for t in live)
        # the difficulty furthest below its share of the area's picks so far, among the topic's
        want = max((d for d in (1, 2, 3) if queues[turn][d]), key=lambda d: (mix[d - 1] * (len(chosen) + 1) - taken[d], -d))
        chosen.append(queues[turn][want].pop(0))
        taken[want] += 1
    return chosen  # in value order: what is cut when time runs short is the least needed


def _learning_order(chosen: Sequence[Item]) -> list[Item]:
    """The order to learn the items that fit: each difficulty spread evenly over the plan (so hard items
    do not pile up at the end), and within a topic the easier items first."""
    by_difficulty: dict[int, list[Item]] = {}
    for item in chosen:
        by_difficulty.setdefault(item.difficulty, []).append(item)
    slot: dict[str, float] = {}
    for group in by_difficulty.values():
        group.sort(key=lambda i: _jitter(i.id))
        for k, item in enumerate(group):
            slot[item.id] = (k + 0.5) / len(group) + _jitter(item.id) * 1e-6
    by_topic: dict[str, list[Item]] = {}
    for item in chosen:
        by_topic.setdefault(item.topic, []).append(item)
    position: dict[str, float] = {}
    for group in by_topic.values():  # the topic keeps its slots, handed out easiest first
        slots = sorted(slot[i.id] for i in group)
        for item, at in zip(sorted(group, key=lambda i: (i.difficulty, i.id)), slots):
            position[item.id] = at
    return sorted(chosen, key=lambda i: position[i.id])


def _jitter(item_id: str) -> float:
    """A stable pseudo-random tie-break, so ties do not sort by difficulty or name."""
    return int(hashlib.sha256(item_id.encode()).hexdigest()[:8], 16) / 16**8


def build_plan(request: PlanRequest, items: Iterable[Item], done: Iterable[str] = ()) -> tuple[PlanDay, ...]:
    """Days from `start` to the day before the interview."""
    total = (request.interview - request.start).days
    if total < 1:
        raise ValueError("the interview date must be after today")
    if request.hours_per_week <= 0:
        raise ValueError("hours per week must be above 0")
    per_day = request.hours_per_week * 60 / 7
    finals = final_days(total)
    learning = total - finals
    done_ids = set(done)
    pool = [i for i in items if i.id not in done_ids]

    top = sorted((a for a in AREAS if request.priorities.get(a, 0) > 0), key=lambda a: -request.priorities[a])
    rotation = top[:3] or list(AREAS[:1])
    mocks: dict[int, str] = {}
    for n, index in enumerate(range(6, total, 7)):
        # never on the eve of the interview: a day earlier
        mocks[min(index, total - 2) if total >= 2 else index] = rotation[n % len(rotation)]
    if total >= 3 and finals and not any(i >= learning for i in mocks):
        mocks[total - 2] = rotation[0]  # a mock in the final stretch, not on the eve of the interview

    new_budget = []
    for index in range(total):
        if index >= learning:
            new_budget.append(0.0)
            continue
        minutes = per_day * (1 - review_share(index, total))
        if index in mocks:
            minutes = max(0.0, minutes - MOCK_MINUTES[mocks[index]])
        new_budget.append(minutes)
    total_new = sum(new_budget)

    priority = {a: request.priorities.get(a, 0.0) for a in AREAS}
    top_priority = max(priority.values(), default=0.0)
    share = {a: p + AREA_FLOOR * top_priority if p > 0 else 0.0 for a, p in priority.items()}
    share_total = sum(share.values()) or 1.0
    # a little more than the time holds, so rounding never leaves days empty; what does not fit stays out
    sequences = {a: _select([i for i in pool if i.area == a], OVERFILL * total_new * share[a] / share_total, request.level,
                            request.topic_readiness) for a in AREAS}

    # fill the days: each day, the area furthest behind its share of the time so far goes next (ties:
    # the higher priority). Two passes: first which area takes each slot, then which items fill them.
    used = {a: 0.0 for a in AREAS}
    left = {a: len(sequences[a]) for a in AREAS}
    slots: list[list[str]] = []

    def behind(areas: list[str]) -> str:
        return min(areas, key=lambda a: (used[a] / (share[a] or 1e-9), -share[a], AREAS.index(a)))

    for index in range(total):
        budget = new_budget[index]
        picked: list[str] = []
        spent = 0.0
        mock_minutes = MOCK_MINUTES[mocks[index]] if index in mocks else 0
        waiting = [a for a in AREAS if left[a]]
        # an item longer than a day's new-item time (a 45-minute design on a 6-hour week) would never fit:
        # when its area is furthest behind, it opens the day and takes some of that day's review time
        first = behind(waiting) if budget > 0 and waiting else None
        while True:
            live = [a for a in AREAS if left[a] and NEW_ITEM_MINUTES[a] <= budget - spent + 1e-9]
            if first is not None and NEW_ITEM_MINUTES[first] <= per_day - mock_minutes + 1e-9:
                live = [first]
            first = None
            if not live:
                break
            area = behind(live)
            left[area] -= 1
            picked.append(area)
            spent += NEW_ITEM_MINUTES[area]
            used[area] += NEW_ITEM_MINUTES[area]
        slots.append(picked)
    fitted = {a: _learning_order(sequences[a][: len(sequences[a]) - left[a]]) for a in AREAS}
    days: list[PlanDay] = []
    for index, picked in enumerate(slots):
        ids = tuple(fitted[area].pop(0).id for area in picked)
        spent = sum(NEW_ITEM_MINUTES[a] for a in picked)
        mock_minutes = MOCK_MINUTES[mocks[index]] if index in mocks else 0
        review = max(0, round(per_day - spent - mock_minutes))
        days.append(PlanDay(request.start + timedelta(days=index), round(per_day), ids, review, mocks.get(index),
                            index >= learning))
    return tuple(days)


def replan(previous: Sequence[PlanDay], request: PlanRequest, items: Iterable[Item], done: Iterable[str]) -> tuple[PlanDay, ...]:
    """Keep the days before `request.start` as they were; plan the rest again without what was done."""
    kept = tuple(d for d in previous if d.day < request.start)
    return kept + build_plan(request, items, done)


def carried_over(days: Sequence[PlanDay], today: date, done: Iterable[str]) -> list[str]:
    """Items planned for today or earlier that are not done yet, in plan order (missed days first)."""
    done_ids = set(done)
    out: list[str] = []
    for day in days:
        if day.day > today:
            break
        out += [i for i in day.new if i not in done_ids and i not in out]
    return out
