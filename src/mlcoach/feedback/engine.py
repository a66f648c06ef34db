"""Grading an answer against an item: evidence for every key point, then a score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from mlcoach.core.feedback import Feedback, PointEvidence, Thresholds, judge, score
from mlcoach.core.items import Item
from mlcoach.feedback import checks
from mlcoach.feedback.contrast import reversed_pair
from mlcoach.feedback.text import spans, words
from mlcoach.search.keywords import tokens

if TYPE_CHECKING:
    import numpy as np

    from mlcoach.search.embedding import Embedder

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.json"


def load_thresholds(path: Path = THRESHOLDS) -> Thresholds:
    if not path.exists():
        return Thresholds()
    data = json.loads(path.read_text())
    return Thresholds(**{k: v for k, v in data.items() if k in Thresholds.__slots__})  # type: ignore[attr-defined]


class FeedbackEngine:
    def __init__(self, embedder: "Embedder", idf: Callable[[str], float], thresholds: Thresholds | None = None) -> None:
        self.embedder = embedder
        self.idf = idf
        self.thresholds = thresholds or load_thresholds()

    @classmethod
    def for_matcher(cls, matcher: object) -> "FeedbackEngine":
        """Share the matcher's model and its bank vocabulary (IDF) instead of loading a second copy."""
        keywords = matcher.index.keywords  # type: ignore[attr-defined]
        rare = keywords.idf_unseen()

        def idf(term: str) -> float:
            term_id = keywords.vocab.get(term)
            return keywords.idf(term_id) if term_id is not None else rare

        return cls(matcher.embedder, idf)  # type: ignore[attr-defined]

    # Evidence ---------------------------------------------------------------------------------

    def evidence(self, key_points: Sequence[str], answer: str) -> list[PointEvidence]:
        units = spans(answer)
        if not units or not key_points:
            return [PointEvidence(kp, 0.0, 0.0, None) for kp in key_points]
        vectors = self.embedder.encode([*key_points, *units])
        kp_vectors, unit_vectors = vectors[: len(key_points)], vectors[len(key_points) :]
        sims = kp_vectors @ unit_vectors.T
        unit_terms = [set(tokens(u)) for u in units]
        results = []
        for row, (kp, kp_vector) in enumerate(zip(key_points, kp_vectors)):
            kp_terms = set(tokens(kp))
            weights = {t: self.idf(t) for t in kp_terms}
            total = sum(weights.values()) or 1.0
            overlaps = [sum(w for t, w in weights.items() if t in terms) / total for terms in unit_terms]
            lw = self.thresholds.lexical_weight
            best = max(range(len(units)), key=lambda j: (1 - lw) * float(sims[row, j]) + lw * overlaps[j])
            span = units[best]
            results.append(PointEvidence(kp, float(sims[row, best]), overlaps[best], span,
                                         self._contradiction(kp, kp_vector, span, unit_vectors[best])))
        return results

    def _contradiction(self, key_point: str, kp_vector: "np.ndarray", span: str, span_vector: "np.ndarray") -> str | None:
        pair = reversed_pair(key_point, span)
        if pair is None:
            return None
        return f"the relation is reversed: “{pair[0]}” and “{pair[1]}” swap roles compared with the key point"

    # Grading ----------------------------------------------------------------------------------

    def grade(self, item: Item, answer: str, seconds: float | None = None) -> Feedback:
        answer = answer or ""
        results = tuple(judge(e, self.thresholds) for e in self.evidence(item.key_points, answer))
        content = len(tokens(answer))
        checks_out: dict[str, object] = {"delivery": checks.delivery(answer, seconds)}
        if item.area == "behavioral":
            checks_out["behavioral"] = checks.star(answer)
        if item.area == "system-design":
            sections = [(s.title, s.markdown) for s in item.phases if s.title != "Architecture"]
            checks_out["system_design"] = checks.phases(answer, sections, self.similarity)
        notes = self._notes(results, content, checks_out)
        return Feedback(item.id, score(results, content, self.thresholds), results, len(words(answer)), checks_out, tuple(notes))

    def similarity(self, a: list[str], b: list[str]) -> list[list[float]]:
        vectors = self.embedder.encode([*a, *b])
        return (vectors[: len(a)] @ vectors[len(a) :].T).tolist()  # type: ignore[no-any-return]

    def _notes(self, results: tuple, content: int, found: dict[str, object]) -> list[str]:  # type: ignore[type-arg]
        notes = []
        if content == 0:
            notes.append("The answer is empty.")
        elif content < self.thresholds.substance_words:
            notes.append("The answer is very short; a strong answer explains the key points, not just names them.")
        wrong = [r for r in results if r.contradiction]
        if wrong:
            notes.append(f"{len(wrong)} statement(s) reverse a key relation; check them against the model answer.")
        behavioral = found.get("behavioral")
        if isinstance(behavioral, dict):
            missing = [p for p, v in behavioral["star"].items() if not v["found"]]
            if missing:
                notes.append(f"STAR: no clear {', '.join(missing)}.")
            if behavioral["we_count"] > behavioral["i_count"]:
                notes.append("More 'we' than 'I': say what you did yourself.")
            if not behavioral["measurable_result"]:
                notes.append("The result has no number: give a before/after metric.")
        design = found.get("system_design")
        if isinstance(design, dict) and "phases" in design:
            skipped = [t for t, ok in design["phases"].items() if not ok]
            if skipped:
                notes.append(f"Design phases not addressed: {', '.join(skipped)}.")
        fillers = found["delivery"]["fillers"]  # type: ignore[index]
        if sum(fillers.values()) >= 5:
            notes.append("Many filler words (" + ", ".join(f"{k} ×{v}" for k, v in fillers.items()) + ").")
        return notes
