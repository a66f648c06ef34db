"""Mock interview rounds: what a round is, which questions it asks, and how it is scored. Pure."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from mlcoach.core.catalog import Bank
from mlcoach.core.items import Item

LEVELS = ("junior", "mid", "senior", "staff")

# Per-phase minutes of a system design round: the time budget of the system design guide's framework
# (content/system-design/_guide.md; a test keeps the two in step).
DESIGN_PHASES: tuple[tuple[str, int], ...] = (
    ("Requirements and scale", 4), ("ML framing", 3), ("Metrics", 4), ("Data and labels", 4), ("Features", 3),
    ("Model", 6), ("Training", 2), ("Serving", 5), ("Evaluation and A/B test", 3), ("Monitoring and retraining", 2),
    ("Cost and capacity", 2), ("Trade-offs and failure modes", 2),
)

# Rubric dimensions an interviewer scores 1-4, per round type.
DIMENSIONS: Mapping[str, tuple[str, ...]] = {
    "ml-theory": ("Correctness", "Depth", "Clarity", "Handling follow-ups"),
    "system-design": ("Requirements and scoping", "ML framing and metrics", "Data and modelling", "Serving and operations", "Trade-offs and communication"),
    "behavioral": ("Structure (STAR)", "Ownership and scope", "Impact and results", "Reflection and learning"),
    "product-design": ("Problem framing", "Metrics", "Solution and trade-offs", "Experimentation"),
    "case-study": ("Clarifying and hypotheses", "Data and analysis", "Fix and prevention", "Communication"),
    "cross-team": ("Understanding partners", "Clarity", "Handling disagreement", "Outcome"),
}


@dataclass(frozen=True)
class RoundType:
    name: str
    title: str
    areas: tuple[str, ...]
    minutes: int
    questions: int  # how many main questions
    follow_ups: bool = True


ROUNDS: Mapping[str, RoundType] = {
    r.name: r for r in (
        RoundType("ml-theory", "ML theory", ("ml-theory",), 30, 7),
        RoundType("system-design", "ML system design", ("system-design",), 45, 1),
        RoundType("behavioral", "Behavioral", ("behavioral",), 30, 4),
        RoundType("product-design", "ML product design", ("product-design",), 40, 2),
        RoundType("case-study", "ML case study", ("case-study",), 40, 2),
        RoundType("cross-team", "Cross-team communication", ("cross-team",), 30, 3),
    )
}
FULL_LOOP = ("ml-theory", "system-design", "behavioral", "case-study")

_LEVEL_DIFFICULTY = {"junior": (1, 2), "mid": (2, 1, 3), "senior": (2, 3), "staff": (3, 2)}


@dataclass(frozen=True)
class PlannedQuestion:
    item_id: str
    minutes: float
    phases: tuple[tuple[str, int], ...] = ()  # per-phase timers (system design)


@dataclass(frozen=True)
class RoundPlan:
    round_type: str
    minutes: int
    questions: tuple[PlannedQuestion, ...]
    dimensions: tuple[str, ...] = field(default_factory=tuple)


def plan_round(bank: Bank, round_type: str, role: str | None, level: str, weak_topics: Sequence[str] = (),
               seed: int = 0, exclude: Sequence[str] = ()) -> RoundPlan:
    """Pick the round's questions: the role's items at the level's difficulty, weak topics first, no topic twice."""
    spec = ROUNDS.get(round_type)
    if spec is None:
        raise ValueError(f"unknown round type {round_type!r}; choose one of {', '.join(ROUNDS)}")
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    rng = random.Random(seed)
    pool = [i for a in spec.areas for i in bank.filter(area=a) if (role is None or role in i.roles) and i.id not in exclude]
    if not pool:
        pool = [i for a in spec.areas for i in bank.filter(area=a)]
    if not pool:
        raise ValueError(f"the bank has no {spec.title} items")
    preference = _LEVEL_DIFFICULTY[level]
    weak = set(weak_topics)

    def rank(item: Item) -> tuple[int, int, float]:
        difficulty = preference.index(item.difficulty) if item.difficulty in preference else len(preference)
        return (0 if item.topic in weak else 1, difficulty, rng.random())

    chosen: list[Item] = []
    topics: set[str] = set()
    for item in sorted(pool, key=rank):
        if len(chosen) == spec.questions:
            break
        if item.topic in topics and len({i.topic for i in pool}) > spec.questions:
            continue  # breadth: one question per topic while there are topics enough
        chosen.append(item)
        topics.add(item.topic)
    per_question = spec.minutes / max(1, len(chosen))
    planned = tuple(
        PlannedQuestion(item.id, per_question, DESIGN_PHASES if item.area == "system-design" else ())
        for item in chosen
    )
    return RoundPlan(round_type, spec.minutes, planned, DIMENSIONS.get(round_type, ()))


def choose_follow_up(item: Item, missed_points: Sequence[str], asked: Sequence[str],
                     similarity: Callable[[list[str], list[str]], list[list[float]]] | None = None) -> str | None:
    """The follow-up to ask next: the one closest to what the answer missed; else the first not yet asked."""
    options = [f for f in item.follow_ups if f not in asked]
    if not options:
        return None
    if missed_points and similarity is not None:
        sims = similarity(options, list(missed_points))
        best = max(range(len(options)), key=lambda i: max(sims[i]))
        return options[best]
    return options[0]


@dataclass(frozen=True)
class QuestionCard:
    item_id: str
    score: float | None
    seconds: float | None
    planned_minutes: float
    covered: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scorecard:
    round_type: str
    questions: tuple[QuestionCard, ...]
    average: float | None
    minutes_used: float
    minutes_planned: float
    dimensions: Mapping[str, float] = field(default_factory=dict)  # from an interviewer, 1-4


def scorecard(plan: RoundPlan, cards: Sequence[QuestionCard], dimensions: Mapping[str, float] | None = None) -> Scorecard:
    scored = [c.score for c in cards if c.score is not None]
    used = sum((c.seconds or 0.0) for c in cards) / 60
    return Scorecard(plan.round_type, tuple(cards), sum(scored) / len(scored) if scored else None,
                     round(used, 1), float(plan.minutes), dict(dimensions or {}))
