"""The progress report PDF and the Markdown export of notes and stories, from a user's real history, on
SQLite and PostgreSQL; through the CLI and the web too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import web_client
from pdf_helpers import ink, pages_text, render_page

from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREA_TITLES, AREAS
from mlcoach.publish.report import build_report
from mlcoach.store import Store
from mlcoach.store.models import Attempt, MockSession
from mlcoach.store.users import ensure_user
from mlcoach.study import profile as profiles
from mlcoach.study.assess import AssessService
from mlcoach.study.export import notes_markdown
from mlcoach.study.notes import NoteService
from mlcoach.study.plan import PlanService
from mlcoach.study.practice import PracticeService
from mlcoach.study.progress import collect
from mlcoach.study.stories import StoryInput, StoryService
from mlcoach.web.app import create_app

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def history(bank: Bank, store: Store, clock: Clock) -> int:
    """A user with a profile, two diagnostics (theory right then, behavioral better the second time),
    a plan, three weeks of practice and a finished peer mock with a scorecard."""
    user = store.write(lambda s: ensure_user(s, "ada", clock()).id)
    data = profiles.ProfileData(role="mle", level="senior", interview_date=date(2026, 4, 10), hours_per_week=7)
    store.write(lambda s: profiles.save(s, user, data, clock()))
    assess = AssessService(bank, store, clock)
    for recalled in ([], [0, 1, 2]):
        state = assess.start(user, {"ml-theory": 3})
        for check in state.checks:
            item = bank.get(check.item_id)
            if check.kind == "quiz":
                assess.answer(user, state.id, check.position, {"choice": item.quiz.correct})
            else:
                assess.answer(user, state.id, check.position, {"recalled": [i for i in recalled if i < len(item.key_points)]})
        assess.finish(user, state.id)
        clock.at += timedelta(days=7)
    PlanService(bank, store, clock).make(user)
    practice = PracticeService(bank, store, clock, fuzz=False)
    for week, item in enumerate(bank.items[:3]):
        clock.at += timedelta(days=7 * week + 1)
        practice.rate(user, item.id, 3, answer="", score=70.0 + week)
    mock = MockSession(user_id=user, round_type="ml-theory", mode="peer", plan={"questions": []}, position=0,
                       status="finished", scorecard={"scores": {"Depth": 3, "Communication": 4}, "notes": ""},
                       created_at=clock(), finished_at=clock())

    def save_mock(session: object) -> None:
        session.add(mock)  # type: ignore[attr-defined]
        session.flush()  # type: ignore[attr-defined]
        session.add(Attempt(user_id=user, session_id=mock.id, position=0, item_id=bank.items[0].id, mode="mock",  # type: ignore[attr-defined]
                            answer="...", score=62.0, started_at=clock(), submitted_at=clock()))

    store.write(save_mock)
    return user


def test_progress_collects_readiness_practice_and_mocks(bank: Bank, store: Store) -> None:
    clock = Clock(START)
    user = history(bank, store, clock)
    progress = collect(bank, store, clock, user)
    assert len(progress.readiness) == 2
    first, second = (scores for _, scores in progress.readiness)
    assert second["behavioral"] > first["behavioral"]  # recalled more the second time
    assert progress.latest is not None and progress.latest["change"]["behavioral"] > 0
    assert progress.reviews_total == 3 and sum(count for _, count in progress.weeks) == 3
    assert sum(progress.learned.values()) == 3 and progress.bank_sizes == {a: len(bank.filter(area=a)) for a in AREAS}
    [row] = progress.mocks
    assert (row.round_type, row.mode, row.score, row.scorecard["scores"]["Depth"]) == ("ml-theory", "peer", 62.0, 3)


def test_the_report_pdf_shows_the_users_history(bank: Bank, store: Store, tmp_path: Path) -> None:
    clock = Clock(START)
    user = history(bank, store, clock)
    pdf = build_report(collect(bank, store, clock, user), "ada")
    text = " ".join(pages_text(pdf.data))
    assert pdf.data.startswith(b"%PDF") and pdf.pages >= 1
    assert "Progress of ada" in text and "ML engineer, senior level · interview on 2026-04-10" in text
    for area in AREAS:
        assert AREA_TITLES[area] in text
    assert "since the last" in text  # the change since the previous diagnostic
    assert "3 review(s) in all" in text
    assert "ML theory peer 62 Depth 3, Communication 4" in text
    assert 0.005 < ink(render_page(pdf.data, 1, tmp_path)) < 0.5  # page 1 is drawn: text and charts


def test_a_new_user_gets_a_report_that_says_what_to_do(bank: Bank, store: Store) -> None:
    clock = Clock(START)
    user = store.write(lambda s: ensure_user(s, "new", clock()).id)
    text = " ".join(pages_text(build_report(collect(bank, store, clock, user)).data))
    assert "No diagnostic yet" in text and "No finished mock rounds yet" in text and "0 review(s) in all" in text


def test_notes_and_stories_export_as_markdown(bank: Bank, store: Store) -> None:
    clock = Clock(START)
    user = store.write(lambda s: ensure_user(s, "ada", clock()).id)
    notes, stories = NoteService(bank, store, clock), StoryService(bank, store, clock)
    theory, behavioral = bank.filter(area="ml-theory")[0], bank.filter(area="behavioral")[0]
    notes.set(user, theory.id, "# My summary\nThe *bias* term.\n\n```\n# not a heading\n```")
    notes.set(user, behavioral.id, "Use the churn story.")
    stories.add(user, StoryInput("The churn pipeline", action="I rebuilt it.", result="Alerts fell 80%.",
                                 competencies=(behavioral.topic,)))
    text = notes_markdown(bank, notes.all(user), stories.all(user), stories.competencies, clock())
    assert text.index("### Behavioral") < text.index("### ML theory")  # the guides' order
    assert f"#### {theory.question}" in text and "##### My summary" in text  # note headings sit below
    assert "```\n# not a heading\n```" in text  # code is left alone
    assert "### The churn pipeline" in text and "**Result.** Alerts fell 80%." in text
    missing = text.split("Competencies with no story yet: ")[1]
    assert stories.competencies[behavioral.topic] not in missing and len(missing.split(", ")) == len(stories.competencies) - 1


def test_report_and_notes_from_the_cli_and_the_web(bank: Bank, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import FIXTURE_BANK
    from typer.testing import CliRunner

    from mlcoach.cli.app import app

    monkeypatch.setenv("MLCOACH_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    assert runner.invoke(app, ["notes", "set", bank.items[0].id, "remember this", "--bank", str(FIXTURE_BANK)]).exit_code == 0
    exported = runner.invoke(app, ["export", "notes", "--out", "-", "--bank", str(FIXTURE_BANK)])
    assert exported.exit_code == 0 and "remember this" in exported.stdout
    target = tmp_path / "out" / "report.pdf"
    made = runner.invoke(app, ["export", "report", "--out", str(target), "--json", "--bank", str(FIXTURE_BANK)])
    assert made.exit_code == 0 and target.read_bytes().startswith(b"%PDF")
    refused = runner.invoke(app, ["export", "report", "--out", str(tmp_path), "--bank", str(FIXTURE_BANK)])
    assert refused.exit_code == 1 and "is a directory" in " ".join(refused.output.split())

    clock = Clock(START)
    with web_client(create_app(bank, store, clock=clock)) as client:
        client.post(f"/items/{bank.items[0].id}/note", data={"body": "web note"})
        pdf = client.get("/export/report.pdf")
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        md = client.get("/export/notes.md")
        assert md.headers["content-disposition"].endswith('filename="mlcoach-notes.md"') and "web note" in md.text
        assert 'href="/export/report.pdf"' in client.get("/downloads").text
