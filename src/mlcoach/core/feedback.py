"""Answer feedback as data, and the pure rules that turn evidence into a score.

The engine (mlcoach.feedback) measures evidence; this module decides what it is worth, so the
scoring rules can be read and tested without a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

COVERED, PARTIAL, MISSED = "covered", "partial", "missed"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where evidence becomes credit. Fitted on the tuning split of benchmarks/data/grade_dev.jsonl."""

    covered: float = 0.62  # evidence at or above: the key point is covered
    partial: float = 0.48  # at or above: partly covered
    lexical_weight: float = 0.35  # how much word overlap counts next to meaning
    substance_words: int = 25  # content words below which an answer is too thin for full credit
    contradiction_penalty: float = 0.5  # credit taken away for stating a key point's relation wrongly
    # Key points that describe behaviour ("owns the outcome", "names the trade-off") are met by a story
    # in other words than theirs, so their areas need less literal evidence: a per-area shift.
    area_offsets: tuple[tuple[str, float], ...] = ()

    def offset(self, area: str) -> float:
        return dict(self.area_offsets).get(area, 0.0)

    def to_json(self) -> dict[str, object]:
        return {"covered": self.covered, "partial": self.partial, "lexical_weight": self.lexical_weight,
                "substance_words": self.substance_words, "contradiction_penalty": self.contradiction_penalty,
                "area_offsets": dict(self.area_offsets)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Thresholds":
        offsets = data.get("area_offsets") or {}
        return cls(float(data["covered"]), float(data["partial"]), float(data["lexical_weight"]),
                   int(data["substance_words"]), float(data["contradiction_penalty"]),
                   tuple(sorted((str(k), float(v)) for k, v in offsets.items())))


@dataclass(frozen=True, slots=True)
class PointEvidence:
    text: str  # the key point
    similarity: float  # meaning: cosine between the key point and the best span of the answer
    overlap: float  # words: IDF-weighted share of the key point's words in that span
    evidence: str | None  # the span of the answer
    contradiction: str | None = None  # why the span states the relation wrongly, if it does


@dataclass(frozen=True, slots=True)
class PointResult:
    text: str
    status: str
    evidence: str | None
    strength: float
    contradiction: str | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text, "status": self.status, "evidence": self.evidence,
                                  "strength": round(self.strength, 3)}
        if self.contradiction:
            out["contradiction"] = self.contradiction
        return out


@dataclass(frozen=True)
class Feedback:
    item_id: str
    score: float
    key_points: tuple[PointResult, ...]
    words: int
    checks: Mapping[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "item_id": self.item_id,
            "score": round(self.score, 1),
            "key_points": [p.to_json() for p in self.key_points],
            "words": self.words,
            "checks": dict(self.checks),
            "notes": list(self.notes),
        }

    @property
    def missed(self) -> tuple[PointResult, ...]:
        return tuple(p for p in self.key_points if p.status != COVERED)


def judge(point: PointEvidence, thresholds: Thresholds, area: str = "") -> PointResult:
    strength = (1 - thresholds.lexical_weight) * point.similarity + thresholds.lexical_weight * point.overlap
    shift = thresholds.offset(area)
    if point.contradiction:
        return PointResult(point.text, MISSED, point.evidence, strength, point.contradiction)
    if strength >= thresholds.covered + shift:
        return PointResult(point.text, COVERED, point.evidence, strength)
    if strength >= thresholds.partial + shift:
        return PointResult(point.text, PARTIAL, point.evidence, strength)
    return PointResult(point.text, MISSED, None, strength)


def score(results: Sequence[PointResult], content_words: int, thresholds: Thresholds) -> float:
    """0-100: credit for covered (1) and partial (0.5) points, less a penalty for each contradiction,
    scaled down for answers too short to carry the content."""
    if not results or content_words == 0:
        return 0.0
    credit = sum(1.0 if r.status == COVERED else 0.5 if r.status == PARTIAL else 0.0 for r in results)
    credit -= thresholds.contradiction_penalty * sum(1 for r in results if r.contradiction)
    base = max(0.0, credit) / len(results)
    substance = min(1.0, content_words / max(1, thresholds.substance_words))
    return round(100.0 * base * substance, 1)
