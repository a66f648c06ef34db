"""Mock rounds: planning, autosave, grading and follow-ups, peer scorecards, history — SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import NOW, ROOT

from mlcoach.core.catalog import Bank
from mlcoach.core.mock import DESIGN_PHASES, ROUNDS, choose_follow_up, plan_round
from mlcoach.mock.service import MockError, MockService
from mlcoach.store import Store
from mlcoach.store.logs import NotFound
from mlcoach.store.users import ensure_user


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def svc(bank: Bank, store: Store, matcher: object, clock: Clock) -> MockService:
    from mlcoach.feedback.engine import FeedbackEngine

    engine = FeedbackEngine.for_matcher(matcher)
    return MockService(bank, store, lambda: engine, clock)


@pytest.fixture
def user(store: Store) -> int:
    return store.write(lambda s: ensure_user(s, "local", NOW).id)


def test_the_design_time_budget_matches_the_guide() -> None:
    guide = (ROOT / "content" / "system-design" / "_guide.md").read_text()
    table = dict(re.findall(r"^\| ([A-Z][^|]+?) \| (\d+) \|", guide, flags=re.M))
    names = {"Requirements and scale": "Clarify requirements and scale", "ML framing": "Frame as an ML task"}
    for phase, minutes in DESIGN_PHASES:
        assert int(table[names.get(phase, phase)]) == minutes, phase


def test_plan_round_respects_area_role_and_weak_topics(bank: Bank) -> None:
    plan = plan_round(bank, "ml-theory", "ds", "mid", seed=1)
    items = [bank.get(q.item_id) for q in plan.questions]
    assert items and all(i.area == "ml-theory" and "ds" in i.roles for i in items)
    weak = items[-1].topic
    first = bank.get(plan_round(bank, "ml-theory", None, "mid", weak_topics=[weak], seed=2).questions[0].item_id)
    assert first.topic == weak
    design = plan_round(bank, "system-design", None, "senior")
    assert design.minutes == 45 and design.questions[0].phases == DESIGN_PHASES
    with pytest.raises(ValueError, match="unknown round type"):
        plan_round(bank, "coding", None, "mid")


def test_follow_up_targets_what_was_missed(bank: Bank, matcher: object) -> None:
    from mlcoach.feedback.engine import FeedbackEngine

    engine = FeedbackEngine.for_matcher(matcher)
    item = next(i for i in bank.items if len(i.follow_ups) >= 3)
    assert choose_follow_up(item, [], []) == item.follow_ups[0]
    target = item.follow_ups[-1]
    assert choose_follow_up(item, [target], [], engine.similarity) == target
    assert choose_follow_up(item, [], list(item.follow_ups)) is None


def test_a_solo_round_end_to_end(svc: MockService, user: int, bank: Bank, clock: Clock) -> None:
    session_id = svc.start(user, "ml-theory", "solo", None, "mid", seed=3)
    state = svc.state(session_id, user_id=user)
    assert state.total == min(ROUNDS["ml-theory"].questions, len(bank.filter(area="ml-theory")))
    item = state.current.item
    svc.autosave(session_id, 0, "first draft", user_id=user)
    clock.at += timedelta(seconds=90)
    svc.autosave(session_id, 0, "first draft, longer", user_id=user)
    assert svc.state(session_id, user_id=user).current.draft == "first draft, longer"
    feedback, follow_up, notices = svc.submit(session_id, 0, item.model_answer, user_id=user)
    assert feedback.score >= 80 and follow_up in item.follow_ups and notices == []
    with pytest.raises(MockError, match="already submitted"):
        svc.submit(session_id, 0, "again", user_id=user)
    svc.answer_follow_up(session_id, 0, "my follow-up answer", user_id=user)
    current = svc.state(session_id, user_id=user).current
    assert current.submitted and current.follow_up_answer == "my follow-up answer"
    for _ in range(state.total):
        state = svc.advance(session_id, user_id=user)
    assert state.status == "finished"
    card, rows = svc.result(session_id, user_id=user)
    assert card.questions[0].score == feedback.score and card.minutes_used == 1.5
    assert [i.id for i, _ in rows] == [item.id]
    with pytest.raises(MockError, match="finished"):
        svc.autosave(session_id, 1, "late", user_id=user)


def test_history_shows_the_change_on_a_retry(svc: MockService, user: int, bank: Bank, clock: Clock) -> None:
    item_ids = []
    for answer in ("I am not sure.", None):
        session_id = svc.start(user, "system-design", "solo", None, "senior", seed=5)
        item = svc.state(session_id, user_id=user).current.item
        item_ids.append(item.id)
        svc.submit(session_id, 0, answer or item.model_answer, user_id=user)
        clock.at += timedelta(days=8)
    assert item_ids[0] == item_ids[1]
    history = svc.history(user)
    row = next(r for r in history["items"] if r["item"].id == item_ids[0])
    assert row["attempts"] == 2 and row["change"] > 50
    assert len(history["areas"]["system-design"]) == 2  # two different weeks


def test_peer_round_scorecard_and_access(svc: MockService, user: int) -> None:
    session_id = svc.start(user, "behavioral", "peer", None, "senior", seed=7)
    state = svc.state(session_id, user_id=user)
    interviewer, candidate = state.interviewer_token, state.candidate_token
    assert interviewer and candidate and interviewer != candidate
    assert svc.state(session_id, token=candidate).current.item.id == state.current.item.id
    with pytest.raises(NotFound):
        svc.state(session_id, token="guess")
    with pytest.raises(NotFound):
        svc.state(session_id, user_id=user + 1)
    dims = state.dimensions
    with pytest.raises(NotFound):
        svc.save_scorecard(session_id, candidate, {dims[0]: 3}, "")
    with pytest.raises(MockError, match="from 1 to 4"):
        svc.save_scorecard(session_id, interviewer, {dims[0]: 5}, "")
    with pytest.raises(MockError, match="unknown rubric"):
        svc.save_scorecard(session_id, interviewer, {"Charisma": 4}, "")
    svc.save_scorecard(session_id, interviewer, {d: 3 for d in dims}, "Clear story, thin on results.")
    svc.advance(session_id, token=interviewer)
    assert svc.state(session_id, token=candidate).position == 1  # the candidate's view follows
    card, _ = svc.result(session_id, user_id=user)
    assert card.dimensions == {d: 3 for d in dims}


def test_mock_cli_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import subprocess
    import sys

    from conftest import FIXTURE_BANK

    env = {**__import__("os").environ, "MLCOACH_DATA_DIR": str(tmp_path)}
    answers = "Bias is error from wrong assumptions.\n.\nMore data.\n.\n" * 8
    run = subprocess.run([sys.executable, "-m", "mlcoach", "mock", "--round", "ml-theory", "--bank", str(FIXTURE_BANK), "--json"],
                         input=answers, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    graded, summary = lines[:-1], lines[-1]
    assert graded and all("score" in g and "key_points" in g for g in graded)
    assert summary["questions"] and summary["average"] is not None
