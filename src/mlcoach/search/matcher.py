"""Hybrid matching: which bank item covers a question, or is it a gap?

For each query, the best documents by BM25 and by embedding form a candidate pool. Each candidate
gets features (cosine, IDF coverage, BM25, margins) and a calibrated logistic model turns them into
the probability that the candidate covers the query. The best candidate above the threshold is the
match; below it, the question is a gap.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from mlcoach.core.catalog import Bank
from mlcoach.core.matching import Calibration, Candidate, Match, reciprocal_rank_fusion
from mlcoach.search.documents import item_documents
from mlcoach.search.embedding import Embedder, shared_embedder
from mlcoach.search.index import SearchIndex, cached_index

if TYPE_CHECKING:
    import numpy as np

CALIBRATION = Path(__file__).resolve().parent / "data" / "calibration.json"
METHODS = ("bm25", "embedding", "hybrid", "rrf")
POOL = 20
TOP = 5


def load_calibrations(path: Path = CALIBRATION) -> dict[str, Calibration]:
    data = json.loads(path.read_text())
    return {method: Calibration.from_json(data["methods"][method]) for method in data["methods"]}


class Matcher:
    def __init__(self, index: SearchIndex, embedder: Embedder, calibrations: dict[str, Calibration] | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.calibrations = calibrations if calibrations is not None else load_calibrations()

    @classmethod
    def for_bank(cls, bank: Bank, embedder: Embedder | None = None) -> "Matcher":
        embedder = embedder or shared_embedder()
        return cls(cached_index(bank.content_hash, item_documents(bank), embedder), embedder)

    # Features ---------------------------------------------------------------------------------

    def candidate_features(self, query: str, vector: "np.ndarray", pool: int = POOL) -> list[tuple[int, dict[str, float]]]:
        """The candidate pool of a query, each document with its features, best first by cosine."""
        import numpy as np

        keywords = self.index.keywords
        terms = keywords.prepare(query)
        term_ids = terms.ids
        bm25 = keywords.scores(term_ids)
        cosine = self.index.best_view_similarity(vector)
        n = len(self.index.ids)
        if n == 0:
            return []
        size = min(pool, n)
        by_cosine = np.argpartition(-cosine, size - 1)[:size]
        by_bm25 = np.argpartition(-bm25, size - 1)[:size] if term_ids else np.zeros(0, dtype=np.int64)
        docs = sorted({int(d) for d in by_cosine} | {int(d) for d in by_bm25 if bm25[d] > 0}, key=lambda d: -cosine[d])
        top_bm25 = float(bm25.max()) if term_ids else 0.0
        cos_ranked = sorted((float(cosine[d]) for d in docs), reverse=True)
        rows = []
        for doc in docs:
            c = float(cosine[doc])
            best_other = cos_ranked[1] if c >= cos_ranked[0] and len(cos_ranked) > 1 else cos_ranked[0]
            b = float(bm25[doc])
            rows.append((doc, {
                "cos": c,
                "cos_gap": c - best_other,
                "cov": keywords.coverage(terms, doc),
                "bm25_log": math.log1p(b),
                "bm25_rel": b / top_bm25 if top_bm25 > 0 else 0.0,
            }))
        return rows

    # Ranking and matching ---------------------------------------------------------------------

    def rank(self, query: str, vector: "np.ndarray", method: str = "hybrid") -> list[Candidate]:
        rows = self.candidate_features(query, vector)
        if not rows:
            return []
        ids = self.index.ids
        if method == "rrf":
            by_cos = [doc for doc, _ in sorted(rows, key=lambda r: -r[1]["cos"])]
            by_bm25 = [doc for doc, f in sorted(rows, key=lambda r: -r[1]["bm25_log"]) if f["bm25_log"] > 0]
            fused = reciprocal_rank_fusion([by_cos, by_bm25])
            order = sorted(rows, key=lambda r: -fused[r[0]])
            calibration = self.calibrations["hybrid"]
            return [Candidate(ids[doc], calibration.probability(f)) for doc, f in order]
        calibration = self.calibrations[method]
        key = {"bm25": "bm25_log", "embedding": "cos"}.get(method)
        scored = [(doc, calibration.probability(f), f[key] if key else 0.0) for doc, f in rows]
        # Single methods rank by their own raw score; the hybrid ranks by the calibrated probability.
        scored.sort(key=lambda r: -(r[2] if key else r[1]))
        return [Candidate(ids[doc], p) for doc, p, _ in scored]

    def match_many(self, queries: Sequence[str], method: str = "hybrid") -> list[Match]:
        vectors = self.embedder.encode([q.strip() for q in queries])
        return [self._decide(query, self.rank(query, vector, method), method) for query, vector in zip(queries, vectors)]

    def match(self, query: str, method: str = "hybrid") -> Match:
        return self.match_many([query], method)[0]

    def _decide(self, query: str, ranked: list[Candidate], method: str) -> Match:
        top = tuple(ranked[:TOP])
        if not query.strip():
            return Match(query, False, None, 0.0, ())
        if not top:
            return Match(query, False, None, 0.0, top)
        threshold = self.calibrations["hybrid" if method == "rrf" else method].threshold
        best = top[0]
        covered = best.score >= threshold
        return Match(query, covered, best.item_id if covered else None, best.score, top)

    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        """Best items for a free-text search, most relevant first (no gap decision)."""
        if not query.strip():
            return []
        vector = self.embedder.encode([query.strip()])[0]
        return self.rank(query, vector, "hybrid")[:limit]
