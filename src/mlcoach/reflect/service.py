"""Interview logs end to end: validate, match every question, store, correct, reflect.

Matching happens before the write transaction opens, so a slow first embedding never holds the
database lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.errors import Invalid, NotFound
from mlcoach.core.items import AREAS, Item
from mlcoach.core.matching import Candidate
from mlcoach.core.reflect import LoggedQuestion, LogInput, LogInputError, Reflection, reflect, validate
from mlcoach.store import Store
from mlcoach.store import logs as repo
from mlcoach.store.logs import QuestionMatch

THEME_SIMILARITY = 0.7  # gap questions this close (cosine) count as one recurring theme


class UnknownItem(NotFound):
    """A correction names an item the bank does not have: the user's input is wrong (400, not 404)."""

    kind = "invalid"


@dataclass(frozen=True)
class DraftItem:
    path: str  # relative to the bank root
    text: str
    matched_to: str | None  # the item the question was matched to, when it was not a gap


@dataclass(frozen=True)
class QuestionView:
    position: int
    text: str
    status: str
    item: Item | None
    corrected: bool
    area: str | None
    last_score: float | None
    attempts: int
    candidates: tuple[tuple[Item, float], ...]


class ReflectService:
    def __init__(self, bank: Bank, store: Store, matcher: Callable[[], Any], clock: Clock) -> None:
        self.bank = bank
        self.store = store
        self._matcher_factory = matcher
        self._matcher: Any = None
        self.clock = clock

    @property
    def matcher(self) -> Any:
        if self._matcher is None:
            self._matcher = self._matcher_factory()
        return self._matcher

    # Writing ----------------------------------------------------------------------------------

    def save(self, user_id: int, entry: LogInput, log_id: int | None = None) -> int:
        entry = validate(entry)
        today = self.clock().date()
        if (entry.interview_date - today).days > 1:  # a day of slack for time zones
            raise LogInputError(f"date: {entry.interview_date.isoformat()} is in the future; log an interview once it has happened")
        if (today - entry.interview_date).days > 3660:
            raise LogInputError(f"date: {entry.interview_date.isoformat()} is more than ten years ago")
        kept: dict[int, QuestionMatch] = {}
        if log_id is not None:
            old = self.store.read(lambda s: repo.get_log(s, user_id, log_id))
            # A correction sticks while the question keeps its place and its words.
            kept = {q.position: QuestionMatch(q.status, q.item_id, q.area, True)
                    for q in old.questions if q.corrected and q.position <= len(entry.questions)
                    and entry.questions[q.position - 1] == q.text}
        todo = [n for n in range(1, len(entry.questions) + 1) if n not in kept]
        results = self.matcher.match_many([entry.questions[n - 1] for n in todo]) if todo else []
        decisions = dict(kept)
        for n, result in zip(todo, results):
            decisions[n] = self._decision(result, entry.round_type)
        ordered = [decisions[n] for n in range(1, len(entry.questions) + 1)]
        now = self.clock()
        return self.store.write(lambda s: repo.save_log(s, user_id, entry, ordered, now, log_id))

    def correct(self, user_id: int, log_id: int, position: int, item_id: str | None) -> None:
        area = None
        if item_id is not None:
            item = self.bank.get(item_id)
            if item is None:
                raise UnknownItem(f"no item `{item_id}` in the bank")
            area = item.area
        else:
            log = self.store.read(lambda s: repo.get_log(s, user_id, log_id))
            area = log.round_type if log.round_type in AREAS else None
            question = next((q for q in log.questions if q.position == position), None)
            if question is not None and area is None:
                area = question.area
        self.store.write(lambda s: repo.correct(s, user_id, log_id, position, item_id, area))

    def delete(self, user_id: int, log_id: int) -> None:
        self.store.write(lambda s: repo.delete_log(s, user_id, log_id))

    def _decision(self, result: Any, round_type: str) -> QuestionMatch:
        if result.covered and self.bank.get(result.item_id):
            return QuestionMatch("covered", result.item_id, self.bank.get(result.item_id).area)  # type: ignore[union-attr]
        area = round_type if round_type in AREAS else None
        if area is None and result.candidates:
            nearest = self.bank.get(result.candidates[0].item_id)
            area = nearest.area if nearest else None
        return QuestionMatch("gap", None, area)

    # Reading ----------------------------------------------------------------------------------

    def logs(self, user_id: int) -> list[tuple[Any, int, int]]:
        return self.store.read(lambda s: repo.list_logs(s, user_id))

    def log(self, user_id: int, log_id: int, with_candidates: bool = True) -> tuple[Any, list[QuestionView]]:
        log = self.store.read(lambda s: repo.get_log(s, user_id, log_id))
        ids = [q.item_id for q in log.questions if q.item_id]
        known = self.store.read(lambda s: repo.mastery(s, user_id, ids))
        candidates: list[tuple[Candidate, ...]] = [()] * len(log.questions)
        if with_candidates and log.questions:
            candidates = [m.candidates for m in self.matcher.match_many([q.text for q in log.questions])]
        views = []
        for question, near in zip(log.questions, candidates):
            last, attempts = known.get(question.item_id or "", (None, 0))
            views.append(QuestionView(
                question.position, question.text, question.status,
                self.bank.get(question.item_id) if question.item_id else None, question.corrected, question.area,
                last, attempts,
                tuple((self.bank.get(c.item_id), c.score) for c in near if self.bank.get(c.item_id)),  # type: ignore[misc]
            ))
        return log, views

    def gaps(self, user_id: int) -> list[LoggedQuestion]:
        return [q for q in self.store.read(lambda s: repo.all_questions(s, user_id)) if q.status == "gap"]

    def gap(self, user_id: int, log_id: int, position: int) -> tuple[Any, LoggedQuestion]:
        log = self.store.read(lambda s: repo.get_log(s, user_id, log_id))
        question = next((q for q in log.questions if q.position == position), None)
        if question is None:
            raise NotFound(f"interview {log_id} has no question {position}")
        return log, LoggedQuestion(log.id, question.position, question.text, question.status, question.item_id,
                                   question.area, log.interview_date, log.company, question.corrected)

    def reflection(self, user_id: int) -> Reflection:
        questions = self.store.read(lambda s: repo.all_questions(s, user_id))
        practice = self.store.read(lambda s: repo.practice_by_item(s, user_id))
        practised: dict[str, float] = {}
        for item_id, (attempts, _minutes) in practice.items():
            item = self.bank.get(item_id)
            if item is not None:
                practised[item.area] = practised.get(item.area, 0) + attempts
        return reflect(questions, practised, self._themes(questions))

    def _themes(self, questions: list[LoggedQuestion]) -> list[tuple[str, list[LoggedQuestion]]]:
        themes: dict[str, list[LoggedQuestion]] = {}
        for q in questions:
            item = self.bank.get(q.item_id) if q.item_id else None
            if item is not None:
                guide = self.bank.guides.get(item.area)
                title = guide.topic_title(item.topic) if guide else item.topic
                themes.setdefault(title, []).append(q)
        gaps = [q for q in questions if q.status == "gap"]
        if len(gaps) >= 2:
            vectors = self.matcher.embedder.encode([q.text for q in gaps])
            groups: list[tuple[Any, list[LoggedQuestion]]] = []
            for q, v in zip(gaps, vectors):
                home = next((g for g in groups if float(g[0] @ v) >= THEME_SIMILARITY), None)
                if home is None:
                    groups.append((v, [q]))
                else:
                    home[1].append(q)
            for _, members in groups:
                themes[f"Gap: {members[0].text[:80]}"] = members
        return list(themes.items())

    def draft_item(self, user_id: int, log_id: int, position: int, area: str | None = None,
                   topic: str | None = None) -> DraftItem:
        """A draft bank item for a logged question: its area is the one given, else where the gap was
        filed, else the round's, else the nearest item's; its topic the nearest item's in that area."""
        from mlcoach.core.items import AREAS
        from mlcoach.reflect.scaffold import draft

        log, question = self.gap(user_id, log_id, position)
        chosen_area = area or question.area or (log.round_type if log.round_type in AREAS else None)
        nearest = [self.bank.get(c.item_id) for c in self.matcher.match(question.text).candidates]
        if chosen_area is None:
            chosen_area = next((i.area for i in nearest if i), None)
        if chosen_area not in AREAS:
            raise Invalid(f"pick an area with --area ({', '.join(AREAS)})")
        chosen_topic = topic or next((i.topic for i in nearest if i and i.area == chosen_area), None)
        relative, text = draft(self.bank, question, chosen_area, chosen_topic)
        return DraftItem(relative, text, question.item_id if question.status != "gap" else None)
