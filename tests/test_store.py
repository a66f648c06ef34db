"""Storage on real SQLite and real PostgreSQL: migrations, the write path, constraints, time zones."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from conftest import NOW
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from mlcoach.core.catalog import Bank
from mlcoach.store import Store, StoreError, resolve_url
from mlcoach.store.models import Attempt, InterviewLog, InterviewQuestion, ItemState, Note, User
from mlcoach.store.users import ensure_user


def test_upgrade_creates_the_tables_and_is_idempotent(store_url: str) -> None:
    store = Store(store_url)
    assert store.current_revision() is None
    before, after = store.upgrade()
    assert before is None and after == store.head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert {"users", "item_states", "notes", "attempts", "interview_logs", "interview_questions", "alembic_version"} <= tables
    assert store.upgrade() == (after, after)
    store.check_current()
    store.dispose()


def test_check_current_names_the_fix(store_url: str) -> None:
    store = Store(store_url)
    with pytest.raises(StoreError, match="run `mlcoach db upgrade`"):
        store.check_current()
    store.dispose()


def test_write_commits_and_read_sees_it(store: Store) -> None:
    user_id = store.write(lambda s: ensure_user(s, "ada", NOW).id)
    assert store.write(lambda s: ensure_user(s, "ada", NOW).id) == user_id  # get, not create twice
    assert store.read(lambda s: s.scalar(select(func.count()).select_from(User))) == 1


def test_a_failing_write_leaves_nothing_behind(store: Store) -> None:
    def half_done(session: object) -> None:
        ensure_user(session, "grace", NOW)  # type: ignore[arg-type]
        raise RuntimeError("crash in the middle of a write")

    with pytest.raises(RuntimeError):
        store.write(half_done)
    assert store.read(lambda s: s.scalar(select(func.count()).select_from(User))) == 0


def test_times_round_trip_as_utc(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    local = datetime(2026, 3, 1, 10, 30, tzinfo=paris)
    store.write(lambda s: s.add(User(name="tz", created_at=local)))
    stored = store.read(lambda s: s.scalars(select(User)).one().created_at)
    assert stored == local and stored.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        store.write(lambda s: s.add(User(name="naive", created_at=datetime(2026, 1, 1))))


def test_every_table_takes_a_row_and_deleting_a_user_cascades(store: Store) -> None:
    def fill(session: object) -> int:
        user = ensure_user(session, "lin", NOW)  # type: ignore[arg-type]
        session.add_all([  # type: ignore[attr-defined]
            ItemState(user_id=user.id, item_id="bias-variance-tradeoff", starred=True, needs_revision=False,
                      card={"stability": 2.5}, due_at=NOW + timedelta(days=3), updated_at=NOW),
            Note(user_id=user.id, item_id="bias-variance-tradeoff", body="Draw the U curve.", created_at=NOW, updated_at=NOW),
            Attempt(user_id=user.id, item_id="bias-variance-tradeoff", mode="practice", answer="Bias is...", score=72.5,
                    feedback={"covered": 3}, started_at=NOW, submitted_at=NOW + timedelta(minutes=2), duration_seconds=120),
            InterviewLog(user_id=user.id, company="Acme", role="MLE", round_type="ml-theory", interview_date=date(2026, 2, 20),
                         self_rating=4, created_at=NOW, updated_at=NOW,
                         questions=[InterviewQuestion(position=1, text="What is dropout?"),
                                    InterviewQuestion(position=2, text="Explain AUC", item_id="roc-auc", status="covered")]),
        ])
        return user.id

    user_id = store.write(fill)
    state = store.read(lambda s: s.get(ItemState, (user_id, "bias-variance-tradeoff")))
    assert state.card == {"stability": 2.5} and state.due_at == NOW + timedelta(days=3)
    log = store.read(lambda s: [q.text for q in s.scalars(select(InterviewLog)).one().questions])
    assert log == ["What is dropout?", "Explain AUC"]
    store.write(lambda s: s.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_id}))
    for model in (ItemState, Note, Attempt, InterviewLog, InterviewQuestion):
        assert store.read(lambda s, m=model: s.scalar(select(func.count()).select_from(m))) == 0, model.__name__


@pytest.mark.parametrize("row", [
    lambda uid: Attempt(user_id=uid, item_id="x", mode="mock", answer="", score=101, started_at=NOW),
    lambda uid: InterviewLog(user_id=uid, company="A", role="B", round_type="c", interview_date=date(2026, 1, 1),
                             self_rating=6, created_at=NOW, updated_at=NOW),
    lambda uid: Note(user_id=uid + 999, body="orphan", created_at=NOW, updated_at=NOW),
])
def test_constraints_hold(store: Store, row: object) -> None:
    user_id = store.write(lambda s: ensure_user(s, "c", NOW).id)
    with pytest.raises(IntegrityError):
        store.write(lambda s: s.add(row(user_id)))  # type: ignore[operator]


def test_unreachable_database_is_a_clear_error() -> None:
    store = Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(StoreError) as error:
        store.current_revision()
    assert "cannot use the database" in str(error.value) and "secret" not in str(error.value)


def test_bad_urls_are_clear_errors() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("not a url")
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://localhost/x")


def test_resolve_url_prefers_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("MLCOACH_DATABASE_URL", "postgres://postgres@127.0.0.1/test")
    assert resolve_url() == ("postgresql+psycopg://postgres@127.0.0.1/test", False)
    monkeypatch.delenv("MLCOACH_DATABASE_URL")
    monkeypatch.setenv("MLCOACH_DATA_DIR", str(tmp_path))
    url, local = resolve_url()
    assert local and url == f"sqlite:///{tmp_path}/mlcoach.db"


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: object) -> None:
    store = Store(f"sqlite:///{tmp_path}/w.db")
    store.upgrade()
    assert store.read(lambda s: s.execute(text("PRAGMA journal_mode")).scalar()) == "wal"
    assert store.read(lambda s: s.execute(text("PRAGMA foreign_keys")).scalar()) == 1
    store.dispose()


def test_sqlite_writers_queue_instead_of_failing(tmp_path: object) -> None:
    """BEGIN IMMEDIATE: a second writer waits for the first, then both commits land."""
    store = Store(f"sqlite:///{tmp_path}/q.db")
    store.upgrade()
    user_id = store.write(lambda s: ensure_user(s, "q", NOW).id)
    inside = threading.Event()
    order: list[str] = []

    def slow(session: object) -> None:
        session.add(Note(user_id=user_id, body="first", created_at=NOW, updated_at=NOW))  # type: ignore[attr-defined]
        session.flush()  # type: ignore[attr-defined]
        inside.set()
        time.sleep(0.5)
        order.append("first")

    def read_then_write(session: object) -> None:
        count = session.scalar(select(func.count()).select_from(Note))  # type: ignore[attr-defined]
        session.add(Note(user_id=user_id, body=f"second saw {count}", created_at=NOW, updated_at=NOW))  # type: ignore[attr-defined]
        order.append("second")

    worker = threading.Thread(target=store.write, args=(slow,))
    worker.start()
    inside.wait(5)
    store.write(read_then_write)
    worker.join()
    assert order == ["first", "second"]
    bodies = store.read(lambda s: sorted(n.body for n in s.scalars(select(Note))))
    assert bodies == ["first", "second saw 1"]  # the second writer read after the first committed
    store.dispose()


def test_migrations_match_the_models(store: Store) -> None:
    """Every model change comes with a migration: autogenerate finds nothing left to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from mlcoach.store.models import Base

    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []


@pytest.mark.parametrize("revision", ["0001", "0002", "0003"])
def test_upgrading_from_every_past_schema_keeps_the_data(store_url: str, revision: str, bank: Bank) -> None:
    """A database left at each old revision, filled the way that version wrote it, upgrades to head
    with every row intact and readable by today's services."""
    from mlcoach.core.clock import fixed_clock
    from mlcoach.study.notes import NoteService

    store = Store(store_url)
    store.upgrade(revision)
    at = "2026-01-05 10:00:00"
    with store.engine.begin() as connection:
        connection.execute(text("insert into users (id, name, created_at) values (1, 'local', :at)"), {"at": at})
        connection.execute(text("insert into notes (id, user_id, item_id, body, created_at, updated_at) "
                                "values (1, 1, 'precision-recall-f1', 'my old note', :at, :at)"), {"at": at})
        connection.execute(text("insert into interview_logs (id, user_id, company, role, round_type, interview_date, "
                                "outcome, self_rating, went_well, went_badly, created_at, updated_at) values "
                                "(1, 1, 'Initech', 'MLE', 'ml-theory', '2026-01-02', 'offer', 4, 'w', 'b', :at, :at)"),
                           {"at": at})
        connection.execute(text("insert into interview_questions (id, log_id, position, text, item_id, status, corrected) "
                                "values (1, 1, 1, 'Define precision and recall', 'precision-recall-f1', 'covered', false)"))
        connection.execute(text("insert into item_states (user_id, item_id, starred, needs_revision, updated_at) "
                                "values (1, 'precision-recall-f1', true, false, :at)"), {"at": at})
        connection.execute(text("insert into attempts (id, user_id, item_id, mode, answer, score, started_at) "
                                "values (1, 1, 'precision-recall-f1', 'practice', 'my answer', 72.5, :at)"), {"at": at})
    before, after = store.upgrade()
    assert (before, after) == (revision, store.head_revision())
    with store.engine.connect() as connection:
        assert connection.execute(text("select company, outcome, self_rating from interview_logs")).one() == ("Initech", "offer", 4)
        assert connection.execute(text("select text, item_id from interview_questions")).one() == \
            ("Define precision and recall", "precision-recall-f1")
        assert connection.execute(text("select answer, score from attempts")).one() == ("my answer", 72.5)
        assert bool(connection.execute(text("select starred from item_states")).scalar_one())
    note = NoteService(bank, store, fixed_clock(datetime(2026, 2, 1, tzinfo=UTC))).get(1, "precision-recall-f1")
    assert note is not None and note.body == "my old note"
