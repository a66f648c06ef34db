"""Step 1 of the method: a short diagnostic, readiness per area and topic, a role-weighted focus list.

Pure: the caller passes the items, the answers and the seed. Readiness is a Beta posterior: a prior
from the user's self-rating (two pseudo-checks' worth), updated by every check's score in [0, 1].
Few checks give a wide interval, which the result reports as how sure we are.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from mlcoach.core.items import AREAS, ROLES, Item

# How much each area weighs in a loop for each role: documented in docs/study.md, editable per user
# (`mlcoach profile --weight AREA=W`). Each row sums to 1.
ROLE_WEIGHTS: Mapping[str, Mapping[str, float]] = MappingProxyType({
    "mle": MappingProxyType({"behavioral": 0.15, "cross-team": 0.10, "product-design": 0.10,
                             "case-study": 0.15, "system-design": 0.25, "ml-theory": 0.25}),
    "ds": MappingProxyType({"behavioral": 0.15, "cross-team": 0.10, "product-design": 0.20,
                            "case-study": 0.20, "system-design": 0.05, "ml-theory": 0.30}),
    "mlswe": MappingProxyType({"behavioral": 0.15, "cross-team": 0.10, "product-design": 0.05,
                               "case-study": 0.10, "system-design": 0.35, "ml-theory": 0.25}),
})

QUIZ_CHECKS = 8  # ml-theory multiple-choice questions, about a minute each
RECALL_CHECKS = 2  # per other area: recall the key points (or type an answer), about 80 s each
SELF_RATING_PRIOR = {1: 0.15, 2: 0.3, 3: 0.5, 4: 0.65, 5: 0.8}
PRIOR_STRENGTH = 2.0  # the self-rating counts as this many checks
_LEVEL_DIFFICULTY = {"junior": (1, 2), "mid": (2, 1, 3), "senior": (2, 3, 1), "staff": (3, 2, 1)}


@dataclass(frozen=True, slots=True)
class Check:
    item_id: str
    area: str
    topic: str
    kind: str  # "quiz" (pick one of four) or "recall" (tick the key points recalled, or type an answer)


@dataclass(frozen=True, slots=True)
class Readiness:
    score: float  # 0-100, the posterior mean
    low: float  # an 80% interval around it
    high: float
    checks: int

    @property
    def sureness(self) -> str:
        """By the number of checks: the interval is clipped at 0 and 100, so its width would make a
        score near either end look sure after two checks."""
        return "low" if self.checks < 4 else "medium" if self.checks < 10 else "high"


@dataclass(frozen=True, slots=True)
class CheckResult:
    area: str
    topic: str
    score: float  # 0-1


@dataclass(frozen=True, slots=True)
class Result:
    areas: Mapping[str, Readiness]
    topics: Mapping[tuple[str, str], Readiness]


@dataclass(frozen=True, slots=True)
class Focus:
    area: str
    topic: str | None  # None: the whole area
    readiness: float
    weight: float
    priority: float  # weight x (100 - readiness): what a point of study here is worth


def weights_for(role: str, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The role's area weights with the user's overrides, normalised to sum to 1."""
    if role not in ROLE_WEIGHTS:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    weights = dict(ROLE_WEIGHTS[role])
    for area, value in (overrides or {}).items():
        if area not in weights:
            raise ValueError(f"unknown area {area!r}; choose one of {', '.join(AREAS)}")
        if not (0 <= value <= 1) or math.isnan(value):
            raise ValueError(f"the weight of {area} must be between 0 and 1, not {value}")
        weights[area] = value
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("at least one area needs a weight above 0")
    return {area: weights[area] / total for area in AREAS}


def plan_diagnostic(items: Sequence[Item], role: str, level: str, seed: int) -> tuple[Check, ...]:
    """About 20 minutes of checks: ml-theory quizzes from different topics, two recall checks per other
    area from different topics; the role's items at the level's difficulty first."""
    rng = random.Random(seed)
    preference = _LEVEL_DIFFICULTY.get(level, (2, 1, 3))

    def pick(pool: list[Item], count: int) -> list[Item]:
        def rank(item: Item) -> tuple[int, int, float]:
            difficulty = preference.index(item.difficulty) if item.difficulty in preference else 3
            return (0 if role in item.roles else 1, difficulty, rng.random())

        chosen: list[Item] = []
        seen: set[str] = set()
        # topics in random order so retakes probe different parts of the area
        for item in sorted(pool, key=rank):
            if len(chosen) == count:
                break
            if item.topic not in seen:
                chosen.append(item)
                seen.add(item.topic)
        for item in sorted(pool, key=rank):  # fewer topics than checks: allow repeats
            if len(chosen) == count:
                break
            if item not in chosen:
                chosen.append(item)
        return chosen

    checks: list[Check] = []
    for area in AREAS:
        if area == "ml-theory":
            pool = [i for i in items if i.area == area and i.quiz is not None]
            checks += [Check(i.id, area, i.topic, "quiz") for i in pick(pool, QUIZ_CHECKS)]
        else:
            pool = [i for i in items if i.area == area and i.key_points]
            checks += [Check(i.id, area, i.topic, "recall") for i in pick(pool, RECALL_CHECKS)]
    return tuple(checks)


def recall_score(recalled: int, total: int) -> float:
    return 0.0 if total <= 0 else max(0.0, min(1.0, recalled / total))


def _posterior(prior_mean: float, scores: Sequence[float]) -> Readiness:
    alpha = prior_mean * PRIOR_STRENGTH + sum(scores)
    beta = (1 - prior_mean) * PRIOR_STRENGTH + sum(1 - s for s in scores)
    mean = alpha / (alpha + beta)
    sd = math.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    low, high = max(0.0, mean - 1.2816 * sd), min(1.0, mean + 1.2816 * sd)
    return Readiness(round(mean * 100, 1), round(low * 100, 1), round(high * 100, 1), len(scores))


def readiness(results: Iterable[CheckResult], self_ratings: Mapping[str, int]) -> Result:
    """Readiness per area (prior: the self-rating) and per topic (prior: its area's readiness)."""
    by_area: dict[str, list[float]] = {area: [] for area in AREAS}
    by_topic: dict[tuple[str, str], list[float]] = {}
    for r in results:
        by_area.setdefault(r.area, []).append(r.score)
        by_topic.setdefault((r.area, r.topic), []).append(r.score)
    areas = {}
    for area, scores in by_area.items():
        prior = SELF_RATING_PRIOR.get(self_ratings.get(area, 0), 0.5)
        areas[area] = _posterior(prior, scores)
    topics = {key: _posterior(areas[key[0]].score / 100, scores) for key, scores in sorted(by_topic.items())}
    return Result(MappingProxyType(areas), MappingProxyType(topics))


def focus_list(result: Result, weights: Mapping[str, float], limit: int = 8) -> list[Focus]:
    """Where an hour of study is worth most: areas and the weakest checked topics, by weight x gap."""
    entries = [Focus(area, None, r.score, weights.get(area, 0.0), round(weights.get(area, 0.0) * (100 - r.score), 2))
               for area, r in result.areas.items()]
    for (area, topic), r in result.topics.items():
        if r.score < result.areas[area].score:  # a topic weaker than its area is worth naming
            entries.append(Focus(area, topic, r.score, weights.get(area, 0.0),
                                 round(weights.get(area, 0.0) * (100 - r.score), 2)))
    entries = [e for e in entries if e.weight > 0]
    entries.sort(key=lambda e: (-e.priority, e.topic is not None, e.area, e.topic or ""))
    return entries[:limit]


def change(previous: Result, current: Result) -> dict[str, float]:
    """Readiness points gained (or lost) per area since the previous assessment."""
    return {area: round(current.areas[area].score - previous.areas[area].score, 1)
            for area in current.areas if area in previous.areas}


def result_json(result: Result) -> dict[str, object]:
    def one(r: Readiness) -> dict[str, object]:
        return {"score": r.score, "low": r.low, "high": r.high, "checks": r.checks, "sureness": r.sureness}

    return {"areas": {area: one(r) for area, r in result.areas.items()},
            "topics": [{"area": a, "topic": t, **one(r)} for (a, t), r in result.topics.items()]}


def result_from_json(data: Mapping[str, Any]) -> Result:
    def one(d: Mapping[str, Any]) -> Readiness:
        return Readiness(float(d["score"]), float(d["low"]), float(d["high"]), int(d["checks"]))

    areas = {area: one(r) for area, r in data["areas"].items()}
    topics = {(t["area"], t["topic"]): one(t) for t in data["topics"]}
    return Result(MappingProxyType(areas), MappingProxyType(topics))
