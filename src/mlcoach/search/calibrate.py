"""Fitting the matcher's calibrations from a labelled dev set (offline; used by scripts/fit_matcher.py).

Each (query, candidate) pair in a query's pool is an example: 1 when the candidate is the item the
query corresponds to, else 0. A logistic model per method turns features into a probability; the
covered/gap threshold is the one that maximises gap-detection F1 on the same (tuning) data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from mlcoach.core.matching import Calibration

FEATURES = {
    "bm25": ("cov", "bm25_log", "bm25_rel"),
    "embedding": ("cos", "cos_gap"),
    "hybrid": ("cos", "cos_gap", "cov", "bm25_log", "bm25_rel"),
}


@dataclass(frozen=True)
class Example:
    query: str
    item_id: str | None  # None: the bank does not cover this question


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> tuple[np.ndarray, float]:
    """Newton's method on the L2-penalised log loss (the bias is not penalised)."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -40, 40)))
        gradient = design.T @ (p - y) + penalty * w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def best_threshold(probabilities: Sequence[float], correct: Sequence[bool], covered: Sequence[bool]) -> float:
    """The threshold maximising F1 of gap detection (a gap is the positive class).

    A covered query whose top candidate is wrong counts as an error either way it is decided, so the
    threshold trades missed gaps against covered questions wrongly called gaps.
    """
    best, best_f1 = 0.5, -1.0
    for threshold in np.unique(np.round(probabilities, 4)):
        f1 = gap_f1([p < threshold for p in probabilities], [not c for c in covered])
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return best


def gap_f1(predicted_gap: Sequence[bool], actual_gap: Sequence[bool]) -> float:
    tp = sum(p and a for p, a in zip(predicted_gap, actual_gap))
    fp = sum(p and not a for p, a in zip(predicted_gap, actual_gap))
    fn = sum(a and not p for p, a in zip(predicted_gap, actual_gap))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def fit(matcher: object, examples: Sequence[Example]) -> dict[str, Calibration]:
    """Calibrations for every method, fitted on `examples` with `matcher`'s index."""
    queries = [e.query for e in examples]
    vectors = matcher.embedder.encode(queries)  # type: ignore[attr-defined]
    pools = [matcher.candidate_features(q, v) for q, v in zip(queries, vectors)]  # type: ignore[attr-defined]
    ids = matcher.index.ids  # type: ignore[attr-defined]
    calibrations: dict[str, Calibration] = {}
    for method, names in FEATURES.items():
        rows, labels = [], []
        for example, pool in zip(examples, pools):
            for doc, features in pool:
                rows.append([features[name] for name in names])
                labels.append(1.0 if ids[doc] == example.item_id else 0.0)
        x, y = np.array(rows), np.array(labels)
        mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
        weights, bias = fit_logistic((x - mean) / scale, y)
        # Fold the standardisation into the weights so the stored model takes raw features.
        raw_weights = weights / scale
        raw_bias = bias - float((weights * mean / scale).sum())
        calibration = Calibration(names, tuple(float(w) for w in raw_weights), raw_bias, 0.5)
        matcher.calibrations = {**getattr(matcher, "calibrations", {}), method: calibration}  # type: ignore[attr-defined]
        tops, correct, covered = [], [], []
        for example, query, vector in zip(examples, queries, vectors):
            ranked = matcher.rank(query, vector, method)  # type: ignore[attr-defined]
            tops.append(ranked[0].score if ranked else 0.0)
            correct.append(bool(ranked) and ranked[0].item_id == example.item_id)
            covered.append(example.item_id is not None)
        threshold = best_threshold(tops, correct, covered)
        calibrations[method] = Calibration(names, calibration.weights, calibration.bias, threshold)
        matcher.calibrations = {**matcher.calibrations, method: calibrations[method]}  # type: ignore[attr-defined]
    return calibrations
