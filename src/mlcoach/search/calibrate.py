"""Fitting the matcher's calibrations from a labelled dev set (offline; used by scripts/fit_matcher.py).

Each (query, candidate) pair in a query's pool is an example: 1 when the candidate is the item the
query corresponds to, else 0. A logistic model per method turns features into a probability; the
covered/gap threshold is the one that maximises gap-detection F1 on the same (tuning) data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mlcoach.core.matching import Calibration

FEATURES = {
    "bm25": ("cov", "miss", "bm25_log", "bm25_rel"),
    "embedding": ("cos", "cos_gap"),
    "hybrid": ("cos", "cos_gap", "cos_q", "cos_p", "cos_a", "cov", "miss", "bm25_log", "bm25_rel", "rr_cos", "rr_bm25", "area_vote"),
}
# Stage 2 (is the question covered at all?) reads only what its method can see.
COVER_FEATURES = {
    "bm25": ("top_p", "margin_p", "top_cov", "unseen", "log_len"),
    "embedding": ("top_p", "margin_p", "top_cos", "log_len"),
    "hybrid": ("top_p", "margin_p", "top_cos", "top_cov", "top_miss", "agree", "unseen", "log_len"),
    "rrf": ("top_p", "margin_p", "top_cos", "top_cov", "top_miss", "agree", "unseen", "log_len"),
}


@dataclass(frozen=True)
class Example:
    query: str
    item_id: str | None  # None: the bank does not cover this question
    also: frozenset[str] = frozenset()  # other items that cover it as well (real questions can have several)

    @property
    def covering(self) -> frozenset[str]:
        return self.also | ({self.item_id} if self.item_id else set())


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


def best_threshold(probabilities: Sequence[float], covered: Sequence[bool]) -> float:
    """The threshold maximising F1 of gap detection (a gap is the positive class): it trades missed
    gaps against covered questions wrongly called gaps."""
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


def _logistic(rows: list[list[float]], labels: list[float], names: tuple[str, ...], l2: float = 1.0) -> Calibration:
    x, y = np.array(rows, dtype=float), np.array(labels, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    weights, bias = fit_logistic((x - mean) / scale, y, l2=l2)
    # Fold the standardisation into the weights so the stored model takes raw features.
    raw_weights = weights / scale
    raw_bias = bias - float((weights * mean / scale).sum())
    return Calibration(names, tuple(float(w) for w in raw_weights), raw_bias, 0.5)


def fit(matcher: object, examples: Sequence[Example]) -> dict[str, Calibration]:
    """Both stages for every method, fitted on `examples` with `matcher`'s index.

    Stage 1 learns relevance from every (query, candidate) pair of covered queries. Stage 2 learns
    "covered or gap" from one row per query: covered queries whose best candidate is right are
    positives, gaps are negatives; a covered query ranked wrong teaches nothing about coverage and
    is left out. The threshold then maximises gap F1 over all tuning queries.
    """
    queries = [e.query for e in examples]
    vectors = matcher.embedder.encode(queries)  # type: ignore[attr-defined]
    pools = [matcher.candidate_features(q, v) for q, v in zip(queries, vectors)]  # type: ignore[attr-defined]
    ids = matcher.index.ids  # type: ignore[attr-defined]
    calibrations: dict[str, Calibration] = dict(getattr(matcher, "calibrations", {}))
    for method, names in FEATURES.items():
        rows, labels = [], []
        for example, pool in zip(examples, pools):
            if example.item_id is None:
                continue
            for doc, features in pool:
                rows.append([features[name] for name in names])
                labels.append(1.0 if ids[doc] in example.covering else 0.0)
        calibrations[method] = _logistic(rows, labels, names)
    matcher.calibrations = calibrations  # type: ignore[attr-defined]
    for method, names in COVER_FEATURES.items():
        rows, labels, features_all, gaps = [], [], [], []
        for example, query, vector in zip(examples, queries, vectors):
            ranked = matcher.ranked(query, vector, method)  # type: ignore[attr-defined]
            if not ranked:
                continue
            features = matcher.query_features(query, ranked)  # type: ignore[attr-defined]
            features_all.append([features[n] for n in names])
            gaps.append(example.item_id is None)
            if example.item_id is None:
                rows.append(features_all[-1])
                labels.append(0.0)
            elif ids[ranked[0][0]] in example.covering:
                rows.append(features_all[-1])
                labels.append(1.0)
        model = _logistic(rows, labels, names)
        probabilities = [model.probability(dict(zip(names, r))) for r in features_all]
        threshold = best_threshold(probabilities, [not g for g in gaps])
        calibrations[f"{method}:cover"] = Calibration(names, model.weights, model.bias, threshold)
    matcher.calibrations = calibrations  # type: ignore[attr-defined]
    return calibrations
