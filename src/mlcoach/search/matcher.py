"""Hybrid matching: which bank item covers a question, or is it a gap?

For each query, the best documents by BM25 and by embedding form a candidate pool. Each candidate
gets features (cosine, IDF coverage, BM25, margins) and a calibrated logistic model turns them into
how relevant the candidate is (stage 1, which ranks). A second calibrated model reads how strong
and how unambiguous the best candidate is and gives the probability that the question is covered at
all (stage 2): above its threshold the best candidate is the match; below it, the question is a gap.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mlcoach.core.catalog import Bank
from mlcoach.core.matching import Calibration, Candidate, Match, reciprocal_rank_fusion
from mlcoach.search.documents import item_documents
from mlcoach.search.embedding import Embedder, shared_embedder
from mlcoach.search.index import SearchIndex, cached_index

if TYPE_CHECKING:
    import numpy as np

    from mlcoach.search.vector_cache import Progress

CALIBRATION = Path(__file__).resolve().parent / "data" / "calibration.json"
METHODS = ("bm25", "embedding", "hybrid", "rrf")
POOL = 20
TOP = 5


def load_calibrations(path: Path = CALIBRATION) -> dict[str, Calibration]:
    data = json.loads(path.read_text())
    return {method: Calibration.from_json(data["methods"][method]) for method in data["methods"]}


_BLAS_LIMITED: list[object] = []


def _one_blas_thread() -> None:
    """Matching multiplies a few thousand vectors by one: a single BLAS thread does it in under a
    millisecond, while several threads contending for two busy cores took 15 ms (measured)."""
    if not _BLAS_LIMITED:
        from threadpoolctl import threadpool_limits

        _BLAS_LIMITED.append(threadpool_limits(limits=1, user_api="blas"))


class Matcher:
    def __init__(self, index: SearchIndex, embedder: Embedder, calibrations: dict[str, Calibration] | None = None,
                 groups: Sequence[str] | None = None) -> None:
        """`groups` names each document's area, in index order (unknown: every candidate's area vote is 0.5)."""
        import numpy as np

        _one_blas_thread()
        self.index = index
        self.embedder = embedder
        self.calibrations = calibrations if calibrations is not None else load_calibrations()
        names = sorted(set(groups)) if groups else []
        self._groups = np.array([names.index(g) for g in groups], dtype=np.int32) if groups else None

    @classmethod
    def for_bank(cls, bank: Bank, embedder: Embedder | None = None, progress: "Progress | None" = None) -> "Matcher":
        """The matcher of `bank`: its index from the disk cache, or built (the bundled bank's vectors
        ship with the package; `progress(done, total)` hears about any texts that must be embedded)."""
        embedder = embedder or shared_embedder()
        index = cached_index(bank.content_hash, item_documents(bank), embedder, progress)
        areas: dict[str, str] = {item.id: item.area for item in bank.items}
        return cls(index, embedder, groups=[areas.get(i, "") for i in index.ids])

    # Features ---------------------------------------------------------------------------------

    def candidate_features(self, query: str, vector: "np.ndarray", pool: int = POOL) -> list[tuple[int, dict[str, float]]]:
        """The candidate pool of a query, each document with its features, best first by cosine."""
        import numpy as np

        keywords = self.index.keywords
        terms = keywords.prepare(query)
        term_ids = terms.ids
        bm25 = keywords.scores(term_ids)
        sims = self.index.view_similarities(vector)
        cosine = sims["best"]
        n = len(self.index.ids)
        if n == 0:
            return []
        size = min(pool, n)
        by_cosine = np.argpartition(-cosine, size - 1)[:size]
        by_bm25 = np.argpartition(-bm25, size - 1)[:size] if term_ids else np.zeros(0, dtype=np.int64)
        docs = sorted({int(d) for d in by_cosine} | {int(d) for d in by_bm25 if bm25[d] > 0}, key=lambda d: -cosine[d])
        top_bm25 = float(bm25.max()) if term_ids else 0.0
        cos_ranked = sorted((float(cosine[d]) for d in docs), reverse=True)
        cos_rank = {d: r for r, d in enumerate(sorted(docs, key=lambda d: -cosine[d]))}
        bm25_rank = {d: r for r, d in enumerate(sorted(docs, key=lambda d: -bm25[d]))}
        # The areas of the ten nearest documents vote: a scenario about a metric drop should land on a
        # case study, not on the theory item that shares its vocabulary.
        nearest = sorted(docs, key=lambda d: -cosine[d])[:10]
        groups = self._groups
        votes = np.bincount(groups[nearest], minlength=int(groups.max()) + 1) / len(nearest) if groups is not None else None
        # Query-level values ride along with every row, so stage 2 need not tokenise the query again.
        content = terms.n_words
        unseen = (content - len(term_ids)) / content if content else 1.0
        rows = []
        for doc in docs:
            c = float(cosine[doc])
            best_other = cos_ranked[1] if c >= cos_ranked[0] and len(cos_ranked) > 1 else cos_ranked[0]
            b = float(bm25[doc])
            cov, miss = keywords.coverage_and_missing(terms, doc)
            rows.append((doc, {
                "cos": c,
                "cos_gap": c - best_other,
                "cos_q": float(sims["question"][doc]),
                "cos_p": float(sims["points"][doc]),
                "cos_a": float(sims["asked"][doc]),
                "rr_cos": 1.0 / (1 + cos_rank[doc]),
                "rr_bm25": 1.0 / (1 + bm25_rank[doc]) if b > 0 else 0.0,
                "area_vote": float(votes[groups[doc]]) if votes is not None and groups is not None else 0.5,
                "cov": cov,
                "miss": miss,
                "bm25_log": math.log1p(b),
                "bm25_rel": b / top_bm25 if top_bm25 > 0 else 0.0,
                "unseen": unseen,
                "log_len": math.log1p(content),
            }))
        return rows

    # Ranking and matching ---------------------------------------------------------------------

    def ranked(self, query: str, vector: "np.ndarray", method: str = "hybrid") -> list[tuple[int, float, dict[str, float]]]:
        """Stage 1: the candidate pool, best first, each with its relevance (0..1) and features."""
        rows = self.candidate_features(query, vector)
        if not rows:
            return []
        pair = self.calibrations["hybrid" if method == "rrf" else method]
        scored = [(doc, pair.probability(f), f) for doc, f in rows]
        if method == "rrf":
            by_cos = [doc for doc, _, f in sorted(scored, key=lambda r: -r[2]["cos"])]
            by_bm25 = [doc for doc, _, f in sorted(scored, key=lambda r: -r[2]["bm25_log"]) if f["bm25_log"] > 0]
            fused = reciprocal_rank_fusion([by_cos, by_bm25])
            scored.sort(key=lambda r: -fused[r[0]])
        elif method == "bm25":
            scored.sort(key=lambda r: -r[2]["bm25_log"])  # a single method ranks by its own raw score
        elif method == "embedding":
            scored.sort(key=lambda r: -r[2]["cos"])
        else:
            scored.sort(key=lambda r: -r[1])  # the hybrid ranks by the calibrated combination
        return scored

    def query_features(self, query: str, ranked: list[tuple[int, float, dict[str, float]]]) -> dict[str, float]:
        """Stage 2 inputs: how strong and how unambiguous the best candidate is."""
        top = ranked[0][2]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        by_cos = max(ranked, key=lambda r: r[2]["cos"])[0]
        by_bm25 = max(ranked, key=lambda r: r[2]["bm25_log"])[0]
        return {
            "top_p": ranked[0][1],
            "margin_p": ranked[0][1] - second,
            "top_cos": top["cos"],
            "top_cov": top["cov"],
            "top_miss": top["miss"],
            "agree": 1.0 if by_cos == by_bm25 == ranked[0][0] else 0.0,
            "unseen": top["unseen"],
            "log_len": top["log_len"],
        }

    def match_many(self, queries: Sequence[str], method: str = "hybrid") -> list[Match]:
        vectors = self.embedder.encode([q.strip() for q in queries])
        return [self._decide(query, self.ranked(query, vector, method), method) for query, vector in zip(queries, vectors)]

    def match(self, query: str, method: str = "hybrid") -> Match:
        return self.match_many([query], method)[0]

    def _decide(self, query: str, ranked: list[tuple[int, float, dict[str, float]]], method: str) -> Match:
        if not query.strip() or not ranked:
            return Match(query, False, None, 0.0, ())
        ids = self.index.ids
        top = tuple(Candidate(ids[doc], p) for doc, p, _ in ranked[:TOP])
        cover = self.calibrations[f"{method}:cover"]
        score = cover.probability(self.query_features(query, ranked))
        covered = score >= cover.threshold
        return Match(query, covered, top[0].item_id if covered else None, score, top)

    def lookup(self, query: str, limit: int = 10) -> tuple[Match, list[Candidate]]:
        """A free-text search with its verdict: whether the bank covers the query, and the best items
        (one embedding for both)."""
        if not query.strip():
            return Match(query, False, None, 0.0, ()), []
        vector = self.embedder.encode([query.strip()])[0]
        ranked = self.ranked(query, vector, "hybrid")
        ids = self.index.ids
        return self._decide(query, ranked, "hybrid"), [Candidate(ids[doc], p) for doc, p, _ in ranked[:limit]]

    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        """Best items for a free-text search, most relevant first (no gap decision)."""
        if not query.strip():
            return []
        vector = self.embedder.encode([query.strip()])[0]
        ids = self.index.ids
        return [Candidate(ids[doc], p) for doc, p, _ in self.ranked(query, vector, "hybrid")[:limit]]
