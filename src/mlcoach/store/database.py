"""The database: where it is, the one write path, and migrations.

Every write goes through `Store.write`, which owns the transaction. On SQLite that transaction starts
with `BEGIN IMMEDIATE`, so two writers queue on the lock instead of failing half-way; the file runs
in WAL mode with foreign keys on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from mlcoach.core.errors import Unavailable
from mlcoach.settings import Settings, current

T = TypeVar("T")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(Unavailable):
    """The database cannot be used (unreachable, wrong URL, behind on migrations)."""


def default_url(settings: Settings | None = None) -> str:
    """A SQLite file in the user's data directory (or `$MLCOACH_DATA_DIR`)."""
    base = (settings or current()).data_dir
    if base:
        directory = Path(base)
    else:
        from platformdirs import user_data_dir

        directory = Path(user_data_dir("mlcoach", appauthor=False))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'mlcoach.db'}"


def resolve_url(url: str | None = None, settings: Settings | None = None) -> tuple[str, bool]:
    """The URL to use and whether it is the local default (which upgrades itself on start)."""
    settings = settings or current()
    chosen = url or settings.database_url
    if not chosen:
        return default_url(settings), True
    # postgres:// and postgresql:// would pick psycopg2, which is not installed; psycopg 3 is.
    for prefix in ("postgres://", "postgresql://"):
        if chosen.startswith(prefix):
            chosen = "postgresql+psycopg://" + chosen[len(prefix) :]
    return chosen, False


class Store:
    def __init__(self, url: str) -> None:
        try:
            parsed: URL = make_url(url)
        except ArgumentError:
            raise StoreError(f"not a database URL: {url!r}") from None
        self.url = parsed
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self._engine = create_engine(parsed, connect_args={"timeout": 30})
            _sqlite_setup(self._engine)
        elif self.dialect == "postgresql":
            self._engine = create_engine(parsed, pool_pre_ping=True)
        else:
            raise StoreError(f"unsupported database `{self.dialect}`: use SQLite or PostgreSQL")
        self._writer = self._engine.execution_options(mlcoach_write=True)

    @property
    def engine(self) -> Engine:
        return self._engine

    def describe(self) -> str:
        """The URL without its password, for messages."""
        return self.url.render_as_string(hide_password=True)

    def write(self, fn: Callable[[Session], T]) -> T:
        """Run `fn` in one write transaction: committed if it returns, rolled back if it raises.

        Two first writes of the same row can race (both see no row, both insert): the loser's unique
        violation rolls its transaction back, and `fn` runs again on a fresh one, where it finds the
        winner's row. Any other error, and a third collision, goes to the caller."""
        for attempt in range(3):
            try:
                with self._guard(), Session(self._writer, expire_on_commit=False) as session:
                    with session.begin():
                        return fn(session)
            except IntegrityError as error:
                if attempt == 2 or not _is_unique_violation(error):
                    raise
        raise AssertionError("unreachable")

    def read(self, fn: Callable[[Session], T]) -> T:
        # Closing (not rolling back) ends the transaction but leaves loaded objects readable.
        with self._guard(), Session(self._engine, expire_on_commit=False) as session:
            return fn(session)

    def backup(self, target: Path) -> int:
        """A consistent copy of a SQLite database in `target`, taken while the app may be writing (SQLite's
        online backup: pages copied under a read transaction). Returns the copy's size in bytes.
        PostgreSQL is backed up with its own tool, `pg_dump`."""
        if self.dialect != "sqlite":
            raise StoreError(f"{self.describe()} is PostgreSQL: back it up with its own tool, `pg_dump`")
        if target.exists():
            raise StoreError(f"{target} exists already: choose a new file name (nothing was overwritten)")
        if not target.parent.is_dir():
            raise StoreError(f"{target.parent} is not a folder")
        import sqlite3

        source_path = self.url.database or ""
        with self._guard():
            source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
            try:
                copy = sqlite3.connect(str(target))
                try:
                    source.backup(copy)
                    problem = copy.execute("pragma integrity_check").fetchone()[0]
                finally:
                    copy.close()
            finally:
                source.close()
        if problem != "ok":
            target.unlink(missing_ok=True)
            raise StoreError(f"the copy failed its integrity check ({problem}); nothing was kept")
        return target.stat().st_size

    # Migrations -----------------------------------------------------------------------------

    def _alembic_config(self) -> Any:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self._alembic_config()).get_current_head()
        assert head is not None
        return head

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self._guard(), self._engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self, revision: str = "head") -> tuple[str | None, str]:
        """Apply migrations; returns (revision before, revision after)."""
        from alembic import command

        before = self.current_revision()
        config = self._alembic_config()
        with self._guard(), self._writer.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return before, self.current_revision() or ""

    def check_current(self) -> None:
        current, head = self.current_revision(), self.head_revision()
        if current != head:
            raise StoreError(
                f"the database at {self.describe()} is at migration {current or 'none'}, "
                f"the code needs {head}: run `mlcoach db upgrade`"
            )

    def dispose(self) -> None:
        self._engine.dispose()

    def _guard(self) -> "_Guard":
        return _Guard(self)


class _Guard:
    """Turns 'cannot connect' into a StoreError that names the database, not a driver traceback."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: Any) -> None:
        if isinstance(error, OperationalError) and _is_storage_full_or_read_only(error):
            raise StoreError(f"the database at {self.store.describe()} cannot be written ({_first_line(error.orig)}): "
                             "free some disk space or check the folder's permissions; nothing was saved") from None
        if isinstance(error, OperationalError) and _is_connection_error(error):
            raise StoreError(f"cannot use the database at {self.store.describe()}: {_first_line(error.orig)}") from None


def _is_unique_violation(error: IntegrityError) -> bool:
    text = str(error.orig).lower()
    return "unique" in text or "duplicate key" in text


def _is_storage_full_or_read_only(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return any(marker in text for marker in ("database or disk is full", "disk full", "no space left",
                                             "readonly database", "read-only", "attempt to write a readonly"))


def _is_connection_error(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return any(
        marker in text
        for marker in ("connection", "could not connect", "unable to open", "does not exist", "authentication", "timeout")
    )


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not the sqlite3 module, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get("mlcoach_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
