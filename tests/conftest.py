"""Shared fixtures: the fixture bank, real SQLite and PostgreSQL stores, a fixed clock."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mlcoach.bank import load_bank
from mlcoach.core.catalog import Bank
from mlcoach.store import Store

HERE = Path(__file__).resolve().parent
FIXTURE_BANK = HERE / "fixtures" / "bank"
MALFORMED_BANK = HERE / "fixtures" / "malformed"
ROOT = HERE.parent

POSTGRES_URL = os.environ.get("MLCOACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# .ci/run sets this so that a missing PostgreSQL fails the run instead of skipping its tests.
REQUIRE_POSTGRES = os.environ.get("MLCOACH_REQUIRE_POSTGRES") == "1"

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

# Tests never touch the user's own cache or database.
_SANDBOX = Path(tempfile.mkdtemp(prefix="mlcoach-tests-"))
# The search index cache persists between runs (in the checkout, ignored by git): a test run after an
# edit rebuilds only what changed. Tests that need a cold cache set their own.
os.environ.setdefault("MLCOACH_CACHE_DIR", str(ROOT / ".mlcoach-cache" / "tests"))
os.environ["MLCOACH_DATA_DIR"] = str(_SANDBOX / "data")
os.environ.pop("MLCOACH_DATABASE_URL", None)


@pytest.fixture(scope="session")
def bank() -> Bank:
    loaded = load_bank(FIXTURE_BANK)
    assert not loaded.problems, "\n".join(map(str, loaded.problems))
    return loaded.bank


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[str]:
    """The server URL, checked once; skips (or fails under CI) when nothing answers."""
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # noqa: BLE001 - any failure to connect means "no server"
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {str(error).splitlines()[0]}"
        if REQUIRE_POSTGRES:
            pytest.fail(reason + " (MLCOACH_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    finally:
        engine.dispose()
    yield POSTGRES_URL


def fresh_postgres_database(admin_url: str, template: str | None = None) -> tuple[str, Callable[[], None]]:
    name = f"mlcoach_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))

    def drop() -> None:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, not yet migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mlcoach.db'}"
        return
    admin = request.getfixturevalue("postgres_admin")
    url, drop = fresh_postgres_database(admin)
    try:
        yield url
    finally:
        drop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated per test session; each test gets a copy (migrating costs more)."""
    path = tmp_path_factory.mktemp("template") / "mlcoach.db"
    template = Store(f"sqlite:///{path}")
    template.upgrade()
    template.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_admin: str) -> Iterator[str]:
    """One PostgreSQL database migrated per test session; tests copy it with CREATE DATABASE ... TEMPLATE."""
    url, drop = fresh_postgres_database(postgres_admin)
    template = Store(url)
    template.upgrade()
    template.dispose()
    yield make_url(url).database or ""
    drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated database of each kind, copied from the session's template."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{template}{suffix}").exists():
                shutil.copyfile(f"{template}{suffix}", tmp_path / f"mlcoach.db{suffix}")
        created = Store(f"sqlite:///{tmp_path / 'mlcoach.db'}")
        yield created
        created.dispose()
        return
    admin = request.getfixturevalue("postgres_admin")
    url, drop = fresh_postgres_database(admin, template=request.getfixturevalue("postgres_template"))
    created = Store(url)
    try:
        yield created
    finally:
        created.dispose()
        drop()


@pytest.fixture(scope="session")
def matcher(bank: Bank) -> object:
    """The real matcher (model, index, shipped calibration) over the fixture bank."""
    from mlcoach.search.matcher import Matcher

    return Matcher.for_bank(bank)


# The web app answers only to loopback host names and wants the CSRF token back on every
# state-changing request (see `web/guard.py`). Route tests speak as the app's own pages do: the
# token's cookie and header are set once; test_guard.py tests the refusals.
WEB_TOKEN = "t" * 43


def web_client(app, **kwargs):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1", headers={"X-CSRF-Token": WEB_TOKEN}, **kwargs)
    client.cookies.set("mlcoach_csrf", WEB_TOKEN)
    return client
