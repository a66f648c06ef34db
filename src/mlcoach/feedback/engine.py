"""Grading an answer against an item: evidence for every key point, then a score."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mlcoach.core.feedback import Feedback, PointEvidence, Thresholds, judge, score
from mlcoach.core.items import Item
from mlcoach.feedback import checks, numbers, polarity
from mlcoach.feedback.contrast import reversed_pair
from mlcoach.feedback.text import clauses, sentences, spans, words
from mlcoach.search.keywords import tokens

if TYPE_CHECKING:
    import numpy as np

    from mlcoach.search.embedding import Embedder

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.json"


def load_thresholds(path: Path = THRESHOLDS) -> Thresholds:
    if not path.exists():
        return Thresholds()
    return Thresholds.from_json(json.loads(path.read_text()))


class FeedbackEngine:
    def __init__(self, embedder: "Embedder", idf: Callable[[str], float], thresholds: Thresholds | None = None) -> None:
        self.embedder = embedder
        self.idf = idf
        self.thresholds = thresholds or load_thresholds()
        self._remembered: dict[str, "np.ndarray"] = {}

    @classmethod
    def for_matcher(cls, matcher: object) -> "FeedbackEngine":
        """Share the matcher's model and its bank vocabulary (IDF) instead of loading a second copy."""
        keywords = matcher.index.keywords  # type: ignore[attr-defined]
        rare = keywords.idf_unseen()

        def idf(term: str) -> float:
            term_id = keywords.vocab.get(term)
            return float(keywords.idf(term_id)) if term_id is not None else float(rare)

        return cls(matcher.embedder, idf)  # type: ignore[attr-defined]

    # Evidence ---------------------------------------------------------------------------------

    def evidence(self, key_points: Sequence[str], answer: str) -> list[PointEvidence]:
        return self.evidence_many([(key_points, answer)])[0]

    def evidence_many(self, requests: Sequence[tuple[Sequence[str], str]]) -> list[list[PointEvidence]]:
        """Evidence for many (key points, answer) pairs, embedding every distinct text once."""
        import numpy as np

        plans = []
        texts: dict[str, int] = {}

        def slot(text: str) -> int:
            return texts.setdefault(text, len(texts))

        for key_points, answer in requests:
            units = spans(answer)
            parts = [clauses(kp) for kp in key_points]
            said = sentences(answer)
            statements = (said, [c for sentence in said for c in polarity.split(sentence)])
            plans.append((key_points, units, statements, parts, [slot(u) for u in units], [slot(kp) for kp in key_points],
                          [[slot(c) for c in cs] for cs in parts]))
        vectors = self.embedder.encode(list(texts)) if texts else np.zeros((0, 384), dtype=np.float32)
        lw = self.thresholds.lexical_weight
        out = []
        for key_points, units, statements, parts, unit_slots, kp_slots, part_slots in plans:
            if not units or not key_points:
                out.append([PointEvidence(kp, 0.0, 0.0, None) for kp in key_points])
                continue
            unit_vectors = vectors[unit_slots]
            unit_terms = [set(tokens(u)) for u in units]
            results = []
            for kp, kp_slot, sub, sub_slots in zip(key_points, kp_slots, parts, part_slots):
                sims = unit_vectors @ vectors[kp_slot]
                overlaps = self._overlaps(kp, unit_terms)
                strengths = (1 - lw) * sims + lw * np.array(overlaps)
                best = int(strengths.argmax())
                similarity, overlap = float(sims[best]), overlaps[best]
                if len(sub) > 1:
                    # A compound key point is often made across sentences: each clause finds its own span.
                    clause_best = []
                    for clause, clause_slot in zip(sub, sub_slots):
                        c_sims = unit_vectors @ vectors[clause_slot]
                        c_over = np.array(self._overlaps(clause, unit_terms))
                        j = int(((1 - lw) * c_sims + lw * c_over).argmax())
                        clause_best.append((float(c_sims[j]), float(c_over[j])))
                    mean_sim = sum(c[0] for c in clause_best) / len(clause_best)
                    mean_over = sum(c[1] for c in clause_best) / len(clause_best)
                    if (1 - lw) * mean_sim + lw * mean_over > (1 - lw) * similarity + lw * overlap:
                        similarity, overlap = mean_sim, mean_over
                span = units[best]
                span, contradiction = self._contradiction(kp, span, units, statements)
                results.append(PointEvidence(kp, similarity, overlap, span, contradiction))
            out.append(results)
        return out

    def _overlaps(self, text: str, unit_terms: list[set[str]]) -> list[float]:
        terms = set(tokens(text))
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        return [sum(w for t, w in weights.items() if t in unit) / total for unit in unit_terms]

    def _contradiction(self, key_point: str, span: str, units: list[str],
                       statements: tuple[list[str], list[polarity.Clause]]) -> tuple[str, str | None]:
        """The span to show as evidence, and why it contradicts the key point (None when it does not).
        `statements` are the answer's sentences and their clauses."""
        pair = reversed_pair(key_point, span, units)
        if pair is not None:
            return span, f"the relation is reversed: “{pair[0]}” and “{pair[1]}” swap roles compared with the key point"
        said, answer_clauses = statements
        flip = polarity.flipped(key_point, answer_clauses, self.idf)
        if flip is not None:
            claim, stated = flip
            where = next((u for u in units if stated in u), span)
            return where, f"the answer says the opposite: “{stated}” against the key point's “{claim}”"
        value = numbers.wrong_value(key_point, said, self.idf)
        if value is not None:
            expected, sentence = value
            return sentence, f"another value: the key point has {expected}, the answer states a different one"
        return span, None

    # Grading ----------------------------------------------------------------------------------

    def grade(self, item: Item, answer: str, seconds: float | None = None) -> Feedback:
        return self.grade_many([(item, answer, seconds)])[0]

    def grade_many(self, requests: Sequence[tuple[Item, str, float | None]]) -> list[Feedback]:
        """Grades several answers, embedding every distinct text once (the answer once per grade)."""
        evidence = self.evidence_many([(item.key_points, answer or "") for item, answer, _ in requests])
        out = []
        for (item, answer, seconds), points in zip(requests, evidence):
            answer = answer or ""
            results = tuple(judge(e, self.thresholds, item.area) for e in points)
            content = len(tokens(answer))
            checks_out: dict[str, object] = {"delivery": checks.delivery(answer, seconds)}
            if item.area == "behavioral":
                checks_out["behavioral"] = checks.star(answer)
            if item.area == "system-design":
                sections = [(s.title, s.markdown) for s in item.phases if s.title != "Architecture"]
                checks_out["system_design"] = checks.phases(answer, sections, self.similarity)
            notes = self._notes(results, content, checks_out)
            out.append(Feedback(item.id, score(results, content, self.thresholds), results, len(words(answer)), checks_out, tuple(notes)))
        return out

    def similarity(self, a: list[str], b: list[str]) -> list[list[float]]:
        """Cosine of every text of `a` with every text of `b`; `b` (the bank's own text) is remembered."""
        import numpy as np

        fresh = [t for t in dict.fromkeys(b) if t not in self._remembered]
        if fresh:
            for text, vector in zip(fresh, self.embedder.encode(fresh)):
                self._remembered[text] = vector
            while len(self._remembered) > 20_000:  # bounded: a long-running server grades many items
                self._remembered.pop(next(iter(self._remembered)))
        left = self.embedder.encode(a)
        right = np.stack([self._remembered[t] for t in b]) if b else np.zeros((0, left.shape[1]), dtype=np.float32)
        return (left @ right.T).tolist()  # type: ignore[no-any-return]

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
