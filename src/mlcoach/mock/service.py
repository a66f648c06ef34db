"""Mock rounds end to end: plan, ask, autosave, grade, follow up, score; solo or with a peer.

Every keystroke batch is saved as a draft on the question's attempt, so a crash or a closed tab loses
at most the seconds since the last autosave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.errors import Conflict, NotFound
from mlcoach.core.feedback import Feedback
from mlcoach.core.items import Item
from mlcoach.core.mock import (
    DIMENSIONS,
    ROUNDS,
    PlannedQuestion,
    QuestionCard,
    RoundPlan,
    Scorecard,
    choose_follow_up,
    plan_round,
    scorecard,
)
from mlcoach.llm import LLMClient, LLMError
from mlcoach.store import Store
from mlcoach.store import mocks as repo
from mlcoach.store.models import Attempt, MockSession

MAX_ANSWER = 20_000
WEAK_BELOW = 60.0


class MockError(Conflict, ValueError):
    """A request that cannot be carried out (wrong question, finished round, bad scorecard)."""


@dataclass(frozen=True)
class QuestionState:
    position: int
    item: Item
    planned_minutes: float
    phases: tuple[tuple[str, int], ...]
    started_at: datetime | None
    draft: str
    submitted: bool
    score: float | None
    feedback: dict[str, Any] | None
    follow_up: str | None
    follow_up_answer: str | None


@dataclass(frozen=True)
class SessionState:
    id: int
    round_type: str
    title: str
    mode: str
    status: str
    position: int
    total: int
    current: QuestionState | None
    interviewer_token: str | None
    candidate_token: str | None
    scorecard: dict[str, Any] | None
    dimensions: tuple[str, ...] = field(default_factory=tuple)


def _plan_json(plan: RoundPlan) -> dict[str, Any]:
    return {"round_type": plan.round_type, "minutes": plan.minutes, "dimensions": list(plan.dimensions),
            "questions": [{"item_id": q.item_id, "minutes": q.minutes, "phases": [list(p) for p in q.phases]} for q in plan.questions]}


def _plan(data: dict[str, Any]) -> RoundPlan:
    return RoundPlan(data["round_type"], data["minutes"],
                     tuple(PlannedQuestion(q["item_id"], q["minutes"], tuple((p[0], p[1]) for p in q["phases"])) for q in data["questions"]),
                     tuple(data.get("dimensions", ())))


class MockService:
    def __init__(self, bank: Bank, store: Store, engine: Callable[[], Any], clock: Clock, llm: LLMClient | None = None) -> None:
        self.bank = bank
        self.store = store
        self._engine_factory = engine
        self._engine: Any = None
        self.clock = clock
        self.llm = llm

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = self._engine_factory()
        return self._engine

    # Starting ---------------------------------------------------------------------------------

    def weak_topics(self, user_id: int) -> list[str]:
        scores: dict[str, list[float]] = {}
        for attempt in self.store.read(lambda s: repo.history(s, user_id)):
            item = self.bank.get(attempt.item_id)
            if item is not None and attempt.score is not None:
                scores.setdefault(item.topic, []).append(attempt.score)
        return sorted((t for t, v in scores.items() if sum(v) / len(v) < WEAK_BELOW), key=lambda t: sum(scores[t]) / len(scores[t]))

    def start(self, user_id: int, round_type: str, mode: str = "solo", role: str | None = None, level: str = "mid", seed: int | None = None) -> int:
        if mode not in ("solo", "peer"):
            raise MockError("mode must be solo or peer")
        now = self.clock()
        try:
            plan = plan_round(self.bank, round_type, role, level, self.weak_topics(user_id), seed=seed if seed is not None else int(now.timestamp()))
        except ValueError as error:
            raise MockError(str(error)) from None
        return self.store.write(lambda s: repo.create(s, user_id, round_type, mode, _plan_json(plan), now).id)

    # Reading ----------------------------------------------------------------------------------

    def state(self, session_id: int, user_id: int | None = None, token: str | None = None) -> SessionState:
        def load(s: Any) -> tuple[MockSession, list[Attempt]]:
            mock = repo.get(s, session_id, user_id, token)
            return mock, repo.attempts(s, session_id)

        mock, attempts = self.store.read(load)
        plan = _plan(mock.plan)
        current = None
        if mock.status == "active" and mock.position < len(plan.questions):
            current = self._question(plan, mock, attempts, mock.position)
        return SessionState(mock.id, mock.round_type, ROUNDS[mock.round_type].title if mock.round_type in ROUNDS else mock.round_type,
                            mock.mode, mock.status, mock.position, len(plan.questions), current, mock.interviewer_token,
                            mock.candidate_token, mock.scorecard, tuple(plan.dimensions))

    def _question(self, plan: RoundPlan, mock: MockSession, attempts: list[Attempt], position: int) -> QuestionState:
        planned = plan.questions[position]
        item = self.bank.get(planned.item_id)
        if item is None:
            raise MockError(f"the item {planned.item_id} of this round is no longer in the bank")
        attempt = next((a for a in attempts if a.position == position), None)
        return QuestionState(position, item, planned.minutes, planned.phases, mock.question_started_at,
                             attempt.answer if attempt else "", bool(attempt and attempt.submitted_at), attempt.score if attempt else None,
                             attempt.feedback if attempt else None, attempt.follow_up if attempt else None,
                             attempt.follow_up_answer if attempt else None)

    # Answering --------------------------------------------------------------------------------

    def autosave(self, session_id: int, position: int, text: str, user_id: int | None = None, token: str | None = None) -> datetime:
        now = self.clock()

        def save(s: Any) -> None:
            mock = self._active(s, session_id, position, user_id, token)
            attempt = repo.attempt(s, mock, position, _plan(mock.plan).questions[position].item_id, now)
            if attempt.submitted_at is None:  # once submitted, the answer is final
                attempt.answer = text[:MAX_ANSWER]
        self.store.write(save)
        return now

    def submit(self, session_id: int, position: int, text: str, user_id: int | None = None, token: str | None = None) -> tuple[Feedback, str | None, list[str]]:
        """Grade the answer, pick a follow-up; returns (feedback, follow-up, notices)."""
        now = self.clock()
        state = self.state(session_id, user_id, token)
        if state.current is None or state.current.position != position:
            raise MockError("that question is not the one being asked")
        if state.current.submitted:
            raise MockError("this answer was already submitted")
        item = state.current.item
        started = state.current.started_at or now
        seconds = max(0.0, (now - started).total_seconds())
        feedback = self.engine.grade(item, text[:MAX_ANSWER], seconds)
        notices: list[str] = []
        missed = [p.text for p in feedback.key_points if p.status != "covered"]
        follow_up = None
        critique = None
        if self.llm is not None:
            try:
                follow_up = self.llm.follow_up(item, text, feedback)
                critique = self.llm.critique(item, text, feedback).model_dump()
            except LLMError as error:
                notices.append(f"LLM unavailable ({error}); showing the offline feedback.")
        if follow_up is None:
            follow_up = choose_follow_up(item, missed, (), self.engine.similarity)
        payload = feedback.to_json()
        payload["notices"] = notices
        if critique is not None:
            payload["llm_critique"] = critique

        def save(s: Any) -> None:
            mock = self._active(s, session_id, position, user_id, token)
            attempt = repo.attempt(s, mock, position, item.id, now)
            attempt.answer, attempt.score, attempt.feedback = text[:MAX_ANSWER], feedback.score, payload
            attempt.submitted_at, attempt.duration_seconds, attempt.follow_up = now, seconds, follow_up
        self.store.write(save)
        return feedback, follow_up, notices

    def answer_follow_up(self, session_id: int, position: int, text: str, user_id: int | None = None, token: str | None = None) -> None:
        def save(s: Any) -> None:
            mock = self._active(s, session_id, position, user_id, token)
            attempt = repo.attempt(s, mock, position, _plan(mock.plan).questions[position].item_id, self.clock())
            if attempt.submitted_at is None:
                raise MockError("answer the main question first")
            attempt.follow_up_answer = text[:MAX_ANSWER]
        self.store.write(save)

    def advance(self, session_id: int, user_id: int | None = None, token: str | None = None) -> SessionState:
        """Move to the next question (or finish the round after the last)."""
        now = self.clock()

        def move(s: Any) -> None:
            mock = repo.get(s, session_id, user_id, token)
            if mock.status != "active":
                raise MockError("this round is finished")
            total = len(mock.plan["questions"])
            mock.position = min(mock.position + 1, total)
            mock.question_started_at = now
            if mock.position >= total:
                mock.status, mock.finished_at = "finished", now
        self.store.write(move)
        return self.state(session_id, user_id, token)

    def finish(self, session_id: int, user_id: int | None = None, token: str | None = None) -> None:
        now = self.clock()

        def end(s: Any) -> None:
            mock = repo.get(s, session_id, user_id, token)
            if mock.status == "active":
                mock.status, mock.finished_at = "finished", now
        self.store.write(end)

    def save_scorecard(self, session_id: int, token: str, scores: dict[str, int], notes: str) -> None:
        """The interviewer's scorecard (peer mode): each rubric dimension 1-4, plus notes."""
        def save(s: Any) -> None:
            mock = repo.get(s, session_id, token=token)
            if token != mock.interviewer_token:
                raise NotFound("only the interviewer can fill the scorecard")
            dimensions = mock.plan.get("dimensions") or list(DIMENSIONS.get(mock.round_type, ()))
            unknown = set(scores) - set(dimensions)
            if unknown:
                raise MockError(f"unknown rubric dimension(s): {', '.join(sorted(unknown))}")
            if any(not 1 <= v <= 4 for v in scores.values()):
                raise MockError("score each dimension from 1 to 4")
            mock.scorecard = {"scores": dict(scores), "notes": notes[:5000], "at": self.clock().isoformat()}
        self.store.write(save)

    def _active(self, s: Any, session_id: int, position: int, user_id: int | None, token: str | None) -> MockSession:
        mock = repo.get(s, session_id, user_id, token)
        if mock.status != "active":
            raise MockError("this round is finished")
        if mock.position != position:
            raise MockError("that question is not the one being asked")
        return mock

    # Results ----------------------------------------------------------------------------------

    def result(self, session_id: int, user_id: int | None = None, token: str | None = None) -> tuple[Scorecard, list[tuple[Item, Attempt]]]:
        def load(s: Any) -> tuple[MockSession, list[Attempt]]:
            return repo.get(s, session_id, user_id, token), repo.attempts(s, session_id)

        mock, attempts = self.store.read(load)
        plan = _plan(mock.plan)
        cards, rows = [], []
        for position, planned in enumerate(plan.questions):
            attempt = next((a for a in attempts if a.position == position), None)
            item = self.bank.get(planned.item_id)
            if attempt is None or item is None:
                cards.append(QuestionCard(planned.item_id, None, None, planned.minutes))
                continue
            points = (attempt.feedback or {}).get("key_points", [])
            cards.append(QuestionCard(item.id, attempt.score, attempt.duration_seconds, planned.minutes,
                                      tuple(p["text"] for p in points if p["status"] == "covered"),
                                      tuple(p["text"] for p in points if p["status"] != "covered")))
            rows.append((item, attempt))
        dims = (mock.scorecard or {}).get("scores", {})
        return scorecard(plan, cards, dims), rows

    def sessions(self, user_id: int) -> list[MockSession]:
        return self.store.read(lambda s: repo.sessions(s, user_id))

    def history(self, user_id: int) -> dict[str, Any]:
        """Every scored attempt by item (with the change since the previous try), and the trend per area."""
        attempts = self.store.read(lambda s: repo.history(s, user_id))
        by_item: dict[str, list[Attempt]] = {}
        trend: dict[str, dict[str, list[float]]] = {}
        for attempt in attempts:
            item = self.bank.get(attempt.item_id)
            if item is None or attempt.score is None:
                continue
            by_item.setdefault(item.id, []).append(attempt)
            week = attempt.submitted_at.strftime("%G-W%V") if attempt.submitted_at else "?"
            trend.setdefault(item.area, {}).setdefault(week, []).append(attempt.score)
        items = []
        for item_id, tries in by_item.items():
            latest = tries[-1]
            change = latest.score - tries[-2].score if len(tries) > 1 and tries[-2].score is not None else None  # type: ignore[operator]
            items.append({"item": self.bank.get(item_id), "attempts": len(tries), "latest": latest.score, "change": change,
                          "scores": [t.score for t in tries], "when": latest.submitted_at})
        items.sort(key=lambda r: r["when"], reverse=True)  # type: ignore[arg-type,return-value]  # every row has a datetime
        areas = {area: [(week, sum(v) / len(v)) for week, v in sorted(weeks.items())] for area, weeks in trend.items()}
        return {"items": items, "areas": areas}
