"""Review and reflect: logging interviews, matching, corrections, gaps, scaffolding — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_BANK, NOW
from typer.testing import CliRunner

from mlcoach.bank import load_bank
from mlcoach.core.catalog import Bank
from mlcoach.core.clock import fixed_clock
from mlcoach.core.reflect import LogInput, LogInputError
from mlcoach.reflect.scaffold import draft
from mlcoach.reflect.service import ReflectService
from mlcoach.store import Store
from mlcoach.store.models import Attempt
from mlcoach.store.users import ensure_user

GAP = "How would you tune the PID controller of a drone's altitude hold?"


def entry(questions: tuple[str, ...] = (), **changes: object) -> LogInput:
    fields = dict(company="Acme", role="MLE", round_type="ml-theory", interview_date=date(2026, 2, 20), questions=questions,
                  outcome="pending", self_rating=3)
    fields.update(changes)
    return LogInput(**fields)  # type: ignore[arg-type]


@pytest.fixture
def svc(bank: Bank, store: Store, matcher: object) -> ReflectService:
    return ReflectService(bank, store, lambda: matcher, fixed_clock(NOW))


@pytest.fixture
def user(store: Store) -> int:
    return store.write(lambda s: ensure_user(s, "local", NOW).id)


def paraphrase(bank: Bank, area: str) -> tuple[str, str]:
    item = bank.filter(area=area)[0]
    return item.question, item.id


def test_saving_matches_each_question(svc: ReflectService, user: int, bank: Bank) -> None:
    question, item_id = paraphrase(bank, "ml-theory")
    log_id = svc.save(user, entry((question, GAP)))
    log, views = svc.log(user, log_id)
    assert [v.status for v in views] == ["covered", "gap"]
    assert views[0].item.id == item_id and views[0].attempts == 0
    assert views[1].item is None and views[1].area == "ml-theory"  # filed under the round's area
    assert views[1].candidates  # alternatives to pick from when correcting


def test_mastery_comes_from_attempts(svc: ReflectService, user: int, bank: Bank, store: Store) -> None:
    question, item_id = paraphrase(bank, "ml-theory")
    store.write(lambda s: s.add_all([
        Attempt(user_id=user, item_id=item_id, mode="practice", answer="a", score=40.0, started_at=NOW - timedelta(days=2)),
        Attempt(user_id=user, item_id=item_id, mode="practice", answer="b", score=85.0, started_at=NOW - timedelta(days=1)),
    ]))
    log_id = svc.save(user, entry((question,)))
    view = svc.log(user, log_id)[1][0]
    assert view.attempts == 2 and view.last_score == 85.0


def test_a_correction_sticks_until_the_question_changes(svc: ReflectService, user: int, bank: Bank) -> None:
    question, _ = paraphrase(bank, "ml-theory")
    other = bank.filter(area="system-design")[0]
    log_id = svc.save(user, entry((question, GAP)))
    svc.correct(user, log_id, 1, None)  # "that was not really this item"
    svc.correct(user, log_id, 2, other.id)
    svc.save(user, entry((question, GAP), company="Acme Corp"), log_id)  # edit something else
    views = svc.log(user, log_id)[1]
    assert (views[0].status, views[0].corrected) == ("gap", True)
    assert (views[1].item.id, views[1].corrected) == (other.id, True)
    svc.save(user, entry((question, GAP + " With wind gusts?")), log_id)  # the second question changed
    views = svc.log(user, log_id)[1]
    assert views[0].corrected and not views[1].corrected and views[1].status == "gap"


@pytest.mark.parametrize("changes, message", [
    ({"company": "  "}, "company"),
    ({"questions": ("", "  ")}, "at least one question"),
    ({"round_type": "lunch"}, "round type"),
    ({"self_rating": 7}, "self-rating"),
    ({"outcome": "maybe"}, "outcome"),
    ({"questions": ("x" * 1001,)}, "question 1 is longer"),
])
def test_bad_input_is_refused_with_the_field_named(svc: ReflectService, user: int, changes: dict, message: str) -> None:
    fields = {"questions": ("What is overfitting?",), **changes}
    with pytest.raises(LogInputError, match=message):
        svc.save(user, entry(**fields))
    assert svc.logs(user) == []


def test_unknown_logs_and_items_are_not_found(svc: ReflectService, user: int) -> None:
    from mlcoach.store.logs import NotFound

    with pytest.raises(NotFound):
        svc.log(user, 999)
    log_id = svc.save(user, entry((GAP,)))
    with pytest.raises(NotFound):
        svc.correct(user, log_id, 1, "no-such-item")
    with pytest.raises(NotFound):
        svc.correct(user, log_id, 5, None)


def test_reflection_counts_and_recurring_themes(svc: ReflectService, user: int, bank: Bank, store: Store) -> None:
    design = bank.filter(area="system-design")[0]
    theory, _ = paraphrase(bank, "ml-theory")
    svc.save(user, entry((theory, GAP), interview_date=date(2026, 1, 10)))
    svc.save(user, entry((design.question, "How do you tune a PID loop for a quadcopter's altitude?"),
                         round_type="system-design", interview_date=date(2026, 2, 12)))
    store.write(lambda s: s.add(Attempt(user_id=user, item_id=design.id, mode="practice", answer="", started_at=NOW)))
    r = svc.reflection(user)
    assert (r.questions_logged, r.covered, r.gaps) == (4, 2, 2)
    assert r.asked_by_area == {"ml-theory": 2, "system-design": 2}
    assert r.gaps_by_area == {"ml-theory": 1, "system-design": 1}
    assert r.gaps_by_month == {"2026-01": {"ml-theory": 1}, "2026-02": {"system-design": 1}}
    assert r.practised_by_area == {"system-design": 1}
    themes = {theme: n for theme, n, _ in r.recurring}
    assert any(theme.startswith("Gap:") and n == 2 for theme, n in themes.items())  # the PID question, twice


def test_scaffold_passes_the_schema_and_lint_asks_for_the_answer(svc: ReflectService, user: int, bank: Bank, tmp_path: Path) -> None:
    log_id = svc.save(user, entry((GAP,)))
    _, question = svc.gap(user, log_id, 1)
    relative, text = draft(bank, question, "ml-theory", "linear-algebra")
    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    (copy / relative).write_text(text)
    loaded = load_bank(copy)
    new = [p for p in loaded.problems if p.path.endswith(relative)]
    assert any("answer is marked TODO" in p.message for p in new)
    assert all("TODO" in p.message for p in new), new  # nothing but the parts a contributor must write
    assert any(item.question == GAP for item in loaded.bank.items)  # it loads: the schema is satisfied


def test_cli_log_flow(tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlcoach.cli.app import app

    monkeypatch.setenv("MLCOACH_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    bank_copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, bank_copy)
    question, item_id = paraphrase(bank, "ml-theory")
    log_file = tmp_path / "log.yaml"
    log_file.write_text(yaml.safe_dump({"company": "Initech", "role": "DS", "round": "ml-theory", "date": "2026-02-01",
                                        "questions": [question, GAP], "rating": 4}))
    bank_arg = ["--bank", str(bank_copy)]
    added = runner.invoke(app, ["log", "add", "--file", str(log_file), *bank_arg])
    assert added.exit_code == 0, added.output
    logs = json.loads(runner.invoke(app, ["log", "list", "--json", *bank_arg]).stdout)
    assert len(logs) == 1 and logs[0]["questions"] == 2 and logs[0]["gaps"] == 1
    log_id = logs[0]["id"]
    shown = json.loads(runner.invoke(app, ["log", "show", str(log_id), "--json", *bank_arg]).stdout)
    assert [q["status"] for q in shown["questions"]] == ["covered", "gap"] and shown["questions"][0]["item_id"] == item_id
    gaps = json.loads(runner.invoke(app, ["gaps", "--json", "--export", str(tmp_path / "gaps.txt"), *bank_arg]).stdout)
    assert [g["question"] for g in gaps] == [GAP] and gaps[0]["ref"] == f"{log_id}:2"
    assert GAP in (tmp_path / "gaps.txt").read_text()
    assert runner.invoke(app, ["log", "correct", f"{log_id}:1", "--gap", *bank_arg]).exit_code == 0
    assert len(json.loads(runner.invoke(app, ["gaps", "--json", *bank_arg]).stdout)) == 2
    made = runner.invoke(app, ["bank", "new", "--from-gap", f"{log_id}:2", *bank_arg])
    assert made.exit_code == 0, made.output
    drafts = [p for p in bank_copy.rglob("*.md") if "pid" in p.name]
    assert len(drafts) == 1 and drafts[0].parent.name == "ml-theory"
    lint = runner.invoke(app, ["bank", "lint", "--no-semantic", *bank_arg])
    assert lint.exit_code == 1 and "marked TODO" in lint.stdout
    assert runner.invoke(app, ["log", "show", "999", *bank_arg]).exit_code == 1
    bad = runner.invoke(app, ["log", "correct", "nonsense", "--gap", *bank_arg])
    assert bad.exit_code == 2 and "LOG:N" in bad.stderr


def test_cli_refuses_a_bad_log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlcoach.cli.app import app

    monkeypatch.setenv("MLCOACH_DATA_DIR", str(tmp_path / "data"))
    bad = tmp_path / "bad.yaml"
    for text, message in (("company: [unclosed", "not valid YAML"), ("company: A\nwhen: today\n", "unknown key(s) when"),
                          ("company: A\nquestions: [q]\ndate: 2026-13-45\n", "date"), ("company: A\nround: ml-theory\n", "at least one question")):
        bad.write_text(text)
        result = CliRunner().invoke(app, ["log", "add", "--file", str(bad), "--bank", str(FIXTURE_BANK)])
        assert result.exit_code == 2 and message in result.stderr, (text, result.stderr)
