"""Match results and the pure arithmetic of fusing rankings and calibrating scores."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Candidate:
    item_id: str
    score: float


@dataclass(frozen=True, slots=True)
class Match:
    """The `mlcoach match --json` contract, one per query."""

    query: str
    covered: bool
    item_id: str | None  # the best match when covered, else None
    score: float  # how sure we are that the best candidate covers the query, 0..1
    candidates: tuple[Candidate, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "covered": self.covered,
            "item_id": self.item_id,
            "score": round(self.score, 4),
            "candidates": [{"item_id": c.item_id, "score": round(c.score, 4)} for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """A logistic model over named features, and the probability above which a query is covered."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias + sum(w * values[name] for name, w in zip(self.features, self.weights))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Calibration":
        return cls(tuple(data["features"]), tuple(float(w) for w in data["weights"]),
                   float(data["bias"]), float(data["threshold"]))

    def to_json(self) -> dict[str, object]:
        return {"features": list(self.features), "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold}


def reciprocal_rank_fusion(rankings: Iterable[Sequence[int]], k: int = 60) -> dict[int, float]:
    """Sum of 1/(k + rank) over the rankings each document appears in (rank from 1)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            fused[doc] = fused.get(doc, 0.0) + 1.0 / (k + rank)
    return fused
